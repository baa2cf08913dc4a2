package main

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/bctrlhq/bctrl-mcp/bctrl/bctrlsim"
)

const (
	e2eKey     = "bctrl_live_E2EKEY_0123456789"
	e2eSpace   = "6f1c2a8e-0d4b-4c3e-9b7a-1e2f3a4b5c6d"
	e2eRuntime = "7a2b3c4d-5e6f-4a1b-8c9d-0e1f2a3b4c5d"
)

// startAgainst runs the binary against sim over loopback HTTP with the
// given extra environment.
func startAgainst(t *testing.T, sim *bctrlsim.Simulator, env ...string) *rawSession {
	t.Helper()
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	return startBinary(t, append([]string{"BCTRL_API_KEY=" + e2eKey, "BCTRL_BASE_URL=" + srv.URL, "BCTRL_SIMULATE=false"}, env...)...)
}

// within reads messages until one satisfies match, failing the test (and
// killing the process, which ends a blocked read) if none does in time.
func (s *rawSession) within(what string, deadline time.Duration, match func(map[string]any) bool) map[string]any {
	s.t.Helper()
	type read struct {
		m   map[string]any
		err error
	}
	found := make(chan read, 1)
	go func() {
		for {
			m, err := s.Next()
			if err != nil || match(m) {
				found <- read{m, err}
				return
			}
		}
	}()
	select {
	case r := <-found:
		s.must(r.err)
		return r.m
	case <-time.After(deadline):
		s.Kill()
		<-found
		s.t.Fatalf("no %s within %s; stderr:\n%s", what, deadline, s.Stderr())
		return nil
	}
}

func toolCall(id string, args map[string]any) string {
	raw, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": id, "method": "tools/call",
		"params": map[string]any{"name": "create_invocation", "arguments": args, "_meta": map[string]any{"progressToken": id}}})
	return string(raw)
}

// TestServesWithoutDefaultSpaceAndRuntime starts the binary with only an
// API key: it serves, a create without ids is an isError naming both and
// sends nothing, and a create that names its ids works.
func TestServesWithoutDefaultSpaceAndRuntime(t *testing.T) {
	sim := bctrlsim.New(bctrlsim.Options{APIKey: e2eKey, Clock: &bctrlsim.RealClock{Speed: 20}})
	s := startAgainst(t, sim, "BCTRL_SPACE_ID=", "BCTRL_RUNTIME_ID=")
	args := map[string]any{"provider": "stagehand", "input": map[string]any{"instruction": "Check the weather"}, "waitSeconds": 0}
	answer := func(id string) map[string]any {
		s.send(toolCall(id, args))
		m := s.within("the answer to "+id, 30*time.Second, func(m map[string]any) bool { return m["id"] == id })
		res, _ := m["result"].(map[string]any)
		if res == nil {
			t.Fatalf("%s: %v", id, m)
		}
		return res
	}
	missing := answer("no-ids")
	texts, _ := json.Marshal(missing["content"])
	if missing["isError"] != true || !strings.Contains(string(texts), "spaceId") || !strings.Contains(string(texts), "runtimeId") {
		t.Errorf("create without ids: %v", missing)
	}
	if n := sim.Requests(); n != 0 {
		t.Errorf("%d requests reached bctrl for a create without ids", n)
	}
	args["spaceId"], args["runtimeId"] = e2eSpace, e2eRuntime
	if created := answer("ids"); created["isError"] == true {
		t.Errorf("create with ids: %v", created)
	}
	if n := sim.Count(); n != 1 {
		t.Errorf("%d invocations, want 1", n)
	}
	s.must(s.Finish())
}
