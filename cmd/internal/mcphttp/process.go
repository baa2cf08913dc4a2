package mcphttp

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Process is a server process started with Start.
type Process struct {
	Cmd *exec.Cmd
	// URL is the address the process logged it serves on.
	URL string

	mu      sync.Mutex
	stderr  bytes.Buffer
	written chan struct{} // closed, and replaced, on each stderr line
	exited  chan struct{}
	err     error
}

// Start runs name with args and env (pass os.Environ() to inherit) and
// waits, at most wait, for a stderr line announcing its address: a match
// of announce, whose first group is the URL.
func Start(env []string, announce *regexp.Regexp, wait time.Duration, name string, args ...string) (*Process, error) {
	p := &Process{Cmd: exec.Command(name, args...), written: make(chan struct{}), exited: make(chan struct{})}
	p.Cmd.Env = env
	pipe, err := p.Cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	if err := p.Cmd.Start(); err != nil {
		return nil, err
	}
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pipe)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			line := sc.Text()
			p.mu.Lock()
			p.stderr.WriteString(line + "\n")
			close(p.written)
			p.written = make(chan struct{})
			p.mu.Unlock()
			if m := announce.FindStringSubmatch(line); m != nil {
				select {
				case found <- m[1]:
				default:
				}
			}
		}
		_, _ = io.Copy(io.Discard, pipe)
		p.err = p.Cmd.Wait()
		close(p.exited)
	}()
	select {
	case p.URL = <-found:
		return p, nil
	case <-p.exited:
		return nil, fmt.Errorf("%s exited before announcing its address: %v\n%s", name, p.err, p.Stderr())
	case <-time.After(wait):
		p.Kill()
		return nil, fmt.Errorf("%s did not announce its address within %s:\n%s", name, wait, p.Stderr())
	}
}

// Stderr is everything the process wrote to stderr so far.
func (p *Process) Stderr() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stderr.String()
}

// WaitStderr waits at most d until the process has written text to stderr,
// woken by each line rather than polling; it fails if the process exits first.
func (p *Process) WaitStderr(text string, d time.Duration) error {
	deadline := time.After(d)
	for {
		p.mu.Lock()
		seen, written := strings.Contains(p.stderr.String(), text), p.written
		p.mu.Unlock()
		if seen {
			return nil
		}
		select {
		case <-written:
		case <-p.exited:
			if strings.Contains(p.Stderr(), text) {
				return nil
			}
			return fmt.Errorf("exited before writing %q to stderr:\n%s", text, p.Stderr())
		case <-deadline:
			return fmt.Errorf("%q not in stderr within %s:\n%s", text, d, p.Stderr())
		}
	}
}

// Terminate sends SIGTERM.
func (p *Process) Terminate() error { return p.Cmd.Process.Signal(syscall.SIGTERM) }

// Wait waits at most d for the process to exit and returns how it exited.
func (p *Process) Wait(d time.Duration) error {
	select {
	case <-p.exited:
		return p.err
	case <-time.After(d):
		return fmt.Errorf("%s still running %s later", p.Cmd.Path, d)
	}
}

// Kill ends the process at once and waits for it.
func (p *Process) Kill() {
	_ = p.Cmd.Process.Kill()
	<-p.exited
}
