// Command bctrl-mcp-bench measures bctrl-mcp on this machine and prints
// Markdown tables: cold start (against a one-tool mcp-go server, the
// official Node reference server and a fixed-answer floor), per-call overhead against a direct API call,
// throughput (stdio and Streamable HTTP), status latency and upstream cost
// of waiting against polling, the bounds of a wait against an API whose
// /wait never answers, memory (and at 1,000 idle HTTP connections),
// binary size and context cost. Run it from the repository root:
//
//	go run ./cmd/bctrl-mcp-bench
//
// The reference server is found in cmd/bctrl-mcp/e2e/node_modules
// (npm ci --prefix cmd/bctrl-mcp/e2e); without it that row is left out.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"
)

func main() {
	runs := flag.Int("runs", 21, "cold starts per server, in alternating rounds")
	calls := flag.Int("calls", 2000, "sequential calls for the per-call overhead")
	burst := flag.Int("throughput-calls", 3000, "calls per in-flight level for throughput")
	trials := flag.Int("trials", 5, "invocations per side for status latency, and followed for the upstream cost of waiting")
	waits := flag.Int("waits", 200, "concurrent waits for the memory measure")
	only := flag.String("only", "", "comma-separated sections to run (cold, calls, throughput, http, latency, memory, context); all when empty")
	flag.Parse()
	if err := run(*runs, *calls, *burst, *trials, *waits, *only); err != nil {
		fmt.Fprintln(os.Stderr, "bctrl-mcp-bench:", err)
		os.Exit(1)
	}
}

func run(runs, calls, burst, trials, waits int, only string) error {
	began := time.Now()
	e, err := newBenchEnv()
	if err != nil {
		return err
	}
	defer e.close()
	flags := fmt.Sprintf("-runs %d -calls %d -throughput-calls %d -trials %d -waits %d", runs, calls, burst, trials, waits)
	if only != "" {
		flags += " -only " + only
	}
	fmt.Printf("## bctrl-mcp benchmarks\n\n%s\n\nCommand: `go run ./cmd/bctrl-mcp-bench` (flags: %s)\n", machine(), flags)

	servers := []server{
		{name: ourName, env: serverEnv("http://127.0.0.1:9"), argv: []string{e.bin}},
		{name: toyName, env: nil, argv: []string{e.toy}},
		{name: "floor (fixed answers)", env: nil, argv: []string{e.floor}},
	}
	if ref := filepath.Join("cmd", "bctrl-mcp", "e2e", "node_modules", ".bin", "mcp-server-everything"); exists(ref) {
		// Node starts slowly; a start every other round keeps the table under 3 minutes.
		servers = append(servers, server{name: referenceName, env: os.Environ(), argv: []string{ref, "stdio"}, every: 2})
	} else {
		fmt.Fprintln(os.Stderr, "bctrl-mcp-bench: reference server not installed (npm ci --prefix cmd/bctrl-mcp/e2e); its rows are left out")
	}
	sections := []struct {
		key, title string
		f          func() ([]row, error)
	}{
		{"cold", "Cold start", func() ([]row, error) { return coldStartRows(servers, runs, coldStartOnce) }},
		{"calls", "Per-call overhead (get_invocation, no wait, simulator on loopback)", func() ([]row, error) { return perCall(e, calls) }},
		{"throughput", "Throughput over one stdio session", func() ([]row, error) { return throughput(e, []int{1, 8, 64}, burst) }},
		{"http", "Streamable HTTP (--http; get_invocation, no wait, simulator on loopback)", func() ([]row, error) { return httpRows(e, calls, burst) }},
		{"latency", "Waiting: status latency (invocations ending 8 s after creation), upstream cost, bounds under a hung /wait", func() ([]row, error) { return waiting(e, trials) }},
		{"memory", "Memory and size", func() ([]row, error) {
			rows, err := memory(e, waits)
			if err != nil {
				return nil, err
			}
			sizes, err := binarySizes(e)
			return append(rows, sizes...), err
		}},
		{"context", "Context cost", func() ([]row, error) { return contextCost(e) }},
	}
	for _, s := range sections {
		if only != "" && !slices.Contains(strings.Split(only, ","), s.key) {
			continue
		}
		rows, err := s.f()
		if err != nil {
			return fmt.Errorf("%s: %w", s.title, err)
		}
		fmt.Print(table(s.title, rows))
	}
	fmt.Printf("\nWhole run: %s.\n", time.Since(began).Round(time.Second))
	return nil
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// machine describes where the numbers were taken.
func machine() string {
	cpu := "unknown CPU"
	if raw, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(raw), "\n") {
			if v, ok := strings.CutPrefix(line, "model name"); ok {
				cpu = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(v), ":"))
				break
			}
		}
	}
	mem := ""
	if raw, err := os.ReadFile("/proc/meminfo"); err == nil {
		mem = strings.Fields(strings.SplitN(string(raw), "\n", 2)[0])[1] + " kB RAM"
	}
	node := "node not found"
	if out, err := exec.Command("node", "--version").Output(); err == nil {
		node = "node " + strings.TrimSpace(string(out))
	}
	return fmt.Sprintf("Machine: %s, %d cores, %s; %s %s/%s; %s; %s.", cpu, runtime.NumCPU(), mem, runtime.Version(), runtime.GOOS, runtime.GOARCH, node, time.Now().UTC().Format("2006-01-02"))
}
