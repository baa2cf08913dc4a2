package tools

import (
	"context"
	"encoding/base64"
	"fmt"
	"mime"
	"slices"
	"strings"

	"github.com/bctrlhq/bctrl-mcp/bctrl"
	"github.com/bctrlhq/bctrl-mcp/schema"
	"github.com/mark3labs/mcp-go/mcp"
)

// Bounds of what a result says about files inline.
const (
	// maxListedFiles is how many files the text and the resource_links
	// name; structuredContent.artifacts and the invocation resource hold all.
	maxListedFiles = 20
	// maxInlineImageBytes and maxInlineImages bound the images a result
	// shows inline; each is counted in the result budget as base64.
	maxInlineImageBytes = 100 * 1024
	maxInlineImages     = 3
)

// invocationFiles are the files an ended invocation produced: its run's
// artifacts from its own time window (bctrl.InvocationArtifacts), or why
// they could not be listed.
type invocationFiles struct {
	reported  int64 // artifactCount
	artifacts []bctrl.Artifact
	err       error
}

// invocationFiles lists inv's files when it has ended with artifactCount
// above 0; otherwise, and for a running invocation, there is nothing to list.
func (ts *toolset) invocationFiles(ctx context.Context, inv *bctrl.Invocation) invocationFiles {
	if !inv.Status.Terminal() || inv.ArtifactCount == nil || *inv.ArtifactCount <= 0 || inv.RunID == "" {
		return invocationFiles{}
	}
	f := invocationFiles{reported: *inv.ArtifactCount}
	all, err := ts.deps.API.ListRunArtifacts(ctx, inv.RunID)
	if err != nil {
		ts.deps.Logger.Warn("listing a run's artifacts failed", "runId", inv.RunID, "error", err)
		f.err = err
		return f
	}
	f.artifacts = bctrl.InvocationArtifacts(inv, all)
	for i := range f.artifacts {
		if f.artifacts[i].RunID == "" {
			f.artifacts[i].RunID = inv.RunID // the list is the run's: an item may leave it out
		}
	}
	return f
}

// entries are the files as structuredContent.artifacts lists them.
func (f invocationFiles) entries() []schema.Artifact {
	var out []schema.Artifact
	for _, a := range f.artifacts {
		out = append(out, schema.Artifact{ID: a.ID, RunID: a.RunID, Name: a.Name, Kind: a.Kind, ContentType: a.ContentType,
			SizeBytes: a.SizeBytes, CreatedAt: a.CreatedAt, URI: ArtifactURI(a.RunID, a.ID)})
	}
	return out
}

// windowNote says how the files were picked, wherever they are listed.
const windowNote = "files of the invocation's run created from its start to its end + 5 s (a run may hold several invocations)"

// links are the first files as resource_link content.
func (f invocationFiles) links() []mcp.Content {
	var out []mcp.Content
	for _, a := range f.artifacts[:min(len(f.artifacts), maxListedFiles)] {
		link := mcp.NewResourceLink(ArtifactURI(a.RunID, a.ID), displayName(a), "A "+kindOf(a)+" from the "+windowNote+".", mimeOf(a))
		link.Size = a.SizeBytes
		out = append(out, link)
	}
	return out
}

// text lists the files for clients that read only the text.
func (f invocationFiles) text() string {
	switch {
	case f.err != nil:
		return fmt.Sprintf("\nFiles: bctrl reports %d, but listing them failed (%v); call get_invocation again to list them.", f.reported, f.err)
	case f.reported > 0 && len(f.artifacts) == 0:
		return fmt.Sprintf("\nFiles: bctrl reports %d, but its run lists none created while this invocation ran.", f.reported)
	case len(f.artifacts) == 0:
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\nFiles (%d; %s), each readable with resources/read of its uri:", len(f.artifacts), windowNote)
	for _, a := range f.artifacts[:min(len(f.artifacts), maxListedFiles)] {
		fmt.Fprintf(&b, "\n- %s (%s", displayName(a), mimeOf(a))
		if a.SizeBytes != nil {
			fmt.Fprintf(&b, ", %d bytes", *a.SizeBytes)
		}
		fmt.Fprintf(&b, ", %s) %s", kindOf(a), ArtifactURI(a.RunID, a.ID))
	}
	if more := len(f.artifacts) - maxListedFiles; more > 0 {
		fmt.Fprintf(&b, "\n- and %d more, in structuredContent.artifacts", more)
	}
	return b.String()
}

// hint is what nextHint adds when there are files.
func (f invocationFiles) hint() string {
	if len(f.artifacts) == 0 {
		return ""
	}
	return fmt.Sprintf(" It produced %d files, listed under artifacts: read one with resources/read of its uri.", len(f.artifacts))
}

// inlineImages shows the newest small images of the files inline, as long
// as their base64 fits in room characters of the budget. A file that
// cannot be fetched is left to its resource_link.
func (ts *toolset) inlineImages(ctx context.Context, f invocationFiles, room int) []mcp.Content {
	var out []mcp.Content
	for _, a := range slices.Backward(f.artifacts) {
		if len(out) == maxInlineImages {
			break
		}
		if !inlineImageType(mimeOf(a)) || a.SizeBytes == nil || *a.SizeBytes > maxInlineImageBytes || base64.StdEncoding.EncodedLen(int(*a.SizeBytes)) > room {
			continue
		}
		d, err := ts.deps.API.DownloadArtifact(ctx, a, maxInlineImageBytes)
		if err != nil || base64.StdEncoding.EncodedLen(len(d.Data)) > room {
			ts.deps.Logger.Debug("not showing an image inline", "artifactId", a.ID, "error", err)
			continue
		}
		data := base64.StdEncoding.EncodeToString(d.Data)
		room -= len(data)
		out = append(out, mcp.NewImageContent(data, mimeOf(a)))
	}
	return out
}

func inlineImageType(t string) bool {
	return t == "image/png" || t == "image/jpeg" || t == "image/gif" || t == "image/webp"
}

// mimeOf is an artifact's media type without parameters, or
// application/octet-stream when the API gave none.
func mimeOf(a bctrl.Artifact) string {
	if t, _, err := mime.ParseMediaType(a.ContentType); err == nil {
		return t
	}
	return "application/octet-stream"
}

func displayName(a bctrl.Artifact) string {
	if a.Name != "" {
		return a.Name
	}
	return a.ID
}

func kindOf(a bctrl.Artifact) string {
	if a.Kind != "" {
		return a.Kind
	}
	return "file"
}
