// Package preview serves `bctrl-mcp preview`: a page on loopback that hosts
// the invocation panel the way an MCP Apps host does (a sandboxed iframe and
// a small postMessage bridge), relaying the panel's calls to a real
// bctrl-mcp server that runs on the built-in simulator. A person can start
// invocations from a form and watch the panel follow them, without an MCP
// client; the browser test drives the same page.
package preview

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/bctrlhq/bctrl-mcp/bctrl"
	"github.com/bctrlhq/bctrl-mcp/bctrl/bctrlsim"
	"github.com/bctrlhq/bctrl-mcp/tools"
	"github.com/mark3labs/mcp-go/server"
)

// Options configures Serve.
type Options struct {
	// Addr is the listen address; its host must be loopback (port 0 picks a free port).
	Addr string
	// Speed is how much faster than wall time the simulator runs (default 1).
	Speed float64
	// Version is the server version the MCP server reports.
	Version string
	// Log receives the page's address and problems (stderr); nil discards them.
	Log io.Writer
}

// Placement the simulator accepts; any uuids would do.
const (
	simSpaceID   = bctrlsim.SeedSpaceID
	simRuntimeID = bctrlsim.SeedRuntimeID
	simAPIKey    = "bctrl_simulated_key"
)

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
	if err := CheckAddr(opts.Addr); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", opts.Addr)
	if err != nil {
		return fmt.Errorf("preview: %w", err)
	}
	srv, stopSim, err := simulatedServer(opts)
	if err != nil {
		_ = ln.Close()
		return err
	}
	defer stopSim()

	// Every request's context ends with the preview, so long waits stop promptly.
	base, cancelBase := context.WithCancel(context.Background())
	defer cancelBase()
	hs := &http.Server{
		Handler:           newHandler(srv, ln.Addr().String()),
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
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("preview: --addr %q: the preview serves only loopback addresses (127.0.0.1, ::1, localhost)", addr)
}

// simulatedServer builds the MCP server on a simulator served on a loopback port.
func simulatedServer(opts Options) (*server.MCPServer, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, nil, fmt.Errorf("preview: start simulator: %w", err)
	}
	sim := bctrlsim.New(bctrlsim.Options{APIKey: simAPIKey, Clock: &bctrlsim.RealClock{Speed: opts.Speed}})
	hs := &http.Server{Handler: sim, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = hs.Serve(ln) }()
	stop := func() { _ = hs.Close() }
	api, err := bctrl.NewClient(bctrl.WithBaseURL("http://"+ln.Addr().String()), bctrl.WithAPIKey(simAPIKey))
	if err != nil {
		stop()
		return nil, nil, err
	}
	srv, err := tools.NewServer("bctrl-mcp", opts.Version, tools.Deps{
		API: api, DefaultSpaceID: simSpaceID, DefaultRuntimeID: simRuntimeID,
		// Refresh once per simulated step so every step can be seen.
		Follow: bctrl.FollowOptions{Slice: bctrlsim.FollowSlice(time.Second, opts.Speed)},
		Logger: slog.New(slog.NewTextHandler(opts.Log, &slog.HandlerOptions{Level: slog.LevelWarn})),
	})
	if err != nil {
		stop()
		return nil, nil, err
	}
	return srv, stop, nil
}
