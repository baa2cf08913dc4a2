package main

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bctrlhq/bctrl-mcp/bctrl/bctrlsim"
	"github.com/bctrlhq/bctrl-mcp/cmd/internal/mcpproc"
)

// startStateless runs the binary for a 2026-07-28 client: no handshake.
func startStateless(t *testing.T, env ...string) *rawSession {
	t.Helper()
	p, err := mcpproc.Start(append(os.Environ(), env...), binPath)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Kill)
	return &rawSession{t: t, Proc: p}
}

func (s *rawSession) result(id, method string, params map[string]any) map[string]any {
	s.t.Helper()
	res, err := s.Result(id, method, params)
	s.must(err)
	return res
}

func (s *rawSession) errorOf(id, method string, params map[string]any) map[string]any {
	s.t.Helper()
	e, err := s.Error(id, method, params)
	s.must(err)
	return e
}

// until reads up to the response with id, returning the notifications before it.
func (s *rawSession) until(id string) (notifications []map[string]any, response map[string]any) {
	s.t.Helper()
	for {
		m := s.next()
		if m["id"] == id {
			return notifications, m
		}
		if m["method"] != nil {
			notifications = append(notifications, m)
		}
	}
}

func errorCode(e map[string]any) int {
	c, _ := e["code"].(float64)
	return int(c)
}

// TestEraGapsOverStdio: versions we do not implement get -32022 with what
// we do; an unknown log level gets -32602; neither uses the legacy range.
func TestEraGapsOverStdio(t *testing.T) {
	s := startStateless(t, "BCTRL_SIMULATE=true")
	meta := mcpproc.ModernMeta()
	for i, version := range []string{"2026-01-01", "1900-01-01", "2027-01-01"} {
		e := s.errorOf(fmt.Sprintf("v%d", i), "tools/list", map[string]any{"_meta": mcpproc.WithMeta(meta, map[string]any{"io.modelcontextprotocol/protocolVersion": version})})
		data, _ := e["data"].(map[string]any)
		supported, _ := data["supported"].([]any)
		if errorCode(e) != -32022 || data["requested"] != version || !slices.Contains(supported, any("2026-07-28")) || !slices.Contains(supported, any("2025-11-25")) {
			t.Errorf("%s: %v", version, e)
		}
	}
	e := s.errorOf("lvl", "tools/call", map[string]any{"name": "get_invocation", "arguments": map[string]any{"invocationId": "0b9e8d7c-6b5a-4f3e-8d2c-1b0a9f8e7d6c"},
		"_meta": mcpproc.WithMeta(meta, map[string]any{"io.modelcontextprotocol/logLevel": "loud"})})
	if errorCode(e) != -32602 || !strings.Contains(e["message"].(string), "logLevel") {
		t.Errorf("unknown log level: %v", e)
	}
	if res := s.result("ok", "tools/list", map[string]any{"_meta": mcpproc.WithMeta(meta, map[string]any{"io.modelcontextprotocol/logLevel": "debug"})}); res["resultType"] != "complete" {
		t.Errorf("a valid modern request was not served: %v", res)
	}
	if err := s.Finish(); err != nil {
		t.Fatalf("exit: %v\n%s", err, s.Stderr())
	}
	for line := range strings.Lines(s.Stdout.String()) {
		for c := -32019; c <= -32000; c++ {
			if strings.Contains(line, fmt.Sprintf(`"code":%d`, c)) {
				t.Errorf("legacy reserved code %d on the wire: %s", c, line)
			}
		}
	}
}

// TestModernProgressAndLogsOverStdio: a 2026-07-28 create with a progress
// token: progress strictly increases and none follows its response; log
// messages only when the request carries logLevel, only at or above it; every
// status a log reports is also in a progress message or the result.
func TestModernProgressAndLogsOverStdio(t *testing.T) {
	s := startStateless(t, "BCTRL_SIMULATE=true", "BCTRL_SIM_SPEED=20")
	create := func(id string, extra map[string]any) ([]map[string]any, map[string]any) {
		meta := mcpproc.WithMeta(mcpproc.ModernMeta(), map[string]any{"progressToken": id})
		meta = mcpproc.WithMeta(meta, extra)
		s.send(mustLine(t, map[string]any{"jsonrpc": "2.0", "id": id, "method": "tools/call", "params": map[string]any{"name": "create_invocation", "_meta": meta,
			"arguments": map[string]any{"provider": "stagehand", "input": map[string]any{"instruction": "Compare prices sim:steps=5"}, "waitSeconds": 30}}}))
		notes, resp := s.until(id)
		res, _ := resp["result"].(map[string]any)
		if out, _ := res["structuredContent"].(map[string]any); out["status"] != "succeeded" || res["resultType"] != "complete" {
			t.Fatalf("%s: %v", id, resp)
		}
		return notes, res
	}
	split := func(notes []map[string]any) (progress, logs []map[string]any) {
		for _, n := range notes {
			params, _ := n["params"].(map[string]any)
			switch n["method"] {
			case "notifications/progress":
				progress = append(progress, params)
			case "notifications/message":
				logs = append(logs, params)
			}
		}
		return progress, logs
	}

	notes, res := create("info", map[string]any{"io.modelcontextprotocol/logLevel": "info"})
	progress, logs := split(notes)
	statuses := map[string]bool{res["structuredContent"].(map[string]any)["status"].(string): true}
	for i, p := range progress {
		if i > 0 && p["progress"].(float64) <= progress[i-1]["progress"].(float64) {
			t.Errorf("progress did not increase: %v then %v", progress[i-1], p)
		}
		statuses[strings.SplitN(p["message"].(string), " · ", 2)[0]] = true
	}
	if len(progress) < 2 || len(logs) == 0 {
		t.Fatalf("with logLevel info: %d progress, %d logs", len(progress), len(logs))
	}
	for _, l := range logs {
		data, _ := l["data"].(map[string]any)
		if l["level"] != "info" || l["logger"] != "bctrl" {
			t.Errorf("log %v: want level info, logger bctrl", l)
		}
		if !statuses[fmt.Sprint(data["status"])] {
			t.Errorf("log %v: its status is in no progress message and not in the result (seen %v)", l, statuses)
		}
	}

	for _, c := range []struct {
		id    string
		extra map[string]any
	}{{"warning", map[string]any{"io.modelcontextprotocol/logLevel": "warning"}}, {"none", nil}} {
		notes, _ := create(c.id, c.extra)
		progress, logs := split(notes)
		if len(logs) != 0 || len(progress) < 2 {
			t.Errorf("%s: %d logs (want none), %d progress", c.id, len(logs), len(progress))
		}
	}

	// Nothing for a request after its response, over the whole session.
	if err := s.Finish(); err != nil {
		t.Fatalf("exit: %v\n%s", err, s.Stderr())
	}
	answered := map[any]bool{}
	for line := range strings.Lines(s.Stdout.String()) {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatal(err)
		}
		if m["id"] != nil {
			answered[m["id"]] = true
		} else if params, _ := m["params"].(map[string]any); answered[params["progressToken"]] {
			t.Errorf("progress after its response: %s", line)
		}
	}
}

// TestTasksOverStdio drives the Tasks extension with raw JSON-RPC over the
// real stdio transport, against a simulator whose clock the test moves.
func TestTasksOverStdio(t *testing.T) {
	const key = "bctrl_live_TASKS_KEY_0123456789"
	step := time.Second
	clock := bctrlsim.NewManualClock(time.Date(2026, 7, 28, 9, 0, 0, 0, time.UTC))
	api := httptest.NewServer(bctrlsim.New(bctrlsim.Options{APIKey: key, Clock: clock, Step: step}))
	defer api.Close()
	s := startStateless(t, "BCTRL_API_KEY="+key, "BCTRL_BASE_URL="+api.URL, "BCTRL_SIMULATE=false",
		"BCTRL_SPACE_ID=6f1c2a8e-0d4b-4c3e-9b7a-1e2f3a4b5c6d", "BCTRL_RUNTIME_ID=7a2b3c4d-5e6f-4a1b-8c9d-0e1f2a3b4c5d")
	tasks := mcpproc.ModernMeta(mcpproc.TasksExtension)
	create := func(id, instruction string) string {
		res := s.result(id, "tools/call", map[string]any{"name": "create_invocation", "_meta": mcpproc.WithMeta(tasks, map[string]any{"progressToken": id}),
			"arguments": map[string]any{"provider": "stagehand", "input": map[string]any{"instruction": instruction}}})
		taskID, _ := res["taskId"].(string)
		if res["resultType"] != "task" || res["status"] != "working" || taskID == "" || res["ttlMs"] != float64(3600000) || res["pollIntervalMs"] == nil || res["createdAt"] == nil {
			t.Fatalf("create_invocation as a task: %v", res)
		}
		return taskID
	}
	get := func(id, taskID string) map[string]any {
		return s.result(id, "tasks/get", map[string]any{"taskId": taskID, "_meta": tasks})
	}

	// create → working with the progress line → completed with the full result
	taskID := create("c1", "Compare prices sim:steps=5")
	clock.Advance(3 * step)
	if got := get("g1", taskID); got["resultType"] != "complete" || got["status"] != "working" || got["statusMessage"] != "running · step 2/5 · Reading the page" {
		t.Fatalf("tasks/get while running: %v", got)
	}
	clock.Advance(5 * step)
	done := get("g2", taskID)
	result, _ := done["result"].(map[string]any)
	out, _ := result["structuredContent"].(map[string]any)
	content, _ := result["content"].([]any)
	if done["status"] != "completed" || out["status"] != "succeeded" || out["id"] != taskID || out["terminal"] != true || len(content) == 0 ||
		!strings.Contains(fmt.Sprint(content[0]), "Done: Compare prices") {
		t.Fatalf("tasks/get after the end: %v", done)
	}

	// create → cancel → cancelled
	hang := create("c2", "sim:hang")
	if ack := s.result("x1", "tasks/cancel", map[string]any{"taskId": hang, "_meta": tasks}); ack["resultType"] != "complete" || ack["status"] != nil {
		t.Fatalf("tasks/cancel: %v", ack)
	}
	clock.Advance(step)
	if got := get("g3", hang); got["status"] != "cancelled" {
		t.Fatalf("tasks/get after tasks/cancel: %v", got)
	}

	// unknown ids, and no extension declared
	for i, id := range []string{"0b9e8d7c-6b5a-4f3e-8d2c-1b0a9f8e7d6c", "not-a-task"} {
		if e := s.errorOf(fmt.Sprintf("u%d", i), "tasks/get", map[string]any{"taskId": id, "_meta": tasks}); errorCode(e) != -32602 {
			t.Errorf("unknown task %s: %v", id, e)
		}
	}
	for i, meta := range []map[string]any{mcpproc.ModernMeta(), nil} {
		params := map[string]any{"taskId": taskID}
		if meta != nil {
			params["_meta"] = meta
		}
		if e := s.errorOf(fmt.Sprintf("n%d", i), "tasks/get", params); errorCode(e) != -32021 {
			t.Errorf("tasks/get without the extension (%v): %v", meta, e)
		}
	}
	if err := s.Finish(); err != nil {
		t.Fatalf("exit: %v\n%s", err, s.Stderr())
	}
	if strings.Contains(s.Stdout.String(), "notifications/") {
		t.Errorf("a task request got notifications:\n%s", s.Stdout.String())
	}
}

func mustLine(t *testing.T, v any) string {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(raw)
}
