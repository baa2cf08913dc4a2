package setup

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/bctrlhq/bctrl-mcp/bctrl/bctrlsim"
)

// existing is a config each client already has: another server with its own
// secret, and for VS Code another input, in an order setup must keep.
func existing(serversKey string) string {
	s := `{
  "zeta": 1,
  "` + serversKey + `": {
    "github": {
      "command": "/usr/local/bin/github-mcp-server",
      "env": {
        "GITHUB_PERSONAL_ACCESS_TOKEN": "ghp_OTHERSECRET"
      }
    }
  }`
	if serversKey == "servers" {
		s += `,
  "inputs": [
    {
      "id": "other",
      "type": "promptString"
    }
  ]`
	}
	return s + ",\n  \"alpha\": true\n}\n"
}

func TestSetupKeepsOtherServersBacksUpAndIsIdempotent(t *testing.T) {
	for _, cl := range clients {
		t.Run(cl.name, func(t *testing.T) {
			w := newWorld(t, nil)
			path := w.path(cl.name)
			before := existing(cl.serversKey)
			w.write(path, before, 0o644)

			out, err := w.setup(w.opts(cl.name, nil))
			if err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
			noSecrets(t, out, "ghp_OTHERSECRET")
			if !strings.Contains(out, "Kept:    1 other server(s): github") || !strings.Contains(out, "+    \"bctrl\": {") {
				t.Errorf("output lacks the kept servers or the diff:\n%s", out)
			}
			after := w.read(path)
			got, old := decode(t, after), decode(t, []byte(before))
			servers := got[cl.serversKey].(map[string]any)
			if !reflect.DeepEqual(servers["github"], old[cl.serversKey].(map[string]any)["github"]) || got["zeta"] != 1.0 || got["alpha"] != true {
				t.Errorf("other content changed:\n%s", after)
			}
			if keys := topKeys(t, after); strings.Join(keys, ",") != strings.Join(topKeys(t, []byte(before)), ",") {
				t.Errorf("top-level order changed: %v", keys)
			}
			bctrlEntry := servers["bctrl"].(map[string]any)
			env := bctrlEntry["env"].(map[string]any)
			if bctrlEntry["command"] != w.command || env["BCTRL_SPACE_ID"] != bctrlsim.SeedSpaceID ||
				env["BCTRL_RUNTIME_ID"] != bctrlsim.SeedRuntimeID || env["BCTRL_BASE_URL"] != w.baseURL {
				t.Errorf("bctrl entry %v", bctrlEntry)
			}
			wantKey := map[string]string{"claude-desktop": testKey, "claude-code": "${BCTRL_API_KEY}", "cursor": "${env:BCTRL_API_KEY}", "vscode": "${input:bctrl-api-key}"}[cl.name]
			if env["BCTRL_API_KEY"] != wantKey {
				t.Errorf("BCTRL_API_KEY = %v, want %v", env["BCTRL_API_KEY"], wantKey)
			}
			if cl.key != keyInFile && bytes.Contains(after, []byte(testKey)) {
				t.Error("the key was written into a client config that can keep it out")
			}
			if cl.key == keyInFile {
				if info, _ := os.Stat(path); info.Mode().Perm() != 0o600 {
					t.Errorf("a config holding the key has mode %v", info.Mode().Perm())
				}
			}
			if cl.key == keyFromPrompt {
				inputs := got["inputs"].([]any)
				if len(inputs) != 2 || inputs[0].(map[string]any)["id"] != "other" || inputs[1].(map[string]any)["password"] != true {
					t.Errorf("inputs %v", inputs)
				}
			}
			baks := backups(t, path)
			if len(baks) != 1 || string(w.read(baks[0])) != before {
				t.Fatalf("backups %v", baks)
			}

			// A second run changes nothing and writes no second backup.
			out, err = w.setup(w.opts(cl.name, nil))
			if err != nil || !strings.Contains(out, "Already up to date; nothing written.") {
				t.Fatalf("second run: %v\n%s", err, out)
			}
			if !bytes.Equal(w.read(path), after) || len(backups(t, path)) != 1 {
				t.Error("the second run touched the file")
			}
		})
	}
}

func topKeys(t *testing.T, data []byte) []string {
	t.Helper()
	o, err := parseObject(data)
	if err != nil {
		t.Fatal(err)
	}
	return o.keys
}

func TestSetupReplacesAnOutdatedEntry(t *testing.T) {
	w := newWorld(t, nil)
	path := w.path("cursor")
	w.write(path, `{
  "mcpServers": {
    "bctrl": {
      "command": "/old/bctrl-mcp",
      "env": {
        "BCTRL_API_KEY": "bctrl_OLDKEY"
      }
    }
  }
}
`, 0o644)
	out, err := w.setup(w.opts("cursor", nil))
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	noSecrets(t, out, "bctrl_OLDKEY")
	if !strings.Contains(out, `-      "command": "/old/bctrl-mcp",`) || !strings.Contains(out, `"BCTRL_API_KEY": "[hidden]"`) {
		t.Errorf("diff does not show the replaced entry:\n%s", out)
	}
	if env := decode(t, w.read(path))["mcpServers"].(map[string]any)["bctrl"].(map[string]any)["env"].(map[string]any); env["BCTRL_API_KEY"] != "${env:BCTRL_API_KEY}" {
		t.Errorf("env %v", env)
	}
}

func TestDryRunWritesNothing(t *testing.T) {
	for _, cl := range clients {
		t.Run(cl.name, func(t *testing.T) {
			w := newWorld(t, nil)
			path := w.path(cl.name)
			o := w.opts(cl.name, nil)
			o.DryRun = true
			out, err := w.setup(o)
			if err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
			if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("dry run created %s", path)
			}
			if !strings.Contains(out, "Dry run: nothing written.") || !strings.Contains(out, "(new file)") || !strings.Contains(out, `+    "bctrl": {`) {
				t.Errorf("output:\n%s", out)
			}
			noSecrets(t, out)

			w.write(path, existing(cl.serversKey), 0o644)
			if out, err = w.setup(o); err != nil || !strings.Contains(out, "Dry run") {
				t.Fatalf("%v\n%s", err, out)
			}
			if string(w.read(path)) != existing(cl.serversKey) || len(backups(t, path)) != 0 {
				t.Error("dry run changed the file or wrote a backup")
			}
		})
	}
}

func TestSetupCreatesTheConfigFolder(t *testing.T) {
	w := newWorld(t, nil)
	path := w.path("claude-desktop")
	if out, err := w.setup(w.opts("claude-desktop", nil)); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if filepath.Dir(path) != filepath.Join(w.env.Home, ".config", "Claude") || len(backups(t, path)) != 0 {
		t.Errorf("path %s, backups %v", path, backups(t, path))
	}
	decode(t, w.read(path))
}

func TestSetupRefusesAFileItCannotParse(t *testing.T) {
	for name, content := range map[string]string{
		"comments":         "{\n  // my servers\n  \"servers\": {}\n}\n",
		"not an object":    "[1, 2]",
		"servers is array": `{"servers": []}`,
		"inputs is object": `{"servers": {}, "inputs": {}}`,
	} {
		t.Run(name, func(t *testing.T) {
			w := newWorld(t, nil)
			path := w.path("vscode")
			w.write(path, content, 0o644)
			out, err := w.setup(w.opts("vscode", nil))
			if err == nil || !strings.Contains(err.Error(), "setup changed nothing") {
				t.Fatalf("err %v\n%s", err, out)
			}
			if string(w.read(path)) != content || len(backups(t, path)) != 0 {
				t.Error("the file was touched")
			}
		})
	}
}

func TestSetupExplainsKeyAndNetworkFailures(t *testing.T) {
	w := newWorld(t, nil)
	o := w.opts("cursor", nil)
	o.APIKey = "bctrl_WRONGKEY"
	_, err := w.setup(o)
	if err == nil || !strings.Contains(err.Error(), "refused the API key (401") || !strings.Contains(err.Error(), "BCTRL_API_KEY") || strings.Contains(err.Error(), "bctrl_WRONGKEY") {
		t.Errorf("wrong key: %v", err)
	}
	w.sim.QueueFaults(bctrlsim.RouteWhoami, bctrlsim.Fault{Kind: bctrlsim.FaultServerError, Status: 403})
	o.APIKey = testKey
	if _, err := w.setup(o); err == nil || !strings.Contains(err.Error(), "not allowed") {
		t.Errorf("403: %v", err)
	}
	o.BaseURL = "http://127.0.0.1:1"
	if _, err := w.setup(o); err == nil || !strings.Contains(err.Error(), "could not reach http://127.0.0.1:1") {
		t.Errorf("network: %v", err)
	}
	o.BaseURL = "http://api.example.com"
	if _, err := w.setup(o); err == nil || !strings.Contains(err.Error(), "plain http") {
		t.Errorf("plain http: %v", err)
	}
	if _, err := os.Stat(w.path("cursor")); !errors.Is(err, os.ErrNotExist) {
		t.Error("a failed setup wrote a config")
	}
}

func TestSetupNeedsAKey(t *testing.T) {
	w := newWorld(t, nil)
	o := w.opts("claude-code", nil)
	o.APIKey = ""
	if _, err := w.setup(o); err == nil || !strings.Contains(err.Error(), "BCTRL_API_KEY is not set") {
		t.Errorf("no key, not interactive: %v", err)
	}
	o.Interactive, o.ReadKey = true, func() (string, error) { return testKey + "\n", nil }
	out, err := w.setup(o)
	if err != nil {
		t.Fatalf("typed key: %v\n%s", err, out)
	}
	noSecrets(t, out)
}

func TestSetupPicksDefaults(t *testing.T) {
	twoRuntimes := &bctrlsim.Directory{Identity: map[string]any{"email": "a@example.com"}, Spaces: []bctrlsim.DirectorySpace{
		{ID: "11111111-1111-4111-8111-111111111111", Name: "Alpha", Runtimes: []bctrlsim.DirectoryRuntime{
			{ID: "aaaaaaaa-0000-4000-8000-000000000001", Name: "One", Status: "active"},
			{ID: "aaaaaaaa-0000-4000-8000-000000000002", Name: "Two", Status: "stopped"},
		}},
		{ID: "22222222-2222-4222-8222-222222222222", Name: "Beta"},
	}}
	single := &bctrlsim.Directory{Identity: map[string]any{}, Spaces: []bctrlsim.DirectorySpace{
		{ID: "33333333-3333-4333-8333-333333333333", Name: "Only", Runtimes: []bctrlsim.DirectoryRuntime{{ID: "bbbbbbbb-0000-4000-8000-000000000001", Status: "active"}}},
	}}
	tests := []struct {
		name               string
		dir                *bctrlsim.Directory
		space, runtime     string
		interactive        bool
		input              string
		wantSpace, wantRT  string
		wantErr, wantInOut string
	}{
		{name: "single choices need no flags", dir: single, wantSpace: "33333333-3333-4333-8333-333333333333", wantRT: "bbbbbbbb-0000-4000-8000-000000000001", wantInOut: "the only one"},
		{name: "several spaces, no terminal", dir: twoRuntimes, wantErr: "stdin is not a terminal: pass --space-id"},
		{name: "several runtimes, no terminal", dir: twoRuntimes, space: "11111111-1111-4111-8111-111111111111", wantErr: "pass --runtime-id"},
		{name: "flags", dir: twoRuntimes, space: "11111111-1111-4111-8111-111111111111", runtime: "aaaaaaaa-0000-4000-8000-000000000002",
			wantSpace: "11111111-1111-4111-8111-111111111111", wantRT: "aaaaaaaa-0000-4000-8000-000000000002", wantInOut: "does not look ready (status stopped)"},
		{name: "unknown space flag", dir: twoRuntimes, space: "99999999-9999-4999-8999-999999999999", wantErr: "is not among the 2 listed above"},
		{name: "runtime of another space", dir: twoRuntimes, space: "22222222-2222-4222-8222-222222222222", runtime: "aaaaaaaa-0000-4000-8000-000000000001", wantErr: "is not among the 0 listed above"},
		{name: "space without runtimes", dir: twoRuntimes, space: "22222222-2222-4222-8222-222222222222", wantSpace: "22222222-2222-4222-8222-222222222222", wantInOut: "Runtime: no default"},
		{name: "interactive", dir: twoRuntimes, interactive: true, input: "1\n2\n", wantSpace: "11111111-1111-4111-8111-111111111111", wantRT: "aaaaaaaa-0000-4000-8000-000000000002", wantInOut: "Pick a space [1-2]: "},
		{name: "interactive, bad answer first", dir: twoRuntimes, interactive: true, input: "seven\n3\n1\n0\n", wantSpace: "11111111-1111-4111-8111-111111111111", wantInOut: `"seven" is not a number from the list.`},
		{name: "interactive, input ends", dir: twoRuntimes, interactive: true, input: "", wantErr: "input ended"},
		{name: "interactive, gives up", dir: twoRuntimes, interactive: true, input: "x\ny\nz\n1\n", wantErr: "after 3 tries"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t, tt.dir)
			o := w.opts("cursor", nil)
			o.SpaceID, o.RuntimeID, o.Interactive, o.Stdin = tt.space, tt.runtime, tt.interactive, strings.NewReader(tt.input)
			out, err := w.setup(o)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err %v, want %q\n%s", err, tt.wantErr, out)
				}
				return
			}
			if err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
			if !strings.Contains(out, tt.wantInOut) {
				t.Errorf("output lacks %q:\n%s", tt.wantInOut, out)
			}
			env := decode(t, w.read(w.path("cursor")))["mcpServers"].(map[string]any)["bctrl"].(map[string]any)["env"].(map[string]any)
			gotRT, _ := env["BCTRL_RUNTIME_ID"].(string)
			if env["BCTRL_SPACE_ID"] != tt.wantSpace || gotRT != tt.wantRT {
				t.Errorf("env %v", env)
			}
		})
	}
}

func TestSetupListsSpacesAndRuntimesWithState(t *testing.T) {
	w := newWorld(t, nil)
	o := w.opts("vscode", nil)
	o.DryRun = true
	out, err := w.setup(o)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"Key:     accepted by " + w.baseURL + " (email sim@example.com",
		"1. Simulated space  " + bctrlsim.SeedSpaceID,
		"1. Simulated browser  " + bctrlsim.SeedRuntimeID + "  active, run active",
		"2. Stopped browser  " + bctrlsim.SeedStoppedRuntimeID + "  stopped",
		"VS Code asks for it",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestClaudeCodeAlsoPrintsTheAddLine(t *testing.T) {
	w := newWorld(t, nil)
	o := w.opts("claude-code", nil)
	o.DryRun = true
	out, err := w.setup(o)
	if err != nil {
		t.Fatal(err)
	}
	want := "claude mcp add --scope user bctrl -e 'BCTRL_API_KEY=${BCTRL_API_KEY}' -e BCTRL_BASE_URL=" + w.baseURL +
		" -e BCTRL_SPACE_ID=" + bctrlsim.SeedSpaceID + " -e BCTRL_RUNTIME_ID=" + bctrlsim.SeedRuntimeID + " -- " + w.command
	if !strings.Contains(out, want) {
		t.Errorf("output lacks\n%s\n%s", want, out)
	}
	if !strings.Contains(out, `+        "BCTRL_API_KEY": "${BCTRL_API_KEY}",`) {
		t.Errorf("the diff does not show the key reference:\n%s", out)
	}
}

func TestSetupRefusesABinaryThatWillDisappear(t *testing.T) {
	w := newWorld(t, nil)
	o := w.opts("cursor", nil)
	o.Command = filepath.Join(os.TempDir(), "go-build1234", "b001", "exe", "bctrl-mcp")
	if _, err := w.setup(o); err == nil || !strings.Contains(err.Error(), "go install github.com/bctrlhq/bctrl-mcp/cmd/bctrl-mcp@latest") {
		t.Errorf("go run binary: %v", err)
	}
	o.Command = "bctrl-mcp"
	if _, err := w.setup(o); err == nil || !strings.Contains(err.Error(), "not absolute") {
		t.Errorf("relative: %v", err)
	}
}

func TestUnknownClient(t *testing.T) {
	w := newWorld(t, nil)
	for _, name := range []string{"", "emacs"} {
		if _, err := w.setup(w.opts(name, nil)); err == nil || !strings.Contains(err.Error(), "claude-code, claude-desktop, cursor, vscode") {
			t.Errorf("%q: %v", name, err)
		}
	}
}

func TestClaudeDesktopPaths(t *testing.T) {
	for _, tt := range []struct {
		env  Env
		want string
	}{
		{Env{GOOS: "darwin", Home: "/Users/ada"}, "/Users/ada/Library/Application Support/Claude/claude_desktop_config.json"},
		{Env{GOOS: "windows", AppData: `C:\Users\ada\AppData\Roaming`}, filepath.Join(`C:\Users\ada\AppData\Roaming`, "Claude", "claude_desktop_config.json")},
		{Env{GOOS: "linux", Home: "/home/ada"}, "/home/ada/.config/Claude/claude_desktop_config.json"},
		{Env{GOOS: "linux", Home: "/home/ada", XDGConfigHome: "/xdg"}, "/xdg/Claude/claude_desktop_config.json"},
	} {
		got, err := claudeDesktopPath(tt.env)
		if err != nil || got != filepath.FromSlash(tt.want) && got != tt.want {
			t.Errorf("%+v: %q %v", tt.env, got, err)
		}
	}
	if _, err := claudeDesktopPath(Env{GOOS: "windows"}); err == nil {
		t.Error("windows without APPDATA")
	}
}

// TestSetupLeavesAnUpToDateFileAsItIs: a config whose bctrl entry already
// matches is not reformatted, even when its layout is not setup's own.
func TestSetupLeavesAnUpToDateFileAsItIs(t *testing.T) {
	w := newWorld(t, nil)
	path := w.path("cursor")
	want := `{
    "mcpServers": {
        "bctrl": {"command": "` + w.command + `", "args": [], "env": {"BCTRL_SPACE_ID": "` + bctrlsim.SeedSpaceID + `",
            "BCTRL_RUNTIME_ID": "` + bctrlsim.SeedRuntimeID + `", "BCTRL_API_KEY": "${env:BCTRL_API_KEY}", "BCTRL_BASE_URL": "` + w.baseURL + `"}}
    }
}`
	w.write(path, want, 0o644)
	out, err := w.setup(w.opts("cursor", nil))
	if err != nil || !strings.Contains(out, "Already up to date") {
		t.Fatalf("%v\n%s", err, out)
	}
	if string(w.read(path)) != want || len(backups(t, path)) != 0 {
		t.Error("an up-to-date file was rewritten")
	}
}
