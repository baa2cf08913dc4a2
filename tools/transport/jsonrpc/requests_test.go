package jsonrpc

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
)

func mustID(t *testing.T, raw string) ID {
	t.Helper()
	id, err := ParseID(json.RawMessage(raw))
	if err != nil {
		t.Fatalf("ParseID(%s): %v", raw, err)
	}
	return id
}

// TestCancellationsOfUnknownIDsAreDropped: cancellations naming ids that
// are not in flight leave nothing behind and cancel no later request.
func TestCancellationsOfUnknownIDsAreDropped(t *testing.T) {
	r := NewRequests()
	for i := range 10000 {
		r.Cancel(mustID(t, fmt.Sprint(i)))
	}
	if n := r.Len(); n != 0 {
		t.Fatalf("%d ids kept after cancelling ids not in flight", n)
	}
	later, _ := r.Begin(t.Context(), mustID(t, "9999"))
	if later.Err() != nil {
		t.Fatal("a request began cancelled by a cancellation that came before it")
	}
}

func TestCancelReachesOnlyItsRequest(t *testing.T) {
	r := NewRequests()
	ids := []string{`7`, `"7"`, `9007199254740993`, `9007199254740992`, `-0`}
	ctxs := map[string]context.Context{}
	for _, raw := range ids {
		ctx, ok := r.Begin(t.Context(), mustID(t, raw))
		if !ok {
			t.Fatalf("Begin(%s) refused", raw)
		}
		ctxs[raw] = ctx
	}
	if _, ok := r.Begin(t.Context(), mustID(t, "0")); ok {
		t.Fatal("0 began while -0 was in flight")
	}
	r.Cancel(mustID(t, `7`))
	r.Cancel(mustID(t, `9007199254740993`))
	for raw, ctx := range ctxs {
		want := raw == `7` || raw == `9007199254740993`
		if (ctx.Err() != nil) != want {
			t.Errorf("%s: cancelled %v, want %v", raw, ctx.Err() != nil, want)
		}
		if got := r.End(mustID(t, raw)); got != want {
			t.Errorf("End(%s) = %v, want %v", raw, got, want)
		}
	}
	if r.Len() != 0 {
		t.Fatalf("%d ids left after every request ended", r.Len())
	}
}

func TestKeyIsTheIDsIdentity(t *testing.T) {
	same := [][2]string{{`"a\u0062"`, `"ab"`}, {`-0`, `0`}, {`12`, `12`}}
	for _, p := range same {
		if a, b := mustID(t, p[0]), mustID(t, p[1]); a.Key() != b.Key() {
			t.Errorf("%s and %s have different keys", p[0], p[1])
		}
	}
	if mustID(t, `"7"`).Key() == mustID(t, `7`).Key() {
		t.Error(`"7" and 7 share a key`)
	}
}
