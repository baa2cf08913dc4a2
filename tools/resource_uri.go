package tools

import (
	"net/url"
	"strings"
	"unicode"

	"github.com/bctrlhq/bctrl-mcp/bctrl"
)

// The resource templates (PRODUCT.md §7).
const (
	// InvocationTemplate is an invocation as JSON, with its whole answer.
	InvocationTemplate = "bctrl://invocations/{invocationId}"
	// ArtifactTemplate is a file a run produced.
	ArtifactTemplate = "bctrl://runs/{runId}/artifacts/{artifactId}"
)

const (
	invocationPrefix = "bctrl://invocations/"
	runPrefix        = "bctrl://runs/"
	maxIDLength      = 200
)

// InvocationURI is the resource of an invocation.
func InvocationURI(id string) string { return invocationPrefix + url.PathEscape(id) }

// ArtifactURI is the resource of a run's artifact.
func ArtifactURI(runID, artifactID string) string {
	return runPrefix + url.PathEscape(runID) + "/artifacts/" + url.PathEscape(artifactID)
}

// parseInvocationURI returns the invocation id of an invocation resource:
// a uuid, as every invocation id is, so nothing else reaches the API.
func parseInvocationURI(uri string) (string, bool) {
	rest, ok := strings.CutPrefix(uri, invocationPrefix)
	if !ok {
		return "", false
	}
	id, err := url.PathUnescape(rest)
	return id, err == nil && bctrl.IsID(id)
}

// parseArtifactURI returns the run and artifact ids of an artifact
// resource. Run ids are uuids; artifact ids are opaque, so any short
// printable id without a slash is passed on.
func parseArtifactURI(uri string) (runID, artifactID string, ok bool) {
	rest, found := strings.CutPrefix(uri, runPrefix)
	parts := strings.Split(rest, "/")
	if !found || len(parts) != 3 || parts[1] != "artifacts" {
		return "", "", false
	}
	run, err1 := url.PathUnescape(parts[0])
	id, err2 := url.PathUnescape(parts[2])
	if err1 != nil || err2 != nil || !bctrl.IsID(run) || !plainID(id) {
		return "", "", false
	}
	return run, id, true
}

func plainID(id string) bool {
	if id == "" || len(id) > maxIDLength || strings.Contains(id, "/") {
		return false
	}
	for _, r := range id {
		if !unicode.IsPrint(r) || unicode.IsSpace(r) {
			return false
		}
	}
	return true
}
