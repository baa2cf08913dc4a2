package jsonval

import (
	"strings"
	"testing"
)

const doc = `{
  "type": "object", "additionalProperties": false, "required": ["kind"],
  "properties": {
    "kind": {"type": "string", "enum": ["a", "b"]},
    "name": {"type": "string", "minLength": 1, "maxLength": 5},
    "n": {"type": "integer", "minimum": 0, "maximum": 50},
    "id": {"type": "string", "format": "uuid"},
    "list": {"type": "array", "maxItems": 2, "items": {"type": "string"}},
    "pick": {"oneOf": [
      {"type": "object", "additionalProperties": false, "required": ["x"], "properties": {"x": {"type": "string"}}},
      {"type": "object", "additionalProperties": false, "required": ["y"], "properties": {"y": {"type": "string"}}}
    ]},
    "flex": {"anyOf": [{"type": "string"}, {"type": "boolean"}]},
    "tagged": {"oneOf": [
      {"type": "object", "additionalProperties": false, "required": ["t"], "properties": {"t": {"enum": ["one"]}, "size": {"type": "integer"}}},
      {"type": "object", "additionalProperties": false, "required": ["t"], "properties": {"t": {"enum": ["two"]}, "color": {"type": "string"}}}
    ]}
  }
}`

func TestProblemsNameTheFieldAndTheRule(t *testing.T) {
	schemaDoc, err := Decode([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	v, err := Compile(schemaDoc, "")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ in, want string }{
		{`{"kind":"a"}`, ""},
		{`{}`, `missing required field "kind"`},
		{`{"kind":"c"}`, `kind: "c" is not allowed; use one of "a", "b"`},
		{`{"kind":"a","extra":1}`, `unknown field "extra"; valid fields here: flex, id, kind, list, n, name, pick, tagged`},
		{`{"kind":"a","name":""}`, "name: is 0 characters long; at least 1 are required"},
		{`{"kind":"a","name":"abcdefg"}`, "name: is 7 characters long; at most 5 are allowed"},
		{`{"kind":"a","n":51}`, "n: is 51; the maximum is 50"},
		{`{"kind":"a","n":-1}`, "n: is -1; the minimum is 0"},
		{`{"kind":"a","n":2.5}`, "n: must be integer, not number"},
		{`{"kind":"a","id":"x"}`, `id: "x" is not a valid uuid`},
		{`{"kind":"a","list":["a","b","c"]}`, "list: has 3 items; at most 2 are allowed"},
		{`{"kind":"a","list":[1]}`, "list[0]: must be string, not number"},
		{`{"kind":"a","pick":{}}`, `pick: matches none of the allowed forms: (missing required field "x") | (missing required field "y")`},
		{`{"kind":"a","flex":3}`, "flex: must be string or boolean, not number"},
		{`{"kind":"a","tagged":{"t":"two","size":3}}`, `tagged: unknown field "size"; valid fields here: color, t`},
		{`{"kind":"a","tagged":{"t":"three"}}`, `tagged.t: "three" is not allowed; use one of "one", "two"`},
	}
	for _, tt := range tests {
		value, err := Decode([]byte(tt.in))
		if err != nil {
			t.Fatal(err)
		}
		got := Summary(v.Validate(value))
		if tt.want == "" && got != "" || !strings.Contains(got, tt.want) {
			t.Errorf("%s: got %q, want %q", tt.in, got, tt.want)
		}
	}
}
