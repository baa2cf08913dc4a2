package bctrl

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

func TestDefaultUserAgent(t *testing.T) {
	var got atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got.Store(r.Header.Get("User-Agent"))
		writeJSON(w, 200, sampleInvocation(StatusRunning))
	}))
	t.Cleanup(srv.Close)
	c, err := NewClient(WithBaseURL(srv.URL), WithAPIKey(testKey))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetInvocation(t.Context(), testInvID); err != nil {
		t.Fatal(err)
	}
	if ua, _ := got.Load().(string); ua != DefaultUserAgent {
		t.Errorf("User-Agent = %q, want %q", ua, DefaultUserAgent)
	}
}

func TestRequestTimeoutIsRetried(t *testing.T) {
	c, mux := setup(t)
	var calls atomic.Int32
	mux.HandleFunc("/v1/invocations/"+testInvID, func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			writeJSON(w, http.StatusRequestTimeout, map[string]any{"error": "request timeout"})
			return
		}
		writeJSON(w, 200, sampleInvocation(StatusRunning))
	})
	if _, err := c.GetInvocation(t.Context(), testInvID); err != nil || calls.Load() != 2 {
		t.Fatalf("err %v after %d calls, want success after 2", err, calls.Load())
	}
}

func TestBackoffJitterStaysInBounds(t *testing.T) {
	p := RetryPolicy{MaxAttempts: 10, BaseDelay: 100 * time.Millisecond, MaxDelay: 800 * time.Millisecond}
	for attempt := 1; attempt <= 8; attempt++ {
		full := min(p.BaseDelay<<(attempt-1), p.MaxDelay)
		lowest, highest := full, time.Duration(0)
		for range 500 {
			d, ok := p.delay(attempt, errors.New("connection reset"))
			if !ok {
				t.Fatalf("attempt %d: backoff refused", attempt)
			}
			if d < full/2 || d >= full {
				t.Fatalf("attempt %d: delay %v outside [%v, %v)", attempt, d, full/2, full)
			}
			lowest, highest = min(lowest, d), max(highest, d)
		}
		// The jitter must actually spread the retries over the window.
		if highest-lowest < full/4 {
			t.Errorf("attempt %d: delays only span %v..%v", attempt, lowest, highest)
		}
	}
}

func TestRetryAfterDecidesTheDelay(t *testing.T) {
	p := RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond, MaxRetryAfter: 5 * time.Second}
	if d, ok := p.delay(1, &APIError{StatusCode: 429, RetryAfter: 3 * time.Second}); d != 3*time.Second || !ok {
		t.Errorf("Retry-After 3s: %v, %v", d, ok)
	}
	if _, ok := p.delay(1, &APIError{StatusCode: 429, RetryAfter: 30 * time.Second}); ok {
		t.Error("a Retry-After beyond MaxRetryAfter is waited out by the client")
	}
}
