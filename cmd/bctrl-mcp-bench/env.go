package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/bctrlhq/bctrl-mcp/bctrl"
	"github.com/bctrlhq/bctrl-mcp/bctrl/bctrlsim"
	"github.com/bctrlhq/bctrl-mcp/cmd/internal/mcpproc"
)

const (
	benchKey     = "bctrl_bench_key"
	benchSpace   = "6f1c2a8e-0d4b-4c3e-9b7a-1e2f3a4b5c6d"
	benchRuntime = "7a2b3c4d-5e6f-4a1b-8c9d-0e1f2a3b4c5d"
)

// benchEnv is the built binaries and a simulator on loopback.
type benchEnv struct {
	dir      string
	bin      string // bctrl-mcp as built by go build
	stripped string // bctrl-mcp built with -ldflags "-s -w"
	floor    string
	toy      string // a one-tool mcp-go server, the cold-start yardstick
	sim      *simServer
	client   *bctrl.Client
}

// simServer is a simulator served on a loopback port.
type simServer struct {
	*bctrlsim.Simulator
	url  string
	stop func()
}

func startSim(opts bctrlsim.Options) (*simServer, error) {
	opts.APIKey = benchKey
	sim := bctrlsim.New(opts)
	url, stop, err := serve(sim)
	if err != nil {
		return nil, err
	}
	return &simServer{Simulator: sim, url: url, stop: stop}, nil
}

func newBenchEnv() (*benchEnv, error) {
	if _, err := os.Stat("go.mod"); err != nil {
		return nil, fmt.Errorf("run from the repository root (go run ./cmd/bctrl-mcp-bench)")
	}
	dir, err := os.MkdirTemp("", "bctrl-mcp-bench")
	if err != nil {
		return nil, err
	}
	e := &benchEnv{dir: dir, bin: filepath.Join(dir, "bctrl-mcp"), stripped: filepath.Join(dir, "bctrl-mcp-stripped"), floor: filepath.Join(dir, "floor"), toy: filepath.Join(dir, "toy")}
	for _, b := range [][]string{
		{"build", "-o", e.bin, "./cmd/bctrl-mcp"},
		{"build", "-ldflags", "-s -w", "-o", e.stripped, "./cmd/bctrl-mcp"},
		{"build", "-o", e.floor, "./cmd/bctrl-mcp-bench/floor"},
		{"build", "-o", e.toy, "./cmd/bctrl-mcp-bench/toy"},
	} {
		cmd := exec.Command("go", b...)
		cmd.Stderr = os.Stderr
		if err := cmd.Run(); err != nil {
			return nil, fmt.Errorf("go %v: %w", b, err)
		}
	}
	if e.sim, err = startSim(bctrlsim.Options{}); err != nil {
		return nil, err
	}
	e.client, err = bctrl.NewClient(bctrl.WithBaseURL(e.sim.url), bctrl.WithAPIKey(benchKey))
	return e, err
}

func (e *benchEnv) close() {
	e.sim.stop()
	_ = os.RemoveAll(e.dir)
}

// serverEnv configures bctrl-mcp for the real API path, pointed at url.
func serverEnv(url string, extra ...string) []string {
	return append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"), "BCTRL_API_KEY=" + benchKey, "BCTRL_BASE_URL=" + url,
		"BCTRL_SPACE_ID=" + benchSpace, "BCTRL_RUNTIME_ID=" + benchRuntime, "BCTRL_LOG_LEVEL=warn"}, extra...)
}

// startServer runs bctrl-mcp against the simulator and creates a
// never-ending invocation for get_invocation to read.
func (e *benchEnv) startServer() (*mcpproc.Proc, string, error) {
	inv, err := e.client.CreateInvocation(context.Background(), benchSpace, benchRuntime,
		&bctrl.CreateInvocationRequest{Provider: bctrl.ProviderStagehand, Input: bctrl.Input{Instruction: "benchmark sim:hang"}})
	if err != nil {
		return nil, "", err
	}
	p, err := mcpproc.Start(serverEnv(e.sim.url), e.bin)
	if err != nil {
		return nil, "", err
	}
	if err := p.Handshake(""); err != nil {
		p.Kill()
		return nil, "", err
	}
	return p, inv.ID, nil
}

// startSimulated runs bctrl-mcp on its built-in simulator at speed, past the handshake.
func (e *benchEnv) startSimulated(speed string) (*mcpproc.Proc, error) {
	p, err := mcpproc.Start(append(os.Environ(), "BCTRL_SIMULATE=true", "BCTRL_SIM_SPEED="+speed, "BCTRL_LOG_LEVEL=warn"), e.bin)
	if err != nil {
		return nil, err
	}
	if err := p.Handshake(""); err != nil {
		p.Kill()
		return nil, err
	}
	return p, nil
}
