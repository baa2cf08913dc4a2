package setup

import (
	"bytes"
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/bctrlhq/bctrl-mcp/bctrl/bctrlsim"
)

// testKey is recognisable so a leak is easy to find in any output.
const testKey = "bctrl_live_SETUPSECRET_4711"

// world is a temporary home and project folder, a simulator with the
// default directory, and a stand-in bctrl-mcp binary.
type world struct {
	t       *testing.T
	env     Env
	vars    map[string]string
	baseURL string
	sim     *bctrlsim.Simulator
	command string
	now     time.Time
}

func newWorld(t *testing.T, dir *bctrlsim.Directory) *world {
	t.Helper()
	root := t.TempDir()
	w := &world{t: t, vars: map[string]string{}, now: time.Date(2026, 11, 28, 9, 30, 0, 0, time.UTC)}
	w.env = Env{GOOS: "linux", Home: filepath.Join(root, "home"), WorkDir: filepath.Join(root, "project"), Getenv: func(k string) string { return w.vars[k] }}
	for _, d := range []string{w.env.Home, w.env.WorkDir, filepath.Join(root, "bin")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	w.command = filepath.Join(root, "bin", "bctrl-mcp")
	if runtime.GOOS != "windows" {
		// Stands in for the real binary: doctor runs `<command> version`.
		if err := os.WriteFile(w.command, []byte("#!/bin/sh\necho bctrl-mcp v9.9.9-test\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	w.sim = bctrlsim.New(bctrlsim.Options{APIKey: testKey, Directory: dir})
	srv := httptest.NewServer(w.sim)
	t.Cleanup(srv.Close)
	w.baseURL = srv.URL
	return w
}

// opts are setup options for client that pick the seed space and runtime by flag.
func (w *world) opts(client string, out *bytes.Buffer) Options {
	return Options{
		Client: client, SpaceID: bctrlsim.SeedSpaceID, RuntimeID: bctrlsim.SeedRuntimeID,
		APIKey: testKey, BaseURL: w.baseURL, Command: w.command, Env: w.env, Out: out,
		Now: func() time.Time { return w.now }, UserAgent: "setup-test",
	}
}

func (w *world) setup(o Options) (string, error) {
	w.t.Helper()
	var out bytes.Buffer
	o.Out = &out
	err := Run(w.t.Context(), o)
	return out.String(), err
}

func (w *world) doctor(client string) (string, bool) {
	w.t.Helper()
	var out bytes.Buffer
	ok := Doctor(w.t.Context(), DoctorOptions{Client: client, Env: w.env, Out: &out, UserAgent: "doctor-test"})
	return out.String(), ok
}

func (w *world) path(client string) string {
	w.t.Helper()
	cl, err := lookupClient(client)
	if err != nil {
		w.t.Fatal(err)
	}
	p, err := cl.path(w.env)
	if err != nil {
		w.t.Fatal(err)
	}
	return p
}

func (w *world) write(path, content string, mode os.FileMode) {
	w.t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		w.t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), mode); err != nil {
		w.t.Fatal(err)
	}
}

func (w *world) read(path string) []byte {
	w.t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		w.t.Fatal(err)
	}
	return data
}

// backups lists the backup files beside path.
func backups(t *testing.T, path string) []string {
	t.Helper()
	found, err := filepath.Glob(path + ".bak-*")
	if err != nil {
		t.Fatal(err)
	}
	return found
}

// decode reads a JSON file into a generic value.
func decode(t *testing.T, data []byte) map[string]any {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatalf("%v in %s", err, data)
	}
	return v
}

func noSecrets(t *testing.T, text string, secrets ...string) {
	t.Helper()
	for _, s := range append(secrets, testKey) {
		if strings.Contains(text, s) {
			t.Errorf("output shows the secret %q:\n%s", s, text)
		}
	}
}

func skipWithoutShell(t *testing.T) {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("the stand-in binary is a shell script")
	}
}
