package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/bctrlhq/bctrl-mcp/tools/panel/preview"
)

// previewCmd serves the panel preview page on loopback until interrupted.
func previewCmd(ctx context.Context, args []string, stderr io.Writer) int {
	fs := flag.NewFlagSet("bctrl-mcp preview", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8788", "loopback listen address (port 0 picks a free one)")
	speed := fs.Float64("speed", 1, "how much faster than wall time simulated invocations progress")
	if err := fs.Parse(args); err != nil {
		return configError(stderr, err)
	}
	if fs.NArg() > 0 {
		return configError(stderr, fmt.Errorf("preview: unexpected argument %q", fs.Arg(0)))
	}
	if *speed <= 0 || *speed > 1000 {
		return configError(stderr, errors.New("preview: --speed must be from 0 to 1000"))
	}
	if err := preview.CheckAddr(*addr); err != nil {
		return configError(stderr, err)
	}
	err := preview.Serve(ctx, preview.Options{Addr: *addr, Speed: *speed, Version: version(), Log: stderr})
	if err != nil {
		fmt.Fprintf(stderr, "bctrl-mcp %v\n", err)
		return 1
	}
	return 0
}
