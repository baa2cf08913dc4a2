package schema

import (
	"encoding/json"
	"fmt"

	"github.com/bctrlhq/bctrl-mcp/bctrl"
	"github.com/bctrlhq/bctrl-mcp/schema/jsonval"
)

// Validator checks tool arguments against the published input schemas.
// create_invocation arguments are checked against the variant of the schema
// for their provider, so a config or options field of the other provider is
// rejected with the list of valid ones.
type Validator struct {
	byTool     map[string]*jsonval.Validator
	byProvider map[bctrl.Provider]*jsonval.Validator
}

// NewValidator compiles the input schemas.
func NewValidator() (*Validator, error) {
	published, err := Published()
	if err != nil {
		return nil, err
	}
	v := &Validator{byTool: map[string]*jsonval.Validator{}, byProvider: map[bctrl.Provider]*jsonval.Validator{}}
	for name, tool := range published {
		if v.byTool[name], err = compileRaw(tool.Input); err != nil {
			return nil, fmt.Errorf("schema: %s: %w", name, err)
		}
	}
	for _, p := range []bctrl.Provider{bctrl.ProviderStagehand, bctrl.ProviderBrowserUse} {
		raw, err := reflectJSON[CreateInvocationInput](variant(p))
		if err != nil {
			return nil, err
		}
		if v.byProvider[p], err = compileRaw(raw); err != nil {
			return nil, fmt.Errorf("schema: create_invocation for %s: %w", p, err)
		}
	}
	return v, nil
}

func compileRaw(raw json.RawMessage) (*jsonval.Validator, error) {
	doc, err := jsonval.Decode(raw)
	if err != nil {
		return nil, err
	}
	return jsonval.Compile(doc, "")
}

// Check returns the problems of a tool's JSON arguments, none when they are valid.
func (v *Validator) Check(tool string, args []byte) []jsonval.Problem {
	value, err := jsonval.Decode(args)
	if err != nil {
		return []jsonval.Problem{{Message: "arguments are not valid JSON: " + err.Error()}}
	}
	validator := v.byTool[tool]
	if tool == ToolCreate {
		if obj, ok := value.(map[string]any); ok {
			if p, ok := obj["provider"].(string); ok && v.byProvider[bctrl.Provider(p)] != nil {
				validator = v.byProvider[bctrl.Provider(p)]
			}
		}
	}
	if validator == nil {
		return []jsonval.Problem{{Message: "unknown tool " + tool}}
	}
	return validator.Validate(value)
}
