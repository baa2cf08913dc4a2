package tasks

import (
	"encoding/json"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bctrlhq/bctrl-mcp/bctrl"
	"github.com/bctrlhq/bctrl-mcp/bctrl/bctrlsim"
	"github.com/bctrlhq/bctrl-mcp/tools"
	"github.com/bctrlhq/bctrl-mcp/tools/era"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
	"go.uber.org/goleak"
)

const (
	testKey     = "bctrl_live_TESTKEY_0123456789"
	testSpace   = "6f1c2a8e-0d4b-4c3e-9b7a-1e2f3a4b5c6d"
	testRuntime = "7a2b3c4d-5e6f-4a1b-8c9d-0e1f2a3b4c5d"
	unknownID   = "0b9e8d7c-6b5a-4f3e-8d2c-1b0a9f8e7d6c"
	step        = time.Second // the simulator's default phase and step length
)

// stack is the layer over the real tools and mcp-go server, backed by the
// simulator on a manual clock: invocation states move only when a test
// advances the clock.
type stack struct {
	t     *testing.T
	layer *Server
	bare  *server.MCPServer // the same mcp-go server, without the layer
	sim   *bctrlsim.Simulator
	clock *bctrlsim.ManualClock
	ids   atomic.Int64
}

func newStack(t *testing.T, readOnly bool) *stack {
	t.Helper()
	clock := bctrlsim.NewManualClock(time.Date(2026, 7, 28, 9, 0, 0, 0, time.UTC))
	sim := bctrlsim.New(bctrlsim.Options{APIKey: testKey, Clock: clock})
	api := httptest.NewServer(sim)
	t.Cleanup(api.Close)
	client, err := bctrl.NewClient(bctrl.WithBaseURL(api.URL), bctrl.WithAPIKey(testKey),
		bctrl.WithRetryPolicy(bctrl.RetryPolicy{MaxAttempts: 1}))
	if err != nil {
		t.Fatal(err)
	}
	deps := tools.Deps{API: client, DefaultSpaceID: testSpace, DefaultRuntimeID: testRuntime, ReadOnly: readOnly}
	srv, invs, err := tools.NewServerAndInvocations("bctrl-mcp", "test", deps)
	if err != nil {
		t.Fatal(err)
	}
	layer := New(srv, Options{Invocations: invs, ServerInfo: mcp.Implementation{Name: "bctrl-mcp", Version: "test"}})
	return &stack{t: t, layer: layer, bare: srv, sim: sim, clock: clock}
}

// meta is a 2026-07-28 _meta, declaring the tasks extension when tasks is true.
func meta(tasks bool) map[string]any {
	caps := map[string]any{}
	if tasks {
		caps["extensions"] = map[string]any{ExtensionID: map[string]any{}}
	}
	return map[string]any{
		"io.modelcontextprotocol/protocolVersion":    "2026-07-28",
		"io.modelcontextprotocol/clientCapabilities": caps,
	}
}

// message builds a JSON-RPC request with a fresh id; params may be nil.
func (s *stack) message(method string, params map[string]any) json.RawMessage {
	msg := map[string]any{"jsonrpc": "2.0", "id": s.ids.Add(1), "method": method}
	if params != nil {
		msg["params"] = params
	}
	raw, err := json.Marshal(msg)
	if err != nil {
		s.t.Fatal(err)
	}
	return raw
}

// send passes a message through the layer and returns the response as it goes on the wire.
func (s *stack) send(msg json.RawMessage) map[string]any {
	s.t.Helper()
	return wire(s.t, s.layer.HandleMessage(s.t.Context(), msg))
}

// request sends method with params and returns the response.
func (s *stack) request(method string, params map[string]any) map[string]any {
	s.t.Helper()
	return s.send(s.message(method, params))
}

// result is request for a response that must be a result.
func (s *stack) result(method string, params map[string]any) map[string]any {
	s.t.Helper()
	resp := s.request(method, params)
	res, ok := resp["result"].(map[string]any)
	if !ok {
		s.t.Fatalf("%s: no result: %v", method, resp)
	}
	return res
}

// errorCode is request for a response that must be an error; it returns the error.
func (s *stack) errorOf(method string, params map[string]any) map[string]any {
	s.t.Helper()
	resp := s.request(method, params)
	e, ok := resp["error"].(map[string]any)
	if !ok {
		s.t.Fatalf("%s: want an error, got %v", method, resp)
	}
	return e
}

// createTask calls create_invocation as a task and returns the CreateTaskResult.
func (s *stack) createTask(instruction string) map[string]any {
	s.t.Helper()
	res := s.result("tools/call", map[string]any{"name": "create_invocation", "_meta": meta(true),
		"arguments": map[string]any{"provider": "stagehand", "input": map[string]any{"instruction": instruction}}})
	if res["resultType"] != "task" {
		s.t.Fatalf("create_invocation did not answer with a task: %v", res)
	}
	return res
}

// getTask calls tasks/get.
func (s *stack) getTask(id any) map[string]any {
	s.t.Helper()
	return s.result(era.TasksGet, map[string]any{"taskId": id, "_meta": meta(true)})
}

// wire encodes a response as a transport would and decodes it again.
func wire(t *testing.T, resp any) map[string]any {
	t.Helper()
	raw, err := json.Marshal(resp)
	if err != nil {
		t.Fatal(err)
	}
	var out map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func code(e map[string]any) int {
	c, _ := e["code"].(float64)
	return int(c)
}

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
