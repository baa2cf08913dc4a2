package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/bctrlhq/bctrl-mcp/bctrl/bctrlsim"
	"github.com/bctrlhq/bctrl-mcp/cmd/internal/mcphttp"
)

// servingHTTP is the log line that says where the server listens.
var servingHTTP = regexp.MustCompile(`msg="serving MCP over Streamable HTTP" url=(http://\S+)`)

// startHTTP runs the binary serving Streamable HTTP on a free loopback port.
func startHTTP(t *testing.T, env []string, args ...string) *mcphttp.Process {
	t.Helper()
	p, err := mcphttp.Start(append(os.Environ(), env...), servingHTTP, 30*time.Second, binPath, append([]string{"--http", "127.0.0.1:0"}, args...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Kill)
	return p
}

// TestHTTPConfigurationRefusals: unsafe or unworkable HTTP settings stop
// the command at start with exit code 2 and a one-line reason.
func TestHTTPConfigurationRefusals(t *testing.T) {
	const token = "0123456789abcdef0123"
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"no auth on all interfaces", []string{"--http", ":8080"}, map[string]string{"BCTRL_SIMULATE": "1"}, "not a loopback address"},
		{"no auth on a LAN address", []string{"--http", "10.1.2.3:8080"}, map[string]string{"BCTRL_SIMULATE": "1"}, "refusing to serve without auth"},
		{"env twin", nil, map[string]string{"BCTRL_SIMULATE": "1", "BCTRL_HTTP_ADDR": "0.0.0.0:8080"}, "refusing to serve without auth"},
		{"token without BCTRL_HTTP_TOKEN", []string{"--http", ":8080", "--http-auth", "token"}, map[string]string{"BCTRL_SIMULATE": "1"}, "needs BCTRL_HTTP_TOKEN"},
		{"short token", []string{"--http", ":8080", "--http-auth", "token"}, map[string]string{"BCTRL_SIMULATE": "1", "BCTRL_HTTP_TOKEN": "short"}, "at least 16"},
		{"token without an API key", []string{"--http", ":8080", "--http-auth", "token"}, map[string]string{"BCTRL_HTTP_TOKEN": token}, "BCTRL_API_KEY is not set"},
		{"token set but not checked", []string{"--http", "127.0.0.1:8080"}, map[string]string{"BCTRL_SIMULATE": "1", "BCTRL_HTTP_TOKEN": token}, "would not be checked"},
		{"passthrough with a server key", []string{"--http", ":8080", "--http-auth", "passthrough"}, map[string]string{"BCTRL_API_KEY": "bctrl_x"}, "unset it"},
		{"passthrough with a default space", []string{"--http", ":8080", "--http-auth", "passthrough"}, map[string]string{"BCTRL_SPACE_ID": e2eSpace}, "belong to one account"},
		{"passthrough with a default runtime", []string{"--http", ":8080", "--http-auth", "passthrough", "--runtime-id", e2eRuntime}, nil, "belong to one account"},
		{"unknown auth", []string{"--http", "127.0.0.1:8080", "--http-auth", "oauth"}, map[string]string{"BCTRL_SIMULATE": "1"}, "use none, token or passthrough"},
		{"bad address", []string{"--http", "8080"}, map[string]string{"BCTRL_SIMULATE": "1"}, "host:port"},
		{"bad body limit", []string{"--http", "127.0.0.1:0", "--http-max-body", "lots"}, map[string]string{"BCTRL_SIMULATE": "1"}, "BCTRL_HTTP_MAX_BODY"},
		{"bad in-flight limit", []string{"--http", "127.0.0.1:0"}, map[string]string{"BCTRL_SIMULATE": "1", "BCTRL_HTTP_MAX_IN_FLIGHT": "0"}, "BCTRL_HTTP_MAX_IN_FLIGHT"},
		{"any origin without auth", []string{"--http", "127.0.0.1:0", "--http-allowed-origins", "https://a.example.com, *"}, map[string]string{"BCTRL_SIMULATE": "1"}, "DNS-rebinding"},
		{"bad origin", []string{"--http", "127.0.0.1:0", "--http-allowed-origins", "mcp.example.com"}, map[string]string{"BCTRL_SIMULATE": "1"}, "is not an origin"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(t.Context(), tt.args, strings.NewReader(""), &stdout, &stderr, env(tt.env))
			if code != exitUsage || !strings.Contains(stderr.String(), tt.want) || stdout.Len() != 0 {
				t.Errorf("code %d, stderr %q", code, stderr.String())
			}
		})
	}
}

// TestHTTPSIGTERMDrains: SIGTERM ends a 50-second wait at once with the
// invocation's current state, written to its stream, and the process exits
// cleanly well within 10 s.
func TestHTTPSIGTERMDrains(t *testing.T) {
	p := startHTTP(t, []string{"BCTRL_SIMULATE=true", "BCTRL_SIM_SPEED=20"})
	c := &mcphttp.Client{URL: p.URL}
	created, err := c.Call(t.Context(), mcphttp.Modern, 1, "create_invocation", map[string]any{"provider": "stagehand", "input": map[string]any{"instruction": "sim:hang"}, "waitSeconds": 0}, nil)
	if err != nil || created.Result() == nil {
		t.Fatalf("create: %v %s", err, created.Raw)
	}
	id := created.Result()["structuredContent"].(map[string]any)["id"]
	// The wait streams; once its first progress is out, the process is told to stop.
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	progressed := make(chan struct{}, 1)
	waited := make(chan *mcphttp.Reply, 1)
	go func() {
		r, err := c.RequestEach(ctx, mcphttp.Modern, 2, "tools/call", map[string]any{"name": "get_invocation", "arguments": map[string]any{"invocationId": id, "waitSeconds": 50}},
			map[string]any{"progressToken": "w"}, func(m map[string]any) {
				if m["method"] == "notifications/progress" {
					select {
					case progressed <- struct{}{}:
					default:
					}
				}
			})
		if err != nil {
			t.Error(err)
		}
		waited <- r
	}()
	select {
	case <-progressed:
	case <-time.After(20 * time.Second):
		t.Fatalf("the wait streamed no progress within 20 s:\n%s", p.Stderr())
	}
	start := time.Now()
	if err := p.Terminate(); err != nil {
		t.Fatal(err)
	}
	var r *mcphttp.Reply
	select {
	case r = <-waited:
	case <-time.After(15 * time.Second):
		t.Fatalf("the wait was not answered within 15 s of SIGTERM:\n%s", p.Stderr())
	}
	if err := p.Wait(10 * time.Second); err != nil {
		t.Fatalf("exit after SIGTERM: %v\n%s", err, p.Stderr())
	}
	res := r.Result()
	if res == nil || res["isError"] == true {
		t.Fatalf("drained wait: %s", r.Raw)
	}
	out := res["structuredContent"].(map[string]any)
	if out["id"] != id || out["terminal"] != false {
		t.Errorf("drained wait: %v", out)
	}
	t.Logf("answered and exited %s after SIGTERM", time.Since(start).Round(time.Millisecond))
}

// waitLog waits until the process has logged text.
func waitLog(t *testing.T, p *mcphttp.Process, text, what string) {
	t.Helper()
	if err := p.WaitStderr(text, 20*time.Second); err != nil {
		t.Fatalf("waiting for the %s: %v", what, err)
	}
}

// TestHTTPPassthrough: each caller's own key is used for its requests
// only; a request without one is 401; the key never appears in the logs.
func TestHTTPPassthrough(t *testing.T) {
	const userKey = "bctrl_live_PASSTHROUGH_USER_KEY_42"
	sim := bctrlsim.New(bctrlsim.Options{APIKey: userKey, Clock: &bctrlsim.RealClock{Speed: 50}})
	api := httptest.NewServer(sim)
	t.Cleanup(api.Close)
	p := startHTTP(t, []string{"BCTRL_BASE_URL=" + api.URL, "BCTRL_LOG_LEVEL=debug", "BCTRL_API_KEY="}, "--http-auth", "passthrough")
	args := map[string]any{"provider": "stagehand", "input": map[string]any{"instruction": "sim:steps=2"}, "spaceId": e2eSpace, "runtimeId": e2eRuntime, "waitSeconds": 10}

	anonymous := &mcphttp.Client{URL: p.URL}
	r, err := anonymous.Call(t.Context(), mcphttp.Modern, 1, "create_invocation", args, nil)
	if err != nil || r.Status != http.StatusUnauthorized || !strings.HasPrefix(r.Header.Get("WWW-Authenticate"), "Bearer") {
		t.Fatalf("without a key: %v %d %q", err, r.Status, r.Header.Get("WWW-Authenticate"))
	}
	wrong := &mcphttp.Client{URL: p.URL, Header: http.Header{"Authorization": {"Bearer bctrl_someone_else"}}}
	if r, err := wrong.Call(t.Context(), mcphttp.Modern, 2, "create_invocation", args, nil); err != nil || r.Result()["isError"] != true || !strings.Contains(string(r.Raw), "401") {
		t.Fatalf("with another key, bctrl must refuse: %v %s", err, r.Raw)
	}
	user := &mcphttp.Client{URL: p.URL, Header: http.Header{"Authorization": {"Bearer " + userKey}}}
	r, err = user.Call(t.Context(), mcphttp.Modern, 3, "create_invocation", args, nil)
	if err != nil || r.Result() == nil || r.Result()["isError"] == true {
		t.Fatalf("with the user's key: %v %s", err, r.Raw)
	}
	if status := r.Result()["structuredContent"].(map[string]any)["status"]; status != "succeeded" {
		t.Errorf("status %v", status)
	}
	// A tool call without spaceId is told to name it: there are no server-wide defaults.
	delete(args, "spaceId")
	if r, _ := user.Call(t.Context(), mcphttp.Modern, 4, "create_invocation", args, nil); !strings.Contains(string(r.Raw), "spaceId") {
		t.Errorf("without spaceId: %s", r.Raw)
	}
	if err := p.Terminate(); err != nil {
		t.Fatal(err)
	}
	if err := p.Wait(10 * time.Second); err != nil {
		t.Fatalf("exit: %v", err)
	}
	if strings.Contains(p.Stderr(), userKey) || strings.Contains(p.Stderr(), "bctrl_someone_else") {
		t.Errorf("a key appears in the log:\n%s", p.Stderr())
	}
}
