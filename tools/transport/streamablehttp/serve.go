package streamablehttp

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"
)

// Defaults of ServeOptions.
const (
	DefaultReadHeaderTimeout = 10 * time.Second
	DefaultIdleTimeout       = 2 * time.Minute
	DefaultMaxHeaderBytes    = 64 << 10
	DefaultShutdownGrace     = 8 * time.Second
)

// ServeOptions bounds the HTTP server Serve runs. Zero values pick the defaults.
type ServeOptions struct {
	// ReadHeaderTimeout bounds reading a request's headers (default 10 s),
	// including a new connection's first request: a connection that sends
	// nothing is closed then.
	ReadHeaderTimeout time.Duration
	// IdleTimeout closes a kept-alive connection idle that long (default 2 min).
	IdleTimeout time.Duration
	// MaxHeaderBytes bounds the request headers (default 64 KiB).
	MaxHeaderBytes int
	// ShutdownGrace bounds shutdown, from ctx ending to Serve returning
	// (default 8 s). Connections still open then are closed.
	ShutdownGrace time.Duration
	// Drain is called once when shutdown begins, after the listener stops
	// accepting: it should make the requests in flight answer early (the
	// command ends their waits with the current state).
	Drain func()
	// Logger receives the server's own problems; nil discards them.
	Logger *slog.Logger
}

// Serve serves h on ln until ctx ends, then shuts down within
// ShutdownGrace: /readyz turns 503, the listener closes, Drain runs, and
// the requests in flight get to write their answers; connections still
// open at the end of the grace are closed.
func Serve(ctx context.Context, ln net.Listener, h *Handler, opts ServeOptions) error {
	if opts.ReadHeaderTimeout <= 0 {
		opts.ReadHeaderTimeout = DefaultReadHeaderTimeout
	}
	if opts.IdleTimeout <= 0 {
		opts.IdleTimeout = DefaultIdleTimeout
	}
	if opts.MaxHeaderBytes <= 0 {
		opts.MaxHeaderBytes = DefaultMaxHeaderBytes
	}
	if opts.ShutdownGrace <= 0 {
		opts.ShutdownGrace = DefaultShutdownGrace
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	// No ReadTimeout or WriteTimeout: answers stream for as long as a wait
	// lasts. The handler bounds reading each body and each write instead.
	hs := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: opts.ReadHeaderTimeout,
		IdleTimeout:       opts.IdleTimeout,
		MaxHeaderBytes:    opts.MaxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(opts.Logger.Handler(), slog.LevelDebug),
	}
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	select {
	case err := <-served:
		return fmt.Errorf("streamablehttp: %w", err)
	case <-ctx.Done():
	}
	began := time.Now()
	h.SetDraining()
	grace, cancel := context.WithTimeout(context.WithoutCancel(ctx), opts.ShutdownGrace)
	defer cancel()
	shutdown := make(chan error, 1)
	go func() { shutdown <- hs.Shutdown(grace) }() // closes the listener and idle connections, then waits
	if opts.Drain != nil {
		opts.Drain()
	}
	err := <-shutdown
	if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
		opts.Logger.Warn("HTTP server stopped with an error", "error", err)
	}
	if err != nil {
		inFlight := h.InFlight()
		_ = hs.Close()
		return fmt.Errorf("streamablehttp: %d requests still in flight %s after shutdown began; their connections were closed", inFlight, time.Since(began).Round(time.Millisecond))
	}
	return nil
}
