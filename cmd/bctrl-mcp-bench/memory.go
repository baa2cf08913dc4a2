package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/bctrlhq/bctrl-mcp/cmd/internal/mcpproc"
)

// memory reports resident memory idle and at 200 concurrent waits, on the built-in simulator.
func memory(e *benchEnv, waits int) ([]row, error) {
	p, err := e.startSimulated("20")
	if err != nil {
		return nil, err
	}
	defer p.Kill()
	idle, err := mcpproc.MemoryKB(p.Cmd.Process.Pid, "VmRSS")
	if err != nil {
		return nil, err
	}
	var batch strings.Builder
	for i := range waits {
		res, err := p.Call(fmt.Sprintf("c%d", i), "create_invocation", map[string]any{"provider": "stagehand", "input": map[string]any{"instruction": "sim:steps=6"}, "waitSeconds": 0})
		if err != nil {
			return nil, err
		}
		id := res["structuredContent"].(map[string]any)["id"]
		fmt.Fprintf(&batch, `{"jsonrpc":"2.0","id":"w%d","method":"tools/call","params":{"name":"get_invocation","arguments":{"invocationId":%q,"waitSeconds":50},"_meta":{"progressToken":"w%d"}}}`+"\n", i, id, i)
	}
	if err := p.Send(strings.TrimSuffix(batch.String(), "\n")); err != nil {
		return nil, err
	}
	for done := 0; done < waits; {
		m, err := p.Next()
		if err != nil {
			return nil, err
		}
		if id, _ := m["id"].(string); strings.HasPrefix(id, "w") {
			done++
		}
	}
	peak, err := mcpproc.MemoryKB(p.Cmd.Process.Pid, "VmHWM")
	if err != nil {
		return nil, err
	}
	return []row{
		{name: "RSS idle after initialize", unit: "MiB", samples: []float64{float64(idle) / 1024}},
		{name: fmt.Sprintf("peak RSS with %d concurrent waits", waits), unit: "MiB", samples: []float64{float64(peak) / 1024}},
	}, nil
}

func binarySizes(e *benchEnv) ([]row, error) {
	var rows []row
	for _, b := range []struct{ name, path string }{{"binary size", e.bin}, {"binary size, stripped (-ldflags \"-s -w\")", e.stripped}} {
		st, err := os.Stat(b.path)
		if err != nil {
			return nil, err
		}
		rows = append(rows, row{name: b.name, unit: "MiB", samples: []float64{float64(st.Size()) / (1 << 20)}})
	}
	return rows, nil
}
