package tools

import (
	"strings"

	"github.com/bctrlhq/bctrl-mcp/bctrl"
)

// redacted replaces secret values the API echoes back.
const redacted = "[redacted]"

// secretKeys are fields whose value is a credential wherever they appear.
var secretKeys = map[string]bool{"apikey": true, "sensitivedata": true, "password": true, "token": true, "secret": true}

// redactInvocation strips model keys and sensitiveData from the echoed
// request, so secrets given at create never reach the model's context.
func redactInvocation(inv bctrl.Invocation) bctrl.Invocation {
	if inv.Request == nil {
		return inv
	}
	rec := *inv.Request
	rec.Steps = make([]bctrl.RecordStep, len(inv.Request.Steps))
	for i, s := range inv.Request.Steps {
		s.Args, _ = redactValue(s.Args).([]any)
		rec.Steps[i] = s
	}
	inv.Request = &rec
	return inv
}

// redactValue returns a copy of v with every secret-named field's value replaced.
func redactValue(v any) any {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, val := range t {
			if secretKeys[strings.ToLower(k)] && val != nil {
				out[k] = redactLeaves(val)
				continue
			}
			out[k] = redactValue(val)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, val := range t {
			out[i] = redactValue(val)
		}
		return out
	}
	return v
}

// redactLeaves keeps the shape (so the model sees which secrets were set) but hides every value.
func redactLeaves(v any) any {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, val := range t {
			out[k] = redactLeaves(val)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, val := range t {
			out[i] = redactLeaves(val)
		}
		return out
	}
	return redacted
}
