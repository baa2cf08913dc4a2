// Package setup writes and checks MCP client configurations for bctrl-mcp:
// Run (bctrl-mcp setup) checks the API key, lets the person pick a default
// space and runtime and writes the chosen client's config; Doctor (bctrl-mcp
// doctor) checks an existing one. It is a client of package bctrl, not of
// MCP; the command only parses flags and calls it.
package setup

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"time"

	"github.com/bctrlhq/bctrl-mcp/bctrl"
)

// Options are the inputs of Run.
type Options struct {
	// Client is claude-desktop, claude-code, cursor or vscode.
	Client string
	// SpaceID and RuntimeID pick the defaults without asking.
	SpaceID, RuntimeID string
	// DryRun prints the change and writes nothing.
	DryRun bool
	// APIKey is the key to check (from BCTRL_API_KEY; never a flag).
	APIKey string
	// BaseURL is the API; empty means bctrl.DefaultBaseURL. A non-default
	// one is written into the config too.
	BaseURL string
	// Command is the absolute path of the bctrl-mcp binary the client starts.
	Command string
	Env     Env
	// Stdin is read only when Interactive.
	Stdin       io.Reader
	Interactive bool
	// ReadKey asks for the key without echo when APIKey is empty and Interactive.
	ReadKey func() (string, error)
	Out     io.Writer
	// Now stamps backups; nil means time.Now.
	Now func() time.Time
	// HTTPClient and UserAgent go to the bctrl client.
	HTTPClient *http.Client
	UserAgent  string
}

// Run checks the key, picks the defaults and writes (or, with DryRun,
// prints) the client's config. The returned error is one line.
func Run(ctx context.Context, o Options) error {
	cl, err := lookupClient(o.Client)
	if err != nil {
		return err
	}
	path, err := cl.path(o.Env)
	if err != nil {
		return err
	}
	if err := checkCommand(o.Command); err != nil {
		return err
	}
	out := o.Out
	fmt.Fprintf(out, "bctrl-mcp setup for %s\n", cl.title)
	in := bufio.NewReader(orEmpty(o.Stdin))
	key, err := apiKey(o, out)
	if err != nil {
		return err
	}
	baseURL := o.BaseURL
	if baseURL == "" {
		baseURL = bctrl.DefaultBaseURL
	}
	api, err := newAPI(baseURL, key, o.HTTPClient, o.UserAgent)
	if err != nil {
		return err
	}
	id, err := api.Whoami(ctx)
	if err != nil {
		problem, fix := explain(err, baseURL)
		return fmt.Errorf("%s: %s", problem, fix)
	}
	fmt.Fprintf(out, "Key:     accepted by %s%s\n", baseURL, identityText(id))
	space, rt, err := chooseDefaults(ctx, api, &picker{in: in, out: out, interactive: o.Interactive}, o)
	if err != nil {
		return err
	}
	s := settings{command: o.Command, apiKey: key, spaceID: space.ID, runtimeID: rt.ID}
	if baseURL != bctrl.DefaultBaseURL {
		s.baseURL = baseURL
	}
	e := cl.entryFor(s)
	ch, err := planChange(cl, path, e)
	if err != nil {
		return err
	}
	return report(out, cl, ch, e, o, key)
}

// chooseDefaults lists the spaces and their runtimes and picks one of each
// (no runtime when the space has none).
func chooseDefaults(ctx context.Context, api *bctrl.Client, p *picker, o Options) (bctrl.Space, bctrl.Runtime, error) {
	fail := func(err error) (bctrl.Space, bctrl.Runtime, error) {
		problem, fix := explain(err, "the API")
		return bctrl.Space{}, bctrl.Runtime{}, fmt.Errorf("listing spaces and runtimes failed: %s: %s", problem, fix)
	}
	spaces, err := api.ListSpaces(ctx)
	if err != nil {
		return fail(err)
	}
	if len(spaces) == 0 {
		return bctrl.Space{}, bctrl.Runtime{}, errors.New("this key sees no spaces: create a space (and a runtime in it) in bctrl, then run setup again")
	}
	runtimes := make([][]bctrl.Runtime, len(spaces))
	fmt.Fprintln(p.out, "\nSpaces and their runtimes:")
	for i, sp := range spaces {
		if runtimes[i], err = api.ListRuntimes(ctx, sp.ID); err != nil {
			return fail(err)
		}
		fmt.Fprintf(p.out, "  %d. %s  %s\n", i+1, nameOr(sp.Name), sp.ID)
		for j, r := range runtimes[i] {
			fmt.Fprintf(p.out, "       %d. %s  %s  %s\n", j+1, nameOr(r.Name), r.ID, runtimeState(r))
		}
		if len(runtimes[i]) == 0 {
			fmt.Fprintln(p.out, "       (no runtimes)")
		}
	}
	fmt.Fprintln(p.out)
	ids := make([]string, len(spaces))
	for i, sp := range spaces {
		ids[i] = sp.ID
	}
	si, how, err := p.pick("space", "--space-id", o.SpaceID, ids, false)
	if err != nil {
		return bctrl.Space{}, bctrl.Runtime{}, err
	}
	space := spaces[si]
	fmt.Fprintf(p.out, "Space:   %s (%s), %s\n", nameOr(space.Name), space.ID, how)
	rts := runtimes[si]
	ids = make([]string, len(rts))
	for i, r := range rts {
		ids[i] = r.ID
	}
	ri, how, err := p.pick("runtime", "--runtime-id", o.RuntimeID, ids, true)
	if err != nil {
		return bctrl.Space{}, bctrl.Runtime{}, err
	}
	if ri < 0 {
		fmt.Fprintln(p.out, "Runtime: no default; the assistant passes runtimeId with each create_invocation")
		return space, bctrl.Runtime{}, nil
	}
	rt := rts[ri]
	fmt.Fprintf(p.out, "Runtime: %s (%s), %s\n", nameOr(rt.Name), rt.ID, how)
	if ready, why := rt.Readiness(); ready == bctrl.RuntimeNotReady {
		fmt.Fprintf(p.out, "Warning: this runtime does not look ready (%s); start it in bctrl before the first invocation.\n", why)
	}
	return space, rt, nil
}

// report shows the change and applies it unless this is a dry run.
func report(out io.Writer, cl client, ch *change, e entry, o Options, key string) error {
	fmt.Fprintf(out, "\nConfig:  %s\n", ch.path)
	if len(ch.others) > 0 {
		fmt.Fprintf(out, "Kept:    %d other server(s): %s\n", len(ch.others), strings.Join(ch.others, ", "))
	}
	if !ch.changed() {
		fmt.Fprintln(out, "Already up to date; nothing written.")
	} else {
		fmt.Fprintln(out, showDiff(ch, key))
		if o.DryRun {
			fmt.Fprintln(out, "Dry run: nothing written.")
		} else {
			now := time.Now
			if o.Now != nil {
				now = o.Now
			}
			backup, err := ch.apply(now(), cl.key == keyInFile)
			if err != nil {
				return fmt.Errorf("write %s: %v", ch.path, err)
			}
			if backup != "" {
				fmt.Fprintf(out, "Backup:  %s\n", backup)
			}
			fmt.Fprintf(out, "Wrote:   %s\n", ch.path)
		}
	}
	fmt.Fprintln(out, "\n"+cl.keyNote)
	if cl.name == "claude-code" {
		fmt.Fprintf(out, "\nFor every project instead of this one, run:\n  %s\n", claudeAddLine(cl, e))
	}
	fmt.Fprintf(out, "\nNext: %s, then check it with: bctrl-mcp doctor --client %s\n", nextStep(cl), cl.name)
	return nil
}

// claudeAddLine is the `claude mcp add` equivalent of the .mcp.json entry, at user scope.
func claudeAddLine(cl client, e entry) string {
	parts := []string{"claude mcp add --scope user", ServerName, "-e 'BCTRL_API_KEY=" + cl.keyRef + "'"}
	for _, k := range []string{"BCTRL_BASE_URL", "BCTRL_SPACE_ID", "BCTRL_RUNTIME_ID"} {
		if v := e.Env[k]; v != "" {
			parts = append(parts, "-e "+k+"="+v)
		}
	}
	return strings.Join(append(parts, "--", shellQuote(e.Command)), " ")
}

func nextStep(cl client) string {
	switch cl.name {
	case "claude-desktop":
		return "quit and reopen Claude Desktop"
	case "claude-code":
		return "start claude in this folder and approve the bctrl server"
	case "cursor":
		return "reload Cursor's MCP servers (Settings, MCP)"
	}
	return "open this folder in VS Code and start the bctrl server from .vscode/mcp.json"
}

func apiKey(o Options, out io.Writer) (string, error) {
	key := strings.TrimSpace(o.APIKey)
	if key == "" && o.Interactive && o.ReadKey != nil {
		fmt.Fprint(out, "bctrl API key (not shown while you type): ")
		typed, err := o.ReadKey()
		fmt.Fprintln(out)
		if err != nil {
			return "", fmt.Errorf("read the key: %v", err)
		}
		key = strings.TrimSpace(typed)
	}
	if key == "" {
		return "", errors.New("BCTRL_API_KEY is not set: export your bctrl API key in BCTRL_API_KEY (setup never takes it as a flag), or run setup in a terminal to type it")
	}
	if strings.ContainsAny(key, " \t\r\n") {
		return "", errors.New("the API key contains white space; check how it was pasted")
	}
	return key, nil
}

func newAPI(baseURL, key string, hc *http.Client, ua string) (*bctrl.Client, error) {
	opts := []bctrl.Option{bctrl.WithBaseURL(baseURL), bctrl.WithAPIKey(key), bctrl.WithRequestTimeout(20 * time.Second)}
	if hc != nil {
		opts = append(opts, bctrl.WithHTTPClient(hc))
	}
	if ua != "" {
		opts = append(opts, bctrl.WithUserAgent(ua))
	}
	c, err := bctrl.NewClient(opts...)
	if err != nil {
		return nil, fmt.Errorf("BCTRL_BASE_URL: %v", err)
	}
	return c, nil
}

// checkCommand refuses a binary path a client could not start later: not
// absolute, or inside the temporary folder of a `go run` build.
func checkCommand(path string) error {
	if !filepath.IsAbs(path) {
		return fmt.Errorf("the bctrl-mcp path %q is not absolute", path)
	}
	if strings.Contains(filepath.ToSlash(path), "/go-build") {
		return errors.New("this bctrl-mcp runs from a temporary `go run` build that is deleted when it exits; " +
			"install it first (go install github.com/bctrlhq/bctrl-mcp/cmd/bctrl-mcp@latest) and run that binary's setup")
	}
	return nil
}

func identityText(id bctrl.Identity) string {
	fields := id.Summary()
	if len(fields) == 0 {
		return ""
	}
	parts := make([]string, len(fields))
	for i, f := range fields {
		parts[i] = f.Name + " " + f.Value
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

func shellQuote(s string) string {
	if s != "" && !strings.ContainsAny(s, " '\"\\$`!*?&;|<>()[]{}#~") {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func orEmpty(r io.Reader) io.Reader {
	if r == nil {
		return strings.NewReader("")
	}
	return r
}
