// Command bctrl-mcp is an MCP server (stdio, or Streamable HTTP with --http) that lets AI assistants run
// durable browser-agent invocations on bctrl and follow them to the end.
//
//	bctrl-mcp               serve MCP over stdio (default; --http ADDR for Streamable HTTP)
//	bctrl-mcp demo          scripted run against the built-in simulator
//	bctrl-mcp sim           the simulator as a standalone HTTP server
//	bctrl-mcp preview       the invocation panel in a local page, on the simulator
//	bctrl-mcp setup         check the key, pick defaults, write a client's config
//	bctrl-mcp doctor        check an existing client setup
//	bctrl-mcp schema [tool] print the published tool schemas
//	bctrl-mcp docs          print the README's tool reference
//	bctrl-mcp version       print the version
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// exitUsage is the exit code for bad flags or configuration.
const exitUsage = 2

func main() {
	ctx, cancel := context.WithCancel(context.Background())
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go onSignals(sigs, cancel, os.Stderr, os.Exit)
	os.Exit(run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv))
}

// onSignals cancels the command on the first SIGINT or SIGTERM, which winds
// it down within a bounded grace, and exits at once on the second: a user
// who asks twice is not kept waiting.
func onSignals(sigs <-chan os.Signal, cancel context.CancelFunc, stderr io.Writer, exit func(int)) {
	sig := <-sigs
	fmt.Fprintf(stderr, "bctrl-mcp: %v: shutting down (signal again to stop at once)\n", sig)
	cancel()
	sig = <-sigs
	fmt.Fprintf(stderr, "bctrl-mcp: %v again: stopping now\n", sig)
	exit(signalExitCode(sig))
}

// signalExitCode is the shell's convention for a process ended by sig: 128 + its number.
func signalExitCode(sig os.Signal) int {
	if s, ok := sig.(syscall.Signal); ok {
		return 128 + int(s)
	}
	return 1
}

// run executes one command line and returns the exit code. Only the serve
// path touches stdin and stdout, and there stdout carries JSON-RPC only.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) (code int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "bctrl-mcp: internal error: %v\n", r)
			code = 1
		}
	}()
	cmd := "serve"
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve", "stdio":
		return serveCmd(ctx, args, stdin, stdout, stderr, getenv)
	case "demo":
		return demoCmd(ctx, args, stdout, stderr, getenv)
	case "sim":
		return simCmd(ctx, args, stderr, getenv)
	case "preview":
		return previewCmd(ctx, args, stderr)
	case "setup":
		return setupCmd(ctx, args, stdin, stdout, stderr, getenv)
	case "doctor":
		return doctorCmd(ctx, args, stdout, stderr, getenv)
	case "schema":
		return schemaCmd(args, stdout, stderr)
	case "docs":
		return docsCmd(stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, "bctrl-mcp", version())
		return 0
	case "help":
		fmt.Fprint(stdout, usage)
		return 0
	}
	fmt.Fprintf(stderr, "bctrl-mcp: unknown command %q; run bctrl-mcp help\n", cmd)
	return exitUsage
}

const usage = `bctrl-mcp: run bctrl browser-agent invocations from an MCP client.

Commands:
  bctrl-mcp [flags]          serve MCP over stdio (the default), or Streamable HTTP with --http
  bctrl-mcp demo             scripted end-to-end run against the built-in simulator
  bctrl-mcp preview [--addr A] [--speed X]
                             the live invocation panel in a local page (default 127.0.0.1:8788)
  bctrl-mcp setup --client C [--space-id ID] [--runtime-id ID] [--dry-run]
                             check the key, pick defaults, write the config of
                             claude-desktop, claude-code, cursor or vscode
  bctrl-mcp doctor [--client C]  check an existing setup, one line per check
  bctrl-mcp sim [flags]      serve the simulator over HTTP (default 127.0.0.1:8787);
                             bctrl-mcp sim --help lists its flags and outcome markers
  bctrl-mcp schema [tool]    print the published input/output schemas
  bctrl-mcp docs             print the tool reference (Markdown)
  bctrl-mcp version          print the version

Serve flags (each has an environment twin):
  --base-url     BCTRL_BASE_URL     API base URL (default https://api.bctrl.ai)
  --space-id     BCTRL_SPACE_ID     default space for create_invocation (uuid)
  --runtime-id   BCTRL_RUNTIME_ID   default runtime for create_invocation (uuid)
  --read-only    BCTRL_READ_ONLY    register only get_invocation
  --simulate     BCTRL_SIMULATE     use the built-in simulator instead of the network
  --log-level    BCTRL_LOG_LEVEL    stderr log level: debug, info, warn, error (default info)
  --result-budget       BCTRL_RESULT_BUDGET       characters a tool result's text may take; a longer
                                                  answer is cut and linked whole (default 24000)
  --artifact-max-bytes  BCTRL_ARTIFACT_MAX_BYTES  largest run artifact a resources/read downloads
                                                  (default 10485760, 10 MiB)
  --http         BCTRL_HTTP_ADDR    serve Streamable HTTP on this address (e.g. 127.0.0.1:8080) instead of stdio
  --http-auth    BCTRL_HTTP_AUTH    none (loopback only; the default), token or passthrough
  --http-allowed-origins BCTRL_HTTP_ALLOWED_ORIGINS  origins (and hosts) allowed besides loopback, comma-separated
  --http-max-body      BCTRL_HTTP_MAX_BODY       largest request body (default 2MiB)
  --http-max-in-flight BCTRL_HTTP_MAX_IN_FLIGHT  calls in flight per credential (default 64)
  (no flag)      BCTRL_HTTP_TOKEN   the access token clients send with --http-auth token; never a flag
  (no flag)      BCTRL_API_KEY      API key; required unless simulating; never a flag
  (no flag)      BCTRL_SHUTDOWN_GRACE  time answers in flight get to be written at exit (default 2s; 8s with --http)

SIGINT or SIGTERM (or stdin closing) ends the server within that grace; a second signal ends it at once.
`
