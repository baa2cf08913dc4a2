package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"
)

// wireLog records what a Go SDK client writes and reads, in order
// (sdk.LoggingTransport writes "write: {...}" and "read: {...}" lines). The
// SDK runs notification handlers apart from responses, so ordering questions
// are answered from the wire the client saw, not from handler timing.
type wireLog struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (w *wireLog) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.Write(p)
}

type wireMessage struct {
	read bool // from the server
	msg  map[string]any
}

func (w *wireLog) messages(t *testing.T) []wireMessage {
	t.Helper()
	w.mu.Lock()
	defer w.mu.Unlock()
	var out []wireMessage
	for line := range strings.Lines(w.buf.String()) {
		dir, body, ok := strings.Cut(line, ": ")
		if !ok || (dir != "read" && dir != "write") {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(body), &m); err != nil {
			t.Fatalf("wire log line %q: %v", line, err)
		}
		out = append(out, wireMessage{read: dir == "read", msg: m})
	}
	return out
}

// exchange returns, for the tools/call that carried progressToken, the
// notifications the client read after the previous response and before this
// call's response (the calls of this test are sequential), its response, and
// what it read for that call afterwards. Reads are in wire order; a write is
// logged once sent, so it may be logged after a quick answer to it.
func (w *wireLog) exchange(t *testing.T, token string) (during, after []map[string]any, response map[string]any) {
	t.Helper()
	messages := w.messages(t)
	var id any
	for _, m := range messages {
		params, _ := m.msg["params"].(map[string]any)
		if meta, _ := params["_meta"].(map[string]any); !m.read && m.msg["method"] == "tools/call" && meta["progressToken"] == token {
			id = m.msg["id"]
		}
	}
	var segment []map[string]any
	for _, m := range messages {
		params, _ := m.msg["params"].(map[string]any)
		switch {
		case !m.read:
		case m.msg["method"] == nil && response == nil && m.msg["id"] == id:
			response, during = m.msg, segment
		case m.msg["method"] == nil:
			segment = nil
		case response == nil:
			segment = append(segment, m.msg)
		case params["progressToken"] == token:
			after = append(after, m.msg)
		}
	}
	if id == nil || response == nil {
		t.Fatalf("no request or no response on the wire for the call with progress token %s", token)
	}
	return during, after, response
}

func countMethod(ms []map[string]any, method string) int {
	n := 0
	for _, m := range ms {
		if m["method"] == method {
			n++
		}
	}
	return n
}

// TestGoSDKClientModern drives the built binary with the official Go SDK at
// its default protocol version, the stateless 2026-07-28.
func TestGoSDKClientModern(t *testing.T) {
	ctx := t.Context()
	var mu sync.Mutex
	var handledLogs int
	progressFor := map[any]chan struct{}{"cancel-me": make(chan struct{}, 1)}
	client := sdk.NewClient(&sdk.Implementation{Name: "go-sdk-modern-e2e", Version: "1"}, &sdk.ClientOptions{
		ProgressNotificationHandler: func(_ context.Context, req *sdk.ProgressNotificationClientRequest) {
			if ch := progressFor[req.Params.ProgressToken]; ch != nil {
				select {
				case ch <- struct{}{}:
				default:
				}
			}
		},
		LoggingMessageHandler: func(context.Context, *sdk.LoggingMessageRequest) {
			mu.Lock()
			defer mu.Unlock()
			handledLogs++
		},
	})
	cmd := exec.Command(binPath)
	cmd.Env = simEnv()
	wire := &wireLog{}
	session, err := client.Connect(ctx, &sdk.LoggingTransport{Transport: &sdk.CommandTransport{Command: cmd}, Writer: wire}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer session.Close()

	// server/discover, which the SDK calls to connect
	init := session.InitializeResult()
	if init.ProtocolVersion != "2026-07-28" {
		t.Fatalf("negotiated %s, want the stateless 2026-07-28", init.ProtocolVersion)
	}
	if _, ok := init.Capabilities.Extensions["io.modelcontextprotocol/tasks"]; !ok || init.Capabilities.Tools == nil {
		t.Errorf("discover capabilities %+v", init.Capabilities)
	}
	if init.ServerInfo == nil || init.ServerInfo.Name != "bctrl-mcp" {
		t.Errorf("server info %+v", init.ServerInfo)
	}

	checkGoSDKToolList(ctx, t, session)

	// create with progress, at three log levels
	call := func(token, logLevel, tool string, args map[string]any) *sdk.CallToolResult {
		t.Helper()
		params := &sdk.CallToolParams{Name: tool, Arguments: args, Meta: sdk.Meta{}}
		if logLevel != "" {
			params.Meta["io.modelcontextprotocol/logLevel"] = logLevel
		}
		params.SetProgressToken(token)
		res, err := session.CallTool(ctx, params)
		if err != nil {
			t.Fatalf("%s: %v", token, err)
		}
		return res
	}
	createArgs := map[string]any{"provider": "stagehand", "input": map[string]any{"instruction": "Compare prices sim:steps=5"}, "waitSeconds": 30}
	for _, c := range []struct {
		token, level string
		logs         bool
	}{{"info", "info", true}, {"warning", "warning", false}, {"none", "", false}} {
		res := call(c.token, c.level, "create_invocation", createArgs)
		if out := structured(t, res); res.IsError || out["status"] != "succeeded" || out["terminal"] != true {
			t.Fatalf("%s create: %v", c.token, out)
		}
		during, _, _ := wire.exchange(t, c.token)
		var last float64
		messages := map[string]bool{}
		for _, n := range during {
			params, _ := n["params"].(map[string]any)
			switch {
			case n["method"] != "notifications/progress":
			case params["progressToken"] != c.token:
				t.Errorf("%s: progress for another token: %v", c.token, n)
			case params["progress"].(float64) <= last:
				t.Errorf("%s: progress did not increase: %v after %v", c.token, params["progress"], last)
			default:
				last = params["progress"].(float64)
				messages[params["message"].(string)] = true
			}
			if n["method"] == "notifications/message" && params["level"] != "info" {
				t.Errorf("%s: log below or beside the asked level: %v", c.token, n)
			}
		}
		if len(messages) < 3 {
			t.Errorf("%s: %d distinct progress messages before the result: %v", c.token, len(messages), messages)
		}
		if got := countMethod(during, "notifications/message") > 0; got != c.logs {
			t.Errorf("%s: logs sent: %v, want %v", c.token, got, c.logs)
		}
	}

	// get, cancel, bad input
	created := structured(t, call("plain", "", "create_invocation", createArgs))
	if got := structured(t, call("get", "", "get_invocation", map[string]any{"invocationId": created["id"]})); got["id"] != created["id"] || got["status"] != "succeeded" {
		t.Fatalf("get: %v", got)
	}
	hang := structured(t, call("hang", "", "create_invocation", map[string]any{"provider": "browserUse", "input": map[string]any{"instruction": "sim:hang"}, "waitSeconds": 0}))
	if cancelled := structured(t, call("cancel", "", "cancel_invocation", map[string]any{"invocationId": hang["id"]})); cancelled["status"] != "cancelling" {
		t.Fatalf("cancel: %v", cancelled)
	}
	if bad := call("bad", "", "get_invocation", map[string]any{"invocationId": "nope"}); !bad.IsError {
		t.Fatalf("bad input: %v", bad)
	}

	// cancellation: cancel a long wait once it reports progress
	hang2 := structured(t, call("hang2", "", "create_invocation", map[string]any{"provider": "stagehand", "input": map[string]any{"instruction": "sim:hang"}, "waitSeconds": 0}))
	waitCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	errs := make(chan error, 1)
	go func() {
		params := &sdk.CallToolParams{Name: "get_invocation", Arguments: map[string]any{"invocationId": hang2["id"], "waitSeconds": 50}}
		params.SetProgressToken("cancel-me")
		_, err := session.CallTool(waitCtx, params)
		errs <- err
	}()
	select {
	case <-progressFor["cancel-me"]:
	case <-time.After(30 * time.Second):
		t.Fatal("the 50 s wait sent no progress within 30 s")
	}
	cancel()
	select {
	case err := <-errs:
		if err == nil {
			t.Fatal("the cancelled call returned a result")
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the cancelled call did not return within 30 s")
	}
	if got := call("after-cancel", "", "get_invocation", map[string]any{"invocationId": created["id"]}); got.IsError {
		t.Fatalf("the server stopped serving after a cancellation: %v", got)
	}

	// Nothing for a request after its response, and no response to the cancelled call.
	if err := session.Close(); err != nil {
		t.Logf("close: %v", err)
	}
	for _, token := range []string{"info", "warning", "none", "plain", "get", "hang", "cancel", "bad", "after-cancel"} {
		if _, after, _ := wire.exchange(t, token); len(after) > 0 {
			t.Errorf("%s: %d notifications after the response: %v", token, len(after), after)
		}
	}
	cancelledID := any(nil)
	for _, m := range wire.messages(t) {
		if params, _ := m.msg["params"].(map[string]any); !m.read && m.msg["method"] == "notifications/cancelled" {
			cancelledID = params["requestId"]
		} else if cancelledID != nil && m.read && fmt.Sprint(m.msg["id"]) == fmt.Sprint(cancelledID) {
			t.Errorf("the cancelled request was answered: %v", m.msg)
		}
	}
	if cancelledID == nil {
		t.Error("the SDK sent no notifications/cancelled")
	}
	mu.Lock()
	defer mu.Unlock()
	if handledLogs == 0 {
		t.Error("the SDK handled no log notification for the logLevel info call")
	}
}
