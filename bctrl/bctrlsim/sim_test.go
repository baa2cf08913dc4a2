package bctrlsim

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/bctrlhq/bctrl-mcp/bctrl/jsonval"
)

const (
	key       = "sim-test-key"
	spaceID   = "6f1c2a8e-0d4b-4c3e-9b7a-1e2f3a4b5c6d"
	runtimeID = "7a2b3c4d-5e6f-4a1b-8c9d-0e1f2a3b4c5d"
	fileID    = "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f"
)

var createPath = "/v1/spaces/" + spaceID + "/runtimes/" + runtimeID + "/invocations"

type harness struct {
	t     *testing.T
	sim   *Simulator
	srv   *httptest.Server
	clock *ManualClock
}

func newHarness(t *testing.T, opts Options) *harness {
	t.Helper()
	clock := NewManualClock(time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC))
	if opts.Clock == nil {
		opts.Clock = clock
	}
	opts.APIKey = key
	sim := New(opts)
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	return &harness{t: t, sim: sim, srv: srv, clock: clock}
}

// do sends a request and returns the status and decoded JSON body.
func (h *harness) do(method, path string, body any, bearer string) (int, map[string]any) {
	h.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		raw, _ := json.Marshal(b)
		rd = bytes.NewReader(raw)
	}
	req, _ := http.NewRequestWithContext(h.t.Context(), method, h.srv.URL+path, rd)
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	resp, err := h.srv.Client().Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

func (h *harness) create(body map[string]any) map[string]any {
	h.t.Helper()
	status, out := h.do("POST", createPath, body, key)
	if status != http.StatusAccepted {
		h.t.Fatalf("create: %d %v", status, out)
	}
	return out
}

// assertContract checks a response against the OpenAPI 202 schema.
func assertContract(t *testing.T, inv map[string]any) {
	t.Helper()
	c, err := loadContract()
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(inv)
	v, _ := jsonval.Decode(raw)
	if problems := c.response.Validate(v); len(problems) > 0 {
		t.Errorf("response breaks the OpenAPI schema: %s\n%s", jsonval.Summary(problems), raw)
	}
}

func TestOpenAPITextMatchesShared(t *testing.T) {
	md, err := os.ReadFile(filepath.Join("..", "..", "..", "shared", "api", "create-invocation.openapi.md"))
	if err != nil {
		t.Skipf("shared API reference not beside the repository: %v", err)
	}
	block := regexp.MustCompile("(?s)```yaml\n(.*?)```").FindSubmatch(md)
	if block == nil || !bytes.Equal(block[1], openAPIText) {
		t.Fatal("bctrl/bctrlsim/openapi.yaml differs from the YAML block of ../shared/api/create-invocation.openapi.md")
	}
}

func validBodies() map[string]map[string]any {
	instr := map[string]any{"instruction": "Log in and download the latest invoice"}
	return map[string]map[string]any{
		"stagehand minimal":  {"provider": "stagehand", "operation": "agent.execute", "input": instr},
		"browserUse minimal": {"provider": "browserUse", "operation": "agent.execute", "input": instr},
		"stagehand full": {
			"provider": "stagehand", "operation": "agent.execute", "input": instr, "idempotencyKey": "k-1",
			"config": map[string]any{
				"model":          map[string]any{"connection": "conn-openai", "model": "gpt-5"},
				"executionModel": map[string]any{"provider": "anthropic", "model": "claude-sonnet-4", "apiKey": "sk-ant-xyz"},
				"systemPrompt":   "Be careful.",
			},
			"options": map[string]any{"highlightCursor": true, "maxSteps": 20, "timeout": 120000.5, "variables": map[string]any{
				"user": "alice", "age": 42, "admin": false, "password": map[string]any{"value": "hunter2", "description": "the password"},
			}},
			"files":     []any{map[string]any{"storagePath": "invoices/2026.pdf", "name": "invoice.pdf"}, map[string]any{"fileId": fileID}},
			"metadata":  map[string]any{"ticket": "OPS-1", "nested": map[string]any{"a": []any{1, 2}}},
			"target":    map[string]any{"type": "browser_page", "page": "active"},
			"toolsetId": fileID,
		},
		"browserUse full": {
			"provider": "browserUse", "operation": "agent.execute", "input": instr,
			"config": map[string]any{
				"calculateCost": true, "directlyOpenUrl": false, "displayFilesInDoneText": true, "enablePlanning": true,
				"extendSystemMessage": "x", "fallbackLlm": map[string]any{"connection": "c2"}, "finalResponseAfterFailure": true,
				"flashMode": false, "generateGif": "/tmp/run.gif", "groundTruth": "42", "includeAttributes": []any{"title", "aria-label"},
				"includeRecentEvents": true, "includeToolCallExamples": false, "initialActions": []any{map[string]any{"go_to_url": "https://example.com"}},
				"llm": map[string]any{"provider": "openai", "model": "gpt-5", "apiKey": "sk-1"}, "llmScreenshotSize": []any{1280, 800},
				"llmTimeout": 30.5, "loopDetectionEnabled": true, "loopDetectionWindow": 5, "maxActionsPerStep": 3,
				"maxClickableElementsLength": 4000, "maxFailures": 2, "maxHistoryItems": nil, "maxSteps": 30, "messageCompaction": true,
				"overrideSystemMessage": "y", "pageExtractionLlm": map[string]any{"connection": "c3", "model": "gemini-2.5"},
				"planningExplorationLimit": 3, "planningReplanOnStall": 2, "pricingUrl": "https://example.com/p",
				"saveConversationPath": "/tmp/c", "saveConversationPathEncoding": "utf-8",
				"sensitiveData": map[string]any{"pw": "s3cret", "token": map[string]any{"example.com": "t-1"}},
				"source":        "mcp", "stepTimeout": 60, "useJudge": false, "useThinking": true, "useVision": "auto", "visionDetailLevel": "high",
			},
			"options": map[string]any{"maxSteps": 12},
			"files":   []any{map[string]any{"fileId": fileID, "name": "data.csv"}},
		},
		"browserUse gif and vision as booleans": {"provider": "browserUse", "operation": "agent.execute", "input": instr,
			"config": map[string]any{"generateGif": true, "useVision": false, "maxHistoryItems": 10}},
	}
}

func TestValidBodiesAreAccepted(t *testing.T) {
	h := newHarness(t, Options{})
	for name, body := range validBodies() {
		t.Run(name, func(t *testing.T) {
			inv := h.create(body)
			assertContract(t, inv)
			if inv["status"] != "queued" {
				t.Errorf("status %v", inv["status"])
			}
		})
	}
}

func TestInvalidBodiesAreRejected(t *testing.T) {
	base := func(mut func(map[string]any)) map[string]any {
		b := map[string]any{"provider": "stagehand", "operation": "agent.execute", "input": map[string]any{"instruction": "x"}}
		mut(b)
		return b
	}
	bu := func(config map[string]any) map[string]any {
		return map[string]any{"provider": "browserUse", "operation": "agent.execute", "input": map[string]any{"instruction": "x"}, "config": config}
	}
	tests := []struct {
		name      string
		body      any
		wantField string
	}{
		{"not JSON", "{nope", "JSON"},
		{"array body", "[]", "object"},
		{"missing input", base(func(b map[string]any) { delete(b, "input") }), "input"},
		{"missing instruction", base(func(b map[string]any) { b["input"] = map[string]any{} }), "instruction"},
		{"instruction is a number", base(func(b map[string]any) { b["input"] = map[string]any{"instruction": 3} }), "input.instruction"},
		{"missing operation", base(func(b map[string]any) { delete(b, "operation") }), "operation"},
		{"unknown operation", base(func(b map[string]any) { b["operation"] = "agent.dance" }), "operation"},
		{"unknown provider", base(func(b map[string]any) { b["provider"] = "selenium" }), "provider"},
		{"missing provider", base(func(b map[string]any) { delete(b, "provider") }), "provider"},
		{"stagehand maxSteps as string", base(func(b map[string]any) { b["options"] = map[string]any{"maxSteps": "ten"} }), "options.maxSteps"},
		{"stagehand timeout as string", base(func(b map[string]any) { b["options"] = map[string]any{"timeout": "1s"} }), "options.timeout"},
		{"variable is an array", base(func(b map[string]any) { b["options"] = map[string]any{"variables": map[string]any{"v": []any{1}}} }), "options.variables.v"},
		{"model without connection", base(func(b map[string]any) { b["config"] = map[string]any{"model": map[string]any{"model": "gpt-5"}} }), "config.model"},
		{"model with unknown vendor", base(func(b map[string]any) {
			b["config"] = map[string]any{"model": map[string]any{"provider": "mistral", "model": "m", "apiKey": "k"}}
		}), "config.model.provider"},
		{"browserUse field under stagehand", base(func(b map[string]any) { b["config"] = map[string]any{"llm": map[string]any{"connection": "c"}} }), "llm"},
		{"file without path or id", base(func(b map[string]any) { b["files"] = []any{map[string]any{"name": "a"}} }), "files[0]"},
		{"fileId not a uuid", base(func(b map[string]any) { b["files"] = []any{map[string]any{"fileId": "abc"}} }), "files[0].fileId"},
		{"files not an array", base(func(b map[string]any) { b["files"] = "a.pdf" }), "files"},
		{"target page not active", base(func(b map[string]any) { b["target"] = map[string]any{"type": "browser_page", "page": "first"} }), "target.page"},
		{"target without type", base(func(b map[string]any) { b["target"] = map[string]any{"page": "active"} }), "target"},
		{"toolsetId not a uuid", base(func(b map[string]any) { b["toolsetId"] = "tools-1" }), "toolsetId"},
		{"metadata not an object", base(func(b map[string]any) { b["metadata"] = []any{} }), "metadata"},
		{"idempotencyKey a number", base(func(b map[string]any) { b["idempotencyKey"] = 7 }), "idempotencyKey"},
		{"unknown top-level field", base(func(b map[string]any) { b["priority"] = "high" }), "priority"},
		{"useVision sometimes", bu(map[string]any{"useVision": "sometimes"}), "config.useVision"},
		{"visionDetailLevel ultra", bu(map[string]any{"visionDetailLevel": "ultra"}), "config.visionDetailLevel"},
		{"generateGif a number", bu(map[string]any{"generateGif": 3}), "config.generateGif"},
		{"sensitiveData value a number", bu(map[string]any{"sensitiveData": map[string]any{"pw": 5}}), "config.sensitiveData.pw"},
		{"maxHistoryItems a string", bu(map[string]any{"maxHistoryItems": "5"}), "config.maxHistoryItems"},
		{"includeAttributes of numbers", bu(map[string]any{"includeAttributes": []any{1}}), "config.includeAttributes[0]"},
		{"stagehand field under browserUse", bu(map[string]any{"systemPrompt": "x"}), "systemPrompt"},
		{"browserUse option it lacks", map[string]any{"provider": "browserUse", "operation": "agent.execute", "input": map[string]any{"instruction": "x"}, "options": map[string]any{"highlightCursor": true}}, "highlightCursor"},
	}
	h := newHarness(t, Options{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, out := h.do("POST", createPath, tt.body, key)
			if status != http.StatusBadRequest {
				t.Fatalf("status %d, want 400: %v", status, out)
			}
			msg, _ := out["error"].(string)
			if !strings.Contains(msg, tt.wantField) || out["code"] != "request.invalid" {
				t.Errorf("message %q does not name %q", msg, tt.wantField)
			}
		})
	}
	if h.sim.Count() != 0 {
		t.Errorf("%d invocations stored from invalid bodies", h.sim.Count())
	}
}

func TestAuthAndUnknownIDs(t *testing.T) {
	h := newHarness(t, Options{NestedErrors: true})
	body := validBodies()["stagehand minimal"]
	for _, bearer := range []string{"", "wrong-key"} {
		if status, out := h.do("POST", createPath, body, bearer); status != http.StatusUnauthorized {
			t.Errorf("bearer %q: %d %v", bearer, status, out)
		}
	}
	status, out := h.do("GET", "/v1/invocations/"+fileID, nil, key)
	nested, _ := out["error"].(map[string]any)
	if status != http.StatusNotFound || nested["code"] != "invocation.not_found" || nested["message"] == "" {
		t.Errorf("unknown id: %d %v", status, out)
	}
	if status, _ := h.do("POST", "/v1/spaces/not-a-uuid/runtimes/"+runtimeID+"/invocations", body, key); status != http.StatusNotFound {
		t.Errorf("bad space id: %d", status)
	}
	if status, _ := h.do("DELETE", "/v1/invocations/"+fileID, nil, key); status != http.StatusNotFound {
		t.Errorf("unknown route: %d", status)
	}
}

func TestIdempotency(t *testing.T) {
	h := newHarness(t, Options{})
	body := validBodies()["stagehand minimal"]
	body["idempotencyKey"] = "same-key"
	first := h.create(body)
	second := h.create(body)
	if first["id"] != second["id"] || h.sim.Count() != 1 {
		t.Fatalf("same key and body made %d invocations", h.sim.Count())
	}
	body["input"] = map[string]any{"instruction": "something else"}
	if status, out := h.do("POST", createPath, body, key); status != http.StatusConflict {
		t.Fatalf("same key, other body: %d %v", status, out)
	}
}

func TestLifecycleResponsesMatchContract(t *testing.T) {
	h := newHarness(t, Options{})
	ok := h.create(map[string]any{"provider": "stagehand", "operation": "agent.execute", "input": map[string]any{"instruction": "sim:steps=2"}})
	bad := h.create(map[string]any{"provider": "browserUse", "operation": "agent.execute", "input": map[string]any{"instruction": "sim:failed sim:steps=2"}})
	late := h.create(map[string]any{"provider": "stagehand", "operation": "agent.execute", "input": map[string]any{"instruction": "sim:hang"}})
	want := [][]string{
		{"queued", "queued", "queued"}, {"dispatching", "dispatching", "dispatching"}, {"running", "running", "running"},
		{"running", "running", "running"}, {"succeeded", "failed", "running"},
	}
	for i, row := range want {
		for j, inv := range []map[string]any{ok, bad, late} {
			_, got := h.do("GET", "/v1/invocations/"+inv["id"].(string), nil, key)
			assertContract(t, got)
			if got["status"] != row[j] {
				t.Errorf("step %d invocation %d: status %v, want %s", i, j, got["status"], row[j])
			}
		}
		h.clock.Advance(time.Second)
	}
	status, got := h.do("POST", "/v1/invocations/"+late["id"].(string)+"/cancel", nil, key)
	if status != 200 || got["status"] != "cancelling" {
		t.Fatalf("cancel: %d %v", status, got)
	}
	assertContract(t, got)
	h.clock.Advance(time.Second)
	_, got = h.do("GET", "/v1/invocations/"+late["id"].(string), nil, key)
	assertContract(t, got)
	if got["status"] != "cancelled" || got["error"] == nil {
		t.Errorf("after cancel: %v", got)
	}
	_, again := h.do("POST", "/v1/invocations/"+ok["id"].(string)+"/cancel", nil, key)
	if again["status"] != "succeeded" {
		t.Errorf("cancelling an ended invocation changed it: %v", again["status"])
	}
}

func TestWaitReturnsWhenTheInvocationEnds(t *testing.T) {
	h := newHarness(t, Options{})
	inv := h.create(map[string]any{"provider": "stagehand", "operation": "agent.execute", "input": map[string]any{"instruction": "sim:steps=1"}})
	type answer struct {
		status int
		body   map[string]any
	}
	done := make(chan answer)
	go func() {
		status, body := h.do("POST", "/v1/invocations/"+inv["id"].(string)+"/wait", map[string]any{"timeoutMs": 60000}, key)
		done <- answer{status, body}
	}()
	h.clock.BlockUntilWaiters(1, nil)
	h.clock.Advance(3 * time.Second) // the end, well before the 60s timeout
	got := <-done
	if got.status != 200 || got.body["status"] != "succeeded" {
		t.Fatalf("wait: %d %v", got.status, got.body)
	}
	if status, _ := h.do("POST", "/v1/invocations/"+inv["id"].(string)+"/wait", map[string]any{"timeoutMs": -1}, key); status != 400 {
		t.Errorf("negative timeout: %d", status)
	}
}

func TestFaults(t *testing.T) {
	h := newHarness(t, Options{})
	body := validBodies()["stagehand minimal"]
	h.sim.QueueFaults(RouteCreate, Fault{Kind: FaultServerError, Status: 502}, Fault{Kind: FaultRateLimit, RetryAfter: "7"},
		Fault{Kind: FaultMalformed}, Fault{Kind: FaultDropAfterCommit}, Fault{Kind: FaultDrop})
	if status, _ := h.do("POST", createPath, body, key); status != 502 {
		t.Errorf("server error: %d", status)
	}
	req, _ := http.NewRequest("POST", h.srv.URL+createPath, strings.NewReader(`{"provider":"stagehand","operation":"agent.execute","input":{"instruction":"x"}}`))
	req.Header.Set("Authorization", "Bearer "+key)
	resp, err := h.srv.Client().Do(req)
	if err != nil || resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "7" {
		t.Errorf("rate limit: %v %v", resp, err)
	}
	resp.Body.Close()
	before := h.sim.Count()
	status, out := h.do("POST", createPath, body, key)
	if status != 200 || out != nil || h.sim.Count() != before+1 {
		t.Errorf("malformed: %d %v, count %d", status, out, h.sim.Count())
	}
	for _, name := range []string{"drop after commit", "drop"} {
		raw, _ := json.Marshal(body)
		req, _ := http.NewRequest("POST", h.srv.URL+createPath, bytes.NewReader(raw))
		req.Header.Set("Authorization", "Bearer "+key)
		if resp, err := h.srv.Client().Do(req); err == nil {
			resp.Body.Close()
			t.Errorf("%s: got a response %d", name, resp.StatusCode)
		}
	}
	if h.sim.Count() != before+2 {
		t.Errorf("count %d: drop-after-commit should store, drop should not", h.sim.Count())
	}
}
