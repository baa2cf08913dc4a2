package main

import (
	"bufio"
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/bctrlhq/bctrl-mcp/bctrl/bctrlsim"
)

// startSimProcess runs `bctrl-mcp sim` on a free loopback port, the way a
// person shares one simulator between processes, and returns its base URL.
func startSimProcess(t *testing.T, key string) string {
	t.Helper()
	cmd := exec.Command(binPath, "sim", "--addr", "127.0.0.1:0")
	cmd.Env = append(os.Environ(), "BCTRL_API_KEY="+key)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if m := regexp.MustCompile(`http://127\.0\.0\.1:\d+`).FindString(sc.Text()); m != "" {
				found <- m
				break
			}
		}
		for sc.Scan() {
		}
	}()
	select {
	case url := <-found:
		return url
	case <-time.After(30 * time.Second):
		t.Fatal("bctrl-mcp sim did not print its address within 30s")
		return ""
	}
}

// TestSetupAndDoctorAgainstTheSimProcess runs the built binary's setup
// (dry run, real, again) and doctor for every client against a `bctrl-mcp
// sim` process, in a temporary home and project folder.
func TestSetupAndDoctorAgainstTheSimProcess(t *testing.T) {
	const key = "bctrl_live_E2ESETUPKEY_99"
	simURL := startSimProcess(t, key)
	for _, client := range []string{"claude-desktop", "claude-code", "cursor", "vscode"} {
		t.Run(client, func(t *testing.T) {
			home, project := t.TempDir(), t.TempDir()
			run := func(env []string, args ...string) (string, int) {
				t.Helper()
				cmd := exec.CommandContext(t.Context(), binPath, args...)
				cmd.Dir = project
				cmd.Env = append(os.Environ(), append([]string{"HOME=" + home, "XDG_CONFIG_HOME=", "BCTRL_BASE_URL=" + simURL, "BCTRL_API_KEY=" + key}, env...)...)
				var out bytes.Buffer
				cmd.Stdout, cmd.Stderr = &out, &out
				err := cmd.Run()
				var exit *exec.ExitError
				if err != nil && !errors.As(err, &exit) {
					t.Fatal(err)
				}
				if strings.Contains(out.String(), key) {
					t.Errorf("bctrl-mcp %s printed the API key:\n%s", strings.Join(args, " "), out.String())
				}
				return out.String(), cmd.ProcessState.ExitCode()
			}
			flags := []string{"setup", "--client", client, "--space-id", bctrlsim.SeedSpaceID, "--runtime-id", bctrlsim.SeedRuntimeID}
			out, code := run(nil, append(flags, "--dry-run")...)
			if code != 0 || !strings.Contains(out, "Dry run: nothing written.") {
				t.Fatalf("setup --dry-run: exit %d\n%s", code, out)
			}
			if files := configFiles(t, home, project); len(files) != 0 {
				t.Fatalf("dry run wrote %v", files)
			}
			if out, code = run(nil, flags...); code != 0 || !strings.Contains(out, "Wrote:") {
				t.Fatalf("setup: exit %d\n%s", code, out)
			}
			if out, code = run(nil, flags...); code != 0 || !strings.Contains(out, "Already up to date") {
				t.Fatalf("second setup: exit %d\n%s", code, out)
			}
			if out, code = run(nil, "doctor", "--client", client); code != 0 || strings.Contains(out, "FAIL") {
				t.Fatalf("doctor: exit %d\n%s", code, out)
			}
			if client != "claude-desktop" {
				// The config takes the key from the environment; a wrong one fails the key check.
				if out, code = run([]string{"BCTRL_API_KEY=bctrl_wrong"}, "doctor", "--client", client); code != 1 || !strings.Contains(out, "FAIL  key") {
					t.Fatalf("doctor with a wrong key: exit %d\n%s", code, out)
				}
			}
		})
	}
}

// configFiles lists the files under the temporary home and project.
func configFiles(t *testing.T, dirs ...string) []string {
	t.Helper()
	var files []string
	for _, d := range dirs {
		_ = filepath.WalkDir(d, func(path string, e os.DirEntry, err error) error {
			if err == nil && !e.IsDir() {
				files = append(files, path)
			}
			return nil
		})
	}
	return files
}

func TestSetupWithoutAKeyOutsideATerminal(t *testing.T) {
	cmd := exec.CommandContext(t.Context(), binPath, "setup", "--client", "cursor")
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir(), "BCTRL_API_KEY=")
	var stdout, stderr bytes.Buffer
	cmd.Stdin, cmd.Stdout, cmd.Stderr = strings.NewReader(""), &stdout, &stderr
	_ = cmd.Run()
	if code := cmd.ProcessState.ExitCode(); code != 1 || !strings.Contains(stderr.String(), "BCTRL_API_KEY is not set") || strings.Count(strings.TrimSpace(stderr.String()), "\n") != 0 {
		t.Errorf("exit %d, stderr %q", code, stderr.String())
	}
}
