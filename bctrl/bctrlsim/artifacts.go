package bctrlsim

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
)

// artifactsMarker makes a succeeding invocation produce two files: a CSV
// download half a step before its end and a final screenshot (PNG) at it.
const artifactsMarker = "sim:artifacts"

// Route names of the artifact routes, for aiming faults.
const (
	RouteArtifacts = "artifacts"
	RouteDownload  = "download"
)

// simArtifact is one file an invocation produced.
type simArtifact struct {
	id, fileID, kind, name, path, contentType string
	createdAt                                 time.Time
	data                                      []byte
}

// downloadCSV is the content of the simulated download.
const downloadCSV = "product,price,in_stock\nEarl Grey tea,4.20,yes\nGreen tea,3.80,yes\nRooibos,3.50,no\n"

// screenshotPNG is the simulated final screenshot: a small page sketch.
var screenshotPNG = sync.OnceValue(func() []byte {
	img := image.NewRGBA(image.Rect(0, 0, 64, 40))
	for y := range 40 {
		for x := range 64 {
			c := color.RGBA{R: 245, G: 246, B: 248, A: 255}
			switch {
			case y < 6:
				c = color.RGBA{R: 40, G: 90, B: 200, A: 255} // the site's header
			case x > 6 && x < 58 && y%8 == 2:
				c = color.RGBA{R: 120, G: 120, B: 130, A: 255} // lines of text
			}
			img.Set(x, y, c)
		}
	}
	var b bytes.Buffer
	_ = png.Encode(&b, img)
	return b.Bytes()
})

// artifactsAt returns the files r has produced by now. Only an invocation
// that succeeds produces them: the download exists from half a step before
// its natural end (unless cancelled earlier), the screenshot from the end.
func (r *record) artifactsAt(now time.Time) []simArtifact {
	if !strings.Contains(r.instruction, artifactsMarker) || r.plan.outcome != OutcomeSucceeded {
		return nil
	}
	end := r.createdAt.Add(r.plan.endAt())
	downloadAt := end.Add(-r.plan.step / 2)
	var out []simArtifact
	if !now.Before(downloadAt) && (r.cancelAt == nil || !r.cancelAt.Before(downloadAt)) {
		out = append(out, simArtifact{
			id: r.derivedID("artifact:download"), fileID: r.derivedID("file:download"), kind: "download",
			name: "price-list.csv", path: "downloads/price-list.csv", contentType: "text/csv", createdAt: downloadAt, data: []byte(downloadCSV),
		})
	}
	if actualEnd, ends := r.endTime(); ends && actualEnd.Equal(end) && !now.Before(end) {
		out = append(out, simArtifact{
			id: r.derivedID("artifact:screenshot"), fileID: r.derivedID("file:screenshot"), kind: "screenshot",
			name: "final.png", path: "screenshots/" + r.id + ".png", contentType: "image/png", createdAt: end, data: screenshotPNG(),
		})
	}
	return out
}

// derivedID is a stable uuid for something of r's, so every listing names
// the same file the same way.
func (r *record) derivedID(what string) string {
	return uuid.NewSHA1(uuid.MustParse(r.id), []byte(what)).String()
}

// matchArtifacts maps the artifact routes; parts is the path split on "/".
func matchArtifacts(method string, parts []string) (string, []string) {
	switch {
	case method != "GET" || len(parts) < 4 || parts[0] != "v1" || parts[1] != "runs" || parts[3] != "artifacts":
	case len(parts) == 4:
		return RouteArtifacts, []string{parts[2]}
	case len(parts) == 6 && parts[5] == "download":
		return RouteDownload, []string{parts[2], parts[4]}
	}
	return "", nil
}

// runArtifacts returns every file of a run, newest first, and whether the
// run is known (a run of a created invocation, or a directory runtime's).
func (s *Simulator) runArtifacts(runID string) ([]simArtifact, *record, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.opts.Clock.Now()
	known := false
	var out []simArtifact
	var owner *record
	for _, rec := range s.invocations {
		if rec.runID != runID {
			continue
		}
		known, owner = true, rec
		out = append(out, rec.artifactsAt(now)...)
	}
	for _, sp := range s.directory().Spaces {
		for _, rt := range sp.Runtimes {
			known = known || (rt.ActiveRunID != "" && rt.ActiveRunID == runID)
		}
	}
	sortNewestFirst(out)
	return out, owner, known
}

func sortNewestFirst(as []simArtifact) {
	slices.SortStableFunc(as, func(a, b simArtifact) int { return b.createdAt.Compare(a.createdAt) })
}

// listArtifacts answers GET /v1/runs/{runId}/artifacts, paged like the
// account lists, each item with a downloadUrl on this server.
func (s *Simulator) listArtifacts(w http.ResponseWriter, r *http.Request, params []string) {
	all, owner, known := s.runArtifacts(params[0])
	if !known {
		s.fail(w, http.StatusNotFound, "run.not_found", fmt.Sprintf("run %q not found", params[0]), "runId comes from an invocation")
		return
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	items := make([]any, len(all))
	for i, a := range all {
		items[i] = map[string]any{
			"id": a.id, "runId": params[0], "runtimeId": owner.runtimeID, "runtimeKind": "browser", "kind": a.kind, "name": a.name,
			"fileId": a.fileID, "path": a.path, "contentType": a.contentType, "sizeBytes": len(a.data), "createdAt": stamp(a.createdAt),
			"downloadUrl": fmt.Sprintf("%s://%s/v1/runs/%s/artifacts/%s/download", scheme, r.Host, params[0], a.id),
		}
	}
	s.writePage(w, r, "artifacts", items)
}

// download answers a download address this simulator handed out: the file
// itself, or a redirect to storage when RedirectDownloadsTo was called.
func (s *Simulator) download(w http.ResponseWriter, r *http.Request, params []string) {
	all, _, _ := s.runArtifacts(params[0])
	for _, a := range all {
		if a.id != params[1] {
			continue
		}
		if store := s.storageURL(); store != "" {
			http.Redirect(w, r, fmt.Sprintf("%s/blobs/%s/%s?sig=%s", store, params[0], a.id, s.sign(params[0], a.id)), http.StatusFound)
			return
		}
		serveFile(w, a)
		return
	}
	s.fail(w, http.StatusNotFound, "artifact.not_found", fmt.Sprintf("artifact %q not found in run %q", params[1], params[0]), "list the run's artifacts for their download addresses")
}

func serveFile(w http.ResponseWriter, a simArtifact) {
	w.Header().Set("Content-Type", a.contentType)
	w.Header().Set("Content-Length", fmt.Sprint(len(a.data)))
	_, _ = w.Write(a.data)
}

// storageOrigin is where downloads are redirected to, if anywhere.
type storageOrigin struct {
	mu     sync.Mutex
	url    string
	secret []byte
}

// RedirectDownloadsTo makes every download address answer 302 to a signed
// address under baseURL, which Storage must serve.
func (s *Simulator) RedirectDownloadsTo(baseURL string) {
	s.storage.mu.Lock()
	defer s.storage.mu.Unlock()
	s.storage.url = strings.TrimSuffix(baseURL, "/")
}

func (s *Simulator) storageURL() string {
	s.storage.mu.Lock()
	defer s.storage.mu.Unlock()
	return s.storage.url
}

func (s *Simulator) sign(runID, id string) string {
	s.storage.mu.Lock()
	if s.storage.secret == nil {
		s.storage.secret = make([]byte, 32)
		_, _ = rand.Read(s.storage.secret)
	}
	secret := s.storage.secret
	s.storage.mu.Unlock()
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(runID + "/" + id))
	return hex.EncodeToString(mac.Sum(nil))
}

// Storage is the handler of the storage origin that downloads redirect to:
// GET /blobs/{runId}/{artifactId}?sig=… serves the file. Like pre-signed
// cloud storage it needs the signature (403 without) and answers 400 to a
// request that carries an Authorization header: the API key must never
// reach it.
func (s *Simulator) Storage() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
		switch {
		case r.Header.Get("Authorization") != "":
			http.Error(w, "storage takes a signed address, never an Authorization header", http.StatusBadRequest)
			return
		case r.Method != "GET" || len(parts) != 3 || parts[0] != "blobs":
			http.NotFound(w, r)
			return
		case !hmac.Equal([]byte(r.URL.Query().Get("sig")), []byte(s.sign(parts[1], parts[2]))):
			http.Error(w, "bad signature", http.StatusForbidden)
			return
		}
		all, _, _ := s.runArtifacts(parts[1])
		for _, a := range all {
			if a.id == parts[2] {
				serveFile(w, a)
				return
			}
		}
		http.NotFound(w, r)
	})
}
