package stdio_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sync"
	"testing"
	"time"

	"github.com/bctrlhq/bctrl-mcp/tools/transport/jsonrpc"
	"github.com/bctrlhq/bctrl-mcp/tools/transport/stdio"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// waitLimit bounds every wait of these tests; reaching it fails the test
// with a message naming what did not happen.
const waitLimit = 30 * time.Second

// wire is Serve running on real pipes, read one line at a time with a deadline.
type wire struct {
	t      *testing.T
	in     *io.PipeWriter
	lines  chan []byte
	served chan error
	seen   []map[string]any // every message read so far
}

func startWire(t *testing.T, s jsonrpc.Server, opts stdio.Options) *wire {
	t.Helper()
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	w := &wire{t: t, in: inW, lines: make(chan []byte), served: make(chan error, 1)}
	go func() {
		w.served <- stdio.Serve(t.Context(), s, inR, outW, opts)
		_ = outW.Close()
	}()
	go func() {
		defer close(w.lines)
		sc := bufio.NewScanner(outR)
		sc.Buffer(nil, 16<<20)
		for sc.Scan() {
			w.lines <- bytes.Clone(sc.Bytes())
		}
	}()
	return w
}

func (w *wire) send(line string) {
	w.t.Helper()
	if _, err := io.WriteString(w.in, line+"\n"); err != nil {
		w.t.Fatal(err)
	}
}

// nextLine is the next line the server wrote.
func (w *wire) nextLine() []byte {
	w.t.Helper()
	select {
	case line, ok := <-w.lines:
		if !ok {
			w.t.Fatal("output ended early")
		}
		if m, err := decode(line); err == nil {
			w.seen = append(w.seen, m)
		}
		return line
	case <-time.After(waitLimit):
		w.t.Fatalf("no output line within %v", waitLimit)
		return nil
	}
}

// next is the next line, which must be a JSON-RPC message; numbers stay json.Number.
func (w *wire) next() map[string]any {
	w.t.Helper()
	line := w.nextLine()
	m, err := decode(line)
	if err != nil || m["jsonrpc"] != "2.0" {
		w.t.Fatalf("not JSON-RPC on stdout: %q", line)
	}
	return m
}

// until reads up to the message whose raw id is id (as JSON text) and returns it.
func (w *wire) until(id string) map[string]any {
	w.t.Helper()
	for {
		if m := w.next(); rawID(m) == id {
			return m
		}
	}
}

// end closes the input and, once Serve has returned, returns every message
// it wrote, including those read before.
func (w *wire) end() []map[string]any {
	w.t.Helper()
	_ = w.in.Close()
	for {
		select {
		case line, ok := <-w.lines:
			if !ok {
				select {
				case err := <-w.served:
					if err != nil {
						w.t.Fatalf("Serve: %v", err)
					}
					return w.seen
				case <-time.After(waitLimit):
					w.t.Fatalf("Serve did not return within %v of its output closing", waitLimit)
				}
			}
			m, err := decode(line)
			if err != nil {
				w.t.Fatalf("not JSON on stdout: %q", line)
			}
			w.seen = append(w.seen, m)
		case <-time.After(waitLimit):
			w.t.Fatalf("output did not end within %v of the input closing", waitLimit)
		}
	}
}

func (w *wire) handshake() {
	w.t.Helper()
	w.send(`{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"pipe","version":"1"}}}`)
	w.until("0")
	w.send(`{"jsonrpc":"2.0","method":"notifications/initialized"}`)
}

func decode(line []byte) (map[string]any, error) {
	d := json.NewDecoder(bytes.NewReader(line))
	d.UseNumber()
	var m map[string]any
	return m, d.Decode(&m)
}

// rawID is a message's id as JSON text: 7 and "7" differ.
func rawID(m map[string]any) string {
	raw, _ := json.Marshal(m["id"])
	return string(raw)
}

// errorCode is the error code of a response, or 0.
func errorCode(m map[string]any) int64 {
	e, _ := m["error"].(map[string]any)
	n, _ := e["code"].(json.Number)
	code, _ := n.Int64()
	return code
}

// gate is a tool server whose "block" tool waits, per key, until the test
// releases it or its context is cancelled, and reports both.
type gate struct {
	*server.MCPServer
	mu                          sync.Mutex
	started, cancelled, release map[string]chan struct{}
}

func newGate() *gate {
	g := &gate{MCPServer: server.NewMCPServer("gate", "1", server.WithToolCapabilities(false), server.WithLogging()),
		started: map[string]chan struct{}{}, cancelled: map[string]chan struct{}{}, release: map[string]chan struct{}{}}
	g.AddTool(mcp.NewTool("block", mcp.WithString("key")), func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		key := req.GetString("key", "")
		close(g.ch(g.started, key))
		select {
		case <-ctx.Done():
			close(g.ch(g.cancelled, key))
			return nil, ctx.Err()
		case <-g.ch(g.release, key):
			return mcp.NewToolResultText("released " + key), nil
		}
	})
	g.AddTool(mcp.NewTool("panic"), func(context.Context, mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		panic("tool bug")
	})
	return g
}

func (g *gate) ch(m map[string]chan struct{}, key string) chan struct{} {
	g.mu.Lock()
	defer g.mu.Unlock()
	if m[key] == nil {
		m[key] = make(chan struct{})
	}
	return m[key]
}

// callBlock is a tools/call line of the block tool with the given raw id.
func callBlock(id, key string) string {
	return fmt.Sprintf(`{"jsonrpc":"2.0","id":%s,"method":"tools/call","params":{"name":"block","arguments":{"key":%q}}}`, id, key)
}

// await fails the test unless ch closes within waitLimit.
func await(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(waitLimit):
		t.Fatalf("%s did not happen within %v", what, waitLimit)
	}
}

// cancelLine is a notifications/cancelled for the raw id.
func cancelLine(id string) string {
	return fmt.Sprintf(`{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":%s,"reason":"test"}}`, id)
}
