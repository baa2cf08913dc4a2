// Package era reads what a request's params._meta says about its MCP
// protocol era and rejects what mcp-go would otherwise serve wrongly.
//
// From revision 2026-07-28 every request carries its protocol version,
// client capabilities and optional log level in _meta; requests without
// them belong to the initialize (2025-11-25 and earlier) era. mcp-go
// v1.2.1 serves a _meta version it does not know but that sorts before
// 2026-07-28 as a legacy request, and passes an unknown log level through;
// the specification asks for -32022 and -32602. Check closes both gaps.
//
// It also names the methods of the Tasks extension, a 2026-07-28
// extension: the tasks layer serves them and the HTTP transport checks
// their Mcp-Name header, and this leaf is what both import.
package era

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"
)

// The Tasks extension's methods (io.modelcontextprotocol/tasks). Each
// names its task by params.taskId.
const (
	TasksGet    = "tasks/get"
	TasksUpdate = "tasks/update"
	TasksCancel = "tasks/cancel"
)

// IsTasksMethod reports whether method is one of the Tasks extension's.
func IsTasksMethod(method string) bool {
	return method == TasksGet || method == TasksUpdate || method == TasksCancel
}

// logLevels are the levels of the logging utility (RFC 5424 names).
var logLevels = []string{"debug", "info", "notice", "warning", "error", "critical", "alert", "emergency"}

// Meta is what one request's params._meta says about its era.
type Meta struct {
	// Version is the declared protocol version; "" when absent.
	Version string
	// Modern reports a version of 2026-07-28 or later: the stateless era.
	Modern bool
	// LogLevel is the declared per-request log level; "" when absent.
	LogLevel string
	// Extensions are the client extensions the request declares, by identifier.
	Extensions map[string]json.RawMessage

	versionSet, logLevelSet bool
	logLevelRaw             string // the log level as sent, for the error message
	badVersion, badLogLevel bool   // present but not a string
}

// Declares reports whether the request declares the client extension id
// (an object under clientCapabilities.extensions; {} means supported).
func (m Meta) Declares(id string) bool {
	raw, ok := m.Extensions[id]
	return ok && len(raw) > 0 && raw[0] == '{'
}

// Parse reads the era keys of params._meta in a JSON-RPC message. A message
// that is not an object, or has no _meta, yields the zero Meta (legacy).
func Parse(message json.RawMessage) Meta {
	var envelope struct {
		Params json.RawMessage `json:"params"`
	}
	if json.Unmarshal(message, &envelope) != nil {
		return Meta{}
	}
	return ParseParams(envelope.Params)
}

// ParseParams is Parse for a message's params member alone, for a caller
// that has already taken the message apart.
func ParseParams(params json.RawMessage) Meta {
	var p struct {
		Meta map[string]json.RawMessage `json:"_meta"`
	}
	if len(params) == 0 || json.Unmarshal(params, &p) != nil {
		return Meta{}
	}
	var m Meta
	meta := p.Meta
	if raw, ok := meta[mcp.MetaKeyProtocolVersion]; ok && string(raw) != "null" {
		m.versionSet = true
		m.badVersion = json.Unmarshal(raw, &m.Version) != nil
	}
	if raw, ok := meta[mcp.MetaKeyLogLevel]; ok && string(raw) != "null" {
		m.logLevelSet = true
		m.logLevelRaw = Clip(string(raw), 40)
		m.badLogLevel = json.Unmarshal(raw, &m.LogLevel) != nil
	}
	m.Modern = m.versionSet && !m.badVersion && mcp.IsModernProtocol(m.Version)
	var caps struct {
		Extensions map[string]json.RawMessage `json:"extensions"`
	}
	if raw, ok := meta[mcp.MetaKeyClientCapabilities]; ok && json.Unmarshal(raw, &caps) == nil {
		m.Extensions = caps.Extensions
	}
	return m
}

// Error is a JSON-RPC error a request must get instead of being served.
type Error struct {
	Code    int
	Message string
	Data    any
}

// Check returns the error a request with this _meta must get, or nil when
// it may be served. supported lists the protocol versions the server
// implements (what server/discover reports); a declared version outside it
// gets -32022, known or unknown, earlier or later than 2026-07-28. A modern
// request with an unknown log level gets -32602.
func Check(m Meta, supported []string) *Error {
	switch {
	case m.badVersion:
		return &Error{Code: mcp.INVALID_PARAMS, Message: fmt.Sprintf("invalid _meta: %s must be a string such as %q", mcp.MetaKeyProtocolVersion, mcp.LATEST_PROTOCOL_VERSION)}
	case m.versionSet && !slices.Contains(supported, m.Version):
		return &Error{
			Code:    mcp.UNSUPPORTED_PROTOCOL_VERSION,
			Message: fmt.Sprintf("Unsupported protocol version %q; this server implements %v", m.Version, supported),
			Data:    mcp.UnsupportedProtocolVersionData{Supported: supported, Requested: m.Version},
		}
	case !m.Modern:
		return nil // the log level is a 2026-07-28 key; earlier requests never carry one
	case m.badLogLevel || (m.logLevelSet && !slices.Contains(logLevels, m.LogLevel)):
		return &Error{Code: mcp.INVALID_PARAMS, Message: fmt.Sprintf("invalid _meta: %s must be one of %v, not %s", mcp.MetaKeyLogLevel, logLevels, m.logLevelRaw)}
	}
	return nil
}

// Clip shortens s to at most n bytes, on a character boundary, for
// echoing a caller's value in an error message.
func Clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "") + "…"
}
