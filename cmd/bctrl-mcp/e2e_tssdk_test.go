package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/bctrlhq/bctrl-mcp/cmd/internal/visibleskip"
)

// TestTypeScriptSDKClient runs e2e/sdk-client.test.mjs, which drives the
// built binary with the official TypeScript SDK. Its npm packages are
// installed by `npm ci --prefix cmd/bctrl-mcp/e2e` (.ci/run does it); in CI
// their absence is a failure, elsewhere a skip printed on the terminal.
func TestTypeScriptSDKClient(t *testing.T) {
	if _, err := os.Stat(filepath.Join("e2e", "node_modules", "@modelcontextprotocol", "sdk")); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("e2e/node_modules is missing in CI: run npm ci --prefix cmd/bctrl-mcp/e2e")
		}
		visibleskip.Skip(t, "TypeScript SDK not installed: run npm ci --prefix cmd/bctrl-mcp/e2e")
	}
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatal("node is not on PATH")
	}
	cmd := exec.CommandContext(t.Context(), node, "--test", "sdk-client.test.mjs")
	cmd.Dir = "e2e"
	cmd.Env = append(os.Environ(), "BCTRL_MCP_BIN="+binPath)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("node --test failed: %v\n%s", err, out)
	}
	t.Logf("%s", out)
}
