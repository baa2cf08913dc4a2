package jsonrpc

import (
	"context"
	"encoding/json"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// Server is what a transport needs from the MCP server; *server.MCPServer implements it,
// and a protocol layer (tasks, era checks) can wrap it.
type Server interface {
	RegisterSession(ctx context.Context, s server.ClientSession) error
	UnregisterSession(ctx context.Context, sessionID string)
	WithContext(ctx context.Context, s server.ClientSession) context.Context
	HandleMessage(ctx context.Context, message json.RawMessage) mcp.JSONRPCMessage
}

var _ Server = (*server.MCPServer)(nil)
