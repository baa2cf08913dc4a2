package jsonrpc

import (
	"encoding/json"
	"fmt"
	"time"
)

// CodeServerBusy refuses a request for lack of room; see the package doc
// for why this number. The standard codes are mcp-go's (mcp.PARSE_ERROR,
// mcp.INVALID_REQUEST, …); this one is ours.
const CodeServerBusy = -31000

// BusyRetryAfter is the retry hint of a busy answer: about one heartbeat
// of the long waits that fill the slots.
const BusyRetryAfter = 5 * time.Second

// ErrorResponse encodes a JSON-RPC error response to id (null for the zero
// ID), with data when it is not nil.
func ErrorResponse(id ID, code int, message string, data any) []byte {
	type details struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
		Data    any    `json:"data,omitempty"`
	}
	raw, err := json.Marshal(struct {
		JSONRPC string          `json:"jsonrpc"`
		ID      json.RawMessage `json:"id"`
		Error   details         `json:"error"`
	}{"2.0", id.JSON(), details{code, message, data}})
	if err != nil { // data that cannot be encoded: answer without it
		return ErrorResponse(id, code, message, nil)
	}
	return raw
}

// Busy is the message and data of an answer refusing a request for lack
// of room, because of reason: the retry hint is added to both.
func Busy(reason string) (message string, data any) {
	ms := BusyRetryAfter.Milliseconds()
	return fmt.Sprintf("%s; retry in %d ms", reason, ms), map[string]int64{"retryAfterMs": ms}
}

// BusyResponse refuses id for lack of room, because of reason.
func BusyResponse(id ID, reason string) []byte {
	message, data := Busy(reason)
	return ErrorResponse(id, CodeServerBusy, message, data)
}
