package schema

import (
	"encoding/json"
	"fmt"
	"sync"

	"github.com/bctrlhq/bctrl-mcp/bctrl"
	"github.com/bctrlhq/bctrl-mcp/schema/jsonval"
)

// Validator checks tool arguments against the published input schemas.
// create_invocation arguments are checked against the variant of the schema
// for their provider, so a config or options field of the other provider is
// rejected with the list of valid ones. Each schema is compiled on first
// use, which keeps that work out of the server's start-up.
type Validator struct {
	byTool     map[string]func() (*jsonval.Validator, error)
	byProvider map[bctrl.Provider]func() (*jsonval.Validator, error)
}

// NewValidator prepares the validators of the published input schemas.
func NewValidator() (*Validator, error) {
	published, err := Published()
	if err != nil {
		return nil, err
	}
	v := &Validator{byTool: map[string]func() (*jsonval.Validator, error){}, byProvider: map[bctrl.Provider]func() (*jsonval.Validator, error){}}
	for name, tool := range published {
		v.byTool[name] = sync.OnceValues(func() (*jsonval.Validator, error) { return compileRaw(name, tool.Input) })
	}
	for _, p := range []bctrl.Provider{bctrl.ProviderStagehand, bctrl.ProviderBrowserUse} {
		v.byProvider[p] = sync.OnceValues(func() (*jsonval.Validator, error) {
			raw, err := reflectJSON[CreateInvocationInput](variant(p))
			if err != nil {
				return nil, err
			}
			return compileRaw("create_invocation for "+string(p), raw)
		})
	}
	return v, nil
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
