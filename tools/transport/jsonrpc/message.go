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
	// Unparsable is not JSON at all: -32700 Parse error.
	Unparsable
	// Invalid is JSON that is not a usable message: -32600 Invalid Request.
	Invalid
	// Request has a method and a usable id, and is answered.
	Request
	// Notification has a method and no id, and is not answered.
	Notification
	// Response answers a request of ours; this server sends none, so it is ignored.
	Response
)

// Message is an incoming message, classified.
type Message struct {
	Kind Kind
	// ID is the request's id; for Invalid, the id to answer with (zero when unusable).
	ID ID
	// Method is the request or notification method.
	Method string
	// Reason says what is wrong with an Invalid message.
	Reason string
	// Cancels is the request a notifications/cancelled names (zero when none is usable).
	Cancels ID
	// Params is the params member of a request or notification, as sent
	// (nil when absent), so a transport that routes on it decodes the
	// message once.
	Params json.RawMessage
}

// envelope is the part of a JSON-RPC message a transport routes on; raw
// fields tell a missing member from a null one.
type envelope struct {
	JSONRPC json.RawMessage `json:"jsonrpc"`
	ID      json.RawMessage `json:"id"`
	Method  json.RawMessage `json:"method"`
	Result  json.RawMessage `json:"result"`
	Error   json.RawMessage `json:"error"`
	Params  json.RawMessage `json:"params"`
}

// Classify says what one incoming line is.
func Classify(line []byte) Message {
	line = bytes.TrimSpace(line)
	switch {
	case len(line) == 0:
		return Message{Kind: Blank}
	case !json.Valid(line):
		return Message{Kind: Unparsable}
	case line[0] == '[':
		return invalid(ID{}, "batches are not supported (MCP removed them in 2025-06-18): send one message per line")
	case line[0] != '{':
		return invalid(ID{}, "not a JSON-RPC message: expected an object")
	}
	var env envelope
	if err := json.Unmarshal(line, &env); err != nil {
		return invalid(ID{}, "not a JSON-RPC message")
	}
	id, idErr := ParseID(env.ID)
	if string(env.JSONRPC) != `"2.0"` {
		return invalid(id, `jsonrpc must be "2.0"`)
	}
	if env.Method == nil {
		if env.ID != nil && (env.Result != nil || env.Error != nil) {
			return Message{Kind: Response, ID: id}
		}
		return invalid(id, "no method")
	}
	var method string
	if json.Unmarshal(env.Method, &method) != nil || method == "" {
		return invalid(id, "method must be a non-empty string")
	}
	if env.ID != nil {
		if idErr != nil {
			return invalid(ID{}, idErr.Error())
		}
		return Message{Kind: Request, ID: id, Method: method, Params: env.Params}
	}
	m := Message{Kind: Notification, Method: method, Params: env.Params}
	if method == string(mcp.MethodNotificationCancelled) {
		var params struct {
			RequestID json.RawMessage `json:"requestId"`
		}
		if json.Unmarshal(env.Params, &params) == nil {
			m.Cancels, _ = ParseID(params.RequestID)
		}
	}
	return m
}

func invalid(id ID, reason string) Message {
	return Message{Kind: Invalid, ID: id, Reason: "Invalid Request: " + reason}
}
