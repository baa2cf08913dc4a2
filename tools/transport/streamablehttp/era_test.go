package streamablehttp

import (
	"encoding/base64"
	"net/http"
	"strings"
	"testing"

	"github.com/bctrlhq/bctrl-mcp/tools/transport/jsonrpc"
)

// TestLegacyClientsAreServedWithoutSessions: a 2025-11-25 client's
// initialize, later requests and notifications are answered without any
// session; GET and DELETE are 405.
func TestLegacyClientsAreServedWithoutSessions(t *testing.T) {
	ts := serve(t, newTestTools(), Options{})
	url := ts.URL + "/mcp"
	init := post(t, url, `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}`, nil)
	if init.status != 200 || init.last().Result["protocolVersion"] != "2025-11-25" || init.header.Get("Mcp-Session-Id") != "" {
		t.Fatalf("initialize: %d %v session %q: %s", init.status, init.last().Result, init.header.Get("Mcp-Session-Id"), init.raw)
	}
	headers := map[string]string{"MCP-Protocol-Version": "2025-11-25", "Mcp-Session-Id": "made-up-by-the-client"}
	if r := post(t, url, `{"jsonrpc":"2.0","method":"notifications/initialized"}`, headers); r.status != http.StatusAccepted || r.raw != "" {
		t.Errorf("initialized: %d %q", r.status, r.raw)
	}
	list := post(t, url, `{"jsonrpc":"2.0","id":2,"method":"tools/list"}`, headers)
	if list.status != 200 || list.last().Result["tools"] == nil || list.header.Get("Mcp-Session-Id") != "" {
		t.Errorf("tools/list: %d %s", list.status, list.raw)
	}
	if r := post(t, url, `{"jsonrpc":"2.0","id":3,"method":"logging/setLevel","params":{"level":"info"}}`, headers); r.status != 200 || r.last().Error != nil {
		t.Errorf("logging/setLevel: %d %s", r.status, r.raw)
	}
	if r := post(t, url, `{"jsonrpc":"2.0","id":4,"method":"nope/nope"}`, headers); r.status != 200 || r.last().Error == nil || r.last().Error.Code != -32601 {
		t.Errorf("unknown method (legacy errors are HTTP 200): %d %s", r.status, r.raw)
	}
	for _, method := range []string{http.MethodGet, http.MethodDelete, http.MethodPut} {
		r := do(t, method, url, "", headers)
		if r.status != http.StatusMethodNotAllowed || r.header.Get("Allow") != "POST" || !strings.Contains(r.raw, "stateless") {
			t.Errorf("%s: %d Allow %q %s", method, r.status, r.header.Get("Allow"), r.raw)
		}
	}
}

// TestModernRequestHeaders: a 2026-07-28 request's headers must match its
// body, for every method (including the Tasks extension's, whose Mcp-Name
// is the task id), and its errors carry the statuses the revision gives them.
func TestModernRequestHeaders(t *testing.T) {
	ts := serve(t, newTestTools(), Options{})
	url := ts.URL + "/mcp"
	list := `{"jsonrpc":"2.0","id":7,"method":"tools/list","params":{` + modernMeta + `}}`
	call := `{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"whoami","arguments":{},` + modernMeta + `}}`
	task := `{"jsonrpc":"2.0","id":7,"method":"tasks/get","params":{"taskId":"t-1",` + modernMeta + `}}`
	b64 := func(s string) string { return "=?base64?" + base64.StdEncoding.EncodeToString([]byte(s)) + "?=" }
	tests := []struct {
		name    string
		body    string
		headers map[string]string
		status  int
		code    int // 0: a result
	}{
		{"all match", list, modernHeaders("tools/list", ""), 200, 0},
		{"tools/call matches", call, modernHeaders("tools/call", "whoami"), 200, 0},
		{"Base64 name", call, modernHeaders("tools/call", b64("whoami")), 200, 0},
		{"no version header", list, map[string]string{"Mcp-Method": "tools/list"}, 400, -32020},
		{"version header differs", list, map[string]string{"MCP-Protocol-Version": "2025-11-25", "Mcp-Method": "tools/list"}, 400, -32020},
		{"no _meta version", `{"jsonrpc":"2.0","id":7,"method":"tools/list","params":{}}`, modernHeaders("tools/list", ""), 400, -32602},
		{"no Mcp-Method", list, map[string]string{"MCP-Protocol-Version": "2026-07-28"}, 400, -32020},
		{"Mcp-Method differs", list, modernHeaders("prompts/list", ""), 400, -32020},
		{"Mcp-Method differs in case", list, modernHeaders("Tools/List", ""), 400, -32020},
		{"no Mcp-Name", call, modernHeaders("tools/call", ""), 400, -32020},
		{"Mcp-Name differs", call, modernHeaders("tools/call", "progress"), 400, -32020},
		{"task id matches", task, modernHeaders("tasks/get", "t-1"), 0, 0},
		{"task id as Base64", task, modernHeaders("tasks/get", b64("t-1")), 0, 0},
		{"no task id header", task, modernHeaders("tasks/get", ""), 400, -32020},
		{"task id differs", task, modernHeaders("tasks/get", "t-2"), 400, -32020},
		{"unknown version", strings.ReplaceAll(list, "2026-07-28", "2099-01-01"), map[string]string{"MCP-Protocol-Version": "2099-01-01", "Mcp-Method": "tools/list"}, 400, -32022},
		{"unknown method", `{"jsonrpc":"2.0","id":7,"method":"nope/nope","params":{` + modernMeta + `}}`, modernHeaders("nope/nope", ""), 404, -32601},
		{"removed method", `{"jsonrpc":"2.0","id":7,"method":"ping","params":{` + modernMeta + `}}`, modernHeaders("ping", ""), 404, -32601},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := post(t, url, tt.body, tt.headers)
			last := r.last()
			if string(last.ID) != "7" {
				t.Errorf("answer id %s: %s", last.ID, r.raw)
			}
			if tt.status == 0 { // headers accepted: whatever the server answers, it is not a header error
				if last.Error != nil && last.Error.Code == -32020 {
					t.Errorf("refused: %s", r.raw)
				}
				return
			}
			code := 0
			if last.Error != nil {
				code = last.Error.Code
			}
			if r.status != tt.status || code != tt.code || r.header.Get("Mcp-Session-Id") != "" {
				t.Errorf("status %d code %d, want %d %d: %s", r.status, code, tt.status, tt.code, r.raw)
			}
		})
	}
}

// TestLegacyProtocolVersionHeader: a legacy request's MCP-Protocol-Version
// must be one this server implements; initialize negotiates its own.
func TestLegacyProtocolVersionHeader(t *testing.T) {
	ts := serve(t, newTestTools(), Options{})
	url := ts.URL + "/mcp"
	for _, v := range []string{"1900-01-01", "not-a-version"} {
		r := post(t, url, `{"jsonrpc":"2.0","id":1,"method":"tools/list"}`, map[string]string{"MCP-Protocol-Version": v})
		if r.status != 400 || r.last().Error == nil || r.last().Error.Code != -32022 || !strings.Contains(r.raw, "2025-11-25") {
			t.Errorf("%s: %d %s", v, r.status, r.raw)
		}
	}
	r := post(t, url, `{"jsonrpc":"2.0","id":1,"method":"tools/list"}`, map[string]string{"MCP-Protocol-Version": "2025-06-18"})
	if r.status != 200 || r.last().Result == nil {
		t.Errorf("2025-06-18: %d %s", r.status, r.raw)
	}
}

// TestReadEra: a POST is modern when its _meta version, or a header naming
// a revision, is 2026-07-28 or later; a _meta version that is not a string
// counts as absent.
func TestReadEra(t *testing.T) {
	body := func(version string) []byte {
		return []byte(`{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":` + version + `}}}`)
	}
	tests := []struct {
		name   string
		header string
		body   []byte
		want   postEra
	}{
		{"modern _meta", "", body(`"2026-07-28"`), postEra{modern: true, metaVersion: "2026-07-28"}},
		{"legacy _meta", "", body(`"2025-11-25"`), postEra{metaVersion: "2025-11-25"}},
		{"_meta version not a string", "", body(`20260728`), postEra{}},
		{"_meta version null", "", body(`null`), postEra{}},
		{"_meta not an object", "", []byte(`{"jsonrpc":"2.0","method":"x","params":{"_meta":7}}`), postEra{}},
		{"modern header alone", "2026-07-28", []byte(`{"jsonrpc":"2.0","id":1,"method":"tools/list"}`), postEra{modern: true, headerVersion: "2026-07-28"}},
		{"header that is no revision", " not-a-version ", []byte(`{}`), postEra{headerVersion: "not-a-version"}},
		{"not JSON", "", []byte(`{`), postEra{}},
	}
	for _, tt := range tests {
		h := http.Header{}
		if tt.header != "" {
			h.Set("MCP-Protocol-Version", tt.header)
		}
		if got := readEra(h, jsonrpc.Classify(tt.body).Params); got != tt.want {
			t.Errorf("%s: %+v, want %+v", tt.name, got, tt.want)
		}
	}
}
