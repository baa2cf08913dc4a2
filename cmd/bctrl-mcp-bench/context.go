package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/bctrlhq/bctrl-mcp/bctrl/bctrlsim"
)

// bctrlHostedTools is how many tools bctrl's own hosted MCP server lists
// (one per API operation; ../shared/api/bctrl-api-notes.md §6).
const bctrlHostedTools = 120

// contextCost measures what the tools cost in a model's context: the
// tools/list answer and create results (typical, large, over the result
// budget, with files), against exposing one tool per API operation with the
// OpenAPI schemas.
func contextCost(e *benchEnv) ([]row, error) {
	p, err := e.startSimulated("50")
	if err != nil {
		return nil, err
	}
	defer p.Kill()
	if err := p.Send(`{"jsonrpc":"2.0","id":"list","method":"tools/list"}`); err != nil {
		return nil, err
	}
	if _, err := p.Until("list"); err != nil {
		return nil, err
	}
	list := lastLine(p.Stdout.Bytes())
	results := []struct{ name, instruction string }{
		{"typical create_invocation result (succeeded)", "Find the cheapest flight sim:steps=4"},
		{"create_invocation result, 80-product answer (whole in the text)", "List the catalogue sim:rows=80 sim:steps=2"},
		{"create_invocation result, 2,000-row answer (text cut at the 24,000-character budget)", "List everything sim:rows=2000 sim:steps=2"},
		{"create_invocation result with two files (links, screenshot inline)", "Export the prices sim:artifacts sim:steps=2"},
	}
	var resultRows []row
	for i, r := range results {
		res, err := p.Call(fmt.Sprint("create", i), "create_invocation", map[string]any{"provider": "stagehand", "input": map[string]any{"instruction": r.instruction}, "waitSeconds": 10})
		if err != nil {
			return nil, err
		}
		line := float64(len(lastLine(p.Stdout.Bytes())))
		resultRows = append(resultRows, row{name: r.name, unit: "KiB", samples: []float64{line / 1024},
			note: fmt.Sprintf("whole line %s; the text %s characters (%s)", tokens(line), num(float64(textLength(res))), tokens(float64(textLength(res))))})
	}
	perOp, err := perOperationTools()
	if err != nil {
		return nil, err
	}
	seen, err := modelVisible(list)
	if err != nil {
		return nil, err
	}
	perTool := float64(len(perOp)) / 4
	kb := func(n float64) []float64 { return []float64{n / 1024} }
	rows := []row{
		{name: "tools/list answer (3 tools)", unit: "KiB", samples: kb(float64(len(list))), note: tokens(float64(len(list)))},
		{name: "of which name + description + input schema (what most clients send the model)", unit: "KiB", samples: kb(float64(seen)), note: tokens(float64(seen))},
	}
	rows = append(rows, resultRows...)
	return append(rows, []row{
		{name: "one tool per operation, same 4 operations, OpenAPI inputs inlined", unit: "KiB", samples: kb(float64(len(perOp))), note: tokens(float64(len(perOp)))},
		{name: "one tool per operation, 120 tools (bctrl's hosted MCP) at that size", unit: "KiB", samples: kb(perTool * bctrlHostedTools), note: "estimate; " + tokens(perTool*bctrlHostedTools)},
	}...), nil
}

// textLength is the characters of a tool result's text content.
func textLength(res map[string]any) int {
	n := 0
	items, _ := res["content"].([]any)
	for _, c := range items {
		if m, _ := c.(map[string]any); m["type"] == "text" {
			s, _ := m["text"].(string)
			n += utf8.RuneCountInString(s)
		}
	}
	return n
}

// modelVisible sums, over the tools of a tools/list answer, the bytes of
// what most clients pass to the model: name, description and compact input schema.
func modelVisible(list []byte) (int, error) {
	var answer struct {
		Result struct {
			Tools []struct {
				Name        string          `json:"name"`
				Description string          `json:"description"`
				InputSchema json.RawMessage `json:"inputSchema"`
			} `json:"tools"`
		} `json:"result"`
	}
	if err := json.Unmarshal(list, &answer); err != nil {
		return 0, err
	}
	n := 0
	for _, t := range answer.Result.Tools {
		var input bytes.Buffer
		if err := json.Compact(&input, t.InputSchema); err != nil {
			return 0, err
		}
		n += len(t.Name) + len(t.Description) + input.Len()
	}
	return n, nil
}

func tokens(bytes float64) string {
	return "≈" + num(bytes/4) + " tokens"
}

func lastLine(b []byte) []byte {
	b = bytes.TrimRight(b, "\n")
	if i := bytes.LastIndexByte(b, '\n'); i >= 0 {
		return b[i+1:]
	}
	return b
}

// perOperationTools renders a tools/list answer with one tool per invocation
// operation whose input schema is the OpenAPI one, $refs inlined.
func perOperationTools() ([]byte, error) {
	doc, err := bctrlsim.ContractDocument()
	if err != nil {
		return nil, err
	}
	defs := doc["$defs"].(map[string]any)
	id := map[string]any{"type": "string"}
	obj := func(props map[string]any, required ...string) map[string]any {
		return map[string]any{"type": "object", "properties": props, "required": required}
	}
	body := inline(defs["spaces_runtimesInvocationsCreate_Request"], defs)
	tools := []map[string]any{
		{"name": "bctrl_runtimes_invocations_create", "description": "Create a durable invocation for a live runtime. Submit durable AI work to a live runtime.",
			"inputSchema": obj(map[string]any{"id": id, "runtimeId": id, "body": body}, "id", "runtimeId", "body")},
		{"name": "bctrl_invocations_get", "description": "Get an invocation.", "inputSchema": obj(map[string]any{"id": id}, "id")},
		{"name": "bctrl_invocations_cancel", "description": "Request cancellation.", "inputSchema": obj(map[string]any{"id": id}, "id")},
		{"name": "bctrl_runtimes_invocations_wait", "description": "Complete or time out waiting for an invocation without polling.",
			"inputSchema": obj(map[string]any{"id": id, "timeoutMs": map[string]any{"type": "integer"}}, "id")},
	}
	return json.Marshal(map[string]any{"jsonrpc": "2.0", "id": "list", "result": map[string]any{"tools": tools}})
}

// inline replaces every $ref to a $def with the definition itself.
func inline(node any, defs map[string]any) any {
	switch n := node.(type) {
	case map[string]any:
		if ref, ok := n["$ref"].(string); ok {
			return inline(defs[strings.TrimPrefix(ref, "#/$defs/")], defs)
		}
		out := make(map[string]any, len(n))
		for k, v := range n {
			out[k] = inline(v, defs)
		}
		return out
	case []any:
		out := make([]any, len(n))
		for i, v := range n {
			out[i] = inline(v, defs)
		}
		return out
	}
	return node
}
