package main

import (
	"context"
	"fmt"
	"time"

	"github.com/bctrlhq/bctrl-mcp/cmd/internal/mcpproc"
)

// perCall times sequential get_invocation calls (no wait) over stdio, and the
// same GET made directly with the bctrl client, against one simulator.
func perCall(env *benchEnv, calls int) ([]row, error) {
	p, id, err := env.startServer()
	if err != nil {
		return nil, err
	}
	defer p.Kill()
	args := map[string]any{"invocationId": id}
	for i := range 200 { // warm up connections and caches
		if _, err := p.Call(fmt.Sprintf("warm%d", i), "get_invocation", args); err != nil {
			return nil, err
		}
	}
	stdio := make([]time.Duration, calls)
	for i := range calls {
		start := time.Now()
		if _, err := p.Call(fmt.Sprintf("g%d", i), "get_invocation", args); err != nil {
			return nil, err
		}
		stdio[i] = time.Since(start)
	}
	direct := make([]time.Duration, calls)
	for i := range calls {
		start := time.Now()
		if _, err := env.client.GetInvocation(context.Background(), id); err != nil {
			return nil, err
		}
		direct[i] = time.Since(start)
	}
	s, d := row{name: "get_invocation over stdio", unit: "µs", samples: durations(stdio, time.Microsecond), ref: "direct GET with the bctrl client"},
		row{name: "direct GET with the bctrl client", unit: "µs", samples: durations(direct, time.Microsecond), note: "floor"}
	overhead := row{name: "MCP overhead per call (median difference)", unit: "µs", samples: []float64{s.median() - d.median()}}
	return []row{s, d, overhead}, nil
}

// throughput counts get_invocation calls per second over one stdio session
// with a fixed number of calls kept in flight.
func throughput(env *benchEnv, inFlight []int, calls int) ([]row, error) {
	p, id, err := env.startServer()
	if err != nil {
		return nil, err
	}
	defer p.Kill()
	var rows []row
	for _, k := range inFlight {
		rate, err := pump(p, id, k, calls)
		if err != nil {
			return nil, err
		}
		rows = append(rows, row{name: fmt.Sprintf("get_invocation calls/s, %d in flight", k), unit: "calls/s", samples: []float64{rate}})
	}
	return rows, nil
}

func pump(p *mcpproc.Proc, id string, inFlight, calls int) (float64, error) {
	line := func(n int) string {
		return fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,"method":"tools/call","params":{"name":"get_invocation","arguments":{"invocationId":%q}}}`, n, id)
	}
	start := time.Now()
	sent, done := 0, 0
	for ; sent < inFlight && sent < calls; sent++ {
		if err := p.Send(line(sent)); err != nil {
			return 0, err
		}
	}
	for done < calls {
		m, err := p.Next()
		if err != nil {
			return 0, err
		}
		if _, isResponse := m["id"].(float64); !isResponse {
			continue
		}
		if m["error"] != nil {
			return 0, fmt.Errorf("call failed: %v", m["error"])
		}
		done++
		if sent < calls {
			if err := p.Send(line(sent)); err != nil {
				return 0, err
			}
			sent++
		}
	}
	return float64(calls) / time.Since(start).Seconds(), nil
}
