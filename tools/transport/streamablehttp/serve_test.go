package streamablehttp

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// startServe runs Serve on a loopback port; stop ends it and returns its error.
func startServe(t *testing.T, tt *testTools, opts Options, sopts ServeOptions) (url string, h *Handler, stop func() error) {
	t.Helper()
	h, err := New(tt, opts)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- Serve(ctx, ln, h, sopts) }()
	var once sync.Once
	var serveErr error
	stop = func() error {
		once.Do(func() {
			cancel()
			serveErr = waitFor(t, served, "Serve returning after its context ended")
		})
		return serveErr
	}
	t.Cleanup(func() { _ = stop() })
	return "http://" + ln.Addr().String() + "/mcp", h, stop
}

// TestShutdownDrains: when Serve's context ends, Drain makes the calls in
// flight answer, they are written, /readyz turns 503, and Serve returns.
func TestShutdownDrains(t *testing.T) {
	tt := newTestTools()
	url, h, stop := startServe(t, tt, Options{}, ServeOptions{Drain: func() { close(tt.drain) }, ShutdownGrace: 10 * time.Second})
	answered := make(chan reply, 1)
	go func() {
		r, _ := try(context.WithoutCancel(t.Context()), http.MethodPost, url, callBody("d", "drainable", `{}`, false), nil)
		answered <- r
	}()
	waitFor(t, tt.started, "the drainable call starting")
	if err := stop(); err != nil {
		t.Fatalf("Serve: %v", err)
	}
	r := waitFor(t, answered, "the drained call's answer")
	if r.status != 200 || !strings.Contains(r.raw, "drained") {
		t.Fatalf("drained call: %d %s", r.status, r.raw)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/readyz", nil))
	if rec.Code != http.StatusServiceUnavailable {
		t.Errorf("/readyz while draining: %d", rec.Code)
	}
	if _, err := http.Post(url, "application/json", strings.NewReader(`{}`)); err == nil {
		t.Error("the server still accepts connections after shutdown")
	}
}

// TestShutdownIsBounded: a call that ignores the drain is cut off when the
// grace runs out, its handler's context ends, and Serve says so.
func TestShutdownIsBounded(t *testing.T) {
	tt := newTestTools()
	url, _, stop := startServe(t, tt, Options{}, ServeOptions{ShutdownGrace: 200 * time.Millisecond})
	cut := make(chan error, 1)
	go func() {
		_, err := try(context.WithoutCancel(t.Context()), http.MethodPost, url, callBody("b", "block", `{"marker":"b"}`, false), nil)
		cut <- err
	}()
	waitFor(t, tt.started, "the block call starting")
	if err := stop(); err == nil || !strings.Contains(err.Error(), "1 requests still in flight") {
		t.Fatalf("Serve: %v", err)
	}
	waitFor(t, tt.stopped, "the cut-off call's context ending")
	if err := waitFor(t, cut, "the client seeing its connection closed"); err == nil {
		t.Error("the cut-off call got a whole response")
	}
}
