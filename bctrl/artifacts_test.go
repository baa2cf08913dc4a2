package bctrl

import (
	"errors"
	"net/http"
	"strings"
	"testing"
)

func TestListRunArtifactsFollowsNextCursorWithLimit(t *testing.T) {
	c, mux := setup(t)
	items := []map[string]any{
		{"id": "a1", "runId": "r1", "runtimeId": "rt", "runtimeKind": "browser", "kind": "screenshot", "name": "final.png", "fileId": "f1",
			"path": "runs/r1/final.png", "contentType": "image/png", "sizeBytes": 1234, "createdAt": "2026-11-26T10:00:09Z", "downloadUrl": "/v1/files/f1/download"},
		{"id": "a2", "name": "plans.csv", "sizeBytes": "12", "extra": true},
		{"name": "no id is skipped"},
	}
	h, asked := pages(t, "artifacts", items)
	var limits []string
	mux.HandleFunc("/v1/runs/r1/artifacts", func(w http.ResponseWriter, r *http.Request) {
		limits = append(limits, r.URL.Query().Get("limit"))
		h(w, r)
	})
	got, err := c.ListRunArtifacts(t.Context(), "r1")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].ID != "a1" || got[1].ID != "a2" {
		t.Fatalf("artifacts %+v", got)
	}
	a := got[0]
	if a.RunID != "r1" || a.RuntimeID != "rt" || a.RuntimeKind != "browser" || a.Kind != "screenshot" || a.Name != "final.png" || a.FileID != "f1" ||
		a.Path != "runs/r1/final.png" || a.ContentType != "image/png" || a.SizeBytes == nil || *a.SizeBytes != 1234 ||
		a.CreatedAt != "2026-11-26T10:00:09Z" || a.DownloadURL != "/v1/files/f1/download" {
		t.Errorf("decoded %+v", a)
	}
	if got[1].SizeBytes != nil {
		t.Errorf("a size given as text reads as %d, want unknown", *got[1].SizeBytes)
	}
	if strings.Join(asked(), ",") != ",c-1" || strings.Join(limits, ",") != "100,100" {
		t.Errorf("cursors %q, limits %q", asked(), limits)
	}
}

func TestListRunArtifactsOfUnknownRunIs404(t *testing.T) {
	c, mux := setup(t)
	mux.HandleFunc("/v1/runs/nope/artifacts", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 404, map[string]any{"error": "run not found", "code": "run.not_found"})
	})
	_, err := c.ListRunArtifacts(t.Context(), "nope")
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 404 {
		t.Fatalf("err %v", err)
	}
}

// TestInvocationArtifactsAreThoseOfItsTimeWindow: a run holds several
// invocations; each gets the artifacts created while it ran, plus a grace.
func TestInvocationArtifactsAreThoseOfItsTimeWindow(t *testing.T) {
	all := []Artifact{
		{ID: "before", CreatedAt: "2026-11-26T09:59:59Z"},
		{ID: "late", CreatedAt: "2026-11-26T10:00:14.001Z"},
		{ID: "start", CreatedAt: "2026-11-26T10:00:00Z"},
		{ID: "undated"},
		{ID: "grace", CreatedAt: "2026-11-26T10:00:13.5Z"},
		{ID: "during", CreatedAt: "2026-11-26T10:00:05+00:00"},
	}
	inv := &Invocation{CreatedAt: "2026-11-26T10:00:00Z", FinishedAt: "2026-11-26T10:00:09Z"}
	var got []string
	for _, a := range InvocationArtifacts(inv, all) {
		got = append(got, a.ID)
	}
	if strings.Join(got, ",") != "undated,start,during,grace" {
		t.Errorf("picked %v", got)
	}
	running := &Invocation{CreatedAt: "2026-11-26T10:00:00Z"}
	if n := len(InvocationArtifacts(running, all)); n != 5 {
		t.Errorf("an invocation without finishedAt picked %d artifacts, want all 5 from its start", n)
	}
}
