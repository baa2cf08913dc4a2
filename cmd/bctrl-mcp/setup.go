package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/bctrlhq/bctrl-mcp/bctrl"
	"github.com/bctrlhq/bctrl-mcp/cmd/internal/setup"
	"golang.org/x/term"
)

const setupUsage = `bctrl-mcp setup: check your API key, pick a default space and runtime, and
write the MCP config of one client (a diff is shown, a backup kept, other
servers left alone; running it again changes nothing).

  bctrl-mcp setup --client claude-desktop|claude-code|cursor|vscode
                  [--space-id ID] [--runtime-id ID] [--dry-run] [--base-url URL]

The key comes from BCTRL_API_KEY (or is asked for, hidden, in a terminal).
Without a terminal, pass --space-id/--runtime-id unless there is one choice.
`

func setupCmd(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	fs := newFlagSet("bctrl-mcp setup")
	client := fs.String("client", "", "claude-desktop, claude-code, cursor or vscode")
	spaceID := fs.String("space-id", "", "default space")
	runtimeID := fs.String("runtime-id", "", "default runtime")
	dryRun := fs.Bool("dry-run", false, "print the change, write nothing")
	baseURL := fs.String("base-url", envOr(getenv, "BCTRL_BASE_URL", bctrl.DefaultBaseURL), "API base URL")
	if err := parseFlags(fs, args, stderr, setupUsage); err != nil {
		return configError(stderr, err)
	}
	if fs.NArg() > 0 {
		return configError(stderr, fmt.Errorf("setup: unexpected argument %q (run bctrl-mcp setup --help)", fs.Arg(0)))
	}
	env, err := machineEnv(getenv)
	if err != nil {
		fmt.Fprintf(stderr, "bctrl-mcp setup: %v\n", err)
		return 1
	}
	command, err := executablePath()
	if err != nil {
		fmt.Fprintf(stderr, "bctrl-mcp setup: %v\n", err)
		return 1
	}
	terminal, fd := terminalFD(stdin)
	opts := setup.Options{
		Client: *client, SpaceID: strings.TrimSpace(*spaceID), RuntimeID: strings.TrimSpace(*runtimeID), DryRun: *dryRun,
		APIKey: getenv("BCTRL_API_KEY"), BaseURL: *baseURL, Command: command, Env: env,
		Stdin: stdin, Interactive: terminal, Out: stdout, UserAgent: "bctrl-mcp/" + version() + " setup",
	}
	if terminal {
		opts.ReadKey = func() (string, error) {
			b, err := term.ReadPassword(fd)
			return string(b), err
		}
	}
	if err := setup.Run(ctx, opts); err != nil {
		fmt.Fprintf(stderr, "bctrl-mcp setup: %v\n", err)
		return 1
	}
	return 0
}

// machineEnv is where the client configs live on this machine.
func machineEnv(getenv func(string) string) (setup.Env, error) {
	wd, err := os.Getwd()
	if err != nil {
		return setup.Env{}, err
	}
	home := getenv("HOME")
	if runtime.GOOS == "windows" && home == "" {
		home = getenv("USERPROFILE")
	}
	return setup.Env{GOOS: runtime.GOOS, Home: home, AppData: getenv("APPDATA"), XDGConfigHome: getenv("XDG_CONFIG_HOME"), WorkDir: wd, Getenv: getenv}, nil
}

// executablePath is this binary's absolute path, symlinks resolved, which
// is what a client config must name.
func executablePath() (string, error) {
	exe, err := os.Executable()
	if err != nil {
		return "", fmt.Errorf("cannot find this binary's path: %v", err)
	}
	if resolved, err := filepath.EvalSymlinks(exe); err == nil {
		exe = resolved
	}
	return exe, nil
}

// terminalFD reports whether stdin is a terminal, and its descriptor.
func terminalFD(stdin io.Reader) (bool, int) {
	f, ok := stdin.(*os.File)
	if !ok {
		return false, 0
	}
	fd := int(f.Fd())
	return term.IsTerminal(fd), fd
}
