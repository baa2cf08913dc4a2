package tools

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"image/png"
	"net/http"
	"strings"
	"testing"

	"github.com/bctrlhq/bctrl-mcp/schema"
	"github.com/mark3labs/mcp-go/mcp"
)

func (h *harness) read(uri string) (*mcp.ReadResourceResult, error) {
	return h.client.ReadResource(h.t.Context(), mcp.ReadResourceRequest{Params: mcp.ReadResourceParams{URI: uri}})
}

// TestArtifactsAreListedAndReadBack: an invocation that ends with files
// lists them as resource_links, in structuredContent.artifacts (as the
// panel reads them) and in the text; the CSV reads back as text, the
// screenshot as a base64 blob, and the small screenshot is also inline.
func TestArtifactsAreListedAndReadBack(t *testing.T) {
	h := newHarness(t, nil, false)
	res := h.call("create_invocation", stagehand("Export the price list sim:artifacts sim:steps=2", 30))
	out := h.output(res)
	if out.ArtifactCount == nil || *out.ArtifactCount != 2 || len(out.Artifacts) != 2 {
		t.Fatalf("artifactCount %v, artifacts %+v", out.ArtifactCount, out.Artifacts)
	}
	byKind := map[string]schema.Artifact{}
	for _, a := range out.Artifacts {
		if a.ID == "" || a.RunID != out.RunID || a.Name == "" || a.ContentType == "" || a.SizeBytes == nil || a.CreatedAt == "" || a.URI != ArtifactURI(out.RunID, a.ID) {
			t.Errorf("artifact entry %+v", a)
		}
		byKind[a.Kind] = a
	}
	csv, shot := byKind["download"], byKind["screenshot"]
	ls := contents[mcp.ResourceLink](res)
	if len(ls) != 2 {
		t.Fatalf("resource links %+v, want 2", ls)
	}
	for _, l := range ls {
		a := byKind["download"]
		if l.URI == shot.URI {
			a = shot
		}
		if l.URI != a.URI || l.Name != a.Name || l.MIMEType != a.ContentType || l.Size == nil || *l.Size != *a.SizeBytes || !strings.Contains(l.Description, "several invocations") {
			t.Errorf("link %+v for %+v", l, a)
		}
	}
	body := text(res)
	if !strings.Contains(body, csv.URI) || !strings.Contains(body, shot.URI) || !strings.Contains(body, "a run may hold several invocations") || !strings.Contains(out.Next, "artifacts") {
		t.Errorf("text or next do not list the files:\n%s\nnext: %s", body, out.Next)
	}
	inline := contents[mcp.ImageContent](res)
	if len(inline) != 1 || inline[0].MIMEType != "image/png" {
		t.Fatalf("inline images %d, want the screenshot", len(inline))
	}
	if used := runeCount(body) + len(inline[0].Data); used > DefaultResultBudget {
		t.Errorf("text and image take %d characters, over the budget", used)
	}

	read, err := h.read(csv.URI)
	if err != nil {
		t.Fatal(err)
	}
	if c, ok := read.Contents[0].(mcp.TextResourceContents); !ok || c.MIMEType != "text/csv" || !strings.HasPrefix(c.Text, "product,price") || c.URI != csv.URI {
		t.Errorf("csv read %+v", read.Contents)
	}
	read, err = h.read(shot.URI)
	if err != nil {
		t.Fatal(err)
	}
	blob, ok := read.Contents[0].(mcp.BlobResourceContents)
	if !ok || blob.MIMEType != "image/png" {
		t.Fatalf("screenshot read %+v", read.Contents)
	}
	raw, err := base64.StdEncoding.DecodeString(blob.Blob)
	if _, perr := png.Decode(bytes.NewReader(raw)); err != nil || perr != nil || int64(len(raw)) != *shot.SizeBytes || blob.Blob != inline[0].Data {
		t.Errorf("screenshot blob: %v, %v, %d bytes", err, perr, len(raw))
	}
}

// TestInlineImagesCountInTheBudget: when the answer takes the budget, the
// screenshot is only linked.
func TestInlineImagesCountInTheBudget(t *testing.T) {
	h := newHarnessDeps(t, nil, false, func(d *Deps) { d.ResultBudget = 3000 })
	res := h.call("create_invocation", stagehand("sim:rows=80 sim:artifacts sim:steps=2", 30))
	if n := len(contents[mcp.ImageContent](res)); n != 0 {
		t.Errorf("%d images inline in a full budget", n)
	}
	if n := len(contents[mcp.ResourceLink](res)); n != 3 {
		t.Errorf("%d links, want the invocation and two files", n)
	}
}

func TestArtifactReadOverTheSizeCapIsAClearError(t *testing.T) {
	h := newHarnessDeps(t, nil, false, func(d *Deps) { d.ArtifactMaxBytes = 40 })
	out := h.output(h.call("create_invocation", stagehand("sim:artifacts sim:steps=2", 30)))
	for _, a := range out.Artifacts {
		_, err := h.read(a.URI)
		if err == nil || !strings.Contains(err.Error(), "above the limit of 40 bytes") || !strings.Contains(err.Error(), "BCTRL_ARTIFACT_MAX_BYTES") {
			t.Errorf("read %s over the cap: %v", a.Name, err)
		}
	}
}

// fileAPI serves one ended invocation whose run lists the given artifacts
// (or fails the list with status, when set).
func fileAPI(t *testing.T, artifacts []map[string]any, status int) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/v1/invocations/"+unknownID, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"id": unknownID, "status": "succeeded", "runId": testRuntime, "artifactCount": len(artifacts),
			"createdAt": "2026-11-26T10:00:00Z", "finishedAt": "2026-11-26T10:00:09Z",
			"result": map[string]any{"ok": true, "steps": []any{map[string]any{"index": 0, "call": "agent.execute", "ok": true, "result": "done"}}}})
	})
	mux.HandleFunc("/v1/runs/"+testRuntime+"/artifacts", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if status != 0 {
			w.WriteHeader(status)
			_, _ = w.Write([]byte(`{"error":"storage unavailable","code":"server.error"}`))
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"artifacts": artifacts, "nextCursor": nil})
	})
	return mux
}

// TestArtifactWithoutDownloadAddress: listed, but its read says the API
// gave no address to read it from.
func TestArtifactWithoutDownloadAddress(t *testing.T) {
	h := newHarness(t, fileAPI(t, []map[string]any{{"id": "f1", "runId": testRuntime, "kind": "download", "name": "report.pdf",
		"contentType": "application/pdf", "sizeBytes": 1200, "createdAt": "2026-11-26T10:00:05Z"}}, 0), false)
	res := h.call("get_invocation", map[string]any{"invocationId": unknownID})
	out := h.output(res)
	if len(out.Artifacts) != 1 || len(contents[mcp.ResourceLink](res)) != 1 || !strings.Contains(text(res), "report.pdf") {
		t.Fatalf("the file is not listed: %+v\n%s", out.Artifacts, text(res))
	}
	_, err := h.read(out.Artifacts[0].URI)
	if err == nil || !strings.Contains(err.Error(), "gave no download address") || !strings.Contains(err.Error(), "report.pdf") {
		t.Errorf("read without an address: %v", err)
	}
}

// TestArtifactListingFailureKeepsTheResult: the invocation's result stands;
// the text says the files could not be listed and what to do.
func TestArtifactListingFailureKeepsTheResult(t *testing.T) {
	h := newHarness(t, fileAPI(t, []map[string]any{{"id": "f1"}}, http.StatusServiceUnavailable), false)
	res := h.call("get_invocation", map[string]any{"invocationId": unknownID})
	out := h.output(res)
	if out.Status != "succeeded" || len(out.Artifacts) != 0 || !strings.Contains(text(res), "listing them failed") || !strings.Contains(text(res), "call get_invocation again") {
		t.Errorf("result %+v\n%s", out, text(res))
	}
}

// TestResourceTemplatesAreListed: both templates, under their names.
func TestResourceTemplatesAreListed(t *testing.T) {
	h := newHarness(t, nil, true)
	list, err := h.client.ListResourceTemplates(t.Context(), mcp.ListResourceTemplatesRequest{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, tpl := range list.ResourceTemplates {
		got = append(got, tpl.URITemplate.Raw())
	}
	if strings.Join(got, " ") != ArtifactTemplate+" "+InvocationTemplate && strings.Join(got, " ") != InvocationTemplate+" "+ArtifactTemplate {
		t.Errorf("templates %v (read-only mode keeps them)", got)
	}
}
