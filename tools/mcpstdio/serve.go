// Package mcpstdio serves an mcp-go server over a stdio pair of streams.
//
// It exists because mcp-go's own stdio transport writes notifications from
// one goroutine and responses from another, so a request's last progress
// notification can reach the client after its response. Here one writer
// owns stdout and, before writing a response, writes every notification
// queued so far; a handler's notifications are queued before it returns,
// so they always precede its response on the wire.
package mcpstdio

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// Options tunes Serve.
type Options struct {
	// MaxInFlight bounds concurrent requests; more are answered "server busy" (default 256).
	MaxInFlight int
	// MaxLineBytes bounds one input line; a longer one is answered with a parse error (default 8 MiB).
	MaxLineBytes int
	// Logger receives transport problems; nil discards them.
	Logger *slog.Logger
}

// JSON-RPC error codes used by the transport itself.
const (
	codeParseError     = -32700
	codeInvalidRequest = -32600
	codeInternalError  = -32603
	codeServerBusy     = -32000
)

// Server is what Serve drives: it handles one JSON-RPC message at a time
// for registered sessions. *server.MCPServer implements it, and so do the
// layers that wrap one (tools/tasks).
type Server interface {
	RegisterSession(ctx context.Context, s server.ClientSession) error
	UnregisterSession(ctx context.Context, sessionID string)
	WithContext(ctx context.Context, s server.ClientSession) context.Context
	HandleMessage(ctx context.Context, message json.RawMessage) mcp.JSONRPCMessage
}

// Serve reads JSON-RPC lines from in and writes responses and notifications
// to out until in ends or ctx is done. In-flight requests are cancelled
// then, and Serve returns once their handlers have finished.
func Serve(ctx context.Context, s Server, in io.Reader, out io.Writer, opts Options) error {
	if opts.MaxInFlight <= 0 {
		opts.MaxInFlight = 256
	}
	if opts.MaxLineBytes <= 0 {
		opts.MaxLineBytes = 8 << 20
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	sess := newSession()
	if err := s.RegisterSession(ctx, sess); err != nil {
		return fmt.Errorf("mcpstdio: register session: %w", err)
	}
	defer s.UnregisterSession(ctx, sess.SessionID())

	c := &conn{
		srv: s, sess: sess, opts: opts,
		responses: make(chan []byte, 64), slots: make(chan struct{}, opts.MaxInFlight),
		cancelled: map[string]bool{}, writerDone: make(chan struct{}),
	}
	reqCtx, cancelAll := context.WithCancel(s.WithContext(ctx, sess))
	defer cancelAll()
	writeErr := make(chan error, 1)
	go func() { writeErr <- c.writeLoop(out, cancelAll) }()

	readErr := c.readLoop(reqCtx, in)
	cancelAll()
	c.handlers.Wait()
	close(c.writerDone)
	err := <-writeErr
	if readErr != nil {
		return readErr
	}
	return err
}

// conn is one served connection.
type conn struct {
	srv       Server
	sess      *session
	opts      Options
	responses chan []byte
	slots     chan struct{}
	handlers  sync.WaitGroup

	mu         sync.Mutex
	cancelled  map[string]bool // request ids the client cancelled: their responses are dropped
	writerDone chan struct{}
}

// envelope is the part of a JSON-RPC message the transport routes on.
type envelope struct {
	ID     json.RawMessage `json:"id"`
	Method string          `json:"method"`
	Result json.RawMessage `json:"result"`
	Error  json.RawMessage `json:"error"`
	Params struct {
		RequestID json.RawMessage `json:"requestId"`
	} `json:"params"`
}

func (c *conn) readLoop(ctx context.Context, in io.Reader) error {
	r := bufio.NewReaderSize(in, 64<<10)
	lines := make(chan []byte)
	errs := make(chan error, 1)
	go func() {
		for {
			line, err := readLine(r, c.opts.MaxLineBytes)
			if err != nil && !errors.Is(err, errLineTooLong) {
				errs <- err
				return
			}
			if errors.Is(err, errLineTooLong) {
				line = nil // answered as a parse error below
			}
			select {
			case lines <- line:
			case <-ctx.Done():
				return
			}
		}
	}()
	for {
		select {
		case <-ctx.Done():
			return nil
		case err := <-errs:
			if errors.Is(err, io.EOF) {
				return nil
			}
			return fmt.Errorf("mcpstdio: read: %w", err)
		case line := <-lines:
			c.dispatch(ctx, line)
		}
	}
}

// dispatch routes one line: requests to a handler goroutine, notifications inline.
func (c *conn) dispatch(ctx context.Context, line []byte) {
	if line != nil && len(bytes.TrimSpace(line)) == 0 {
		return
	}
	var env envelope
	if line == nil || json.Unmarshal(line, &env) != nil {
		c.reply(errorResponse(nil, codeParseError, "Parse error"))
		return
	}
	hasID := len(env.ID) > 0 && string(env.ID) != "null"
	switch {
	case hasID && env.Method != "":
		c.serveRequest(ctx, env.ID, line)
	case hasID && env.Result == nil && env.Error == nil:
		c.reply(errorResponse(env.ID, codeInvalidRequest, "Invalid request: no method"))
	case hasID:
		// A response to a server-initiated request; this server sends none.
	case env.Method != "":
		if env.Method == string(mcp.MethodNotificationCancelled) {
			c.markCancelled(env.Params.RequestID)
		}
		c.handle(ctx, nil, line)
	default:
		c.reply(errorResponse(nil, codeInvalidRequest, "Invalid request"))
	}
}

func (c *conn) serveRequest(ctx context.Context, id json.RawMessage, line []byte) {
	select {
	case c.slots <- struct{}{}:
	default:
		c.reply(errorResponse(id, codeServerBusy, fmt.Sprintf("server busy: %d requests in flight", c.opts.MaxInFlight)))
		return
	}
	c.handlers.Go(func() {
		defer func() { <-c.slots }()
		resp := c.handle(ctx, id, line)
		if resp == nil || c.wasCancelled(id) {
			return // the spec asks not to answer a cancelled request
		}
		c.reply(resp)
	})
}

// handle runs one message through the server, turning a panic into an error response.
func (c *conn) handle(ctx context.Context, id json.RawMessage, line []byte) (out []byte) {
	defer func() {
		if r := recover(); r != nil {
			c.opts.Logger.Error("handler panicked", "panic", r)
			if id != nil {
				out = errorResponse(id, codeInternalError, "internal error")
			}
		}
	}()
	resp := c.srv.HandleMessage(ctx, line)
	if resp == nil {
		return nil
	}
	raw, err := json.Marshal(resp)
	if err != nil {
		c.opts.Logger.Error("encode response", "error", err)
		return errorResponse(id, codeInternalError, "internal error: could not encode the response")
	}
	return raw
}

func (c *conn) reply(msg []byte) {
	select {
	case c.responses <- msg:
	case <-c.writerDone:
	}
}

func (c *conn) markCancelled(id json.RawMessage) {
	if len(id) == 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.cancelled[normalizeID(id)] = true
}

func (c *conn) wasCancelled(id json.RawMessage) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	key := normalizeID(id)
	was := c.cancelled[key]
	delete(c.cancelled, key)
	return was
}

// normalizeID makes 7 and 7.0 (or spaced JSON) the same key.
func normalizeID(id json.RawMessage) string {
	var v any
	if json.Unmarshal(id, &v) != nil {
		return string(id)
	}
	raw, _ := json.Marshal(v)
	return string(raw)
}

// writeLoop is the only writer of out. Before each response it writes the
// notifications already queued, which include all of that request's.
func (c *conn) writeLoop(out io.Writer, abort context.CancelFunc) error {
	w := bufio.NewWriter(out)
	var failed error
	write := func(msg []byte) {
		if failed != nil {
			return
		}
		if _, err := w.Write(append(msg, '\n')); err != nil {
			failed = err
		} else if err := w.Flush(); err != nil {
			failed = err
		}
		if failed != nil {
			abort() // the client is gone: stop serving
		}
	}
	drain := func() {
		for {
			select {
			case n := <-c.sess.notifications:
				write(mustJSON(n))
			default:
				return
			}
		}
	}
	for {
		select {
		case n := <-c.sess.notifications:
			write(mustJSON(n))
		case resp := <-c.responses:
			drain()
			write(resp)
		case <-c.writerDone:
			for {
				select {
				case resp := <-c.responses:
					drain()
					write(resp)
				default:
					drain()
					return failed
				}
			}
		}
	}
}

func mustJSON(v any) []byte {
	raw, err := json.Marshal(v)
	if err != nil {
		return errorResponse(nil, codeInternalError, "internal error: could not encode a notification")
	}
	return raw
}

func errorResponse(id json.RawMessage, code int, message string) []byte {
	if id == nil {
		id = json.RawMessage("null")
	}
	raw, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": id, "error": map[string]any{"code": code, "message": message}})
	return raw
}

var errLineTooLong = errors.New("line too long")

// readLine reads one newline-terminated line of at most max bytes; a longer
// line is consumed and reported as errLineTooLong.
func readLine(r *bufio.Reader, max int) ([]byte, error) {
	var line []byte
	tooLong := false
	for {
		chunk, err := r.ReadSlice('\n')
		if !tooLong {
			if len(line)+len(chunk) > max {
				tooLong, line = true, nil
			} else {
				line = append(line, chunk...)
			}
		}
		switch {
		case err == nil:
			if tooLong {
				return nil, errLineTooLong
			}
			return line, nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF) && len(line) > 0 && !tooLong:
			return line, nil // a last line without a newline still counts
		default:
			return nil, err
		}
	}
}
