// Package mcpproc drives an MCP server process over stdio with raw
// JSON-RPC lines, for end-to-end tests and benchmarks that must see
// exactly what the process writes.
package mcpproc

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"sync"
)

// Proc is a running server process.
type Proc struct {
	Cmd   *exec.Cmd
	stdin io.WriteCloser
	lines *bufio.Scanner

	// Stdout holds every line read so far.
	Stdout bytes.Buffer
	mu     sync.Mutex
	stderr bytes.Buffer
}

// Start runs name with args and env (appended to nothing: pass os.Environ() to inherit).
func Start(env []string, name string, args ...string) (*Proc, error) {
	p := &Proc{Cmd: exec.Command(name, args...)}
	p.Cmd.Env = env
	p.Cmd.Stderr = writerFunc(func(b []byte) (int, error) {
		p.mu.Lock()
		defer p.mu.Unlock()
		return p.stderr.Write(b)
	})
	var err error
	if p.stdin, err = p.Cmd.StdinPipe(); err != nil {
		return nil, err
	}
	out, err := p.Cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := p.Cmd.Start(); err != nil {
		return nil, err
	}
	p.lines = bufio.NewScanner(out)
	p.lines.Buffer(nil, 16<<20)
	return p, nil
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(b []byte) (int, error) { return f(b) }

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

// Next reads one stdout line, which must be a JSON-RPC message.
func (p *Proc) Next() (map[string]any, error) {
	if !p.lines.Scan() {
		return nil, fmt.Errorf("stdout ended: %v; stderr: %s", p.lines.Err(), p.Stderr())
	}
	p.Stdout.Write(p.lines.Bytes())
	p.Stdout.WriteByte('\n')
	var m map[string]any
	if err := json.Unmarshal(p.lines.Bytes(), &m); err != nil || m["jsonrpc"] != "2.0" {
		return nil, fmt.Errorf("stdout line is not JSON-RPC: %q", p.lines.Text())
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

// Finish closes stdin, reads the rest of stdout and waits for the exit.
func (p *Proc) Finish() error {
	_ = p.stdin.Close()
	for p.lines.Scan() {
		p.Stdout.Write(p.lines.Bytes())
		p.Stdout.WriteByte('\n')
	}
	return p.Cmd.Wait()
}

// Kill ends the process if it still runs.
func (p *Proc) Kill() {
	if p.Cmd.ProcessState == nil {
		_ = p.Cmd.Process.Kill()
		_ = p.Cmd.Wait()
	}
}

// Stderr returns what the process wrote to stderr so far.
func (p *Proc) Stderr() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stderr.String()
}

// ErrNoProc reports a platform without /proc.
var ErrNoProc = errors.New("no /proc on this platform")
