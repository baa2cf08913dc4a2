package main

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"image/png"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/bctrlhq/bctrl-mcp/cmd/internal/mcpproc"
)

// contentOf returns a result's content items of one type.
func contentOf(res map[string]any, typ string) []map[string]any {
	var out []map[string]any
	items, _ := res["content"].([]any)
	for _, c := range items {
		if m, _ := c.(map[string]any); m["type"] == typ {
			out = append(out, m)
		}
	}
	return out
}

// eraParams adds a 2026-07-28 _meta to params when modern.
func eraParams(modern bool, params map[string]any) map[string]any {
	if modern {
		params["_meta"] = mcpproc.ModernMeta()
	}
	return params
}

// TestResourcesOverStdioInBothEras drives the real binary on the built-in
// simulator, once per era: an invocation with files lists them, the CSV
// reads back as text and the screenshot as a base64 PNG blob, the
// templates are listed, and a read of an unknown invocation, run or URI
// gets the era's code (-32002, then -32602).
func TestResourcesOverStdioInBothEras(t *testing.T) {
	for _, era := range []struct {
		name   string
		modern bool
		code   int
	}{{"2025-11-25", false, -32002}, {"2026-07-28", true, -32602}} {
		t.Run(era.name, func(t *testing.T) {
			var s *rawSession
			if era.modern {
				s = startStateless(t, "BCTRL_SIMULATE=true", "BCTRL_SIM_SPEED=20")
			} else {
				s = startBinary(t, "BCTRL_SIMULATE=true", "BCTRL_SIM_SPEED=20")
			}
			res := s.result("create", "tools/call", eraParams(era.modern, map[string]any{"name": "create_invocation",
				"arguments": map[string]any{"provider": "stagehand", "input": map[string]any{"instruction": "Export the prices sim:artifacts sim:steps=2"}, "waitSeconds": 30}}))
			out, _ := res["structuredContent"].(map[string]any)
			artifacts, _ := out["artifacts"].([]any)
			links := contentOf(res, "resource_link")
			if out["status"] != "succeeded" || len(artifacts) != 2 || len(links) != 2 || len(contentOf(res, "image")) != 1 {
				t.Fatalf("result: %v", res)
			}
			var csv, shot string
			for _, l := range links {
				if l["mimeType"] == "text/csv" {
					csv = l["uri"].(string)
				} else {
					shot = l["uri"].(string)
				}
			}
			read := s.result("csv", "resources/read", eraParams(era.modern, map[string]any{"uri": csv}))
			c := read["contents"].([]any)[0].(map[string]any)
			if c["mimeType"] != "text/csv" || !strings.HasPrefix(fmt.Sprint(c["text"]), "product,price") {
				t.Errorf("csv: %v", read)
			}
			read = s.result("shot", "resources/read", eraParams(era.modern, map[string]any{"uri": shot}))
			c = read["contents"].([]any)[0].(map[string]any)
			raw, err := base64.StdEncoding.DecodeString(fmt.Sprint(c["blob"]))
			if _, perr := png.Decode(bytes.NewReader(raw)); err != nil || perr != nil || c["mimeType"] != "image/png" {
				t.Errorf("screenshot: %v, %v, %v", err, perr, c["mimeType"])
			}
			templates := s.result("tpl", "resources/templates/list", eraParams(era.modern, map[string]any{}))
			if list, _ := templates["resourceTemplates"].([]any); len(list) != 2 {
				t.Errorf("templates: %v", templates)
			}
			for i, uri := range []string{"bctrl://invocations/0b9e8d7c-6b5a-4f3e-8d2c-1b0a9f8e7d6c", "bctrl://runs/0b9e8d7c-6b5a-4f3e-8d2c-1b0a9f8e7d6c/artifacts/a1", "bctrl://elsewhere/x"} {
				e := s.errorOf(fmt.Sprintf("unknown%d", i), "resources/read", eraParams(era.modern, map[string]any{"uri": uri}))
				if errorCode(e) != era.code {
					t.Errorf("%s: %v, want code %d", uri, e, era.code)
				}
			}
			s.must(s.Finish())
		})
	}
}

// TestResultBudgetOverStdio: BCTRL_RESULT_BUDGET reaches the tools: an
// 80-product answer is cut to 2,000 characters with a link, and the link
// reads back all 80 products.
func TestResultBudgetOverStdio(t *testing.T) {
	s := startBinary(t, "BCTRL_SIMULATE=true", "BCTRL_SIM_SPEED=20", "BCTRL_RESULT_BUDGET=2000")
	res := s.call("big", "create_invocation", map[string]any{"provider": "stagehand", "input": map[string]any{"instruction": "List the catalogue sim:rows=80 sim:steps=2"}, "waitSeconds": 30})
	texts, links := contentOf(res, "text"), contentOf(res, "resource_link")
	body := fmt.Sprint(texts[0]["text"])
	if n := utf8.RuneCountInString(body); n > 2000 || !strings.Contains(body, "left out") || len(links) != 1 {
		t.Fatalf("text of %d characters, %d links:\n%s", n, len(links), body)
	}
	read := s.result("whole", "resources/read", map[string]any{"uri": links[0]["uri"]})
	whole := fmt.Sprint(read["contents"].([]any)[0].(map[string]any)["text"])
	if !strings.Contains(whole, "Product 0001") || !strings.Contains(whole, "Product 0080") {
		t.Errorf("the invocation resource lacks products: %.300s", whole)
	}
	s.must(s.Finish())
}

// TestArtifactCapOverStdio: BCTRL_ARTIFACT_MAX_BYTES reaches the resource
// reads: a file above it is a clear error naming the setting.
func TestArtifactCapOverStdio(t *testing.T) {
	s := startBinary(t, "BCTRL_SIMULATE=true", "BCTRL_SIM_SPEED=20", "BCTRL_ARTIFACT_MAX_BYTES=40")
	res := s.call("files", "create_invocation", map[string]any{"provider": "stagehand", "input": map[string]any{"instruction": "sim:artifacts sim:steps=1"}, "waitSeconds": 30})
	links := contentOf(res, "resource_link")
	if len(links) != 2 {
		t.Fatalf("links %v", res)
	}
	e := s.errorOf("capped", "resources/read", map[string]any{"uri": links[0]["uri"]})
	if msg := fmt.Sprint(e["message"]); !strings.Contains(msg, "above the limit of 40 bytes") || !strings.Contains(msg, "BCTRL_ARTIFACT_MAX_BYTES") {
		t.Errorf("read over the cap: %v", e)
	}
	s.must(s.Finish())
}
