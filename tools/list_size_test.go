package tools

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/bctrlhq/bctrl-mcp/bctrl"
	"github.com/bctrlhq/bctrl-mcp/schema"
)

// Context budgets (PRODUCT.md §7): the whole tools/list answer, and what
// most clients pass to the model for each tool (name, description and
// input schema), both as compact JSON.
const (
	listBudget  = 11000
	modelBudget = 8000
)

// panelMeta is the MCP Apps link that create_invocation and get_invocation
// will carry (PRODUCT.md §8); the list budget keeps room for it.
var panelMeta = map[string]any{"ui": map[string]any{"resourceUri": "ui://bctrl/invocation"}}

// listedTools returns the tools/list answer of a full server as a client
// receives it, with the panel's _meta added where it is not set yet.
func listedTools(t *testing.T) (line []byte, tools []map[string]any) {
	t.Helper()
	s, err := NewServer("bctrl-mcp", "test", Deps{API: &bctrl.Client{}})
	if err != nil {
		t.Fatal(err)
	}
	raw, err := json.Marshal(s.HandleMessage(t.Context(), []byte(`{"jsonrpc":"2.0","id":1,"method":"tools/list"}`)))
	if err != nil {
		t.Fatal(err)
	}
	var answer map[string]any
	if err := json.Unmarshal(raw, &answer); err != nil {
		t.Fatal(err)
	}
	result, _ := answer["result"].(map[string]any)
	list, _ := result["tools"].([]any)
	if len(list) != 3 {
		t.Fatalf("tools/list answered %s, want 3 tools", raw)
	}
	for _, tool := range list {
		m := tool.(map[string]any)
		if name := m["name"]; (name == schema.ToolCreate || name == schema.ToolGet) && m["_meta"] == nil {
			m["_meta"] = panelMeta
		}
		tools = append(tools, m)
	}
	if line, err = json.Marshal(answer); err != nil {
		t.Fatal(err)
	}
	return line, tools
}

// TestToolListFitsItsBudget measures the tools/list answer as a client
// receives it, with room for the panel's _meta.
func TestToolListFitsItsBudget(t *testing.T) {
	line, tools := listedTools(t)
	var perTool []string
	for _, tool := range tools {
		whole, err := json.Marshal(tool)
		if err != nil {
			t.Fatal(err)
		}
		perTool = append(perTool, fmt.Sprintf("%s: %d B", tool["name"], len(whole)))
	}
	t.Logf("tools/list %d B with the panel _meta (%s)", len(line), strings.Join(perTool, ", "))
	if len(line) > listBudget {
		t.Errorf("tools/list is %d bytes, over the %d-byte budget (%s)", len(line), listBudget, strings.Join(perTool, ", "))
	}
}

// TestModelVisibleToolTextFitsItsBudget measures what most clients send to
// the model for each tool: its name, description and input schema.
func TestModelVisibleToolTextFitsItsBudget(t *testing.T) {
	_, tools := listedTools(t)
	var total int
	var perTool []string
	for _, tool := range tools {
		input, err := json.Marshal(tool["inputSchema"])
		if err != nil {
			t.Fatal(err)
		}
		name, description := tool["name"].(string), tool["description"].(string)
		n := len(name) + len(description) + len(input)
		total += n
		perTool = append(perTool, fmt.Sprintf("%s: %d B (description %d, input schema %d)", name, n, len(description), len(input)))
	}
	t.Logf("model-visible %d B (%s)", total, strings.Join(perTool, "; "))
	if total > modelBudget {
		t.Errorf("name + description + input schema of all tools is %d bytes, over the %d-byte budget (%s)", total, modelBudget, strings.Join(perTool, "; "))
	}
}
