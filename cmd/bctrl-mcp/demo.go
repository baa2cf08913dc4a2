package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"

	"github.com/bctrlhq/bctrl-mcp/bctrl"
	"github.com/bctrlhq/bctrl-mcp/tools/transport/jsonrpc"
	"github.com/bctrlhq/bctrl-mcp/tools/transport/stdio"
	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"
)

// demoSpeed runs the demo's simulated invocations four times faster than wall time.
const demoSpeed = 4

// demoCmd drives the real server, over the real stdio transport (on pipes),
// with an MCP client against the simulator, printing each status update as
// it arrives and then the result.
func demoCmd(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	if len(args) > 0 {
		fmt.Fprintln(stderr, "bctrl-mcp demo: takes no arguments")
		return exitUsage
	}
	out := &lockedWriter{w: stdout}
	srv, simURL, stopSim, err := simulatedServer(demoSpeed, slog.New(slog.DiscardHandler))
	if err != nil {
		fmt.Fprintf(stderr, "bctrl-mcp demo: %v\n", err)
		return 1
	}
	defer stopSim()
	c, stop, err := pipeClient(ctx, srv, out)
	if err != nil {
		fmt.Fprintf(stderr, "bctrl-mcp demo: %v\n", err)
		return 1
	}
	defer stop()
	out.printf("bctrl-mcp demo: simulator at %s, speed x%d\n\n", simURL, demoSpeed)

	first := demoCall(ctx, c, out, "1. create_invocation, following a Stagehand agent until it ends", "create_invocation", map[string]any{
		"provider": "stagehand",
		"input":    map[string]any{"instruction": "Find the cheapest direct flight from Berlin to Lisbon next Friday sim:steps=6"},
		"options":  map[string]any{"maxSteps": 10}, "waitSeconds": 30,
	})
	ok := first != nil && first.Status == bctrl.StatusSucceeded
	hang := demoCall(ctx, c, out, "2. create_invocation for a long task, returning after 1 s", "create_invocation", map[string]any{
		"provider": "browserUse", "input": map[string]any{"instruction": "Watch the ticket shop for returns sim:hang"}, "waitSeconds": 1,
	})
	if hang != nil {
		demoCall(ctx, c, out, "3. cancel_invocation", "cancel_invocation", map[string]any{"invocationId": hang.ID})
		final := demoCall(ctx, c, out, "4. get_invocation, waiting for the cancellation", "get_invocation", map[string]any{"invocationId": hang.ID, "waitSeconds": 10})
		ok = ok && final != nil && final.Status == bctrl.StatusCancelled
	}
	if !ok {
		out.printf("demo: FAILED\n")
		return 1
	}
	out.printf("demo: OK\n")
	return 0
}

// demoCall calls a tool with a progress token and prints its result.
func demoCall(ctx context.Context, c *client.Client, out *lockedWriter, title, tool string, args map[string]any) *bctrl.Invocation {
	out.printf("== %s\n", title)
	req := mcp.CallToolRequest{}
	req.Params.Name, req.Params.Arguments = tool, args
	req.Params.Meta = &mcp.Meta{ProgressToken: title}
	res, err := c.CallTool(ctx, req)
	if err != nil {
		out.printf("   call failed: %v\n\n", err)
		return nil
	}
	text := ""
	for _, content := range res.Content {
		if t, ok := content.(mcp.TextContent); ok {
			text += t.Text
		}
	}
	out.printf("   result (isError=%v):\n%s\n\n", res.IsError, indent(text))
	var inv bctrl.Invocation
	raw, _ := json.Marshal(res.StructuredContent)
	if res.IsError || json.Unmarshal(raw, &inv) != nil {
		return nil
	}
	return &inv
}

// pipeClient connects an MCP client to srv through the stdio transport on in-memory pipes.
func pipeClient(ctx context.Context, s jsonrpc.Server, out *lockedWriter) (*client.Client, func(), error) {
	toServerR, toServerW := io.Pipe()
	toClientR, toClientW := io.Pipe()
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = stdio.Serve(ctx, s, toServerR, toClientW, stdio.Options{})
		_ = toClientW.Close()
	}()
	c := client.NewClient(transport.NewIO(toClientR, toServerW, io.NopCloser(nil)), client.WithProtocolVersion(mcp.LATEST_LEGACY_PROTOCOL_VERSION))
	c.OnNotification(func(n mcp.JSONRPCNotification) { printNotification(out, n) })
	stop := func() {
		_ = c.Close()
		_ = toServerW.Close()
		cancel()
		<-done
	}
	if err := c.Start(ctx); err != nil {
		stop()
		return nil, nil, err
	}
	init := mcp.InitializeRequest{}
	init.Params.ProtocolVersion = mcp.LATEST_LEGACY_PROTOCOL_VERSION
	init.Params.ClientInfo = mcp.Implementation{Name: "bctrl-mcp-demo", Version: version()}
	if _, err := c.Initialize(ctx, init); err != nil {
		stop()
		return nil, nil, err
	}
	if err := c.SetLevel(ctx, mcp.SetLevelRequest{Params: mcp.SetLevelParams{Level: mcp.LoggingLevelInfo}}); err != nil {
		stop()
		return nil, nil, err
	}
	return c, stop, nil
}

func printNotification(out *lockedWriter, n mcp.JSONRPCNotification) {
	f := n.Params.AdditionalFields
	switch n.Method {
	case "notifications/progress":
		total := ""
		if t, ok := f["total"]; ok {
			total = fmt.Sprintf("/%v", t)
		}
		out.printf("   progress %6.2f%-3s %v\n", f["progress"], total, f["message"])
	case "notifications/message":
		data, _ := f["data"].(map[string]any)
		out.printf("   log      [%v] status %v\n", f["level"], data["status"])
	}
}

func indent(s string) string {
	return "   | " + strings.ReplaceAll(s, "\n", "\n   | ")
}

// lockedWriter serialises prints from the notification handler and the main flow.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) printf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	fmt.Fprintf(l.w, format, args...)
}
