package setup

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// jsonObject is one level of a JSON object that keeps its keys in file
// order and its values as raw bytes, so rewriting a client's config moves
// nothing but the entry setup changes.
type jsonObject struct {
	keys   []string
	values map[string]json.RawMessage
}

// parseObject reads a JSON object; an empty or blank document is an empty object.
func parseObject(data []byte) (*jsonObject, error) {
	o := &jsonObject{values: map[string]json.RawMessage{}}
	if len(bytes.TrimSpace(data)) == 0 {
		return o, nil
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, errors.New("the top level is not a JSON object")
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		key, _ := tok.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, err
		}
		o.set(key, raw)
	}
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err == nil {
		return nil, errors.New("text after the closing brace")
	}
	return o, nil
}

// object returns the value of key as an object: a missing or null key is a
// new empty object; any other non-object value is an error.
func (o *jsonObject) object(key string) (*jsonObject, error) {
	raw, ok := o.values[key]
	if !ok || string(bytes.TrimSpace(raw)) == "null" {
		return &jsonObject{values: map[string]json.RawMessage{}}, nil
	}
	inner, err := parseObject(raw)
	if err != nil {
		return nil, fmt.Errorf("%q is not a JSON object", key)
	}
	return inner, nil
}

func (o *jsonObject) get(key string) (json.RawMessage, bool) {
	raw, ok := o.values[key]
	return raw, ok
}

// set replaces key's value in place, or appends key at the end.
func (o *jsonObject) set(key string, raw json.RawMessage) {
	if _, ok := o.values[key]; !ok {
		o.keys = append(o.keys, key)
	}
	o.values[key] = raw
}

// setValue marshals v (without HTML escaping, so paths stay readable) and sets it.
func (o *jsonObject) setValue(key string, v any) error {
	raw, err := marshalPlain(v)
	if err != nil {
		return err
	}
	o.set(key, raw)
	return nil
}

// compact renders the object on one line, values as they were.
func (o *jsonObject) compact() json.RawMessage {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range o.keys {
		if i > 0 {
			b.WriteByte(',')
		}
		key, _ := marshalPlain(k)
		b.Write(key)
		b.WriteByte(':')
		b.Write(o.values[k])
	}
	b.WriteByte('}')
	return b.Bytes()
}

// document renders the object as a file: two-space indentation, final newline.
func (o *jsonObject) document() ([]byte, error) {
	var b bytes.Buffer
	if err := json.Indent(&b, o.compact(), "", "  "); err != nil {
		return nil, err
	}
	b.WriteByte('\n')
	return b.Bytes(), nil
}

func marshalPlain(v any) (json.RawMessage, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}

// sameJSON reports whether two JSON texts hold the same value.
func sameJSON(a, b json.RawMessage) bool {
	var va, vb any
	if json.Unmarshal(a, &va) != nil || json.Unmarshal(b, &vb) != nil {
		return false
	}
	ca, _ := json.Marshal(va)
	cb, _ := json.Marshal(vb)
	return bytes.Equal(ca, cb)
}
