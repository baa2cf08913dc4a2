package preview

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/bctrlhq/bctrl-mcp/bctrl"
	"github.com/bctrlhq/bctrl-mcp/bctrl/bctrlsim"
	"github.com/bctrlhq/bctrl-mcp/tools/mcpserver"
	"github.com/bctrlhq/bctrl-mcp/tools/panel"
)

// newTestPage serves the preview handler on an httptest server, with the
// MCP server on a simulator.
func newTestPage(t *testing.T) *httptest.Server {
	t.Helper()
	page := httptest.NewUnstartedServer(nil)
	page.Config.Handler = newHandler(newTestServer(t), page.Listener.Addr().String())
	page.Start()
	t.Cleanup(page.Close)
	return page
}

// newTestServer is the MCP server as cmd builds it, on a simulator.
func newTestServer(t *testing.T) MessageHandler {
	t.Helper()
	sim := httptest.NewServer(bctrlsim.New(bctrlsim.Options{APIKey: bctrlsim.SeedAPIKey, Clock: &bctrlsim.RealClock{Speed: 50}}))
	t.Cleanup(sim.Close)
	srv, err := mcpserver.New(mcpserver.Config{Name: "bctrl-mcp", Version: "test", BaseURL: sim.URL, APIKey: bctrlsim.SeedAPIKey,
		DefaultSpaceID: bctrlsim.SeedSpaceID, DefaultRuntimeID: bctrlsim.SeedRuntimeID,
		Follow: bctrl.FollowOptions{Slice: bctrlsim.FollowSlice(time.Second, 50)}})
	if err != nil {
		t.Fatal(err)
	}
	return srv
}

func send(t *testing.T, method, url string, body string, header map[string]string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		if k == "Host" {
			req.Host = v
			continue
		}
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp, string(raw)
}

var jsonHeader = map[string]string{"Content-Type": "application/json"}

func TestPageAndViewAreServedUnderTheirPolicies(t *testing.T) {
	page := newTestPage(t)
	resp, body := send(t, "GET", page.URL+"/", "", nil)
	if resp.StatusCode != 200 || !strings.Contains(body, "/host.js") || resp.Header.Get("Content-Security-Policy") != hostCSP {
		t.Errorf("GET /: %d, CSP %q", resp.StatusCode, resp.Header.Get("Content-Security-Policy"))
	}
	resp, body = send(t, "GET", page.URL+"/view?uri="+panel.URI, "", nil)
	csp := resp.Header.Get("Content-Security-Policy")
	if resp.StatusCode != 200 || body != panel.HTML() || !strings.Contains(csp, "sandbox allow-scripts") || !strings.Contains(csp, "connect-src 'none'") {
		t.Errorf("GET /view: %d, %d bytes, CSP %q", resp.StatusCode, len(body), csp)
	}
	if resp, _ := send(t, "GET", page.URL+"/view?uri=ui://bctrl/nothing", "", nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("an unknown view answered %d, want 404", resp.StatusCode)
	}
	if resp, _ := send(t, "GET", page.URL+"/view?uri=file:///etc/passwd", "", nil); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("a non-ui:// view answered %d, want 400", resp.StatusCode)
	}
}

func TestRelayPassesToolCallsToTheServer(t *testing.T) {
	page := newTestPage(t)
	call := `{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"create_invocation","arguments":{"provider":"stagehand","input":{"instruction":"x sim:steps=1 sim:table"},"waitSeconds":10}}}`
	resp, body := send(t, "POST", page.URL+"/mcp", call, map[string]string{"Content-Type": "application/json", "Origin": page.URL})
	var msg struct {
		ID     int `json:"id"`
		Result struct {
			StructuredContent struct {
				Status string `json:"status"`
				Result struct {
					Steps []struct {
						Result []map[string]any `json:"result"`
					} `json:"steps"`
				} `json:"result"`
			} `json:"structuredContent"`
		} `json:"result"`
	}
	if err := json.Unmarshal([]byte(body), &msg); err != nil || resp.StatusCode != 200 {
		t.Fatalf("relay: %d %s", resp.StatusCode, body)
	}
	sc := msg.Result.StructuredContent
	if msg.ID != 7 || sc.Status != "succeeded" || len(sc.Result.Steps) != 1 || len(sc.Result.Steps[0].Result) == 0 {
		t.Errorf("relay answered %s", body)
	}
}

func TestRelayRefusesWhatAPageShouldNotSend(t *testing.T) {
	page := newTestPage(t)
	list := `{"jsonrpc":"2.0","id":1,"method":"tools/list"}`
	_, port, _ := net.SplitHostPort(page.Listener.Addr().String())
	tests := []struct {
		name, method, body string
		header             map[string]string
		status             int
		want               string
	}{
		{"GET", "GET", "", jsonHeader, http.StatusMethodNotAllowed, ""},
		{"form post", "POST", list, map[string]string{"Content-Type": "text/plain"}, http.StatusUnsupportedMediaType, ""},
		{"other site", "POST", list, map[string]string{"Content-Type": "application/json", "Origin": "https://evil.example"}, http.StatusForbidden, ""},
		{"rebound DNS name", "POST", list, map[string]string{"Content-Type": "application/json", "Host": "evil.example:" + port}, http.StatusMisdirectedRequest, ""},
		{"too large", "POST", `{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"x":"` + strings.Repeat("a", maxRelayBody) + `"}}`, jsonHeader, http.StatusRequestEntityTooLarge, ""},
		{"notification", "POST", `{"jsonrpc":"2.0","method":"notifications/initialized"}`, jsonHeader, http.StatusBadRequest, ""},
		{"null id", "POST", `{"jsonrpc":"2.0","id":null,"method":"tools/list"}`, jsonHeader, http.StatusBadRequest, ""},
		{"other method", "POST", `{"jsonrpc":"2.0","id":1,"method":"logging/setLevel","params":{"level":"debug"}}`, jsonHeader, http.StatusOK, `"id":1,"error":{"code":-32601`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := send(t, tt.method, page.URL+"/mcp", tt.body, tt.header)
			if resp.StatusCode != tt.status || !strings.Contains(body, tt.want) {
				t.Errorf("%d %.200q, want %d containing %q", resp.StatusCode, body, tt.status, tt.want)
			}
		})
	}
}

func TestCheckAddr(t *testing.T) {
	for addr, ok := range map[string]bool{
		"127.0.0.1:8788": true, "localhost:0": true, "[::1]:9000": true, "127.0.0.2:80": true,
		"0.0.0.0:8788": false, ":8788": false, "192.168.1.2:80": false, "example.com:80": false, "127.0.0.1": false,
	} {
		if err := CheckAddr(addr); (err == nil) != ok {
			t.Errorf("CheckAddr(%q) = %v, want ok=%v", addr, err, ok)
		}
	}
}

func TestServeStopsPromptlyWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	srv := newTestServer(t)
	go func() { done <- Serve(ctx, Options{Addr: "127.0.0.1:0", Server: srv, Speed: 10}) }()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Serve returned %v after cancel, want nil", err)
		}
	case <-time.After(shutdownGrace + 5*time.Second):
		t.Fatal("Serve did not return after its context ended")
	}
	if err := Serve(t.Context(), Options{Addr: "0.0.0.0:0", Server: srv}); err == nil || !strings.Contains(err.Error(), "only loopback") {
		t.Errorf("Serve on 0.0.0.0 returned %v, want a loopback error", err)
	}
}
