package streamablehttp

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"
)

// JSON-RPC codes of revision 2026-07-28 this file answers with.
const (
	codeHeaderMismatch     = -32020
	codeUnsupportedVersion = -32022
	codeInvalidParams      = -32602
	codeMethodNotFound     = -32601
)

// Methods of the Tasks extension whose Mcp-Name is the task id.
var taskMethods = []string{"tasks/get", "tasks/update", "tasks/cancel"}

// rpcError is an error answered before the message reaches the server.
type rpcError struct {
	status  int
	code    int
	message string
	data    any
}

// era is what a POST says about its protocol era.
type era struct {
	modern        bool
	headerVersion string // MCP-Protocol-Version, "" when absent
	metaVersion   string // params._meta protocol version, "" when absent
}

// readEra reads the era from the header and the body (a request or a
// notification): modern when either names 2026-07-28 or later.
func readEra(h http.Header, body []byte) era {
	e := era{headerVersion: strings.TrimSpace(h.Get(mcp.HeaderProtocolVersion))}
	var envelope struct {
		Params struct {
			Meta map[string]json.RawMessage `json:"_meta"`
		} `json:"params"`
	}
	if json.Unmarshal(body, &envelope) == nil {
		_ = json.Unmarshal(envelope.Params.Meta[mcp.MetaKeyProtocolVersion], &e.metaVersion)
	}
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
func checkLegacyVersion(e era, method string) *rpcError {
	supported := mcp.ValidProtocolVersions
	if e.headerVersion == "" || method == string(mcp.MethodInitialize) || slices.Contains(supported, e.headerVersion) {
		return nil
	}
	return &rpcError{status: http.StatusBadRequest, code: codeUnsupportedVersion,
		message: fmt.Sprintf("Unsupported protocol version %q in the %s header; this server implements %v", clip(e.headerVersion), mcp.HeaderProtocolVersion, supported),
		data:    map[string]any{"supported": supported, "requested": e.headerVersion}}
}

// checkModernHeaders applies the request-metadata rules of 2026-07-28 to a
// request: the protocol version header must be present and equal to the
// _meta version, Mcp-Method must equal the method, and Mcp-Name the name,
// uri or task id the method carries. These run for every method, including
// those a layer in front of mcp-go answers itself.
func checkModernHeaders(e era, h http.Header, method string, params json.RawMessage) *rpcError {
	mismatch := func(format string, args ...any) *rpcError {
		return &rpcError{status: http.StatusBadRequest, code: codeHeaderMismatch, message: "Header mismatch: " + fmt.Sprintf(format, args...)}
	}
	switch {
	case e.headerVersion == "":
		return mismatch("the %s header is required (it must equal _meta[%q])", mcp.HeaderProtocolVersion, mcp.MetaKeyProtocolVersion)
	case e.metaVersion == "":
		return &rpcError{status: http.StatusBadRequest, code: codeInvalidParams,
			message: fmt.Sprintf("Invalid params: _meta[%q] is required in protocol version %s", mcp.MetaKeyProtocolVersion, clip(e.headerVersion))}
	case e.headerVersion != e.metaVersion:
		return mismatch("%s header %q does not match body _meta[%q] %q", mcp.HeaderProtocolVersion, clip(e.headerVersion), mcp.MetaKeyProtocolVersion, clip(e.metaVersion))
	}
	if err := mcp.ValidateStandardHeaders(h.Get, e.metaVersion, mcp.MCPMethod(method), params); err != nil {
		return mismatch("%v", err)
	}
	if !slices.Contains(taskMethods, method) {
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
	case codeMethodNotFound:
		return http.StatusNotFound
	case codeHeaderMismatch, -32021, codeUnsupportedVersion, -32600, codeInvalidParams, -32700:
		return http.StatusBadRequest
	}
	return http.StatusOK
}

// clip shortens an echoed value for an error message.
func clip(s string) string {
	if len(s) > 80 {
		return strings.ToValidUTF8(s[:80], "") + "…"
	}
	return s
}
