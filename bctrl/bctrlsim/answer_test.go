package bctrlsim

import (
	"testing"
	"time"
)

// finalAnswer runs an invocation with the given instruction to its end and
// returns its first step's result.
func finalAnswer(t *testing.T, instruction string) any {
	t.Helper()
	h := newHarness(t, Options{})
	inv := h.create(map[string]any{"provider": "stagehand", "operation": "agent.execute", "input": map[string]any{"instruction": instruction}})
	h.clock.Advance(10 * time.Second)
	_, got := h.do("GET", "/v1/invocations/"+inv["id"].(string), nil, key)
	assertContract(t, got)
	if got["status"] != "succeeded" {
		t.Fatalf("status %v, want succeeded", got["status"])
	}
	steps := got["result"].(map[string]any)["steps"].([]any)
	return steps[0].(map[string]any)["result"]
}

func TestTableMarkerAnswersRows(t *testing.T) {
	rows, ok := finalAnswer(t, "List the cheapest flights sim:steps=3 sim:table").([]any)
	if !ok || len(rows) < 2 {
		t.Fatalf("sim:table answered %#v, want an array of rows", rows)
	}
	first, ok := rows[0].(map[string]any)
	if !ok || len(first) < 2 {
		t.Fatalf("row 0 is %#v, want an object with several fields", rows[0])
	}
	for i, r := range rows {
		row, ok := r.(map[string]any)
		if !ok || len(row) != len(first) {
			t.Errorf("row %d is %#v, want the same fields as row 0", i, r)
		}
	}
}

func TestDefaultAnswerIsAnObject(t *testing.T) {
	answer, ok := finalAnswer(t, "Find the price sim:steps=3").(map[string]any)
	if !ok || answer["answer"] != "Done: Find the price" || answer["steps"] != float64(3) {
		t.Fatalf("default answer %#v, want {answer: \"Done: Find the price\", steps: 3}", answer)
	}
}
