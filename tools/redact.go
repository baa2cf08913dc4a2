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

// redactValue returns a copy of v with the value under every secret-named
// field replaced; the shape is kept so the model sees which secrets were set.
func redactValue(v any) any { return redactWalk(v, false) }

// redactWalk copies v; inside a secret (hide) every leaf becomes redacted.
func redactWalk(v any, hide bool) any {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, val := range t {
			out[k] = redactWalk(val, hide || (secretKeys[strings.ToLower(k)] && val != nil))
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, val := range t {
			out[i] = redactWalk(val, hide)
		}
		return out
	}
	if hide {
		return redacted
	}
	return v
}
