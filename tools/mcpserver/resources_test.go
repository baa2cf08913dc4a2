package mcpserver

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bctrlhq/bctrl-mcp/bctrl/bctrlsim"
)

// TestResourceReadsUseTheRequestsKey: with PerRequestKeys, a resources/read
// lists and downloads with the key of the request it serves, like the tools:
// user B cannot read with user A's key, and the simulator sees each user's own.
func TestResourceReadsUseTheRequestsKey(t *testing.T) {
	clock := bctrlsim.NewManualClock(time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC))
	sim := bctrlsim.New(bctrlsim.Options{Clock: clock})
	var mu sync.Mutex
	var bearers []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.URL.Path, "/artifacts") {
			mu.Lock()
			bearers = append(bearers, r.Header.Get("Authorization"))
			mu.Unlock()
		}
		sim.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	s, err := New(Config{Name: "bctrl-mcp", Version: "test", BaseURL: srv.URL, PerRequestKeys: true})
	if err != nil {
		t.Fatal(err)
	}
	ctxA := WithAPIKey(t.Context(), "bctrl_user_A")
	raw, _ := json.Marshal(s.HandleMessage(ctxA, json.RawMessage(`{"jsonrpc":"2.0","id":"c","method":"tools/call","params":{"name":"create_invocation","arguments":`+
		`{"provider":"stagehand","input":{"instruction":"sim:artifacts sim:steps=1"},"spaceId":"`+space+`","runtimeId":"`+runtime+`","waitSeconds":0}}}`)))
	var created struct {
		Result struct {
			StructuredContent struct{ RunID string } `json:"structuredContent"`
		} `json:"result"`
	}
	if err := json.Unmarshal(raw, &created); err != nil || created.Result.StructuredContent.RunID == "" {
		t.Fatalf("create: %s", raw)
	}
	clock.Advance(time.Minute)
	// The artifact ids are not known here; a read of an unknown one still lists the run with the caller's key.
	read := json.RawMessage(`{"jsonrpc":"2.0","id":"r","method":"resources/read","params":{"uri":"bctrl://runs/` + created.Result.StructuredContent.RunID + `/artifacts/nope"}}`)
	s.HandleMessage(ctxA, read)
	s.HandleMessage(WithAPIKey(t.Context(), "bctrl_user_B"), read)
	keyless, _ := json.Marshal(s.HandleMessage(t.Context(), read))
	mu.Lock()
	defer mu.Unlock()
	if strings.Join(bearers, ",") != "Bearer bctrl_user_A,Bearer bctrl_user_B" {
		t.Errorf("the artifact lists carried %q, want each reader's own key, and none without one", bearers)
	}
	if !strings.Contains(string(keyless), "Authorization: Bearer") {
		t.Errorf("a keyless read: %s", keyless)
	}
}
