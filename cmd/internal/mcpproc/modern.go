package mcpproc

import (
	"encoding/json"
	"fmt"
	"maps"
)

// Revision 2026-07-28 has no handshake: every request carries its protocol
// version and client capabilities in params._meta. These helpers speak it.

// ModernVersion is the stateless protocol revision.
const ModernVersion = "2026-07-28"

// TasksExtension identifies the Tasks extension a client may declare.
const TasksExtension = "io.modelcontextprotocol/tasks"

// ModernMeta is the _meta of a 2026-07-28 request that declares the given
// client extensions; add keys (logLevel, progressToken) to it as needed.
func ModernMeta(extensions ...string) map[string]any {
	declared := map[string]any{}
	for _, e := range extensions {
		declared[e] = map[string]any{}
	}
	caps := map[string]any{}
	if len(extensions) > 0 {
		caps["extensions"] = declared
	}
	return map[string]any{
		"io.modelcontextprotocol/protocolVersion":    ModernVersion,
		"io.modelcontextprotocol/clientCapabilities": caps,
		"io.modelcontextprotocol/clientInfo":         map[string]any{"name": "mcpproc", "version": "1"},
	}
}

// WithMeta returns a copy of meta with the extra keys set.
func WithMeta(meta map[string]any, extra map[string]any) map[string]any {
	out := maps.Clone(meta)
	maps.Copy(out, extra)
	return out
}

// Request sends a request and returns its response, result or error,
// reading past the notifications before it (they stay in Stdout).
func (p *Proc) Request(id, method string, params map[string]any) (map[string]any, error) {
	raw, err := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": id, "method": method, "params": params})
	if err != nil {
		return nil, err
	}
	if err := p.Send(string(raw)); err != nil {
		return nil, err
	}
	return p.Until(id)
}

// Result is Request for a response that must be a result; it returns the result.
func (p *Proc) Result(id, method string, params map[string]any) (map[string]any, error) {
	m, err := p.Request(id, method, params)
	if err != nil {
		return nil, err
	}
	res, ok := m["result"].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%s %s: no result in %v", method, id, m)
	}
	return res, nil
}

// Error is Request for a response that must be an error; it returns the error object.
func (p *Proc) Error(id, method string, params map[string]any) (map[string]any, error) {
	m, err := p.Request(id, method, params)
	if err != nil {
		return nil, err
	}
	e, ok := m["error"].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%s %s: want an error, got %v", method, id, m)
	}
	return e, nil
}
