package bctrl

import (
	"context"
	"math"
	"net/url"
	"sort"
	"time"
)

// This file is the one place that knows how bctrl lists the files a run
// produced (downloads, screenshots), and how they relate to invocations.
// None of it is in the OpenAPI text we were given: it comes from bctrl's
// SDK documentation (sdk/observability/run-artifacts.md, summarised in the
// API notes, "Run artifacts") and is unconfirmed. In detail:
//
//   - GET /v1/runs/{runId}/artifacts?limit=100&cursor=<nextCursor> answers
//     {"artifacts": [...], "nextCursor": "..."|null}, newest first; the
//     next page is asked for with the previous page's nextCursor, and a
//     null or missing one ends the list (listPage; "data" is accepted too).
//   - An artifact has id, runId, runtimeId, runtimeKind, kind (such as
//     download or screenshot), name, fileId, path, contentType, sizeBytes
//     and createdAt (RFC 3339), and an optional downloadUrl. An item
//     without an id is skipped; a field of an unexpected type reads as
//     empty (sizeBytes as unknown).
//   - downloadUrl is opaque and needs the same bearer key as the API. The
//     client sends the key only to the API's own origin (see
//     DownloadArtifact for the rules).
//   - Artifacts belong to the run, and a run may hold several invocations:
//     an invocation's artifacts are taken to be the run's artifacts created
//     from its createdAt to its finishedAt plus ArtifactGrace
//     (InvocationArtifacts). The API documents no link from an artifact to
//     the invocation that made it.

// ArtifactGrace is how long after an invocation's finishedAt an artifact
// of its run still counts as the invocation's: the final screenshot may be
// stored a moment after the invocation is marked finished.
const ArtifactGrace = 5 * time.Second

// artifactsPageSize is the limit asked for on each page of the list.
const artifactsPageSize = "100"

// Artifact is a file a run produced, as GET /v1/runs/{runId}/artifacts lists it.
type Artifact struct {
	ID, RunID, RuntimeID, RuntimeKind string
	// Kind is what produced it, such as download or screenshot.
	Kind        string
	Name        string
	FileID      string
	Path        string
	ContentType string
	// SizeBytes is nil when the API did not give a size.
	SizeBytes *int64
	// CreatedAt is RFC 3339 text as the API sent it.
	CreatedAt string
	// DownloadURL is where the file is read from; empty when the API gave none.
	DownloadURL string
}

// ListRunArtifacts returns every artifact of a run, following nextCursor.
// An unknown run is an *APIError with status 404.
func (c *Client) ListRunArtifacts(ctx context.Context, runID string) ([]Artifact, error) {
	var out []Artifact
	path := "/v1/runs/" + url.PathEscape(runID) + "/artifacts"
	err := c.list(ctx, path, url.Values{"limit": {artifactsPageSize}}, "artifacts", func(item map[string]any) {
		if a, ok := decodeArtifact(item); ok {
			out = append(out, a)
		}
	})
	return out, err
}

func decodeArtifact(m map[string]any) (Artifact, bool) {
	a := Artifact{
		ID: text(m, "id"), RunID: text(m, "runId"), RuntimeID: text(m, "runtimeId"), RuntimeKind: text(m, "runtimeKind"),
		Kind: text(m, "kind"), Name: text(m, "name"), FileID: text(m, "fileId"), Path: text(m, "path"),
		ContentType: text(m, "contentType"), CreatedAt: text(m, "createdAt"), DownloadURL: text(m, "downloadUrl"),
	}
	if n, ok := m["sizeBytes"].(float64); ok && n >= 0 && n == math.Trunc(n) && n < 1<<53 {
		size := int64(n)
		a.SizeBytes = &size
	}
	return a, a.ID != ""
}

// InvocationArtifacts picks, from all the artifacts of inv's run, those
// created from inv's createdAt to its finishedAt plus ArtifactGrace, oldest
// first. A bound inv does not have (it is still running, or the time is
// not RFC 3339) is left open; an artifact whose createdAt cannot be read is
// kept, since hiding a file is worse than showing one too many.
func InvocationArtifacts(inv *Invocation, all []Artifact) []Artifact {
	from, hasFrom := parseTime(inv.CreatedAt)
	to, hasTo := parseTime(inv.FinishedAt)
	to = to.Add(ArtifactGrace)
	var out []Artifact
	for _, a := range all {
		at, ok := parseTime(a.CreatedAt)
		if ok && ((hasFrom && at.Before(from)) || (hasTo && at.After(to))) {
			continue
		}
		out = append(out, a)
	}
	sort.SliceStable(out, func(i, j int) bool {
		ti, _ := parseTime(out[i].CreatedAt)
		tj, _ := parseTime(out[j].CreatedAt)
		return ti.Before(tj)
	})
	return out
}

func parseTime(s string) (time.Time, bool) {
	t, err := time.Parse(time.RFC3339Nano, s)
	return t, err == nil
}
