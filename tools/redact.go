package tools

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/bctrlhq/bctrl-mcp/bctrl"
)

// redacted replaces secret values the API echoes back.
const redacted = "[redacted]"

// secretSuffixes end the normalised names of fields that hold a credential,
// wherever they appear and however the API spells them (api_key, apiKey,
// X-Api-Key, openaiApiKey...). "token" alone is matched exactly, so that
// counters such as maxTokens or tokenCount are kept.
var secretSuffixes = []string{
	"apikey", "authorization", "accesstoken", "refreshtoken", "idtoken", "secret", "clientsecret",
	"password", "passwd", "privatekey", "cookie", "sensitivedata",
	// Fields a newer API adds now reach results (bctrl.Invocation.Extra),
	// so the common names of other credentials are covered too.
	"authtoken", "apitoken", "sessiontoken", "bearertoken", "credential", "credentials",
}

// secretKey reports whether a field named k holds a secret: its name, in
// lower case without '_' and '-', is "token" or ends with a secret suffix.
func secretKey(k string) bool {
	return secretName(strings.Map(func(r rune) rune {
		if r == '_' || r == '-' {
			return -1
		}
		return r
	}, strings.ToLower(k)))
}

// secretName is secretKey on a normalised name.
func secretName(n string) bool {
	if n == "token" {
		return true
	}
	for _, s := range secretSuffixes {
		if strings.HasSuffix(n, s) {
			return true
		}
	}
	return false
}

// redactInvocation returns inv with every secret-named field, at any depth
// of any part (request echo, result and step results, error and its
// details, metadata, progress), replaced. It walks the invocation's JSON,
// so typed and free-form fields go through the one mechanism, and a field
// added to bctrl.Invocation later is covered too. An invocation with no
// secret-named key comes back as it is, found by a scan of its JSON text.
func redactInvocation(inv bctrl.Invocation) bctrl.Invocation {
	raw, err := json.Marshal(inv)
	if err != nil {
		return bctrl.Invocation{ID: inv.ID, Status: inv.Status} // fail closed
	}
	if !mayHoldSecret(raw) {
		return inv
	}
	generic, err := decodeGeneric(raw)
	if err == nil {
		clean, _ := redactWalk(generic, false)
		if raw, err = json.Marshal(clean); err == nil {
			var out bctrl.Invocation
			if err = json.Unmarshal(raw, &out); err == nil {
				return out
			}
		}
	}
	// Only a typed field with a secret name could fail the decode, and a
	// test rules those out; fail closed rather than echo anything.
	return bctrl.Invocation{ID: inv.ID, Status: inv.Status}
}

// redactAny returns v as a generic JSON value (maps, slices, strings,
// numbers) with its secrets replaced.
func redactAny(v any) (any, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	generic, err := decodeGeneric(raw)
	if err != nil {
		return nil, err
	}
	clean, _ := redactWalk(generic, false)
	return clean, nil
}

func decodeGeneric(raw []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber() // keep large integers exact
	var generic any
	err := dec.Decode(&generic)
	return generic, err
}

// mayHoldSecret scans JSON text, without decoding it, for an object key
// that is secret-named, or that it cannot judge byte by byte (escaped or
// not ASCII): only then does the text need the full walk.
func mayHoldSecret(raw []byte) bool {
	var buf [64]byte
	for i := 0; i < len(raw); i++ {
		if raw[i] != '"' {
			continue
		}
		name, plain := buf[:0], true
		for i++; i < len(raw) && raw[i] != '"'; i++ {
			switch c := raw[i]; {
			case c == '\\' || c >= 0x80:
				plain = false
				if c == '\\' {
					i++
				}
			case c == '_' || c == '-':
			case 'A' <= c && c <= 'Z':
				name = append(name, c+'a'-'A')
			default:
				name = append(name, c)
			}
		}
		j := i + 1
		for j < len(raw) && (raw[j] == ' ' || raw[j] == '\t' || raw[j] == '\n' || raw[j] == '\r') {
			j++
		}
		if j < len(raw) && raw[j] == ':' && (!plain || secretName(string(name))) {
			return true
		}
	}
	return false
}

// redactWalk copies v with the value under every secret-named field
// replaced, keeping the shape so the model sees which secrets were set;
// inside a secret (hide) every leaf becomes redacted. It reports whether
// anything was replaced.
func redactWalk(v any, hide bool) (any, bool) {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		changed := false
		for k, val := range t {
			var c bool
			out[k], c = redactWalk(val, hide || (val != nil && secretKey(k)))
			changed = changed || c
		}
		return out, changed
	case []any:
		out := make([]any, len(t))
		changed := false
		for i, val := range t {
			var c bool
			out[i], c = redactWalk(val, hide)
			changed = changed || c
		}
		return out, changed
	}
	if hide {
		return redacted, true
	}
	return v, false
}
