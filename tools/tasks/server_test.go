package tasks

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/bctrlhq/bctrl-mcp/bctrl"
	"github.com/bctrlhq/bctrl-mcp/tools/era"
)

// TestTaskFollowsTheInvocation: create as task → working with the
// progress line → completed with the full get_invocation result.
func TestTaskFollowsTheInvocation(t *testing.T) {
	s := newStack(t, false)
	created := s.createTask("Compare prices sim:steps=5")
	id, _ := created["taskId"].(string)
	if len(id) != 36 || created["status"] != "working" || created["statusMessage"] != "queued" ||
		created["ttlMs"] != float64(3600000) || created["pollIntervalMs"] != float64(3000) ||
		created["createdAt"] != "2026-07-28T09:00:00Z" || created["lastUpdatedAt"] != "2026-07-28T09:00:00Z" {
		t.Fatalf("CreateTaskResult %v", created)
	}
	if _, ok := created["result"]; ok {
		t.Fatal("a CreateTaskResult carries no result")
	}
	if got := s.getTask(id); got["resultType"] != "complete" || got["status"] != "working" || got["statusMessage"] != "queued" {
		t.Fatalf("tasks/get right after create: %v", got)
	}

	s.clock.Advance(3 * step) // queued, dispatching, then agent step 2
	working := s.getTask(id)
	if working["status"] != "working" || working["statusMessage"] != "running · step 2/5 · Reading the page" {
		t.Fatalf("tasks/get while running: %v", working)
	}
	if working["lastUpdatedAt"] == working["createdAt"] {
		t.Errorf("lastUpdatedAt did not move while running: %v", working)
	}

	s.clock.Advance(5 * step)
	done := s.getTask(id)
	if done["status"] != "completed" || done["statusMessage"] != "succeeded" || done["taskId"] != id {
		t.Fatalf("tasks/get after the end: %v", done)
	}
	result, _ := done["result"].(map[string]any)
	out, _ := result["structuredContent"].(map[string]any)
	if out["status"] != "succeeded" || out["terminal"] != true || result["isError"] != nil {
		t.Fatalf("completed task result %v", result)
	}
	// The result is exactly what get_invocation answers for the ended invocation.
	tool := s.result("tools/call", map[string]any{"name": "get_invocation", "arguments": map[string]any{"invocationId": id}, "_meta": meta(false)})
	if !reflect.DeepEqual(result, tool) {
		t.Fatalf("task result differs from get_invocation:\ntask: %v\ntool: %v", result, tool)
	}
}

// TestEndedInvocationsMapToTaskStatuses: a failed or timed-out invocation
// is a completed task whose result reports the failure; a cancelled one is
// a cancelled task.
func TestEndedInvocationsMapToTaskStatuses(t *testing.T) {
	s := newStack(t, false)
	cases := []struct{ instruction, status, message, invocation string }{
		{"sim:failed sim:steps=1", "completed", "failed · The agent could not complete the task", "failed"},
		{"sim:timed_out sim:steps=1", "completed", "timed_out · The invocation exceeded its time limit.", "timed_out"},
		{"sim:hang", "cancelled", "cancelled · The invocation was cancelled on request.", "cancelled"},
	}
	ids := make([]any, len(cases))
	for i, c := range cases {
		ids[i] = s.createTask(c.instruction)["taskId"]
	}
	if ack := s.result(era.TasksCancel, map[string]any{"taskId": ids[2], "_meta": meta(true)}); ack["resultType"] != "complete" {
		t.Fatalf("tasks/cancel: %v", ack)
	}
	s.clock.Advance(10 * step)
	for i, c := range cases {
		got := s.getTask(ids[i])
		msg, _ := got["statusMessage"].(string)
		if got["status"] != c.status || !strings.HasPrefix(msg, c.message) {
			t.Errorf("%s: task %v", c.instruction, got)
		}
		result, hasResult := got["result"].(map[string]any)
		if c.status != "completed" {
			if hasResult {
				t.Errorf("%s: a %s task carries a result", c.instruction, c.status)
			}
			continue
		}
		if out, _ := result["structuredContent"].(map[string]any); out["status"] != c.invocation {
			t.Errorf("%s: result %v", c.instruction, result)
		}
	}
}

// TestCancelAcknowledgesThenTheTaskEndsCancelled.
func TestCancelAcknowledgesThenTheTaskEndsCancelled(t *testing.T) {
	s := newStack(t, false)
	id := s.createTask("sim:hang")["taskId"]
	ack := s.result(era.TasksCancel, map[string]any{"taskId": id, "_meta": meta(true)})
	delete(ack, "_meta")
	if !reflect.DeepEqual(ack, map[string]any{"resultType": "complete"}) {
		t.Fatalf("tasks/cancel must answer an empty result: %v", ack)
	}
	if got := s.getTask(id); got["status"] != "working" || got["statusMessage"] != "cancelling" {
		t.Fatalf("right after tasks/cancel: %v", got)
	}
	s.clock.Advance(step)
	if got := s.getTask(id); got["status"] != "cancelled" {
		t.Fatalf("after the cancel took effect: %v", got)
	}
	// Cancelling an ended task is acknowledged and changes nothing.
	s.result(era.TasksCancel, map[string]any{"taskId": id, "_meta": meta(true)})
	if got := s.getTask(id); got["status"] != "cancelled" {
		t.Fatalf("after a second cancel: %v", got)
	}
}

// TestUpdateAcknowledgesAndIgnores: our tasks never ask for input.
func TestUpdateAcknowledgesAndIgnores(t *testing.T) {
	s := newStack(t, false)
	id := s.createTask("sim:steps=3")["taskId"]
	before := s.getTask(id)
	ack := s.result(era.TasksUpdate, map[string]any{"taskId": id, "_meta": meta(true),
		"inputResponses": map[string]any{"name": map[string]any{"action": "accept", "content": map[string]any{"x": 1}}}})
	if ack["resultType"] != "complete" || len(ack) != 2 {
		t.Fatalf("tasks/update: %v", ack)
	}
	if after := s.getTask(id); !reflect.DeepEqual(before, after) {
		t.Fatalf("tasks/update changed the task: %v → %v", before, after)
	}
}

// TestUnknownTaskIDsAreInvalidParams: not a uuid (never sent to bctrl), or
// a uuid bctrl does not know, for each method.
func TestUnknownTaskIDsAreInvalidParams(t *testing.T) {
	s := newStack(t, false)
	for _, method := range []string{era.TasksGet, era.TasksCancel, era.TasksUpdate} {
		for _, id := range []any{"not-a-task", "../../v1/invocations", 42, nil, strings.Repeat("a", 5000), "a" + strings.Repeat("é", 60)} {
			before := s.sim.Requests()
			e := s.errorOf(method, map[string]any{"taskId": id, "_meta": meta(true)})
			if code(e) != -32602 || s.sim.Requests() != before {
				t.Errorf("%s %v: %v (API requests %d → %d)", method, id, e, before, s.sim.Requests())
			}
			if msg, _ := e["message"].(string); len(msg) > 300 {
				t.Errorf("%s: the error echoes too much (%d bytes)", method, len(msg))
			} else if strings.ContainsRune(msg, utf8.RuneError) || strings.Contains(msg, `\x`) {
				t.Errorf("%s: the echoed id is cut inside a character: %q", method, msg)
			}
		}
		if e := s.errorOf(method, map[string]any{"taskId": unknownID, "_meta": meta(true)}); code(e) != -32602 || !strings.Contains(e["message"].(string), "not found") {
			t.Errorf("%s unknown uuid: %v", method, e)
		}
	}
}

// TestTasksMethodsNeedTheExtension: -32021 naming the extension, from a
// modern request that does not declare it and from legacy ones.
func TestTasksMethodsNeedTheExtension(t *testing.T) {
	s := newStack(t, false)
	id := s.createTask("sim:hang")["taskId"]
	legacyDeclaring := meta(true)
	legacyDeclaring["io.modelcontextprotocol/protocolVersion"] = "2025-11-25"
	before := s.sim.Requests()
	for _, method := range []string{era.TasksGet, era.TasksCancel, era.TasksUpdate} {
		for name, params := range map[string]map[string]any{
			"modern without the extension": {"taskId": id, "_meta": meta(false)},
			"legacy":                       {"taskId": id},
			"legacy version declaring it":  {"taskId": id, "_meta": legacyDeclaring},
		} {
			e := s.errorOf(method, params)
			raw, _ := json.Marshal(e["data"])
			if code(e) != -32021 || string(raw) != `{"requiredCapabilities":{"extensions":{"io.modelcontextprotocol/tasks":{}}}}` {
				t.Errorf("%s, %s: %v", method, name, e)
			}
		}
	}
	if s.sim.Requests() != before {
		t.Error("a refused tasks method reached the API")
	}
	if got := s.getTask(id); got["status"] != "working" {
		t.Fatalf("a refused tasks/cancel cancelled the invocation: %v", got)
	}
}

// TestBadCreateInputIsAToolErrorNotATask: nothing is created, so the answer
// is the tool's own isError result, and nothing reaches the API.
func TestBadCreateInputIsAToolErrorNotATask(t *testing.T) {
	s := newStack(t, false)
	for name, args := range map[string]map[string]any{
		"unknown field":   {"provider": "stagehand", "input": map[string]any{"instruction": "x"}, "colour": "red"},
		"bad waitSeconds": {"provider": "stagehand", "input": map[string]any{"instruction": "x"}, "waitSeconds": 99},
		"no provider":     {"input": map[string]any{"instruction": "x"}},
	} {
		res := s.result("tools/call", map[string]any{"name": "create_invocation", "arguments": args, "_meta": meta(true)})
		content, _ := res["content"].([]any)
		if res["resultType"] != "complete" || res["isError"] != true || len(content) == 0 || res["taskId"] != nil {
			t.Errorf("%s: %v", name, res)
		}
	}
	res := s.result("tools/call", map[string]any{"name": "create_invocation", "_meta": meta(true),
		"arguments": map[string]any{"provider": "stagehand", "input": map[string]any{"instruction": "x"}, "waitSeconds": 99}})
	if text := res["content"].([]any)[0].(map[string]any)["text"].(string); !strings.Contains(text, "waitSeconds") {
		t.Errorf("the error does not name waitSeconds: %s", text)
	}
	if s.sim.Requests() != 0 {
		t.Errorf("bad input reached the API (%d requests)", s.sim.Requests())
	}
}

// TestClientsWithoutTheExtensionSeeNoChange: every answer to a client that
// does not declare the extension is mcp-go's own, and create_invocation is
// never a task for it. (Calls that reach the API are compared by shape:
// each answer has its own invocation and request ids.)
func TestClientsWithoutTheExtensionSeeNoChange(t *testing.T) {
	s := newStack(t, false)
	legacyInit := map[string]any{"protocolVersion": "2025-11-25", "capabilities": map[string]any{}, "clientInfo": map[string]any{"name": "t", "version": "1"}}
	for name, msg := range map[string]json.RawMessage{
		"initialize":                 s.message("initialize", legacyInit),
		"legacy tools/list":          s.message("tools/list", nil),
		"modern tools/list":          s.message("tools/list", map[string]any{"_meta": meta(false)}),
		"modern get_invocation":      s.message("tools/call", map[string]any{"name": "get_invocation", "arguments": map[string]any{"invocationId": "nope"}, "_meta": meta(false)}),
		"bad input":                  s.message("tools/call", map[string]any{"name": "create_invocation", "arguments": map[string]any{}, "_meta": meta(false)}),
		"unknown method":             s.message("nope/nope", nil),
		"legacy tasks/list":          s.message("tasks/list", nil),
		"modern tasks/result":        s.message("tasks/result", map[string]any{"taskId": unknownID, "_meta": meta(true)}),
		"tool call with params.task": s.message("tools/call", map[string]any{"name": "get_invocation", "arguments": map[string]any{"invocationId": "nope"}, "task": map[string]any{"ttl": 1000}}),
	} {
		got, want := s.send(msg), wire(t, s.bare.HandleMessage(t.Context(), msg))
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\nlayer:  %v\nmcp-go: %v", name, got, want)
		}
	}
	legacyDeclaring := meta(true)
	legacyDeclaring["io.modelcontextprotocol/protocolVersion"] = "2025-11-25"
	for name, m := range map[string]map[string]any{"modern": meta(false), "legacy": nil, "legacy version declaring the extension": legacyDeclaring} {
		params := map[string]any{"name": "create_invocation", "arguments": map[string]any{"provider": "stagehand", "input": map[string]any{"instruction": "sim:hang"}, "waitSeconds": 0}}
		if m != nil {
			params["_meta"] = m
		}
		res := s.result("tools/call", params)
		out, _ := res["structuredContent"].(map[string]any)
		if res["taskId"] != nil || out["status"] != "queued" || out["idempotencyKey"] == nil {
			t.Errorf("%s create_invocation: %v", name, res)
		}
	}
}

// TestDiscoverAdvertisesTheExtensionOnly: server/discover lists the
// extension; mcp-go's own 2025-11-25 tasks are not offered anywhere.
func TestDiscoverAdvertisesTheExtensionOnly(t *testing.T) {
	s := newStack(t, false)
	discover := s.result("server/discover", map[string]any{"_meta": meta(false)})
	caps, _ := discover["capabilities"].(map[string]any)
	extensions, _ := caps["extensions"].(map[string]any)
	if !reflect.DeepEqual(extensions[ExtensionID], map[string]any{}) {
		t.Fatalf("discover capabilities %v", caps)
	}
	if _, ok := caps["tasks"]; ok {
		t.Errorf("discover advertises the 2025-11-25 tasks capability: %v", caps)
	}
	init := s.result("initialize", map[string]any{"protocolVersion": "2025-11-25", "capabilities": map[string]any{}, "clientInfo": map[string]any{"name": "t", "version": "1"}})
	initCaps, _ := init["capabilities"].(map[string]any)
	if _, ok := initCaps["tasks"]; ok {
		t.Errorf("initialize advertises tasks: %v", initCaps)
	}
	if initExtensions, _ := initCaps["extensions"].(map[string]any); initExtensions[ExtensionID] != nil {
		t.Errorf("initialize advertises the 2026-07-28 tasks extension: %v", initCaps)
	}
	tools, _ := s.result("tools/list", map[string]any{"_meta": meta(true)})["tools"].([]any)
	for _, tool := range tools {
		if execution := tool.(map[string]any)["execution"]; execution != nil {
			t.Errorf("%v declares execution (taskSupport): %v", tool.(map[string]any)["name"], execution)
		}
	}
	// The bare mcp-go server itself advertises no extension: the layer adds it.
	bare := wire(t, s.bare.HandleMessage(t.Context(), s.message("server/discover", map[string]any{"_meta": meta(false)})))
	if strings.Contains(mustJSON(t, bare), ExtensionID) {
		t.Errorf("mcp-go already advertises the extension; the layer's decoration is redundant: %v", bare)
	}
}

// TestReadOnlyServesNoTasks: without create and cancel there are no tasks;
// the extension is neither advertised nor answered.
func TestReadOnlyServesNoTasks(t *testing.T) {
	s := newStack(t, true)
	caps, _ := s.result("server/discover", map[string]any{"_meta": meta(true)})["capabilities"].(map[string]any)
	if extensions, _ := caps["extensions"].(map[string]any); extensions[ExtensionID] != nil {
		t.Errorf("read-only discover advertises the tasks extension: %v", caps)
	}
	for _, method := range []string{era.TasksGet, era.TasksCancel, era.TasksUpdate} {
		if e := s.errorOf(method, map[string]any{"taskId": unknownID, "_meta": meta(true)}); code(e) != -32601 {
			t.Errorf("read-only %s: %v", method, e)
		}
	}
	if e := s.errorOf("tools/call", map[string]any{"name": "create_invocation", "arguments": map[string]any{}, "_meta": meta(true)}); e == nil {
		t.Error("read-only server created a task")
	}
	if s.sim.Requests() != 0 {
		t.Errorf("read-only tasks methods reached the API (%d requests)", s.sim.Requests())
	}
}

// TestEraErrorsComeFirst: a tasks method with a version we do not
// implement, or an unknown log level, gets the era error.
func TestEraErrorsComeFirst(t *testing.T) {
	s := newStack(t, false)
	old := meta(true)
	old["io.modelcontextprotocol/protocolVersion"] = "2026-01-01"
	e := s.errorOf(era.TasksGet, map[string]any{"taskId": unknownID, "_meta": old})
	data, _ := e["data"].(map[string]any)
	if code(e) != -32022 || data["requested"] != "2026-01-01" || !strings.Contains(mustJSON(t, data["supported"]), "2026-07-28") {
		t.Fatalf("tasks/get at 2026-01-01: %v", e)
	}
	loud := meta(true)
	loud["io.modelcontextprotocol/logLevel"] = "loud"
	if e := s.errorOf("tools/call", map[string]any{"name": "create_invocation", "arguments": map[string]any{}, "_meta": loud}); code(e) != -32602 {
		t.Fatalf("unknown log level: %v", e)
	}
	if s.sim.Requests() != 0 {
		t.Error("a request refused for its era reached the API")
	}
}

// TestTimestampsFallBack: createdAt and lastUpdatedAt come from the
// invocation; without any, from the time of the answer.
func TestTimestampsFallBack(t *testing.T) {
	now := time.Date(2026, 8, 1, 12, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		created, heartbeat, finished string
		wantCreated, wantUpdated     string
	}{
		{"2026-07-28T09:00:00.5+02:00", "garbage", "2026-07-28T08:00:03Z", "2026-07-28T07:00:00.5Z", "2026-07-28T08:00:03Z"},
		{"", "", "", "2026-08-01T12:00:00Z", "2026-08-01T12:00:00Z"},
		{"", "2026-07-28T09:00:07Z", "", "2026-07-28T09:00:07Z", "2026-07-28T09:00:07Z"},
	} {
		inv := &bctrl.Invocation{CreatedAt: c.created, LastHeartbeatAt: c.heartbeat, FinishedAt: c.finished}
		created, updated := timestamps(inv, now)
		if created != c.wantCreated || updated != c.wantUpdated {
			t.Errorf("%+v: created %s updated %s", c, created, updated)
		}
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(raw)
}
