package tasks

import (
	"encoding/json"
	"testing"

	"github.com/bctrlhq/bctrl-mcp/bctrl"
	"github.com/bctrlhq/bctrl-mcp/tools"
	"github.com/mark3labs/mcp-go/mcp"
)

// BenchmarkHandleMessage measures what the layer adds to a request it
// passes on: a 2026-07-28 get_invocation whose bad id is refused before the
// API, served by mcp-go alone and through the layer.
func BenchmarkHandleMessage(b *testing.B) {
	client, err := bctrl.NewClient(bctrl.WithBaseURL("http://127.0.0.1:1"), bctrl.WithAPIKey("k"))
	if err != nil {
		b.Fatal(err)
	}
	deps := tools.Deps{API: client}
	srv, invs, err := tools.NewServerAndInvocations("bctrl-mcp", "bench", deps)
	if err != nil {
		b.Fatal(err)
	}
	layer := New(srv, Options{Invocations: invs})
	msg, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": map[string]any{
		"name": "get_invocation", "arguments": map[string]any{"invocationId": "nope"}, "_meta": meta(true)}})
	for name, handle := range map[string]func() mcp.JSONRPCMessage{
		"mcp-go": func() mcp.JSONRPCMessage { return srv.HandleMessage(b.Context(), msg) },
		"layer":  func() mcp.JSONRPCMessage { return layer.HandleMessage(b.Context(), msg) },
	} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if handle() == nil {
					b.Fatal("no response")
				}
			}
		})
	}
}
