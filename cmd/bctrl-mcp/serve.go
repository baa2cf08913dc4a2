package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/bctrlhq/bctrl-mcp/bctrl/bctrlsim"
	"github.com/bctrlhq/bctrl-mcp/tools"
	"github.com/bctrlhq/bctrl-mcp/tools/mcpserver"
	"github.com/bctrlhq/bctrl-mcp/tools/tasks"
	"github.com/bctrlhq/bctrl-mcp/tools/transport/stdio"
)

func serveCmd(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	cfg, err := parseConfig(args, stderr, getenv)
	if err != nil {
		return configError(stderr, err)
	}
	speed, err := simSpeed(getenv)
	if err != nil {
		return configError(stderr, err)
	}
	defaultGrace := 2 * time.Second
	if cfg.http.addr != "" {
		defaultGrace = httpShutdownGrace
	}
	grace, err := shutdownGrace(getenv, defaultGrace)
	if err != nil {
		return configError(stderr, err)
	}
	logger := tools.RedactingLogger(slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: cfg.logLevel})))
	srvCfg, stopSim, err := serverConfig(cfg, speed, logger)
	if err != nil {
		fmt.Fprintf(stderr, "bctrl-mcp: %v\n", err)
		return 1
	}
	defer stopSim()
	if cfg.http.addr != "" {
		return serveHTTP(ctx, cfg, srvCfg, grace, logger)
	}
	layer, err := mcpserver.New(srvCfg)
	if err != nil {
		return configError(stderr, err)
	}
	baseURL := srvCfg.BaseURL
	logger.Info("serving MCP on stdio", "version", version(), "baseURL", baseURL, "simulate", cfg.simulate, "readOnly", cfg.readOnly)
	if !cfg.readOnly && (cfg.spaceID == "" || cfg.runtimeID == "") {
		logger.Info("no default space or runtime (BCTRL_SPACE_ID, BCTRL_RUNTIME_ID): each create_invocation must pass the missing spaceId or runtimeId")
	}
	if err := stdio.Serve(ctx, layer, stdin, stdout, stdio.Options{ShutdownGrace: grace, Logger: logger}); err != nil {
		logger.Error("stdio transport stopped", "error", err)
		return 1
	}
	logger.Info("stdio closed; exiting")
	return 0
}

// serverConfig turns the configuration into the composition root's, starting
// the built-in simulator when asked; the returned stop ends it.
func serverConfig(cfg config, speed float64, logger *slog.Logger) (mcpserver.Config, func(), error) {
	out := mcpserver.Config{
		Name: "bctrl-mcp", Version: version(), UserAgent: "bctrl-mcp/" + version(),
		BaseURL: cfg.baseURL, APIKey: cfg.apiKey,
		DefaultSpaceID: cfg.spaceID, DefaultRuntimeID: cfg.runtimeID, ReadOnly: cfg.readOnly, Logger: logger,
		ResultBudget: cfg.resultBudget, ArtifactMaxBytes: cfg.artifactMaxBytes,
	}
	passthrough := cfg.passthrough()
	out.PerRequestKeys = passthrough
	if !cfg.simulate {
		return out, func() {}, nil
	}
	simKey := bctrlsim.SeedAPIKey
	if passthrough {
		simKey = "" // callers bring their own keys; the simulator takes any
	}
	url, stop, err := startSimulator(speed, simKey)
	if err != nil {
		return out, nil, fmt.Errorf("start simulator: %w", err)
	}
	out.BaseURL = url
	if !passthrough {
		out.APIKey = simKey
	}
	// Refresh once per simulated step so every step is reported.
	out.Follow.Slice = bctrlsim.FollowSlice(time.Second, speed)
	return out, stop, nil
}

// simulatedServer builds the server as serve --simulate does (the built-in
// simulator at speed, its seeded space and runtime as defaults), for demo
// and preview, which then reach the same layers a client does. It returns
// the simulator's URL and a stop that ends the simulator.
func simulatedServer(speed float64, logger *slog.Logger) (*tasks.Server, string, func(), error) {
	cfg, stop, err := serverConfig(config{simulate: true, spaceID: bctrlsim.SeedSpaceID, runtimeID: bctrlsim.SeedRuntimeID}, speed, logger)
	if err != nil {
		return nil, "", nil, err
	}
	srv, err := mcpserver.New(cfg)
	if err != nil {
		stop()
		return nil, "", nil, err
	}
	return srv, cfg.BaseURL, stop, nil
}

// configError prints a one-line configuration error and returns the usage exit code.
func configError(stderr io.Writer, err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	fmt.Fprintf(stderr, "bctrl-mcp: %v\n", err)
	return exitUsage
}

// simSpeed reads BCTRL_SIM_SPEED: how much faster than wall time the simulator runs (default 1).
func simSpeed(getenv func(string) string) (float64, error) {
	v := getenv("BCTRL_SIM_SPEED")
	if v == "" {
		return 1, nil
	}
	var speed float64
	if _, err := fmt.Sscan(v, &speed); err != nil || speed <= 0 || speed > 1000 {
		return 0, fmt.Errorf("BCTRL_SIM_SPEED=%q: use a number above 0 and at most 1000", v)
	}
	return speed, nil
}

// shutdownGrace reads BCTRL_SHUTDOWN_GRACE: how long, once the session
// ends, in-flight answers get to be written before the process exits anyway
// (default 2s).
func shutdownGrace(getenv func(string) string, byDefault time.Duration) (time.Duration, error) {
	v := getenv("BCTRL_SHUTDOWN_GRACE")
	if v == "" {
		return byDefault, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 || d > time.Minute {
		return 0, fmt.Errorf("BCTRL_SHUTDOWN_GRACE=%q: use a duration from 1ms to 1m, such as 2s", v)
	}
	return d, nil
}

// startSimulator serves a simulator on a loopback port and returns its
// base URL; it requires key as the bearer key, or takes any when key is "".
func startSimulator(speed float64, key string) (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	sim := bctrlsim.New(bctrlsim.Options{APIKey: key, Clock: &bctrlsim.RealClock{Speed: speed}})
	hs := &http.Server{Handler: sim, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = hs.Serve(ln) }()
	return "http://" + ln.Addr().String(), func() { _ = hs.Close() }, nil
}
