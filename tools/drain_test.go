package tools

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
)

// TestDrainEndsWaitsWithTheCurrentState: closing Deps.Drain ends a 50-second
// wait on a never-ending invocation at once, with the invocation's current
// state and no error, as a wait that runs out does.
func TestDrainEndsWaitsWithTheCurrentState(t *testing.T) {
	drain := make(chan struct{})
	h := newHarnessDeps(t, nil, false, func(d *Deps) { d.Drain, d.Heartbeat = drain, 40*time.Millisecond })
	inv := h.output(h.call("create_invocation", stagehand("sim:hang", 0))).Invocation
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
		res, err := h.client.CallTool(context.WithoutCancel(t.Context()), req)
		answered <- answer{res, err}
	}()
	h.waitFor("progress of the wait", func() bool { return len(h.progress("drain")) > 0 })
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
