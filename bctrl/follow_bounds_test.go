package bctrl

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

// fakeAPI answers GET with a running invocation (or what get returns) and
// hands /wait to the wait handler; it counts the requests of each kind.
type fakeAPI struct {
	gets, waits atomic.Int32
	get         func(n int32) map[string]any
	wait        http.HandlerFunc
}

func (f *fakeAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/v1/invocations/" + testInvID:
		n := f.gets.Add(1)
		state := sampleInvocation(StatusRunning)
		if f.get != nil {
			state = f.get(n)
		}
		writeJSON(w, 200, state)
	case "/v1/invocations/" + testInvID + "/wait":
		f.waits.Add(1)
		f.wait(w, r)
	default:
		http.NotFound(w, r)
	}
}

// hangUntilCleanup is a /wait that accepts the request and never answers
// while the test runs.
func hangUntilCleanup(t *testing.T) http.HandlerFunc {
	h, _ := hangAndSignal(t)
	return h
}

// hangAndSignal is hangUntilCleanup that also signals each arrival.
func hangAndSignal(t *testing.T) (http.HandlerFunc, <-chan struct{}) {
	release := make(chan struct{})
	arrived := make(chan struct{}, 1)
	t.Cleanup(func() { close(release) })
	return func(w http.ResponseWriter, r *http.Request) {
		// With the body read, net/http notices the client hanging up.
		_, _ = io.Copy(io.Discard, r.Body)
		select {
		case arrived <- struct{}{}:
		default:
		}
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}, arrived
}

func fakeClient(t *testing.T, api *fakeAPI) *Client {
	t.Helper()
	srv := httptest.NewServer(api)
	// Cut the connections first: a hung handler must not hold Close up.
	t.Cleanup(func() {
		srv.CloseClientConnections()
		srv.Close()
	})
	c, err := NewClient(WithBaseURL(srv.URL), WithAPIKey(testKey), WithRetryPolicy(fastRetries))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// followWithin runs a follow and fails the test if it has not returned
// within limit; it reports how long it took.
func followWithin(t *testing.T, limit time.Duration, c *Client, wait time.Duration, opts FollowOptions) (*Invocation, error) {
	t.Helper()
	type outcome struct {
		inv *Invocation
		err error
	}
	done := make(chan outcome, 1)
	start := time.Now()
	go func() {
		inv, err := c.FollowInvocation(t.Context(), testInvID, wait, opts)
		done <- outcome{inv, err}
	}()
	select {
	case o := <-done:
		t.Logf("a %v follow returned after %v", wait, time.Since(start).Round(time.Millisecond))
		return o.inv, o.err
	case <-time.After(limit):
		t.Fatalf("a %v follow had not returned after %v", wait, limit)
		return nil, nil
	}
}

func TestFollowEndsOnTimeWhenWaitHangs(t *testing.T) {
	api := &fakeAPI{wait: hangUntilCleanup(t)}
	c := fakeClient(t, api)
	inv, err := followWithin(t, 30*time.Second, c, time.Second, FollowOptions{})
	if err != nil || inv == nil || inv.Status != StatusRunning {
		t.Fatalf("got %+v, %v; want the running state and no error", inv, err)
	}
}

func TestFollowHonoursLongRetryAfter(t *testing.T) {
	api := &fakeAPI{wait: func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "30")
		writeJSON(w, http.StatusTooManyRequests, map[string]any{"error": "slow down", "code": "rate_limited"})
	}}
	c := fakeClient(t, api)
	inv, err := followWithin(t, 30*time.Second, c, time.Second, FollowOptions{PollMin: time.Millisecond, PollMax: 2 * time.Millisecond})
	if err != nil || inv == nil || inv.Status != StatusRunning {
		t.Fatalf("got %+v, %v; want the running state and no error", inv, err)
	}
	if n := api.waits.Load() + api.gets.Load(); n > 2 {
		t.Errorf("%d requests (%d /wait) under Retry-After: 30 in a 1 s follow; want the first GET and one /wait", n, api.waits.Load())
	}
}

func TestFollowStopsPromptlyWhenCancelledInAHungWait(t *testing.T) {
	hang, arrived := hangAndSignal(t)
	c := fakeClient(t, &fakeAPI{wait: hang})
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		_, err := c.FollowInvocation(ctx, testInvID, time.Hour, FollowOptions{})
		done <- err
	}()
	select {
	case <-arrived:
	case err := <-done:
		t.Fatalf("follow ended before waiting: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("no /wait request within 10 s")
	}
	cancel()
	select {
	case err := <-done:
		if err != context.Canceled {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("follow still running 10 s after its context was cancelled")
	}
}

func TestFollowRetriesAfterAShortRetryAfter(t *testing.T) {
	api := &fakeAPI{wait: func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "1")
		writeJSON(w, http.StatusTooManyRequests, map[string]any{"error": "slow down", "code": "rate_limited"})
	}}
	c := fakeClient(t, api)
	initial := &Invocation{ID: testInvID, Status: StatusRunning}
	if _, err := followWithin(t, 30*time.Second, c, 1500*time.Millisecond, FollowOptions{Initial: initial, PollMin: time.Millisecond, PollMax: 2 * time.Millisecond}); err != nil {
		t.Fatal(err)
	}
	// One /wait at the start, one a second later; the next would be past the end.
	if n := api.waits.Load(); n != 2 {
		t.Errorf("%d /wait requests under Retry-After: 1 in a 1.5 s follow, want 2", n)
	}
}

func TestFollowStartsFromTheStateItIsGiven(t *testing.T) {
	api := &fakeAPI{wait: func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]any{"invocation": sampleInvocation(StatusSucceeded), "waitStatus": "completed"})
	}}
	c := fakeClient(t, api)
	var updates []Status
	inv, err := c.FollowInvocation(t.Context(), testInvID, time.Minute, FollowOptions{
		Initial:  &Invocation{ID: testInvID, Status: StatusRunning},
		OnUpdate: func(inv *Invocation, changed bool) { updates = append(updates, inv.Status) },
	})
	if err != nil || inv.Status != StatusSucceeded {
		t.Fatalf("got %+v, %v", inv, err)
	}
	if api.gets.Load() != 0 || api.waits.Load() != 1 {
		t.Errorf("%d GETs and %d /wait; want no GET, one /wait", api.gets.Load(), api.waits.Load())
	}
	if len(updates) != 1 || updates[0] != StatusSucceeded {
		t.Errorf("OnUpdate saw %v; want only the succeeded state", updates)
	}
}

func TestFollowPollsWhenWaitOutlivesItsTimeout(t *testing.T) {
	api := &fakeAPI{wait: hangUntilCleanup(t), get: func(n int32) map[string]any {
		if n >= 3 {
			return sampleInvocation(StatusSucceeded)
		}
		return sampleInvocation(StatusRunning)
	}}
	c := fakeClient(t, api)
	inv, err := followWithin(t, 30*time.Second, c, 20*time.Second,
		FollowOptions{Slice: 100 * time.Millisecond, Grace: 100 * time.Millisecond, PollMin: time.Millisecond, PollMax: 2 * time.Millisecond})
	if err != nil || inv.Status != StatusSucceeded {
		t.Fatalf("got %+v, %v; want the end seen by GET polling", inv, err)
	}
	if n := api.waits.Load(); n != 1 {
		t.Errorf("%d /wait requests; after one that did not answer in time the follow should poll", n)
	}
}
