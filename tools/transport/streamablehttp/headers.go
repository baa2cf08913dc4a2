package streamablehttp

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/bctrlhq/bctrl-mcp/tools/era"
	"github.com/mark3labs/mcp-go/mcp"
)

// rpcError is an error answered before the message reaches the server.
type rpcError struct {
	status  int
	code    int
	message string
	data    any
}

// postEra is what a POST says about its protocol era.
type postEra struct {
	modern        bool
	headerVersion string // MCP-Protocol-Version, "" when absent
	metaVersion   string // params._meta protocol version, "" when absent
}

// readEra reads the era from the header and a request's or notification's
// params: modern when either names 2026-07-28 or later.
func readEra(h http.Header, params json.RawMessage) postEra {
	e := postEra{headerVersion: strings.TrimSpace(h.Get(mcp.HeaderProtocolVersion))}
	e.metaVersion = era.ParseParams(params).Version
	// A header alone makes a request modern only when it names a revision
	// (a date): "not-a-version" sorts after 2026-07-28 but is no revision.
	e.modern = mcp.IsModernProtocol(e.metaVersion) || (isRevision(e.headerVersion) && mcp.IsModernProtocol(e.headerVersion))
	return e
}

// isRevision reports whether v is shaped like a protocol revision, YYYY-MM-DD.
func isRevision(v string) bool {
	if len(v) != 10 {
		return false
	}
	for i, c := range v {
		if (i == 4 || i == 7) != (c == '-') || (c != '-' && (c < '0' || c > '9')) {
			return false
		}
	}
	return true
}

// checkLegacyVersion checks the MCP-Protocol-Version header of a request of
// an earlier era: absent (2025-03-26 clients send none) or a version this
// server implements. initialize negotiates the version itself.
func checkLegacyVersion(e postEra, method string) *rpcError {
	supported := mcp.ValidProtocolVersions
	if e.headerVersion == "" || method == string(mcp.MethodInitialize) || slices.Contains(supported, e.headerVersion) {
		return nil
	}
	return &rpcError{status: http.StatusBadRequest, code: mcp.UNSUPPORTED_PROTOCOL_VERSION,
		message: fmt.Sprintf("Unsupported protocol version %q in the %s header; this server implements %v", clip(e.headerVersion), mcp.HeaderProtocolVersion, supported),
		data:    mcp.UnsupportedProtocolVersionData{Supported: supported, Requested: e.headerVersion}}
}

// checkModernHeaders applies the request-metadata rules of 2026-07-28 to a
// request: the protocol version header must be present and equal to the
// _meta version, Mcp-Method must equal the method, and Mcp-Name the name,
// uri or task id the method carries. These run for every method, including
// those a layer in front of mcp-go answers itself.
func checkModernHeaders(e postEra, h http.Header, method string, params json.RawMessage) *rpcError {
	mismatch := func(format string, args ...any) *rpcError {
		return &rpcError{status: http.StatusBadRequest, code: mcp.HEADER_MISMATCH, message: "Header mismatch: " + fmt.Sprintf(format, args...)}
	}
	switch {
	case e.headerVersion == "":
		return mismatch("the %s header is required (it must equal _meta[%q])", mcp.HeaderProtocolVersion, mcp.MetaKeyProtocolVersion)
	case e.metaVersion == "":
		return &rpcError{status: http.StatusBadRequest, code: mcp.INVALID_PARAMS,
			message: fmt.Sprintf("Invalid params: _meta[%q] is required in protocol version %s", mcp.MetaKeyProtocolVersion, clip(e.headerVersion))}
	case e.headerVersion != e.metaVersion:
		return mismatch("%s header %q does not match body _meta[%q] %q", mcp.HeaderProtocolVersion, clip(e.headerVersion), mcp.MetaKeyProtocolVersion, clip(e.metaVersion))
	}
	if err := mcp.ValidateStandardHeaders(h.Get, e.metaVersion, mcp.MCPMethod(method), params); err != nil {
		return mismatch("%v", err)
	}
	if !era.IsTasksMethod(method) { // the Tasks extension's Mcp-Name is the task id
		return nil
	}
	// mcp-go does not know the Tasks extension's rule: Mcp-Name is the task id.
	var p struct {
		TaskID string `json:"taskId"`
	}
	_ = json.Unmarshal(params, &p)
	name := h.Get(mcp.HeaderName)
	decoded, ok := mcp.DecodeHeaderValue(name)
	switch {
	case name == "":
		return mismatch("the %s header is required for %s (the task id)", mcp.HeaderName, method)
	case !ok:
		return mismatch("the %s header is not valid Base64", mcp.HeaderName)
	case decoded != p.TaskID:
		return mismatch("%s header %q does not match body params.taskId %q", mcp.HeaderName, clip(decoded), clip(p.TaskID))
	}
	return nil
}

// modernStatus is the HTTP status revision 2026-07-28 gives an error answer.
func modernStatus(code int) int {
	switch code {
	case mcp.METHOD_NOT_FOUND:
		return http.StatusNotFound
	case mcp.HEADER_MISMATCH, mcp.MISSING_REQUIRED_CLIENT_CAPABILITY, mcp.UNSUPPORTED_PROTOCOL_VERSION, mcp.INVALID_REQUEST, mcp.INVALID_PARAMS, mcp.PARSE_ERROR:
		return http.StatusBadRequest
	}
	return http.StatusOK
}

// clip shortens an echoed value for an error message.
func clip(s string) string { return era.Clip(s, 80) }
