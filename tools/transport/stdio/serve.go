// Package stdio serves an MCP server over a stdio pair of streams.
//
// It exists because mcp-go's own stdio transport writes notifications from
// one goroutine and responses from another, so a request's last progress
// notification can reach the client after its response. Here one writer
// owns stdout and, before writing a response, writes every notification
// queued so far; a handler's notifications are queued before it returns,
// so they always precede its response on the wire.
//
// Shutdown is bounded whatever the client does. When input ends or ctx is
// done, in-flight requests are cancelled, and their handlers and the
// writer get Options.ShutdownGrace to finish; a client that stopped reading
// stdout cannot hold the process past it. While stdout stays blocked and
// every request slot waits on it, stdin is not read (that is the
// backpressure), so stdin EOF is noticed only once output moves again; a
// cancelled ctx (a signal, in the command) always ends Serve.
//
// The JSON-RPC rules (batches, ids, cancellation, error codes) are
// package jsonrpc's. On one ordered stream a cancellation cannot overtake
// its request, so one for an id not in flight is late and is dropped
// rather than remembered.
package stdio

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/bctrlhq/bctrl-mcp/tools/transport/jsonrpc"
)

// Options tunes Serve.
type Options struct {
	// MaxInFlight bounds concurrent requests; more are answered at once with
	// jsonrpc.CodeServerBusy (default 256).
	MaxInFlight int
	// MaxLineBytes bounds one input line; a longer one is answered with a parse error (default 8 MiB).
	MaxLineBytes int
	// ShutdownGrace bounds shutdown: how long, once input ends or ctx is
	// done, in-flight handlers and the writer get to finish (default 2 s).
	ShutdownGrace time.Duration
	// Logger receives transport problems; nil discards them.
	Logger *slog.Logger
}

// ErrStdoutBlocked is returned (wrapped) when output was still blocked at
// the end of the shutdown grace: the client stopped reading. The writer is
// abandoned in its write, which ends when out unblocks or fails, or with
// the process.
var ErrStdoutBlocked = errors.New("stdout blocked: the client stopped reading")

// Serve reads JSON-RPC lines from in and writes responses and notifications
// to out until in ends or ctx is done. In-flight requests are cancelled
// then, and Serve returns once their handlers have finished and their
// answers are written, or when Options.ShutdownGrace has passed.
func Serve(ctx context.Context, s jsonrpc.Server, in io.Reader, out io.Writer, opts Options) error {
	if opts.MaxInFlight <= 0 {
		opts.MaxInFlight = 256
	}
	if opts.MaxLineBytes <= 0 {
		opts.MaxLineBytes = 8 << 20
	}
	if opts.ShutdownGrace <= 0 {
		opts.ShutdownGrace = 2 * time.Second
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	sess := newSession()
	if err := s.RegisterSession(ctx, sess); err != nil {
		return fmt.Errorf("stdio: register session: %w", err)
	}
	defer s.UnregisterSession(ctx, sess.SessionID())

	c := &conn{
		srv: s, sess: sess, opts: opts,
		responses: make(chan []byte, 64), slots: make(chan struct{}, opts.MaxInFlight),
		requests: jsonrpc.NewRequests(), closing: make(chan struct{}), abandoned: make(chan struct{}),
	}
	reqCtx, cancelAll := context.WithCancel(s.WithContext(ctx, sess))
	defer cancelAll()
	writeErr := make(chan error, 1)
	go func() { writeErr <- c.writeLoop(out, cancelAll) }()

	readErr := c.readLoop(reqCtx, in)
	cancelAll()
	if err := c.shutdown(writeErr, opts.ShutdownGrace); err != nil {
		return err
	}
	return readErr
}

// shutdown waits, within grace, for the handlers to finish and the writer
// to write what they answered; past grace it abandons both.
func (c *conn) shutdown(writeErr <-chan error, grace time.Duration) error {
	deadline := time.NewTimer(grace)
	defer deadline.Stop()
	handlersDone := make(chan struct{})
	go func() {
		c.handlers.Wait()
		close(handlersDone)
	}()
	select {
	case <-handlersDone:
		close(c.closing)
		select {
		case err := <-writeErr:
			return err
		case <-deadline.C:
		}
	case <-deadline.C:
	}
	unwritten := int64(len(c.responses)+len(c.sess.notifications)) + c.waiting.Load()
	close(c.abandoned)
	if c.writing.Load() {
		return fmt.Errorf("stdio: %w; still blocked %v after shutdown began, %d messages not written", ErrStdoutBlocked, grace, unwritten)
	}
	return fmt.Errorf("stdio: request handlers still running %v after they were cancelled; %d messages not written", grace, unwritten)
}
