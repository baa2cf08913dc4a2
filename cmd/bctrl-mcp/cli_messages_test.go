package main

import (
	"bytes"
	"strings"
	"testing"
)

// TestUnknownFlagIsOneLineWithHelpPointer checks every subcommand that takes
// flags: a mistyped flag is answered with one line that names it and points
// to --help, not with the whole usage text.
func TestUnknownFlagIsOneLineWithHelpPointer(t *testing.T) {
	for _, args := range [][]string{{"--bogus"}, {"serve", "--bogus"}, {"sim", "--bogus"}, {"setup", "--bogus"}, {"doctor", "--bogus"}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(t.Context(), args, strings.NewReader(""), &stdout, &stderr, env(nil))
			msg := strings.TrimSpace(stderr.String())
			if code != exitUsage || strings.Contains(msg, "\n") || !strings.Contains(msg, "-bogus") || !strings.Contains(msg, "--help") {
				t.Errorf("code %d, stderr %q", code, stderr.String())
			}
		})
	}
}

// TestHelpFlagPrintsUsageAndExitsZero keeps --help useful after the one-line
// error change: it still prints the usage, and the sim's usage lists its
// flags and the outcome markers.
func TestHelpFlagPrintsUsageAndExitsZero(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want []string
	}{
		{[]string{"--help"}, []string{"bctrl-mcp setup", "bctrl-mcp doctor", "BCTRL_API_KEY"}},
		{[]string{"sim", "--help"}, []string{"--addr", "--speed", "--step", "--fault-rate", "sim:failed", "sim:steps=N", "BCTRL_BASE_URL"}},
	} {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(t.Context(), tt.args, strings.NewReader(""), &stdout, &stderr, env(nil))
			out := stdout.String() + stderr.String()
			if code != 0 {
				t.Errorf("code %d: %s", code, out)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("help lacks %q:\n%s", w, out)
				}
			}
		})
	}
}

// TestSimSpeedMessageDoesNotOfferZero: 0 is refused, so the message must not
// say it is allowed.
func TestSimSpeedMessageDoesNotOfferZero(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := run(t.Context(), nil, strings.NewReader(""), &stdout, &stderr, env(map[string]string{"BCTRL_SIMULATE": "1", "BCTRL_SIM_SPEED": "0"}))
	msg := stderr.String()
	if code != exitUsage || !strings.Contains(msg, "BCTRL_SIM_SPEED") || strings.Contains(msg, "from 0") {
		t.Errorf("code %d, stderr %q", code, msg)
	}
}
