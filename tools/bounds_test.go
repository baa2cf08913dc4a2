package tools

import (
	"io"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bctrlhq/bctrl-mcp/bctrl"
	"github.com/bctrlhq/bctrl-mcp/bctrl/bctrlsim"
	"github.com/mark3labs/mcp-go/mcp"
)

// routedAPI serves the simulator, except that the routes in hang accept
// their request and never answer while the test runs; it counts the
// requests of each route.
type routedAPI struct {
	sim     *bctrlsim.Simulator
	hang    map[string]bool
	release chan struct{}

	mu    sync.Mutex
	count map[string]int
}

func newRoutedAPI(t *testing.T, speed float64, hang ...string) *routedAPI {
	a := &routedAPI{
		sim:     bctrlsim.New(bctrlsim.Options{APIKey: testKey, Clock: &bctrlsim.RealClock{Speed: speed}}),
		hang:    map[string]bool{},
		release: make(chan struct{}),
		count:   map[string]int{},
	}
	for _, r := range hang {
		a.hang[r] = true
	}
	t.Cleanup(func() { close(a.release) })
	return a
}

func route(r *http.Request) string {
	switch {
	case r.Method == "GET":
		return "get"
	case strings.HasSuffix(r.URL.Path, "/wait"):
		return "wait"
	case strings.HasSuffix(r.URL.Path, "/cancel"):
		return "cancel"
	}
	return "create"
}

func (a *routedAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name := route(r)
	a.mu.Lock()
	a.count[name]++
	a.mu.Unlock()
	if !a.hang[name] {
		a.sim.ServeHTTP(w, r)
		return
	}
	_, _ = io.Copy(io.Discard, r.Body) // so net/http notices the client hanging up
	select {
	case <-a.release:
	case <-r.Context().Done():
	}
}

func (a *routedAPI) requests(name string) int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.count[name]
}

// callWithin calls a tool with a progress token and fails the test if no
// answer came within limit. It returns the result and when the call
// started and ended.
func (h *harness) callWithin(limit time.Duration, tool string, args any) (*mcp.CallToolResult, time.Time, time.Time) {
	h.t.Helper()
	req := mcp.CallToolRequest{}
	req.Params.Name, req.Params.Arguments = tool, args
	req.Params.Meta = &mcp.Meta{ProgressToken: "tok-" + tool}
	type answer struct {
		res *mcp.CallToolResult
		err error
	}
	done := make(chan answer, 1)
	start := time.Now()
	go func() {
		res, err := h.client.CallTool(h.t.Context(), req)
		done <- answer{res, err}
	}()
	select {
	case a := <-done:
		end := time.Now()
		if a.err != nil {
			h.t.Fatalf("%s: protocol error %v", tool, a.err)
		}
		h.t.Logf("%s %v answered after %v", tool, args, end.Sub(start).Round(time.Millisecond))
		return a.res, start, end
	case <-time.After(limit):
		h.t.Fatalf("%s %v had not answered after %v", tool, args, limit)
		return nil, start, start
	}
}

// longestSilence is the longest stretch between start, the progress
// notifications and end.
func longestSilence(start, end time.Time, notes []time.Time) time.Duration {
	marks := append([]time.Time{start, end}, notes...)
	slices.SortFunc(marks, func(a, b time.Time) int { return a.Compare(b) })
	var longest time.Duration
	for i := 1; i < len(marks); i++ {
		longest = max(longest, marks[i].Sub(marks[i-1]))
	}
	return longest
}

// quickBeats keeps the default follow (5 s slices, 1 s grace) and makes
// the heartbeat fast, so a short wait spans many heartbeats.
func quickBeats(d *Deps) {
	d.Follow = bctrl.FollowOptions{}
	d.Heartbeat = 100 * time.Millisecond
}

// The product promise checked below is progress at least every 5 s; with
// a 100 ms heartbeat anything near it means the heartbeat stopped.
const promisedGap = 5 * time.Second

func TestWaitsKeepTheirBoundWhenWaitHangs(t *testing.T) {
	t.Parallel() // mostly idle: these tests wait out their bounds
	for _, tool := range []string{"create_invocation", "get_invocation"} {
		t.Run(tool, func(t *testing.T) {
			t.Parallel()
			api := newRoutedAPI(t, 1, "wait")
			h := newHarnessDeps(t, api, false, quickBeats)
			args := stagehand("Watch the shop sim:hang", 1)
			if tool == "get_invocation" {
				created := h.output(h.call("create_invocation", stagehand("Watch the shop sim:hang", 0)))
				args = map[string]any{"invocationId": created.ID, "waitSeconds": 1}
			}
			res, start, end := h.callWithin(30*time.Second, tool, args)
			out := h.output(res)
			if out.Terminal || out.ID == "" {
				t.Errorf("want the running invocation, got %+v", out)
			}
			notes := h.progressTimes("tok-" + tool)
			silence := longestSilence(start, end, notes)
			t.Logf("%d progress notifications; longest silence %v", len(notes), silence.Round(time.Millisecond))
			if silence > promisedGap {
				t.Errorf("no progress for %v of a call against a hung /wait", silence.Round(time.Millisecond))
			}
			// The hung last /wait is given a grace past the nominal end; the
			// heartbeat must go on through it, up to the result.
			nominalEnd := start.Add(time.Second)
			if !slices.ContainsFunc(notes, func(at time.Time) bool { return at.After(nominalEnd) && at.Before(end) }) {
				t.Errorf("no progress between the nominal end of the wait and the result %v later", end.Sub(nominalEnd).Round(time.Millisecond))
			}
			if api.requests("wait") == 0 {
				t.Error("the hung /wait was never called")
			}
		})
	}
}

var keyInText = regexp.MustCompile(`idempotencyKey "[0-9a-f-]{36}"`)

func TestCreateWithoutAnAnswerSaysItMayExist(t *testing.T) {
	t.Parallel()
	api := newRoutedAPI(t, 1, "create")
	h := newHarnessDeps(t, api, false, func(d *Deps) {
		quickBeats(d)
		d.CallGrace = 500 * time.Millisecond
	})
	res, start, end := h.callWithin(30*time.Second, "create_invocation", stagehand("Buy milk", 1))
	if !res.IsError || !strings.Contains(text(res), "may or may not have been created") || !keyInText.MatchString(text(res)) {
		t.Fatalf("want an isError saying the invocation may exist, with its idempotencyKey; got %v: %s", res.IsError, text(res))
	}
	notes := h.progressTimes("tok-create_invocation")
	silence := longestSilence(start, end, notes)
	t.Logf("%d progress notifications while the create went unanswered; longest silence %v", len(notes), silence.Round(time.Millisecond))
	if silence > promisedGap {
		t.Errorf("no progress for %v while the create went unanswered", silence.Round(time.Millisecond))
	}
}

func TestGetAndCancelWithoutAnAnswerEndInTime(t *testing.T) {
	t.Parallel()
	for _, tool := range []string{"get_invocation", "cancel_invocation"} {
		t.Run(tool, func(t *testing.T) {
			t.Parallel()
			api := newRoutedAPI(t, 1, "get", "cancel")
			h := newHarnessDeps(t, api, false, func(d *Deps) {
				quickBeats(d)
				d.CallGrace = 500 * time.Millisecond
				d.CancelTimeout = 500 * time.Millisecond
			})
			created := h.output(h.call("create_invocation", stagehand("Watch the shop sim:hang", 0)))
			args := map[string]any{"invocationId": created.ID}
			if tool == "get_invocation" {
				args["waitSeconds"] = 1
			}
			res, _, _ := h.callWithin(30*time.Second, tool, args)
			if !res.IsError || !strings.Contains(text(res), "did not answer in time") {
				t.Errorf("want an isError saying bctrl did not answer in time; got %v: %s", res.IsError, text(res))
			}
		})
	}
}

func TestAtMostOneGetPerToolCall(t *testing.T) {
	api := newRoutedAPI(t, 50)
	h := newHarness(t, api, false)
	created := h.output(h.call("create_invocation", stagehand("Book a table sim:steps=3", 30)))
	if !created.Terminal {
		t.Fatalf("create did not follow to the end: %+v", created.Status)
	}
	if n := api.requests("get"); n != 0 {
		t.Errorf("create_invocation with a wait made %d GETs; its own answer is the first state", n)
	}
	running := h.output(h.call("create_invocation", stagehand("Watch the shop sim:hang", 0)))
	before := api.requests("get")
	h.output(h.call("get_invocation", map[string]any{"invocationId": running.ID, "waitSeconds": 1}))
	if n := api.requests("get") - before; n != 1 {
		t.Errorf("get_invocation with a wait made %d GETs, want 1", n)
	}
}
