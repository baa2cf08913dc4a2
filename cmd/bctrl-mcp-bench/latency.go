package main

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/bctrlhq/bctrl-mcp/bctrl"
	"github.com/bctrlhq/bctrl-mcp/bctrl/bctrlsim"
	"github.com/bctrlhq/bctrl-mcp/cmd/internal/mcpproc"
)

// Simulated invocations in the latency run end 8 s after creation: one
// second queued, one dispatching, six agent steps.
const (
	latencySteps = "sim:steps=6"
	latencyLife  = 8 * time.Second
)

// waiting runs the waiting measures side by side (they are mostly idle):
// status latency, the upstream cost of a long wait, and the bounds of a
// wait against a hung /wait.
func waiting(e *benchEnv, trials int) ([]row, error) {
	var wg sync.WaitGroup
	var parts [3][]row
	var errs [3]error
	wg.Go(func() { parts[0], errs[0] = statusLatency(e, trials) })
	wg.Go(func() { parts[1], errs[1] = waitingCost(e, trials) })
	wg.Go(func() { parts[2], errs[2] = hungWait(e) })
	wg.Wait()
	var rows []row
	for i := range parts {
		if errs[i] != nil {
			return nil, errs[i]
		}
		rows = append(rows, parts[i]...)
	}
	return rows, nil
}

// statusLatency measures, for invocations that end at a known instant, how
// long after the end the result reaches the caller: bctrl-mcp's
// get_invocation wait against plain GET polling every second, whose
// upstream cost is the reference for waitingCost.
func statusLatency(e *benchEnv, trials int) ([]row, error) {
	ours, err := startSim(bctrlsim.Options{Clock: &bctrlsim.RealClock{Speed: 1}})
	if err != nil {
		return nil, err
	}
	defer ours.stop()
	polled, err := startSim(bctrlsim.Options{Clock: &bctrlsim.RealClock{Speed: 1}})
	if err != nil {
		return nil, err
	}
	defer polled.stop()

	var wg sync.WaitGroup
	var oursRows, pollRows []row
	var oursErr, pollErr error
	wg.Go(func() { oursRows, oursErr = waitWithTool(e, ours, trials) })
	wg.Go(func() { pollRows, pollErr = waitByPolling(polled, trials) })
	wg.Wait()
	if oursErr != nil {
		return nil, oursErr
	}
	if pollErr != nil {
		return nil, pollErr
	}
	return append(oursRows, pollRows...), nil
}

func waitWithTool(e *benchEnv, sim *simServer, trials int) ([]row, error) {
	p, err := mcpproc.Start(serverEnv(sim.url), e.bin)
	if err != nil {
		return nil, err
	}
	defer p.Kill()
	if err := p.Handshake(""); err != nil {
		return nil, err
	}
	ends := map[string]time.Time{}
	for i := range trials {
		res, err := p.Call(fmt.Sprintf("c%d", i), "create_invocation", map[string]any{"provider": "stagehand", "input": map[string]any{"instruction": latencySteps}, "waitSeconds": 0})
		if err != nil {
			return nil, err
		}
		out, _ := res["structuredContent"].(map[string]any)
		created, err := time.Parse(time.RFC3339Nano, fmt.Sprint(out["createdAt"]))
		if err != nil {
			return nil, fmt.Errorf("createdAt: %w", err)
		}
		ends[fmt.Sprintf("w%d", i)] = created.Add(latencyLife)
		if err := p.Send(fmt.Sprintf(`{"jsonrpc":"2.0","id":"w%d","method":"tools/call","params":{"name":"get_invocation","arguments":{"invocationId":%q,"waitSeconds":20}}}`, i, out["id"])); err != nil {
			return nil, err
		}
	}
	var delays []time.Duration
	for len(delays) < trials {
		m, err := p.Next()
		if err != nil {
			return nil, err
		}
		id, _ := m["id"].(string)
		if end, ok := ends[id]; ok {
			delays = append(delays, time.Since(end))
		}
	}
	return []row{
		{name: "bctrl-mcp get_invocation wait: end → result", unit: "ms", samples: durations(delays, time.Millisecond), ref: "GET polling every 1 s: end → seen"},
	}, nil
}

func waitByPolling(sim *simServer, trials int) ([]row, error) {
	c, err := bctrl.NewClient(bctrl.WithBaseURL(sim.url), bctrl.WithAPIKey(benchKey))
	if err != nil {
		return nil, err
	}
	ctx := context.Background()
	delays := make([]time.Duration, trials)
	errs := make([]error, trials)
	var wg sync.WaitGroup
	before, start := sim.Requests(), time.Now()
	for i := range trials {
		wg.Go(func() {
			inv, err := c.CreateInvocation(ctx, benchSpace, benchRuntime, &bctrl.CreateInvocationRequest{Provider: bctrl.ProviderStagehand, Input: bctrl.Input{Instruction: latencySteps}})
			if err != nil {
				errs[i] = err
				return
			}
			created, _ := time.Parse(time.RFC3339Nano, inv.CreatedAt)
			// Spread the poll phases over the second, as real ends fall at any point in it.
			time.Sleep(time.Duration(i) * time.Second / time.Duration(trials))
			for {
				got, err := c.GetInvocation(ctx, inv.ID)
				if err != nil {
					errs[i] = err
					return
				}
				if got.Status.Terminal() {
					delays[i] = time.Since(created.Add(latencyLife))
					return
				}
				time.Sleep(time.Second)
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	perMinute := float64(sim.Requests()-before-trials) / float64(trials) / time.Since(start).Minutes()
	return []row{
		{name: "GET polling every 1 s: end → seen", unit: "ms", samples: durations(delays, time.Millisecond), note: "what the SDKs' wait loop amounts to"},
		{name: "GET polling every 1 s: requests per minute", unit: "req/min", samples: []float64{perMinute}},
	}, nil
}
