package schema

import (
	"encoding/json"
	"sort"
	"strings"
	"testing"

	"github.com/bctrlhq/bctrl-mcp/bctrl"
	"github.com/bctrlhq/bctrl-mcp/bctrl/bctrlsim"
)

// TestEveryAPIFieldIsReachable checks that each field of the OpenAPI request
// can be given through create_invocation, in the published schema and in
// the exact one that validates it, and that each field of the response is
// allowed by the output schema: named at the top level, or inside an
// object the schema leaves open.
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
	exact, err := generatedFile(ValidationFile(""))
	if err != nil {
		t.Fatal(err)
	}
	request := walk(defs["spaces_runtimesInvocationsCreate_Request"], defs)
	response := walk(defs["spaces_runtimesInvocationsCreate_Response_202"], defs)
	for _, c := range []struct {
		what string
		api  map[string]map[string]any
		ours json.RawMessage
		open bool // whether fields inside an open object count as reachable
	}{
		{"published create_invocation input", request, published[ToolCreate].Input, false},
		{"exact create_invocation input", request, exact, false},
		{"create_invocation output", response, published[ToolCreate].Output, true},
	} {
		var root map[string]any
		if err := json.Unmarshal(c.ours, &root); err != nil {
			t.Fatal(err)
		}
		ours := walk(root, nil)
		var missing []string
		for p := range c.api {
			if !reachable(p, ours, c.open) {
				missing = append(missing, p)
			}
		}
		sort.Strings(missing)
		if len(missing) > 0 {
			t.Errorf("%s: API fields not reachable:\n%s", c.what, strings.Join(missing, "\n"))
		}
		if len(c.api) < 20 {
			t.Errorf("%s: only %d API paths walked; the walk is broken", c.what, len(c.api))
		}
	}
}

// TestEveryProviderFieldIsValidatedForItsProvider checks that each config
// and options field of the published schema is accepted by the exact
// schema of at least one provider, so the flat form offers nothing that
// every call would reject.
func TestEveryProviderFieldIsValidatedForItsProvider(t *testing.T) {
	published, err := Published()
	if err != nil {
		t.Fatal(err)
	}
	var root map[string]any
	if err := json.Unmarshal(published[ToolCreate].Input, &root); err != nil {
		t.Fatal(err)
	}
	flat := walk(root, nil)
	byProvider := map[string]bool{}
	for _, p := range []bctrl.Provider{bctrl.ProviderStagehand, bctrl.ProviderBrowserUse} {
		raw, err := generatedFile(ValidationFile(p))
		if err != nil {
			t.Fatal(err)
		}
		var exact map[string]any
		if err := json.Unmarshal(raw, &exact); err != nil {
			t.Fatal(err)
		}
		for path := range walk(exact, nil) {
			byProvider[path] = true
		}
	}
	for path := range flat {
		if !byProvider[path] {
			t.Errorf("published field %s is valid for no provider", path)
		}
	}
}

// reachable reports whether path is in ours, or (when open counts) lies
// inside an object of ours that does not close its properties.
func reachable(path string, ours map[string]map[string]any, open bool) bool {
	if _, ok := ours[path]; ok {
		return true
	}
	if !open {
		return false
	}
	for p := parent(path); p != ""; p = parent(p) {
		if node, ok := ours[p]; ok {
			return node["type"] == "object" && node["additionalProperties"] != false
		}
	}
	return false
}

// parent is the path one step up: a.b[] → a.b → a.
func parent(path string) string {
	if strings.HasSuffix(path, "[]") {
		return strings.TrimSuffix(path, "[]")
	}
	if i := strings.LastIndexAny(path, "."); i >= 0 {
		return path[:i]
	}
	return ""
}

// walk collects every property path of a schema with the schema found
// there, through $ref, unions, items and maps.
func walk(node any, defs map[string]any) map[string]map[string]any {
	out := map[string]map[string]any{}
	collect(node, defs, "", out)
	return out
}

func collect(node any, defs map[string]any, at string, out map[string]map[string]any) {
	s, ok := node.(map[string]any)
	if !ok {
		return
	}
	if ref, ok := s["$ref"].(string); ok {
		collect(defs[strings.TrimPrefix(ref, "#/$defs/")], defs, at, out)
		return
	}
	props, _ := s["properties"].(map[string]any)
	for name, p := range props {
		path := strings.TrimPrefix(at+"."+name, ".")
		if ps, ok := p.(map[string]any); ok {
			out[path] = ps
		}
		collect(p, defs, path, out)
	}
	if items, ok := s["items"]; ok {
		collect(items, defs, at+"[]", out)
	}
	if ap, ok := s["additionalProperties"].(map[string]any); ok {
		collect(ap, defs, at+".*", out)
	}
	for _, k := range []string{"oneOf", "anyOf"} {
		branches, _ := s[k].([]any)
		for _, b := range branches {
			collect(b, defs, at, out)
		}
	}
}
