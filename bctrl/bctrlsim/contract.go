package bctrlsim

import (
	_ "embed"
	"fmt"
	"strings"
	"sync"

	"github.com/bctrlhq/bctrl-mcp/bctrl/jsonval"
	"go.yaml.in/yaml/v3"
)

// openAPIText is the OpenAPI block of the API reference we were given,
// verbatim; a test keeps it equal to ../shared/api/create-invocation.openapi.md.
//
//go:embed openapi.yaml
var openAPIText []byte

// Schema names in the OpenAPI components.
const (
	requestSchema  = "spaces_runtimesInvocationsCreate_Request"
	responseSchema = "spaces_runtimesInvocationsCreate_Response_202"
)

// contract holds the validators compiled from the OpenAPI text.
type contract struct {
	request  *jsonval.Validator
	response *jsonval.Validator
}

var loadContract = sync.OnceValues(func() (*contract, error) {
	doc, err := ContractDocument()
	if err != nil {
		return nil, err
	}
	req, err := jsonval.Compile(doc, "/$defs/"+requestSchema)
	if err != nil {
		return nil, err
	}
	resp, err := jsonval.Compile(doc, "/$defs/"+responseSchema)
	if err != nil {
		return nil, err
	}
	return &contract{request: req, response: resp}, nil
})

// ContractDocument turns the OpenAPI components into a JSON Schema document
// whose $defs are the component schemas. Objects that list properties but
// say nothing of others get additionalProperties: false, so a field the
// API does not define is caught here rather than ignored (the real API's
// behaviour for unknown fields is not documented).
func ContractDocument() (map[string]any, error) {
	var spec struct {
		Components struct {
			Schemas map[string]any `yaml:"schemas"`
		} `yaml:"components"`
	}
	if err := yaml.Unmarshal(openAPIText, &spec); err != nil {
		return nil, fmt.Errorf("bctrlsim: parse OpenAPI: %w", err)
	}
	if len(spec.Components.Schemas) == 0 {
		return nil, fmt.Errorf("bctrlsim: OpenAPI text has no component schemas")
	}
	defs := map[string]any{}
	for name, s := range spec.Components.Schemas {
		defs[name] = rewrite(s)
	}
	return map[string]any{"$schema": "https://json-schema.org/draft/2020-12/schema", "$defs": defs}, nil
}

// rewrite points component $refs at $defs and closes objects (see ContractDocument).
func rewrite(node any) any {
	switch n := node.(type) {
	case map[string]any:
		out := make(map[string]any, len(n)+1)
		for k, v := range n {
			out[k] = rewrite(v)
		}
		if ref, ok := out["$ref"].(string); ok {
			out["$ref"] = strings.Replace(ref, "#/components/schemas/", "#/$defs/", 1)
		}
		if _, hasProps := out["properties"]; hasProps {
			if _, set := out["additionalProperties"]; !set {
				out["additionalProperties"] = false
			}
		}
		return out
	case []any:
		out := make([]any, len(n))
		for i, v := range n {
			out[i] = rewrite(v)
		}
		return out
	}
	return node
}
