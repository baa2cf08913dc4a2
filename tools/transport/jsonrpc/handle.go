package jsonrpc

import (
	"context"
	"encoding/json"
	"log/slog"
)

// Handle runs one message through srv and returns the encoded response, or
// nil when there is none. A panic becomes an internal error response (for a
// request) and is logged.
func Handle(ctx context.Context, srv Server, id json.RawMessage, line []byte, logger *slog.Logger) (out []byte) {
	defer func() {
		if r := recover(); r != nil {
			logger.Error("handler panicked", "panic", r)
			if id != nil {
				out = ErrorResponse(id, CodeInternalError, "internal error")
			}
		}
	}()
	resp := srv.HandleMessage(ctx, line)
	if resp == nil {
		return nil
	}
	raw, err := json.Marshal(resp)
	if err != nil {
		logger.Error("encode response", "error", err)
		return ErrorResponse(id, CodeInternalError, "internal error: could not encode the response")
	}
	return raw
}
