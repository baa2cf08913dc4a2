package tools

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/bctrlhq/bctrl-mcp/bctrl"
)

func TestSecretKeyNames(t *testing.T) {
	secret := []string{
		"apiKey", "api_key", "API-KEY", "x-api-key", "openaiApiKey", "Authorization", "proxy_authorization",
		"accessToken", "access_token", "refreshToken", "id_token", "token", "TOKEN", "secret", "clientSecret",
		"client_secret", "password", "db_password", "passwd", "privateKey", "PRIVATE_KEY", "cookie", "Set-Cookie",
		"sensitiveData", "sensitive_data", "auth_token", "authToken", "apiToken", "session_token", "bearerToken", "credentials", "proxyCredential",
	}
	plain := []string{
		"maxTokens", "max_tokens", "tokenCount", "tokens", "totalTokens", "tokenizer", "idempotencyKey", "key",
		"secrets", "passwordHint", "cookies", "authorized", "model", "instruction", "",
	}
	for _, k := range secret {
		if !secretKey(k) {
			t.Errorf("%q is not treated as a secret", k)
		}
	}
	for _, k := range plain {
		if secretKey(k) {
			t.Errorf("%q is treated as a secret", k)
		}
	}
}

// secretInvocation is an API answer with secrets in every part of the
// invocation, spelled in the ways APIs spell them, next to counters that
// look similar but must survive.
const secretInvocation = `{
  "id": "3f0a9c1e-2b4d-4e6f-8a0b-1c2d3e4f5a6b", "status": "failed", "stepCount": 2,
  "request": {"idempotencyKey": "key-1", "steps": [{"call": "agent.execute", "args": [{
    "provider": "browserUse",
    "config": {"llm": {"model": "gpt-5", "api_key": "SECRET-snake-apikey", "maxTokens": 4096},
               "sensitive_data": {"pw": "SECRET-sensitive"},
               "headers": {"Authorization": "Bearer SECRET-bearer"}},
    "auth": {"accessToken": "SECRET-access", "refresh_token": "SECRET-refresh", "tokenCount": 12}}]}]},
  "result": {"ok": false, "steps": [{"index": 0, "call": "agent.execute", "ok": true,
    "result": {"answer": "logged in", "session": {"Set-Cookie": "SECRET-cookie", "client_secret": "SECRET-client"}, "tokenCount": 321}}]},
  "error": {"code": "invocation.failed", "message": "The model refused the key",
    "details": {"llm": {"apiKey": "SECRET-details-apikey", "maxTokens": 8192}, "db": {"password": "SECRET-pw"}}},
  "metadata": {"team": "growth", "webhook": {"secret": "SECRET-metadata", "token": "SECRET-token"}, "private_key": "SECRET-pem"}
}`

// TestWholeInvocationIsRedacted serves an invocation full of secrets and
// reads it back through get_invocation: no secret reaches the text or the
// structured content, and counters and other fields are kept.
func TestWholeInvocationIsRedacted(t *testing.T) {
	api := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(secretInvocation))
	})
	h := newHarness(t, api, false)
	res := h.call("get_invocation", map[string]any{"invocationId": "3f0a9c1e-2b4d-4e6f-8a0b-1c2d3e4f5a6b"})
	out := h.output(res)
	structured, _ := json.Marshal(res.StructuredContent)
	blob := text(res) + "\n" + string(structured)
	if strings.Contains(blob, "SECRET-") {
		t.Errorf("a secret reached the result:\n%s", blob)
	}
	for _, kept := range []string{`"maxTokens":4096`, `"maxTokens":8192`, `"tokenCount":12`, `"tokenCount":321`, "logged in", "growth", "The model refused the key"} {
		if !strings.Contains(blob, kept) {
			t.Errorf("%s was lost from the result", kept)
		}
	}
	if got := out.Error.Details["llm"].(map[string]any)["apiKey"]; got != redacted {
		t.Errorf("error.details.llm.apiKey = %v, want %q", got, redacted)
	}
	if out.Request == nil || out.Request.IdempotencyKey != "key-1" || out.Status != bctrl.StatusFailed {
		t.Errorf("typed fields were not kept: %+v", out.Invocation)
	}
}

// TestNoTypedInvocationFieldIsSecretNamed guards the round trip in
// redactInvocation: a typed field with a secret name would turn into a
// string the struct cannot hold, and the invocation would be cut down.
func TestNoTypedInvocationFieldIsSecretNamed(t *testing.T) {
	seen := map[reflect.Type]bool{}
	var walk func(reflect.Type, string)
	walk = func(rt reflect.Type, path string) {
		for rt.Kind() == reflect.Pointer || rt.Kind() == reflect.Slice || rt.Kind() == reflect.Map {
			rt = rt.Elem()
		}
		if rt.Kind() != reflect.Struct || seen[rt] {
			return
		}
		seen[rt] = true
		for f := range rt.Fields() {
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if secretKey(name) {
				t.Errorf("%s.%s is a typed field with a secret name", path, name)
			}
			walk(f.Type, path+"."+name)
		}
	}
	walk(reflect.TypeFor[bctrl.Invocation](), "invocation")
	if len(seen) < 5 {
		t.Fatalf("walked only %d struct types", len(seen))
	}
}

type loggedRequest struct {
	Model  string `json:"model"`
	APIKey string `json:"apiKey"`
}

// TestLogsCarryNoSecrets logs the values that might be logged one day
// (a secret-named attribute, a request struct, an invocation, a map, a
// group) through the logger the tools use, and scans the output.
func TestLogsCarryNoSecrets(t *testing.T) {
	for _, format := range []string{"text", "json"} {
		t.Run(format, func(t *testing.T) {
			var buf bytes.Buffer
			var base slog.Handler = slog.NewTextHandler(&buf, nil)
			if format == "json" {
				base = slog.NewJSONHandler(&buf, nil)
			}
			var inv bctrl.Invocation
			if err := json.Unmarshal([]byte(secretInvocation), &inv); err != nil {
				t.Fatal(err)
			}
			logger := RedactingLogger(slog.New(base)).With("api_key", "SECRET-with")
			logger.Info("call",
				"Authorization", "Bearer SECRET-attr",
				"body", loggedRequest{Model: "gpt-5", APIKey: "SECRET-struct"},
				"invocation", &inv,
				"details", map[string]any{"llm": map[string]any{"apiKey": "SECRET-map"}},
				slog.Group("auth", "accessToken", "SECRET-group", "tokenCount", 3),
				"maxTokens", 4096,
			)
			logger.WithGroup("g").Warn("again", "password", "SECRET-in-group")
			out := buf.String()
			if strings.Contains(out, "SECRET-") {
				t.Errorf("a secret was logged:\n%s", out)
			}
			for _, kept := range []string{"gpt-5", "4096", "tokenCount", "logged in"} {
				if !strings.Contains(out, kept) {
					t.Errorf("%s was lost from the log:\n%s", kept, out)
				}
			}
		})
	}
}

// TestToolsLogThroughTheRedactor checks that the tools wrap whatever
// logger they are given, and that wrapping is done once.
func TestToolsLogThroughTheRedactor(t *testing.T) {
	var buf bytes.Buffer
	deps := Deps{Logger: slog.New(slog.NewTextHandler(&buf, nil))}.withDefaults()
	deps.Logger.Info("x", "apiKey", "SECRET-registered")
	if strings.Contains(buf.String(), "SECRET-") || !strings.Contains(buf.String(), redacted) {
		t.Errorf("log %q", buf.String())
	}
	if RedactingLogger(deps.Logger) != deps.Logger {
		t.Errorf("an already redacting logger was wrapped again")
	}
}

// TestInvocationsLogThroughTheRedactor: the operations the tasks layer
// uses log through the redactor too, whatever logger they are given.
func TestInvocationsLogThroughTheRedactor(t *testing.T) {
	var buf bytes.Buffer
	c, err := bctrl.NewClient(bctrl.WithAPIKey(testKey))
	if err != nil {
		t.Fatal(err)
	}
	_, invs, err := NewServerAndInvocations("bctrl-mcp", "test", Deps{API: c, Logger: slog.New(slog.NewTextHandler(&buf, nil))})
	if err != nil {
		t.Fatal(err)
	}
	invs.ts.deps.Logger.Info("x", "apiKey", "SECRET-invocations")
	if strings.Contains(buf.String(), "SECRET-") || !strings.Contains(buf.String(), redacted) {
		t.Errorf("log %q", buf.String())
	}
}

// BenchmarkRedactInvocation is the redaction every result pays: a scan of
// the JSON for an invocation without secrets, a full walk for one with
// secrets in every part.
func BenchmarkRedactInvocation(b *testing.B) {
	const clean = `{"id":"3f0a9c1e-2b4d-4e6f-8a0b-1c2d3e4f5a6b","status":"running","stepCount":2,
	  "progress":{"step":3,"totalSteps":7,"message":"Filling the login form","currentCall":"agent.execute"},
	  "request":{"idempotencyKey":"key-1","steps":[{"call":"agent.execute","args":[{"provider":"stagehand",
	  "input":{"instruction":"Book a table for two"},"options":{"maxSteps":20}}]}]},"metadata":{"team":"growth"}}`
	for name, doc := range map[string]string{"clean": clean, "secrets": secretInvocation} {
		b.Run(name, func(b *testing.B) {
			var inv bctrl.Invocation
			if err := json.Unmarshal([]byte(doc), &inv); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				redactInvocation(inv)
			}
		})
	}
}

// FuzzSecretScan checks the fast path of redactInvocation: whenever the
// full walk would replace something, the byte scan must say so.
func FuzzSecretScan(f *testing.F) {
	for _, seed := range []string{
		secretInvocation, `{"api\u004bey":"x"}`, `{"a":{"b":[{"Pass_Word":1}]}}`, `{"x":"\"apiKey\":"}`,
		`{"token" : "t"}`, `{"maxTokens":1,"tokenCount":2}`, `{"\u212apikey":"kelvin"}`, `{"apiKey":null}`, `["apiKey"]`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		generic, err := decodeGeneric(raw)
		if err != nil {
			return
		}
		if _, changed := redactWalk(generic, false); changed && !mayHoldSecret(raw) {
			t.Errorf("the scan missed a secret in %s", raw)
		}
	})
}
