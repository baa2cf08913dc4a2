package bctrl

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
)

// requestLine records the escaped path and the raw query of each request,
// as they arrive on the wire.
type requestLine struct {
	mu    sync.Mutex
	paths []string
	query []string
}

func (l *requestLine) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	l.mu.Lock()
	l.paths = append(l.paths, r.URL.EscapedPath())
	l.query = append(l.query, r.URL.RawQuery)
	l.mu.Unlock()
	writeJSON(w, 200, map[string]any{"id": testInvID, "status": "queued", "spaces": []any{}, "runtimes": []any{}, "nextCursor": nil})
}

// TestIDsAreEscapedOnce: an id with a slash and a space reaches the API as
// one path segment, escaped once (a%2Fb%20c), not twice (a%252Fb%2520c),
// under the base URL's own path prefix.
func TestIDsAreEscapedOnce(t *testing.T) {
	line := &requestLine{}
	srv := httptest.NewServer(line)
	t.Cleanup(srv.Close)
	c, err := NewClient(WithBaseURL(srv.URL+"/pre%20fix/v1"), WithAPIKey(testKey), WithRetryPolicy(fastRetries))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetInvocation(t.Context(), "a/b c"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CancelInvocation(t.Context(), "a/b c"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ListRuntimes(t.Context(), "s?p#ace"); err != nil {
		t.Fatal(err)
	}
	want := []string{"/pre%20fix/v1/invocations/a%2Fb%20c", "/pre%20fix/v1/invocations/a%2Fb%20c/cancel", "/pre%20fix/v1/spaces/s%3Fp%23ace/runtimes"}
	for i, w := range want {
		if line.paths[i] != w {
			t.Errorf("request %d went to %s, want %s", i, line.paths[i], w)
		}
	}
	if line.query[2] != "" {
		t.Errorf("the first page of a list carried query %q, want none", line.query[2])
	}
}

// TestListSendsTheCursorAsAQuery: the next page is asked for with the
// cursor, escaped, in the query of the same path.
func TestListSendsTheCursorAsAQuery(t *testing.T) {
	c, mux := setup(t)
	var mu sync.Mutex
	var got []string
	mux.HandleFunc("/v1/spaces", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = append(got, r.URL.RawQuery)
		mu.Unlock()
		next := any("a b&c=d")
		if r.URL.Query().Get("cursor") != "" {
			next = nil
		}
		writeJSON(w, 200, map[string]any{"spaces": []any{map[string]any{"id": "s"}}, "nextCursor": next})
	})
	spaces, err := c.ListSpaces(t.Context())
	if err != nil || len(spaces) != 2 {
		t.Fatalf("spaces %v, %v", spaces, err)
	}
	if len(got) != 2 || got[0] != "" || got[1] != "cursor=a+b%26c%3Dd" {
		t.Errorf("queries %q", got)
	}
}
