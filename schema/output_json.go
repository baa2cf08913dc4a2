package schema

import (
	"encoding/json"
	"maps"

	"github.com/bctrlhq/bctrl-mcp/bctrl"
)

// outputFields are InvocationOutput's own fields; they win over invocation
// fields of the same name, such as ones a newer API might add.
type outputFields struct {
	Terminal       bool       `json:"terminal"`
	Next           string     `json:"next"`
	IdempotencyKey string     `json:"idempotencyKey,omitempty"`
	Artifacts      []Artifact `json:"artifacts,omitempty"`
}

// ownKeys are the JSON names of outputFields.
var ownKeys = []string{"terminal", "next", "idempotencyKey", "artifacts"}

// MarshalJSON writes the invocation (with the fields a newer API added, see
// bctrl.Invocation.MarshalJSON) and the output's own fields as one object,
// the own fields last. Without it the embedded invocation's MarshalJSON
// would stand for the whole output and drop terminal and next.
func (o InvocationOutput) MarshalJSON() ([]byte, error) {
	inv := o.Invocation
	for _, k := range ownKeys {
		if _, clash := inv.Extra[k]; clash {
			inv.Extra = maps.Clone(inv.Extra) // the caller's map stays as it is
			for _, k := range ownKeys {
				delete(inv.Extra, k)
			}
			break
		}
	}
	head, err := json.Marshal(inv)
	if err != nil {
		return nil, err
	}
	own, err := json.Marshal(outputFields{Terminal: o.Terminal, Next: o.Next, IdempotencyKey: o.IdempotencyKey, Artifacts: o.Artifacts})
	if err != nil {
		return nil, err
	}
	// Both are JSON objects; own always has terminal and next, so it is never {}.
	if string(head) == "{}" {
		return own, nil
	}
	out := make([]byte, 0, len(head)+len(own))
	out = append(out, head[:len(head)-1]...)
	out = append(out, ',')
	return append(out, own[1:]...), nil
}

// UnmarshalJSON reads both halves from one object. The output's own field
// names are not kept as unknown invocation fields.
func (o *InvocationOutput) UnmarshalJSON(data []byte) error {
	var own outputFields
	if err := json.Unmarshal(data, &own); err != nil {
		return err
	}
	var inv bctrl.Invocation
	if err := json.Unmarshal(data, &inv); err != nil {
		return err
	}
	for _, k := range ownKeys {
		delete(inv.Extra, k)
	}
	if len(inv.Extra) == 0 {
		inv.Extra = nil
	}
	*o = InvocationOutput{Invocation: inv, Terminal: own.Terminal, Next: own.Next, IdempotencyKey: own.IdempotencyKey, Artifacts: own.Artifacts}
	return nil
}
