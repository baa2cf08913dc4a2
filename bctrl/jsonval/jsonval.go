// Package jsonval validates JSON values against a JSON Schema and turns the
// failures into short messages that name the offending field, what was
// wrong and what is allowed.
package jsonval

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

const resourceURL = "mem://schema.json"

// Validator checks values against one schema of a document.
type Validator struct {
	doc    any
	schema *jsonschema.Schema
}

// Problem is one reason a value was rejected.
type Problem struct {
	// Path is the dotted location of the field, e.g. config.llm.provider or files[0]; empty for the root.
	Path    string
	Message string
	// selector holds the allowed value of a single-valued enum or const that
	// did not match: in a union it tells which branch was not meant.
	selector string
	got      string
	// wantTypes is set on a type mismatch, so unions of types merge into one message.
	wantTypes string
}

// String formats the problem as "path: message".
func (p Problem) String() string {
	if p.Path == "" {
		return p.Message
	}
	return p.Path + ": " + p.Message
}

// Compile compiles the schema at pointer (e.g. "" or "/$defs/Request") in
// doc, a decoded JSON document. Formats such as uuid are asserted.
func Compile(doc any, pointer string) (*Validator, error) {
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	c.DefaultDraft(jsonschema.Draft2020)
	if err := c.AddResource(resourceURL, doc); err != nil {
		return nil, fmt.Errorf("jsonval: add schema: %w", err)
	}
	sch, err := c.Compile(resourceURL + "#" + pointer)
	if err != nil {
		return nil, fmt.Errorf("jsonval: compile %q: %w", pointer, err)
	}
	return &Validator{doc: doc, schema: sch}, nil
}

// Decode parses JSON into the value form the validator expects (numbers kept exact).
func Decode(data []byte) (any, error) {
	return jsonschema.UnmarshalJSON(bytes.NewReader(data))
}

// Validate returns the problems of v (decoded with Decode), none when it is valid.
func (v *Validator) Validate(value any) []Problem {
	err := v.schema.Validate(value)
	if err == nil {
		return nil
	}
	verr, ok := err.(*jsonschema.ValidationError)
	if !ok {
		return []Problem{{Message: err.Error()}}
	}
	var out []Problem
	v.collect(verr, &out)
	return dedupe(out)
}

var printer = message.NewPrinter(language.English)

// collect walks to the leaves of the error tree, which name concrete fields.
func (v *Validator) collect(e *jsonschema.ValidationError, out *[]Problem) {
	if len(e.Causes) > 0 {
		if v.alternatives(e, out) {
			return
		}
		for _, c := range e.Causes {
			v.collect(c, out)
		}
		return
	}
	p := Problem{Path: dotted(e.InstanceLocation)}
	switch k := e.ErrorKind.(type) {
	case *kind.AdditionalProperties:
		p = v.unknownFields(e, k)
	case *kind.Required:
		p.Message = fmt.Sprintf("missing required field %s", quoteAll(k.Missing))
	case *kind.Type:
		p.wantTypes, p.got = strings.Join(k.Want, " or "), k.Got
		p.Message = fmt.Sprintf("must be %s, not %s", p.wantTypes, k.Got)
	case *kind.Enum:
		p.Message = fmt.Sprintf("%s is not allowed; use one of %s", compact(k.Got), joinValues(k.Want))
		if len(k.Want) == 1 {
			p.selector, p.got = compact(k.Want[0]), compact(k.Got)
		}
	case *kind.Const:
		p.Message = fmt.Sprintf("%s is not allowed; must be %s", compact(k.Got), compact(k.Want))
		p.selector, p.got = compact(k.Want), compact(k.Got)
	case *kind.Format:
		p.Message = fmt.Sprintf("%s is not a valid %s", compact(k.Got), k.Want)
	case *kind.MaxLength:
		p.Message = fmt.Sprintf("is %d characters long; at most %d are allowed", k.Got, k.Want)
	case *kind.MinLength:
		p.Message = fmt.Sprintf("is %d characters long; at least %d are required", k.Got, k.Want)
	case *kind.MaxItems:
		p.Message = fmt.Sprintf("has %d items; at most %d are allowed", k.Got, k.Want)
	case *kind.Minimum:
		p.Message = fmt.Sprintf("is %s; the minimum is %s", number(k.Got), number(k.Want))
	case *kind.Maximum:
		p.Message = fmt.Sprintf("is %s; the maximum is %s", number(k.Got), number(k.Want))
	default:
		p.Message = e.ErrorKind.LocalizedString(printer)
	}
	*out = append(*out, p)
}

// alternatives explains a oneOf/anyOf that no branch matched. Branches
// ruled out by a selector field (such as provider) are dropped; if one
// branch is left, its own problems are reported; if all branches fail at
// the union itself, one problem lists the allowed shapes.
func (v *Validator) alternatives(e *jsonschema.ValidationError, out *[]Problem) bool {
	switch e.ErrorKind.(type) {
	case *kind.OneOf, *kind.AnyOf:
	default:
		return false
	}
	here := dotted(e.InstanceLocation)
	var branches, ruledOut [][]Problem
	for _, c := range e.Causes {
		var sub []Problem
		v.collect(c, &sub)
		if selectsOther(sub, here) {
			ruledOut = append(ruledOut, sub)
		} else {
			branches = append(branches, sub)
		}
	}
	if len(branches) == 0 {
		return mergeSelectors(ruledOut, here, out)
	}
	branches = deepest(branches)
	if len(branches) == 1 {
		*out = append(*out, branches[0]...)
		return true
	}
	if merged, ok := mergeTypes(branches, here); ok {
		*out = append(*out, merged)
		return true
	}
	shapes := make([]string, len(branches))
	for i, sub := range branches {
		for _, p := range sub {
			if p.Path != here {
				return false
			}
		}
		shapes[i] = describeBranch(sub)
	}
	*out = append(*out, Problem{Path: here, Message: "matches none of the allowed forms: " + strings.Join(shapes, " | ")})
	return true
}

// mergeTypes turns branches that each failed only on their type into one
// "must be A or B, not C" problem.
func mergeTypes(branches [][]Problem, here string) (Problem, bool) {
	var wants []string
	for _, sub := range branches {
		if len(sub) != 1 || sub[0].wantTypes == "" || sub[0].Path != here {
			return Problem{}, false
		}
		wants = append(wants, sub[0].wantTypes)
	}
	p := Problem{Path: here, wantTypes: strings.Join(wants, " or "), got: branches[0][0].got}
	p.Message = fmt.Sprintf("must be %s, not %s", p.wantTypes, p.got)
	return p, true
}

// selectsOther reports a branch that failed on a selector field directly under the union.
func selectsOther(ps []Problem, here string) bool {
	for _, p := range ps {
		if p.selector != "" && parentOf(p.Path) == here {
			return true
		}
	}
	return false
}

// mergeSelectors reports a selector value that no branch accepts, listing
// the values the branches accept together.
func mergeSelectors(branches [][]Problem, here string, out *[]Problem) bool {
	allowed := map[string][]string{}
	got := map[string]string{}
	var paths []string
	for _, sub := range branches {
		for _, p := range sub {
			if p.selector == "" || parentOf(p.Path) != here {
				continue
			}
			if _, seen := allowed[p.Path]; !seen {
				paths = append(paths, p.Path)
			}
			if !slices.Contains(allowed[p.Path], p.selector) {
				allowed[p.Path] = append(allowed[p.Path], p.selector)
			}
			got[p.Path] = p.got
		}
	}
	for _, path := range paths {
		*out = append(*out, Problem{Path: path, Message: fmt.Sprintf("%s is not allowed; use one of %s", got[path], strings.Join(allowed[path], ", "))})
	}
	return len(paths) > 0
}

// deepest keeps the branches whose problems reach furthest into the value:
// the branch that matched the most is most likely the one meant.
func deepest(branches [][]Problem) [][]Problem {
	depth := func(ps []Problem) int {
		d := 0
		for _, p := range ps {
			d = max(d, strings.Count(p.Path, ".")+strings.Count(p.Path, "[")+min(len(p.Path), 1))
		}
		return d
	}
	best := 0
	for _, b := range branches {
		best = max(best, depth(b))
	}
	var out [][]Problem
	for _, b := range branches {
		if depth(b) == best {
			out = append(out, b)
		}
	}
	return out
}

func parentOf(path string) string {
	if i := strings.LastIndexAny(path, ".["); i >= 0 {
		return path[:i]
	}
	return ""
}

func describeBranch(ps []Problem) string {
	msgs := make([]string, len(ps))
	for i, p := range ps {
		msgs[i] = p.Message
	}
	return "(" + strings.Join(msgs, "; ") + ")"
}

// unknownFields names the unexpected fields and lists the valid ones, read
// from the schema object that rejected them.
func (v *Validator) unknownFields(e *jsonschema.ValidationError, k *kind.AdditionalProperties) Problem {
	p := Problem{Path: dotted(e.InstanceLocation)}
	p.Message = fmt.Sprintf("unknown field %s", quoteAll(k.Properties))
	if valid := v.propertiesAt(strings.TrimSuffix(e.SchemaURL, "/additionalProperties")); len(valid) > 0 {
		p.Message += "; valid fields here: " + strings.Join(valid, ", ")
	}
	return p
}

// propertiesAt lists the property names of the schema object at url.
func (v *Validator) propertiesAt(url string) []string {
	_, ptr, ok := strings.Cut(url, "#")
	if !ok {
		return nil
	}
	node := v.doc
	for _, tok := range strings.Split(strings.TrimPrefix(ptr, "/"), "/") {
		if tok == "" {
			continue
		}
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		switch n := node.(type) {
		case map[string]any:
			node = n[tok]
		case []any:
			var i int
			if _, err := fmt.Sscan(tok, &i); err != nil || i < 0 || i >= len(n) {
				return nil
			}
			node = n[i]
		default:
			return nil
		}
	}
	obj, _ := node.(map[string]any)
	props, _ := obj["properties"].(map[string]any)
	names := make([]string, 0, len(props))
	for name := range props {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// dotted turns ["files","0","name"] into files[0].name.
func dotted(loc []string) string {
	var b strings.Builder
	for _, tok := range loc {
		if isIndex(tok) {
			b.WriteString("[" + tok + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(tok)
	}
	return b.String()
}

func isIndex(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func quoteAll(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	return strings.Join(q, ", ")
}

func joinValues(vs []any) string {
	parts := make([]string, len(vs))
	for i, v := range vs {
		parts[i] = compact(v)
	}
	return strings.Join(parts, ", ")
}

// number renders an exact rational as a short decimal.
func number(r *big.Rat) string {
	if r.IsInt() && r.Num().BitLen() < 64 {
		return r.Num().String()
	}
	f, _ := r.Float64()
	return strconv.FormatFloat(f, 'g', 6, 64)
}

// compact renders a value as short JSON for a message.
func compact(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	if len(b) > 60 {
		return strings.ToValidUTF8(string(b[:60]), "") + "…"
	}
	return string(b)
}

func dedupe(ps []Problem) []Problem {
	seen := map[Problem]bool{}
	out := ps[:0]
	for _, p := range ps {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	return slices.Clip(out)
}

// Summary joins problems into one line for an error message.
func Summary(ps []Problem) string {
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = p.String()
	}
	return strings.Join(parts, "; ")
}
