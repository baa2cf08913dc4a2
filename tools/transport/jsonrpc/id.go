package jsonrpc

import (
	"bytes"
	"encoding/json"
	"errors"
)

// ID is a request id as the client sent it. The zero ID stands for "no
// usable id" and is written as null.
type ID struct {
	raw json.RawMessage // the JSON text as sent
	key string          // what it is tracked under: "s"+string or "n"+integer
}

// errBadID says what an MCP request id may be.
var errBadID = errors.New("a request id must be a string or an integer")

// ParseID accepts a JSON string or integer, the ids MCP allows.
func ParseID(raw json.RawMessage) (ID, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return ID{}, errBadID
	}
	switch c := raw[0]; {
	case c == '"':
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return ID{}, errBadID
		}
		return ID{raw: raw, key: "s" + s}, nil
	case c == '-' || c >= '0' && c <= '9':
		if !json.Valid(raw) || bytes.ContainsAny(raw, ".eE") {
			return ID{}, errBadID
		}
		// JSON allows no leading zeros, so an integer's digits are its
		// canonical form; only -0 and 0 need merging.
		digits := string(raw)
		if digits == "-0" {
			digits = "0"
		}
		return ID{raw: raw, key: "n" + digits}, nil
	default:
		return ID{}, errBadID
	}
}

// IsZero reports whether id is the zero ID (no usable id).
func (id ID) IsZero() bool { return id.key == "" }

// JSON is the id as sent, or null for the zero ID.
func (id ID) JSON() json.RawMessage {
	if id.IsZero() {
		return json.RawMessage("null")
	}
	return id.raw
}

// Key is the id's identity: equal for ids JSON-RPC treats as the same
// request ("a\u0062" and "ab"; -0 and 0), different for "7" and 7. A
// transport that keeps its own record of requests keys it by this.
func (id ID) Key() string { return id.key }

// String is the id as sent, for messages.
func (id ID) String() string { return string(id.JSON()) }
