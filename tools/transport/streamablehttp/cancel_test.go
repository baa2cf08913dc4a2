package streamablehttp

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/bctrlhq/bctrl-mcp/tools/transport/jsonrpc"
)

// startBlock posts a block call in the background and waits until its
// tool runs; the reply comes on the channel (its err is set when the
// connection was closed before a whole response).
func startBlock(t *testing.T, tt *testTools, url, id, auth string) <-chan reply {
	t.Helper()
	out := make(chan reply, 1)
	go func() {
		headers := map[string]string{}
		if auth != "" {
			headers["Authorization"] = "Bearer " + auth
		}
		r, _ := try(context.WithoutCancel(t.Context()), http.MethodPost, url, callBody(id, "block", fmt.Sprintf(`{"marker":%q}`, id+auth), false), headers)
		out <- r
	}()
	if got := waitFor(t, tt.started, "the block tool starting for "+id); got != id+auth {
		t.Fatalf("started %q, want %q", got, id+auth)
	}
	return out
}

// TestDisconnectCancelsTheRequest: a client that goes away mid-stream
// cancels its request's context; the server goes on serving.
func TestDisconnectCancelsTheRequest(t *testing.T) {
	tt := newTestTools()
	var logs logBuffer
	ts := serve(t, tt, Options{Logger: logs.logger()})
	ctx, hangUp := context.WithCancel(t.Context())
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, ts.URL+"/mcp", strings.NewReader(callBody("d", "block", `{"marker":"d"}`, false)))
	req.Header.Set("Content-Type", "application/json")
	done := make(chan error, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			_ = resp.Body.Close()
		}
		done <- err
	}()
	waitFor(t, tt.started, "the block tool starting")
	hangUp()
	if got := waitFor(t, tt.stopped, "the handler's context ending after the client hung up"); got != "d" {
		t.Fatalf("stopped %q", got)
	}
	waitFor(t, done, "the client call returning")
	checkStream(t, "p", 2, post(t, ts.URL+"/mcp", callBody("p", "progress", `{"n":2}`, false), nil))
	logs.waitFor(t, `"outcome":"client-gone"`)
}

// TestNotificationsCancelled: a cancellation reaches the request with its
// id from the same caller when exactly one is in flight, and that request
// is not answered; other callers' requests and ambiguous ids are untouched.
func TestNotificationsCancelled(t *testing.T) {
	tt := newTestTools()
	ts := serve(t, tt, Options{Auth: Auth{Mode: AuthPassthrough}})
	url := ts.URL + "/mcp"
	cancel := func(id, auth string) {
		t.Helper()
		r := post(t, url, fmt.Sprintf(`{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":%q}}`, id), map[string]string{"Authorization": "Bearer " + auth})
		if r.status != http.StatusAccepted {
			t.Fatalf("cancellation: %d %s", r.status, r.raw)
		}
	}
	mine := startBlock(t, tt, url, "c1", "key-a")
	theirs := startBlock(t, tt, url, "c1", "key-b") // the same id from another caller
	cancel("c1", "key-a")
	if got := waitFor(t, tt.stopped, "the cancelled request's context ending"); got != "c1key-a" {
		t.Fatalf("stopped %q, want c1key-a", got)
	}
	if r := waitFor(t, mine, "the cancelled request's response ending"); r.status != 200 || len(r.messages) != 0 || !r.sse {
		t.Errorf("the cancelled request was answered: %d %s", r.status, r.raw)
	}
	// Two requests with one id from one caller: a cancellation cannot tell them apart.
	dup := startBlock(t, tt, url, "c1", "key-b")
	cancel("c1", "key-b")
	cancel("unknown", "key-b")
	h := ts.Config.Handler.(*Handler)
	h.inflight.mu.Lock()
	for _, p := range h.inflight.requests[requestKey("key:"+fingerprint("key-b"), mustID(t, `"c1"`))] {
		if p.cancelled {
			t.Error("an ambiguous cancellation cancelled a request")
		}
	}
	h.inflight.mu.Unlock()
	select {
	case got := <-tt.stopped:
		t.Fatalf("%s was cancelled by an ambiguous or unknown cancellation", got)
	default:
	}
	// Close both by hanging up the server's connections: the test server closes them.
	ts.CloseClientConnections()
	for range 2 {
		waitFor(t, tt.stopped, "a request ending when its connection closed")
	}
	waitFor(t, theirs, "the other caller's call returning")
	waitFor(t, dup, "the duplicate call returning")
}

// TestInFlightLimitPerCredential: calls beyond the limit for one credential
// get 429 with Retry-After; other credentials are not affected.
func TestInFlightLimitPerCredential(t *testing.T) {
	tt := newTestTools()
	h, err := New(tt, Options{Auth: Auth{Mode: AuthPassthrough, WithCredential: func(ctx context.Context, c string) context.Context {
		return context.WithValue(ctx, credentialKey{}, c)
	}}, MaxInFlightPerKey: 2})
	if err != nil {
		t.Fatal(err)
	}
	// Counts the handler's runs, so the test can tell when every one has
	// returned: a client sees its stream end before the handler frees its slot.
	var serving sync.WaitGroup
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		serving.Add(1)
		defer serving.Done()
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(ts.Close)
	url := ts.URL + "/mcp"
	a1 := startBlock(t, tt, url, "a1", "key-a")
	a2 := startBlock(t, tt, url, "a2", "key-a")
	r := post(t, url, callBody("a3", "whoami", `{}`, false), map[string]string{"Authorization": "Bearer key-a"})
	if r.status != http.StatusTooManyRequests || r.header.Get("Retry-After") != "5" || r.last().Error == nil || r.last().Error.Code != -31000 ||
		string(r.last().ID) != `"a3"` || !strings.Contains(r.last().Error.Message, "2 calls are already in flight") {
		t.Errorf("third call: %d Retry-After %q %s", r.status, r.header.Get("Retry-After"), r.raw)
	}
	if r := post(t, url, callBody("b1", "whoami", `{}`, false), map[string]string{"Authorization": "Bearer key-b"}); r.status != 200 {
		t.Errorf("another credential: %d %s", r.status, r.raw)
	}
	ts.CloseClientConnections()
	http.DefaultClient.CloseIdleConnections() // the pooled ones are closed too: do not reuse them
	waitFor(t, a1, "a1 returning")
	waitFor(t, a2, "a2 returning")
	for range 2 {
		waitFor(t, tt.stopped, "a blocked call ending")
	}
	returned := make(chan struct{})
	go func() { serving.Wait(); close(returned) }()
	waitFor(t, returned, "the blocked calls' handlers returning")
	// The slots are free again (the handlers have returned, so the record is clear).
	if n := h.InFlight(); n != 0 {
		t.Fatalf("%d requests still recorded", n)
	}
	if r := post(t, url, callBody("a4", "whoami", `{}`, false), map[string]string{"Authorization": "Bearer key-a"}); r.status != 200 {
		t.Errorf("after the others ended: %d %s", r.status, r.raw)
	}
}

func mustID(t *testing.T, raw string) jsonrpc.ID {
	t.Helper()
	id, err := jsonrpc.ParseID(json.RawMessage(raw))
	if err != nil {
		t.Fatal(err)
	}
	return id
}
