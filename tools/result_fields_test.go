package tools

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// newerAPIInvocation is what an API newer than this server might answer:
// fields the server does not know, one of them holding a secret.
const newerAPIInvocation = `{"id":"3f0a9c1e-2b4d-4e6f-8a0b-1c2d3e4f5a6b","status":"running","stepCount":0,"artifactCount":0,
  "billing":{"credits":3,"webhook":{"clientSecret":"SECRET-in-new-field"}},"priority":7,"private_api_key":"SECRET-top-level"}`

// TestUnknownAPIFieldsReachStructuredContent: fields bctrl adds after this
// server was built reach structuredContent as they came, with secrets in
// them redacted like everywhere else; artifactCount 0 is reported as 0.
func TestUnknownAPIFieldsReachStructuredContent(t *testing.T) {
	api := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(newerAPIInvocation))
	})
	h := newHarness(t, api, false)
	res := h.call("get_invocation", map[string]any{"invocationId": "3f0a9c1e-2b4d-4e6f-8a0b-1c2d3e4f5a6b"})
	h.output(res) // schema-checked
	raw, _ := json.Marshal(res.StructuredContent)
	var got map[string]any
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(raw)+text(res), "SECRET-") {
		t.Errorf("a secret in an unknown field reached the result: %s", raw)
	}
	billing, _ := got["billing"].(map[string]any)
	if billing["credits"] != float64(3) || got["priority"] != float64(7) {
		t.Errorf("unknown fields lost: billing %v, priority %v in %s", got["billing"], got["priority"], raw)
	}
	if hook, _ := billing["webhook"].(map[string]any); hook["clientSecret"] != redacted || got["private_api_key"] != redacted {
		t.Errorf("secret-named unknown fields not redacted: %s", raw)
	}
	if v, ok := got["artifactCount"]; !ok || v != float64(0) {
		t.Errorf("artifactCount = %v (present %v), want 0", v, ok)
	}
}
