package jsonrpc

import "testing"

func TestClassify(t *testing.T) {
	tests := []struct {
		line   string
		kind   Kind
		id     string // the id a response would carry
		method string
	}{
		{"   ", Blank, "null", ""},
		{`{"jsonrpc":"2.0","id":1,"method":`, Unparsable, "null", ""},
		{`[]`, Invalid, "null", ""},
		{`[{"jsonrpc":"2.0","id":1,"method":"ping"}]`, Invalid, "null", ""},
		{`7`, Invalid, "null", ""},
		{`null`, Invalid, "null", ""},
		{`{"id":1,"method":"ping"}`, Invalid, "1", ""},
		{`{"jsonrpc":"1.0","id":1,"method":"ping"}`, Invalid, "1", ""},
		{`{"jsonrpc":"2.0","id":1}`, Invalid, "1", ""},
		{`{"jsonrpc":"2.0","id":1,"method":""}`, Invalid, "1", ""},
		{`{"jsonrpc":"2.0","id":1,"method":["ping"]}`, Invalid, "1", ""},
		{`{"jsonrpc":"2.0","id":null,"method":"ping"}`, Invalid, "null", ""},
		{`{"jsonrpc":"2.0","id":true,"method":"ping"}`, Invalid, "null", ""},
		{`{"jsonrpc":"2.0","id":{"a":1},"method":"ping"}`, Invalid, "null", ""},
		{`{"jsonrpc":"2.0","id":2.5,"method":"ping"}`, Invalid, "null", ""},
		{`{"jsonrpc":"2.0","id":1e3,"method":"ping"}`, Invalid, "null", ""},
		{`{"jsonrpc":"2.0","id":123456789012345678901234567890,"method":"ping"}`, Request, "123456789012345678901234567890", "ping"},
		{`{"jsonrpc":"2.0","id":"a\u0062","method":"ping"}`, Request, `"a\u0062"`, "ping"},
		{`{"jsonrpc":"2.0","method":"notifications/initialized"}`, Notification, "null", "notifications/initialized"},
		{`{"jsonrpc":"2.0","id":"x","result":{}}`, Response, `"x"`, ""},
		{`{"jsonrpc":"2.0","id":null,"error":{"code":1,"message":"m"}}`, Response, "null", ""},
	}
	for _, tt := range tests {
		m := Classify([]byte(tt.line))
		if m.Kind != tt.kind || m.ID.String() != tt.id || m.Method != tt.method {
			t.Errorf("%s: kind %d id %s method %q, want %d %s %q", tt.line, m.Kind, m.ID, m.Method, tt.kind, tt.id, tt.method)
		}
		if m.Kind == Invalid && m.Reason == "" {
			t.Errorf("%s: invalid without a reason", tt.line)
		}
	}
}

func TestClassifyCancelled(t *testing.T) {
	for line, want := range map[string]string{
		`{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":"7"}}`:  `"7"`,
		`{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":7}}`:    `7`,
		`{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":null}}`: `null`,
		`{"jsonrpc":"2.0","method":"notifications/cancelled"}`:                             `null`,
	} {
		m := Classify([]byte(line))
		if m.Kind != Notification || m.Cancels.String() != want {
			t.Errorf("%s: kind %d cancels %s, want %s", line, m.Kind, m.Cancels, want)
		}
	}
}

// TestClassifyKeepsParams: a request's and a notification's params come
// back as sent, so that a transport does not decode the line again.
func TestClassifyKeepsParams(t *testing.T) {
	for line, want := range map[string]string{
		`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"x","arguments":{"a":[1, 2]}}}`: `{"name":"x","arguments":{"a":[1, 2]}}`,
		`{"jsonrpc":"2.0","method":"notifications/progress","params":{"progress":1}}`:                   `{"progress":1}`,
		`{"jsonrpc":"2.0","id":1,"method":"ping"}`:                                                      ``,
	} {
		if m := Classify([]byte(line)); string(m.Params) != want {
			t.Errorf("%s: params %s, want %s", line, m.Params, want)
		}
	}
}
