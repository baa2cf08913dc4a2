package streamablehttp

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"

	"go.uber.org/goleak"
)

// TestIdleConnectionsAndDisconnectsUnderLoad: 1,000 connections that send
// nothing, 50 that send half a request, and 50 clients that hang up in the
// middle of a streamed call neither stall nor crash the server; once they
// are gone and the server stops, the goroutines are back to where they were.
func TestIdleConnectionsAndDisconnectsUnderLoad(t *testing.T) {
	base := goleak.IgnoreCurrent()
	tt := newTestTools()
	url, _, stop := startServe(t, tt, Options{MaxInFlightPerKey: 1000}, ServeOptions{})
	addr := strings.TrimSuffix(strings.TrimPrefix(url, "http://"), "/mcp")
	var conns []net.Conn
	for i := range 1050 {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatalf("connection %d: %v", i, err)
		}
		if i >= 1000 {
			_, _ = fmt.Fprintf(c, "POST /mcp HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\n", addr)
		}
		conns = append(conns, c)
	}
	// Calls are still served, streamed and ordered.
	checkStream(t, "busy", 20, post(t, url, callBody("busy", "progress", `{"n":20}`, false), nil))

	// Clients that hang up mid-stream.
	var wg sync.WaitGroup
	for i := range 50 {
		id := fmt.Sprintf("gone-%d", i)
		ctx, hangUp := context.WithCancel(t.Context())
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, url, strings.NewReader(callBody(id, "block", fmt.Sprintf(`{"marker":%q}`, id), false)))
		req.Header.Set("Content-Type", "application/json")
		wg.Go(func() {
			if resp, err := http.DefaultClient.Do(req); err == nil {
				_ = resp.Body.Close()
			}
		})
		waitFor(t, tt.started, "call "+id+" starting")
		hangUp()
	}
	for range 50 {
		waitFor(t, tt.stopped, "a hung-up call's context ending")
	}
	wg.Wait()
	checkStream(t, "after", 3, post(t, url, callBody("after", "progress", `{"n":3}`, false), nil))

	for _, c := range conns {
		_ = c.Close()
	}
	if err := stop(); err != nil {
		t.Fatalf("Serve: %v", err)
	}
	http.DefaultClient.CloseIdleConnections()
	goleak.VerifyNone(t, base)
}
