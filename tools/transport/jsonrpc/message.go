package jsonrpc

import (
	"bytes"
	"encoding/json"

	"github.com/mark3labs/mcp-go/mcp"
)

// Kind is what an incoming line is.
type Kind int

// The kinds of incoming message.
const (
	// Blank is an empty line, which is skipped.
	Blank Kind = iota
	// Invalid is JSON that is not a JSON-RPC message; it gets an error response.
	Invalid
	// Unparsable is not JSON at all; it gets a parse error.
	Unparsable
	// Request has a method and an id, and is answered.
	Request
	// Notification has a method and no id, and is not answered.
	Notification
	// Response answers a request of ours; this server sends none, so it is ignored.
	Response
)

// Message is an incoming message, classified.
type Message struct {
	Kind Kind
	// ID is the request id as sent (Request, and Invalid when it had a usable id).
	ID json.RawMessage
	// Method is the request or notification method.
	Method string
	// Reason says what is wrong with an Invalid message.
	Reason string
	// CancelledID is params.requestId of a notifications/cancelled.
	CancelledID json.RawMessage
}

// envelope is the part of a JSON-RPC message a transport routes on.
type envelope struct {
	ID     json.RawMessage `json:"id"`
	Method string          `json:"method"`
	Result json.RawMessage `json:"result"`
	Error  json.RawMessage `json:"error"`
	Params struct {
		RequestID json.RawMessage `json:"requestId"`
	} `json:"params"`
}

// Classify says what one incoming line is.
func Classify(line []byte) Message {
	if len(bytes.TrimSpace(line)) == 0 {
		return Message{Kind: Blank}
	}
	var env envelope
	if json.Unmarshal(line, &env) != nil {
		return Message{Kind: Unparsable}
	}
	hasID := len(env.ID) > 0 && string(env.ID) != "null"
	switch {
	case hasID && env.Method != "":
		return Message{Kind: Request, ID: env.ID, Method: env.Method}
	case hasID && env.Result == nil && env.Error == nil:
		return Message{Kind: Invalid, ID: env.ID, Reason: "Invalid request: no method"}
	case hasID:
		return Message{Kind: Response, ID: env.ID}
	case env.Method != "":
		m := Message{Kind: Notification, Method: env.Method}
		if env.Method == string(mcp.MethodNotificationCancelled) {
			m.CancelledID = env.Params.RequestID
		}
		return m
	default:
		return Message{Kind: Invalid, Reason: "Invalid request"}
	}
}
