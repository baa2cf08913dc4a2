package streamablehttp

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// testTools is a bare mcp-go server (the transport knows nothing of bctrl)
// with tools that exercise it, and hooks tests use to follow them.
type testTools struct {
	*server.MCPServer
	started chan string        // "block" sends its id's marker when it runs
	stopped chan string        // "block" sends its marker once its context ended
	late    chan chan struct{} // "late" hands over a gate; closing it sends a notification
	drain   chan struct{}      // closing it ends "drainable" calls with an answer
	mu      sync.Mutex
	creds   []string // credentials "whoami" saw
}

type credentialKey struct{}

func newTestTools() *testTools {
	tt := &testTools{started: make(chan string, 64), stopped: make(chan string, 64), late: make(chan chan struct{}, 8), drain: make(chan struct{})}
	s := server.NewMCPServer("test", "1", server.WithToolCapabilities(false), server.WithLogging())
	// progress sends n progress notifications, half of them from another
	// goroutine (as mcp-go's users do), and answers once all are queued.
	s.AddTool(mcp.NewTool("progress", mcp.WithNumber("n")), func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		n := int(req.GetFloat("n", 10))
		token := req.Params.Meta.ProgressToken
		send := func(i int) {
			_ = server.ServerFromContext(ctx).SendNotificationToClient(ctx, "notifications/progress", map[string]any{"progressToken": token, "progress": i, "total": n})
		}
		var wg sync.WaitGroup
		for i := 1; i <= n; i++ {
			if i%2 == 0 {
				wg.Wait()
				wg.Go(func() { send(i) })
				continue
			}
			wg.Wait()
			send(i)
		}
		wg.Wait()
		return mcp.NewToolResultText(fmt.Sprintf("sent %d", n)), nil
	})
	// block runs until its request's context ends.
	s.AddTool(mcp.NewTool("block", mcp.WithString("marker")), func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		marker := req.GetString("marker", "")
		tt.started <- marker
		<-ctx.Done()
		tt.stopped <- marker
		return nil, ctx.Err()
	})
	// drainable runs until the drain channel closes, then answers.
	s.AddTool(mcp.NewTool("drainable"), func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		tt.started <- "drainable"
		select {
		case <-tt.drain:
			return mcp.NewToolResultText("drained"), nil
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	})
	// late answers at once, leaving a goroutine that sends a notification
	// for its request when the test opens the gate: after the answer.
	s.AddTool(mcp.NewTool("late"), func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		gate := make(chan struct{})
		tt.late <- gate
		srv := server.ServerFromContext(ctx)
		token := req.Params.Meta.ProgressToken
		go func() {
			<-gate
			_ = srv.SendNotificationToClient(ctx, "notifications/progress", map[string]any{"progressToken": token, "progress": 99})
		}()
		return mcp.NewToolResultText("answered"), nil
	})
	// whoami answers with the credential on its context.
	s.AddTool(mcp.NewTool("whoami"), func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		cred, _ := ctx.Value(credentialKey{}).(string)
		tt.mu.Lock()
		tt.creds = append(tt.creds, cred)
		tt.mu.Unlock()
		return mcp.NewToolResultText("ok"), nil
	})
	tt.MCPServer = s
	return tt
}

// serve starts the handler on a loopback httptest server.
func serve(t *testing.T, srv *testTools, opts Options) *httptest.Server {
	t.Helper()
	if opts.Auth.Mode == AuthPassthrough && opts.Auth.WithCredential == nil {
		opts.Auth.WithCredential = func(ctx context.Context, c string) context.Context { return context.WithValue(ctx, credentialKey{}, c) }
	}
	h, err := New(srv, opts)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	return ts
}

// message is one JSON-RPC message read from a response.
type message struct {
	ID     json.RawMessage `json:"id"`
	Method string          `json:"method"`
	Params map[string]any  `json:"params"`
	Result map[string]any  `json:"result"`
	Error  *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
		Data    any    `json:"data"`
	} `json:"error"`
}

// reply is a response as the client saw it.
type reply struct {
	status   int
	header   http.Header
	messages []message // in wire order: SSE events, or the one JSON body
	sse      bool
	raw      string
}

func (r reply) last() message {
	if len(r.messages) == 0 {
		return message{}
	}
	return r.messages[len(r.messages)-1]
}

// post sends body with the usual MCP headers plus extra, and reads the whole response.
func post(t *testing.T, url string, body string, extra map[string]string) reply {
	t.Helper()
	return do(t, http.MethodPost, url, body, extra)
}

func do(t *testing.T, method, url, body string, extra map[string]string) reply {
	t.Helper()
	r, err := try(t.Context(), method, url, body, extra)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// try is do without failing the test, for goroutines; err is set when no
// whole response was read (the connection failed).
func try(ctx context.Context, method, url, body string, extra map[string]string) (reply, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, url, strings.NewReader(body))
	if err != nil {
		return reply{}, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	for k, v := range extra {
		if v == "" {
			req.Header.Del(k)
			continue
		}
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return reply{}, fmt.Errorf("%s %s: %w", method, url, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return reply{status: resp.StatusCode}, fmt.Errorf("read the response: %w", err)
	}
	return parseReply(resp, raw)
}

func parseReply(resp *http.Response, raw []byte) (reply, error) {
	r := reply{status: resp.StatusCode, header: resp.Header, raw: string(raw)}
	var err error
	switch {
	case strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream"):
		r.sse = true
		r.messages, err = parseSSE(raw)
	case len(bytes.TrimSpace(raw)) > 0 && strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json"):
		var m message
		if err = json.Unmarshal(raw, &m); err != nil {
			err = fmt.Errorf("JSON answer %q: %w", raw, err)
		}
		r.messages = []message{m}
	}
	return r, err
}

func parseSSE(raw []byte) ([]message, error) {
	var out []message
	sc := bufio.NewScanner(bytes.NewReader(raw))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		data, ok := strings.CutPrefix(sc.Text(), "data: ")
		if !ok {
			continue
		}
		var m message
		if err := json.Unmarshal([]byte(data), &m); err != nil {
			return out, fmt.Errorf("SSE data %q: %w", data, err)
		}
		out = append(out, m)
	}
	return out, nil
}

// modern is the _meta and headers of a 2026-07-28 request.
const modernMeta = `"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}`

func modernHeaders(method, name string) map[string]string {
	h := map[string]string{"MCP-Protocol-Version": "2026-07-28", "Mcp-Method": method}
	if name != "" {
		h["Mcp-Name"] = name
	}
	return h
}

// callBody is a tools/call of tool with args, a progress token, and modern _meta when modern.
func callBody(id any, tool, args string, modern bool) string {
	meta := fmt.Sprintf(`"_meta":{"progressToken":%q}`, fmt.Sprint(id))
	if modern {
		meta = fmt.Sprintf(`"_meta":{"progressToken":%q,"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}`, fmt.Sprint(id))
	}
	rawID, _ := json.Marshal(id)
	return fmt.Sprintf(`{"jsonrpc":"2.0","id":%s,"method":"tools/call","params":{"name":%q,"arguments":%s,%s}}`, rawID, tool, args, meta)
}

// waitFor receives from c within a bound, failing with what did not happen.
func waitFor[T any](t *testing.T, c <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-c:
		return v
	case <-time.After(20 * time.Second):
		t.Fatalf("%s did not happen within 20 s", what)
		var zero T
		return zero
	}
}

// logBuffer collects log output safely across goroutines.
type logBuffer struct {
	mu      sync.Mutex
	b       bytes.Buffer
	written chan struct{} // closed and replaced on every write
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.written != nil {
		close(l.written)
	}
	l.written = make(chan struct{})
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// waitFor waits until the log contains text, failing after a bound.
func (l *logBuffer) waitFor(t *testing.T, text string) {
	t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		l.mu.Lock()
		found := strings.Contains(l.b.String(), text)
		if l.written == nil {
			l.written = make(chan struct{})
		}
		written := l.written
		l.mu.Unlock()
		if found {
			return
		}
		select {
		case <-written:
		case <-deadline:
			t.Fatalf("the log did not show %s within 20 s: %s", text, l.String())
		}
	}
}

func (l *logBuffer) logger() *slog.Logger {
	return slog.New(slog.NewJSONHandler(l, &slog.HandlerOptions{Level: slog.LevelDebug}))
}
