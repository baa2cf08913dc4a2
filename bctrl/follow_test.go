package bctrl

import (
	"context"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/bctrlhq/bctrl-mcp/bctrl/bctrlsim"
)

// simClient starts a simulator and a client pointed at it.
func simClient(t *testing.T, opts bctrlsim.Options) (*Client, *bctrlsim.Simulator) {
	t.Helper()
	opts.APIKey = testKey
	sim := bctrlsim.New(opts)
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	c, err := NewClient(WithBaseURL(srv.URL), WithAPIKey(testKey), WithRetryPolicy(fastRetries))
	if err != nil {
		t.Fatal(err)
	}
	return c, sim
}

func create(t *testing.T, c *Client, instruction string) *Invocation {
	t.Helper()
	inv, err := c.CreateInvocation(t.Context(), testSpace, testRT, &CreateInvocationRequest{Provider: ProviderStagehand, Input: Input{Instruction: instruction}})
	if err != nil {
		t.Fatal(err)
	}
	return inv
}

// statusOrder ranks statuses so a test can check they never go backwards.
var statusOrder = []Status{StatusQueued, StatusDispatching, StatusRunning, StatusCancelling, StatusSucceeded, StatusFailed, StatusTimedOut, StatusCancelled}

func TestFollowToEachTerminalState(t *testing.T) {
	tests := []struct {
		name        string
		instruction string
		cancelAt    int64 // cancel when this step is seen running; 0 = never
		want        []Status
		wantSteps   []int64
	}{
		{"succeeded", "book a table sim:steps=3", 0, []Status{StatusQueued, StatusDispatching, StatusRunning, StatusRunning, StatusRunning, StatusSucceeded}, []int64{1, 2, 3}},
		{"failed", "log in sim:failed sim:steps=2", 0, []Status{StatusQueued, StatusDispatching, StatusRunning, StatusRunning, StatusFailed}, []int64{1, 2}},
		{"timed out", "crawl everything sim:timed_out sim:steps=2", 0, []Status{StatusQueued, StatusDispatching, StatusRunning, StatusRunning, StatusTimedOut}, []int64{1, 2}},
		{"cancelled", "wait forever sim:hang sim:steps=4", 2, []Status{StatusQueued, StatusDispatching, StatusRunning, StatusRunning, StatusCancelled}, []int64{1, 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := bctrlsim.NewManualClock(time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC))
			c, _ := simClient(t, bctrlsim.Options{Clock: clock, Step: time.Second})
			inv := create(t, c, tt.instruction)
			var seen []Status
			var steps []int64
			done := make(chan struct{})
			var final *Invocation
			var err error
			go func() {
				defer close(done)
				final, err = c.FollowInvocation(t.Context(), inv.ID, time.Minute, FollowOptions{Slice: time.Second, OnUpdate: func(inv *Invocation, changed bool) {
					if !changed {
						return
					}
					seen = append(seen, inv.Status)
					if inv.Status == StatusRunning {
						steps = append(steps, inv.Progress.Step)
						if inv.Progress.Step == tt.cancelAt {
							if got, err := c.CancelInvocation(t.Context(), inv.ID); err != nil || got.Status != StatusCancelling || got.CancelRequestedAt == "" {
								t.Errorf("cancel: %+v, %v", got, err)
							}
						}
					}
				}})
			}()
			// Move the clock one step each time the follower is parked in /wait.
			for clock.BlockUntilWaiters(1, done) {
				clock.Advance(time.Second)
			}
			<-done
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(seen, tt.want) {
				t.Errorf("statuses %v, want %v", seen, tt.want)
			}
			if !slices.Equal(steps, tt.wantSteps) {
				t.Errorf("running steps %v, want %v", steps, tt.wantSteps)
			}
			if !final.Status.Terminal() || final.FinishedAt == "" {
				t.Errorf("final %+v", final)
			}
			if (final.Status == StatusSucceeded) != (final.Result != nil && final.Result.OK) {
				t.Errorf("result %+v for %s", final.Result, final.Status)
			}
			if final.Status != StatusSucceeded && (final.Error == nil || final.Error.Message == "") {
				t.Errorf("%s without an error", final.Status)
			}
		})
	}
}

func TestFollowFallsBackToGetPolling(t *testing.T) {
	c, sim := simClient(t, bctrlsim.Options{Clock: &bctrlsim.RealClock{Speed: 200}, DisableWait: true})
	inv := create(t, c, "check out sim:steps=3")
	var seen []Status
	final, err := c.FollowInvocation(t.Context(), inv.ID, time.Minute, FollowOptions{PollMin: time.Millisecond, PollMax: 3 * time.Millisecond,
		OnUpdate: func(inv *Invocation, changed bool) { seen = append(seen, inv.Status) }})
	if err != nil || final.Status != StatusSucceeded {
		t.Fatalf("final %v, err %v", final.Status, err)
	}
	assertOrdered(t, seen)
	if sim.Requests() < 3 {
		t.Errorf("only %d requests: the fallback did not poll", sim.Requests())
	}
}

func TestFollowRecoversFromFaults(t *testing.T) {
	c, sim := simClient(t, bctrlsim.Options{Clock: &bctrlsim.RealClock{Speed: 100}})
	inv := create(t, c, "sim:steps=2")
	// More faults than one call's retries can absorb, so the follow loop itself must recover.
	sim.QueueFaults(bctrlsim.RouteWait,
		bctrlsim.Fault{Kind: bctrlsim.FaultServerError, Status: 503}, bctrlsim.Fault{Kind: bctrlsim.FaultDrop},
		bctrlsim.Fault{Kind: bctrlsim.FaultMalformed}, bctrlsim.Fault{Kind: bctrlsim.FaultRateLimit, RetryAfter: "0"},
		bctrlsim.Fault{Kind: bctrlsim.FaultServerError})
	final, err := c.FollowInvocation(t.Context(), inv.ID, time.Minute, FollowOptions{Slice: 50 * time.Millisecond, PollMin: time.Millisecond, PollMax: 2 * time.Millisecond})
	if err != nil || final.Status != StatusSucceeded {
		t.Fatalf("final %v, err %v", final.Status, err)
	}
}

func TestFollowReturnsCurrentStateWhenWaitRunsOut(t *testing.T) {
	clock := bctrlsim.NewManualClock(time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC))
	c, _ := simClient(t, bctrlsim.Options{Clock: clock})
	inv := create(t, c, "sim:hang")
	got, err := c.FollowInvocation(t.Context(), inv.ID, 0, FollowOptions{})
	if err != nil || got.Status != StatusQueued {
		t.Fatalf("got %v, %v", got.Status, err)
	}
}

func TestFollowStopsWhenContextEnds(t *testing.T) {
	clock := bctrlsim.NewManualClock(time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC))
	c, _ := simClient(t, bctrlsim.Options{Clock: clock})
	inv := create(t, c, "sim:hang")
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error)
	go func() {
		_, err := c.FollowInvocation(ctx, inv.ID, time.Hour, FollowOptions{})
		done <- err
	}()
	clock.BlockUntilWaiters(1, nil) // parked in /wait on a clock that never moves
	cancel()
	if err := <-done; err != context.Canceled {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func TestFollowUnknownInvocation(t *testing.T) {
	c, _ := simClient(t, bctrlsim.Options{})
	_, err := c.FollowInvocation(t.Context(), testInvID, time.Minute, FollowOptions{})
	if apiErr, ok := err.(*APIError); !ok || apiErr.StatusCode != 404 {
		t.Fatalf("err = %v, want a 404 APIError", err)
	}
}

func TestRetriedCreateKeepsItsKey(t *testing.T) {
	c, sim := simClient(t, bctrlsim.Options{})
	sim.QueueFaults(bctrlsim.RouteCreate, bctrlsim.Fault{Kind: bctrlsim.FaultDropAfterCommit}, bctrlsim.Fault{Kind: bctrlsim.FaultServerError})
	req := &CreateInvocationRequest{Provider: ProviderStagehand, Input: Input{Instruction: "buy milk"}}
	inv, err := c.CreateInvocation(t.Context(), testSpace, testRT, req)
	if err != nil {
		t.Fatal(err)
	}
	if sim.Count() != 1 || sim.Requests() != 3 {
		t.Fatalf("%d invocations after %d requests, want 1 after 3", sim.Count(), sim.Requests())
	}
	again, err := c.CreateInvocation(t.Context(), testSpace, testRT, req)
	if err != nil || again.ID != inv.ID || sim.Count() != 1 {
		t.Fatalf("repeat with key %s gave %v (%v), %d invocations", req.IdempotencyKey, again, err, sim.Count())
	}
}

func assertOrdered(t *testing.T, seen []Status) {
	t.Helper()
	for i := 1; i < len(seen); i++ {
		if slices.Index(statusOrder, seen[i]) < slices.Index(statusOrder, seen[i-1]) {
			t.Fatalf("status went backwards: %v", seen)
		}
	}
}
