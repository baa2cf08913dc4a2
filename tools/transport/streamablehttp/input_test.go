package streamablehttp

import (
	"net/http"
	"strings"
	"testing"
)

// TestBadInputGetsClearErrors: every malformed exchange gets an HTTP status
// and a JSON-RPC error saying what is wrong, and the server keeps serving.
func TestBadInputGetsClearErrors(t *testing.T) {
	ts := serve(t, newTestTools(), Options{MaxBodyBytes: 1024})
	url := ts.URL + "/mcp"
	list := `{"jsonrpc":"2.0","id":1,"method":"tools/list"}`
	tests := []struct {
		name    string
		body    string
		headers map[string]string
		status  int
		code    int
		says    string
	}{
		{"not JSON", `{"jsonrpc":"2.0","id":1,"method":`, nil, 400, -32700, "not JSON"},
		{"empty body", ``, nil, 400, -32700, "empty"},
		{"batch", `[` + list + `]`, nil, 400, -32600, "batches"},
		{"not an object", `42`, nil, 400, -32600, "object"},
		{"no jsonrpc", `{"id":1,"method":"tools/list"}`, nil, 400, -32600, "jsonrpc"},
		{"id not allowed", `{"jsonrpc":"2.0","id":{"a":1},"method":"tools/list"}`, nil, 400, -32600, "id"},
		{"text/plain", list, map[string]string{"Content-Type": "text/plain"}, 415, -32600, "application/json"},
		{"no content type", list, map[string]string{"Content-Type": ""}, 415, -32600, "application/json"},
		{"form", list, map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, 415, -32600, "application/json"},
		{"accepts neither answer type", list, map[string]string{"Accept": "image/png"}, 406, -32600, "Accept"},
		{"over the body limit", `{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"pad":"` + strings.Repeat("x", 2000) + `"}}`, nil, 413, -32600, "1024 bytes"},
		{"unsupported version header", list, map[string]string{"MCP-Protocol-Version": "1999-01-01"}, 400, -32022, "1999-01-01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := post(t, url, tt.body, tt.headers)
			if r.status != tt.status || len(r.messages) != 1 || r.last().Error == nil || r.last().Error.Code != tt.code || !strings.Contains(r.last().Error.Message, tt.says) {
				t.Errorf("got %d %s; want %d, code %d, saying %q", r.status, r.raw, tt.status, tt.code, tt.says)
			}
		})
	}
	// Still serving.
	if r := post(t, url, list, nil); r.status != 200 || r.last().Result == nil {
		t.Fatalf("after bad input: %d %s", r.status, r.raw)
	}
}

// TestJSONOnlyClientsGetJSON: a client that accepts only JSON gets the
// answer as JSON, without the notifications a stream would carry.
func TestJSONOnlyClientsGetJSON(t *testing.T) {
	ts := serve(t, newTestTools(), Options{})
	r := post(t, ts.URL+"/mcp", callBody("j", "progress", `{"n":5}`, false), map[string]string{"Accept": "application/json"})
	if r.status != 200 || r.sse || len(r.messages) != 1 || r.last().Result == nil {
		t.Fatalf("%d sse %v: %s", r.status, r.sse, r.raw)
	}
}

// TestUnknownPathsAndProbes: probes answer without credentials or Host
// checks; other paths are 404.
func TestUnknownPathsAndProbes(t *testing.T) {
	ts := serve(t, newTestTools(), Options{Auth: Auth{Mode: AuthToken, Token: "secret-token"}})
	for path, want := range map[string]int{"/healthz": 200, "/readyz": 200, "/": 404, "/mcp/x": 404} {
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, ts.URL+path, nil)
		req.Host = "evil.example.com"
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("%s: %d, want %d", path, resp.StatusCode, want)
		}
	}
}
