package bctrl

import (
	"bytes"
	"encoding/json"
	"reflect"
	"sort"
	"strings"
	"sync"
)

// invocationFields is Invocation without its methods, for the default
// encoding of the known fields.
type invocationFields Invocation

// knownInvocationKeys are the JSON names of Invocation's fields, in lower
// case: encoding/json matches object keys to fields without regard to
// case, so a key that differs from a field's name only in case was consumed
// by that field and is not extra.
var knownInvocationKeys = sync.OnceValue(func() map[string]bool {
	known := map[string]bool{}
	t := reflect.TypeFor[invocationFields]()
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name != "" && name != "-" {
			known[strings.ToLower(name)] = true
		}
	}
	return known
})

func knownInvocationKey(k string) bool { return knownInvocationKeys()[strings.ToLower(k)] }

// UnmarshalJSON decodes the known fields and keeps every other top-level
// field in Extra, so that what a newer API adds is not lost.
func (inv *Invocation) UnmarshalJSON(data []byte) error {
	var known invocationFields
	if err := json.Unmarshal(data, &known); err != nil {
		return err
	}
	var all map[string]json.RawMessage
	if err := json.Unmarshal(data, &all); err != nil {
		return err
	}
	for k, v := range all {
		if knownInvocationKey(k) {
			continue
		}
		if known.Extra == nil {
			known.Extra = map[string]json.RawMessage{}
		}
		known.Extra[k] = v
	}
	*inv = Invocation(known)
	return nil
}

// MarshalJSON encodes the known fields, then the Extra ones in name order;
// an Extra entry named like a known field is left out, so no key is
// written twice.
func (inv Invocation) MarshalJSON() ([]byte, error) {
	raw, err := json.Marshal(invocationFields(inv))
	if err != nil || len(inv.Extra) == 0 {
		return raw, err
	}
	names := make([]string, 0, len(inv.Extra))
	for k := range inv.Extra {
		if !knownInvocationKey(k) {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	var b bytes.Buffer
	b.Write(raw[:len(raw)-1]) // the object without its closing brace
	for _, k := range names {
		v := inv.Extra[k]
		if !json.Valid(v) {
			continue
		}
		key, _ := json.Marshal(k)
		if b.Len() > 1 {
			b.WriteByte(',')
		}
		b.Write(key)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}
