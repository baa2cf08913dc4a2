package jsonrpc

import (
	"context"
	"encoding/json"
	"log/slog"

	"github.com/mark3labs/mcp-go/mcp"
)

// Handle runs one message through srv. For a request (id not zero) it
// returns the encoded response, carrying id exactly as the client sent it,
// or nil when srv has none; for a notification it returns nil. A panic is
// logged and, for a request, answered -32603; so is a response that cannot
// be encoded.
func Handle(ctx context.Context, srv Server, id ID, line []byte, logger *slog.Logger) (out []byte) {
	defer func() {
		if r := recover(); r != nil {
			logger.Error("handler panicked", "panic", r, "id", id.String())
			out = nil
			if !id.IsZero() {
				out = ErrorResponse(id, mcp.INTERNAL_ERROR, "internal error", nil)
			}
		}
	}()
	resp := srv.HandleMessage(ctx, line)
	if resp == nil {
		return nil
	}
	if id.IsZero() {
		logger.Debug("dropped an answer to a notification", "answer", resp)
		return nil
	}
	raw, err := json.Marshal(withID(resp, id))
	if err != nil {
		logger.Error("encode response", "error", err, "id", id.String())
		return ErrorResponse(id, mcp.INTERNAL_ERROR, "internal error: could not encode the response", nil)
	}
	return raw
}

// withID puts the id as sent back on resp: mcp-go decodes ids into float64
// and so changes integers beyond 2^53.
func withID(resp mcp.JSONRPCMessage, id ID) mcp.JSONRPCMessage {
	sent := mcp.NewRequestId(id.JSON())
	switch r := resp.(type) {
	case mcp.JSONRPCResponse:
		r.ID = sent
		return r
	case *mcp.JSONRPCResponse:
		c := *r
		c.ID = sent
		return &c
	case mcp.JSONRPCError:
		r.ID = sent
		return r
	case *mcp.JSONRPCError:
		c := *r
		c.ID = sent
		return &c
	}
	// Another message type (a wrapping protocol layer's): rewrite its id member.
	raw, err := json.Marshal(resp)
	if err != nil {
		return resp
	}
	var members map[string]json.RawMessage
	if json.Unmarshal(raw, &members) != nil {
		return resp
	}
	members["id"] = id.JSON()
	return members
}

// EncodeNotification encodes a notification for the wire. One that cannot
// be encoded is logged and dropped (ok false): it is never turned into an
// error response, which the client would take for an answer.
func EncodeNotification(n any, logger *slog.Logger) (raw []byte, ok bool) {
	raw, err := json.Marshal(n)
	if err != nil {
		method := ""
		if jn, isNotification := n.(mcp.JSONRPCNotification); isNotification {
			method = jn.Method
		}
		logger.Error("dropped a notification that could not be encoded", "method", method, "error", err)
		return nil, false
	}
	return raw, true
}
