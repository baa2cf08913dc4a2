package tasks

import (
	"encoding/json"
	"fmt"

	"github.com/mark3labs/mcp-go/mcp"
)

// request is the part of a JSON-RPC request this layer routes on.
type request struct {
	ID     json.RawMessage
	Method string
	Params json.RawMessage
}

// parseRequest reads a JSON-RPC 2.0 request (an id and a method); anything
// else is reported as not one, for mcp-go to answer.
func parseRequest(message json.RawMessage) (request, bool) {
	var env struct {
		JSONRPC string          `json:"jsonrpc"`
		ID      json.RawMessage `json:"id"`
		Method  string          `json:"method"`
		Params  json.RawMessage `json:"params"`
	}
	if json.Unmarshal(message, &env) != nil || env.JSONRPC != mcp.JSONRPC_VERSION ||
		len(env.ID) == 0 || string(env.ID) == "null" || env.Method == "" {
		return request{}, false
	}
	return request{ID: env.ID, Method: env.Method, Params: env.Params}, true
}

// toolName is params.name of a tools/call, "" when absent.
func (r request) toolName() string {
	var p struct {
		Name string `json:"name"`
	}
	_ = json.Unmarshal(r.Params, &p)
	return p.Name
}

// response is a JSON-RPC result for the request with id.
func response(id json.RawMessage, result any) mcp.JSONRPCMessage {
	return mcp.JSONRPCResponse{JSONRPC: mcp.JSONRPC_VERSION, ID: mcp.NewRequestId(id), Result: result}
}

// errorResponse is a JSON-RPC error for the request with id.
func errorResponse(id json.RawMessage, code int, message string, data any) mcp.JSONRPCMessage {
	return mcp.JSONRPCError{JSONRPC: mcp.JSONRPC_VERSION, ID: mcp.NewRequestId(id),
		Error: mcp.JSONRPCErrorDetails{Code: code, Message: message, Data: data}}
}

// missingExtension answers a tasks method from a request that did not
// declare the extension, saying what to declare.
func missingExtension(req request) mcp.JSONRPCMessage {
	data := map[string]any{"requiredCapabilities": map[string]any{"extensions": map[string]any{ExtensionID: struct{}{}}}}
	return errorResponse(req.ID, mcp.MISSING_REQUIRED_CLIENT_CAPABILITY,
		fmt.Sprintf("Missing required client capability: %s needs the %s extension declared in _meta[%q].extensions", req.Method, ExtensionID, mcp.MetaKeyClientCapabilities), data)
}
