package schema

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"sync"

	"github.com/bctrlhq/bctrl-mcp/bctrl"
	"github.com/invopop/jsonschema"
)

// variant picks which provider's config and options a schema shows: both
// (as alternatives, for publishing) or one (for validating a call).
type variant bctrl.Provider

const bothProviders variant = ""

// newReflector is the one reflector configuration: inline schemas, no $id,
// required only where tagged. mapper gives special types their schemas.
func newReflector(mapper func(r *jsonschema.Reflector, t reflect.Type) *jsonschema.Schema) *jsonschema.Reflector {
	r := &jsonschema.Reflector{DoNotReference: true, Anonymous: true, RequiredFromJSONSchemaTags: true}
	r.Mapper = func(t reflect.Type) *jsonschema.Schema { return mapper(r, t) }
	return r
}

// reflectorFor maps the API's union types; only the provider variant differs.
func reflectorFor(v variant) *jsonschema.Reflector {
	return newReflector(func(r *jsonschema.Reflector, t reflect.Type) *jsonschema.Schema { return mapType(r, v, t) })
}

// reflectWith reflects T with r, as a nested schema.
func reflectWith[T any](r *jsonschema.Reflector) *jsonschema.Schema {
	s := r.Reflect(new(T))
	s.Version = ""
	return s
}

// plain reflects a type without the mapper's special cases for it.
func plain[T any]() *jsonschema.Schema {
	return reflectWith[T](newReflector(func(_ *jsonschema.Reflector, t reflect.Type) *jsonschema.Schema {
		if t.Kind() == reflect.Interface {
			return anyValue()
		}
		return nil
	}))
}

// mapType gives the union and free-form types of the API their schemas.
func mapType(r *jsonschema.Reflector, v variant, t reflect.Type) *jsonschema.Schema {
	switch t {
	case reflect.TypeFor[bctrl.Config]():
		return providerUnion(v, reflectWith[bctrl.StagehandConfig](r), reflectWith[bctrl.BrowserUseConfig](r), "config")
	case reflect.TypeFor[bctrl.Options]():
		return providerUnion(v, reflectWith[bctrl.StagehandOptions](r), reflectWith[bctrl.BrowserUseOptions](r), "options")
	case reflect.TypeFor[bctrl.ModelRef]():
		base := plain[bctrl.ModelRef]()
		return &jsonschema.Schema{OneOf: []*jsonschema.Schema{
			pick(base, "Saved AI connection", []string{"connection"}, "connection", "model"),
			pick(base, "Provider and API key", []string{"provider", "model", "apiKey"}, "provider", "model", "apiKey"),
		}}
	case reflect.TypeFor[bctrl.File]():
		base := plain[bctrl.File]()
		return &jsonschema.Schema{OneOf: []*jsonschema.Schema{
			pick(base, "File by storage path", []string{"storagePath"}, "storagePath", "name"),
			pick(base, "File by id", []string{"fileId"}, "fileId", "name"),
		}}
	case reflect.TypeFor[bctrl.Variable]():
		return &jsonschema.Schema{AnyOf: []*jsonschema.Schema{
			{Type: "string"}, {Type: "number"}, {Type: "boolean"},
			object("Value with a description", []string{"value"},
				prop("value", &jsonschema.Schema{Description: "The value.", AnyOf: []*jsonschema.Schema{{Type: "string"}, {Type: "number"}, {Type: "boolean"}}}),
				prop("description", &jsonschema.Schema{Type: "string", Description: "What the value is, for the model."})),
		}}
	case reflect.TypeFor[bctrl.GenerateGIF]():
		return &jsonschema.Schema{AnyOf: []*jsonschema.Schema{{Type: "boolean"}, {Type: "string", Description: "Path to write the GIF to."}}}
	case reflect.TypeFor[bctrl.UseVision]():
		return &jsonschema.Schema{AnyOf: []*jsonschema.Schema{{Type: "boolean"}, {Type: "string", Enum: []any{"auto"}}}}
	case reflect.TypeFor[bctrl.SensitiveValue]():
		return &jsonschema.Schema{AnyOf: []*jsonschema.Schema{
			{Type: "string", Description: "The secret."},
			{Type: "object", Description: "Domain to secret.", AdditionalProperties: &jsonschema.Schema{Type: "string"}},
		}}
	}
	if t.Kind() == reflect.Interface {
		return anyValue()
	}
	return nil
}

// anyValue is the schema of a free-form JSON value: empty (not the boolean
// true, which some model providers reject) with a description.
func anyValue() *jsonschema.Schema {
	return &jsonschema.Schema{Description: "Any JSON value."}
}

// providerUnion shows one provider's variant, or both as titled alternatives.
func providerUnion(v variant, s, b *jsonschema.Schema, what string) *jsonschema.Schema {
	s.Title, b.Title = "Stagehand "+what, "browser-use "+what
	s.Description = fmt.Sprintf("Stagehand %s; only with provider stagehand.", what)
	b.Description = fmt.Sprintf("browser-use %s; only with provider browserUse.", what)
	switch bctrl.Provider(v) {
	case bctrl.ProviderStagehand:
		return s
	case bctrl.ProviderBrowserUse:
		return b
	}
	return &jsonschema.Schema{AnyOf: []*jsonschema.Schema{s, b}}
}

// pick builds one closed alternative from some of base's properties.
func pick(base *jsonschema.Schema, title string, required []string, names ...string) *jsonschema.Schema {
	props := make([]namedSchema, 0, len(names))
	for _, n := range names {
		p, ok := base.Properties.Get(n)
		if !ok {
			panic("schema: no property " + n)
		}
		props = append(props, prop(n, p))
	}
	return object(title, required, props...)
}

type namedSchema struct {
	name   string
	schema *jsonschema.Schema
}

func prop(name string, s *jsonschema.Schema) namedSchema { return namedSchema{name, s} }

func object(title string, required []string, props ...namedSchema) *jsonschema.Schema {
	s := &jsonschema.Schema{Type: "object", Title: title, Required: required, Properties: jsonschema.NewProperties(), AdditionalProperties: jsonschema.FalseSchema}
	for _, p := range props {
		s.Properties.Set(p.name, p.schema)
	}
	return s
}

// reflectJSON reflects T with the variant's reflector into plain JSON.
func reflectJSON[T any](v variant) (json.RawMessage, error) {
	raw, err := json.Marshal(reflectWith[T](reflectorFor(v)))
	if err != nil {
		return nil, err
	}
	return canonical(raw)
}

// canonical re-encodes JSON with sorted keys and indentation, for stable golden files.
func canonical(raw []byte) (json.RawMessage, error) {
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, err
	}
	return json.MarshalIndent(v, "", "  ")
}

// Names of the tools whose schemas this package publishes.
const (
	ToolCreate = "create_invocation"
	ToolGet    = "get_invocation"
	ToolCancel = "cancel_invocation"
)

// Tool is the pair of published schemas of one tool.
type Tool struct {
	Input  json.RawMessage
	Output json.RawMessage
}

// Published returns the input and output schema of every tool, by name.
// They are reflected once per process; callers must not modify them.
func Published() (map[string]Tool, error) { return published() }

var published = sync.OnceValues(reflectPublished)

func reflectPublished() (map[string]Tool, error) {
	out, err := reflectJSON[InvocationOutput](bothProviders)
	if err != nil {
		return nil, err
	}
	inputs := map[string]func() (json.RawMessage, error){
		ToolCreate: func() (json.RawMessage, error) { return reflectJSON[CreateInvocationInput](bothProviders) },
		ToolGet:    func() (json.RawMessage, error) { return reflectJSON[GetInvocationInput](bothProviders) },
		ToolCancel: func() (json.RawMessage, error) { return reflectJSON[CancelInvocationInput](bothProviders) },
	}
	tools := map[string]Tool{}
	for name, gen := range inputs {
		in, err := gen()
		if err != nil {
			return nil, fmt.Errorf("schema: %s input: %w", name, err)
		}
		tools[name] = Tool{Input: in, Output: out}
	}
	return tools, nil
}

// ToolNames lists the published tools in order.
func ToolNames() []string {
	names := []string{ToolCreate, ToolGet, ToolCancel}
	sort.Strings(names)
	return names
}
