package mcpserver

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
)

// taskCreateCall is createCall sent as a 2026-07-28 request that declares
// the Tasks extension, so the tasks layer answers it with a task.
func taskCreateCall(id string) json.RawMessage {
	return json.RawMessage(`{"jsonrpc":"2.0","id":"` + id + `","method":"tools/call","params":{"name":"create_invocation",` +
		`"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{"extensions":{"io.modelcontextprotocol/tasks":{}}}},` +
		`"arguments":{"provider":"stagehand","input":{"instruction":"Book a table"},"spaceId":"` + space + `","runtimeId":"` + runtime + `","waitSeconds":0}}}`)
}

// TestTaskCreatesShareTheRetryMemory: a create the client gives up on is
// repeated with the same idempotencyKey whether either call is a plain
// tools/call or a task-augmented one, because the tools and the tasks layer
// share one retry memory: switching to tasks never bills a second invocation.
func TestTaskCreatesShareTheRetryMemory(t *testing.T) {
	api := &recordingAPI{held: make(chan struct{}, 1)}
	srv := httptest.NewServer(api)
	t.Cleanup(srv.Close)
	s, err := New(Config{Name: "bctrl-mcp", Version: "test", BaseURL: srv.URL, APIKey: "bctrl_key"})
	if err != nil {
		t.Fatal(err)
	}
	send := func(msg json.RawMessage, wantTask bool) {
		t.Helper()
		raw, _ := json.Marshal(s.HandleMessage(t.Context(), msg))
		if strings.Contains(string(raw), `"isError":true`) || strings.Contains(string(raw), `"resultType":"task"`) != wantTask {
			t.Fatalf("create (task %v): %s", wantTask, raw)
		}
	}

	abandon(t, s, api, t.Context(), createCall("plain-abandoned"))
	send(taskCreateCall("task-repeat"), true)
	abandon(t, s, api, t.Context(), taskCreateCall("task-abandoned"))
	send(createCall("plain-repeat"), false)

	posts := api.created()
	if len(posts) != 4 {
		t.Fatalf("%d creates reached the API, want 4: %+v", len(posts), posts)
	}
	if posts[1].key != posts[0].key {
		t.Errorf("a task-augmented repeat of an abandoned create got a new idempotencyKey %q, not %q (a second billed invocation)", posts[1].key, posts[0].key)
	}
	if posts[2].key == posts[0].key {
		t.Error("a create after a delivered repeat reused the old idempotencyKey")
	}
	if posts[3].key != posts[2].key {
		t.Errorf("a repeat of an abandoned task-augmented create got a new idempotencyKey %q, not %q (a second billed invocation)", posts[3].key, posts[2].key)
	}
}
