package schema

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/bctrlhq/bctrl-mcp/bctrl"
)

// TestOutputKeepsEveryFieldThroughJSON: the output's own fields, the
// invocation's, and those a newer API added all survive encoding and
// decoding, each once.
func TestOutputKeepsEveryFieldThroughJSON(t *testing.T) {
	inv := fullInvocation()
	inv.Extra = map[string]json.RawMessage{"billing": json.RawMessage(`{"credits":3}`), "next": json.RawMessage(`"from the API"`)}
	out := InvocationOutput{Invocation: inv, Terminal: true, Next: "nothing", IdempotencyKey: "k",
		Artifacts: []Artifact{{ID: "a1", RunID: "r", Name: "shot.png", Kind: "screenshot", ContentType: "image/png", SizeBytes: bctrl.Ptr[int64](0), URI: "bctrl://runs/r/artifacts/a1"}}}
	raw, err := json.Marshal(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"terminal":true`, `"next":"nothing"`, `"idempotencyKey":"k"`, `"billing":{"credits":3}`, `"artifactCount":1`, `"sizeBytes":0`, `"uri":"bctrl://runs/r/artifacts/a1"`} {
		if !strings.Contains(string(raw), want) {
			t.Errorf("encoded output lacks %s: %s", want, raw)
		}
	}
	if strings.Count(string(raw), `"next"`) != 1 {
		t.Errorf("next written twice: %s", raw)
	}
	if _, kept := out.Extra["next"]; !kept {
		t.Error("encoding changed the caller's Extra")
	}
	var back InvocationOutput
	if err := json.Unmarshal(raw, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back.Extra, map[string]json.RawMessage{"billing": json.RawMessage(`{"credits":3}`)}) || !back.Terminal || back.Next != "nothing" ||
		back.IdempotencyKey != "k" || !reflect.DeepEqual(back.Artifacts, out.Artifacts) || *back.ArtifactCount != 1 {
		t.Errorf("decoded %+v", back)
	}
	again, _ := json.Marshal(back)
	if string(again) != string(raw) {
		t.Errorf("encoded again\n%s\nfirst\n%s", again, raw)
	}
}

// BenchmarkOutputMarshal is the encoding every tool result pays for its
// structuredContent.
func BenchmarkOutputMarshal(b *testing.B) {
	inv := fullInvocation()
	inv.Extra = map[string]json.RawMessage{"billing": json.RawMessage(`{"credits":3}`)}
	out := InvocationOutput{Invocation: inv, Terminal: true, Next: "nothing", IdempotencyKey: "k",
		Artifacts: []Artifact{{ID: "a1", RunID: "r", Name: "shot.png", URI: "bctrl://runs/r/artifacts/a1"}}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := json.Marshal(out); err != nil {
			b.Fatal(err)
		}
	}
}
