package streamablehttp

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

func TestAuthModes(t *testing.T) {
	call := callBody("w", "whoami", `{}`, false)
	t.Run("token", func(t *testing.T) {
		var logs logBuffer
		ts := serve(t, newTestTools(), Options{Auth: Auth{Mode: AuthToken, Token: "team-token-123"}, Logger: logs.logger()})
		for name, c := range map[string]struct {
			header    string
			status    int
			challenge string
		}{
			"no header":     {"", 401, `Bearer realm="mcp"`},
			"not bearer":    {"Basic dGVhbTp0b2tlbg==", 401, `Bearer realm="mcp"`},
			"wrong token":   {"Bearer team-token-124", 401, `error="invalid_token"`},
			"prefix only":   {"Bearer team-token", 401, `error="invalid_token"`},
			"right token":   {"Bearer team-token-123", 200, ""},
			"scheme casing": {"bearer team-token-123", 200, ""},
		} {
			r := post(t, ts.URL+"/mcp", call, map[string]string{"Authorization": c.header})
			if r.status != c.status || !strings.Contains(r.header.Get("WWW-Authenticate"), c.challenge) {
				t.Errorf("%s: %d, WWW-Authenticate %q: %s", name, r.status, r.header.Get("WWW-Authenticate"), r.raw)
			}
			if c.status == 401 && (r.last().Error == nil || !strings.Contains(r.last().Error.Message, "Unauthorized")) {
				t.Errorf("%s: no JSON-RPC error: %s", name, r.raw)
			}
		}
		if strings.Contains(logs.String(), "team-token") {
			t.Error("the access log contains the token")
		}
	})
	t.Run("passthrough", func(t *testing.T) {
		var logs logBuffer
		tt := newTestTools()
		ts := serve(t, tt, Options{Auth: Auth{Mode: AuthPassthrough}, Logger: logs.logger()})
		if r := post(t, ts.URL+"/mcp", call, nil); r.status != 401 || r.header.Get("WWW-Authenticate") != `Bearer realm="mcp"` {
			t.Errorf("no key: %d %q", r.status, r.header.Get("WWW-Authenticate"))
		}
		for _, key := range []string{"bctrl_user_one", "bctrl_user_two"} {
			if r := post(t, ts.URL+"/mcp", call, map[string]string{"Authorization": "Bearer " + key}); r.status != 200 || r.last().Result == nil {
				t.Errorf("%s: %d %s", key, r.status, r.raw)
			}
		}
		tt.mu.Lock()
		got := fmt.Sprint(tt.creds)
		tt.mu.Unlock()
		if got != "[bctrl_user_one bctrl_user_two]" {
			t.Errorf("the handlers saw %s", got)
		}
		if strings.Contains(logs.String(), "bctrl_user") || !strings.Contains(logs.String(), `"caller":"key:`) {
			t.Errorf("access log: %s", logs.String())
		}
	})
	t.Run("none", func(t *testing.T) {
		ts := serve(t, newTestTools(), Options{})
		if r := post(t, ts.URL+"/mcp", call, nil); r.status != 200 {
			t.Errorf("%d %s", r.status, r.raw)
		}
	})
	t.Run("misconfigured", func(t *testing.T) {
		for _, a := range []Auth{{Mode: AuthToken}, {Mode: AuthPassthrough}, {Mode: 9}} {
			if _, err := New(newTestTools(), Options{Auth: a}); err == nil {
				t.Errorf("%+v accepted", a)
			}
		}
	})
}

// TestHostAndOriginAllowList: DNS-rebinding protection.
func TestHostAndOriginAllowList(t *testing.T) {
	ts := serve(t, newTestTools(), Options{AllowedOrigins: []string{"https://mcp.example.com"}})
	list := `{"jsonrpc":"2.0","id":1,"method":"tools/list"}`
	port := ts.URL[strings.LastIndex(ts.URL, ":")+1:]
	tests := []struct {
		host, origin string
		status       int
	}{
		{"", "", 200},
		{"localhost:" + port, "http://localhost:" + port, 200},
		{"[::1]:" + port, "http://[::1]:5173", 200},
		{"mcp.example.com", "https://mcp.example.com", 200},
		{"mcp.example.com:443", "https://mcp.example.com:443", 200},
		{"evil.example.com", "", 403},
		{"evil.example.com:" + port, "http://evil.example.com:" + port, 403},
		{"127.0.0.1:" + port, "http://evil.example.com", 403},
		{"127.0.0.1:" + port, "http://mcp.example.com", 403}, // scheme differs
		{"127.0.0.1:" + port, "https://mcp.example.com:8443", 403},
		{"127.0.0.1:" + port, "null", 403},
	}
	for _, tt := range tests {
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, ts.URL+"/mcp", strings.NewReader(list))
		req.Header.Set("Content-Type", "application/json")
		if tt.host != "" {
			req.Host = tt.host
		}
		if tt.origin != "" {
			req.Header.Set("Origin", tt.origin)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		if resp.StatusCode != tt.status {
			t.Errorf("Host %q Origin %q: %d, want %d", tt.host, tt.origin, resp.StatusCode, tt.status)
		}
	}
	if _, err := New(newTestTools(), Options{AllowedOrigins: []string{"mcp.example.com"}}); err == nil {
		t.Error("an origin without a scheme was accepted")
	}
}
