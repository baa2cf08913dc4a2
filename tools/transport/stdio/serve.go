// Package stdio serves an MCP server over a stdio pair of streams.
//
// It exists because mcp-go's own stdio transport writes notifications from
// one goroutine and responses from another, so a request's last progress
// notification can reach the client after its response. Here one writer
// owns stdout and, before writing a response, writes every notification
// queued so far; a handler's notifications are queued before it returns,
// so they always precede its response on the wire.
package stdio

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	"github.com/bctrlhq/bctrl-mcp/tools/transport/jsonrpc"
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

// Serve reads JSON-RPC lines from in and writes responses and notifications
// to out until in ends or ctx is done. In-flight requests are cancelled
// then, and Serve returns once their handlers have finished.
func Serve(ctx context.Context, s jsonrpc.Server, in io.Reader, out io.Writer, opts Options) error {
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
		return fmt.Errorf("stdio: register session: %w", err)
	}
	defer s.UnregisterSession(ctx, sess.SessionID())

	c := &conn{
		srv: s, sess: sess, opts: opts,
		responses: make(chan []byte, 64), slots: make(chan struct{}, opts.MaxInFlight),
		cancelled: jsonrpc.NewCancelled(), writerDone: make(chan struct{}),
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
