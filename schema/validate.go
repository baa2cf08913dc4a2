package schema

import (
	"encoding/json"
	"fmt"
	"sync"

	"github.com/bctrlhq/bctrl-mcp/bctrl"
	"github.com/bctrlhq/bctrl-mcp/bctrl/jsonval"
)

// Validator checks tool arguments. create_invocation publishes a flat
// schema (each union one object with optional fields) but is validated
// against the exact schema of the call's provider, so a config or options
// field of the other provider, or a model reference with fields of both
// forms, is rejected with a precise message. Each schema is compiled on
// first use, which keeps that work out of the server's start-up.
type Validator struct {
	byTool     map[string]func() (*jsonval.Validator, error)
	byProvider map[bctrl.Provider]func() (*jsonval.Validator, error)
}

// NewValidator prepares the validators of the tool inputs; each compiles
// on first use, and a schema that does not compile fails that use.
func NewValidator() *Validator {
	v := &Validator{byTool: map[string]func() (*jsonval.Validator, error){}, byProvider: map[bctrl.Provider]func() (*jsonval.Validator, error){}}
	for _, name := range ToolNames() {
		file := InputFile(name)
		if name == ToolCreate {
			file = ValidationFile("")
		}
		v.byTool[name] = sync.OnceValues(func() (*jsonval.Validator, error) { return compileFile(file) })
	}
	for _, p := range []bctrl.Provider{bctrl.ProviderStagehand, bctrl.ProviderBrowserUse} {
		v.byProvider[p] = sync.OnceValues(func() (*jsonval.Validator, error) { return compileFile(ValidationFile(p)) })
	}
	return v
}

func compileFile(name string) (*jsonval.Validator, error) {
	raw, err := generatedFile(name)
	if err != nil {
		return nil, err
	}
	return compileRaw(name, raw)
}

func compileRaw(name string, raw json.RawMessage) (*jsonval.Validator, error) {
	doc, err := jsonval.Decode(raw)
	if err != nil {
		return nil, fmt.Errorf("schema: %s: %w", name, err)
	}
	v, err := jsonval.Compile(doc, "")
	if err != nil {
		return nil, fmt.Errorf("schema: %s: %w", name, err)
	}
	return v, nil
}

// Check returns the problems of a tool's JSON arguments, none when they are valid.
func (v *Validator) Check(tool string, args []byte) []jsonval.Problem {
	value, err := jsonval.Decode(args)
	if err != nil {
		return []jsonval.Problem{{Message: "arguments are not valid JSON: " + err.Error()}}
	}
	compiled := v.byTool[tool]
	if tool == ToolCreate {
		if obj, ok := value.(map[string]any); ok {
			if p, ok := obj["provider"].(string); ok && v.byProvider[bctrl.Provider(p)] != nil {
				compiled = v.byProvider[bctrl.Provider(p)]
			}
		}
	}
	if compiled == nil {
		return []jsonval.Problem{{Message: "unknown tool " + tool}}
	}
	validator, err := compiled()
	if err != nil {
		// The schemas are fixed at build time and a test compiles them all.
		panic(err)
	}
	return validator.Validate(value)
}
