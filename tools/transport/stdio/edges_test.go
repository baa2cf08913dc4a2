package stdio_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"math"
	"strings"
	"sync"
	"testing"

	"github.com/bctrlhq/bctrl-mcp/tools/transport/jsonrpc"
	"github.com/bctrlhq/bctrl-mcp/tools/transport/stdio"
	"github.com/mark3labs/mcp-go/mcp"
)

// TestValidJSONThatIsNotAMessageIsAnInvalidRequest: a batch (removed from
// MCP in 2025-06-18) gets one -32600 for the whole batch, and so does any
// other JSON that is not a request, response or notification.
func TestValidJSONThatIsNotAMessageIsAnInvalidRequest(t *testing.T) {
	w := startWire(t, newGate(), stdio.Options{})
	w.handshake()
	for i, line := range []string{`[]`, `[{"jsonrpc":"2.0","id":1,"method":"ping"},{"jsonrpc":"2.0","id":2,"method":"ping"}]`, `[1,2,3]`,
		`7`, `"x"`, `null`, `true`, `{}`, `{"jsonrpc":"2.0"}`, `{"jsonrpc":"2.0","id":3}`, `{"jsonrpc":"2.0","method":7}`} {
		w.send(line)
		w.send(fmt.Sprintf(`{"jsonrpc":"2.0","id":"after%d","method":"ping"}`, i))
		if m := w.next(); errorCode(m) != -32600 || rawID(m) != "null" && rawID(m) != "3" {
			t.Errorf("%s answered %v, want one -32600", line, m)
		}
		if m := w.next(); rawID(m) != fmt.Sprintf(`"after%d"`, i) {
			t.Errorf("%s: the next line is %v, not the ping's answer", line, m)
		}
	}
	w.send(`{"jsonrpc":"2.0","id":4,"method":`)
	if m := w.next(); errorCode(m) != -32700 {
		t.Errorf("truncated JSON answered %v, want -32700", m)
	}
	w.end()
}

// TestRequestsWithUnusableIDsAreInvalid: MCP ids are strings or integers,
// never null; such a request is answered -32600 rather than ignored.
func TestRequestsWithUnusableIDsAreInvalid(t *testing.T) {
	w := startWire(t, newGate(), stdio.Options{})
	w.handshake()
	for i, id := range []string{`null`, `true`, `{"a":1}`, `[1]`, `1.5`} {
		w.send(fmt.Sprintf(`{"jsonrpc":"2.0","id":%s,"method":"ping"}`, id))
		w.send(fmt.Sprintf(`{"jsonrpc":"2.0","id":"after%d","method":"ping"}`, i))
		if m := w.next(); errorCode(m) != -32600 || rawID(m) != "null" {
			t.Errorf("id %s answered %v, want -32600 with a null id", id, m)
		}
		w.until(fmt.Sprintf(`"after%d"`, i))
	}
	w.end()
}

// TestCancelledRequestGetsNoResponse proves the cancellation reaches the
// handler while stdin stays open (its context is cancelled before the test
// ends the input), and that the request is never answered.
func TestCancelledRequestGetsNoResponse(t *testing.T) {
	g := newGate()
	w := startWire(t, g, stdio.Options{})
	w.handshake()
	w.send(callBlock(`"c1"`, "c1"))
	await(t, g.ch(g.started, "c1"), "the handler starting")
	w.send(cancelLine(`"c1"`))
	await(t, g.ch(g.cancelled, "c1"), "the handler's context being cancelled (stdin still open)")
	w.send(`{"jsonrpc":"2.0","id":"after","method":"ping"}`)
	w.until(`"after"`)
	for _, m := range w.end() {
		if rawID(m) == `"c1"` {
			t.Fatalf("cancelled request answered: %v", m)
		}
	}
}

// TestStringAndNumberIDsAreDifferentRequests: cancelling 7 cancels 7 only,
// never "7"; the same for two integers that a float64 cannot tell apart.
func TestStringAndNumberIDsAreDifferentRequests(t *testing.T) {
	for _, pair := range [][2]string{{`7`, `"7"`}, {`"7"`, `7`}, {`9007199254740993`, `9007199254740992`}} {
		t.Run(pair[0]+" vs "+pair[1], func(t *testing.T) {
			g := newGate()
			w := startWire(t, g, stdio.Options{})
			w.handshake()
			w.send(callBlock(pair[0], "cancel"))
			await(t, g.ch(g.started, "cancel"), "the first handler starting")
			w.send(callBlock(pair[1], "keep"))
			await(t, g.ch(g.started, "keep"), "the second handler starting")
			w.send(cancelLine(pair[0]))
			await(t, g.ch(g.cancelled, "cancel"), "the cancelled request's handler seeing it")
			close(g.ch(g.release, "keep"))
			kept := w.until(pair[1])
			if res, _ := kept["result"].(map[string]any); !strings.Contains(fmt.Sprint(res["content"]), "released keep") {
				t.Fatalf("%s was not answered normally: %v", pair[1], kept)
			}
			select {
			case <-g.ch(g.cancelled, "keep"):
				t.Fatalf("cancelling %s cancelled %s too", pair[0], pair[1])
			default:
			}
			for _, m := range w.end() {
				if rawID(m) == pair[0] {
					t.Fatalf("cancelled request answered: %v", m)
				}
			}
		})
	}
}

// TestLargeIDsComeBackExactly: ids beyond 2^53 (and any string) are echoed byte for byte.
func TestLargeIDsComeBackExactly(t *testing.T) {
	w := startWire(t, newGate(), stdio.Options{})
	w.handshake()
	for _, id := range []string{`9007199254740993`, `-9223372036854775809`, `123456789012345678901234567890`, `"é\u00e9"`} {
		w.send(fmt.Sprintf(`{"jsonrpc":"2.0","id":%s,"method":"ping"}`, id))
		line := w.nextLine()
		var m struct{ ID json.RawMessage }
		if err := json.Unmarshal(line, &m); err != nil || string(m.ID) != id {
			t.Errorf("id %s came back as %s", id, m.ID)
		}
	}
	w.end()
}

// TestADuplicateIDInFlightIsInvalid: while 5 runs, another 5 would make its
// cancellation ambiguous; it is refused.
func TestADuplicateIDInFlightIsInvalid(t *testing.T) {
	g := newGate()
	w := startWire(t, g, stdio.Options{})
	w.handshake()
	w.send(callBlock(`5`, "first"))
	await(t, g.ch(g.started, "first"), "the first handler starting")
	w.send(`{"jsonrpc":"2.0","id":5,"method":"ping"}`)
	if m := w.next(); errorCode(m) != -32600 || rawID(m) != "5" {
		t.Fatalf("a second 5 while 5 runs answered %v, want -32600", m)
	}
	close(g.ch(g.release, "first"))
	if m := w.until("5"); m["result"] == nil {
		t.Fatalf("the first 5: %v", m)
	}
	w.end()
}

// TestBusyAnswerHasAnApplicationCode: beyond MaxInFlight a request is
// answered at once with a code outside the JSON-RPC reserved range and a
// retry hint.
func TestBusyAnswerHasAnApplicationCode(t *testing.T) {
	g := newGate()
	w := startWire(t, g, stdio.Options{MaxInFlight: 1})
	w.handshake()
	w.send(callBlock(`"long"`, "long"))
	await(t, g.ch(g.started, "long"), "the first handler starting")
	w.send(`{"jsonrpc":"2.0","id":"more","method":"ping"}`)
	m := w.next()
	e, _ := m["error"].(map[string]any)
	data, _ := e["data"].(map[string]any)
	retry, _ := data["retryAfterMs"].(json.Number)
	if ms, err := retry.Int64(); rawID(m) != `"more"` || errorCode(m) != jsonrpc.CodeServerBusy || err != nil || ms <= 0 {
		t.Fatalf("busy answer %v", m)
	}
	if code := errorCode(m); code >= -32768 && code <= -32000 {
		t.Fatalf("busy code %d is in the JSON-RPC reserved range", code)
	}
	close(g.ch(g.release, "long"))
	w.until(`"long"`)
	w.end()
}

// TestPanicIsAnInternalError: a handler that panics is answered -32603 and the server keeps serving.
func TestPanicIsAnInternalError(t *testing.T) {
	w := startWire(t, newGate(), stdio.Options{})
	w.handshake()
	w.send(`{"jsonrpc":"2.0","id":"p","method":"tools/call","params":{"name":"panic","arguments":{}}}`)
	if m := w.until(`"p"`); errorCode(m) != -32603 {
		t.Fatalf("panicking tool answered %v", m)
	}
	w.send(`{"jsonrpc":"2.0","id":"after","method":"ping"}`)
	w.until(`"after"`)
	w.end()
}

// TestUnencodableNotificationIsLoggedAndDropped: a notification that cannot
// be encoded never becomes an error response; it is logged and dropped.
func TestUnencodableNotificationIsLoggedAndDropped(t *testing.T) {
	g := newGate()
	g.AddTool(mcp.NewTool("nan"), func(ctx context.Context, _ mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		if err := g.SendNotificationToClient(ctx, "notifications/message", map[string]any{"level": "error", "data": math.NaN()}); err != nil {
			return nil, err
		}
		return mcp.NewToolResultText("sent"), nil
	})
	var logs syncBuffer
	w := startWire(t, g, stdio.Options{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	w.handshake()
	w.send(`{"jsonrpc":"2.0","id":"n","method":"tools/call","params":{"name":"nan","arguments":{}}}`)
	w.until(`"n"`)
	for _, m := range w.end() {
		if m["error"] != nil {
			t.Fatalf("a notification that could not be encoded became %v", m)
		}
	}
	if !strings.Contains(logs.String(), "notification") {
		t.Fatalf("nothing logged about the dropped notification: %q", logs.String())
	}
}

// syncBuffer is a bytes.Buffer safe for a logger and a test to share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
