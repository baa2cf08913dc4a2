package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/bctrlhq/bctrl-mcp/bctrl/bctrlsim"
)

// rawSession speaks JSON-RPC lines to the built binary and keeps everything it writes.
type rawSession struct {
	t      *testing.T
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	lines  *bufio.Scanner
	stdout bytes.Buffer // every stdout line read so far
	mu     sync.Mutex
	stderr bytes.Buffer
}

func startBinary(t *testing.T, env ...string) *rawSession {
	t.Helper()
	s := &rawSession{t: t, cmd: exec.Command(binPath)}
	s.cmd.Env = append(os.Environ(), env...)
	s.cmd.Stderr = &lockedBuffer{mu: &s.mu, buf: &s.stderr}
	var err error
	if s.stdin, err = s.cmd.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	out, err := s.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.cmd.Process.Kill(); _ = s.cmd.Wait() })
	s.lines = bufio.NewScanner(out)
	s.lines.Buffer(nil, 16<<20)
	s.send(`{"jsonrpc":"2.0","id":"init","method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}`)
	s.until("init")
	s.send(`{"jsonrpc":"2.0","method":"notifications/initialized"}`)
	s.send(`{"jsonrpc":"2.0","id":"lvl","method":"logging/setLevel","params":{"level":"debug"}}`)
	s.until("lvl")
	return s
}

func (s *rawSession) send(line string) {
	s.t.Helper()
	if _, err := io.WriteString(s.stdin, line+"\n"); err != nil {
		s.t.Fatal(err)
	}
}

// next reads one stdout line, which must be JSON-RPC.
func (s *rawSession) next() map[string]any {
	s.t.Helper()
	if !s.lines.Scan() {
		s.t.Fatalf("stdout ended: %v\nstderr:\n%s", s.lines.Err(), s.stderrText())
	}
	s.stdout.Write(s.lines.Bytes())
	s.stdout.WriteByte('\n')
	var m map[string]any
	if err := json.Unmarshal(s.lines.Bytes(), &m); err != nil || m["jsonrpc"] != "2.0" {
		s.t.Fatalf("stdout line is not JSON-RPC: %q", s.lines.Text())
	}
	return m
}

// until reads up to the response with the given id and returns it.
func (s *rawSession) until(id any) map[string]any {
	s.t.Helper()
	for {
		if m := s.next(); m["id"] == id {
			return m
		}
	}
}

// call sends tools/call and returns its result object.
func (s *rawSession) call(id, tool string, args map[string]any) map[string]any {
	s.t.Helper()
	raw, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": id, "method": "tools/call",
		"params": map[string]any{"name": tool, "arguments": args, "_meta": map[string]any{"progressToken": id}}})
	s.send(string(raw))
	res, _ := s.until(id)["result"].(map[string]any)
	if res == nil {
		s.t.Fatalf("%s: no result", id)
	}
	return res
}

// finish closes stdin, reads the rest of stdout and returns the exit error.
func (s *rawSession) finish() error {
	_ = s.stdin.Close()
	for s.lines.Scan() {
		s.stdout.Write(s.lines.Bytes())
		s.stdout.WriteByte('\n')
	}
	return s.cmd.Wait()
}

func (s *rawSession) stderrText() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stderr.String()
}

type lockedBuffer struct {
	mu  *sync.Mutex
	buf *bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

// TestSecretsNeverLeak runs the binary against a simulator on loopback with
// a recognisable API key, a model apiKey and sensitiveData, through success,
// API-error and bad-input paths, and scans everything it wrote.
func TestSecretsNeverLeak(t *testing.T) {
	const apiKey, providerKey, sensitive, perDomain = "bctrl_live_SECRETAPIKEY_31337", "sk-PROVIDERSECRET-4242", "SENSITIVE-hunter2", "SENSITIVE-domain-pw"
	sim := bctrlsim.New(bctrlsim.Options{APIKey: apiKey, Clock: &bctrlsim.RealClock{Speed: 50}})
	srv := httptest.NewServer(sim)
	defer srv.Close()
	s := startBinary(t, "BCTRL_API_KEY="+apiKey, "BCTRL_BASE_URL="+srv.URL, "BCTRL_SIMULATE=false", "BCTRL_LOG_LEVEL=debug",
		"BCTRL_SPACE_ID=6f1c2a8e-0d4b-4c3e-9b7a-1e2f3a4b5c6d", "BCTRL_RUNTIME_ID=7a2b3c4d-5e6f-4a1b-8c9d-0e1f2a3b4c5d")
	config := map[string]any{
		"llm":           map[string]any{"provider": "openai", "model": "gpt-5", "apiKey": providerKey},
		"sensitiveData": map[string]any{"pw": sensitive, "site": map[string]any{"example.com": perDomain}},
	}
	args := map[string]any{"provider": "browserUse", "input": map[string]any{"instruction": "log in sim:steps=2"}, "config": config, "waitSeconds": 10}
	created := s.call("c1", "create_invocation", args)
	if created["isError"] == true {
		t.Fatalf("create: %v", created)
	}
	id := created["structuredContent"].(map[string]any)["id"]
	s.call("g1", "get_invocation", map[string]any{"invocationId": id})
	sim.QueueFaults(bctrlsim.RouteCreate, bctrlsim.Fault{Kind: bctrlsim.FaultServerError}, bctrlsim.Fault{Kind: bctrlsim.FaultServerError},
		bctrlsim.Fault{Kind: bctrlsim.FaultServerError}, bctrlsim.Fault{Kind: bctrlsim.FaultServerError})
	if res := s.call("c2", "create_invocation", args); res["isError"] != true {
		t.Errorf("create under faults: %v", res)
	}
	s.call("g2", "get_invocation", map[string]any{"invocationId": "0b9e8d7c-6b5a-4f3e-8d2c-1b0a9f8e7d6c"})
	config["llm"].(map[string]any)["temperature"] = 1
	if res := s.call("c3", "create_invocation", args); res["isError"] != true {
		t.Errorf("bad input: %v", res)
	}
	if err := s.finish(); err != nil {
		t.Fatalf("exit: %v\n%s", err, s.stderrText())
	}
	all := s.stdout.String() + s.stderrText()
	for _, secret := range []string{apiKey, providerKey, sensitive, perDomain} {
		if strings.Contains(all, secret) {
			t.Errorf("%q appears in the output", secret)
		}
	}
	if !strings.Contains(s.stdout.String(), "[redacted]") {
		t.Error("the echoed request was not redacted (or not echoed at all)")
	}
}

// TestExitsCleanlyWithWaitsInFlight ends the binary, by closing stdin or by
// SIGTERM, while a 50-second wait on a never-ending invocation is running.
func TestExitsCleanlyWithWaitsInFlight(t *testing.T) {
	for _, how := range []string{"stdin EOF", "SIGTERM"} {
		t.Run(how, func(t *testing.T) {
			s := startBinary(t, "BCTRL_SIMULATE=true", "BCTRL_SIM_SPEED=20")
			s.send(`{"jsonrpc":"2.0","id":"w","method":"tools/call","params":{"name":"create_invocation","arguments":{"provider":"stagehand","input":{"instruction":"sim:hang"},"waitSeconds":50},"_meta":{"progressToken":"w"}}}`)
			for m := s.next(); m["method"] != "notifications/progress"; m = s.next() {
			}
			if how == "SIGTERM" {
				if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
					t.Fatal(err)
				}
			}
			if err := s.finish(); err != nil {
				t.Fatalf("exit: %v\n%s", err, s.stderrText())
			}
		})
	}
}

// TestTwoHundredConcurrentWaits runs 200 get_invocation waits at once over
// one stdio session and reports the process's peak resident memory.
func TestTwoHundredConcurrentWaits(t *testing.T) {
	const n = 200
	s := startBinary(t, "BCTRL_SIMULATE=true", "BCTRL_SIM_SPEED=20", "BCTRL_LOG_LEVEL=warn")
	idle := memoryKB(t, s.cmd.Process.Pid, "VmRSS")
	ids := make([]any, n)
	for i := range ids {
		res := s.call(fmt.Sprintf("c%d", i), "create_invocation", map[string]any{"provider": "stagehand", "input": map[string]any{"instruction": "sim:steps=6"}, "waitSeconds": 0})
		ids[i] = res["structuredContent"].(map[string]any)["id"]
	}
	var batch strings.Builder
	for i, id := range ids {
		fmt.Fprintf(&batch, `{"jsonrpc":"2.0","id":"w%d","method":"tools/call","params":{"name":"get_invocation","arguments":{"invocationId":%q,"waitSeconds":50},"_meta":{"progressToken":"w%d"}}}`+"\n", i, id, i)
	}
	s.send(strings.TrimSuffix(batch.String(), "\n"))
	done := map[string]bool{}
	for len(done) < n {
		m := s.next()
		id, _ := m["id"].(string)
		if !strings.HasPrefix(id, "w") {
			continue
		}
		res, _ := m["result"].(map[string]any)
		out, _ := res["structuredContent"].(map[string]any)
		if out["status"] != "succeeded" || out["id"] != ids[mustAtoi(t, id[1:])] {
			t.Fatalf("%s: %v", id, m)
		}
		done[id] = true
	}
	peak := memoryKB(t, s.cmd.Process.Pid, "VmHWM")
	t.Logf("RSS idle %d KiB; peak with %d concurrent waits %d KiB", idle, n, peak)
	if peak > 256<<10 {
		t.Errorf("peak RSS %d KiB exceeds 256 MiB", peak)
	}
	if err := s.finish(); err != nil {
		t.Fatal(err)
	}
}

// memoryKB reads a field such as VmRSS or VmHWM from /proc/<pid>/status.
func memoryKB(t *testing.T, pid int, field string) int {
	t.Helper()
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Skipf("no /proc: %v", err)
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if rest, ok := strings.CutPrefix(line, field+":"); ok {
			return mustAtoi(t, strings.TrimSuffix(strings.TrimSpace(rest), " kB"))
		}
	}
	t.Fatalf("%s not in /proc/%d/status", field, pid)
	return 0
}

func mustAtoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
