package main

import (
	"errors"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/bctrlhq/bctrl-mcp/bctrl/bctrlsim"
	"github.com/bctrlhq/bctrl-mcp/cmd/internal/mcpproc"
)

// rawSession is an mcpproc.Proc that fails the test on any error.
type rawSession struct {
	t *testing.T
	*mcpproc.Proc
}

func startBinary(t *testing.T, env ...string) *rawSession {
	t.Helper()
	p, err := mcpproc.Start(append(os.Environ(), env...), binPath)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Kill)
	s := &rawSession{t: t, Proc: p}
	s.must(p.Handshake("debug"))
	return s
}

func (s *rawSession) must(err error) {
	s.t.Helper()
	if err != nil {
		s.t.Fatal(err)
	}
}

func (s *rawSession) send(line string) { s.t.Helper(); s.must(s.Send(line)) }

func (s *rawSession) next() map[string]any {
	s.t.Helper()
	m, err := s.Next()
	s.must(err)
	return m
}

func (s *rawSession) call(id, tool string, args map[string]any) map[string]any {
	s.t.Helper()
	res, err := s.Call(id, tool, args)
	s.must(err)
	return res
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
	if err := s.Finish(); err != nil {
		t.Fatalf("exit: %v\n%s", err, s.Stderr())
	}
	all := s.Stdout.String() + s.Stderr()
	for _, secret := range []string{apiKey, providerKey, sensitive, perDomain} {
		if strings.Contains(all, secret) {
			t.Errorf("%q appears in the output", secret)
		}
	}
	if !strings.Contains(s.Stdout.String(), "[redacted]") {
		t.Error("the echoed request was not redacted (or not echoed at all)")
	}
}

// TestExitsCleanlyWithWaitsInFlight ends the binary, by closing stdin or by
// SIGTERM, while a 50-second wait on a never-ending invocation is running:
// the exit must come well before that wait could end by itself.
func TestExitsCleanlyWithWaitsInFlight(t *testing.T) {
	for _, how := range []string{"stdin EOF", "SIGTERM"} {
		t.Run(how, func(t *testing.T) {
			s := startBinary(t, "BCTRL_SIMULATE=true", "BCTRL_SIM_SPEED=20")
			s.send(`{"jsonrpc":"2.0","id":"w","method":"tools/call","params":{"name":"create_invocation","arguments":{"provider":"stagehand","input":{"instruction":"sim:hang"},"waitSeconds":50},"_meta":{"progressToken":"w"}}}`)
			for m := s.next(); m["method"] != "notifications/progress"; m = s.next() {
			}
			start := time.Now()
			if how == "SIGTERM" {
				if err := s.Cmd.Process.Signal(syscall.SIGTERM); err != nil {
					t.Fatal(err)
				}
			}
			s.Timeout = 20 * time.Second // under the 50 s the wait would take by itself
			if err := s.Finish(); err != nil {
				t.Fatalf("exit: %v\n%s", err, s.Stderr())
			}
			t.Logf("exited %v after %s", time.Since(start).Round(time.Millisecond), how)
		})
	}
}

// blockStdout sends 200 tools/list (about 37 KB each, 7 MB in all) and reads
// none of the answers, so the server's stdout pipe fills and its writes
// block. A create_invocation sent after them logs to stderr once handled;
// requests are dispatched in order, so seeing that line means all 200 were.
func blockStdout(s *rawSession) {
	s.t.Helper()
	var batch strings.Builder
	for i := range 200 {
		fmt.Fprintf(&batch, `{"jsonrpc":"2.0","id":"list%d","method":"tools/list"}`+"\n", i)
	}
	batch.WriteString(`{"jsonrpc":"2.0","id":"marker","method":"tools/call","params":{"name":"create_invocation","arguments":{"provider":"stagehand","input":{"instruction":"sim:hang"},"waitSeconds":0}}}`)
	s.send(batch.String())
	s.must(s.WaitStderr("invocation created", 30*time.Second))
}

// endSession ends the client's side of a session the way how says.
func endSession(s *rawSession, how string) {
	s.t.Helper()
	switch how {
	case "stdin EOF":
		s.must(s.CloseStdin())
	case "SIGTERM":
		s.must(s.Cmd.Process.Signal(syscall.SIGTERM))
	case "SIGINT":
		s.must(s.Cmd.Process.Signal(os.Interrupt))
	default:
		s.t.Fatalf("unknown way to end: %s", how)
	}
}

// TestExitsWhileStdoutIsBlocked is a client that stops reading stdout with
// answers pending and then ends the session: the server must still exit,
// having given the writer a bounded grace, and say what it could not write.
func TestExitsWhileStdoutIsBlocked(t *testing.T) {
	for _, how := range []string{"stdin EOF", "SIGTERM", "SIGINT"} {
		t.Run(how, func(t *testing.T) {
			t.Parallel() // each spends the 2 s grace waiting
			s := startBinary(t, "BCTRL_SIMULATE=true", "BCTRL_SIM_SPEED=20", "BCTRL_LOG_LEVEL=info")
			blockStdout(s)
			start := time.Now()
			endSession(s, how)
			err := s.WaitExit(30 * time.Second)
			t.Logf("exit %v, %v after %s with stdout blocked", err, time.Since(start).Round(time.Millisecond), how)
			if code := exitCode(t, err); code != 1 || !strings.Contains(s.Stderr(), "stdout blocked") {
				t.Fatalf("exit code %d (want 1, after saying stdout was blocked); stderr:\n%s", code, s.Stderr())
			}
		})
	}
}

// TestSecondSignalStopsAtOnce sends SIGTERM twice while stdout is blocked
// and the shutdown grace is long: the second one must end the process at
// once, with the conventional 128+signal exit code.
func TestSecondSignalStopsAtOnce(t *testing.T) {
	s := startBinary(t, "BCTRL_SIMULATE=true", "BCTRL_SIM_SPEED=20", "BCTRL_LOG_LEVEL=info", "BCTRL_SHUTDOWN_GRACE=60s")
	blockStdout(s)
	endSession(s, "SIGTERM")
	s.must(s.WaitStderr("shutting down", 10*time.Second))
	start := time.Now()
	endSession(s, "SIGTERM")
	err := s.WaitExit(10 * time.Second) // far under the 60 s grace
	t.Logf("exit %v, %v after the second SIGTERM", err, time.Since(start).Round(time.Millisecond))
	if code := exitCode(t, err); code != 128+int(syscall.SIGTERM) {
		t.Fatalf("exit code %d, want %d; stderr:\n%s", code, 128+int(syscall.SIGTERM), s.Stderr())
	}
}

// exitCode is the exit code in a process's Wait error; the test fails on any other error.
func exitCode(t *testing.T, err error) int {
	t.Helper()
	if err == nil {
		return 0
	}
	var exit *exec.ExitError
	if !errors.As(err, &exit) {
		t.Fatal(err)
	}
	return exit.ExitCode()
}

// TestTwoHundredConcurrentWaits runs 200 get_invocation waits at once over
// one stdio session: each ends with its own invocation, succeeded. (The
// benchmark, cmd/bctrl-mcp-bench, measures the memory this takes.)
func TestTwoHundredConcurrentWaits(t *testing.T) {
	const n = 200
	s := startBinary(t, "BCTRL_SIMULATE=true", "BCTRL_SIM_SPEED=20", "BCTRL_LOG_LEVEL=warn")
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
	if err := s.Finish(); err != nil {
		t.Fatal(err)
	}
}

func mustAtoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
