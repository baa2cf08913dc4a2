package streamablehttp

import (
	"strconv"
	"sync/atomic"

	"github.com/bctrlhq/bctrl-mcp/tools/transport/jsonrpc"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// notificationQueue is how many notifications of one request may wait for
// its writer; beyond it mcp-go drops them (the result carries the state).
const notificationQueue = 256

// sessionIDs numbers request sessions: mcp-go keys requests in flight by
// session and id, so each needs its own.
var sessionIDs atomic.Uint64

// requestSession is the session of one HTTP request: it exists while the
// request is served, and its notifications reach only that request's
// response. Without sessions there is no handshake, so it counts as
// initialised, and no lasting log level, so legacy requests get errors only.
type requestSession struct {
	id            string
	notifications chan mcp.JSONRPCNotification
	jsonrpc.ClientRecord
}

var (
	_ server.SessionWithLogging    = (*requestSession)(nil)
	_ server.SessionWithClientInfo = (*requestSession)(nil)
)

func newRequestSession() *requestSession {
	return &requestSession{
		id:            "http-" + strconv.FormatUint(sessionIDs.Add(1), 10),
		notifications: make(chan mcp.JSONRPCNotification, notificationQueue),
	}
}

// SessionID names the request's session.
func (s *requestSession) SessionID() string { return s.id }

// NotificationChannel is where the server queues the request's notifications.
func (s *requestSession) NotificationChannel() chan<- mcp.JSONRPCNotification {
	return s.notifications
}

// Initialize does nothing: there is no handshake to complete.
func (s *requestSession) Initialize() {}

// Initialized reports true: every request is served on its own.
func (s *requestSession) Initialized() bool { return true }

// SetLogLevel is accepted and forgotten with the request: nothing follows it.
func (s *requestSession) SetLogLevel(mcp.LoggingLevel) {}

// GetLogLevel is the level of legacy requests: errors only. (Requests of
// 2026-07-28 carry their own level, which mcp-go applies instead.)
func (s *requestSession) GetLogLevel() mcp.LoggingLevel { return mcp.LoggingLevelError }
