package main

import (
	"context"
	"fmt"
	"io"

	"github.com/bctrlhq/bctrl-mcp/cmd/internal/setup"
)

const doctorUsage = `bctrl-mcp doctor: check an existing setup, one line per check with the fix:
config file found and valid, binary present and runnable, key accepted,
default space and runtime exist and the runtime looks ready. Exit 0 when
every check passes, 1 otherwise.

  bctrl-mcp doctor [--client claude-desktop|claude-code|cursor|vscode]

Without --client it checks every client whose config has a bctrl server.
For configs that take the key from the environment, doctor uses its own
BCTRL_API_KEY.
`

func doctorCmd(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	fs := newFlagSet("bctrl-mcp doctor")
	client := fs.String("client", "", "check only this client")
	if err := parseFlags(fs, args, stderr, doctorUsage); err != nil {
		return configError(stderr, err)
	}
	if fs.NArg() > 0 {
		return configError(stderr, fmt.Errorf("doctor: unexpected argument %q (run bctrl-mcp doctor --help)", fs.Arg(0)))
	}
	env, err := machineEnv(getenv)
	if err != nil {
		fmt.Fprintf(stderr, "bctrl-mcp doctor: %v\n", err)
		return 1
	}
	if !setup.Doctor(ctx, setup.DoctorOptions{Client: *client, Env: env, Out: stdout, UserAgent: "bctrl-mcp/" + version() + " doctor"}) {
		return 1
	}
	return 0
}
