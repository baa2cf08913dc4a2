package schema

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// TestSchemasArePortable checks every published schema against the rules
// that keep a tool usable in every major client (PRODUCT.md §3 "Schemas")
// and cheap in its context (§7).
func TestSchemasArePortable(t *testing.T) {
	published, err := Published()
	if err != nil {
		t.Fatal(err)
	}
	for name, tool := range published {
		for kind, raw := range map[string]json.RawMessage{"input": tool.Input, "output": tool.Output} {
			var root map[string]any
			if err := json.Unmarshal(raw, &root); err != nil {
				t.Fatal(err)
			}
			where := name + " " + kind
			if root["type"] != "object" {
				t.Errorf("%s: root type %v, want object", where, root["type"])
			}
			for _, k := range []string{"oneOf", "anyOf", "allOf", "not", "if"} {
				if _, ok := root[k]; ok {
					t.Errorf("%s: top-level %s", where, k)
				}
			}
			for _, p := range lint(root, "", kind == "input") {
				t.Errorf("%s: %s", where, p)
			}
			if kind == "input" {
				for _, p := range topLevelInputs(root) {
					t.Errorf("%s: %s", where, p)
				}
			}
		}
	}
}

// topLevelInputs checks the arguments a client builds a form for and a
// model reads first: each has a type (MCP Inspector sends an untyped
// argument as a string) and a description, unless its only allowed value
// says it all.
func topLevelInputs(root map[string]any) []string {
	var out []string
	props, _ := root["properties"].(map[string]any)
	for name, p := range props {
		ps, _ := p.(map[string]any)
		if _, ok := ps["type"].(string); !ok {
			out = append(out, fmt.Sprintf("%s: no type", name))
		}
		if d, _ := ps["description"].(string); d == "" && len(asSlice(ps["enum"])) != 1 {
			out = append(out, fmt.Sprintf("%s: no description", name))
		}
	}
	return out
}

// lint walks every subschema and returns the rule violations found. Input
// objects are ours and closed; output objects relay the API and stay open,
// so that fields a newer API adds still validate.
func lint(s map[string]any, at string, input bool) []string {
	var out []string
	for _, k := range []string{"$ref", "$defs", "definitions", "$schema", "$id", "title"} {
		if _, ok := s[k]; ok {
			out = append(out, fmt.Sprintf("%s: has %s", at, k))
		}
	}
	if _, ok := s["type"].(string); !ok && s["type"] != nil {
		out = append(out, fmt.Sprintf("%s: type union %v", at, s["type"]))
	}
	if s["type"] == "array" {
		if _, ok := s["items"].(map[string]any); !ok {
			out = append(out, at+": array without items")
		}
	}
	if f, ok := s["format"]; ok && f != "uuid" {
		out = append(out, fmt.Sprintf("%s: format %v", at, f))
	}
	props, hasProps := s["properties"].(map[string]any)
	closed := s["additionalProperties"] == false
	if input && hasProps && !closed {
		out = append(out, at+": input object with properties is not closed (additionalProperties: false)")
	}
	if !input && closed {
		out = append(out, at+": output object is closed; a field a newer API adds would break the result")
	}
	if ap, ok := s["additionalProperties"]; ok && ap != false {
		out = append(out, sub(ap, at+".*", input)...)
	}
	for name, p := range props {
		if _, ok := p.(map[string]any); !ok {
			out = append(out, fmt.Sprintf("%s.%s: boolean schema", at, name))
			continue
		}
		out = append(out, sub(p, at+"."+name, input)...)
	}
	if items, ok := s["items"]; ok {
		out = append(out, sub(items, at+"[]", input)...)
	}
	for _, k := range []string{"oneOf", "anyOf", "allOf"} {
		branches, _ := s[k].([]any)
		for i, b := range branches {
			out = append(out, sub(b, fmt.Sprintf("%s<%s %d>", at, k, i), input)...)
		}
	}
	if input && strings.Contains(strings.ToLower(at), "id") && s["type"] == "string" && s["format"] != "uuid" && uuidField(at[strings.LastIndex(at, ".")+1:]) {
		out = append(out, fmt.Sprintf("%s: uuid field without format uuid", at))
	}
	return out
}

func sub(v any, at string, input bool) []string {
	m, ok := v.(map[string]any)
	if !ok {
		return []string{at + ": boolean schema"}
	}
	return lint(m, at, input)
}

// uuidField names the fields the API documents as uuids.
func uuidField(name string) bool {
	return slices.Contains([]string{"spaceId", "runtimeId", "invocationId", "toolsetId", "fileId", "runId"}, name)
}

func asSlice(v any) []any {
	s, _ := v.([]any)
	return s
}
