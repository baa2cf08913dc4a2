package jsonrpc

import "encoding/json"

// IDKey is the key a request id is tracked under: 7 and 7.0 (or spaced JSON) are the same key.
func IDKey(id json.RawMessage) string {
	var v any
	if json.Unmarshal(id, &v) != nil {
		return string(id)
	}
	raw, _ := json.Marshal(v)
	return string(raw)
}
