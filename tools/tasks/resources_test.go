package tasks

import (
	"strings"
	"testing"
)

// TestUnknownResourcesGetTheErasError: every resources/read that names
// nothing gets -32002 in the initialize era and -32602 in 2026-07-28,
// whether no template matches the URI (mcp-go's own answer) or a template
// matches but there is no such invocation, run or artifact (the handlers'
// answer, which mcp-go would send as -32603).
func TestUnknownResourcesGetTheErasError(t *testing.T) {
	s := newStack(t, false)
	created := s.result("tools/call", map[string]any{"name": "create_invocation",
		"arguments": map[string]any{"provider": "stagehand", "input": map[string]any{"instruction": "sim:artifacts"}, "waitSeconds": 0}})
	runID, _ := created["structuredContent"].(map[string]any)["runId"].(string)
	if runID == "" {
		t.Fatalf("create: %v", created)
	}
	uris := []string{
		"bctrl://nothing/here",
		"bctrl://invocations/not-a-uuid",
		"bctrl://invocations/" + unknownID,
		"bctrl://runs/" + unknownID + "/artifacts/a1",
		"bctrl://runs/" + runID + "/artifacts/no-such-artifact",
		"bctrl://runs/not-a-run/artifacts/a1",
	}
	for _, era := range []struct {
		name string
		meta map[string]any
		code int
	}{{"2025-11-25", nil, -32002}, {"2026-07-28", meta(false), -32602}} {
		for _, uri := range uris {
			params := map[string]any{"uri": uri}
			if era.meta != nil {
				params["_meta"] = era.meta
			}
			e := s.errorOf("resources/read", params)
			msg, _ := e["message"].(string)
			if code(e) != era.code || !strings.Contains(msg, "not found") && !strings.Contains(msg, "unknown resource") {
				t.Errorf("%s %s: %v, want code %d naming the resource as unknown", era.name, uri, e, era.code)
			}
		}
	}
}

// TestInvocationResourceReadsInBothEras: a known invocation reads as JSON
// in either era.
func TestInvocationResourceReadsInBothEras(t *testing.T) {
	s := newStack(t, false)
	created := s.result("tools/call", map[string]any{"name": "create_invocation",
		"arguments": map[string]any{"provider": "stagehand", "input": map[string]any{"instruction": "Find the price"}, "waitSeconds": 0}})
	id := created["structuredContent"].(map[string]any)["id"].(string)
	for _, m := range []map[string]any{nil, meta(false)} {
		params := map[string]any{"uri": "bctrl://invocations/" + id}
		if m != nil {
			params["_meta"] = m
		}
		res := s.result("resources/read", params)
		contents, _ := res["contents"].([]any)
		if len(contents) != 1 || !strings.Contains(contents[0].(map[string]any)["text"].(string), `"id":"`+id+`"`) {
			t.Errorf("read: %v", res)
		}
	}
}
