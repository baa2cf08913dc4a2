package mcpproc

import (
	"os/exec"
	"strings"
	"testing"
	"time"
)

// silentProcess starts a process that never writes and ignores stdin closing.
func silentProcess(t *testing.T) *Proc {
	t.Helper()
	sleep, err := exec.LookPath("sleep")
	if err != nil {
		t.Skip("no sleep command:", err)
	}
	p, err := Start(nil, sleep, "60")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Kill)
	p.Timeout = 200 * time.Millisecond
	return p
}

func TestNextGivesUpOnASilentProcess(t *testing.T) {
	p := silentProcess(t)
	_, err := p.Next()
	if err == nil || !strings.Contains(err.Error(), "no line on stdout within 200ms") {
		t.Fatalf("Next: %v", err)
	}
}

func TestFinishKillsAProcessThatDoesNotExit(t *testing.T) {
	p := silentProcess(t)
	err := p.Finish()
	if err == nil || !strings.Contains(err.Error(), "stdout still open") {
		t.Fatalf("Finish: %v", err)
	}
	if p.Cmd.ProcessState == nil {
		t.Fatal("the process was left running")
	}
}

func TestWaitExitKillsAProcessThatDoesNotExit(t *testing.T) {
	p := silentProcess(t)
	err := p.WaitExit(200 * time.Millisecond)
	if err == nil || !strings.Contains(err.Error(), "did not exit within 200ms") || p.Cmd.ProcessState == nil {
		t.Fatalf("WaitExit: %v (state %v)", err, p.Cmd.ProcessState)
	}
}
