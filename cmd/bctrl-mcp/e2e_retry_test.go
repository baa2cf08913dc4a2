package main

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/bctrlhq/bctrl-mcp/bctrl/bctrlsim"
)

// TestRetryAfterClientTimeoutStartsNoSecondInvocation plays Claude Desktop
// giving up on a create: it cancels the request mid-wait, so no response
// (and no idempotencyKey) ever reaches the model, which then calls the
// same create again with another waitSeconds. bctrl must see one
// invocation, created and found again with one key.
func TestRetryAfterClientTimeoutStartsNoSecondInvocation(t *testing.T) {
	sim := bctrlsim.New(bctrlsim.Options{APIKey: e2eKey, Clock: &bctrlsim.RealClock{Speed: 20}})
	s := startAgainst(t, sim, "BCTRL_SPACE_ID="+e2eSpace, "BCTRL_RUNTIME_ID="+e2eRuntime)
	args := func(wait int) map[string]any {
		return map[string]any{"provider": "stagehand", "input": map[string]any{"instruction": "Book a table for two sim:hang"}, "waitSeconds": wait}
	}
	var seen []map[string]any
	s.send(toolCall("first", args(50)))
	s.within("progress of the first create", 30*time.Second, func(m map[string]any) bool {
		seen = append(seen, m)
		params, _ := m["params"].(map[string]any)
		return m["method"] == "notifications/progress" && params["progressToken"] == "first"
	})
	s.send(`{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":"first","reason":"Request timed out"}}`)
	s.send(toolCall("second", args(1)))
	second := s.within("the second create's response", 30*time.Second, func(m map[string]any) bool {
		seen = append(seen, m)
		return m["id"] == "second"
	})
	res, _ := second["result"].(map[string]any)
	if res == nil || res["isError"] == true {
		t.Fatalf("second create: %v", second)
	}
	out, _ := res["structuredContent"].(map[string]any)
	request, _ := out["request"].(map[string]any)
	if n := sim.Count(); n != 1 {
		t.Errorf("%d invocations after a retry of a cancelled create, want 1", n)
	}
	if out["idempotencyKey"] == nil || request["idempotencyKey"] != out["idempotencyKey"] {
		t.Errorf("returned key %v, bctrl recorded %v", out["idempotencyKey"], request["idempotencyKey"])
	}
	texts, _ := json.Marshal(res["content"])
	if !strings.Contains(string(texts), "never reached you") || !strings.Contains(string(texts), "new idempotencyKey") {
		t.Errorf("the result does not say the create was a repeat and how to start a new one: %s", texts)
	}
	s.must(s.Finish())
	for _, m := range seen {
		if m["id"] == "first" {
			t.Errorf("the cancelled request got a response: %v", m)
		}
	}
	if strings.Contains(s.Stdout.String(), `"id":"first"`) {
		t.Error("the cancelled request got a response")
	}
}
