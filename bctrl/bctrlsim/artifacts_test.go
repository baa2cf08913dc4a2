package bctrlsim

import (
	"bytes"
	"fmt"
	"image/png"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// get sends a GET with the key (or none) and returns the response with its body read.
func (h *harness) get(url, bearer string) (*http.Response, []byte) {
	h.t.Helper()
	req, _ := http.NewRequestWithContext(h.t.Context(), "GET", url, nil)
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, body
}

// endedWithArtifacts runs a sim:artifacts invocation to its end.
func endedWithArtifacts(t *testing.T, h *harness) map[string]any {
	t.Helper()
	inv := h.create(map[string]any{"provider": "stagehand", "operation": "agent.execute", "input": map[string]any{"instruction": "Export the price list sim:artifacts sim:steps=2"}})
	if inv["artifactCount"] != float64(0) {
		t.Errorf("artifactCount at create = %v, want 0", inv["artifactCount"])
	}
	h.clock.Advance(10 * time.Second)
	_, got := h.do("GET", "/v1/invocations/"+inv["id"].(string), nil, key)
	assertContract(t, got)
	if got["status"] != "succeeded" || got["artifactCount"] != float64(2) {
		t.Fatalf("status %v, artifactCount %v; want succeeded with 2", got["status"], got["artifactCount"])
	}
	return got
}

func TestArtifactsMarkerProducesADownloadAndAScreenshot(t *testing.T) {
	h := newHarness(t, Options{})
	inv := endedWithArtifacts(t, h)
	runID := inv["runId"].(string)
	status, page := h.do("GET", "/v1/runs/"+runID+"/artifacts", nil, key)
	list, _ := page["artifacts"].([]any)
	if status != 200 || len(list) != 2 || page["nextCursor"] != nil {
		t.Fatalf("list: %d %v", status, page)
	}
	byKind := map[string]map[string]any{}
	for _, item := range list {
		a := item.(map[string]any)
		for _, field := range []string{"id", "runId", "runtimeId", "runtimeKind", "kind", "name", "fileId", "path", "contentType", "sizeBytes", "createdAt", "downloadUrl"} {
			if a[field] == nil || a[field] == "" {
				t.Errorf("artifact %v lacks %s", a["name"], field)
			}
		}
		if a["runId"] != runID || a["createdAt"].(string) < inv["createdAt"].(string) || a["createdAt"].(string) > inv["finishedAt"].(string) {
			t.Errorf("artifact %v: run %v, created %v, outside the invocation's %v..%v", a["name"], a["runId"], a["createdAt"], inv["createdAt"], inv["finishedAt"])
		}
		byKind[a["kind"].(string)] = a
	}
	if list[0].(map[string]any)["kind"] != "screenshot" {
		t.Errorf("the list is not newest first: %v", list)
	}
	csv, shot := byKind["download"], byKind["screenshot"]
	if csv == nil || shot == nil || csv["contentType"] != "text/csv" || shot["contentType"] != "image/png" {
		t.Fatalf("want a text/csv download and an image/png screenshot, got %v", list)
	}
	resp, body := h.get(csv["downloadUrl"].(string), key)
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") || !strings.HasPrefix(string(body), "product,") ||
		float64(len(body)) != csv["sizeBytes"] {
		t.Errorf("csv download: %d %q %q (listed %v bytes)", resp.StatusCode, resp.Header.Get("Content-Type"), body, csv["sizeBytes"])
	}
	resp, body = h.get(shot["downloadUrl"].(string), key)
	if _, err := png.Decode(bytes.NewReader(body)); err != nil || resp.Header.Get("Content-Type") != "image/png" || float64(len(body)) != shot["sizeBytes"] {
		t.Errorf("screenshot download: %d %q, %v", resp.StatusCode, resp.Header.Get("Content-Type"), err)
	}
}

// TestArtifactCountGrowsWhileRunning: queued 1s, dispatching 1s, two
// steps; the download lands half a step before the end, the screenshot at it.
func TestArtifactCountGrowsWhileRunning(t *testing.T) {
	h := newHarness(t, Options{})
	inv := h.create(map[string]any{"provider": "stagehand", "operation": "agent.execute", "input": map[string]any{"instruction": "sim:artifacts sim:steps=2"}})
	var seen []string
	for _, d := range []time.Duration{time.Second, time.Second, time.Second, 500 * time.Millisecond, 500 * time.Millisecond} {
		h.clock.Advance(d)
		_, got := h.do("GET", "/v1/invocations/"+inv["id"].(string), nil, key)
		seen = append(seen, fmt.Sprintf("%v:%v", got["status"], got["artifactCount"]))
	}
	if want := "dispatching:0 running:0 running:0 running:1 succeeded:2"; strings.Join(seen, " ") != want {
		t.Errorf("status:artifactCount %q, want %q", strings.Join(seen, " "), want)
	}
}

func TestArtifactRoutesCheckTheContract(t *testing.T) {
	h := newHarness(t, Options{})
	inv := endedWithArtifacts(t, h)
	runID := inv["runId"].(string)
	list := "/v1/runs/" + runID + "/artifacts"
	if status, _ := h.do("GET", list, nil, ""); status != 401 {
		t.Errorf("list without a key: %d", status)
	}
	if status, _ := h.do("GET", "/v1/runs/0b9e8d7c-6b5a-4f3e-8d2c-1b0a9f8e7d6c/artifacts", nil, key); status != 404 {
		t.Errorf("unknown run: %d", status)
	}
	status, first := h.do("GET", list+"?limit=1", nil, key)
	cursor, _ := first["nextCursor"].(string)
	if status != 200 || len(first["artifacts"].([]any)) != 1 || cursor == "" {
		t.Fatalf("limit=1: %d %v", status, first)
	}
	_, second := h.do("GET", list+"?limit=1&cursor="+cursor, nil, key)
	if len(second["artifacts"].([]any)) != 1 || second["nextCursor"] != nil {
		t.Errorf("second page %v", second)
	}
	for _, q := range []string{"?limit=0", "?limit=101", "?cursor=forged"} {
		if status, _ := h.do("GET", list+q, nil, key); status != 400 {
			t.Errorf("%s: %d, want 400", q, status)
		}
	}
	_, page := h.do("GET", list, nil, key)
	download := page["artifacts"].([]any)[0].(map[string]any)["downloadUrl"].(string)
	if resp, _ := h.get(download, ""); resp.StatusCode != 401 {
		t.Errorf("download without a key: %d", resp.StatusCode)
	}
	if resp, _ := h.get(h.srv.URL+list+"/nope/download", key); resp.StatusCode != 404 {
		t.Errorf("unknown artifact: %d", resp.StatusCode)
	}
}

// TestDownloadsCanRedirectToStorage: with storage configured, a download
// address answers 302 to a signed address on the storage origin, which
// serves the file only with a valid signature and never with a key.
func TestDownloadsCanRedirectToStorage(t *testing.T) {
	h := newHarness(t, Options{})
	store := httptest.NewServer(h.sim.Storage())
	t.Cleanup(store.Close)
	h.sim.RedirectDownloadsTo(store.URL)
	inv := endedWithArtifacts(t, h)
	_, page := h.do("GET", "/v1/runs/"+inv["runId"].(string)+"/artifacts", nil, key)
	download := page["artifacts"].([]any)[1].(map[string]any)["downloadUrl"].(string)
	resp, _ := h.get(download, key)
	location := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusFound || !strings.HasPrefix(location, store.URL+"/") {
		t.Fatalf("download: %d to %q, want 302 to storage", resp.StatusCode, location)
	}
	if resp, body := h.get(location, ""); resp.StatusCode != 200 || !strings.HasPrefix(string(body), "product,") {
		t.Errorf("storage: %d %q", resp.StatusCode, body)
	}
	if resp, _ := h.get(location, key); resp.StatusCode != 400 {
		t.Errorf("storage given the API key: %d, want 400", resp.StatusCode)
	}
	if resp, _ := h.get(strings.Split(location, "?")[0]+"?sig=forged", ""); resp.StatusCode != 403 {
		t.Errorf("storage with a forged signature: %d, want 403", resp.StatusCode)
	}
}

func TestRowsMarkerAnswersManyRows(t *testing.T) {
	rows, ok := finalAnswer(t, "List the catalogue sim:rows=80 sim:steps=2").([]any)
	if !ok || len(rows) != 80 {
		t.Fatalf("sim:rows=80 answered %d rows", len(rows))
	}
	first, _ := rows[0].(map[string]any)
	last, _ := rows[79].(map[string]any)
	if first["product"] == last["product"] || len(first) < 3 {
		t.Errorf("rows %v … %v", first, last)
	}
}
