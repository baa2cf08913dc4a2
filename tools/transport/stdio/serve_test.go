package stdio_test

import (
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/bctrlhq/bctrl-mcp/bctrl"
	"github.com/bctrlhq/bctrl-mcp/bctrl/bctrlsim"
	"github.com/bctrlhq/bctrl-mcp/tools"
	"github.com/bctrlhq/bctrl-mcp/tools/transport/jsonrpc"
	"github.com/bctrlhq/bctrl-mcp/tools/transport/stdio"
	"github.com/mark3labs/mcp-go/server"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const (
	key     = "k"
	space   = "6f1c2a8e-0d4b-4c3e-9b7a-1e2f3a4b5c6d"
	runtime = "7a2b3c4d-5e6f-4a1b-8c9d-0e1f2a3b4c5d"
)

func newServer(t testing.TB) *server.MCPServer {
	t.Helper()
	s, _ := newStack(t, &bctrlsim.RealClock{Speed: 200})
	return s
}

// newStack is the tools server against a simulator on loopback, and the simulator's URL.
func newStack(t testing.TB, clock bctrlsim.Clock) (*server.MCPServer, string) {
	t.Helper()
	sim := httptest.NewServer(bctrlsim.New(bctrlsim.Options{APIKey: key, Clock: clock}))
	t.Cleanup(sim.Close)
	c, err := bctrl.NewClient(bctrl.WithBaseURL(sim.URL), bctrl.WithAPIKey(key))
	if err != nil {
		t.Fatal(err)
	}
	s, err := tools.NewServer("bctrl-mcp", "test", tools.Deps{API: c, DefaultSpaceID: space, DefaultRuntimeID: runtime,
		Follow: bctrl.FollowOptions{Slice: 5 * time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	return s, sim.URL
}

// session runs Serve on pipes, feeds it with input, and returns every
// message it wrote once the input has ended and Serve has returned.
func session(t *testing.T, s jsonrpc.Server, input func(send func(string), next func() map[string]any)) []map[string]any {
	t.Helper()
	w := startWire(t, s, stdio.Options{})
	input(w.send, w.next)
	return w.end()
}

func initialize(send func(string), next func() map[string]any) {
	send(`{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"pipe","version":"1"}}}`)
	next()
	send(`{"jsonrpc":"2.0","method":"notifications/initialized"}`)
	send(`{"jsonrpc":"2.0","id":"lvl","method":"logging/setLevel","params":{"level":"info"}}`)
	next()
}

// TestNoNotificationAfterItsResponse is the wire-order proof: over real
// pipes, no progress or log notification of a call may follow the call's
// response. mcp-go's own stdio transport fails this (see the package doc).
func TestNoNotificationAfterItsResponse(t *testing.T) {
	const runs = 50
	s := newServer(t)
	for run := range runs {
		lines := session(t, s, func(send func(string), next func() map[string]any) {
			initialize(send, next)
			send(fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,"method":"tools/call","params":{"name":"create_invocation","arguments":{"provider":"stagehand","input":{"instruction":"sim:steps=3"},"waitSeconds":20},"_meta":{"progressToken":"p%d"}}}`, run+1, run))
			// Read up to the response, then end input: whatever the server still
			// writes before it exits is collected and checked too.
			for m := next(); rawID(m) != fmt.Sprint(run+1); m = next() {
			}
		})
		responded, progress := false, 0
		for _, m := range lines {
			if rawID(m) == fmt.Sprint(run+1) {
				responded = true
				if !strings.Contains(fmt.Sprint(m["result"]), "succeeded") {
					t.Fatalf("run %d: result %v", run, m)
				}
				continue
			}
			if m["method"] == "notifications/progress" || m["method"] == "notifications/message" {
				if responded {
					t.Fatalf("run %d: %v written after the response", run, m)
				}
				progress++
			}
		}
		if !responded || progress < 3 {
			t.Fatalf("run %d: responded=%v with %d notifications before", run, responded, progress)
		}
	}
}

func TestGarbageKeepsTheServerServing(t *testing.T) {
	s := newServer(t)
	lines := session(t, s, func(send func(string), next func() map[string]any) {
		initialize(send, next)
		for _, junk := range []string{"not json", `{"jsonrpc":"2.0","id":5,"method":`, `[1,2,3]`, `{"jsonrpc":"2.0","id":6}`, strings.Repeat("x", 1<<20)} {
			send(junk)
			if m := next(); m["error"] == nil {
				t.Errorf("junk %.20q answered %v", junk, m)
			}
		}
		send(`{"jsonrpc":"2.0","id":7,"method":"no/such/method"}`)
		if m := next(); m["error"] == nil {
			t.Errorf("unknown method answered %v", m)
		}
		send(`{"jsonrpc":"2.0","id":8,"method":"tools/list"}`)
		if m := next(); m["result"] == nil {
			t.Errorf("tools/list after junk: %v", m)
		}
	})
	if len(lines) < 8 {
		t.Fatalf("only %d lines", len(lines))
	}
}

func TestInvalidUTF8ArgumentsAreRejected(t *testing.T) {
	s := newServer(t)
	var answer map[string]any
	session(t, s, func(send func(string), next func() map[string]any) {
		initialize(send, next)
		send("{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"tools/call\",\"params\":{\"name\":\"create_invocation\",\"arguments\":{\"provider\":\"stagehand\",\"input\":{\"instruction\":\"caf\xe9 \xff\"}}}}")
		answer = next()
	})
	result, _ := answer["result"].(map[string]any)
	if result["isError"] != true || !strings.Contains(fmt.Sprint(result["content"]), "invalid UTF-8") {
		t.Fatalf("answer %v", answer)
	}
}
