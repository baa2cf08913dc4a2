package jsonrpc

import "encoding/json"

// JSON-RPC error codes a transport answers with itself.
const (
	CodeParseError     = -32700
	CodeInvalidRequest = -32600
	CodeInternalError  = -32603
	CodeServerBusy     = -32000
)

// ErrorResponse encodes a JSON-RPC error response; a nil id is written as null.
func ErrorResponse(id json.RawMessage, code int, message string) []byte {
	if id == nil {
		id = json.RawMessage("null")
	}
	raw, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": id, "error": map[string]any{"code": code, "message": message}})
	return raw
}
