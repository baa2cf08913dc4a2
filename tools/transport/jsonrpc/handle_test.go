package jsonrpc

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"math"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// layered wraps the MCP server the way a protocol layer does, answering
// with a message type of its own (whose id it takes from mcp-go's answer).
type layered struct{ *server.MCPServer }

type layeredAnswer struct {
	JSONRPC string `json:"jsonrpc"`
	ID      any    `json:"id"`
	Result  any    `json:"result"`
	Layer   string `json:"layer"`
}

func (l layered) HandleMessage(ctx context.Context, message json.RawMessage) mcp.JSONRPCMessage {
	resp, ok := l.MCPServer.HandleMessage(ctx, message).(mcp.JSONRPCResponse)
	if !ok {
		return nil
	}
	return layeredAnswer{JSONRPC: "2.0", ID: resp.ID.Value(), Result: resp.Result, Layer: "yes"}
}

// TestHandleAnswersWithTheIDAsSent, through mcp-go directly and through a
// layer with its own answer type.
func TestHandleAnswersWithTheIDAsSent(t *testing.T) {
	srv := server.NewMCPServer("t", "1")
	logger := slog.New(slog.DiscardHandler)
	for _, s := range []Server{srv, layered{srv}} {
		for _, raw := range []string{`9007199254740993`, `-9223372036854775809`, `"x\u0079"`} {
			id, err := ParseID(json.RawMessage(raw))
			if err != nil {
				t.Fatal(err)
			}
			out := Handle(t.Context(), s, id, []byte(`{"jsonrpc":"2.0","id":`+raw+`,"method":"ping"}`), logger)
			var m struct {
				ID     json.RawMessage
				Result json.RawMessage
			}
			if err := json.Unmarshal(out, &m); err != nil || string(m.ID) != raw || m.Result == nil {
				t.Errorf("%T, id %s: answered %s", s, raw, out)
			}
		}
	}
}

func TestEncodeNotificationDropsWhatCannotBeEncoded(t *testing.T) {
	var logs bytes.Buffer
	n := mcp.JSONRPCNotification{JSONRPC: "2.0", Notification: mcp.Notification{Method: "notifications/message",
		Params: mcp.NotificationParams{AdditionalFields: map[string]any{"data": math.Inf(1)}}}}
	raw, ok := EncodeNotification(n, slog.New(slog.NewTextHandler(&logs, nil)))
	if ok || raw != nil || !strings.Contains(logs.String(), "notifications/message") {
		t.Fatalf("ok %v, raw %s, log %q", ok, raw, logs.String())
	}
}

func TestBusyResponse(t *testing.T) {
	id, _ := ParseID(json.RawMessage(`"b"`))
	var m struct {
		ID    string
		Error struct {
			Code    int
			Message string
			Data    struct{ RetryAfterMs int64 }
		}
	}
	if err := json.Unmarshal(BusyResponse(id, "server busy: 3 requests in flight"), &m); err != nil {
		t.Fatal(err)
	}
	if m.ID != "b" || m.Error.Code != CodeServerBusy || m.Error.Data.RetryAfterMs != BusyRetryAfter.Milliseconds() || !strings.Contains(m.Error.Message, "3 requests in flight") {
		t.Fatalf("%+v", m)
	}
	if CodeServerBusy >= -32768 && CodeServerBusy <= -32000 {
		t.Fatal("the busy code is in JSON-RPC's reserved range")
	}
}
