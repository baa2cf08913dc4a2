package tasks

import (
	"context"
	"encoding/json"
	"maps"

	"github.com/bctrlhq/bctrl-mcp/schema"
	"github.com/bctrlhq/bctrl-mcp/tools"
	"github.com/bctrlhq/bctrl-mcp/tools/era"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// ExtensionID identifies the Tasks extension.
const ExtensionID = "io.modelcontextprotocol/tasks"

// Options configures New.
type Options struct {
	// Invocations backs the tasks. Nil, or read-only, turns the extension off.
	Invocations *tools.Invocations
	// ServerInfo names the server in the _meta of the results this layer
	// builds itself, as mcp-go does in the results it builds.
	ServerInfo mcp.Implementation
}

// Server wraps an mcp-go server with the era guard and the Tasks extension.
// It is safe for concurrent use and keeps no per-task state.
type Server struct {
	mcp  *server.MCPServer
	invs *tools.Invocations // nil when the extension is off
	info mcp.Implementation
}

// New wraps s.
func New(s *server.MCPServer, opts Options) *Server {
	out := &Server{mcp: s, info: opts.ServerInfo}
	if opts.Invocations != nil && !opts.Invocations.ReadOnly() {
		out.invs = opts.Invocations
	}
	return out
}

// RegisterSession registers a transport's session with mcp-go.
func (s *Server) RegisterSession(ctx context.Context, sess server.ClientSession) error {
	return s.mcp.RegisterSession(ctx, sess)
}

// UnregisterSession removes a session registered with RegisterSession.
func (s *Server) UnregisterSession(ctx context.Context, sessionID string) {
	s.mcp.UnregisterSession(ctx, sessionID)
}

// WithContext returns ctx carrying the session, as mcp-go expects it.
func (s *Server) WithContext(ctx context.Context, sess server.ClientSession) context.Context {
	return s.mcp.WithContext(ctx, sess)
}

// HandleMessage answers one JSON-RPC message: era errors, the Tasks
// extension and the era's code for unknown resources here, everything else
// through mcp-go. It returns nil for notifications and responses.
func (s *Server) HandleMessage(ctx context.Context, message json.RawMessage) mcp.JSONRPCMessage {
	req, ok := parseRequest(message)
	if !ok {
		return s.mcp.HandleMessage(ctx, message) // notifications, responses and malformed input: mcp-go's answers
	}
	meta := era.Parse(message)
	if e := era.Check(meta, server.SupportedProtocolVersionsFromContext(ctx)); e != nil {
		return errorResponse(req.ID, e.Code, e.Message, e.Data)
	}
	if s.invs != nil {
		switch {
		case era.IsTasksMethod(req.Method):
			if !meta.Modern || !meta.Declares(ExtensionID) {
				return missingExtension(req)
			}
			return s.serveTaskMethod(ctx, req)
		case req.Method == string(mcp.MethodToolsCall) && req.toolName() == schema.ToolCreate && meta.Modern && meta.Declares(ExtensionID):
			return s.createTask(ctx, req, message)
		}
	}
	if req.Method == string(mcp.MethodResourcesRead) {
		return s.readResource(ctx, meta, message)
	}
	resp := s.mcp.HandleMessage(ctx, message)
	if s.invs != nil && req.Method == string(mcp.MethodServerDiscover) {
		resp = advertise(resp)
	}
	return resp
}

// advertise adds the extension to a server/discover result's capabilities.
func advertise(resp mcp.JSONRPCMessage) mcp.JSONRPCMessage {
	r, ok := resp.(mcp.JSONRPCResponse)
	if !ok {
		return resp
	}
	var result *mcp.DiscoverResult
	switch v := r.Result.(type) {
	case mcp.DiscoverResult:
		result = &v
	case *mcp.DiscoverResult:
		copied := *v
		result = &copied
	default:
		return resp
	}
	extensions := maps.Clone(result.Capabilities.Extensions)
	if extensions == nil {
		extensions = map[string]any{}
	}
	extensions[ExtensionID] = struct{}{}
	result.Capabilities.Extensions = extensions
	r.Result = *result
	return r
}
