package era

import (
	"encoding/json"
	"slices"
	"testing"
)

var supported = []string{"2026-07-28", "2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"}

// request builds a tools/list request whose _meta holds the given keys (raw JSON values).
func request(meta map[string]string) json.RawMessage {
	m := map[string]json.RawMessage{}
	for k, v := range meta {
		m["io.modelcontextprotocol/"+k] = json.RawMessage(v)
	}
	raw, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": map[string]any{"_meta": m}})
	return raw
}

func TestCheck(t *testing.T) {
	modern := func(extra map[string]string) map[string]string {
		m := map[string]string{"protocolVersion": `"2026-07-28"`, "clientCapabilities": `{}`}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	cases := []struct {
		name string
		meta map[string]string
		code int // 0: served
	}{
		{"no _meta at all (initialize era)", nil, 0},
		{"current version", modern(nil), 0},
		{"a legacy version we implement", map[string]string{"protocolVersion": `"2025-11-25"`}, 0},
		{"unknown version before 2026-07-28", map[string]string{"protocolVersion": `"2026-01-01"`, "clientCapabilities": `{}`}, -32022},
		{"unknown ancient version", map[string]string{"protocolVersion": `"1900-01-01"`}, -32022},
		{"unknown future version", map[string]string{"protocolVersion": `"2027-01-01"`, "clientCapabilities": `{}`}, -32022},
		{"empty version", map[string]string{"protocolVersion": `""`}, -32022},
		{"version not a string", map[string]string{"protocolVersion": `20260728`}, -32602},
		{"known log level", modern(map[string]string{"logLevel": `"warning"`}), 0},
		{"unknown log level", modern(map[string]string{"logLevel": `"loud"`}), -32602},
		{"log level not a string", modern(map[string]string{"logLevel": `3`}), -32602},
		{"log level on a legacy request is not ours to judge", map[string]string{"protocolVersion": `"2025-11-25"`, "logLevel": `"loud"`}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := Check(Parse(request(c.meta)), supported)
			switch {
			case c.code == 0 && e != nil:
				t.Fatalf("rejected with %d %s", e.Code, e.Message)
			case c.code == 0:
				return
			case e == nil:
				t.Fatalf("served; want error %d", c.code)
			case e.Code != c.code:
				t.Fatalf("code %d (%s); want %d", e.Code, e.Message, c.code)
			case e.Code >= -32019 && e.Code <= -32000:
				t.Fatalf("code %d is in the legacy reserved range", e.Code)
			}
		})
	}
}

func TestUnsupportedVersionSaysWhatIsSupported(t *testing.T) {
	e := Check(Parse(request(map[string]string{"protocolVersion": `"2026-01-01"`, "clientCapabilities": `{}`})), supported)
	raw, _ := json.Marshal(e.Data)
	var data struct {
		Supported []string `json:"supported"`
		Requested string   `json:"requested"`
	}
	if err := json.Unmarshal(raw, &data); err != nil || data.Requested != "2026-01-01" || !slices.Equal(data.Supported, supported) {
		t.Fatalf("data %s", raw)
	}
}

func TestParse(t *testing.T) {
	m := Parse(request(map[string]string{
		"protocolVersion":    `"2026-07-28"`,
		"logLevel":           `"info"`,
		"clientCapabilities": `{"extensions":{"io.modelcontextprotocol/tasks":{},"x.example/flag":true}}`,
	}))
	if !m.Modern || m.Version != "2026-07-28" || m.LogLevel != "info" {
		t.Fatalf("%+v", m)
	}
	if !m.Declares("io.modelcontextprotocol/tasks") || m.Declares("x.example/flag") || m.Declares("io.modelcontextprotocol/ui") {
		t.Fatalf("declared extensions read wrongly: %v", m.Extensions)
	}
	for _, garbage := range []string{`not json`, `[]`, `{"params":7}`, `{"params":{"_meta":"x"}}`} {
		if got := Parse(json.RawMessage(garbage)); got.Modern || got.Version != "" || Check(got, supported) != nil {
			t.Errorf("%s: %+v", garbage, got)
		}
	}
	if m := Parse(request(map[string]string{"protocolVersion": `"2025-11-25"`})); m.Modern {
		t.Errorf("%+v is not modern", m)
	}
}
