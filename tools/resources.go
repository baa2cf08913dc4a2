package tools

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/bctrlhq/bctrl-mcp/bctrl"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// resourceReadTimeout bounds one resources/read, whatever the API does.
const resourceReadTimeout = 60 * time.Second

// registerResources adds the two resource templates. Their handlers use
// the same Deps.API as the tools, so whatever decides a tool call's key
// decides a resource read's.
func (ts *toolset) registerResources(s *server.MCPServer) {
	s.AddResourceTemplate(mcp.NewResourceTemplate(InvocationTemplate, "invocation",
		mcp.WithTemplateTitle("A bctrl invocation"),
		mcp.WithTemplateDescription("The invocation as JSON, as get_invocation's structuredContent, never cut: the agent's whole answer under result, the files it produced under artifacts."),
		mcp.WithTemplateMIMEType("application/json"),
	), ts.readInvocation)
	s.AddResourceTemplate(mcp.NewResourceTemplate(ArtifactTemplate, "run_artifact",
		mcp.WithTemplateTitle("A file a bctrl run produced"),
		mcp.WithTemplateDescription(fmt.Sprintf("A download or screenshot of a run, read through the bctrl API (at most %d bytes): text types as text, anything else as a base64 blob.", ts.deps.artifactMaxBytes())),
	), ts.readArtifact)
}

// readInvocation answers resources/read of bctrl://invocations/{invocationId}.
func (ts *toolset) readInvocation(ctx context.Context, req mcp.ReadResourceRequest) ([]mcp.ResourceContents, error) {
	uri := req.Params.URI
	id, ok := parseInvocationURI(uri)
	if !ok {
		return nil, unknownResource(ctx, uri, "an invocation id is the uuid create_invocation returned")
	}
	ctx, cancel := context.WithTimeout(ctx, resourceReadTimeout)
	defer cancel()
	inv, err := ts.deps.API.GetInvocation(ctx, id)
	if notFound(err) {
		return nil, unknownResource(ctx, uri, "bctrl has no invocation with this id")
	}
	if err != nil {
		return nil, readFailure(uri, err)
	}
	raw, err := json.Marshal(ts.output(ctx, inv))
	if err != nil {
		return nil, fmt.Errorf("read %s: encode: %w", uri, err)
	}
	return []mcp.ResourceContents{mcp.TextResourceContents{URI: uri, MIMEType: "application/json", Text: string(raw)}}, nil
}

// readArtifact answers resources/read of
// bctrl://runs/{runId}/artifacts/{artifactId}: it finds the artifact in
// the run's list and downloads it through the API client.
func (ts *toolset) readArtifact(ctx context.Context, req mcp.ReadResourceRequest) ([]mcp.ResourceContents, error) {
	uri := req.Params.URI
	runID, artifactID, ok := parseArtifactURI(uri)
	if !ok {
		return nil, unknownResource(ctx, uri, "a run id is a uuid and an artifact id is what the run's list names")
	}
	ctx, cancel := context.WithTimeout(ctx, resourceReadTimeout)
	defer cancel()
	all, err := ts.deps.API.ListRunArtifacts(ctx, runID)
	if notFound(err) {
		return nil, unknownResource(ctx, uri, "bctrl has no run with this id")
	}
	if err != nil {
		return nil, readFailure(uri, err)
	}
	var a *bctrl.Artifact
	for i := range all {
		if all[i].ID == artifactID {
			a = &all[i]
			break
		}
	}
	if a == nil {
		return nil, unknownResource(ctx, uri, "the run lists no artifact with this id")
	}
	limit := ts.deps.artifactMaxBytes()
	d, err := ts.deps.API.DownloadArtifact(ctx, *a, limit)
	var tooLarge *bctrl.TooLargeError
	switch {
	case errors.Is(err, bctrl.ErrNoDownloadURL):
		return nil, fmt.Errorf("read %s: the bctrl API gave no download address for %s (it lists the file, but offers no way to read it)", uri, displayName(*a))
	case errors.As(err, &tooLarge):
		return nil, fmt.Errorf("read %s: %s: %v; this server reads at most %d bytes (BCTRL_ARTIFACT_MAX_BYTES / --artifact-max-bytes)", uri, displayName(*a), tooLarge, limit)
	case err != nil:
		return nil, readFailure(uri, err)
	}
	mimeType := mimeOf(*a)
	if a.ContentType == "" && d.ContentType != "" {
		if t, _, err := mime.ParseMediaType(d.ContentType); err == nil {
			mimeType = t
		}
	}
	if textType(mimeType) && utf8.Valid(d.Data) {
		return []mcp.ResourceContents{mcp.TextResourceContents{URI: uri, MIMEType: mimeType, Text: string(d.Data)}}, nil
	}
	return []mcp.ResourceContents{mcp.BlobResourceContents{URI: uri, MIMEType: mimeType, Blob: base64.StdEncoding.EncodeToString(d.Data)}}, nil
}

// textType reports media types read as text.
func textType(t string) bool {
	switch {
	case strings.HasPrefix(t, "text/"), strings.HasSuffix(t, "+json"), strings.HasSuffix(t, "+xml"):
		return true
	}
	switch t {
	case "application/json", "application/xml", "application/javascript", "application/x-ndjson", "application/yaml", "application/x-yaml", "application/csv":
		return true
	}
	return false
}

func notFound(err error) bool {
	var apiErr *bctrl.APIError
	return errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusNotFound
}

// readFailure is a read that the API failed: what happened and what to do,
// as the tools say it.
func readFailure(uri string, err error) error {
	var apiErr *bctrl.APIError
	var redirect *bctrl.RedirectError
	switch {
	case errors.As(err, &apiErr):
		msg := describeAPIError(apiErr)
		if advice := adviceFor(apiErr); advice != "" && apiErr.StatusCode != http.StatusNotFound {
			msg += " What to do: " + advice
		}
		return fmt.Errorf("read %s: %s", uri, msg)
	case errors.As(err, &redirect):
		return fmt.Errorf("read %s: %v", uri, redirect)
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("read %s: bctrl did not answer in time; try again in a few seconds", uri)
	}
	return fmt.Errorf("read %s: %v; try again in a few seconds", uri, err)
}
