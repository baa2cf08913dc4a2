package main

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"
)

// binPath is the bctrl-mcp binary built once for the real-client tests.
var binPath string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "bctrl-mcp-bin")
	if err != nil {
		panic(err)
	}
	binPath = filepath.Join(dir, "bctrl-mcp")
	build := exec.Command("go", "build", "-o", binPath, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		panic("build bctrl-mcp: " + err.Error())
	}
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

// simEnv runs the binary on its simulator, fast enough for tests.
func simEnv() []string {
	return append(os.Environ(), "BCTRL_SIMULATE=true", "BCTRL_SIM_SPEED=20", "BCTRL_LOG_LEVEL=debug")
}

// TestGoSDKClient drives the built binary over stdio with the official Go SDK.
func TestGoSDKClient(t *testing.T) {
	ctx := t.Context()
	var mu sync.Mutex
	var messages []string
	var levels []string
	client := sdk.NewClient(&sdk.Implementation{Name: "go-sdk-e2e", Version: "1"}, &sdk.ClientOptions{
		ProgressNotificationHandler: func(_ context.Context, req *sdk.ProgressNotificationClientRequest) {
			mu.Lock()
			defer mu.Unlock()
			messages = append(messages, req.Params.Message)
		},
		LoggingMessageHandler: func(_ context.Context, req *sdk.LoggingMessageRequest) {
			mu.Lock()
			defer mu.Unlock()
			levels = append(levels, string(req.Params.Level))
		},
	})
	cmd := exec.Command(binPath)
	cmd.Env = simEnv()
	session, err := client.Connect(ctx, &sdk.CommandTransport{Command: cmd}, &sdk.ClientSessionOptions{ProtocolVersion: "2025-11-25"})
	if err != nil {
		t.Fatal(err)
	}
	defer session.Close()
	if err := session.SetLoggingLevel(ctx, &sdk.SetLoggingLevelParams{Level: "info"}); err != nil {
		t.Fatal(err)
	}

	checkGoSDKToolList(ctx, t, session)

	params := &sdk.CallToolParams{Name: "create_invocation", Arguments: map[string]any{
		"provider": "stagehand", "input": map[string]any{"instruction": "Compare prices sim:steps=5"}, "waitSeconds": 30,
	}}
	params.SetProgressToken("go-sdk-1")
	res, err := session.CallTool(ctx, params)
	if err != nil {
		t.Fatal(err)
	}
	out := structured(t, res)
	if res.IsError || out["status"] != "succeeded" || out["terminal"] != true {
		t.Fatalf("create: %v", out)
	}
	mu.Lock()
	distinct := map[string]bool{}
	for _, m := range messages {
		distinct[m] = true
	}
	mu.Unlock()
	if len(distinct) < 3 {
		t.Errorf("saw %d distinct progress messages before the result: %v", len(distinct), messages)
	}

	got, err := session.CallTool(ctx, &sdk.CallToolParams{Name: "get_invocation", Arguments: map[string]any{"invocationId": out["id"]}})
	if err != nil || structured(t, got)["id"] != out["id"] {
		t.Fatalf("get: %v %v", got, err)
	}
	hang, err := session.CallTool(ctx, &sdk.CallToolParams{Name: "create_invocation", Arguments: map[string]any{
		"provider": "browserUse", "input": map[string]any{"instruction": "sim:hang"}, "waitSeconds": 0}})
	if err != nil {
		t.Fatal(err)
	}
	cancelled, err := session.CallTool(ctx, &sdk.CallToolParams{Name: "cancel_invocation", Arguments: map[string]any{"invocationId": structured(t, hang)["id"]}})
	if err != nil || structured(t, cancelled)["status"] != "cancelling" {
		t.Fatalf("cancel: %v %v", cancelled, err)
	}
	bad, err := session.CallTool(ctx, &sdk.CallToolParams{Name: "get_invocation", Arguments: map[string]any{"invocationId": "nope"}})
	if err != nil || !bad.IsError {
		t.Fatalf("bad input: %v %v", bad, err)
	}
	mu.Lock()
	logged := len(levels)
	mu.Unlock()
	if logged == 0 {
		t.Error("no log notifications after logging/setLevel info")
	}
}

func structured(t *testing.T, res *sdk.CallToolResult) map[string]any {
	t.Helper()
	raw, _ := json.Marshal(res.StructuredContent)
	var out map[string]any
	_ = json.Unmarshal(raw, &out)
	return out
}

// checkGoSDKToolList lists the tools through the Go SDK: the three tools,
// each with an output schema and a titled annotation.
func checkGoSDKToolList(ctx context.Context, t *testing.T, session *sdk.ClientSession) {
	t.Helper()
	list, err := session.ListTools(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tool := range list.Tools {
		names = append(names, tool.Name)
		if tool.OutputSchema == nil || tool.Annotations == nil || tool.Annotations.Title == "" {
			t.Errorf("%s: missing output schema or annotations", tool.Name)
		}
	}
	if strings.Join(names, ",") != "cancel_invocation,create_invocation,get_invocation" {
		t.Fatalf("tools %v", names)
	}
}
