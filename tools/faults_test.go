package tools

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bctrlhq/bctrl-mcp/bctrl"
	"github.com/bctrlhq/bctrl-mcp/bctrl/bctrlsim"
	"github.com/bctrlhq/bctrl-mcp/schema"
	"github.com/mark3labs/mcp-go/mcp"
)

// everyFault is each fault class the simulator can inject. The slow one
// answers after the client's 50ms attempt timeout, having already stored the create.
var everyFault = []bctrlsim.Fault{
	{Kind: bctrlsim.FaultServerError, Status: 500}, {Kind: bctrlsim.FaultServerError, Status: 503},
	{Kind: bctrlsim.FaultRateLimit, RetryAfter: "1"}, {Kind: bctrlsim.FaultDrop},
	{Kind: bctrlsim.FaultDropAfterCommit}, {Kind: bctrlsim.FaultSlow, Delay: 150 * time.Millisecond},
	{Kind: bctrlsim.FaultMalformed},
}

// faultyHarness serves the tools against a simulator that fails 30% of requests.
func faultyHarness(t *testing.T, seed uint64) (*harness, *bctrlsim.Simulator) {
	sim := bctrlsim.New(bctrlsim.Options{APIKey: testKey, Clock: &bctrlsim.RealClock{Speed: 100}})
	h := newHarnessWith(t, sim, false, bctrl.WithRequestTimeout(50*time.Millisecond),
		bctrl.WithRetryPolicy(bctrl.RetryPolicy{MaxAttempts: 2, BaseDelay: time.Millisecond, MaxDelay: 2 * time.Millisecond, MaxRetryAfter: 10 * time.Millisecond}))
	sim.RandomFaults(0.3, seed, everyFault...)
	return h, sim
}

var retryKey = regexp.MustCompile(`idempotencyKey "?([0-9a-f-]{36})`)

// callUntilOK repeats a call the way an assistant following the error text
// would, and returns the successful output and the results of every try.
func callUntilOK(h *harness, tool string, args map[string]any) (schema.InvocationOutput, []*mcp.CallToolResult, error) {
	var tries []*mcp.CallToolResult
	for range 40 {
		req := mcp.CallToolRequest{}
		req.Params.Name, req.Params.Arguments = tool, args
		res, err := h.client.CallTool(h.t.Context(), req)
		if err != nil {
			return schema.InvocationOutput{}, tries, err
		}
		tries = append(tries, res)
		if !res.IsError {
			var out schema.InvocationOutput
			raw, _ := json.Marshal(res.StructuredContent)
			return out, tries, json.Unmarshal(raw, &out)
		}
		if tool == schema.ToolCreate {
			m := retryKey.FindStringSubmatch(text(res))
			if m == nil || !(strings.Contains(text(res), "may or may not have been created") || strings.Contains(text(res), "was not created")) {
				return schema.InvocationOutput{}, tries, fmt.Errorf("error does not say whether the invocation exists and which key to retry with: %s", text(res))
			}
			if prev, ok := args["idempotencyKey"]; ok && prev != m[1] {
				return schema.InvocationOutput{}, tries, fmt.Errorf("retry key changed from %v to %s", prev, m[1])
			}
			args["idempotencyKey"] = m[1]
		}
	}
	return schema.InvocationOutput{}, tries, fmt.Errorf("%s still failing after 40 tries", tool)
}

func TestNoLostOrDuplicatedCreatesUnderFaults(t *testing.T) {
	const calls, workers = 500, 8
	h, sim := faultyHarness(t, 7)
	var mu sync.Mutex
	keys := map[string]string{} // idempotency key → invocation id
	failedFirst := 0
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := range jobs {
				out, tries, err := callUntilOK(h, schema.ToolCreate, stagehand(fmt.Sprintf("task %d sim:hang", i), 0))
				mu.Lock()
				if err != nil {
					t.Errorf("call %d: %v", i, err)
				} else if prev, dup := keys[out.IdempotencyKey]; dup && prev != out.ID {
					t.Errorf("key %s gave two invocations", out.IdempotencyKey)
				} else {
					keys[out.IdempotencyKey] = out.ID
				}
				if len(tries) > 1 {
					failedFirst++
				}
				mu.Unlock()
			}
		})
	}
	for i := range calls {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	t.Logf("%d creates, %d needed a retry by the assistant, %d requests reached the simulator", calls, failedFirst, sim.Requests())
	if len(keys) != calls || sim.Count() != calls {
		t.Fatalf("%d distinct keys, %d invocations in the simulator, want %d each", len(keys), sim.Count(), calls)
	}
	if failedFirst == 0 {
		t.Error("no call failed: the faults were not exercised")
	}
}

func TestFollowGetAndCancelRecoverUnderFaults(t *testing.T) {
	h, sim := faultyHarness(t, 11)
	sim.RandomFaults(0, 0) // create cleanly, then turn the faults on
	var ids []string
	for i := range 10 {
		marker := "sim:steps=3"
		if i%2 == 1 {
			marker = "sim:hang"
		}
		out, _, err := callUntilOK(h, schema.ToolCreate, stagehand(marker, 0))
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, out.ID)
	}
	sim.RandomFaults(0.3, 11, everyFault...)
	for i, id := range ids {
		if i%2 == 1 {
			if _, _, err := callUntilOK(h, schema.ToolCancel, map[string]any{"invocationId": id}); err != nil {
				t.Fatal(err)
			}
		}
		want := map[bool]bctrl.Status{false: bctrl.StatusSucceeded, true: bctrl.StatusCancelled}[i%2 == 1]
		for try := 0; ; try++ {
			out, _, err := callUntilOK(h, schema.ToolGet, map[string]any{"invocationId": id, "waitSeconds": 10})
			if err != nil {
				t.Fatal(err)
			}
			if out.Terminal {
				if out.Status != want {
					t.Errorf("%s ended %s, want %s", id, out.Status, want)
				}
				break
			}
			if try == 5 {
				t.Fatalf("%s still %s after %d waits", id, out.Status, try+1)
			}
		}
	}
}
