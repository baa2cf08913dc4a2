package main

import (
	"bytes"
	"io"
	"os"
	"strings"
	"testing"
)

func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

func TestConfigErrorsExitTwo(t *testing.T) {
	const space, rt = "6f1c2a8e-0d4b-4c3e-9b7a-1e2f3a4b5c6d", "7a2b3c4d-5e6f-4a1b-8c9d-0e1f2a3b4c5d"
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"no key", nil, map[string]string{"BCTRL_SPACE_ID": space, "BCTRL_RUNTIME_ID": rt}, "BCTRL_API_KEY is not set"},
		{"bad space", nil, map[string]string{"BCTRL_API_KEY": "k", "BCTRL_SPACE_ID": "growth", "BCTRL_RUNTIME_ID": rt}, "not a uuid"},
		{"bad runtime", nil, map[string]string{"BCTRL_API_KEY": "k", "BCTRL_SPACE_ID": space, "BCTRL_RUNTIME_ID": "rt-1"}, "not a uuid"},
		{"braced space", nil, map[string]string{"BCTRL_API_KEY": "k", "BCTRL_SPACE_ID": "{" + space + "}", "BCTRL_RUNTIME_ID": rt}, "not a uuid"},
		{"plain http", []string{"--base-url", "http://api.bctrl.ai"}, map[string]string{"BCTRL_API_KEY": "k", "BCTRL_SPACE_ID": space, "BCTRL_RUNTIME_ID": rt}, "plain http"},
		{"bad bool", nil, map[string]string{"BCTRL_READ_ONLY": "sure"}, "BCTRL_READ_ONLY"},
		{"bad level", []string{"--log-level", "loud"}, map[string]string{"BCTRL_SIMULATE": "1"}, "log-level"},
		{"bad budget", nil, map[string]string{"BCTRL_SIMULATE": "1", "BCTRL_RESULT_BUDGET": "lots"}, "BCTRL_RESULT_BUDGET"},
		{"tiny budget", []string{"--result-budget", "10"}, map[string]string{"BCTRL_SIMULATE": "1"}, "from 1000"},
		{"zero artifact cap", []string{"--artifact-max-bytes", "0"}, map[string]string{"BCTRL_SIMULATE": "1"}, "artifact-max-bytes"},
		{"bad artifact cap", nil, map[string]string{"BCTRL_SIMULATE": "1", "BCTRL_ARTIFACT_MAX_BYTES": "10MiB"}, "BCTRL_ARTIFACT_MAX_BYTES"},
		{"unknown command", []string{"frobnicate"}, nil, "unknown command"},
		{"unknown tool", []string{"schema", "nope"}, nil, "unknown tool"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(t.Context(), tt.args, strings.NewReader(""), &stdout, &stderr, env(tt.env))
			if code != exitUsage || !strings.Contains(stderr.String(), tt.want) || stdout.Len() != 0 {
				t.Errorf("code %d, stderr %q, stdout %q", code, stderr.String(), stdout.String())
			}
			if strings.Count(strings.TrimSpace(stderr.String()), "\n") > 0 && tt.name != "bad level" {
				t.Errorf("error is not one line: %q", stderr.String())
			}
		})
	}
}

// TestSpaceAndRuntimeAreOptional: an API key alone is a working
// configuration (PRODUCT.md §3); calls then name their space and runtime.
func TestSpaceAndRuntimeAreOptional(t *testing.T) {
	for _, vars := range []map[string]string{
		{"BCTRL_API_KEY": "k"},
		{"BCTRL_API_KEY": "k", "BCTRL_SPACE_ID": "6f1c2a8e-0d4b-4c3e-9b7a-1e2f3a4b5c6d"},
		{"BCTRL_API_KEY": "k", "BCTRL_RUNTIME_ID": "7a2b3c4d-5e6f-4a1b-8c9d-0e1f2a3b4c5d"},
	} {
		cfg, err := parseConfig(nil, io.Discard, env(vars))
		if err != nil {
			t.Errorf("%v: %v", vars, err)
		}
		if cfg.spaceID != vars["BCTRL_SPACE_ID"] || cfg.runtimeID != vars["BCTRL_RUNTIME_ID"] {
			t.Errorf("%v: space %q, runtime %q", vars, cfg.spaceID, cfg.runtimeID)
		}
	}
}

// TestSizeSettings: the result budget and the artifact cap default to
// 24,000 characters and 10 MiB; the flag wins over its environment twin.
func TestSizeSettings(t *testing.T) {
	cfg, err := parseConfig(nil, io.Discard, env(map[string]string{"BCTRL_SIMULATE": "1"}))
	if err != nil || cfg.resultBudget != 24000 || cfg.artifactMaxBytes != 10<<20 {
		t.Errorf("defaults: %d, %d, %v", cfg.resultBudget, cfg.artifactMaxBytes, err)
	}
	cfg, err = parseConfig([]string{"--result-budget", "5000"}, io.Discard,
		env(map[string]string{"BCTRL_SIMULATE": "1", "BCTRL_RESULT_BUDGET": "9000", "BCTRL_ARTIFACT_MAX_BYTES": "2048"}))
	if err != nil || cfg.resultBudget != 5000 || cfg.artifactMaxBytes != 2048 {
		t.Errorf("set: %d, %d, %v", cfg.resultBudget, cfg.artifactMaxBytes, err)
	}
}

func TestServeEndsCleanlyOnEOF(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := run(t.Context(), nil, strings.NewReader(`{"jsonrpc":"2.0","id":1,"method":"ping"}`+"\n"), &stdout, &stderr, env(map[string]string{"BCTRL_SIMULATE": "1", "BCTRL_API_KEY": "bctrl_SECRET_zz"}))
	if code != 0 || !strings.Contains(stdout.String(), `"id":1`) {
		t.Fatalf("code %d, stdout %q, stderr %q", code, stdout.String(), stderr.String())
	}
	if strings.Contains(stdout.String()+stderr.String(), "bctrl_SECRET_zz") {
		t.Error("the API key was printed")
	}
}

func TestREADMEToolDocsAreCurrent(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	start := bytes.Index(readme, []byte(docsStart))
	end := bytes.Index(readme, []byte(docsEnd))
	if start < 0 || end < start {
		t.Fatalf("README.md lacks the %s / %s markers", docsStart, docsEnd)
	}
	want, err := toolDocs()
	if err != nil {
		t.Fatal(err)
	}
	got := strings.TrimSpace(string(readme[start+len(docsStart) : end]))
	if got != strings.TrimSpace(want) {
		t.Error("README tool reference is stale: run `go run ./cmd/bctrl-mcp docs` and paste it between the markers (or ./.ci/update-docs)")
	}
}

func TestSchemaCommandPrintsTheGoldenSchemas(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run(t.Context(), []string{"schema", "get_invocation"}, nil, &stdout, &stderr, env(nil)); code != 0 {
		t.Fatalf("code %d: %s", code, stderr.String())
	}
	golden, err := os.ReadFile("../../schema/golden/get_invocation.input.json")
	if err != nil {
		t.Fatal(err)
	}
	compact := func(b []byte) string { return strings.Join(strings.Fields(string(b)), "") }
	if !strings.Contains(compact(stdout.Bytes()), compact(golden)) {
		t.Error("schema output does not contain the golden input schema")
	}
}
