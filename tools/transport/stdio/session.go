package stdio

import (
	"sync"
	"sync/atomic"

	"github.com/bctrlhq/bctrl-mcp/tools/transport/jsonrpc"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// notificationQueue is how many notifications may wait for the writer;
// beyond it mcp-go drops them (the results still carry the state).
const notificationQueue = 4096

// session is the one client session of a stdio connection.
type session struct {
	notifications chan mcp.JSONRPCNotification
	initialized   atomic.Bool

	jsonrpc.ClientRecord

	mu    sync.RWMutex
	level mcp.LoggingLevel
}

var (
	_ server.SessionWithLogging    = (*session)(nil)
	_ server.SessionWithClientInfo = (*session)(nil)
)

func newSession() *session {
	// Until the client sets a level, only errors are sent: log messages are
	// for clients that asked for them.
	return &session{notifications: make(chan mcp.JSONRPCNotification, notificationQueue), level: mcp.LoggingLevelError}
}

// SessionID names the session; stdio has exactly one.
func (s *session) SessionID() string { return "stdio" }

// NotificationChannel is where the server queues notifications for the writer.
func (s *session) NotificationChannel() chan<- mcp.JSONRPCNotification { return s.notifications }

// Initialize marks the handshake done.
func (s *session) Initialize() { s.initialized.Store(true) }

// Initialized reports whether the handshake is done.
func (s *session) Initialized() bool { return s.initialized.Load() }

// SetLogLevel records the client's logging/setLevel.
func (s *session) SetLogLevel(level mcp.LoggingLevel) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.level = level
}

// GetLogLevel returns the minimum level sent to the client.
func (s *session) GetLogLevel() mcp.LoggingLevel {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.level
}
