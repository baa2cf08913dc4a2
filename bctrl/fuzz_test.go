package bctrl

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// FuzzDecodeInvocation decodes arbitrary bodies as an invocation and as a
// /wait answer; it must never panic, and what decodes must encode again.
func FuzzDecodeInvocation(f *testing.F) {
	for _, seed := range []string{
		`{"id":"x","status":"running","progress":{"step":1,"totalSteps":3,"message":"m"},"durationMs":null,"startedAt":null}`,
		`{"invocation":{"id":"x","status":"succeeded","result":{"ok":true,"mode":"fail-fast","steps":[{"index":0,"call":"c","ok":true,"result":[1,{"a":null}]}]}}}`,
		`{"id":"x","status":"failed","error":{"code":"e","message":"m","details":{"a":1}},"request":{"steps":[{"call":"c","args":[{"apiKey":"k"}]}]}}`,
		`{"invocation":null}`, `[]`, `"x"`, `{"stepCount":1e400}`, `{"id":"x","STATUS":"running","newField":{"a":[1]},"artifactCount":0}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var inv Invocation
		if json.Unmarshal(data, &inv) == nil {
			if _, err := json.Marshal(inv); err != nil {
				t.Fatalf("decoded invocation does not encode: %v", err)
			}
		}
		var w waitResponse
		if json.Unmarshal(data, &w) == nil && w.invocation() == nil {
			t.Fatal("a decoded wait answer without an invocation")
		}
	})
}

// FuzzAPIError parses arbitrary error answers; it must never panic, always
// produce a message, keep Retry-After within [0, cap], and never put more
// than a bounded excerpt in the message. The seeds in testdata/fuzz include
// the Retry-After values that once parsed to negative durations.
func FuzzAPIError(f *testing.F) {
	for _, seed := range []struct {
		status int
		retry  string
		body   string
	}{
		{429, "30", `{"error":"slow","code":"rate_limited"}`},
		{404, "", `{"error":{"code":"x","message":"m","details":{"a":[1]}}}`},
		{502, "Thu, 26 Nov 2026 12:00:30 GMT", `<html>bad</html>`},
		{500, "-1", ``}, {400, "1e9", `{"error":7}`}, {503, "", `{"error":{"reasonClass":"outcome_unknown"}}`},
	} {
		f.Add(seed.status, seed.retry, []byte(seed.body))
	}
	f.Fuzz(func(t *testing.T, status int, retryAfter string, body []byte) {
		resp := &http.Response{
			StatusCode: status, Header: http.Header{"Retry-After": []string{retryAfter}},
			Body:    io.NopCloser(bytes.NewReader(body)),
			Request: &http.Request{Method: "GET", URL: &url.URL{Path: "/v1/invocations/x"}},
		}
		e := newAPIError(resp, time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC))
		if e.Message == "" || e.StatusCode != status || e.RetryAfter < 0 || e.RetryAfter > maxRetryAfterHeader {
			t.Fatalf("Retry-After %q gave %v: %+v", retryAfter, e.RetryAfter, e)
		}
		if !json.Valid(body) && len(e.Message) > 300+len("…") {
			t.Fatalf("message of %d bytes from a non-JSON body", len(e.Message))
		}
		_ = strings.TrimSpace(e.Error())
	})
}
