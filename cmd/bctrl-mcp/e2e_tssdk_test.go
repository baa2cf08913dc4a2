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

// TestTypeScriptSDKClientOverHTTP runs e2e/sdk-http.test.mjs: the SDK v1
// client at 2025-11-25 over Streamable HTTP, with token auth.
func TestTypeScriptSDKClientOverHTTP(t *testing.T) {
	const token = "ts-sdk-http-e2e-token-0123456789"
	p := startHTTP(t, []string{"BCTRL_SIMULATE=true", "BCTRL_SIM_SPEED=20", "BCTRL_HTTP_TOKEN=" + token}, "--http-auth", "token")
	runNodeTest(t, "@modelcontextprotocol/sdk", "sdk-http.test.mjs", "BCTRL_MCP_URL="+p.URL, "BCTRL_MCP_TOKEN="+token)
}

// TestTypeScriptSDKv2ClientOverHTTP runs e2e/sdk-v2-http.test.mjs: the SDK
// v2 client at 2026-07-28 over Streamable HTTP, passing its own key through.
func TestTypeScriptSDKv2ClientOverHTTP(t *testing.T) {
	p := startHTTP(t, []string{"BCTRL_SIMULATE=true", "BCTRL_SIM_SPEED=20"}, "--http-auth", "passthrough")
	runNodeTest(t, "@modelcontextprotocol/client", "sdk-v2-http.test.mjs", "BCTRL_MCP_URL="+p.URL, "BCTRL_MCP_KEY=bctrl_ts_sdk_v2_user")
	// The client closed the stream of the wait it aborted: the server saw it go.
	waitLog(t, p, "outcome=client-gone", "access-log line of the aborted call")
}

// runNodeTest runs a node:test file in e2e/ against the built binary, with
// env added. Its npm packages are installed by `npm ci --prefix
// cmd/bctrl-mcp/e2e` (.ci/run does it); in CI their absence is a failure,
// elsewhere a visible skip.
func runNodeTest(t *testing.T, pkg, file string, env ...string) {
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
	cmd.Env = append(append(os.Environ(), "BCTRL_MCP_BIN="+binPath), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("node --test %s failed: %v\n%s", file, err, out)
	}
	t.Logf("%s", out)
}
