package tools

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/bctrlhq/bctrl-mcp/bctrl/bctrlsim"
	"github.com/mark3labs/mcp-go/mcp"
)

// TestTaskCreateAndToolCreateShareTheRetryMemory: a create started as a
// task (Invocations.StartCreate) whose client gives up after bctrl took it,
// retried as an ordinary tool call, reuses its idempotency key, so bctrl
// starts one invocation, not two.
func TestTaskCreateAndToolCreateShareTheRetryMemory(t *testing.T) {
	sim := bctrlsim.New(bctrlsim.Options{APIKey: testKey, Clock: &bctrlsim.RealClock{Speed: 50}})
	ctx, giveUp := context.WithCancel(t.Context())
	defer giveUp()
	var once sync.Once
	// The first create reaches bctrl, and its client gives up before the answer arrives.
	api := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sim.ServeHTTP(w, r)
		if r.Method == http.MethodPost {
			once.Do(giveUp)
		}
	})
	h := newHarness(t, api, false)
	args := map[string]any{"provider": "stagehand", "input": map[string]any{"instruction": "Book a table sim:hang"}}

	req := mcp.CallToolRequest{}
	req.Params.Name = "create_invocation"
	req.Params.Arguments = args
	if inv, res := h.invocations.StartCreate(ctx, req); inv != nil || res == nil || !res.IsError {
		t.Fatalf("the abandoned task create: invocation %v, result %v; want an error result", inv, res)
	}
	if sim.Count() != 1 {
		t.Fatalf("bctrl has %d invocations after the abandoned create, want 1", sim.Count())
	}

	args["waitSeconds"] = 0
	res := h.call("create_invocation", args)
	if res.IsError || !strings.Contains(text(res), "reused") {
		t.Fatalf("the retried create did not reuse the abandoned key: %s", text(res))
	}
	if sim.Count() != 1 {
		t.Fatalf("bctrl has %d invocations after the retry, want 1 (the retry started a second one)", sim.Count())
	}
}
