package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/bctrlhq/bctrl-mcp/cmd/internal/mcphttp"
)

// roundRobin is a reverse proxy that sends each request to the next
// backend in turn, and records which backend served which method.
type roundRobin struct {
	backends []*httputil.ReverseProxy
	mu       sync.Mutex
	next     int
	served   []string // "method@backend"
}

func newRoundRobin(t *testing.T, urls ...string) *roundRobin {
	rr := &roundRobin{}
	for _, raw := range urls {
		target, err := url.Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		rr.backends = append(rr.backends, &httputil.ReverseProxy{
			Rewrite: func(pr *httputil.ProxyRequest) {
				pr.SetURL(target)
				pr.Out.URL.Path = target.Path
				pr.Out.Host = pr.In.Host
			},
			FlushInterval: -1, // pass SSE events on as they come
		})
	}
	return rr
}

func (rr *roundRobin) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	var msg struct{ Method string }
	_ = json.Unmarshal(body, &msg)
	rr.mu.Lock()
	i := rr.next % len(rr.backends)
	rr.next++
	rr.served = append(rr.served, msg.Method+"@"+"AB"[i:i+1])
	rr.mu.Unlock()
	rr.backends[i].ServeHTTP(w, r)
}

// TestScaleOutBehindARoundRobinProxy runs two server processes behind a
// round-robin proxy in front of one simulator process: an invocation
// created through one instance is followed, waited on and cancelled
// through the other, a task created through one is read through the
// other, and a legacy client's initialize and calls land on both. Nothing
// depends on which instance answers.
func TestScaleOutBehindARoundRobinProxy(t *testing.T) {
	const apiKey, token = "bctrl_live_SCALEOUT_KEY", "scale-out-team-token-0123456789"
	sim, err := mcphttp.Start(append(os.Environ(), "BCTRL_API_KEY="+apiKey), regexp.MustCompile(`serving the bctrl invocations API on (http://\S+)`),
		30*time.Second, binPath, "sim", "--addr", "127.0.0.1:0", "--speed", "20")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sim.Kill)
	env := []string{"BCTRL_API_KEY=" + apiKey, "BCTRL_BASE_URL=" + sim.URL, "BCTRL_HTTP_TOKEN=" + token, "BCTRL_SIMULATE=false", "BCTRL_SPACE_ID=" + e2eSpace, "BCTRL_RUNTIME_ID=" + e2eRuntime}
	a := startHTTP(t, env, "--http-auth", "token")
	b := startHTTP(t, env, "--http-auth", "token")
	rr := newRoundRobin(t, a.URL, b.URL)
	proxy := httptest.NewServer(rr)
	t.Cleanup(proxy.Close)
	c := &mcphttp.Client{URL: proxy.URL + "/mcp", Header: http.Header{"Authorization": {"Bearer " + token}}}
	ctx := t.Context()
	must := func(r *mcphttp.Reply, err error) map[string]any {
		t.Helper()
		if err != nil || r.Result() == nil || r.Result()["isError"] == true {
			t.Fatalf("%v: %d %s", err, r.Status, r.Raw)
		}
		return r.Result()
	}
	content := func(res map[string]any) map[string]any { return res["structuredContent"].(map[string]any) }
	filler := func() { must(c.Request(ctx, mcphttp.Modern, "filler", "tools/list", nil, nil)) } // steers the next request to B

	created := content(must(c.Call(ctx, mcphttp.Modern, 1, "create_invocation", map[string]any{"provider": "stagehand", "input": map[string]any{"instruction": "sim:hang"}, "waitSeconds": 0}, nil)))
	id := created["id"]
	followed, err := c.Call(ctx, mcphttp.Modern, 2, "get_invocation", map[string]any{"invocationId": id, "waitSeconds": 1}, map[string]any{"progressToken": "follow"})
	if got := content(must(followed, err)); got["id"] != id || got["terminal"] != false || len(followed.Notifications("notifications/progress")) == 0 {
		t.Errorf("following through the other instance: %s", followed.Raw)
	}
	filler()
	if got := content(must(c.Call(ctx, mcphttp.Modern, 3, "cancel_invocation", map[string]any{"invocationId": id}, nil))); got["status"] != "cancelling" && got["status"] != "cancelled" {
		t.Errorf("cancel through the other instance: %v", got)
	}
	filler()
	if got := content(must(c.Call(ctx, mcphttp.Modern, 4, "get_invocation", map[string]any{"invocationId": id, "waitSeconds": 20}, nil))); got["status"] != "cancelled" {
		t.Errorf("waiting through the other instance for the cancellation: %v", got)
	}

	tasks := map[string]any{"io.modelcontextprotocol/clientCapabilities": map[string]any{"extensions": map[string]any{"io.modelcontextprotocol/tasks": map[string]any{}}}}
	task := must(c.Call(ctx, mcphttp.Modern, 5, "create_invocation", map[string]any{"provider": "stagehand", "input": map[string]any{"instruction": "sim:steps=2"}}, tasks))
	if task["resultType"] != "task" || task["taskId"] == nil {
		t.Fatalf("task: %v", task)
	}
	read := must(c.Request(ctx, mcphttp.Modern, 6, "tasks/get", map[string]any{"taskId": task["taskId"]}, tasks))
	if read["taskId"] != task["taskId"] || read["status"] == nil {
		t.Errorf("reading the task through the other instance: %v", read)
	}

	legacy := must(c.Request(ctx, "", 7, "initialize", map[string]any{"protocolVersion": mcphttp.Legacy, "capabilities": map[string]any{}, "clientInfo": map[string]any{"name": "t", "version": "1"}}, nil))
	if legacy["protocolVersion"] != mcphttp.Legacy {
		t.Errorf("legacy initialize: %v", legacy)
	}
	if got := content(must(c.Call(ctx, mcphttp.Legacy, 8, "get_invocation", map[string]any{"invocationId": id}, nil))); got["status"] != "cancelled" {
		t.Errorf("legacy call through the other instance: %v", got)
	}

	want := []string{"tools/call@A", "tools/call@B", "tools/list@A", "tools/call@B", "tools/list@A", "tools/call@B", "tools/call@A", "tasks/get@B", "initialize@A", "tools/call@B"}
	rr.mu.Lock()
	served := rr.served
	rr.mu.Unlock()
	if len(served) != len(want) {
		t.Fatalf("proxy served %v", served)
	}
	for i := range want {
		if served[i] != want[i] {
			t.Errorf("request %d: %s, want %s", i, served[i], want[i])
		}
	}
	for name, p := range map[string]*mcphttp.Process{"A": a, "B": b} {
		if err := p.Terminate(); err != nil {
			t.Fatal(err)
		}
		if err := p.Wait(10 * time.Second); err != nil {
			t.Errorf("instance %s: %v\n%s", name, err, p.Stderr())
		}
	}
}
