package panel

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
)

// maxViewBytes is the view's budget: hosts fetch it with every server.
const maxViewBytes = 60 << 10

func TestViewIsSmallAndSelfContained(t *testing.T) {
	if n := len(HTML()); n > maxViewBytes {
		t.Errorf("the view is %d bytes, over its %d-byte budget", n, maxViewBytes)
	}
	if !strings.HasPrefix(HTML(), "<!doctype html>") {
		t.Error("the view must be an HTML5 document")
	}
	// Anything that could reach the network: hosts block undeclared origins,
	// and we declare none.
	forbidden := regexp.MustCompile(`(?i)https?:|//[a-z0-9.-]+\.[a-z]{2,}|\b(src|href|action|srcset)\s*=\s*["']|@import|url\(|\bfetch\(|XMLHttpRequest|WebSocket|EventSource|sendBeacon|\bimport\(|new Worker|<link|<iframe|<object|<embed|<form`)
	for i, line := range strings.Split(HTML(), "\n") {
		if m := forbidden.FindString(line); m != "" {
			t.Errorf("line %d uses %q, which could fetch from the network: %s", i+1, m, strings.TrimSpace(line))
		}
	}
}

func TestToolMetaIsExactlyTheLink(t *testing.T) {
	raw, err := json.Marshal(ToolMeta())
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"ui":{"resourceUri":"ui://bctrl/invocation"}}`; string(raw) != want {
		t.Errorf("tool _meta is %s, want %s (its bytes are reserved in the tools/list budget)", raw, want)
	}
}
