package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/bctrlhq/bctrl-mcp/bctrl/bctrlsim"
)

// simCmd serves the simulator over HTTP until interrupted. It requires
// BCTRL_API_KEY as the bearer key when set, and accepts any key otherwise.
func simCmd(ctx context.Context, args []string, stderr io.Writer, getenv func(string) string) int {
	fs := flag.NewFlagSet("bctrl-mcp sim", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8787", "listen address")
	speed := fs.Float64("speed", 1, "how much faster than wall time invocations progress")
	step := fs.Duration("step", time.Second, "simulated time per lifecycle phase and agent step")
	faultRate := fs.Float64("fault-rate", 0, "share of requests (0-1) that fail with a random fault")
	if err := fs.Parse(args); err != nil {
		return configError(stderr, err)
	}
	if *speed <= 0 || *step <= 0 || *faultRate < 0 || *faultRate > 1 {
		return configError(stderr, errors.New("sim: --speed and --step must be positive and --fault-rate within 0-1"))
	}
	sim := bctrlsim.New(bctrlsim.Options{APIKey: getenv("BCTRL_API_KEY"), Clock: &bctrlsim.RealClock{Speed: *speed}, Step: *step})
	if *faultRate > 0 {
		sim.RandomFaults(*faultRate, uint64(time.Now().UnixNano()),
			bctrlsim.Fault{Kind: bctrlsim.FaultServerError, Status: 503}, bctrlsim.Fault{Kind: bctrlsim.FaultRateLimit},
			bctrlsim.Fault{Kind: bctrlsim.FaultDrop}, bctrlsim.Fault{Kind: bctrlsim.FaultMalformed})
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(stderr, "bctrl-mcp sim: %v\n", err)
		return 1
	}
	hs := &http.Server{Handler: sim, ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(stderr, "bctrl-mcp sim: serving the bctrl invocations API on http://%s (Ctrl-C to stop)\n", ln.Addr())
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = hs.Shutdown(shutdown)
	}()
	if err := hs.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintf(stderr, "bctrl-mcp sim: %v\n", err)
		return 1
	}
	return 0
}
