package tools

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
)

// TestCreateCancelledDuringThePOSTIsRetriedWithItsKey cancels a create
// while bctrl holds its POST (the case where the model cannot know whether
// anything started), then repeats it: the repeat must carry the same key,
// and its result must say so and how to start new work instead.
func TestCreateCancelledDuringThePOSTIsRetriedWithItsKey(t *testing.T) {
	keys := make(chan string, 2)
	var posts atomic.Int32
	api := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			IdempotencyKey string `json:"idempotencyKey"`
		}
		_ = json.NewDecoder(r.Body).Decode(&body)
		keys <- body.IdempotencyKey
		if posts.Add(1) == 1 {
			<-r.Context().Done() // hold the first POST until the client gives up
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusAccepted)
		_, _ = w.Write([]byte(`{"id":"3f0a9c1e-2b4d-4e6f-8a0b-1c2d3e4f5a6b","status":"queued"}`))
	})
	h := newHarness(t, api, false)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() {
		defer close(done)
		req := mcp.CallToolRequest{}
		req.Params.Name, req.Params.Arguments = "create_invocation", stagehand("Book a table", 30)
		_, _ = h.client.CallTool(ctx, req)
	}()
	var first string
	select {
	case first = <-keys:
	case <-time.After(10 * time.Second):
		t.Fatal("the first create never reached the API")
	}
	cancel()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the cancelled create did not return")
	}
	res := h.call("create_invocation", stagehand("Book a table", 0)) // another wait, and no polling after
	out := h.output(res)
	second := <-keys
	if first == "" || second != first || out.IdempotencyKey != first {
		t.Errorf("keys: first POST %q, repeat %q, result %q", first, second, out.IdempotencyKey)
	}
	if !strings.Contains(text(res), "never reached you") || !strings.Contains(text(res), "new idempotencyKey") {
		t.Errorf("result text: %s", text(res))
	}
}
