package bctrl

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
)

const (
	testKey   = "bctrl_test_SECRETKEY_123"
	testSpace = "6f1c2a8e-0d4b-4c3e-9b7a-1e2f3a4b5c6d"
	testRT    = "7a2b3c4d-5e6f-4a1b-8c9d-0e1f2a3b4c5d"
	testInvID = "0b9e8d7c-6b5a-4f3e-8d2c-1b0a9f8e7d6c"
)

// fastRetries keeps retry tests quick without changing what they exercise.
var fastRetries = RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: 2 * time.Millisecond, MaxRetryAfter: time.Second}

// setup mounts the API under a path prefix so a request that ignores the base URL fails loudly.
func setup(t *testing.T) (*Client, *http.ServeMux) {
	t.Helper()
	mux := http.NewServeMux()
	outer := http.NewServeMux()
	outer.Handle("/prefix/", http.StripPrefix("/prefix", mux))
	srv := httptest.NewServer(outer)
	t.Cleanup(srv.Close)
	c, err := NewClient(WithBaseURL(srv.URL+"/prefix/v1"), WithAPIKey(testKey), WithUserAgent("bctrl-test/1"), WithRetryPolicy(fastRetries))
	if err != nil {
		t.Fatal(err)
	}
	return c, mux
}

func assertHeaders(t *testing.T, r *http.Request, method string, withBody bool) {
	t.Helper()
	if r.Method != method {
		t.Errorf("method = %s, want %s", r.Method, method)
	}
	if got := r.Header.Get("Authorization"); got != "Bearer "+testKey {
		t.Errorf("Authorization = %q", got)
	}
	if got := r.Header.Get("User-Agent"); got != "bctrl-test/1" {
		t.Errorf("User-Agent = %q", got)
	}
	if got := r.Header.Get("Accept"); got != "application/json" {
		t.Errorf("Accept = %q", got)
	}
	if got := r.Header.Get("Content-Type"); withBody && got != "application/json" {
		t.Errorf("Content-Type = %q", got)
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func sampleInvocation(status Status) map[string]any {
	return map[string]any{
		"id": testInvID, "status": status, "spaceId": testSpace, "runtimeId": testRT, "runId": testRT,
		"runtimeKind": "browser", "executionMode": "durable", "entryCall": "agent.execute", "sequenceNo": 1,
		"stepCount": 2, "artifactCount": 0, "createdAt": "2026-11-26T10:00:00Z", "startedAt": nil, "durationMs": nil,
		"progress": map[string]any{"step": 2, "totalSteps": 5, "message": "Filling the login form"},
	}
}

func TestCreateInvocationSendsBodyAndKey(t *testing.T) {
	c, mux := setup(t)
	var body map[string]any
	mux.HandleFunc("/v1/spaces/"+testSpace+"/runtimes/"+testRT+"/invocations", func(w http.ResponseWriter, r *http.Request) {
		assertHeaders(t, r, "POST", true)
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			t.Error(err)
		}
		writeJSON(w, 202, sampleInvocation(StatusQueued))
	})
	req := &CreateInvocationRequest{
		Provider: ProviderBrowserUse, Input: Input{Instruction: "find the price"},
		Config:  &Config{BrowserUse: &BrowserUseConfig{LLM: &ModelRef{Connection: "conn-1"}, UseVision: &UseVision{BoolOrString{String: Ptr("auto")}}}},
		Options: &Options{BrowserUse: &BrowserUseOptions{MaxSteps: Ptr(7)}},
	}
	inv, err := c.CreateInvocation(t.Context(), testSpace, testRT, req)
	if err != nil {
		t.Fatal(err)
	}
	if inv.ID != testInvID || inv.Status != StatusQueued || inv.Progress.Step != 2 {
		t.Errorf("decoded %+v", inv)
	}
	if k, err := uuid.Parse(req.IdempotencyKey); err != nil || k.Version() != 4 {
		t.Errorf("idempotency key %q is not a uuid v4", req.IdempotencyKey)
	}
	want := map[string]any{
		"provider": "browserUse", "operation": "agent.execute", "idempotencyKey": req.IdempotencyKey,
		"input":   map[string]any{"instruction": "find the price"},
		"config":  map[string]any{"llm": map[string]any{"connection": "conn-1"}, "useVision": "auto"},
		"options": map[string]any{"maxSteps": float64(7)},
	}
	if !jsonEqual(body, want) {
		t.Errorf("body = %v\nwant %v", body, want)
	}
}

func TestGetCancelWait(t *testing.T) {
	c, mux := setup(t)
	mux.HandleFunc("/v1/invocations/"+testInvID, func(w http.ResponseWriter, r *http.Request) {
		assertHeaders(t, r, "GET", false)
		writeJSON(w, 200, sampleInvocation(StatusRunning))
	})
	mux.HandleFunc("/v1/invocations/"+testInvID+"/cancel", func(w http.ResponseWriter, r *http.Request) {
		assertHeaders(t, r, "POST", false)
		if b, _ := io.ReadAll(r.Body); len(b) != 0 {
			t.Errorf("cancel sent a body: %s", b)
		}
		writeJSON(w, 200, sampleInvocation(StatusCancelling))
	})
	mux.HandleFunc("/v1/invocations/"+testInvID+"/wait", func(w http.ResponseWriter, r *http.Request) {
		assertHeaders(t, r, "POST", true)
		var body map[string]any
		_ = json.NewDecoder(r.Body).Decode(&body)
		if !jsonEqual(body, map[string]any{"timeoutMs": float64(1500)}) {
			t.Errorf("wait body = %v", body)
		}
		writeJSON(w, 200, map[string]any{"invocation": sampleInvocation(StatusSucceeded), "waitStatus": "completed"})
	})
	for name, call := range map[string]func() (*Invocation, error){
		"get":    func() (*Invocation, error) { return c.GetInvocation(t.Context(), testInvID) },
		"cancel": func() (*Invocation, error) { return c.CancelInvocation(t.Context(), testInvID) },
		"wait":   func() (*Invocation, error) { return c.WaitInvocation(t.Context(), testInvID, 1500*time.Millisecond) },
	} {
		inv, err := call()
		if err != nil || inv.ID != testInvID {
			t.Errorf("%s: %+v, %v", name, inv, err)
		}
	}
	inv, _ := c.WaitInvocation(t.Context(), testInvID, 1500*time.Millisecond)
	if inv.Status != StatusSucceeded {
		t.Errorf("nested wait response: status %q", inv.Status)
	}
}

func TestAPIErrors(t *testing.T) {
	tests := []struct {
		name        string
		status      int
		header      map[string]string
		body        string
		wantCode    string
		wantMessage string
		wantHint    string
		wantReqID   string
		wantRetry   time.Duration
		wantCalls   int
	}{
		{name: "401 flat", status: 401, body: `{"error":"missing or invalid API key","code":"auth.required","requestId":"req_1"}`, wantCode: "auth.required", wantMessage: "missing or invalid API key", wantReqID: "req_1", wantCalls: 1},
		{name: "404 nested", status: 404, body: `{"error":{"code":"invocation.not_found","message":"no such invocation","hint":"check the id","requestId":"req_2"}}`, wantCode: "invocation.not_found", wantMessage: "no such invocation", wantHint: "check the id", wantReqID: "req_2", wantCalls: 1},
		{name: "409 conflict", status: 409, body: `{"error":"runtime busy","code":"runtime.controller_busy","hint":"wait for the other controller"}`, wantCode: "runtime.controller_busy", wantMessage: "runtime busy", wantHint: "wait for the other controller", wantCalls: 1},
		{name: "429 long Retry-After is returned", status: 429, header: map[string]string{"Retry-After": "30"}, body: `{"error":"slow down","code":"rate_limited"}`, wantCode: "rate_limited", wantMessage: "slow down", wantRetry: 30 * time.Second, wantCalls: 1},
		{name: "500 is retried", status: 500, body: `{"error":{"code":"server.error","message":"boom"}}`, wantCode: "server.error", wantMessage: "boom", wantCalls: 3},
		{name: "503 outcome unknown is not retried", status: 503, body: `{"error":{"code":"capacity.unavailable","message":"maybe","reasonClass":"outcome_unknown"}}`, wantCode: "capacity.unavailable", wantMessage: "maybe", wantCalls: 1},
		{name: "non-JSON body", status: 502, body: "<html>Bad Gateway</html>", wantMessage: "<html>Bad Gateway</html>", wantCalls: 3},
		{name: "empty body", status: 403, body: "", wantMessage: "Forbidden", wantCalls: 1},
		{name: "request id header", status: 400, header: map[string]string{"X-Request-Id": "hdr_9"}, body: `{"error":"bad","code":"request.invalid"}`, wantCode: "request.invalid", wantMessage: "bad", wantReqID: "hdr_9", wantCalls: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mux := setup(t)
			var mu sync.Mutex
			calls := 0
			mux.HandleFunc("/v1/invocations/"+testInvID, func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				calls++
				mu.Unlock()
				for k, v := range tt.header {
					w.Header().Set(k, v)
				}
				w.WriteHeader(tt.status)
				_, _ = io.WriteString(w, tt.body)
			})
			_, err := c.GetInvocation(t.Context(), testInvID)
			var apiErr *APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("error %v is not an *APIError", err)
			}
			if apiErr.StatusCode != tt.status || apiErr.Code != tt.wantCode || apiErr.Message != tt.wantMessage ||
				apiErr.Hint != tt.wantHint || apiErr.RequestID != tt.wantReqID || apiErr.RetryAfter != tt.wantRetry {
				t.Errorf("got %+v", apiErr)
			}
			if calls != tt.wantCalls {
				t.Errorf("calls = %d, want %d", calls, tt.wantCalls)
			}
			if strings.Contains(err.Error(), testKey) {
				t.Errorf("error leaks the key: %v", err)
			}
		})
	}
}

func TestRetryAfterThenSuccess(t *testing.T) {
	c, mux := setup(t)
	calls := 0
	mux.HandleFunc("/v1/invocations/"+testInvID, func(w http.ResponseWriter, r *http.Request) {
		calls++
		if calls == 1 {
			w.Header().Set("Retry-After", "0")
			writeJSON(w, 429, map[string]any{"error": "slow down", "code": "rate_limited"})
			return
		}
		writeJSON(w, 200, sampleInvocation(StatusRunning))
	})
	if _, err := c.GetInvocation(t.Context(), testInvID); err != nil || calls != 2 {
		t.Fatalf("err %v after %d calls", err, calls)
	}
}

func TestRetryStopsWithContext(t *testing.T) {
	c, mux := setup(t)
	ctx, cancel := context.WithCancel(t.Context())
	calls := 0
	mux.HandleFunc("/v1/invocations/"+testInvID, func(w http.ResponseWriter, r *http.Request) {
		calls++
		cancel()
		writeJSON(w, 500, map[string]any{"error": "boom"})
	})
	_, err := c.GetInvocation(ctx, testInvID)
	var apiErr *APIError
	if err == nil || (!errors.Is(err, context.Canceled) && !errors.As(err, &apiErr)) || calls != 1 {
		t.Fatalf("want one call ending in the 500 or the cancellation, got %v after %d calls", err, calls)
	}
}

func TestMalformedBodyIsRetried(t *testing.T) {
	c, mux := setup(t)
	calls := 0
	mux.HandleFunc("/v1/invocations/"+testInvID, func(w http.ResponseWriter, r *http.Request) {
		calls++
		if calls < 3 {
			_, _ = io.WriteString(w, `{"id": "`)
			return
		}
		writeJSON(w, 200, sampleInvocation(StatusRunning))
	})
	if _, err := c.GetInvocation(t.Context(), testInvID); err != nil || calls != 3 {
		t.Fatalf("err %v after %d calls", err, calls)
	}
}

func TestParseBaseURL(t *testing.T) {
	tests := []struct {
		raw, wantPath string
		ok            bool
	}{
		{"https://api.bctrl.ai", "", true},
		{"https://api.bctrl.ai/v1", "", true},
		{"https://gw.example.com/bctrl/v1/", "/bctrl", true},
		{"http://localhost:8787", "", true},
		{"http://127.0.0.1:8787", "", true},
		{"http://[::1]:8787", "", true},
		{"http://api.bctrl.ai", "", false},
		{"http://10.0.0.5:8787", "", false},
		{"ftp://api.bctrl.ai", "", false},
		{"api.bctrl.ai", "", false},
		{"https://user:pw@api.bctrl.ai", "", false},
		{"https://api.bctrl.ai?key=1", "", false},
	}
	for _, tt := range tests {
		u, err := ParseBaseURL(tt.raw)
		if (err == nil) != tt.ok {
			t.Errorf("%q: err = %v, want ok=%v", tt.raw, err, tt.ok)
			continue
		}
		if tt.ok && u.Path != tt.wantPath {
			t.Errorf("%q: path %q, want %q", tt.raw, u.Path, tt.wantPath)
		}
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	tests := map[string]time.Duration{
		"":                              0,
		"7":                             7 * time.Second,
		" 12 ":                          12 * time.Second,
		"0":                             0,
		"1.5":                           0, // RFC 9110: delay-seconds is digits only
		"-3":                            0,
		"+3":                            0,
		"NaN":                           0,
		"Inf":                           0,
		"-Inf":                          0,
		"1e12":                          0,
		"0x10":                          0,
		"١٢":                            0, // non-ASCII digits
		"99999999999999999999999":       maxRetryAfterHeader,
		"86401":                         maxRetryAfterHeader,
		"Thu, 26 Nov 2026 12:00:30 GMT": 30 * time.Second,
		"Thu, 26 Nov 2026 11:00:00 GMT": 0,
		"Fri, 26 Nov 2027 12:00:00 GMT": maxRetryAfterHeader,
		"soon":                          0,
	}
	for in, want := range tests {
		if got := parseRetryAfter(in, now); got != want {
			t.Errorf("parseRetryAfter(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestStatusTerminal(t *testing.T) {
	terminal := map[Status]bool{
		StatusQueued: false, StatusDispatching: false, StatusRunning: false, StatusCancelling: false,
		StatusSucceeded: true, StatusFailed: true, StatusCancelled: true, StatusTimedOut: true, "unknown": false,
	}
	for s, want := range terminal {
		if s.Terminal() != want {
			t.Errorf("%s.Terminal() = %v", s, !want)
		}
	}
}

func jsonEqual(a, b any) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	var va, vb any
	_ = json.Unmarshal(ja, &va)
	_ = json.Unmarshal(jb, &vb)
	na, _ := json.Marshal(va)
	nb, _ := json.Marshal(vb)
	return string(na) == string(nb)
}

// TestParseBaseURLErrorsCarryNoSecrets: a refused base URL is named in the
// error without its user info, query or fragment, which may hold secrets.
func TestParseBaseURLErrorsCarryNoSecrets(t *testing.T) {
	for _, raw := range []string{
		"https://user:s3cretpass@api.example.com/?api_key=k3yk3yk3y",
		"http://user:s3cretpass@api.example.com/v1#k3yk3yk3y",
		"ftp://user:s3cretpass@api.example.com/?token=k3yk3yk3y",
		"https://user:s3cretpass@[::1/?api_key=k3yk3yk3y",
		"user:s3cretpass@nohost?api_key=k3yk3yk3y",
	} {
		_, err := ParseBaseURL(raw)
		if err == nil {
			t.Fatalf("%q was accepted", raw)
		}
		if strings.Contains(err.Error(), "s3cretpass") || strings.Contains(err.Error(), "k3yk3yk3y") {
			t.Errorf("the error for a refused base URL shows a secret: %v", err)
		}
	}
}

// TestIsLoopbackHost: the one loopback rule the base URL, the HTTP listen
// address and the preview share; wildcard binds and look-alike names are not loopback.
func TestIsLoopbackHost(t *testing.T) {
	for host, want := range map[string]bool{
		"localhost": true, "LocalHost": true, "127.0.0.1": true, "127.8.9.10": true, "::1": true,
		"": false, "0.0.0.0": false, "::": false, "localhost.example.com": false, "10.0.0.1": false, "example.com": false,
	} {
		if got := IsLoopbackHost(host); got != want {
			t.Errorf("IsLoopbackHost(%q) = %v, want %v", host, got, want)
		}
	}
}

// TestIsID: only the canonical form is an id.
func TestIsID(t *testing.T) {
	for s, want := range map[string]bool{
		"5b0c1a2e-3d4f-4a5b-8c6d-7e8f9a0b1c2d": true, "5B0C1A2E-3D4F-4A5B-8C6D-7E8F9A0B1C2D": true,
		"{5b0c1a2e-3d4f-4a5b-8c6d-7e8f9a0b1c2d}": false, "urn:uuid:5b0c1a2e-3d4f-4a5b-8c6d-7e8f9a0b1c2d": false,
		"5b0c1a2e3d4f4a5b8c6d7e8f9a0b1c2d": false, "": false, "not-a-uuid": false,
	} {
		if got := IsID(s); got != want {
			t.Errorf("IsID(%q) = %v, want %v", s, got, want)
		}
	}
}
