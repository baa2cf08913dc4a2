package main

import (
	"fmt"
	"time"

	"github.com/bctrlhq/bctrl-mcp/cmd/internal/mcpproc"
)

// server is a program under test: how to start it and with what environment.
type server struct {
	name string
	env  []string
	argv []string
	// every makes the server run only in every n-th round (0 or 1: each round).
	every int
}

// Names of the cold-start rows that others are compared with.
const (
	ourName       = "bctrl-mcp"
	toyName       = "toy (one-tool mcp-go server)"
	referenceName = "reference (server-everything)"
)

// startTimes is one cold start: exec → initialize answer and exec → tools/list answer.
type startTimes struct{ initialize, list time.Duration }

// coldStartOnce execs the server and times its initialize and first tools/list answers.
func coldStartOnce(s server) (startTimes, error) {
	var t startTimes
	start := time.Now()
	p, err := mcpproc.Start(s.env, s.argv[0], s.argv[1:]...)
	if err != nil {
		return t, err
	}
	defer p.Kill()
	if err := p.Send(mcpproc.InitializeLine); err != nil {
		return t, err
	}
	if _, err := p.Until("init"); err != nil {
		return t, err
	}
	t.initialize = time.Since(start)
	if err := p.Send(`{"jsonrpc":"2.0","method":"notifications/initialized"}`); err != nil {
		return t, err
	}
	if err := p.Send(`{"jsonrpc":"2.0","id":"list","method":"tools/list"}`); err != nil {
		return t, err
	}
	if _, err := p.Until("list"); err != nil {
		return t, err
	}
	t.list = time.Since(start)
	return t, nil
}

// coldStarts runs the servers in alternation, one start of each per round,
// so that a slow spell of the shared machine falls on all of them alike;
// the first server of a round rotates so none always starts on a warmer cache.
func coldStarts(servers []server, rounds int, start func(server) (startTimes, error)) (map[string][]startTimes, error) {
	out := map[string][]startTimes{}
	for round := range rounds {
		for i := range servers {
			s := servers[(round+i)%len(servers)]
			if s.every > 1 && round%s.every != 0 {
				continue
			}
			t, err := start(s)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", s.name, err)
			}
			out[s.name] = append(out[s.name], t)
		}
	}
	return out, nil
}

// coldStartRows measures the servers and compares bctrl-mcp with the toy,
// both as a ratio of medians and as the median of the per-round ratios.
func coldStartRows(servers []server, rounds int, start func(server) (startTimes, error)) ([]row, error) {
	times, err := coldStarts(servers, rounds, start)
	if err != nil {
		return nil, err
	}
	var rows []row
	for _, s := range servers {
		var initialize, list []time.Duration
		for _, t := range times[s.name] {
			initialize, list = append(initialize, t.initialize), append(list, t.list)
		}
		var refInit, refList string
		if s.name == ourName {
			refInit, refList = toyName+": exec → initialize", toyName+": exec → tools/list"
		}
		rows = append(rows,
			row{name: s.name + ": exec → initialize", unit: "ms", samples: durations(initialize, time.Millisecond), ref: refInit},
			row{name: s.name + ": exec → tools/list", unit: "ms", samples: durations(list, time.Millisecond), ref: refList})
	}
	ours, toy := times[ourName], times[toyName]
	if len(ours) == len(toy) && len(ours) > 0 {
		var initRatio, listRatio []float64
		for i := range ours {
			initRatio = append(initRatio, float64(ours[i].initialize)/float64(toy[i].initialize))
			listRatio = append(listRatio, float64(ours[i].list)/float64(toy[i].list))
		}
		rows = append(rows,
			row{name: "bctrl-mcp ÷ toy, same round: exec → initialize", unit: "×", samples: initRatio, note: "paired ratio; goal ≤ 1.3"},
			row{name: "bctrl-mcp ÷ toy, same round: exec → tools/list", unit: "×", samples: listRatio, note: "paired ratio"})
	}
	return rows, nil
}
