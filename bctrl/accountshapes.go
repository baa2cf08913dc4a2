package bctrl

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// This file is the one place that knows the response shapes of the three
// account routes setup and doctor use. They are not in the OpenAPI text we
// were given, so every line below is an assumption, taken from the API notes
// (list answers keyed by resource name, runtimes carrying activeRunId) and
// from the public bctrl CLI (the identity fields it reads, runtime statuses
// active|failed|stopped):
//
//   - GET /v1/auth/whoami answers a JSON object of identity fields such as
//     email, organizationId, scope, plan, keyId, defaultSpaceId. Every
//     top-level field is kept; the scalar ones are shown.
//   - GET /v1/spaces and GET /v1/spaces/{spaceId}/runtimes answer
//     {"spaces"|"runtimes": [...], "nextCursor": "..."|null}; the R
//     generation's "data" key is accepted too. The next page is asked for
//     with ?cursor=<nextCursor>; a missing, null or empty nextCursor, or
//     "hasMore": false, ends the list.
//   - A space has "id" and "name". A runtime has "id", "name", "status" (or
//     "state") and "activeRunId" while a run is active.
//
// Unknown fields are ignored, missing ones stay empty, a field of an
// unexpected type reads as empty, and an item without an id is skipped.

// Identity is what GET /v1/auth/whoami says about the key's owner.
type Identity struct {
	// Fields holds every top-level field of the answer.
	Fields map[string]any
}

// IdentityField is one identity field as text.
type IdentityField struct{ Name, Value string }

// identityOrder puts the fields a person recognises first.
var identityOrder = []string{"email", "name", "organizationName", "organizationId", "scope", "subaccountId", "plan", "keyId", "defaultSpaceId"}

// Summary returns the scalar identity fields as text: the well-known ones
// first, then the rest by name. Nulls, objects and arrays are left out.
func (id Identity) Summary() []IdentityField {
	rank := func(name string) int {
		for i, n := range identityOrder {
			if n == name {
				return i
			}
		}
		return len(identityOrder)
	}
	var out []IdentityField
	for name, v := range id.Fields {
		if s, ok := scalarText(v); ok && s != "" {
			out = append(out, IdentityField{Name: name, Value: s})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		ri, rj := rank(out[i].Name), rank(out[j].Name)
		if ri != rj {
			return ri < rj
		}
		return out[i].Name < out[j].Name
	})
	return out
}

// DefaultSpaceID is the key's default space, when whoami names one.
func (id Identity) DefaultSpaceID() string { return text(id.Fields, "defaultSpaceId") }

// Space is one item of GET /v1/spaces.
type Space struct {
	ID, Name string
}

// Runtime is one item of GET /v1/spaces/{spaceId}/runtimes.
type Runtime struct {
	ID, Name, Status string
	// ActiveRunID is set while a run (a live browser) is active.
	ActiveRunID string
}

// Readiness is how ready a runtime looks for a new invocation.
type Readiness int

// Readiness values.
const (
	// RuntimeStateUnknown: the answer does not say.
	RuntimeStateUnknown Readiness = iota
	// RuntimeReady: a run is active, or the status says the runtime is up.
	RuntimeReady
	// RuntimeNotReady: the status says the runtime is stopped or broken.
	RuntimeNotReady
)

// Readiness judges the runtime from its status and active run, and says why.
func (r Runtime) Readiness() (Readiness, string) {
	status := strings.ToLower(r.Status)
	switch {
	case r.ActiveRunID != "":
		return RuntimeReady, "a run is active"
	case status == "active" || status == "running" || status == "ready" || status == "idle" || status == "started":
		return RuntimeReady, "status " + r.Status
	case status == "stopped" || status == "failed" || status == "error" || status == "deleted" || status == "terminated":
		return RuntimeNotReady, "status " + r.Status
	case status == "":
		return RuntimeStateUnknown, "no status reported"
	}
	return RuntimeStateUnknown, "status " + r.Status
}

func decodeIdentity(raw json.RawMessage) (Identity, error) {
	var fields map[string]any
	if err := json.Unmarshal(raw, &fields); err != nil || fields == nil {
		return Identity{}, fmt.Errorf("bctrl: GET /v1/auth/whoami: %w: expected a JSON object", errDecode)
	}
	return Identity{Fields: fields}, nil
}

func decodeSpace(item map[string]any) (Space, bool) {
	s := Space{ID: text(item, "id"), Name: text(item, "name")}
	return s, s.ID != ""
}

func decodeRuntime(item map[string]any) (Runtime, bool) {
	r := Runtime{ID: text(item, "id"), Name: text(item, "name"), Status: text(item, "status"), ActiveRunID: text(item, "activeRunId")}
	if r.Status == "" {
		r.Status = text(item, "state")
	}
	return r, r.ID != ""
}

// listPage is one page of a list answer, items under the resource name or "data".
type listPage struct {
	fields map[string]json.RawMessage
}

func (p *listPage) UnmarshalJSON(data []byte) error {
	return json.Unmarshal(data, &p.fields)
}

// items returns the page's items; entries that are not objects are skipped.
func (p *listPage) items(key string) []map[string]any {
	raw, ok := p.fields[key]
	if !ok {
		raw = p.fields["data"]
	}
	var list []json.RawMessage
	_ = json.Unmarshal(raw, &list)
	var out []map[string]any
	for _, r := range list {
		var m map[string]any
		if json.Unmarshal(r, &m) == nil && m != nil {
			out = append(out, m)
		}
	}
	return out
}

// next returns the cursor of the next page, "" on the last one.
func (p *listPage) next() string {
	var more *bool
	_ = json.Unmarshal(p.fields["hasMore"], &more)
	if more != nil && !*more {
		return ""
	}
	var cursor any
	_ = json.Unmarshal(p.fields["nextCursor"], &cursor)
	s, _ := scalarText(cursor)
	return s
}

// text reads a string field; any other type reads as empty.
func text(m map[string]any, key string) string {
	s, _ := m[key].(string)
	return s
}

// scalarText renders a string, number or boolean; anything else is not a scalar.
func scalarText(v any) (string, bool) {
	switch v := v.(type) {
	case string:
		return v, true
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64), true
	case bool:
		return strconv.FormatBool(v), true
	}
	return "", false
}
