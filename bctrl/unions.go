package bctrl

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// MarshalJSON writes the side of the config that is set.
func (c Config) MarshalJSON() ([]byte, error) {
	return marshalSide(c.Stagehand, c.BrowserUse)
}

// MarshalJSON writes the side of the options that is set.
func (o Options) MarshalJSON() ([]byte, error) {
	return marshalSide(o.Stagehand, o.BrowserUse)
}

func marshalSide[A, B any](a *A, b *B) ([]byte, error) {
	switch {
	case a != nil && b != nil:
		return nil, errors.New("both the stagehand and the browserUse variant are set")
	case a != nil:
		return json.Marshal(a)
	case b != nil:
		return json.Marshal(b)
	}
	return []byte("{}"), nil
}

// UnmarshalJSON decodes a request, routing config and options to the variant
// named by provider; an unknown provider is an error.
func (r *CreateInvocationRequest) UnmarshalJSON(data []byte) error {
	type plain CreateInvocationRequest
	var shadow struct {
		plain
		Config  json.RawMessage `json:"config,omitempty"`
		Options json.RawMessage `json:"options,omitempty"`
	}
	if err := json.Unmarshal(data, &shadow); err != nil {
		return err
	}
	out := CreateInvocationRequest(shadow.plain)
	switch out.Provider {
	case ProviderStagehand:
		if err := decodeSide(shadow.Config, &out.Config, func(c *Config) any { c.Stagehand = new(StagehandConfig); return c.Stagehand }); err != nil {
			return fmt.Errorf("config: %w", err)
		}
		if err := decodeSide(shadow.Options, &out.Options, func(o *Options) any { o.Stagehand = new(StagehandOptions); return o.Stagehand }); err != nil {
			return fmt.Errorf("options: %w", err)
		}
	case ProviderBrowserUse:
		if err := decodeSide(shadow.Config, &out.Config, func(c *Config) any { c.BrowserUse = new(BrowserUseConfig); return c.BrowserUse }); err != nil {
			return fmt.Errorf("config: %w", err)
		}
		if err := decodeSide(shadow.Options, &out.Options, func(o *Options) any { o.BrowserUse = new(BrowserUseOptions); return o.BrowserUse }); err != nil {
			return fmt.Errorf("options: %w", err)
		}
	default:
		return fmt.Errorf("provider %q is not one of stagehand, browserUse", out.Provider)
	}
	*r = out
	return nil
}

func decodeSide[T any](raw json.RawMessage, dst **T, side func(*T) any) error {
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return nil
	}
	holder := new(T)
	if err := json.Unmarshal(raw, side(holder)); err != nil {
		return err
	}
	*dst = holder
	return nil
}

// Variable is a Stagehand variable: a bare string, number or boolean, or
// that value with a description for the model.
type Variable struct {
	Value       any // string, float64 or bool
	Description string
}

// MarshalJSON writes the bare value, or {value, description} when a description is set.
func (v Variable) MarshalJSON() ([]byte, error) {
	if err := checkScalar(v.Value); err != nil {
		return nil, err
	}
	if v.Description == "" {
		return json.Marshal(v.Value)
	}
	return json.Marshal(struct {
		Value       any    `json:"value"`
		Description string `json:"description"`
	}{v.Value, v.Description})
}

// UnmarshalJSON accepts both forms of a variable.
func (v *Variable) UnmarshalJSON(data []byte) error {
	if bytes.HasPrefix(bytes.TrimSpace(data), []byte("{")) {
		var obj struct {
			Value       any    `json:"value"`
			Description string `json:"description"`
		}
		if err := json.Unmarshal(data, &obj); err != nil {
			return err
		}
		*v = Variable{Value: obj.Value, Description: obj.Description}
	} else if err := json.Unmarshal(data, &v.Value); err != nil {
		return err
	}
	return checkScalar(v.Value)
}

func checkScalar(v any) error {
	switch v.(type) {
	case string, float64, bool, int, int64:
		return nil
	}
	return fmt.Errorf("variable value must be a string, number or boolean, not %T", v)
}

// BoolOrString is a JSON value that is either a boolean or a string.
type BoolOrString struct {
	Bool   *bool
	String *string
}

// MarshalJSON writes whichever form is set.
func (b BoolOrString) MarshalJSON() ([]byte, error) {
	if b.String != nil {
		return json.Marshal(*b.String)
	}
	if b.Bool != nil {
		return json.Marshal(*b.Bool)
	}
	return nil, errors.New("neither the boolean nor the string is set")
}

// UnmarshalJSON accepts a boolean or a string.
func (b *BoolOrString) UnmarshalJSON(data []byte) error {
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		return err
	}
	switch t := v.(type) {
	case bool:
		*b = BoolOrString{Bool: &t}
	case string:
		*b = BoolOrString{String: &t}
	default:
		return fmt.Errorf("want a boolean or a string, got %s", data)
	}
	return nil
}

// GenerateGIF is browser-use's generateGif: true/false, or the path to write the GIF to.
type GenerateGIF struct{ BoolOrString }

// UseVision is browser-use's useVision: true, false or "auto".
type UseVision struct{ BoolOrString }

// SensitiveValue is one browser-use secret: a plain value, or a map from domain to value.
type SensitiveValue struct {
	Value     string
	PerDomain map[string]string
}

// MarshalJSON writes the map when PerDomain is set, the plain value otherwise.
func (s SensitiveValue) MarshalJSON() ([]byte, error) {
	if s.PerDomain != nil {
		return json.Marshal(s.PerDomain)
	}
	return json.Marshal(s.Value)
}

// UnmarshalJSON accepts a string or an object of strings.
func (s *SensitiveValue) UnmarshalJSON(data []byte) error {
	if bytes.HasPrefix(bytes.TrimSpace(data), []byte("{")) {
		*s = SensitiveValue{}
		return json.Unmarshal(data, &s.PerDomain)
	}
	*s = SensitiveValue{}
	return json.Unmarshal(data, &s.Value)
}
