// Package mcpproc drives an MCP server process over stdio with raw
// JSON-RPC lines, for end-to-end tests and benchmarks that must see
// exactly what the process writes.
//
// Every wait is bounded by Proc.Timeout, so a hung process fails the caller
// with a message naming what did not happen instead of hanging it.
package mcpproc

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"sync"
	"time"
)

// DefaultTimeout bounds each Next, Until, Call and Finish unless Proc.Timeout is set.
const DefaultTimeout = 60 * time.Second

// Proc is a running server process.
type Proc struct {
	Cmd *exec.Cmd
	// Timeout bounds each wait for a stdout line, and Finish as a whole (DefaultTimeout when zero).
	Timeout time.Duration

	stdin   io.WriteCloser
	stdout  io.Reader
	lines   chan []byte // one line at a time, read only when asked for: stdout is not drained behind the caller's back
	readEnd error       // why stdout ended; set before lines is closed
	startRd sync.Once
	stop    chan struct{} // closed by Kill: the line reader gives up
	stopped sync.Once

	waitOnce sync.Once
	exited   chan struct{}
	waitErr  error

	// Stdout holds every line read so far.
	Stdout bytes.Buffer

	mu        sync.Mutex
	stderr    bytes.Buffer
	stderrNew chan struct{} // closed and replaced on each stderr write
}

// Start runs name with args and env (appended to nothing: pass os.Environ() to inherit).
func Start(env []string, name string, args ...string) (*Proc, error) {
	p := &Proc{Cmd: exec.Command(name, args...), lines: make(chan []byte), stop: make(chan struct{}),
		exited: make(chan struct{}), stderrNew: make(chan struct{})}
	p.Cmd.Env = env
	p.Cmd.Stderr = writerFunc(p.writeStderr)
	var err error
	if p.stdin, err = p.Cmd.StdinPipe(); err != nil {
		return nil, err
	}
	if p.stdout, err = p.Cmd.StdoutPipe(); err != nil {
		return nil, err
	}
	if err := p.Cmd.Start(); err != nil {
		return nil, err
	}
	return p, nil
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(b []byte) (int, error) { return f(b) }

func (p *Proc) writeStderr(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	close(p.stderrNew)
	p.stderrNew = make(chan struct{})
	return p.stderr.Write(b)
}

func (p *Proc) timeout() time.Duration {
	if p.Timeout > 0 {
		return p.Timeout
	}
	return DefaultTimeout
}

// readLines hands stdout to Next one line at a time until it ends or Kill.
func (p *Proc) readLines() {
	sc := bufio.NewScanner(p.stdout)
	sc.Buffer(nil, 16<<20)
	for sc.Scan() {
		select {
		case p.lines <- bytes.Clone(sc.Bytes()):
		case <-p.stop:
			return
		}
	}
	p.readEnd = sc.Err()
	if p.readEnd == nil {
		p.readEnd = io.EOF
	}
	close(p.lines)
}

// errNoLine is a wait for a stdout line that ran out of time.
var errNoLine = errors.New("no line on stdout")

// nextLine waits up to d for the next stdout line; past d it fails with errNoLine.
func (p *Proc) nextLine(d time.Duration) ([]byte, error) {
	p.startRd.Do(func() { go p.readLines() })
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case line, ok := <-p.lines:
		if !ok {
			return nil, fmt.Errorf("stdout ended: %w; stderr: %s", p.readEnd, p.Stderr())
		}
		p.Stdout.Write(line)
		p.Stdout.WriteByte('\n')
		return line, nil
	case <-timer.C:
		return nil, fmt.Errorf("%w within %v (is the server hung?); stderr: %s", errNoLine, d, p.Stderr())
	}
}

// InitializeLine is a legacy-handshake initialize request with id "init".
const InitializeLine = `{"jsonrpc":"2.0","id":"init","method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"mcpproc","version":"1"}}}`

// Handshake initializes the session and sets the log level.
func (p *Proc) Handshake(logLevel string) error {
	if err := p.Send(InitializeLine); err != nil {
		return err
	}
	if _, err := p.Until("init"); err != nil {
		return err
	}
	if err := p.Send(`{"jsonrpc":"2.0","method":"notifications/initialized"}`); err != nil {
		return err
	}
	if logLevel == "" {
		return nil
	}
	if err := p.Send(fmt.Sprintf(`{"jsonrpc":"2.0","id":"lvl","method":"logging/setLevel","params":{"level":%q}}`, logLevel)); err != nil {
		return err
	}
	_, err := p.Until("lvl")
	return err
}

// Send writes one line.
func (p *Proc) Send(line string) error {
	_, err := io.WriteString(p.stdin, line+"\n")
	return err
}

// CloseStdin closes the process's stdin, as a client does to end the session.
func (p *Proc) CloseStdin() error { return p.stdin.Close() }

// Next reads one stdout line, which must be a JSON-RPC message, waiting at most Timeout.
func (p *Proc) Next() (map[string]any, error) {
	line, err := p.nextLine(p.timeout())
	if err != nil {
		return nil, err
	}
	var m map[string]any
	if err := json.Unmarshal(line, &m); err != nil || m["jsonrpc"] != "2.0" {
		return nil, fmt.Errorf("stdout line is not JSON-RPC: %q", line)
	}
	return m, nil
}

// Until reads up to the message with the given id and returns it.
func (p *Proc) Until(id any) (map[string]any, error) {
	for {
		m, err := p.Next()
		if err != nil || m["id"] == id {
			return m, err
		}
	}
}

// Call sends tools/call with a progress token equal to id and returns the result object.
func (p *Proc) Call(id, tool string, args any) (map[string]any, error) {
	raw, err := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": id, "method": "tools/call",
		"params": map[string]any{"name": tool, "arguments": args, "_meta": map[string]any{"progressToken": id}}})
	if err != nil {
		return nil, err
	}
	if err := p.Send(string(raw)); err != nil {
		return nil, err
	}
	m, err := p.Until(id)
	if err != nil {
		return nil, err
	}
	res, ok := m["result"].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%s: no result in %v", id, m)
	}
	return res, nil
}

// Finish closes stdin, reads the rest of stdout and waits for the exit,
// all within Timeout; a process still running then is killed and reported.
func (p *Proc) Finish() error {
	deadline := time.Now().Add(p.timeout())
	_ = p.stdin.Close()
	for {
		_, err := p.nextLine(time.Until(deadline))
		if err == nil {
			continue
		}
		if errors.Is(err, errNoLine) {
			p.Kill()
			return fmt.Errorf("finish: stdout still open %v after stdin was closed (killed): %w", p.timeout(), err)
		}
		break
	}
	return p.WaitExit(time.Until(deadline))
}

// WaitExit waits up to d for the process to exit, without touching its
// stdin or stdout, and returns its exit error; past d it kills the process
// and says so.
func (p *Proc) WaitExit(d time.Duration) error {
	p.waitOnce.Do(func() {
		go func() {
			p.waitErr = p.Cmd.Wait()
			close(p.exited)
		}()
	})
	timer := time.NewTimer(max(d, 0))
	defer timer.Stop()
	select {
	case <-p.exited:
		return p.waitErr
	case <-timer.C:
		p.Kill()
		return fmt.Errorf("the process did not exit within %v (killed); stderr: %s", d, p.Stderr())
	}
}

// Kill ends the process if it still runs, and waits for it.
func (p *Proc) Kill() {
	p.stopped.Do(func() { close(p.stop) })
	p.waitOnce.Do(func() {
		go func() {
			p.waitErr = p.Cmd.Wait()
			close(p.exited)
		}()
	})
	select {
	case <-p.exited:
		return
	default:
	}
	_ = p.Cmd.Process.Kill()
	<-p.exited
}

// Stderr returns what the process wrote to stderr so far.
func (p *Proc) Stderr() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stderr.String()
}

// WaitStderr waits up to d for stderr to contain text.
func (p *Proc) WaitStderr(text string, d time.Duration) error {
	timer := time.NewTimer(d)
	defer timer.Stop()
	for {
		p.mu.Lock()
		found, changed := strings.Contains(p.stderr.String(), text), p.stderrNew
		p.mu.Unlock()
		if found {
			return nil
		}
		select {
		case <-changed:
		case <-timer.C:
			return fmt.Errorf("stderr did not show %q within %v; stderr: %s", text, d, p.Stderr())
		}
	}
}

// ErrNoProc reports a platform without /proc.
var ErrNoProc = errors.New("no /proc on this platform")
