package mcpserver

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bctrlhq/bctrl-mcp/tools/tasks"
)

const (
	space   = "6f1c2a8e-0d4b-4c3e-9b7a-1e2f3a4b5c6d"
	runtime = "7a2b3c4d-5e6f-4a1b-8c9d-0e1f2a3b4c5d"
	invID   = "3f0a9c1e-2b4d-4e6f-8a0b-1c2d3e4f5a6b"
)

// post is one create the fake API received.
type post struct{ auth, key string }

// recordingAPI answers creates and gets, recording each create's bearer
// and idempotencyKey; while hold is set, it holds creates until the client gives up.
type recordingAPI struct {
	mu    sync.Mutex
	posts []post
	hold  bool
	held  chan struct{}
}

func (a *recordingAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var body struct {
		IdempotencyKey string `json:"idempotencyKey"`
	}
	_ = json.NewDecoder(r.Body).Decode(&body)
	a.mu.Lock()
	if r.Method == http.MethodPost {
		a.posts = append(a.posts, post{r.Header.Get("Authorization"), body.IdempotencyKey})
	}
	hold := a.hold && r.Method == http.MethodPost
	a.mu.Unlock()
	if hold {
		a.held <- struct{}{}
		<-r.Context().Done()
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusAccepted)
	_, _ = w.Write([]byte(`{"id":"` + invID + `","status":"queued"}`))
}

// setHold has the API hold creates (or not) until the client gives up.
func (a *recordingAPI) setHold(hold bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.hold = hold
}

// abandon sends msg with ctx while api holds creates, and gives up on it
// (cancels its context) once the create has reached the API.
func abandon(t *testing.T, s *tasks.Server, api *recordingAPI, ctx context.Context, msg json.RawMessage) {
	t.Helper()
	api.setHold(true)
	defer api.setHold(false)
	ctx, giveUp := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.HandleMessage(ctx, msg)
	}()
	select {
	case <-api.held:
	case <-time.After(10 * time.Second):
		t.Fatal("the create never reached the API")
	}
	giveUp()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the abandoned create did not return")
	}
}

func (a *recordingAPI) created() []post {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]post(nil), a.posts...)
}

func createCall(id string) json.RawMessage {
	return json.RawMessage(`{"jsonrpc":"2.0","id":"` + id + `","method":"tools/call","params":{"name":"create_invocation","arguments":` +
		`{"provider":"stagehand","input":{"instruction":"Book a table"},"spaceId":"` + space + `","runtimeId":"` + runtime + `","waitSeconds":0}}}`)
}

// TestPerRequestKeys: with PerRequestKeys every call uses the key on its own
// request's context and nothing else, and the retry memory that spares a
// second invocation after a client gave up is partitioned by that key: a
// repeat under another key never reuses the first key's idempotencyKey.
func TestPerRequestKeys(t *testing.T) {
	api := &recordingAPI{held: make(chan struct{}, 1)}
	srv := httptest.NewServer(api)
	t.Cleanup(srv.Close)
	s, err := New(Config{Name: "bctrl-mcp", Version: "test", BaseURL: srv.URL, PerRequestKeys: true})
	if err != nil {
		t.Fatal(err)
	}
	const keyA, keyB = "bctrl_user_A", "bctrl_user_B"

	// User A's create is held by the API until A gives up.
	abandon(t, s, api, WithAPIKey(t.Context(), keyA), createCall("a1"))

	// The same create from user B, then from A again.
	for _, c := range []struct{ id, key string }{{"b1", keyB}, {"a2", keyA}} {
		raw, _ := json.Marshal(s.HandleMessage(WithAPIKey(t.Context(), c.key), createCall(c.id)))
		if strings.Contains(string(raw), `"isError":true`) {
			t.Fatalf("%s: %s", c.id, raw)
		}
	}
	posts := api.created()
	if len(posts) != 3 {
		t.Fatalf("%d creates reached the API, want 3: %+v", len(posts), posts)
	}
	for i, want := range []string{keyA, keyB, keyA} {
		if posts[i].auth != "Bearer "+want {
			t.Errorf("create %d sent %q, want the bearer of %s", i, posts[i].auth, want)
		}
	}
	if posts[1].key == posts[0].key {
		t.Error("user B's create reused user A's idempotencyKey")
	}
	if posts[2].key != posts[0].key {
		t.Errorf("user A's repeat got a new idempotencyKey %q, not its abandoned create's %q (a second billed invocation)", posts[2].key, posts[0].key)
	}

	// A request without a key is refused before the API, with a clear result.
	raw, _ := json.Marshal(s.HandleMessage(t.Context(), createCall("nokey")))
	if !strings.Contains(string(raw), `"isError":true`) || !strings.Contains(string(raw), "Authorization: Bearer") || len(api.created()) != 3 {
		t.Errorf("keyless call: %s; %d creates reached the API", raw, len(api.created()))
	}
}

func TestPerRequestKeysRefuseServerWideSettings(t *testing.T) {
	for name, cfg := range map[string]Config{
		"key":     {PerRequestKeys: true, APIKey: "bctrl_x"},
		"space":   {PerRequestKeys: true, DefaultSpaceID: space},
		"runtime": {PerRequestKeys: true, DefaultRuntimeID: runtime},
	} {
		if _, err := New(cfg); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
