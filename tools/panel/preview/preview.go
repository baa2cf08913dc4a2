// Package preview serves `bctrl-mcp preview`: a page on loopback that hosts
// the invocation panel the way an MCP Apps host does (a sandboxed iframe and
// a small postMessage bridge), relaying the panel's calls to a real
// bctrl-mcp server (cmd builds it, on the built-in simulator, as serve
// builds its own). A person can start invocations from a form and watch the
// panel follow them, without an MCP client; the browser test drives the
// same page.
package preview

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/bctrlhq/bctrl-mcp/bctrl"
	"github.com/mark3labs/mcp-go/mcp"
)

// MessageHandler answers one JSON-RPC message: the MCP server the page's
// calls are relayed to (a *tasks.Server or an mcp-go server).
type MessageHandler interface {
	HandleMessage(ctx context.Context, message json.RawMessage) mcp.JSONRPCMessage
}

// Options configures Serve.
type Options struct {
	// Addr is the listen address; its host must be loopback (port 0 picks a free port).
	Addr string
	// Server answers the messages the page relays; required.
	Server MessageHandler
	// Speed is how much faster than wall time the server's simulator runs,
	// for the page's address line (default 1).
	Speed float64
	// Log receives the page's address and problems (stderr); nil discards them.
	Log io.Writer
}

// shutdownGrace bounds how long Serve waits for open requests once ctx ends.
const shutdownGrace = 2 * time.Second

// Serve serves the preview page until ctx is done, then shuts down within
// shutdownGrace and returns nil. It fails at once if Addr is not loopback
// or cannot be bound.
func Serve(ctx context.Context, opts Options) error {
	if opts.Log == nil {
		opts.Log = io.Discard
	}
	if opts.Speed <= 0 {
		opts.Speed = 1
	}
	if opts.Server == nil {
		return errors.New("preview: no MCP server to relay to")
	}
	if err := CheckAddr(opts.Addr); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", opts.Addr)
	if err != nil {
		return fmt.Errorf("preview: %w", err)
	}

	// Every request's context ends with the preview, so long waits stop promptly.
	base, cancelBase := context.WithCancel(context.Background())
	defer cancelBase()
	hs := &http.Server{
		Handler:           newHandler(opts.Server, ln.Addr().String()),
		ReadHeaderTimeout: 10 * time.Second,
		WriteTimeout:      2 * time.Minute, // a tool call waits at most 50 s
		IdleTimeout:       time.Minute,
		BaseContext:       func(net.Listener) context.Context { return base },
	}
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	fmt.Fprintf(opts.Log, "bctrl-mcp preview: open http://%s/ in a browser (simulator speed x%g; Ctrl-C to stop)\n", ln.Addr(), opts.Speed)

	select {
	case err := <-served:
		return fmt.Errorf("preview: %w", err)
	case <-ctx.Done():
	}
	cancelBase()
	shutdown, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := hs.Shutdown(shutdown); err != nil {
		_ = hs.Close()
	}
	if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("preview: %w", err)
	}
	return nil
}

// CheckAddr refuses listen addresses other hosts could reach: the preview
// has no authentication.
func CheckAddr(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("preview: --addr %q: %v", addr, err)
	}
	if bctrl.IsLoopbackHost(host) {
		return nil
	}
	return fmt.Errorf("preview: --addr %q: the preview serves only loopback addresses (127.0.0.1, ::1, localhost)", addr)
}
