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
}

// referenceName labels the official Node reference server's rows.
const referenceName = "reference (server-everything)"

// coldStart execs the server runs times and times the initialize answer and
// the first tools/list answer, each from the exec.
func coldStart(s server, runs int) (initialize, list []time.Duration, err error) {
	for range runs {
		start := time.Now()
		p, err := mcpproc.Start(s.env, s.argv[0], s.argv[1:]...)
		if err != nil {
			return nil, nil, err
		}
		err = func() error {
			defer p.Kill()
			if err := p.Send(mcpproc.InitializeLine); err != nil {
				return err
			}
			if _, err := p.Until("init"); err != nil {
				return err
			}
			initialize = append(initialize, time.Since(start))
			if err := p.Send(`{"jsonrpc":"2.0","method":"notifications/initialized"}`); err != nil {
				return err
			}
			if err := p.Send(`{"jsonrpc":"2.0","id":"list","method":"tools/list"}`); err != nil {
				return err
			}
			if _, err := p.Until("list"); err != nil {
				return err
			}
			list = append(list, time.Since(start))
			return nil
		}()
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", s.name, err)
		}
	}
	return initialize, list, nil
}

func coldStartRows(servers []server, runs int) ([]row, error) {
	var rows []row
	for _, s := range servers {
		n := runs
		if s.name == referenceName {
			n = max(runs/2, 3) // Node starts slowly; fewer runs keep the whole table under 3 minutes
		}
		initialize, list, err := coldStart(s, n)
		if err != nil {
			return nil, err
		}
		var refInit, refList string
		if s.name == "bctrl-mcp" {
			refInit, refList = referenceName+": exec → initialize", referenceName+": exec → tools/list"
		}
		rows = append(rows,
			row{name: s.name + ": exec → initialize", unit: "ms", samples: durations(initialize, time.Millisecond), ref: refInit},
			row{name: s.name + ": exec → tools/list", unit: "ms", samples: durations(list, time.Millisecond), ref: refList})
	}
	return rows, nil
}
