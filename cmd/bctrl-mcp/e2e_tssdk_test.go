package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/bctrlhq/bctrl-mcp/cmd/internal/visibleskip"
)

// TestTypeScriptSDKClient runs e2e/sdk-client.test.mjs, which drives the
// built binary with the official TypeScript SDK v1 at 2025-11-25.
func TestTypeScriptSDKClient(t *testing.T) {
	runNodeTest(t, "@modelcontextprotocol/sdk", "sdk-client.test.mjs")
}

// TestTypeScriptSDKv2Client runs e2e/sdk-v2-client.test.mjs, which drives the
// built binary with the official TypeScript SDK v2 client at 2026-07-28.
func TestTypeScriptSDKv2Client(t *testing.T) {
	runNodeTest(t, "@modelcontextprotocol/client", "sdk-v2-client.test.mjs")
}

// runNodeTest runs a node:test file in e2e/ against the built binary. Its
// npm packages are installed by `npm ci --prefix cmd/bctrl-mcp/e2e` (.ci/run
// does it); in CI their absence is a failure, elsewhere a visible skip.
func runNodeTest(t *testing.T, pkg, file string) {
	if _, err := os.Stat(filepath.Join("e2e", "node_modules", filepath.FromSlash(pkg))); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("e2e/node_modules/%s is missing in CI: run npm ci --prefix cmd/bctrl-mcp/e2e", pkg)
		}
		visibleskip.Skip(t, pkg+" not installed: run npm ci --prefix cmd/bctrl-mcp/e2e")
	}
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatal("node is not on PATH")
	}
	cmd := exec.CommandContext(t.Context(), node, "--test", file)
	cmd.Dir = "e2e"
	cmd.Env = append(os.Environ(), "BCTRL_MCP_BIN="+binPath)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("node --test %s failed: %v\n%s", file, err, out)
	}
	t.Logf("%s", out)
}
