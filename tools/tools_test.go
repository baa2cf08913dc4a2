package tools

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bctrlhq/bctrl-mcp/bctrl"
	"github.com/mark3labs/mcp-go/mcp"
)

func TestCreateFollowsToEachTerminalState(t *testing.T) {
	tests := []struct {
		instruction string
		want        bctrl.Status
		wantText    string
	}{
		{"Book a table for two sim:steps=4", bctrl.StatusSucceeded, "Result:"},
		{"Log in sim:failed sim:steps=3", bctrl.StatusFailed, "Error: The agent could not complete the task"},
		{"Crawl the catalogue sim:timed_out sim:steps=3", bctrl.StatusTimedOut, "invocation.timed_out"},
	}
	for _, tt := range tests {
		t.Run(string(tt.want), func(t *testing.T) {
			h := newHarness(t, nil, false)
			res := h.call("create_invocation", stagehand(tt.instruction, 30))
			out := h.output(res)
			if out.Status != tt.want || !out.Terminal || out.IdempotencyKey == "" || out.Next == "" {
				t.Fatalf("output %+v", out)
			}
			if !strings.Contains(text(res), tt.wantText) || !strings.Contains(text(res), "Next:") {
				t.Errorf("text %q lacks %q", text(res), tt.wantText)
			}
			h.waitFor("three progress messages", func() bool { return len(distinctMessages(h.progress("tok-create_invocation"))) >= 3 })
			progress := h.progress("tok-create_invocation")
			if msgs := distinctMessages(progress); len(msgs) < 3 {
				t.Errorf("only %d distinct progress messages: %v", len(msgs), msgs)
			}
			for i := 1; i < len(progress); i++ {
				if progress[i]["progress"].(float64) <= progress[i-1]["progress"].(float64) {
					t.Fatalf("progress not increasing at %d: %v", i, progress)
				}
			}
			if progress[len(progress)-1]["message"] == string(tt.want) {
				t.Errorf("the end was sent as progress; the result reports it")
			}
			if progress[len(progress)-1]["total"] == nil {
				t.Errorf("total missing from the last progress notification")
			}
			h.waitFor("the final status log", func() bool { return len(h.logs()) >= 4 })
			var statuses []any
			for _, l := range h.logs() {
				if fmt.Sprint(l["logger"]) != "bctrl" || fmt.Sprint(l["level"]) != "info" {
					t.Errorf("log %v", l)
				}
				statuses = append(statuses, l["data"].(map[string]any)["status"])
			}
			want := []any{"queued", "dispatching", "running", string(tt.want)}
			if fmt.Sprint(statuses) != fmt.Sprint(want) {
				t.Errorf("logged statuses %v, want %v", statuses, want)
			}
		})
	}
}

func TestCreateWithoutWaitThenGetAndCancel(t *testing.T) {
	h := newHarness(t, nil, false)
	created := h.output(h.call("create_invocation", stagehand("Watch the shop sim:hang", 0)))
	if created.Terminal || created.Status != bctrl.StatusQueued || !strings.Contains(created.Next, "get_invocation") {
		t.Fatalf("create: %+v", created)
	}
	if n := len(h.progress("tok-create_invocation")); n != 0 {
		t.Errorf("%d progress notifications without a wait", n)
	}
	got := h.output(h.call("get_invocation", map[string]any{"invocationId": created.ID}))
	if got.ID != created.ID || got.Terminal {
		t.Fatalf("get: %+v", got)
	}
	cancelled := h.output(h.call("cancel_invocation", map[string]any{"invocationId": created.ID}))
	if cancelled.Status != bctrl.StatusCancelling {
		t.Fatalf("cancel: %+v", cancelled)
	}
	final := h.output(h.call("get_invocation", map[string]any{"invocationId": created.ID, "waitSeconds": 30}))
	if final.Status != bctrl.StatusCancelled || !final.Terminal || final.Error == nil {
		t.Fatalf("after cancel: %+v", final)
	}
}

func TestRetryWithTheReturnedKeyMakesNoDuplicate(t *testing.T) {
	h := newHarness(t, nil, false)
	first := h.output(h.call("create_invocation", stagehand("Buy milk", 0)))
	args := stagehand("Buy milk", 0)
	args["idempotencyKey"] = first.IdempotencyKey
	again := h.output(h.call("create_invocation", args))
	if again.ID != first.ID || h.sim.Count() != 1 {
		t.Fatalf("retry with key %s: %s vs %s, %d invocations", first.IdempotencyKey, again.ID, first.ID, h.sim.Count())
	}
}

func TestSecretsAreRedactedInResults(t *testing.T) {
	h := newHarness(t, nil, false)
	args := map[string]any{
		"provider": "browserUse", "input": map[string]any{"instruction": "Log in"}, "waitSeconds": 0,
		"config": map[string]any{
			"llm":           map[string]any{"provider": "openai", "model": "gpt-5", "apiKey": "sk-PROVIDERKEY-42"},
			"sensitiveData": map[string]any{"pw": "hunter2-SENSITIVE", "token": map[string]any{"example.com": "tok-SENSITIVE"}},
		},
	}
	res := h.call("create_invocation", args)
	out := h.output(res)
	blob := fmt.Sprintf("%s %+v", text(res), res.StructuredContent)
	for _, secret := range []string{"sk-PROVIDERKEY-42", "hunter2-SENSITIVE", "tok-SENSITIVE", testKey} {
		if strings.Contains(blob, secret) {
			t.Errorf("result contains %q", secret)
		}
	}
	if out.Request == nil || !strings.Contains(fmt.Sprint(out.Request.Steps), redacted) {
		t.Errorf("request echo not redacted: %+v", out.Request)
	}
}

// apiError is a canned API answer for the error-mapping table.
type apiError struct {
	status int
	header map[string]string
	body   string
}

func (a apiError) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	for k, v := range a.header {
		w.Header().Set(k, v)
	}
	w.WriteHeader(a.status)
	_, _ = io.WriteString(w, a.body)
}

func TestAPIErrorsBecomeHelpfulToolErrors(t *testing.T) {
	tests := []struct {
		name string
		api  apiError
		tool string
		want []string
	}{
		{"401", apiError{status: 401, body: `{"error":"invalid API key","code":"auth.invalid","requestId":"req_a"}`}, "get_invocation", []string{"401", "auth.invalid", "req_a", "BCTRL_API_KEY"}},
		{"402", apiError{status: 402, body: `{"error":{"code":"billing.insufficient_credits","message":"out of credits"}}`}, "create_invocation", []string{"402", "billing.insufficient_credits", "credits", "was not created"}},
		{"404", apiError{status: 404, body: `{"error":"invocation not found","code":"invocation.not_found","hint":"check the id"}`}, "get_invocation", []string{"404", "invocation.not_found", "Hint: check the id", "invocationId must come from create_invocation"}},
		{"409 idempotency", apiError{status: 409, body: `{"error":"key reused","code":"idempotency.conflict"}`}, "create_invocation", []string{"409", "different arguments", "new key"}},
		{"409 busy", apiError{status: 409, body: `{"error":"busy","code":"runtime.controller_busy"}`}, "create_invocation", []string{"409", "busy with another controller"}},
		{"429", apiError{status: 429, header: map[string]string{"Retry-After": "30"}, body: `{"error":"slow down","code":"rate_limited"}`}, "cancel_invocation", []string{"429", "retry after 30s"}},
		{"500", apiError{status: 500, body: `{"error":{"code":"server.error","message":"boom"}}`}, "create_invocation", []string{"500", "temporary problem", "may or may not have been created", "idempotencyKey"}},
		{"503 outcome unknown", apiError{status: 503, body: `{"error":{"code":"capacity.unavailable","message":"unsure","reasonClass":"outcome_unknown"}}`}, "create_invocation", []string{"503", "outcome is unknown", "same idempotencyKey"}},
		{"non-JSON", apiError{status: 502, body: `<html>bad gateway</html>`}, "get_invocation", []string{"502", "bad gateway"}},
		{"redirect elsewhere", apiError{status: 307, header: map[string]string{"Location": "https://elsewhere.example/v1/x?sig=1"}}, "create_invocation", []string{"307", "https://elsewhere.example/v1/x", "BCTRL_BASE_URL", "may or may not have been created"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, tt.api, false)
			args := map[string]any{"invocationId": unknownID}
			if tt.tool == "create_invocation" {
				args = stagehand("x", 0)
			}
			res := h.call(tt.tool, args)
			if !res.IsError {
				t.Fatalf("not an error: %s", text(res))
			}
			for _, w := range tt.want {
				if !strings.Contains(text(res), w) {
					t.Errorf("text lacks %q:\n%s", w, text(res))
				}
			}
			if strings.Contains(text(res), testKey) {
				t.Error("error text leaks the API key")
			}
		})
	}
}

func TestBadInputNeverReachesTheAPI(t *testing.T) {
	long := strings.Repeat("x", 100)
	tests := []struct {
		name string
		tool string
		args any
		want string
	}{
		{"missing provider", "create_invocation", map[string]any{"input": map[string]any{"instruction": "x"}}, "provider"},
		{"unknown provider", "create_invocation", map[string]any{"provider": "puppeteer", "input": map[string]any{"instruction": "x"}}, "stagehand"},
		{"missing input", "create_invocation", map[string]any{"provider": "stagehand"}, "input"},
		{"empty instruction", "create_invocation", stagehandWith(func(a map[string]any) { a["input"] = map[string]any{"instruction": ""} }), "input.instruction"},
		{"instruction wrong type", "create_invocation", stagehandWith(func(a map[string]any) { a["input"] = map[string]any{"instruction": 5} }), "input.instruction"},
		{"unknown top-level field", "create_invocation", stagehandWith(func(a map[string]any) { a["priority"] = 1 }), `"priority"`},
		{"browserUse config under stagehand", "create_invocation", stagehandWith(func(a map[string]any) { a["config"] = map[string]any{"llm": map[string]any{"connection": "c"}} }), "valid fields here: executionModel, model, systemPrompt"},
		{"stagehand option under browserUse", "create_invocation", map[string]any{"provider": "browserUse", "input": map[string]any{"instruction": "x"}, "options": map[string]any{"variables": map[string]any{}}}, "valid fields here: maxSteps"},
		{"waitSeconds too large", "create_invocation", stagehandWith(func(a map[string]any) { a["waitSeconds"] = 51 }), "waitSeconds"},
		{"waitSeconds negative", "get_invocation", map[string]any{"invocationId": unknownID, "waitSeconds": -1}, "waitSeconds"},
		{"waitSeconds fractional", "get_invocation", map[string]any{"invocationId": unknownID, "waitSeconds": 2.5}, "waitSeconds"},
		{"spaceId not a uuid", "create_invocation", stagehandWith(func(a map[string]any) { a["spaceId"] = "my-space" }), "spaceId"},
		{"runtimeId not a uuid", "create_invocation", stagehandWith(func(a map[string]any) { a["runtimeId"] = long }), "runtimeId"},
		{"invocationId missing", "get_invocation", map[string]any{}, "invocationId"},
		{"invocationId not a uuid", "cancel_invocation", map[string]any{"invocationId": "inv_123"}, "invocationId"},
		{"invocationId a number", "get_invocation", map[string]any{"invocationId": 42}, "invocationId"},
		{"file with neither path nor id", "create_invocation", stagehandWith(func(a map[string]any) { a["files"] = []any{map[string]any{"name": "a"}} }), "files[0]"},
		{"model vendor unknown", "create_invocation", stagehandWith(func(a map[string]any) {
			a["config"] = map[string]any{"model": map[string]any{"provider": "mistral", "model": "m", "apiKey": "k"}}
		}), "config.model.provider"},
		{"target page wrong", "create_invocation", stagehandWith(func(a map[string]any) { a["target"] = map[string]any{"type": "browser_page", "page": "last"} }), "target.page"},
		{"useVision wrong", "create_invocation", map[string]any{"provider": "browserUse", "input": map[string]any{"instruction": "x"}, "config": map[string]any{"useVision": "maybe"}}, "config.useVision"},
		{"huge instruction", "create_invocation", stagehandWith(func(a map[string]any) { a["input"] = map[string]any{"instruction": strings.Repeat("a", 40000)} }), "input.instruction"},
		{"huge files array", "create_invocation", stagehandWith(func(a map[string]any) { a["files"] = repeat(map[string]any{"storagePath": "a"}, 101) }), "files"},
		{"huge includeAttributes", "create_invocation", browserUse(map[string]any{"includeAttributes": repeat("title", 201)}), "config.includeAttributes"},
		{"deeply nested metadata", "create_invocation", stagehandWith(func(a map[string]any) { a["metadata"] = nested(40) }), "nest"},
		{"arguments an array", "create_invocation", []any{1, 2}, "must be object"},
		{"arguments a string", "get_invocation", "inv", "must be object"},
		{"provider a number", "create_invocation", map[string]any{"provider": 1, "input": map[string]any{"instruction": "x"}}, "provider"},
		{"operation unknown", "create_invocation", stagehandWith(func(a map[string]any) { a["operation"] = "agent.sing" }), "operation"},
		{"idempotencyKey too long", "create_invocation", stagehandWith(func(a map[string]any) { a["idempotencyKey"] = strings.Repeat("k", 201) }), "idempotencyKey"},
		{"metadata an array", "create_invocation", stagehandWith(func(a map[string]any) { a["metadata"] = []any{"a"} }), "metadata"},
		{"toolsetId not a uuid", "create_invocation", stagehandWith(func(a map[string]any) { a["toolsetId"] = "tools" }), "toolsetId"},
		{"variable an array", "create_invocation", stagehandWith(func(a map[string]any) { a["options"] = map[string]any{"variables": map[string]any{"v": []any{1}}} }), "options.variables.v"},
		{"maxSteps zero", "create_invocation", stagehandWith(func(a map[string]any) { a["options"] = map[string]any{"maxSteps": 0} }), "options.maxSteps"},
		{"maxSteps a string", "create_invocation", stagehandWith(func(a map[string]any) { a["options"] = map[string]any{"maxSteps": "9"} }), "options.maxSteps"},
		{"timeout negative", "create_invocation", stagehandWith(func(a map[string]any) { a["options"] = map[string]any{"timeout": -5} }), "options.timeout"},
		{"sensitiveData value a number", "create_invocation", browserUse(map[string]any{"sensitiveData": map[string]any{"pw": 5}}), "config.sensitiveData.pw"},
		{"generateGif a number", "create_invocation", browserUse(map[string]any{"generateGif": 2}), "config.generateGif"},
		{"visionDetailLevel unknown", "create_invocation", browserUse(map[string]any{"visionDetailLevel": "ultra"}), "config.visionDetailLevel"},
		{"llm with an unknown field", "create_invocation", browserUse(map[string]any{"llm": map[string]any{"connection": "c", "temperature": 1}}), "config.llm"},
		{"fileId not a uuid", "create_invocation", stagehandWith(func(a map[string]any) { a["files"] = []any{map[string]any{"fileId": "f-1"}} }), "files[0].fileId"},
		{"file with path and id", "create_invocation", stagehandWith(func(a map[string]any) {
			a["files"] = []any{map[string]any{"storagePath": "a", "fileId": unknownID}}
		}), "files[0]"},
		{"waitSeconds a string", "create_invocation", stagehandWith(func(a map[string]any) { a["waitSeconds"] = "10" }), "waitSeconds"},
		{"waitSeconds enormous", "get_invocation", map[string]any{"invocationId": unknownID, "waitSeconds": 1e308}, "waitSeconds"},
		{"waitSeconds null", "get_invocation", map[string]any{"invocationId": unknownID, "waitSeconds": nil}, "waitSeconds"},
		{"invocationId empty", "get_invocation", map[string]any{"invocationId": ""}, "invocationId"},
		{"unknown field on get", "get_invocation", map[string]any{"invocationId": unknownID, "verbose": true}, `"verbose"`},
		{"waitSeconds on cancel", "cancel_invocation", map[string]any{"invocationId": unknownID, "waitSeconds": 5}, `"waitSeconds"`},
		{"target with an extra field", "create_invocation", stagehandWith(func(a map[string]any) {
			a["target"] = map[string]any{"type": "browser_page", "page": "active", "tab": 2}
		}), "target"},
		{"input with an extra field", "create_invocation", stagehandWith(func(a map[string]any) { a["input"] = map[string]any{"instruction": "x", "url": "u"} }), "input"},
	}
	if len(tests) < 40 {
		t.Fatalf("only %d bad-input cases", len(tests))
	}
	h := newHarness(t, nil, false)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := h.call(tt.tool, tt.args)
			if !res.IsError || !strings.Contains(text(res), tt.want) || !strings.Contains(strings.ToLower(text(res)), "nothing was sent to bctrl") {
				t.Errorf("isError=%v text %q, want it to name %q", res.IsError, text(res), tt.want)
			}
			if n := h.requests(); n != 0 {
				t.Errorf("%d requests reached the API", n)
			}
		})
	}
}

func browserUse(config map[string]any) map[string]any {
	return map[string]any{"provider": "browserUse", "input": map[string]any{"instruction": "x"}, "config": config}
}

func repeat(v any, n int) []any {
	out := make([]any, n)
	for i := range out {
		out[i] = v
	}
	return out
}

func nested(depth int) map[string]any {
	m := map[string]any{"leaf": true}
	for range depth {
		m = map[string]any{"n": m}
	}
	return m
}

func stagehandWith(mut func(map[string]any)) map[string]any {
	a := stagehand("x", 0)
	mut(a)
	return a
}

// TestWithoutDefaultsCallsNameTheirIDs serves the tools with no default
// space or runtime: a create that omits an id is an isError that names it
// and what to do, and nothing reaches bctrl; a create naming both works.
func TestWithoutDefaultsCallsNameTheirIDs(t *testing.T) {
	h := newHarnessDeps(t, nil, false, func(d *Deps) { d.DefaultSpaceID, d.DefaultRuntimeID = "", "" })
	sim := h.sim
	call := func(args map[string]any) (*mcp.CallToolResult, string) {
		res := h.call("create_invocation", args)
		return res, text(res)
	}
	tests := []struct {
		name  string
		args  map[string]any
		want  []string
		avoid string
	}{
		{"both", stagehand("x", 0), []string{"spaceId and runtimeId are missing", "BCTRL_SPACE_ID", "BCTRL_RUNTIME_ID", "ask the user", "Nothing was sent"}, ""},
		{"runtime", stagehandWith(func(a map[string]any) { a["spaceId"] = testSpace }), []string{"runtimeId is missing", "BCTRL_RUNTIME_ID"}, "spaceId"},
		{"space", stagehandWith(func(a map[string]any) { a["runtimeId"] = testRuntime }), []string{"spaceId is missing", "BCTRL_SPACE_ID"}, "runtimeId ("},
	}
	for _, tt := range tests {
		res, msg := call(tt.args)
		if !res.IsError {
			t.Errorf("%s: not an error: %s", tt.name, msg)
		}
		for _, w := range tt.want {
			if !strings.Contains(msg, w) {
				t.Errorf("%s: %q lacks %q", tt.name, msg, w)
			}
		}
		if tt.avoid != "" && strings.Contains(msg, tt.avoid) {
			t.Errorf("%s: %q names %q, which was given", tt.name, msg, tt.avoid)
		}
	}
	if n := sim.Requests(); n != 0 {
		t.Fatalf("%d requests reached bctrl", n)
	}
	res, msg := call(stagehandWith(func(a map[string]any) { a["spaceId"], a["runtimeId"] = testSpace, testRuntime }))
	if res.IsError || sim.Count() != 1 {
		t.Errorf("create naming its ids: %s; %d invocations", msg, sim.Count())
	}
}

func TestClientCancellationStopsTheWait(t *testing.T) {
	h := newHarness(t, nil, false)
	created := h.output(h.call("create_invocation", stagehand("Wait forever sim:hang", 0)))
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	req := mcp.CallToolRequest{}
	req.Params.Name = "get_invocation"
	req.Params.Arguments = map[string]any{"invocationId": created.ID, "waitSeconds": 50}
	req.Params.Meta = &mcp.Meta{ProgressToken: "tok-get_invocation"}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_, _ = h.client.CallTool(ctx, req) // the in-process call returns when the handler does
	}()
	// Cancel once the wait has reported progress, i.e. is really waiting.
	h.waitFor("the wait's first progress", func() bool { return len(h.progress("tok-get_invocation")) > 0 })
	cancelled := time.Now()
	cancel()
	select {
	case <-done:
		t.Logf("the wait ended %v after the cancellation", time.Since(cancelled).Round(time.Millisecond))
	case <-time.After(10 * time.Second):
		t.Fatal("a 50 s wait was still running 10 s after the client cancelled it")
	}
	// The remote invocation keeps running: cancelling the MCP request cancels only the wait.
	still := h.output(h.call("get_invocation", map[string]any{"invocationId": created.ID}))
	if still.Terminal {
		t.Errorf("invocation ended: %+v", still.Status)
	}
}
