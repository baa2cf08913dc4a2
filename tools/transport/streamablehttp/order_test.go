package streamablehttp

import (
	"encoding/json"
	"fmt"
	"sync"
	"testing"
)

// TestProgressStreamsBeforeTheAnswer runs many concurrent calls that each
// send progress from two goroutines and checks every response on the wire:
// all of its own progress, in order, then its answer, which ends the stream;
// nothing of another request, nothing after the answer.
func TestProgressStreamsBeforeTheAnswer(t *testing.T) {
	for _, modern := range []bool{false, true} {
		t.Run(fmt.Sprintf("modern=%v", modern), func(t *testing.T) {
			ts := serve(t, newTestTools(), Options{MaxInFlightPerKey: 1000})
			const calls, n = 64, 40
			var wg sync.WaitGroup
			for i := range calls {
				wg.Go(func() {
					id := fmt.Sprintf("call-%d", i)
					var headers map[string]string
					if modern {
						headers = modernHeaders("tools/call", "progress")
					}
					r, err := try(t.Context(), "POST", ts.URL+"/mcp", callBody(id, "progress", fmt.Sprintf(`{"n":%d}`, n), modern), headers)
					if err != nil {
						t.Error(err)
						return
					}
					checkStream(t, id, n, r)
				})
			}
			wg.Wait()
		})
	}
}

func checkStream(t *testing.T, id string, n int, r reply) {
	t.Helper()
	if r.status != 200 || !r.sse {
		t.Errorf("%s: status %d, sse %v: %s", id, r.status, r.sse, r.raw)
		return
	}
	want := 1
	for i, m := range r.messages {
		switch {
		case m.Method == "notifications/progress":
			if m.Params["progressToken"] != id {
				t.Errorf("%s: carries progress of %v", id, m.Params["progressToken"])
			}
			if p, _ := m.Params["progress"].(float64); int(p) != want {
				t.Errorf("%s: progress %v at position %d, want %d", id, m.Params["progress"], i, want)
			}
			want++
		case m.Method == "":
			var got string
			_ = json.Unmarshal(m.ID, &got)
			if got != id || i != len(r.messages)-1 {
				t.Errorf("%s: answer with id %s at position %d of %d", id, m.ID, i, len(r.messages))
			}
		default:
			t.Errorf("%s: unexpected %s", id, m.Method)
		}
	}
	if want != n+1 {
		t.Errorf("%s: %d of %d progress notifications arrived", id, want-1, n)
	}
	if last := r.last(); last.Result == nil {
		t.Errorf("%s: the stream does not end with the answer: %s", id, r.raw)
	}
}

// TestNotificationsAfterTheAnswerAreNeverWritten: a notification a tool's
// goroutine sends once the answer is out is dropped, and the server goes on.
func TestNotificationsAfterTheAnswerAreNeverWritten(t *testing.T) {
	tt := newTestTools()
	ts := serve(t, tt, Options{})
	r := post(t, ts.URL+"/mcp", callBody("late", "late", `{}`, false), nil)
	if len(r.messages) != 1 || r.last().Result == nil {
		t.Fatalf("answer: %s", r.raw)
	}
	gate := waitFor(t, tt.late, "the late tool handing over its gate")
	close(gate) // the notification goes to a channel no one reads any more
	checkStream(t, "p", 3, post(t, ts.URL+"/mcp", callBody("p", "progress", `{"n":3}`, false), nil))
}
