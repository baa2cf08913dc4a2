package main

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/bctrlhq/bctrl-mcp/tools"
	"github.com/mark3labs/mcp-go/mcp"
)

// Markers around the generated tool reference in README.md.
const (
	docsStart = "<!-- START AUTOMATED TOOLS -->"
	docsEnd   = "<!-- END AUTOMATED TOOLS -->"
)

func docsCmd(stdout, stderr io.Writer) int {
	text, err := toolDocs()
	if err != nil {
		fmt.Fprintf(stderr, "bctrl-mcp: %v\n", err)
		return 1
	}
	fmt.Fprint(stdout, text)
	return 0
}

// toolDocs renders the tool reference from the registry, so the README cannot drift from the code.
func toolDocs() (string, error) {
	list, err := tools.List(false)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	for _, t := range list {
		a := t.Annotations
		fmt.Fprintf(&b, "### `%s` — %s\n\n%s\n\n", t.Name, a.Title, t.Description)
		fmt.Fprintf(&b, "Hints: readOnly=%v, destructive=%v, idempotent=%v, openWorld=%v.\n\n", *a.ReadOnlyHint, *a.DestructiveHint, *a.IdempotentHint, *a.OpenWorldHint)
		params, err := paramLines(t)
		if err != nil {
			return "", err
		}
		b.WriteString("| parameter | type | required | description |\n|---|---|---|---|\n")
		b.WriteString(params)
		b.WriteString("\n")
	}
	b.WriteString("Every result carries `structuredContent` (the invocation with all API fields, plus `terminal`, `next`, for creates `idempotencyKey`, and for an ended invocation with files `artifacts`) " +
		"and a text with the agent's whole answer up to the [result budget](#results-files-and-resources). " +
		"The output schema types the top-level fields and leaves nested objects, and fields a newer API adds, open. Full schemas: `bctrl-mcp schema [tool]`.\n")
	return b.String(), nil
}

type propDoc struct {
	Type        string                     `json:"type"`
	Description string                     `json:"description"`
	Enum        []any                      `json:"enum"`
	Minimum     *float64                   `json:"minimum"`
	Maximum     *float64                   `json:"maximum"`
	Default     any                        `json:"default"`
	Properties  map[string]json.RawMessage `json:"properties"`
}

// paramLines renders one table row per top-level input property; an
// object's row lists its fields.
func paramLines(t mcp.Tool) (string, error) {
	var s struct {
		Properties map[string]propDoc `json:"properties"`
		Required   []string           `json:"required"`
	}
	if err := json.Unmarshal(t.RawInputSchema, &s); err != nil {
		return "", err
	}
	var b strings.Builder
	for _, n := range slices.Sorted(maps.Keys(s.Properties)) {
		p := s.Properties[n]
		typ, desc := p.Type, p.Description
		if len(p.Enum) > 0 {
			vals := make([]string, len(p.Enum))
			for i, v := range p.Enum {
				vals[i] = fmt.Sprint(v)
			}
			typ += " (" + strings.Join(vals, ", ") + ")"
		}
		if p.Minimum != nil && p.Maximum != nil && p.Default != nil {
			typ += fmt.Sprintf(" (%v–%v, default %v)", *p.Minimum, *p.Maximum, p.Default)
		}
		if len(p.Properties) > 0 {
			desc = strings.TrimSpace(desc + " Fields: " + strings.Join(slices.Sorted(maps.Keys(p.Properties)), ", ") + ".")
		}
		req := "no"
		if slices.Contains(s.Required, n) {
			req = "yes"
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", n, typ, req, strings.ReplaceAll(desc, "|", "\\|"))
	}
	return b.String(), nil
}
