package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/bctrlhq/bctrl-mcp/bctrl/bctrlsim"
)

const simUsage = `bctrl-mcp sim: the bctrl API simulator as an HTTP server, shared by every
process that points BCTRL_BASE_URL at it (clients that start a new server
process per call then see the same invocations).

  bctrl-mcp sim [--addr 127.0.0.1:8787] [--speed 1] [--step 1s] [--fault-rate 0]
  BCTRL_BASE_URL=http://127.0.0.1:8787 BCTRL_API_KEY=any bctrl-mcp

Flags:
  --addr A          listen address (default 127.0.0.1:8787)
  --speed X         how much faster than wall time invocations progress (default 1)
  --step D          simulated time per lifecycle phase and agent step (default 1s)
  --fault-rate R    share of requests (0-1) that fail with a random fault:
                    503, 429 with Retry-After, dropped connection, malformed JSON

With BCTRL_API_KEY set, requests must carry that key; otherwise any key works.

Outcome markers: put one in the instruction (or the metadata key in brackets)
  sim:succeeded (default), sim:failed, sim:timed_out, sim:hang   [simOutcome]
  sim:steps=N   N agent steps, default 5                          [simSteps]
  sim:table     the answer is a few rows; sim:rows=N  N product rows (large answers)
  sim:artifacts a succeeding run produces a CSV download and a final PNG screenshot

It also serves GET /v1/auth/whoami, /v1/spaces and /v1/spaces/{id}/runtimes
with one simulated space and its runtimes, for bctrl-mcp setup and doctor, and
GET /v1/runs/{runId}/artifacts with the download addresses it lists.
`

// simCmd serves the simulator over HTTP until interrupted. It requires
// BCTRL_API_KEY as the bearer key when set, and accepts any key otherwise.
func simCmd(ctx context.Context, args []string, stderr io.Writer, getenv func(string) string) int {
	fs := newFlagSet("bctrl-mcp sim")
	addr := fs.String("addr", "127.0.0.1:8787", "listen address")
	speed := fs.Float64("speed", 1, "how much faster than wall time invocations progress")
	step := fs.Duration("step", time.Second, "simulated time per lifecycle phase and agent step")
	faultRate := fs.Float64("fault-rate", 0, "share of requests (0-1) that fail with a random fault")
	if err := parseFlags(fs, args, stderr, simUsage); err != nil {
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
