package bctrl

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/bctrlhq/bctrl-mcp/bctrl/bctrlsim"
)

func TestWhoamiKeepsEveryFieldAndToleratesUnknownOnes(t *testing.T) {
	c, mux := setup(t)
	mux.HandleFunc("/v1/auth/whoami", func(w http.ResponseWriter, r *http.Request) {
		assertHeaders(t, r, "GET", false)
		writeJSON(w, 200, map[string]any{
			"email": "ada@example.com", "organizationId": "org_1", "plan": "pro", "defaultSpaceId": testSpace,
			"subaccountId": nil, "effectiveScope": map[string]any{"scope": "organization"}, "brandNewField": 7,
		})
	})
	id, err := c.Whoami(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if id.DefaultSpaceID() != testSpace {
		t.Errorf("default space %q", id.DefaultSpaceID())
	}
	var got []string
	for _, f := range id.Summary() {
		got = append(got, f.Name+"="+f.Value)
	}
	// Preferred fields first, then the rest by name; nulls and objects are not shown.
	want := "email=ada@example.com,organizationId=org_1,plan=pro,defaultSpaceId=" + testSpace + ",brandNewField=7"
	if strings.Join(got, ",") != want {
		t.Errorf("summary\n got %s\nwant %s", strings.Join(got, ","), want)
	}
}

func TestWhoamiWithNoFieldsIsStillAValidKey(t *testing.T) {
	c, mux := setup(t)
	mux.HandleFunc("/v1/auth/whoami", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, map[string]any{}) })
	id, err := c.Whoami(t.Context())
	if err != nil || len(id.Summary()) != 0 || id.DefaultSpaceID() != "" {
		t.Fatalf("id %+v, err %v", id, err)
	}
}

func TestWhoamiRejectsANonObjectAnswer(t *testing.T) {
	c, mux := setup(t)
	mux.HandleFunc("/v1/auth/whoami", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, []string{"nope"}) })
	if _, err := c.Whoami(t.Context()); err == nil {
		t.Fatal("an array was accepted as an identity")
	}
}

func TestWhoami401IsAnAPIError(t *testing.T) {
	c, mux := setup(t)
	mux.HandleFunc("/v1/auth/whoami", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 401, map[string]any{"error": "invalid API key", "code": "auth.invalid"})
	})
	_, err := c.Whoami(t.Context())
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 401 || apiErr.Code != "auth.invalid" {
		t.Fatalf("err %v", err)
	}
}

// pages serves items in pages of two, each pointing to the next with an
// opaque cursor, and records the cursors it was asked for.
func pages(t *testing.T, key string, items []map[string]any) (http.HandlerFunc, func() []string) {
	var mu sync.Mutex
	var asked []string
	return func(w http.ResponseWriter, r *http.Request) {
			assertHeaders(t, r, "GET", false)
			cursor := r.URL.Query().Get("cursor")
			mu.Lock()
			asked = append(asked, cursor)
			mu.Unlock()
			start := 0
			if cursor != "" {
				start = int(cursor[len("c-")]-'0') * 2
			}
			end := min(start+2, len(items))
			next := any(nil)
			if end < len(items) {
				next = "c-" + string(rune('0'+end/2))
			}
			writeJSON(w, 200, map[string]any{key: items[start:end], "nextCursor": next})
		}, func() []string {
			mu.Lock()
			defer mu.Unlock()
			return append([]string(nil), asked...)
		}
}

func TestListSpacesFollowsNextCursor(t *testing.T) {
	c, mux := setup(t)
	items := []map[string]any{
		{"id": "s1", "name": "One"}, {"id": "s2", "name": "Two", "extra": true}, {"id": "s3"},
		{"name": "no id is skipped"}, {"id": "s5", "name": 42},
	}
	h, asked := pages(t, "spaces", items)
	mux.HandleFunc("/v1/spaces", h)
	spaces, err := c.ListSpaces(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range spaces {
		got = append(got, s.ID+":"+s.Name)
	}
	if strings.Join(got, ",") != "s1:One,s2:Two,s3:,s5:" {
		t.Errorf("spaces %v", got)
	}
	if strings.Join(asked(), ",") != ",c-1,c-2" {
		t.Errorf("cursors asked %q", asked())
	}
}

func TestListRuntimesReadsStatusAndActiveRun(t *testing.T) {
	c, mux := setup(t)
	items := []map[string]any{
		{"id": "r1", "name": "Main", "status": "active", "activeRunId": "run_1"},
		{"id": "r2", "name": "Old", "status": "stopped", "activeRunId": nil},
		{"id": "r3", "state": "failed"},
	}
	h, _ := pages(t, "runtimes", items)
	mux.HandleFunc("/v1/spaces/"+testSpace+"/runtimes", h)
	rts, err := c.ListRuntimes(t.Context(), testSpace)
	if err != nil {
		t.Fatal(err)
	}
	if len(rts) != 3 || rts[0].ActiveRunID != "run_1" || rts[1].Status != "stopped" || rts[2].Status != "failed" || rts[0].Name != "Main" {
		t.Fatalf("runtimes %+v", rts)
	}
	for i, want := range []Readiness{RuntimeReady, RuntimeNotReady, RuntimeNotReady} {
		if got, _ := rts[i].Readiness(); got != want {
			t.Errorf("%s readiness %v, want %v", rts[i].ID, got, want)
		}
	}
}

func TestListAcceptsTheDataKeyToo(t *testing.T) {
	c, mux := setup(t)
	mux.HandleFunc("/v1/spaces", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]any{"data": []any{map[string]any{"id": "s1"}}})
	})
	spaces, err := c.ListSpaces(t.Context())
	if err != nil || len(spaces) != 1 || spaces[0].ID != "s1" {
		t.Fatalf("spaces %+v, err %v", spaces, err)
	}
}

func TestListStopsOnARepeatedCursor(t *testing.T) {
	c, mux := setup(t)
	calls := 0
	mux.HandleFunc("/v1/spaces", func(w http.ResponseWriter, r *http.Request) {
		calls++
		writeJSON(w, 200, map[string]any{"spaces": []any{map[string]any{"id": "s"}}, "nextCursor": "same"})
	})
	_, err := c.ListSpaces(t.Context())
	if err == nil || !strings.Contains(err.Error(), "cursor") || calls > 3 {
		t.Fatalf("calls %d, err %v", calls, err)
	}
}

func TestListRuntimesOfUnknownSpaceIs404(t *testing.T) {
	c, mux := setup(t)
	mux.HandleFunc("/v1/spaces/nope/runtimes", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 404, map[string]any{"error": "space not found", "code": "space.not_found"})
	})
	_, err := c.ListRuntimes(t.Context(), "nope")
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 404 {
		t.Fatalf("err %v", err)
	}
}

// TestAccountRoutesAgainstTheSimulator pages through the simulator's lists
// (20 a page) with the cursors it issues.
func TestAccountRoutesAgainstTheSimulator(t *testing.T) {
	dir := &bctrlsim.Directory{Identity: map[string]any{"email": "a@example.com"}}
	for i := range 45 {
		s := bctrlsim.DirectorySpace{ID: fmt.Sprintf("space-%02d", i)}
		for j := range 21 {
			s.Runtimes = append(s.Runtimes, bctrlsim.DirectoryRuntime{ID: fmt.Sprintf("rt-%02d", j), Status: "active"})
		}
		dir.Spaces = append(dir.Spaces, s)
	}
	srv := httptest.NewServer(bctrlsim.New(bctrlsim.Options{APIKey: testKey, Directory: dir}))
	defer srv.Close()
	c, err := NewClient(WithBaseURL(srv.URL), WithAPIKey(testKey), WithRetryPolicy(fastRetries))
	if err != nil {
		t.Fatal(err)
	}
	if id, err := c.Whoami(t.Context()); err != nil || id.Fields["email"] != "a@example.com" {
		t.Fatalf("whoami %+v %v", id, err)
	}
	spaces, err := c.ListSpaces(t.Context())
	if err != nil || len(spaces) != 45 || spaces[44].ID != "space-44" {
		t.Fatalf("%d spaces, err %v", len(spaces), err)
	}
	rts, err := c.ListRuntimes(t.Context(), "space-07")
	if err != nil || len(rts) != 21 {
		t.Fatalf("%d runtimes, err %v", len(rts), err)
	}
	bad, _ := NewClient(WithBaseURL(srv.URL), WithAPIKey("wrong"), WithRetryPolicy(fastRetries))
	var apiErr *APIError
	if _, err := bad.Whoami(t.Context()); !errors.As(err, &apiErr) || apiErr.StatusCode != 401 {
		t.Errorf("wrong key: %v", err)
	}
}
