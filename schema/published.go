package schema

import (
	"embed"
	"encoding/json"
	"fmt"
	"sort"
	"sync"

	"github.com/bctrlhq/bctrl-mcp/bctrl"
)

//go:generate go run ./internal/gen

// generated holds the schemas that internal/schemagen reflects from the Go
// types. They are generated at build time, not at start, so serving the
// first tools/list costs no reflection; a test keeps them current.
//
//go:embed golden
var generated embed.FS

// Names of the tools whose schemas this package publishes.
const (
	ToolCreate = "create_invocation"
	ToolGet    = "get_invocation"
	ToolCancel = "cancel_invocation"
)

// ToolNames lists the published tools in order.
func ToolNames() []string {
	names := []string{ToolCreate, ToolGet, ToolCancel}
	sort.Strings(names)
	return names
}

// InputFile names the generated file of a tool's published input schema, relative to golden/.
func InputFile(tool string) string { return tool + ".input.json" }

// OutputFile names the generated file of a tool's output schema, relative to golden/.
func OutputFile(tool string) string { return tool + ".output.json" }

// ValidationFile names the exact create_invocation schema that validates
// calls for provider p, or for a call whose provider is missing or unknown
// when p is empty.
func ValidationFile(p bctrl.Provider) string {
	if p == "" {
		return "validation/" + ToolCreate + ".json"
	}
	return "validation/" + ToolCreate + "." + string(p) + ".json"
}

// Tool is the pair of published schemas of one tool.
type Tool struct {
	Input  json.RawMessage
	Output json.RawMessage
}

// Published returns the input and output schema of every tool, by name.
// Callers must not modify them.
func Published() (map[string]Tool, error) { return published() }

var published = sync.OnceValues(func() (map[string]Tool, error) {
	tools := map[string]Tool{}
	for _, name := range ToolNames() {
		in, err := generatedFile(InputFile(name))
		if err != nil {
			return nil, err
		}
		out, err := generatedFile(OutputFile(name))
		if err != nil {
			return nil, err
		}
		tools[name] = Tool{Input: in, Output: out}
	}
	return tools, nil
})

func generatedFile(name string) (json.RawMessage, error) {
	raw, err := generated.ReadFile("golden/" + name)
	if err != nil {
		return nil, fmt.Errorf("schema: %w (run go generate ./schema)", err)
	}
	return raw, nil
}
