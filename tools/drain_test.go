package tools

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/bctrlhq/bctrl-mcp/bctrl"
	"github.com/bctrlhq/bctrl-mcp/bctrl/bctrlsim"
	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"
)

// TestDrainEndsWaitsWithTheCurrentState: closing Deps.Drain ends a 50-second
// wait on a never-ending invocation at once, with the invocation's current
// state and no error, as a wait that runs out does.
func TestDrainEndsWaitsWithTheCurrentState(t *testing.T) {
	sim := bctrlsim.New(bctrlsim.Options{APIKey: testKey, Clock: &bctrlsim.RealClock{Speed: 50}})
	api := httptest.NewServer(sim)
	t.Cleanup(api.Close)
	c, err := bctrl.NewClient(bctrl.WithBaseURL(api.URL), bctrl.WithAPIKey(testKey))
	if err != nil {
		t.Fatal(err)
	}
	drain := make(chan struct{})
	s, err := NewServer("bctrl-mcp", "test", Deps{API: c, DefaultSpaceID: testSpace, DefaultRuntimeID: testRuntime, Drain: drain,
		Follow: bctrl.FollowOptions{Slice: 20 * time.Millisecond}, Heartbeat: 40 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	mc, err := client.NewInProcessClient(s)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = mc.Close() })
	if err := mc.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	progressed := make(chan struct{}, 1)
	mc.OnNotification(func(n mcp.JSONRPCNotification) {
		if n.Method == "notifications/progress" {
			select {
			case progressed <- struct{}{}:
			default:
			}
		}
	})
	if _, err := mc.Initialize(t.Context(), mcp.InitializeRequest{}); err != nil {
		t.Fatal(err)
	}
	inv, err := c.CreateInvocation(t.Context(), testSpace, testRuntime, &bctrl.CreateInvocationRequest{Provider: bctrl.ProviderStagehand, Input: bctrl.Input{Instruction: "sim:hang"}})
	if err != nil {
		t.Fatal(err)
	}
	type answer struct {
		res *mcp.CallToolResult
		err error
	}
	answered := make(chan answer, 1)
	go func() {
		req := mcp.CallToolRequest{}
		req.Params.Name = "get_invocation"
		req.Params.Arguments = map[string]any{"invocationId": inv.ID, "waitSeconds": 50}
		req.Params.Meta = &mcp.Meta{ProgressToken: "drain"}
		res, err := mc.CallTool(context.WithoutCancel(t.Context()), req)
		answered <- answer{res, err}
	}()
	select {
	case <-progressed: // the wait is under way
	case <-time.After(10 * time.Second):
		t.Fatal("the wait reported no progress within 10 s")
	}
	close(drain)
	var got answer
	select {
	case got = <-answered:
	case <-time.After(20 * time.Second):
		t.Fatal("the 50 s wait was still running 20 s after the drain began")
	}
	if got.err != nil || got.res.IsError {
		t.Fatalf("drained wait: err %v, result %+v", got.err, got.res)
	}
	raw, _ := json.Marshal(got.res.StructuredContent)
	var out map[string]any
	_ = json.Unmarshal(raw, &out)
	if out["id"] != inv.ID || out["terminal"] != false || out["status"] == nil {
		t.Fatalf("drained wait did not answer with the current state: %v", got.res.StructuredContent)
	}
	if txt := text(got.res); txt == "" || strings.Contains(txt, "cancelled") {
		t.Errorf("drained wait reads as a cancellation: %q", txt)
	}
}
