package main

import (
	"context"
	"log/slog"
	"net"
	"sync"
	"time"

	"github.com/bctrlhq/bctrl-mcp/tools/mcpserver"
	"github.com/bctrlhq/bctrl-mcp/tools/transport/streamablehttp"
)

// httpShutdownGrace is the shutdown grace of an HTTP server unless
// BCTRL_SHUTDOWN_GRACE says otherwise: drained waits answer at once, and a
// rolling update wants the process gone within 10 s.
const httpShutdownGrace = 8 * time.Second

// serveHTTP serves the MCP server over Streamable HTTP until ctx ends
// (SIGINT or SIGTERM), then drains: the listener closes, waits in flight
// answer at once with the invocation's current state, and the process
// exits within the shutdown grace.
func serveHTTP(ctx context.Context, cfg config, srvCfg mcpserver.Config, grace time.Duration, logger *slog.Logger) int {
	drain := make(chan struct{})
	srvCfg.Drain = drain
	layer, err := mcpserver.New(srvCfg)
	if err != nil {
		return configErrorTo(logger, err)
	}
	auth := streamablehttp.Auth{Mode: streamablehttp.AuthNone}
	switch cfg.http.auth {
	case authToken:
		auth = streamablehttp.Auth{Mode: streamablehttp.AuthToken, Token: cfg.http.token}
	case authPassthrough:
		auth = streamablehttp.Auth{Mode: streamablehttp.AuthPassthrough, WithCredential: mcpserver.WithAPIKey}
	}
	h, err := streamablehttp.New(layer, streamablehttp.Options{
		Auth: auth, AllowedOrigins: cfg.http.allowedOrigins,
		MaxBodyBytes: cfg.http.maxBody, MaxInFlightPerKey: cfg.http.maxInFlight, Logger: logger,
	})
	if err != nil {
		return configErrorTo(logger, err)
	}
	ln, err := net.Listen("tcp", cfg.http.addr)
	if err != nil {
		logger.Error("cannot listen", "addr", cfg.http.addr, "error", err)
		return 1
	}
	logger.Info("serving MCP over Streamable HTTP", "url", "http://"+ln.Addr().String()+streamablehttp.DefaultEndpoint,
		"auth", cfg.http.auth, "version", version(), "baseURL", srvCfg.BaseURL, "simulate", cfg.simulate, "readOnly", cfg.readOnly)
	err = streamablehttp.Serve(ctx, ln, h, streamablehttp.ServeOptions{
		ShutdownGrace: grace, Logger: logger,
		Drain: sync.OnceFunc(func() {
			logger.Info("shutting down: no new connections; waits in flight answer now", "inFlight", h.InFlight())
			close(drain)
		}),
	})
	if err != nil {
		logger.Error("HTTP server stopped", "error", err)
		return 1
	}
	logger.Info("HTTP server stopped; exiting")
	return 0
}

// configErrorTo reports a configuration error found once logging is set up.
func configErrorTo(logger *slog.Logger, err error) int {
	logger.Error("configuration", "error", err)
	return exitUsage
}
