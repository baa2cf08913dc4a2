package bctrl

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// maxErrorBody bounds how much of an error response is read.
const maxErrorBody = 64 << 10

// APIError is a non-2xx answer from the API.
type APIError struct {
	Method      string
	Path        string
	StatusCode  int
	Code        string
	Message     string
	Hint        string
	ReasonClass string
	Details     map[string]any
	RequestID   string
	// RetryAfter is the server's Retry-After, zero when absent.
	RetryAfter time.Duration
}

// Error formats the error without secrets: method, path, status, code, message, request id.
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "bctrl: %s %s: %d", e.Method, e.Path, e.StatusCode)
	if e.Code != "" {
		fmt.Fprintf(&b, " %s", e.Code)
	}
	if e.Message != "" {
		fmt.Fprintf(&b, ": %s", e.Message)
	}
	if e.RequestID != "" {
		fmt.Fprintf(&b, " (request %s)", e.RequestID)
	}
	return b.String()
}

// OutcomeUnknown reports a 503 whose effect may already have happened; it must not be retried blindly.
func (e *APIError) OutcomeUnknown() bool {
	return e.ReasonClass == "outcome_unknown" || e.Code == "outcome_unknown"
}

// errorEnvelope accepts both the flat {"error": "msg", "code": ...} and the
// nested {"error": {"code", "message", ...}} forms.
type errorEnvelope struct {
	Error       json.RawMessage `json:"error"`
	Message     string          `json:"message"`
	Code        string          `json:"code"`
	Hint        string          `json:"hint"`
	ReasonClass string          `json:"reasonClass"`
	Details     map[string]any  `json:"details"`
	RequestID   string          `json:"requestId"`
}

type nestedError struct {
	Code        string         `json:"code"`
	Message     string         `json:"message"`
	Hint        string         `json:"hint"`
	ReasonClass string         `json:"reasonClass"`
	Details     map[string]any `json:"details"`
	RequestID   string         `json:"requestId"`
}

// newAPIError reads a bounded error body and fills an APIError from whichever envelope it has.
func newAPIError(resp *http.Response, now time.Time) *APIError {
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	e := &APIError{
		Method:     resp.Request.Method,
		Path:       resp.Request.URL.Path,
		StatusCode: resp.StatusCode,
		RetryAfter: parseRetryAfter(resp.Header.Get("Retry-After"), now),
		RequestID:  cmp.Or(resp.Header.Get("X-Request-Id"), resp.Header.Get("X-Bctrl-Request-Id"), resp.Header.Get("Bctrl-Request-Id")),
	}
	var env errorEnvelope
	if json.Unmarshal(body, &env) == nil && (env.Error != nil || env.Message != "" || env.Code != "") {
		e.fillFlat(env)
		var nested nestedError
		var flat string
		switch {
		case json.Unmarshal(env.Error, &flat) == nil:
			e.Message = cmp.Or(flat, e.Message)
		case json.Unmarshal(env.Error, &nested) == nil:
			e.fillNested(nested)
		}
	} else if text := strings.TrimSpace(string(body)); text != "" {
		e.Message = truncate(text, 300)
	}
	if e.Message == "" {
		e.Message = cmp.Or(http.StatusText(resp.StatusCode), fmt.Sprintf("HTTP status %d", resp.StatusCode))
	}
	return e
}

func (e *APIError) fillFlat(env errorEnvelope) {
	e.Message, e.Code, e.Hint = env.Message, env.Code, env.Hint
	e.ReasonClass, e.Details = env.ReasonClass, env.Details
	e.RequestID = cmp.Or(env.RequestID, e.RequestID)
}

func (e *APIError) fillNested(n nestedError) {
	e.Code = cmp.Or(n.Code, e.Code)
	e.Message = cmp.Or(n.Message, e.Message)
	e.Hint = cmp.Or(n.Hint, e.Hint)
	e.ReasonClass = cmp.Or(n.ReasonClass, e.ReasonClass)
	e.RequestID = cmp.Or(n.RequestID, e.RequestID)
	if n.Details != nil {
		e.Details = n.Details
	}
}

// maxRetryAfterHeader caps a Retry-After: a longer one is taken as this
// long, so no arithmetic on it can overflow.
const maxRetryAfterHeader = 24 * time.Hour

// parseRetryAfter reads Retry-After as RFC 9110 defines it: a whole number
// of seconds in ASCII digits, or an HTTP date. Anything else ("1.5", "NaN",
// "Inf", "1e12", "+3") is ignored. The result is within [0, maxRetryAfterHeader].
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if onlyDigits(v) {
		secs, err := strconv.ParseUint(v, 10, 64)
		if err != nil || secs > uint64(maxRetryAfterHeader/time.Second) {
			return maxRetryAfterHeader // all digits, so the only error is a value out of range
		}
		return time.Duration(secs) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return min(t.Sub(now), maxRetryAfterHeader)
	}
	return 0
}

func onlyDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "") + "…"
}
