package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/bctrlhq/bctrl-mcp/cmd/internal/mcpproc"
	"github.com/bctrlhq/bctrl-mcp/tools/panel"
)

// panelMeta is all that the panel adds to tools/list, on each of two tools.
const panelMeta = `"_meta":{"ui":{"resourceUri":"ui://bctrl/invocation"}}`

// modernMeta makes a request a stateless 2026-07-28 one.
const modernMeta = `"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{"extensions":{"io.modelcontextprotocol/ui":{"mimeTypes":["text/html;profile=mcp-app"]}}}}`

func startRaw(t *testing.T) *mcpproc.Proc {
	t.Helper()
	p, err := mcpproc.Start(simEnv(), binPath)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Kill)
	return p
}

// request sends one line and returns the answer with the given id and its raw line.
func request(t *testing.T, p *mcpproc.Proc, id, line string) (map[string]any, string) {
	t.Helper()
	if err := p.Send(line); err != nil {
		t.Fatal(err)
	}
	m, err := p.Until(id)
	if err != nil {
		t.Fatal(err)
	}
	lines := bytes.Split(bytes.TrimSpace(p.Stdout.Bytes()), []byte("\n"))
	return m, string(lines[len(lines)-1])
}

// assertAdvertised checks the capabilities an Apps host looks for.
func assertAdvertised(t *testing.T, era string, result map[string]any) {
	t.Helper()
	caps, _ := result["capabilities"].(map[string]any)
	ext, _ := caps["extensions"].(map[string]any)
	ui, _ := ext[panel.ExtensionID].(map[string]any)
	types, _ := ui["mimeTypes"].([]any)
	if len(types) != 1 || types[0] != panel.MIMEType {
		t.Errorf("%s: capabilities.extensions[%q] = %v, want mimeTypes [%s]", era, panel.ExtensionID, ext[panel.ExtensionID], panel.MIMEType)
	}
	if _, ok := caps["resources"].(map[string]any); !ok {
		t.Errorf("%s: no resources capability in %v", era, caps)
	}
}

// TestPanelOnTheWire reads, from the real binary's stdout, what an MCP Apps
// host reads: the extension and the resources capability in both protocol
// eras, the panel's URI on create_invocation and get_invocation only (and
// nothing else added to tools/list), and the view from resources/read.
func TestPanelOnTheWire(t *testing.T) {
	legacy := startRaw(t)
	init, _ := request(t, legacy, "init", mcpproc.InitializeLine)
	assertAdvertised(t, "initialize", init["result"].(map[string]any))

	list, raw := request(t, legacy, "list", `{"jsonrpc":"2.0","id":"list","method":"tools/list"}`)
	if n := strings.Count(raw, panelMeta); n != 2 || strings.Count(raw, `"_meta"`) != 2 || strings.Count(raw, "ui://") != 2 {
		t.Errorf("tools/list carries %d panel links and %d _meta keys, want exactly 2 of each (%d bytes in all)", n, strings.Count(raw, `"_meta"`), 2*len(panelMeta+","))
	}
	for _, tool := range list["result"].(map[string]any)["tools"].([]any) {
		tl := tool.(map[string]any)
		_, linked := tl["_meta"]
		if want := tl["name"] != "cancel_invocation"; linked != want {
			t.Errorf("%v: has _meta %v, want %v (cancel_invocation keeps the default visibility and stays callable from the view)", tl["name"], linked, want)
		}
	}

	view := readView(t, legacy, "read", "")
	if view["text"] != panel.HTML() {
		t.Errorf("resources/read returned a text of %d bytes, not the embedded view", len(view["text"].(string)))
	}
	ui, _ := view["_meta"].(map[string]any)["ui"].(map[string]any)
	csp, ok := ui["csp"].(map[string]any)
	if !ok {
		t.Errorf("the view declares no CSP allowance: _meta %v", view["_meta"])
	}
	for k, v := range csp {
		if domains, _ := v.([]any); len(domains) != 0 {
			t.Errorf("the view asks for %s %v; it must need no external origin", k, v)
		}
	}

	modern := startRaw(t)
	discover, _ := request(t, modern, "d", `{"jsonrpc":"2.0","id":"d","method":"server/discover","params":{`+modernMeta+`}}`)
	assertAdvertised(t, "server/discover", discover["result"].(map[string]any))
	if view := readView(t, modern, "r", ","+modernMeta); view["text"] != panel.HTML() {
		t.Error("2026-07-28 resources/read did not return the embedded view")
	}
}

// readView reads the panel's resource and returns its one content item.
func readView(t *testing.T, p *mcpproc.Proc, id, extraParams string) map[string]any {
	t.Helper()
	read, raw := request(t, p, id, `{"jsonrpc":"2.0","id":"`+id+`","method":"resources/read","params":{"uri":"ui://bctrl/invocation"`+extraParams+`}}`)
	result, _ := read["result"].(map[string]any)
	contents, _ := result["contents"].([]any)
	if len(contents) != 1 {
		t.Fatalf("resources/read: want one content item, got %.300s", raw)
	}
	view, _ := contents[0].(map[string]any)
	if view["uri"] != panel.URI || view["mimeType"] != panel.MIMEType {
		t.Fatalf("resources/read: uri %v, mimeType %v; want %s, %s", view["uri"], view["mimeType"], panel.URI, panel.MIMEType)
	}
	return view
}
