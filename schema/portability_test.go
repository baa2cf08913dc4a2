package schema

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/bctrlhq/bctrl-mcp/bctrl/bctrlsim"
)

// TestSchemasArePortable checks every published schema against the rules
// that keep a tool usable in every major client (PRODUCT.md §3 "Schemas").
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
			for _, p := range lint(root, "") {
				// The output relays what the API sends; the OpenAPI text gives
				// resolved.runtimeId no uuid format, so only inputs must have one.
				if kind == "output" && strings.Contains(p, "uuid field") {
					continue
				}
				t.Errorf("%s: %s", where, p)
			}
		}
	}
}

// lint walks every subschema and returns the rule violations found.
func lint(s map[string]any, at string) []string {
	var out []string
	for _, k := range []string{"$ref", "$defs", "definitions", "$schema", "$id"} {
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
	if hasProps && s["additionalProperties"] != false {
		out = append(out, at+": object with properties is not closed (additionalProperties: false)")
	}
	if ap, ok := s["additionalProperties"]; ok && ap != false {
		out = append(out, sub(ap, at+".*")...)
	}
	for name, p := range props {
		ps, ok := p.(map[string]any)
		if !ok {
			out = append(out, fmt.Sprintf("%s.%s: boolean schema", at, name))
			continue
		}
		if d, _ := ps["description"].(string); d == "" {
			out = append(out, fmt.Sprintf("%s.%s: no description", at, name))
		}
		if strings.Contains(strings.ToLower(name), "id") && ps["type"] == "string" && ps["format"] != "uuid" && uuidField(name) {
			out = append(out, fmt.Sprintf("%s.%s: uuid field without format uuid", at, name))
		}
		out = append(out, sub(p, at+"."+name)...)
	}
	if items, ok := s["items"]; ok {
		out = append(out, sub(items, at+"[]")...)
	}
	for _, k := range []string{"oneOf", "anyOf", "allOf"} {
		branches, _ := s[k].([]any)
		for i, b := range branches {
			out = append(out, sub(b, fmt.Sprintf("%s<%s %d>", at, k, i))...)
		}
	}
	return out
}

func sub(v any, at string) []string {
	m, ok := v.(map[string]any)
	if !ok {
		return []string{at + ": boolean schema"}
	}
	return lint(m, at)
}

// uuidField names the fields the API documents as uuids.
func uuidField(name string) bool {
	return slices.Contains([]string{"spaceId", "runtimeId", "invocationId", "toolsetId", "fileId", "runId"}, name)
}

// TestEveryAPIFieldIsReachable checks that each field of the OpenAPI request
// can be given through create_invocation, and each field of the response
// appears in the output schema.
func TestEveryAPIFieldIsReachable(t *testing.T) {
	doc, err := bctrlsim.ContractDocument()
	if err != nil {
		t.Fatal(err)
	}
	defs := doc["$defs"].(map[string]any)
	published, err := Published()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		api  string
		ours json.RawMessage
	}{
		{"spaces_runtimesInvocationsCreate_Request", published[ToolCreate].Input},
		{"spaces_runtimesInvocationsCreate_Response_202", published[ToolCreate].Output},
	} {
		apiPaths := paths(defs[c.api], defs, "", map[string]bool{})
		var ours map[string]any
		_ = json.Unmarshal(c.ours, &ours)
		ourPaths := paths(ours, nil, "", map[string]bool{})
		var missing []string
		for p := range apiPaths {
			if !ourPaths[p] {
				missing = append(missing, p)
			}
		}
		sort.Strings(missing)
		if len(missing) > 0 {
			t.Errorf("%s: fields not reachable from our schema:\n%s", c.api, strings.Join(missing, "\n"))
		}
		if len(apiPaths) < 20 {
			t.Errorf("%s: only %d paths walked; the walk is broken", c.api, len(apiPaths))
		}
	}
}

// paths collects every property path of a schema, through $ref, unions, items and maps.
func paths(node any, defs map[string]any, at string, out map[string]bool) map[string]bool {
	s, ok := node.(map[string]any)
	if !ok {
		return out
	}
	if ref, ok := s["$ref"].(string); ok {
		return paths(defs[strings.TrimPrefix(ref, "#/$defs/")], defs, at, out)
	}
	props, _ := s["properties"].(map[string]any)
	for name, p := range props {
		path := strings.TrimPrefix(at+"."+name, ".")
		out[path] = true
		paths(p, defs, path, out)
	}
	if items, ok := s["items"]; ok {
		paths(items, defs, at+"[]", out)
	}
	if ap, ok := s["additionalProperties"].(map[string]any); ok {
		paths(ap, defs, at+".*", out)
	}
	for _, k := range []string{"oneOf", "anyOf"} {
		branches, _ := s[k].([]any)
		for _, b := range branches {
			paths(b, defs, at, out)
		}
	}
	return out
}
