package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/bctrlhq/bctrl-mcp/bctrl"
	"github.com/bctrlhq/bctrl-mcp/cmd/internal/mcphttp"
	"github.com/bctrlhq/bctrl-mcp/cmd/internal/mcpproc"
)

// httpIdleConns is how many idle keep-alive connections the memory row holds.
const httpIdleConns = 1000

// httpServer is bctrl-mcp serving Streamable HTTP against the bench simulator.
type httpServer struct {
	cmd    *exec.Cmd
	url    string
	client *mcphttp.Client
}

// startHTTP runs bctrl-mcp --http on a free loopback port and waits until
// /healthz answers.
func (e *benchEnv) startHTTP() (*httpServer, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	cmd := exec.Command(e.bin, "--http", addr, "--http-max-in-flight", "1000")
	cmd.Env = serverEnv(e.sim.url)
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &httpServer{cmd: cmd, url: "http://" + addr + "/mcp"}
	// 64 calls in flight need 64 kept-alive connections.
	s.client = &mcphttp.Client{URL: s.url, HTTP: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 128}}}
	deadline := time.Now().Add(10 * time.Second)
	for {
		resp, err := http.Get("http://" + addr + "/healthz")
		if err == nil {
			_ = resp.Body.Close()
			return s, nil
		}
		if time.Now().After(deadline) {
			s.stop()
			return nil, fmt.Errorf("bctrl-mcp --http %s not healthy within 10 s: %v", addr, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (s *httpServer) stop() {
	_ = s.cmd.Process.Kill()
	_ = s.cmd.Wait()
}

func (s *httpServer) get(id string, n int) error {
	r, err := s.client.Call(context.Background(), mcphttp.Modern, n, "get_invocation", map[string]any{"invocationId": id}, nil)
	if err != nil {
		return err
	}
	if r.Result() == nil || r.Result()["isError"] == true {
		return fmt.Errorf("get_invocation over HTTP: %d %s", r.Status, r.Raw)
	}
	return nil
}

// httpRows measures the HTTP transport: sequential calls against a direct
// API call, throughput at several calls in flight, and memory at 1,000
// idle connections.
func httpRows(e *benchEnv, calls, burst int) ([]row, error) {
	inv, err := e.client.CreateInvocation(context.Background(), benchSpace, benchRuntime,
		&bctrl.CreateInvocationRequest{Provider: bctrl.ProviderStagehand, Input: bctrl.Input{Instruction: "benchmark sim:hang"}})
	if err != nil {
		return nil, err
	}
	s, err := e.startHTTP()
	if err != nil {
		return nil, err
	}
	defer s.stop()
	for i := range 200 { // warm up connections and caches
		if err := s.get(inv.ID, i); err != nil {
			return nil, err
		}
	}
	over := make([]time.Duration, calls)
	direct := make([]time.Duration, calls)
	for i := range calls { // interleaved, so a slow spell of the machine falls on both
		start := time.Now()
		if err := s.get(inv.ID, i); err != nil {
			return nil, err
		}
		over[i] = time.Since(start)
		start = time.Now()
		if _, err := e.client.GetInvocation(context.Background(), inv.ID); err != nil {
			return nil, err
		}
		direct[i] = time.Since(start)
	}
	h := row{name: "get_invocation over HTTP (2026-07-28)", unit: "µs", samples: durations(over, time.Microsecond), ref: "direct GET with the bctrl client (HTTP run)"}
	d := row{name: "direct GET with the bctrl client (HTTP run)", unit: "µs", samples: durations(direct, time.Microsecond), note: "floor"}
	rows := []row{h, d,
		{name: "HTTP overhead per call, p50 (median difference)", unit: "µs", samples: []float64{h.median() - d.median()}},
		{name: "HTTP overhead per call, p99 (p99 difference)", unit: "µs", samples: []float64{p99(h.samples) - p99(d.samples)}},
	}
	for _, k := range []int{1, 8, 64} {
		rate, err := httpPump(s, inv.ID, k, burst)
		if err != nil {
			return nil, err
		}
		rows = append(rows, row{name: fmt.Sprintf("get_invocation calls/s over HTTP, %d in flight", k), unit: "calls/s", samples: []float64{rate}})
	}
	idle, err := idleConnections(s)
	if err != nil {
		return nil, err
	}
	return append(rows, idle...), nil
}

func p99(samples []float64) float64 {
	return quantile(slices.Sorted(slices.Values(samples)), 0.99)
}

// httpPump keeps inFlight calls going until calls have been answered.
func httpPump(s *httpServer, id string, inFlight, calls int) (float64, error) {
	var (
		mu    sync.Mutex
		next  int
		first error
		wg    sync.WaitGroup
	)
	take := func() (int, bool) {
		mu.Lock()
		defer mu.Unlock()
		if next >= calls || first != nil {
			return 0, false
		}
		next++
		return next, true
	}
	start := time.Now()
	for range inFlight {
		wg.Go(func() {
			for n, ok := take(); ok; n, ok = take() {
				if err := s.get(id, n); err != nil {
					mu.Lock()
					first = err
					mu.Unlock()
					return
				}
			}
		})
	}
	wg.Wait()
	if first != nil {
		return 0, first
	}
	return float64(calls) / time.Since(start).Seconds(), nil
}

// idleConnections opens 1,000 connections that each make one request and
// stay open, kept alive and idle, and reads the server's resident memory.
func idleConnections(s *httpServer) ([]row, error) {
	pid := s.cmd.Process.Pid
	before, err := mcpproc.MemoryKB(pid, "VmRSS")
	if err != nil {
		return nil, err
	}
	addr := strings.TrimSuffix(strings.TrimPrefix(s.url, "http://"), "/mcp")
	body := `{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}}}`
	request := fmt.Sprintf("POST /mcp HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\n"+
		"MCP-Protocol-Version: 2026-07-28\r\nMcp-Method: tools/list\r\nContent-Length: %d\r\n\r\n%s", addr, len(body), body)
	conns := make([]net.Conn, 0, httpIdleConns)
	defer func() {
		for _, c := range conns {
			_ = c.Close()
		}
	}()
	for range httpIdleConns {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			return nil, err
		}
		conns = append(conns, c)
		if _, err := c.Write([]byte(request)); err != nil {
			return nil, err
		}
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			return nil, err
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("tools/list on connection %d: %s", len(conns), resp.Status)
		}
	}
	held, err := mcpproc.MemoryKB(pid, "VmRSS")
	if err != nil {
		return nil, err
	}
	return []row{
		{name: "RSS of bctrl-mcp --http after the calls above", unit: "MiB", samples: []float64{float64(before) / 1024}},
		{name: fmt.Sprintf("RSS with %d idle keep-alive connections", httpIdleConns), unit: "MiB", samples: []float64{float64(held) / 1024}},
		{name: "RSS per idle connection", unit: "KiB", samples: []float64{float64(held-before) / httpIdleConns}},
	}, nil
}
