package main

import (
	"bufio"
	"bytes"
	"io"
	"net/http"
	"net/http/httptrace"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"
)

// previewProc is a running `bctrl-mcp preview`.
type previewProc struct {
	cmd    *exec.Cmd
	URL    string
	exited chan error
}

var previewURL = regexp.MustCompile(`open (http://127\.0\.0\.1:\d+/)`)

// startPreview runs the built binary's preview on a free loopback port and
// returns once it has printed its address.
func startPreview(t *testing.T, args ...string) *previewProc {
	t.Helper()
	cmd := exec.Command(binPath, append([]string{"preview", "--addr", "127.0.0.1:0"}, args...)...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &previewProc{cmd: cmd, exited: make(chan error, 1)}
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if m := previewURL.FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
				break
			}
		}
		_, _ = io.Copy(io.Discard, stderr)
		p.exited <- cmd.Wait()
	}()
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	select {
	case p.URL = <-found:
	case err := <-p.exited:
		t.Fatalf("preview exited before printing its address: %v", err)
	case <-time.After(20 * time.Second):
		t.Fatal("preview printed no address within 20s")
	}
	return p
}

// interrupt sends Ctrl-C and requires a clean exit (code 0) within 10s.
func (p *previewProc) interrupt(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-p.exited:
		if err != nil {
			t.Fatalf("preview did not exit 0 on Ctrl-C: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("preview still running 10s after Ctrl-C")
	}
}

// TestPreviewServesUntilInterrupted runs the real binary's preview: the
// page and the view answer on loopback, and Ctrl-C ends it with code 0
// even while a tool call is waiting.
func TestPreviewServesUntilInterrupted(t *testing.T) {
	p := startPreview(t, "--speed", "4")
	for _, path := range []string{"", "host.js", "view?uri=ui://bctrl/invocation"} {
		resp, err := http.Get(p.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET /%s: %d", path, resp.StatusCode)
		}
	}
	// A 50-second wait in flight must not hold the exit up.
	sent, waiting := make(chan struct{}), make(chan error, 1)
	go func() {
		body := `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"create_invocation","arguments":{"provider":"stagehand","input":{"instruction":"sim:hang"},"waitSeconds":50}}}`
		trace := &httptrace.ClientTrace{WroteRequest: func(httptrace.WroteRequestInfo) { close(sent) }}
		req, _ := http.NewRequestWithContext(httptrace.WithClientTrace(t.Context(), trace), "POST", p.URL+"mcp", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			_ = resp.Body.Close()
		}
		waiting <- err
	}()
	select {
	case <-sent:
	case <-time.After(10 * time.Second):
		t.Fatal("the waiting call was never sent")
	}
	p.interrupt(t)
	select {
	case <-waiting:
	case <-time.After(10 * time.Second):
		t.Fatal("the waiting call was not ended by the shutdown")
	}
}

func TestPreviewFlags(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--addr", "0.0.0.0:0"}, "only loopback"},
		{[]string{"--addr", "192.168.1.20:8788"}, "only loopback"},
		{[]string{"--speed", "0"}, "--speed"},
		{[]string{"extra"}, "unexpected argument"},
		{[]string{"--nope"}, "run bctrl-mcp preview --help"},
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		code := run(t.Context(), append([]string{"preview"}, tt.args...), strings.NewReader(""), &stdout, &stderr, env(nil))
		if code != exitUsage || !strings.Contains(stderr.String(), tt.want) || stdout.Len() != 0 {
			t.Errorf("preview %v: code %d, stderr %q", tt.args, code, stderr.String())
		}
	}
}
