package schemagen

import (
	"encoding/json"
	"fmt"
	"reflect"

	"github.com/bctrlhq/bctrl-mcp/bctrl"
	"github.com/invopop/jsonschema"
)

// variant picks how a schema shows the API's unions: exactly, for one
// provider or for both (to validate a call), or flattened (to publish).
type variant int

const (
	// exactBoth shows config and options as the union of both providers' objects.
	exactBoth variant = iota
	// exactStagehand and exactBrowserUse show one provider's config and options.
	exactStagehand
	exactBrowserUse
	// flat shows each union as one object with optional fields, for
	// publishing: smaller, and a form every client can fill in. The exact
	// variants still validate every call, so nothing the flat form lets
	// through reaches the API.
	flat
)

// exactFor is the exact variant that validates calls for provider p.
func exactFor(p bctrl.Provider) variant {
	if p == bctrl.ProviderBrowserUse {
		return exactBrowserUse
	}
	return exactStagehand
}

// newReflector is the one reflector configuration: inline schemas, no $id,
// required only where tagged. mapper gives special types their schemas.
func newReflector(mapper func(r *jsonschema.Reflector, t reflect.Type) *jsonschema.Schema) *jsonschema.Reflector {
	r := &jsonschema.Reflector{DoNotReference: true, Anonymous: true, RequiredFromJSONSchemaTags: true}
	r.Mapper = func(t reflect.Type) *jsonschema.Schema { return mapper(r, t) }
	return r
}

// reflectorFor maps the API's union types as the variant shows them.
func reflectorFor(v variant) *jsonschema.Reflector {
	return newReflector(func(r *jsonschema.Reflector, t reflect.Type) *jsonschema.Schema { return mapType(r, v, t) })
}

// reflectWith reflects T with r, as a nested schema.
func reflectWith[T any](r *jsonschema.Reflector) *jsonschema.Schema {
	s := r.Reflect(new(T))
	s.Version = ""
	return s
}

// reflectJSON returns a generator of T's schema in the variant, as plain JSON values.
func reflectJSON[T any](v variant) func() (map[string]any, error) {
	return func() (map[string]any, error) {
		raw, err := json.Marshal(reflectWith[T](reflectorFor(v)))
		if err != nil {
			return nil, err
		}
		var s map[string]any
		err = json.Unmarshal(raw, &s)
		return s, err
	}
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
		if v == flat {
			// Five fields take a model; config's description names the
			// vendors once instead of an enum in each.
			vendor, _ := base.Properties.Get("provider")
			vendor.Enum = nil
			return base
		}
		return &jsonschema.Schema{OneOf: []*jsonschema.Schema{
			pick(base, []string{"connection"}, "connection", "model"),
			pick(base, []string{"provider", "model", "apiKey"}, "provider", "model", "apiKey"),
		}}
	case reflect.TypeFor[bctrl.File]():
		base := plain[bctrl.File]()
		if v == flat {
			return base
		}
		return &jsonschema.Schema{OneOf: []*jsonschema.Schema{
			pick(base, []string{"storagePath"}, "storagePath", "name"),
			pick(base, []string{"fileId"}, "fileId", "name"),
		}}
	case reflect.TypeFor[bctrl.Variable]():
		scalar := func() []*jsonschema.Schema {
			return []*jsonschema.Schema{{Type: "string"}, {Type: "number"}, {Type: "boolean"}}
		}
		return &jsonschema.Schema{AnyOf: append(scalar(),
			object([]string{"value"},
				prop("value", &jsonschema.Schema{AnyOf: scalar()}),
				prop("description", &jsonschema.Schema{Type: "string"})))}
	case reflect.TypeFor[bctrl.GenerateGIF]():
		return &jsonschema.Schema{AnyOf: []*jsonschema.Schema{{Type: "boolean"}, {Type: "string"}}}
	case reflect.TypeFor[bctrl.UseVision]():
		return &jsonschema.Schema{AnyOf: []*jsonschema.Schema{{Type: "boolean"}, {Type: "string", Enum: []any{"auto"}}}}
	case reflect.TypeFor[bctrl.SensitiveValue]():
		return &jsonschema.Schema{AnyOf: []*jsonschema.Schema{
			{Type: "string"},
			{Type: "object", AdditionalProperties: &jsonschema.Schema{Type: "string"}},
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

// providerUnion shows the variant's config or options: one provider's, both
// as alternatives, or both merged into one object (flat).
func providerUnion(v variant, s, b *jsonschema.Schema, what string) *jsonschema.Schema {
	switch v {
	case exactStagehand:
		return s
	case exactBrowserUse:
		return b
	case flat:
		return merge(s, b, what)
	}
	return &jsonschema.Schema{AnyOf: []*jsonschema.Schema{s, b}}
}

// merge is one closed object with the properties of both, in order; a
// property both have must have the same schema in each.
func merge(a, b *jsonschema.Schema, what string) *jsonschema.Schema {
	out := object(nil)
	for _, side := range []*jsonschema.Schema{a, b} {
		for p := side.Properties.Oldest(); p != nil; p = p.Next() {
			if prev, ok := out.Properties.Get(p.Key); ok && !reflect.DeepEqual(prev, p.Value) {
				panic(fmt.Sprintf("schemagen: %s.%s differs between the providers", what, p.Key))
			}
			out.Properties.Set(p.Key, p.Value)
		}
	}
	return out
}

// pick builds one closed alternative from some of base's properties.
func pick(base *jsonschema.Schema, required []string, names ...string) *jsonschema.Schema {
	props := make([]namedSchema, 0, len(names))
	for _, n := range names {
		p, ok := base.Properties.Get(n)
		if !ok {
			panic("schemagen: no property " + n)
		}
		props = append(props, prop(n, p))
	}
	return object(required, props...)
}

type namedSchema struct {
	name   string
	schema *jsonschema.Schema
}

func prop(name string, s *jsonschema.Schema) namedSchema { return namedSchema{name, s} }

func object(required []string, props ...namedSchema) *jsonschema.Schema {
	s := &jsonschema.Schema{Type: "object", Required: required, Properties: jsonschema.NewProperties(), AdditionalProperties: jsonschema.FalseSchema}
	for _, p := range props {
		s.Properties.Set(p.name, p.schema)
	}
	return s
}
