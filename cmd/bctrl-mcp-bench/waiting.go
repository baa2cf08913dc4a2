package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/bctrlhq/bctrl-mcp/bctrl"
	"github.com/bctrlhq/bctrl-mcp/bctrl/bctrlsim"
	"github.com/bctrlhq/bctrl-mcp/cmd/internal/mcpproc"
)

// Following a long invocation the way the tools tell an assistant to:
// create_invocation with its default wait, then get_invocation with the
// longest wait, on invocations still running throughout.
const (
	followCreateWait = 20
	followGetWait    = 50
	// hungWaitSeconds is the wait asked of each call against the hung API.
	hungWaitSeconds = 12
)

// waitingCost measures how many upstream requests a minute of waiting
// costs against an API that honours /wait. Every request made while the
// calls wait counts, the calls' own GETs included; only the create POSTs,
// which are not waiting, are left out. The minutes are the summed time of
// the calls.
func waitingCost(e *benchEnv, trials int) ([]row, error) {
	sim, err := startSim(bctrlsim.Options{Clock: &bctrlsim.RealClock{Speed: 1}})
	if err != nil {
		return nil, err
	}
	defer sim.stop()
	p, err := mcpproc.Start(serverEnv(sim.url), e.bin)
	if err != nil {
		return nil, err
	}
	defer p.Kill()
	if err := p.Handshake(""); err != nil {
		return nil, err
	}
	before := sim.Requests()
	sent := map[string]time.Time{}
	call := func(id, tool string, args map[string]any) error {
		sent[id] = time.Now()
		return p.Send(toolCall(id, tool, args))
	}
	for i := range trials {
		args := map[string]any{"provider": "stagehand", "input": map[string]any{"instruction": "benchmark sim:hang"}, "waitSeconds": followCreateWait}
		if err := call(fmt.Sprintf("c%d", i), "create_invocation", args); err != nil {
			return nil, err
		}
	}
	var waited time.Duration
	for pending := 2 * trials; pending > 0; {
		m, err := p.Next()
		if err != nil {
			return nil, err
		}
		id, _ := m["id"].(string)
		start, ok := sent[id]
		if !ok {
			continue
		}
		waited += time.Since(start)
		pending--
		out, err := structured(m)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", id, err)
		}
		if n, ok := strings.CutPrefix(id, "c"); ok {
			if err := call("g"+n, "get_invocation", map[string]any{"invocationId": out["id"], "waitSeconds": followGetWait}); err != nil {
				return nil, err
			}
		}
	}
	perMinute := float64(sim.Requests()-before-trials) / waited.Minutes()
	return []row{{name: "bctrl-mcp wait: upstream requests per minute of waiting", unit: "req/min", samples: []float64{perMinute},
		ref: "GET polling every 1 s: requests per minute", note: fmt.Sprintf("create waiting %d s, then get waiting %d s, on running invocations; their GETs included", followCreateWait, followGetWait)}}, nil
}

// hungWait measures the bound of a wait against an API whose /wait accepts
// the request and never answers (create and get are served normally): how
// long a call asked to wait hungWaitSeconds takes to answer, and how the
// progress heartbeat kept up until then.
func hungWait(e *benchEnv) ([]row, error) {
	sim := bctrlsim.New(bctrlsim.Options{APIKey: benchKey, Clock: &bctrlsim.RealClock{Speed: 1}})
	release := make(chan struct{})
	defer close(release)
	url, stop, err := serve(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != "POST" || !strings.HasSuffix(r.URL.Path, "/wait") {
			sim.ServeHTTP(w, r)
			return
		}
		_, _ = io.Copy(io.Discard, r.Body) // so the server notices the client hanging up
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	if err != nil {
		return nil, err
	}
	defer stop()
	c, err := bctrl.NewClient(bctrl.WithBaseURL(url), bctrl.WithAPIKey(benchKey))
	if err != nil {
		return nil, err
	}
	inv, err := c.CreateInvocation(context.Background(), benchSpace, benchRuntime, &bctrl.CreateInvocationRequest{Provider: bctrl.ProviderStagehand, Input: bctrl.Input{Instruction: "benchmark sim:hang"}})
	if err != nil {
		return nil, err
	}
	p, err := mcpproc.Start(serverEnv(url), e.bin)
	if err != nil {
		return nil, err
	}
	defer p.Kill()
	if err := p.Handshake(""); err != nil {
		return nil, err
	}
	calls := map[string]struct {
		tool string
		args map[string]any
	}{
		"hc": {"create_invocation", map[string]any{"provider": "stagehand", "input": map[string]any{"instruction": "benchmark sim:hang"}, "waitSeconds": hungWaitSeconds}},
		"hg": {"get_invocation", map[string]any{"invocationId": inv.ID, "waitSeconds": hungWaitSeconds}},
	}
	start, end, notes := map[string]time.Time{}, map[string]time.Time{}, map[string][]time.Time{}
	for _, id := range []string{"hc", "hg"} {
		start[id] = time.Now()
		if err := p.Send(toolCall(id, calls[id].tool, calls[id].args)); err != nil {
			return nil, err
		}
	}
	for len(end) < len(calls) {
		m, err := p.Next()
		if err != nil {
			return nil, err
		}
		now := time.Now()
		if m["method"] == "notifications/progress" {
			params, _ := m["params"].(map[string]any)
			token, _ := params["progressToken"].(string)
			notes[token] = append(notes[token], now)
			continue
		}
		if id, _ := m["id"].(string); calls[id].tool != "" {
			end[id] = now
		}
	}
	var rows []row
	for _, id := range []string{"hc", "hg"} {
		prefix := fmt.Sprintf("%s waitSeconds %d, /wait never answers", calls[id].tool, hungWaitSeconds)
		rows = append(rows,
			row{name: prefix + ": call → result", unit: "s", samples: []float64{end[id].Sub(start[id]).Seconds()}, note: fmt.Sprintf("promise: within %d s", hungWaitSeconds+3)},
			row{name: prefix + ": progress notifications", unit: "count", samples: []float64{float64(len(notes[id]))}},
			row{name: prefix + ": longest silence", unit: "s", samples: []float64{longestSilence(start[id], end[id], notes[id]).Seconds()}, note: "promise: at most 5 s"},
		)
	}
	return rows, nil
}

// toolCall is a tools/call line whose progress token is its id.
func toolCall(id, tool string, args map[string]any) string {
	raw, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": id, "method": "tools/call",
		"params": map[string]any{"name": tool, "arguments": args, "_meta": map[string]any{"progressToken": id}}})
	return string(raw)
}

// structured returns a successful tool result's structured content.
func structured(m map[string]any) (map[string]any, error) {
	res, _ := m["result"].(map[string]any)
	if res == nil || res["isError"] == true {
		return nil, fmt.Errorf("call failed: %v", m)
	}
	out, _ := res["structuredContent"].(map[string]any)
	if out == nil {
		return nil, fmt.Errorf("no structured content: %v", m)
	}
	return out, nil
}

// longestSilence is the longest stretch between start, the notifications and end.
func longestSilence(start, end time.Time, notes []time.Time) time.Duration {
	marks := append([]time.Time{start, end}, notes...)
	slices.SortFunc(marks, func(a, b time.Time) int { return a.Compare(b) })
	var longest time.Duration
	for i := 1; i < len(marks); i++ {
		longest = max(longest, marks[i].Sub(marks[i-1]))
	}
	return longest
}

// serve runs h on a loopback port and returns its URL and a stop function.
func serve(h http.Handler) (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	hs := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = hs.Serve(ln) }()
	return "http://" + ln.Addr().String(), func() { _ = hs.Close() }, nil
}
