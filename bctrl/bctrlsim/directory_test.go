package bctrlsim

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"
)

func TestWhoamiNeedsTheKeyAndNamesTheOwner(t *testing.T) {
	h := newHarness(t, Options{})
	for _, bearer := range []string{"", "wrong-key"} {
		if status, out := h.do("GET", "/v1/auth/whoami", nil, bearer); status != http.StatusUnauthorized || out["code"] != "auth.required" {
			t.Errorf("bearer %q: %d %v", bearer, status, out)
		}
	}
	status, out := h.do("GET", "/v1/auth/whoami", nil, key)
	if status != http.StatusOK || out["email"] == nil || out["defaultSpaceId"] != SeedSpaceID {
		t.Fatalf("whoami: %d %v", status, out)
	}
}

func TestDefaultDirectoryHasTheServeDefaults(t *testing.T) {
	h := newHarness(t, Options{})
	_, spaces := h.do("GET", "/v1/spaces", nil, key)
	list, _ := spaces["spaces"].([]any)
	if len(list) != 1 || list[0].(map[string]any)["id"] != SeedSpaceID || spaces["nextCursor"] != nil {
		t.Fatalf("spaces: %v", spaces)
	}
	_, runtimes := h.do("GET", "/v1/spaces/"+SeedSpaceID+"/runtimes", nil, key)
	rts, _ := runtimes["runtimes"].([]any)
	if len(rts) < 2 {
		t.Fatalf("runtimes: %v", runtimes)
	}
	first := rts[0].(map[string]any)
	if first["id"] != SeedRuntimeID || first["status"] != "active" || first["activeRunId"] == nil || first["spaceId"] != SeedSpaceID {
		t.Errorf("seed runtime: %v", first)
	}
	if second := rts[1].(map[string]any); second["status"] != "stopped" || second["activeRunId"] != nil {
		t.Errorf("stopped runtime: %v", second)
	}
}

// bigDirectory has 45 spaces; space-0 has 45 runtimes.
func bigDirectory() *Directory {
	d := &Directory{Identity: map[string]any{"email": "a@example.com"}}
	for i := range 45 {
		s := DirectorySpace{ID: fmt.Sprintf("space-%d", i), Name: fmt.Sprintf("Space %d", i)}
		if i == 0 {
			for j := range 45 {
				s.Runtimes = append(s.Runtimes, DirectoryRuntime{ID: fmt.Sprintf("rt-%d", j), Name: "R", Status: "active"})
			}
		}
		d.Spaces = append(d.Spaces, s)
	}
	return d
}

func TestListsArePagedWithNextCursor(t *testing.T) {
	h := newHarness(t, Options{Directory: bigDirectory()})
	for _, path := range []string{"/v1/spaces", "/v1/spaces/space-0/runtimes"} {
		key2 := map[string]string{"/v1/spaces": "spaces", "/v1/spaces/space-0/runtimes": "runtimes"}[path]
		seen := map[string]bool{}
		cursor, pages := "", 0
		for {
			q := url.Values{"limit": {"20"}}
			if cursor != "" {
				q.Set("cursor", cursor)
			}
			status, out := h.do("GET", path+"?"+q.Encode(), nil, key)
			if status != http.StatusOK {
				t.Fatalf("%s page %d: %d %v", path, pages, status, out)
			}
			pages++
			for _, it := range out[key2].([]any) {
				id := it.(map[string]any)["id"].(string)
				if seen[id] {
					t.Fatalf("%s: %s listed twice", path, id)
				}
				seen[id] = true
			}
			next, _ := out["nextCursor"].(string)
			if next == "" {
				break
			}
			cursor = next
		}
		if len(seen) != 45 || pages != 3 {
			t.Errorf("%s: %d items in %d pages", path, len(seen), pages)
		}
	}
}

func TestListErrors(t *testing.T) {
	h := newHarness(t, Options{Directory: bigDirectory(), NestedErrors: true})
	for _, tt := range []struct {
		path   string
		status int
		code   string
	}{
		{"/v1/spaces/no-such-space/runtimes", 404, "space.not_found"},
		{"/v1/spaces?cursor=forged", 400, "request.invalid"},
		{"/v1/spaces?limit=0", 400, "request.invalid"},
		{"/v1/spaces?limit=101", 400, "request.invalid"},
		{"/v1/spaces?limit=ten", 400, "request.invalid"},
	} {
		status, out := h.do("GET", tt.path, nil, key)
		nested, _ := out["error"].(map[string]any)
		if status != tt.status || nested["code"] != tt.code || nested["message"] == "" {
			t.Errorf("%s: %d %v", tt.path, status, out)
		}
	}
	if status, _ := h.do("POST", "/v1/spaces", nil, key); status != http.StatusNotFound {
		t.Errorf("POST /v1/spaces: %d", status)
	}
	if status, _ := h.do("GET", "/v1/spaces/space-0/runtimes", nil, ""); status != http.StatusUnauthorized {
		t.Errorf("runtimes without a key: %d", status)
	}
}

func TestDirectoryRoutesTakeFaults(t *testing.T) {
	h := newHarness(t, Options{})
	h.sim.QueueFaults(RouteSpaces, Fault{Kind: FaultServerError, Status: 503})
	if status, _ := h.do("GET", "/v1/spaces", nil, key); status != 503 {
		t.Errorf("queued fault: %d", status)
	}
	if status, _ := h.do("GET", "/v1/spaces", nil, key); status != 200 {
		t.Errorf("after the fault: %d", status)
	}
}
