package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestShutdownGraceMustBeADurationUpToAMinute(t *testing.T) {
	for _, v := range []string{"soon", "0s", "-1s", "2m"} {
		var stdout, stderr bytes.Buffer
		code := run(t.Context(), nil, strings.NewReader(""), &stdout, &stderr, env(map[string]string{"BCTRL_SIMULATE": "1", "BCTRL_SHUTDOWN_GRACE": v}))
		if code != exitUsage || !strings.Contains(stderr.String(), "BCTRL_SHUTDOWN_GRACE") {
			t.Errorf("%s: code %d, stderr %q", v, code, stderr.String())
		}
	}
	var stdout, stderr bytes.Buffer
	if code := run(t.Context(), nil, strings.NewReader(""), &stdout, &stderr, env(map[string]string{"BCTRL_SIMULATE": "1", "BCTRL_SHUTDOWN_GRACE": "500ms"})); code != 0 {
		t.Errorf("500ms: code %d, stderr %q", code, stderr.String())
	}
}
