package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"

	"github.com/bctrlhq/bctrl-mcp/tools"
	"github.com/bctrlhq/bctrl-mcp/tools/panel/preview"
)

const previewUsage = `bctrl-mcp preview: the invocation panel in a local page, as a host shows it,
driving a server on the built-in simulator. Open the address it prints in a
browser; Ctrl-C stops it.

Usage:
  bctrl-mcp preview [--addr A] [--speed X]

Flags:
  --addr A    loopback listen address (default 127.0.0.1:8788; port 0 picks a free one)
  --speed X   how much faster than wall time simulated invocations progress (default 1)
`

// previewCmd serves the panel preview page on loopback until interrupted.
func previewCmd(ctx context.Context, args []string, stderr io.Writer) int {
	fs := newFlagSet("bctrl-mcp preview")
	addr := fs.String("addr", "127.0.0.1:8788", "loopback listen address (port 0 picks a free one)")
	speed := fs.Float64("speed", 1, "how much faster than wall time simulated invocations progress")
	if err := parseFlags(fs, args, stderr, previewUsage); err != nil {
		return configError(stderr, err)
	}
	if fs.NArg() > 0 {
		return configError(stderr, fmt.Errorf("preview: unexpected argument %q", fs.Arg(0)))
	}
	if *speed <= 0 || *speed > 1000 {
		return configError(stderr, errors.New("preview: --speed must be from 0 to 1000"))
	}
	// Serve checks the address too; checking here makes a refused address
	// a usage error (exit 2) rather than a failure to serve.
	if err := preview.CheckAddr(*addr); err != nil {
		return configError(stderr, err)
	}
	logger := tools.RedactingLogger(slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
	srv, _, stopSim, err := simulatedServer(*speed, logger)
	if err != nil {
		fmt.Fprintf(stderr, "bctrl-mcp preview: %v\n", err)
		return 1
	}
	defer stopSim()
	err = preview.Serve(ctx, preview.Options{Addr: *addr, Server: srv, Speed: *speed, Log: stderr})
	if err != nil {
		fmt.Fprintf(stderr, "bctrl-mcp %v\n", err)
		return 1
	}
	return 0
}
