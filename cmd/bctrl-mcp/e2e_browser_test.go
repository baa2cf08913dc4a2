package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// TestPanelInBrowser runs e2e-browser/panel.test.mjs: playwright-core drives
// Debian's Chromium against the real binary's `preview` on a fast simulator.
// It needs Chromium (apt-get install chromium; CHROMIUM_PATH overrides
// /usr/bin/chromium) and `npm ci --prefix cmd/bctrl-mcp/e2e-browser`; .ci/run
// installs both, so in CI their absence is a failure, elsewhere a skip that
// is announced on the terminal. Screenshots are kept in BCTRL_PANEL_SHOTS,
// by default $TMPDIR/bctrl-mcp-panel-shots.
func TestPanelInBrowser(t *testing.T) {
	chromium := os.Getenv("CHROMIUM_PATH")
	if chromium == "" {
		chromium = "/usr/bin/chromium"
	}
	var missing string
	if _, err := os.Stat(chromium); err != nil {
		missing = "Chromium is not installed (apt-get install chromium, or set CHROMIUM_PATH)"
	} else if _, err := os.Stat(filepath.Join("e2e-browser", "node_modules", "playwright-core")); err != nil {
		missing = "the browser test's npm packages are not installed (npm ci --prefix cmd/bctrl-mcp/e2e-browser)"
	}
	node, err := exec.LookPath("node")
	if missing == "" && err != nil {
		missing = "node is not on PATH"
	}
	if missing != "" {
		if os.Getenv("CI") != "" {
			t.Fatal("the panel's browser test cannot run in CI: " + missing)
		}
		skipVisibly(t, "browser test of the invocation panel skipped: "+missing)
	}
	shots := os.Getenv("BCTRL_PANEL_SHOTS")
	if shots == "" {
		shots = filepath.Join(os.TempDir(), "bctrl-mcp-panel-shots")
	}

	p := startPreview(t, "--speed", "4")
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "--test", "panel.test.mjs")
	cmd.Dir = "e2e-browser"
	cmd.Env = append(os.Environ(), "BCTRL_PREVIEW_URL="+p.URL, "CHROMIUM_PATH="+chromium, "BCTRL_PANEL_SHOTS="+shots)
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		t.Fatalf("the browser test did not finish within 2 minutes:\n%s", out)
	}
	if err != nil {
		t.Fatalf("node --test panel.test.mjs failed: %v\n%s", err, out)
	}
	t.Logf("%s", out)
	p.interrupt(t)
}

// skipVisibly skips t and says so on the terminal too: go test prints a
// passing package's output only with -v, and a browser test that did not
// run should not pass unnoticed.
func skipVisibly(t *testing.T, msg string) {
	t.Helper()
	if tty, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0); err == nil {
		fmt.Fprintf(tty, "--- SKIP %s: %s\n", t.Name(), msg)
		_ = tty.Close()
	}
	t.Skip(msg)
}
