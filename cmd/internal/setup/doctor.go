package setup

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/bctrlhq/bctrl-mcp/bctrl"
)

// DoctorOptions are the inputs of Doctor.
type DoctorOptions struct {
	// Client limits the check to one client; empty checks every client
	// whose config has a bctrl server.
	Client string
	Env    Env
	Out    io.Writer
	// HTTPClient and UserAgent go to the bctrl client.
	HTTPClient *http.Client
	UserAgent  string
}

// versionTimeout bounds running the configured binary's version command.
const versionTimeout = 10 * time.Second

// Doctor checks existing client configs and prints one line per check,
// with the fix for each failure. It reports whether every check passed.
func Doctor(ctx context.Context, o DoctorOptions) bool {
	r := &doctorRun{out: o.Out, ok: true}
	targets := clients
	if o.Client != "" {
		cl, err := lookupClient(o.Client)
		if err != nil {
			r.fail("client", err.Error(), "bctrl-mcp doctor --client "+strings.Join(ClientNames(), "|"))
			return false
		}
		targets = []client{cl}
	}
	checked := 0
	var looked []string
	for _, cl := range targets {
		path, err := cl.path(o.Env)
		if err != nil {
			if o.Client != "" {
				r.fail("config", err.Error(), "set it and run doctor again")
			}
			continue
		}
		looked = append(looked, path)
		e, found := r.checkConfig(cl, path, o.Client != "")
		if !found {
			continue
		}
		checked++
		r.checkBinary(ctx, e.Command)
		r.checkAPI(ctx, cl, e, o)
	}
	if checked == 0 && o.Client == "" {
		r.fail("config", "no client config with a bctrl server found (looked at "+strings.Join(looked, ", ")+")",
			"bctrl-mcp setup --client "+strings.Join(ClientNames(), "|"))
	}
	return r.ok
}

type doctorRun struct {
	out io.Writer
	ok  bool
}

func (r *doctorRun) pass(check, detail string) {
	fmt.Fprintf(r.out, "ok    %-8s %s\n", check, detail)
}

func (r *doctorRun) skip(check, detail string) {
	fmt.Fprintf(r.out, "skip  %-8s %s\n", check, detail)
}

func (r *doctorRun) fail(check, detail, fix string) {
	r.ok = false
	fmt.Fprintf(r.out, "FAIL  %-8s %s; fix: %s\n", check, detail, fix)
}

// checkConfig reads the client's config and returns its bctrl entry. A
// missing file or entry fails only when the client was asked for by name.
func (r *doctorRun) checkConfig(cl client, path string, named bool) (entry, bool) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		if named {
			r.fail("config", cl.title+": no config at "+path, "bctrl-mcp setup --client "+cl.name)
		}
		return entry{}, false
	}
	if err != nil {
		r.fail("config", cl.title+": "+err.Error(), "check the file's permissions")
		return entry{}, false
	}
	root, err := parseObject(data)
	if err != nil {
		r.fail("config", fmt.Sprintf("%s: %s is not valid JSON (%v)", cl.title, path, err), "repair it, or restore a backup ("+filepath.Base(path)+".bak-*)")
		return entry{}, false
	}
	e, ok := entryOf(data, cl.serversKey)
	if !ok {
		if _, present := serverRaw(root, cl.serversKey); present {
			r.fail("config", fmt.Sprintf("%s: the %q server in %s is not a server entry", cl.title, ServerName, path), "bctrl-mcp setup --client "+cl.name)
		} else if named {
			r.fail("config", fmt.Sprintf("%s: %s has no %q server", cl.title, path, ServerName), "bctrl-mcp setup --client "+cl.name)
		} else {
			r.skip("config", fmt.Sprintf("%s: %s has no %q server", cl.title, path, ServerName))
		}
		return entry{}, false
	}
	r.pass("config", fmt.Sprintf("%s: %s, server %q", cl.title, path, ServerName))
	return e, true
}

// checkBinary checks the configured command exists and is bctrl-mcp.
func (r *doctorRun) checkBinary(ctx context.Context, command string) {
	if command == "" {
		r.fail("binary", "the bctrl server has no command", "bctrl-mcp setup")
		return
	}
	path := command
	if !filepath.IsAbs(path) {
		found, err := exec.LookPath(path)
		if err != nil {
			r.fail("binary", fmt.Sprintf("%q is not an absolute path and not on this PATH", command), "use the absolute path (bctrl-mcp setup writes it); GUI clients do not see your shell PATH")
			return
		}
		path = found
	}
	info, err := os.Stat(path)
	if err != nil || !info.Mode().IsRegular() {
		r.fail("binary", fmt.Sprintf("%s does not exist", path), "install bctrl-mcp there, or run bctrl-mcp setup from the installed binary")
		return
	}
	if runtime.GOOS != "windows" && info.Mode().Perm()&0o111 == 0 {
		r.fail("binary", path+" is not executable", "chmod +x "+path)
		return
	}
	ctx, cancel := context.WithTimeout(ctx, versionTimeout)
	defer cancel()
	out, err := exec.CommandContext(ctx, path, "version").Output()
	if err != nil || !strings.HasPrefix(string(out), "bctrl-mcp") {
		r.fail("binary", fmt.Sprintf("%s did not answer `version` as bctrl-mcp (%v)", path, errOr(err, "got "+strconv.Quote(firstLine(out)))), "reinstall bctrl-mcp for this machine")
		return
	}
	r.pass("binary", path+" ("+firstLine(out)+")")
}

// checkAPI checks the key, the default space and the default runtime the
// entry's environment names, the way the server would use them.
func (r *doctorRun) checkAPI(ctx context.Context, cl client, e entry, o DoctorOptions) {
	fix := "bctrl-mcp setup --client " + cl.name
	if b, _ := strconv.ParseBool(e.Env["BCTRL_SIMULATE"]); b {
		r.pass("key", "BCTRL_SIMULATE is on: the server uses its built-in simulator, no key needed")
		return
	}
	key, ok := r.resolveKey(cl, e, o.Env)
	if !ok {
		return
	}
	baseURL := e.Env["BCTRL_BASE_URL"]
	if baseURL == "" {
		baseURL = bctrl.DefaultBaseURL
	}
	api, err := newAPI(baseURL, key, o.HTTPClient, o.UserAgent)
	if err != nil {
		r.fail("key", err.Error(), "fix BCTRL_BASE_URL in the config, or run "+fix)
		return
	}
	id, err := api.Whoami(ctx)
	if err != nil {
		problem, how := explain(err, baseURL)
		r.fail("key", problem, how)
		return
	}
	r.pass("key", "accepted by "+baseURL+identityText(id))
	spaceID, runtimeID := e.Env["BCTRL_SPACE_ID"], e.Env["BCTRL_RUNTIME_ID"]
	if spaceID == "" {
		r.pass("space", "no default: the assistant passes spaceId with each create_invocation")
	} else if !r.checkSpace(ctx, api, spaceID, baseURL, fix) {
		return
	}
	switch {
	case runtimeID == "":
		r.pass("runtime", "no default: the assistant passes runtimeId with each create_invocation")
	case spaceID == "":
		r.skip("runtime", "a default runtime without a default space cannot be looked up")
	default:
		r.checkRuntime(ctx, api, spaceID, runtimeID, baseURL, fix)
	}
}

// resolveKey finds the key the server will get: the literal in the file,
// or for a reference the same variable in doctor's own environment.
func (r *doctorRun) resolveKey(cl client, e entry, env Env) (string, bool) {
	value, set := e.Env["BCTRL_API_KEY"]
	getenv := env.Getenv
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	switch {
	case !set || value == "":
		r.fail("key", "the bctrl server's env has no BCTRL_API_KEY", "bctrl-mcp setup --client "+cl.name)
		return "", false
	case strings.HasPrefix(value, "${input:"):
		if k := getenv("BCTRL_API_KEY"); k != "" {
			return k, true
		}
		r.skip("key", cl.title+" asks for the key itself; set BCTRL_API_KEY here to let doctor check it")
		return "", false
	case strings.HasPrefix(value, "${"):
		if k := getenv("BCTRL_API_KEY"); k != "" {
			return k, true
		}
		r.fail("key", fmt.Sprintf("the config takes the key from %s, but BCTRL_API_KEY is not set in this environment", value),
			"export BCTRL_API_KEY=<your key> where "+cl.title+" starts")
		return "", false
	}
	return value, true
}

func (r *doctorRun) checkSpace(ctx context.Context, api *bctrl.Client, spaceID, baseURL, fix string) bool {
	spaces, err := api.ListSpaces(ctx)
	if err != nil {
		problem, how := explain(err, baseURL)
		r.fail("space", "listing spaces failed: "+problem, how)
		return false
	}
	for _, s := range spaces {
		if s.ID == spaceID {
			r.pass("space", nameOr(s.Name)+" ("+s.ID+")")
			return true
		}
	}
	r.fail("space", fmt.Sprintf("%s is not among the %d spaces this key sees", spaceID, len(spaces)), fix)
	return false
}

func (r *doctorRun) checkRuntime(ctx context.Context, api *bctrl.Client, spaceID, runtimeID, baseURL, fix string) {
	rts, err := api.ListRuntimes(ctx, spaceID)
	if err != nil {
		problem, how := explain(err, baseURL)
		r.fail("runtime", "listing runtimes failed: "+problem, how)
		return
	}
	for _, rt := range rts {
		if rt.ID != runtimeID {
			continue
		}
		label := nameOr(rt.Name) + " (" + rt.ID + ")"
		switch ready, why := rt.Readiness(); ready {
		case bctrl.RuntimeNotReady:
			r.fail("runtime", label+" does not look ready: "+why, "start it in bctrl, or pick another with "+fix)
		case bctrl.RuntimeReady:
			r.pass("runtime", label+": "+why)
		default:
			r.pass("runtime", label+" exists ("+why+")")
		}
		return
	}
	r.fail("runtime", fmt.Sprintf("%s is not among the %d runtimes of space %s", runtimeID, len(rts), spaceID), fix)
}

// entryOf decodes the bctrl entry of a config; false when absent or not an object.
func entryOf(data []byte, serversKey string) (entry, bool) {
	root, err := parseObject(data)
	if err != nil {
		return entry{}, false
	}
	raw, ok := serverRaw(root, serversKey)
	if !ok {
		return entry{}, false
	}
	var e entry
	if json.Unmarshal(raw, &e) != nil {
		return entry{}, false
	}
	return e, true
}

func serverRaw(root *jsonObject, serversKey string) (json.RawMessage, bool) {
	servers, err := root.object(serversKey)
	if err != nil {
		return nil, false
	}
	return servers.get(ServerName)
}

func firstLine(b []byte) string {
	s, _, _ := strings.Cut(strings.TrimSpace(string(b)), "\n")
	return s
}

func errOr(err error, alt string) string {
	if err != nil {
		return err.Error()
	}
	return alt
}
