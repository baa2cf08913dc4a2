package setup

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/bctrlhq/bctrl-mcp/bctrl/bctrlsim"
)

// lineShape is what every doctor line looks like: a verdict, a check name,
// the detail; a failure ends with its fix.
var lineShape = regexp.MustCompile(`^(ok   |skip |FAIL ) [a-z]+ +\S.*$`)

func assertLines(t *testing.T, out string) {
	t.Helper()
	for _, line := range strings.Split(strings.TrimRight(out, "\n"), "\n") {
		if !lineShape.MatchString(line) {
			t.Errorf("malformed line %q", line)
		}
		if strings.HasPrefix(line, "FAIL") && !strings.Contains(line, "; fix: ") {
			t.Errorf("failure without a fix: %q", line)
		}
	}
	noSecrets(t, out)
}

func TestDoctorPassesAfterSetupForEveryClient(t *testing.T) {
	skipWithoutShell(t)
	for _, cl := range clients {
		t.Run(cl.name, func(t *testing.T) {
			w := newWorld(t, nil)
			w.vars["BCTRL_API_KEY"] = testKey
			if out, err := w.setup(w.opts(cl.name, nil)); err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
			out, ok := w.doctor(cl.name)
			assertLines(t, out)
			for _, check := range []string{"config", "binary", "key", "space", "runtime"} {
				if !regexp.MustCompile(`(?m)^ok    ` + check + ` `).MatchString(out) {
					t.Errorf("no passing %s check:\n%s", check, out)
				}
			}
			if !ok || strings.Contains(out, "FAIL") {
				t.Errorf("doctor failed:\n%s", out)
			}
		})
	}
}

func TestDoctorWithoutClientChecksWhatIsConfigured(t *testing.T) {
	skipWithoutShell(t)
	w := newWorld(t, nil)
	out, ok := w.doctor("")
	assertLines(t, out)
	if ok || !strings.Contains(out, "no client config with a bctrl server found") {
		t.Fatalf("nothing configured: %v\n%s", ok, out)
	}
	w.write(w.path("cursor"), `{"mcpServers": {"other": {"command": "x"}}}`, 0o644)
	if _, err := w.setup(w.opts("claude-desktop", nil)); err != nil {
		t.Fatal(err)
	}
	out, ok = w.doctor("")
	assertLines(t, out)
	if !ok || !strings.Contains(out, "skip  config   Cursor: ") || !strings.Contains(out, "ok    config   Claude Desktop: ") {
		t.Errorf("%v\n%s", ok, out)
	}
}

func TestDoctorFailures(t *testing.T) {
	skipWithoutShell(t)
	tests := []struct {
		name   string
		client string
		// arrange changes a freshly set-up world.
		arrange func(w *world, path string)
		want    string
	}{
		{"no config", "claude-desktop", func(w *world, path string) { os.Remove(path) }, "FAIL  config   Claude Desktop: no config at"},
		{"broken JSON", "claude-desktop", func(w *world, path string) { w.write(path, "{nope", 0o600) }, "is not valid JSON"},
		{"no bctrl server", "cursor", func(w *world, path string) { w.write(path, `{"mcpServers": {}}`, 0o600) }, `has no "bctrl" server; fix: bctrl-mcp setup --client cursor`},
		{"binary gone", "claude-desktop", func(w *world, path string) { os.Remove(w.command) }, "FAIL  binary"},
		{"binary not bctrl-mcp", "claude-desktop", func(w *world, path string) {
			w.write(w.command, "#!/bin/sh\necho hello\n", 0o755)
		}, "did not answer `version` as bctrl-mcp"},
		{"binary not executable", "claude-desktop", func(w *world, path string) { os.Chmod(w.command, 0o644) }, "is not executable; fix: chmod +x"},
		{"key refused", "claude-desktop", func(w *world, path string) {
			w.write(path, strings.Replace(string(w.read(path)), testKey, "bctrl_REVOKED_1", 1), 0o600)
		}, "FAIL  key      "},
		{"key reference unset", "claude-code", func(w *world, path string) { delete(w.vars, "BCTRL_API_KEY") }, "BCTRL_API_KEY is not set in this environment"},
		{"space gone", "cursor", func(w *world, path string) {
			w.write(path, strings.Replace(string(w.read(path)), bctrlsim.SeedSpaceID, "00000000-0000-4000-8000-000000000000", 1), 0o600)
		}, "FAIL  space    00000000-0000-4000-8000-000000000000 is not among the 1 spaces"},
		{"runtime stopped", "cursor", func(w *world, path string) {
			w.write(path, strings.Replace(string(w.read(path)), bctrlsim.SeedRuntimeID, bctrlsim.SeedStoppedRuntimeID, 1), 0o600)
		}, "FAIL  runtime  Stopped browser (" + bctrlsim.SeedStoppedRuntimeID + ") does not look ready: status stopped; fix: start it in bctrl"},
		{"runtime gone", "vscode", func(w *world, path string) {
			w.write(path, strings.Replace(string(w.read(path)), bctrlsim.SeedRuntimeID, "00000000-0000-4000-8000-000000000000", 1), 0o600)
		}, "FAIL  runtime  00000000-0000-4000-8000-000000000000 is not among the 2 runtimes"},
		{"API down", "cursor", func(w *world, path string) {
			w.sim.QueueFaults(bctrlsim.RouteWhoami, bctrlsim.Fault{Kind: bctrlsim.FaultServerError, Status: 500}, bctrlsim.Fault{Kind: bctrlsim.FaultServerError, Status: 500},
				bctrlsim.Fault{Kind: bctrlsim.FaultServerError, Status: 500}, bctrlsim.Fault{Kind: bctrlsim.FaultServerError, Status: 500})
		}, "FAIL  key      bctrl answered 500"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t, nil)
			w.vars["BCTRL_API_KEY"] = testKey
			if out, err := w.setup(w.opts(tt.client, nil)); err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
			tt.arrange(w, w.path(tt.client))
			out, ok := w.doctor(tt.client)
			assertLines(t, out)
			if ok || !strings.Contains(out, tt.want) {
				t.Errorf("ok %v, want %q in\n%s", ok, tt.want, out)
			}
		})
	}
}

func TestDoctorVSCodeKeyIsSkippedWhenOnlyVSCodeKnowsIt(t *testing.T) {
	skipWithoutShell(t)
	w := newWorld(t, nil)
	if _, err := w.setup(w.opts("vscode", nil)); err != nil {
		t.Fatal(err)
	}
	out, ok := w.doctor("vscode")
	assertLines(t, out)
	if !ok || !strings.Contains(out, "skip  key      VS Code asks for the key itself") {
		t.Errorf("%v\n%s", ok, out)
	}
}

func TestDoctorAcceptsASimulatedServer(t *testing.T) {
	skipWithoutShell(t)
	w := newWorld(t, nil)
	w.write(w.path("claude-desktop"), `{"mcpServers": {"bctrl": {"command": "`+w.command+`", "env": {"BCTRL_SIMULATE": "true"}}}}`, 0o600)
	out, ok := w.doctor("claude-desktop")
	assertLines(t, out)
	if !ok || !strings.Contains(out, "BCTRL_SIMULATE is on") {
		t.Errorf("%v\n%s", ok, out)
	}
}

func TestDoctorUnknownClient(t *testing.T) {
	w := newWorld(t, nil)
	out, ok := w.doctor("emacs")
	if ok || !strings.Contains(out, `unknown client "emacs"`) {
		t.Errorf("%v\n%s", ok, out)
	}
}
