package jsonrpc

import (
	"encoding/json"
	"fmt"
	"time"
)

// JSON-RPC error codes a transport answers with itself.
const (
	CodeParseError     = -32700
	CodeInvalidRequest = -32600
	CodeInternalError  = -32603
	// CodeServerBusy refuses a request for lack of room; see the package doc for why this number.
	CodeServerBusy = -31000
)

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

// BusyResponse refuses id because maxInFlight requests are running.
func BusyResponse(id ID, maxInFlight int) []byte {
	ms := BusyRetryAfter.Milliseconds()
	return ErrorResponse(id, CodeServerBusy,
		fmt.Sprintf("server busy: %d requests in flight; retry in %d ms", maxInFlight, ms),
		map[string]int64{"retryAfterMs": ms})
}
