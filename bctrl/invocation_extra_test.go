package bctrl

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

// newerInvocation is an answer from an API newer than this client: fields
// it does not know, at the top level, next to ones it does.
const newerInvocation = `{"id":"` + testInvID + `","status":"succeeded","artifactCount":0,"stepCount":3,
	"billing":{"credits":3,"apiKey":"sk-NEW"},"tags":["a","b"],"priority":null,"durationMs":1200}`

// TestUnknownFieldsSurviveDecodeAndEncode: fields a newer API adds are
// kept as they came and written back, so they reach the caller's output.
func TestUnknownFieldsSurviveDecodeAndEncode(t *testing.T) {
	var inv Invocation
	if err := json.Unmarshal([]byte(newerInvocation), &inv); err != nil {
		t.Fatal(err)
	}
	if inv.Status != StatusSucceeded || inv.Steps() != 3 || inv.DurationMS == nil || *inv.DurationMS != 1200 {
		t.Errorf("known fields %+v", inv)
	}
	if len(inv.Extra) != 3 || string(inv.Extra["tags"]) != `["a","b"]` || string(inv.Extra["priority"]) != "null" {
		t.Errorf("extra fields %v", inv.Extra)
	}
	raw, err := json.Marshal(inv)
	if err != nil {
		t.Fatal(err)
	}
	var back map[string]any
	if err := json.Unmarshal(raw, &back); err != nil {
		t.Fatalf("%v in %s", err, raw)
	}
	var want map[string]any
	_ = json.Unmarshal([]byte(newerInvocation), &want)
	if !jsonEqual(back, want) {
		t.Errorf("encoded %s\nwant the same fields as %s", raw, newerInvocation)
	}
}

// TestCountersZeroIsAValue: a counter of 0 (artifacts, steps, sequence
// number) is reported as 0, and an answer without the field stays without it.
func TestCountersZeroIsAValue(t *testing.T) {
	for _, field := range []string{"artifactCount", "stepCount", "sequenceNo"} {
		for body, want := range map[string]string{
			`{"id":"x","status":"running","` + field + `":0}`: `"` + field + `":0`,
			`{"id":"x","status":"running","` + field + `":2}`: `"` + field + `":2`,
			`{"id":"x","status":"running"}`:                   "",
		} {
			var inv Invocation
			if err := json.Unmarshal([]byte(body), &inv); err != nil {
				t.Fatal(err)
			}
			raw, _ := json.Marshal(inv)
			if got := strings.Contains(string(raw), `"`+field+`"`); got != (want != "") || !strings.Contains(string(raw), want) {
				t.Errorf("%s encodes as %s, want %q", body, raw, want)
			}
		}
	}
}

// TestExtraNeverDuplicatesAKnownField: an Extra entry named like a known
// field (set by hand, or differing only in case) is not written twice.
func TestExtraNeverDuplicatesAKnownField(t *testing.T) {
	inv := Invocation{ID: "x", Status: StatusRunning, Extra: map[string]json.RawMessage{"status": []byte(`"other"`), "Status": []byte(`"x"`), "new": []byte(`1`)}}
	raw, err := json.Marshal(inv)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Count(strings.ToLower(string(raw)), `"status"`) != 1 || !strings.Contains(string(raw), `"new":1`) || !strings.Contains(string(raw), `"status":"running"`) {
		t.Errorf("encoded %s", raw)
	}
}

// TestWaitEnvelopeFieldsAreNotInvocationFields: waitStatus and
// retryAfterSeconds belong to the /wait answer, not to the invocation.
func TestWaitEnvelopeFieldsAreNotInvocationFields(t *testing.T) {
	c, mux := setup(t)
	mux.HandleFunc("/v1/invocations/"+testInvID+"/wait", func(w http.ResponseWriter, r *http.Request) {
		body := sampleInvocation(StatusSucceeded)
		body["waitStatus"], body["retryAfterSeconds"], body["newField"] = "completed", 2, true
		writeJSON(w, 200, body)
	})
	inv, err := c.WaitInvocation(t.Context(), testInvID, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if len(inv.Extra) != 1 || string(inv.Extra["newField"]) != "true" {
		t.Errorf("extra %v, want only newField", inv.Extra)
	}
}
