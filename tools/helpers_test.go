package tools

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/bctrlhq/bctrl-mcp/bctrl"
	"github.com/bctrlhq/bctrl-mcp/bctrl/bctrlsim"
	"github.com/bctrlhq/bctrl-mcp/bctrl/jsonval"
	"github.com/bctrlhq/bctrl-mcp/schema"
	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"
)

const (
	testKey     = "bctrl_live_TESTKEY_0123456789"
	testSpace   = "6f1c2a8e-0d4b-4c3e-9b7a-1e2f3a4b5c6d"
	testRuntime = "7a2b3c4d-5e6f-4a1b-8c9d-0e1f2a3b4c5d"
	unknownID   = "0b9e8d7c-6b5a-4f3e-8d2c-1b0a9f8e7d6c"
)

// harness is an MCP client talking in-process to the tools, backed by an HTTP API.
type harness struct {
	t      *testing.T
	client *client.Client
	sim    *bctrlsim.Simulator
	// invocations are the operations of the same tools, as tools/tasks uses them.
	invocations *Invocations

	mu            sync.Mutex
	notifications []mcp.JSONRPCNotification
	received      []time.Time   // when each notification arrived
	arrived       chan struct{} // closed and replaced on every notification
}

// newHarness serves the tools against the simulator (fast clock) or, when
// api is set, against that handler.
func newHarness(t *testing.T, api http.Handler, readOnly bool) *harness {
	t.Helper()
	return newHarnessWith(t, api, readOnly)
}

// newHarnessWith is newHarness with extra client options (applied last);
// a *bctrlsim.Simulator given as api is kept for counting.
func newHarnessWith(t *testing.T, api http.Handler, readOnly bool, opts ...bctrl.Option) *harness {
	t.Helper()
	return newHarnessDeps(t, api, readOnly, nil, opts...)
}

// newHarnessDeps is newHarnessWith with a hook that adjusts the tools'
// Deps (after the test defaults) before the server is built.
func newHarnessDeps(t *testing.T, api http.Handler, readOnly bool, adjust func(*Deps), opts ...bctrl.Option) *harness {
	t.Helper()
	h := &harness{t: t, arrived: make(chan struct{})}
	if api == nil {
		api = bctrlsim.New(bctrlsim.Options{APIKey: testKey, Clock: &bctrlsim.RealClock{Speed: 50}})
	}
	h.sim, _ = api.(*bctrlsim.Simulator)
	srv := httptest.NewServer(api)
	t.Cleanup(srv.Close)
	opts = append([]bctrl.Option{bctrl.WithBaseURL(srv.URL), bctrl.WithAPIKey(testKey),
		bctrl.WithRetryPolicy(bctrl.RetryPolicy{MaxAttempts: 2, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond, MaxRetryAfter: time.Second})}, opts...)
	c, err := bctrl.NewClient(opts...)
	if err != nil {
		t.Fatal(err)
	}
	deps := Deps{
		API: c, DefaultSpaceID: testSpace, DefaultRuntimeID: testRuntime, ReadOnly: readOnly,
		Follow:            bctrl.FollowOptions{Slice: 20 * time.Millisecond, PollMin: time.Millisecond, PollMax: 5 * time.Millisecond},
		APIKeyFingerprint: func(context.Context) string { return FingerprintAPIKey(testKey) },
	}
	if adjust != nil {
		adjust(&deps)
	}
	s, invocations, err := NewServerAndInvocations("bctrl-mcp", "test", deps)
	if err != nil {
		t.Fatal(err)
	}
	h.invocations = invocations
	// Pinned to the handshake protocol Claude Desktop speaks, so logging behaves as there.
	mc, err := client.NewInProcessClientWithOptions(s, client.WithProtocolVersion(mcp.LATEST_LEGACY_PROTOCOL_VERSION))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = mc.Close() })
	ctx := t.Context()
	if err := mc.Start(ctx); err != nil {
		t.Fatal(err)
	}
	mc.OnNotification(func(n mcp.JSONRPCNotification) {
		h.mu.Lock()
		defer h.mu.Unlock()
		h.notifications = append(h.notifications, n)
		h.received = append(h.received, time.Now())
		close(h.arrived)
		h.arrived = make(chan struct{})
	})
	init := mcp.InitializeRequest{}
	init.Params.ProtocolVersion = mcp.LATEST_LEGACY_PROTOCOL_VERSION
	init.Params.ClientInfo = mcp.Implementation{Name: "tools-test", Version: "1"}
	if _, err := mc.Initialize(ctx, init); err != nil {
		t.Fatal(err)
	}
	if err := mc.SetLevel(ctx, mcp.SetLevelRequest{Params: mcp.SetLevelParams{Level: mcp.LoggingLevelInfo}}); err != nil {
		t.Fatal(err)
	}
	h.client = mc
	return h
}

// call invokes a tool with a progress token and returns its result.
func (h *harness) call(tool string, args any) *mcp.CallToolResult {
	h.t.Helper()
	return h.callCtx(h.t.Context(), tool, args)
}

func (h *harness) callCtx(ctx context.Context, tool string, args any) *mcp.CallToolResult {
	h.t.Helper()
	req := mcp.CallToolRequest{}
	req.Params.Name, req.Params.Arguments = tool, args
	req.Params.Meta = &mcp.Meta{ProgressToken: "tok-" + tool}
	res, err := h.client.CallTool(ctx, req)
	if err != nil {
		h.t.Fatalf("%s: protocol error %v", tool, err)
	}
	return res
}

// output decodes and schema-checks a successful result.
func (h *harness) output(res *mcp.CallToolResult) schema.InvocationOutput {
	h.t.Helper()
	if res.IsError {
		h.t.Fatalf("unexpected isError: %s", text(res))
	}
	raw, _ := json.Marshal(res.StructuredContent)
	checkOutputSchema(h.t, raw)
	var out schema.InvocationOutput
	if err := json.Unmarshal(raw, &out); err != nil {
		h.t.Fatal(err)
	}
	return out
}

// progress returns the progress notifications seen so far for a token.
func (h *harness) progress(token string) []map[string]any {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []map[string]any
	for _, n := range h.notifications {
		if n.Method == "notifications/progress" && n.Params.AdditionalFields["progressToken"] == token {
			out = append(out, n.Params.AdditionalFields)
		}
	}
	return out
}

// waitFor blocks until cond holds over the notifications. The in-process
// transport delivers notifications on its own goroutine, possibly after the
// result; the deadline only turns a missing notification into a failure.
func (h *harness) waitFor(what string, cond func() bool) {
	h.t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		h.mu.Lock()
		arrived := h.arrived
		h.mu.Unlock()
		if cond() {
			return
		}
		select {
		case <-arrived:
		case <-deadline:
			h.t.Fatalf("never saw %s", what)
		}
	}
}

// progressTimes returns when each progress notification for a token arrived.
func (h *harness) progressTimes(token string) []time.Time {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []time.Time
	for i, n := range h.notifications {
		if n.Method == "notifications/progress" && n.Params.AdditionalFields["progressToken"] == token {
			out = append(out, h.received[i])
		}
	}
	return out
}

func (h *harness) logs() []map[string]any {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []map[string]any
	for _, n := range h.notifications {
		if n.Method == "notifications/message" {
			out = append(out, n.Params.AdditionalFields)
		}
	}
	return out
}

func (h *harness) requests() int {
	if h.sim == nil {
		return 0
	}
	return h.sim.Requests()
}

func text(res *mcp.CallToolResult) string {
	var s string
	for _, c := range res.Content {
		if t, ok := c.(mcp.TextContent); ok {
			s += t.Text
		}
	}
	return s
}

var outputValidator = func() func() (*jsonval.Validator, error) {
	var once sync.Once
	var v *jsonval.Validator
	var err error
	return func() (*jsonval.Validator, error) {
		once.Do(func() {
			published, perr := schema.Published()
			if perr != nil {
				err = perr
				return
			}
			doc, derr := jsonval.Decode(published[schema.ToolGet].Output)
			if derr != nil {
				err = derr
				return
			}
			v, err = jsonval.Compile(doc, "")
		})
		return v, err
	}
}()

func checkOutputSchema(t *testing.T, raw []byte) {
	t.Helper()
	v, err := outputValidator()
	if err != nil {
		t.Fatal(err)
	}
	value, _ := jsonval.Decode(raw)
	if problems := v.Validate(value); len(problems) > 0 {
		t.Errorf("structuredContent breaks the output schema: %s", jsonval.Summary(problems))
	}
}

func distinctMessages(ps []map[string]any) []string {
	var out []string
	for _, p := range ps {
		if m, _ := p["message"].(string); !slices.Contains(out, m) {
			out = append(out, m)
		}
	}
	return out
}

func stagehand(instruction string, wait int) map[string]any {
	return map[string]any{"provider": "stagehand", "input": map[string]any{"instruction": instruction}, "waitSeconds": wait}
}

// contents are the result's content items of type T (images, resource links…), in order.
func contents[T mcp.Content](res *mcp.CallToolResult) []T {
	var out []T
	for _, c := range res.Content {
		if v, ok := c.(T); ok {
			out = append(out, v)
		}
	}
	return out
}
