package jsonrpc

import (
	"sync"

	"github.com/mark3labs/mcp-go/mcp"
)

// ClientRecord keeps what a client said about itself (its info and
// capabilities), which mcp-go records on a session. Transports embed it in
// their session types; the zero value is ready to use and safe for
// concurrent use.
type ClientRecord struct {
	mu           sync.RWMutex
	info         mcp.Implementation
	capabilities mcp.ClientCapabilities
}

// GetClientInfo returns what the client said about itself.
func (r *ClientRecord) GetClientInfo() mcp.Implementation {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.info
}

// SetClientInfo records what the client said about itself.
func (r *ClientRecord) SetClientInfo(info mcp.Implementation) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.info = info
}

// GetClientCapabilities returns the client's declared capabilities.
func (r *ClientRecord) GetClientCapabilities() mcp.ClientCapabilities {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.capabilities
}

// SetClientCapabilities records the client's declared capabilities.
func (r *ClientRecord) SetClientCapabilities(c mcp.ClientCapabilities) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.capabilities = c
}
