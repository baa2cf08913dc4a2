package bctrl

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
)

// storage is a file server on its own origin: it counts requests and
// those that carried the API key.
type storage struct {
	hits, withKey atomic.Int32
	body          string
}

func (s *storage) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.hits.Add(1)
	if r.Header.Get("Authorization") != "" || strings.Contains(r.Header.Get("Cookie"), "session") {
		s.withKey.Add(1)
	}
	w.Header().Set("Content-Type", "text/csv")
	_, _ = w.Write([]byte(s.body))
}

// downloadSetup serves the API on plain http loopback and storage on https
// on the same host (127.0.0.1, another port): net/http by itself would
// keep Authorization on that redirect. The client trusts the storage's
// certificate.
func downloadSetup(t *testing.T, api http.Handler) (*Client, *storage, *httptest.Server) {
	t.Helper()
	st := &storage{body: "product,price\nTea,3\n"}
	storeSrv := httptest.NewTLSServer(st)
	t.Cleanup(storeSrv.Close)
	apiSrv := httptest.NewServer(api)
	t.Cleanup(apiSrv.Close)
	c, err := NewClient(WithBaseURL(apiSrv.URL), WithAPIKey(testKey), WithHTTPClient(storeSrv.Client()), WithRetryPolicy(fastRetries))
	if err != nil {
		t.Fatal(err)
	}
	return c, st, storeSrv
}

func TestDownloadOnTheAPIOriginCarriesTheKey(t *testing.T) {
	var gotKey, accept string
	api := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotKey, accept = r.Header.Get("Authorization"), r.Header.Get("Accept")
		if r.URL.Path != "/v1/files/f1/download" || r.URL.RawQuery != "v=2" {
			t.Errorf("download went to %s?%s", r.URL.Path, r.URL.RawQuery)
		}
		w.Header().Set("Content-Type", "image/png")
		_, _ = w.Write([]byte("\x89PNG-bytes"))
	})
	c, _, _ := downloadSetup(t, api)
	d, err := c.DownloadArtifact(t.Context(), Artifact{ID: "a1", DownloadURL: "/v1/files/f1/download?v=2"}, 1024)
	if err != nil {
		t.Fatal(err)
	}
	if string(d.Data) != "\x89PNG-bytes" || d.ContentType != "image/png" || gotKey != "Bearer "+testKey || accept != "*/*" {
		t.Errorf("download %q %q, key %q, accept %q", d.Data, d.ContentType, gotKey, accept)
	}
}

// TestDownloadFollowsHTTPSToStorageWithoutTheKey: the API's download
// address redirects to storage on another origin; the file arrives and the
// key does not go with it.
func TestDownloadFollowsHTTPSToStorageWithoutTheKey(t *testing.T) {
	var storeURL string
	api := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, storeURL+"/blob/f1?sig=abc", http.StatusFound)
	})
	c, st, storeSrv := downloadSetup(t, api)
	storeURL = storeSrv.URL
	d, err := c.DownloadArtifact(t.Context(), Artifact{ID: "a1", DownloadURL: "/v1/files/f1/download"}, 1024)
	if err != nil {
		t.Fatal(err)
	}
	if string(d.Data) != st.body || st.hits.Load() != 1 || st.withKey.Load() != 0 {
		t.Errorf("data %q; storage hit %d times, %d with the key", d.Data, st.hits.Load(), st.withKey.Load())
	}
}

// TestDownloadAddressOnAnotherHTTPSOriginGetsNoKey: a pre-signed address
// elsewhere is fetched as it is, without the key.
func TestDownloadAddressOnAnotherHTTPSOriginGetsNoKey(t *testing.T) {
	c, st, storeSrv := downloadSetup(t, http.NotFoundHandler())
	d, err := c.DownloadArtifact(t.Context(), Artifact{ID: "a1", DownloadURL: storeSrv.URL + "/blob/f1?sig=abc"}, 1024)
	if err != nil || string(d.Data) != st.body {
		t.Fatalf("%v, %+v", err, d)
	}
	if st.withKey.Load() != 0 {
		t.Error("the key went to storage")
	}
}

func TestDownloadRefusesPlainHTTPElsewhere(t *testing.T) {
	plain := &storage{}
	plainSrv := httptest.NewServer(plain)
	t.Cleanup(plainSrv.Close)
	elsewhere := strings.Replace(plainSrv.URL, "127.0.0.1", "localhost", 1)
	t.Run("address", func(t *testing.T) {
		c, _, _ := downloadSetup(t, http.NotFoundHandler())
		_, err := c.DownloadArtifact(t.Context(), Artifact{ID: "a1", DownloadURL: elsewhere + "/blob?sig=abc"}, 1024)
		var bad *DownloadURLError
		if !errors.As(err, &bad) || strings.Contains(err.Error(), "sig=") {
			t.Errorf("err = %v, want a *DownloadURLError without the query", err)
		}
	})
	t.Run("redirect", func(t *testing.T) {
		c, _, _ := downloadSetup(t, redirectTo(elsewhere+"/blob?sig=abc", http.StatusFound))
		_, err := c.DownloadArtifact(t.Context(), Artifact{ID: "a1", DownloadURL: "/v1/files/f1/download"}, 1024)
		var rerr *RedirectError
		if !errors.As(err, &rerr) || !rerr.Download || strings.Contains(err.Error(), "sig=") || retryable(err) {
			t.Errorf("err = %v, want a download *RedirectError, not retried", err)
		}
	})
	if plain.hits.Load() != 0 {
		t.Errorf("plain http elsewhere was reached %d times", plain.hits.Load())
	}
}

// TestAPICallsStillRefuseHTTPSElsewhere: the download rule is chosen per
// request; an API call meeting the same redirect refuses it.
func TestAPICallsStillRefuseHTTPSElsewhere(t *testing.T) {
	var storeURL string
	api := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, storeURL+"/v1/invocations/"+testInvID, http.StatusFound)
	})
	c, st, storeSrv := downloadSetup(t, api)
	storeURL = storeSrv.URL
	_, err := c.GetInvocation(t.Context(), testInvID)
	var rerr *RedirectError
	if !errors.As(err, &rerr) || rerr.Download {
		t.Errorf("err = %v, want an API *RedirectError", err)
	}
	if st.hits.Load() != 0 {
		t.Errorf("the API call followed to another origin (%d hits)", st.hits.Load())
	}
}

// TestDownloadBackOnTheAPIOriginAfterStorageGetsNoKey: once a download has
// left the API's origin, the key is not sent again, even when a later
// redirect comes back to it. Both servers are https on 127.0.0.1, on
// different ports, where net/http alone would send the key on every hop.
func TestDownloadBackOnTheAPIOriginAfterStorageGetsNoKey(t *testing.T) {
	var apiURL, storeURL string
	var hopWithKey, backWithKey atomic.Int32
	api := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/back" {
			if r.Header.Get("Authorization") != "" {
				backWithKey.Add(1)
			}
			_, _ = w.Write([]byte("ok"))
			return
		}
		http.Redirect(w, r, storeURL+"/hop", http.StatusFound)
	}))
	t.Cleanup(api.Close)
	store := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "" {
			hopWithKey.Add(1)
		}
		http.Redirect(w, r, apiURL+"/back", http.StatusFound)
	}))
	t.Cleanup(store.Close)
	apiURL, storeURL = api.URL, store.URL
	c, err := NewClient(WithBaseURL(api.URL), WithAPIKey(testKey), WithHTTPClient(api.Client()), WithRetryPolicy(fastRetries))
	if err != nil {
		t.Fatal(err)
	}
	d, err := c.DownloadArtifact(t.Context(), Artifact{ID: "a1", DownloadURL: "/v1/files/f1/download"}, 1024)
	if err != nil || string(d.Data) != "ok" {
		t.Fatalf("%v, %+v", err, d)
	}
	if hopWithKey.Load() != 0 || backWithKey.Load() != 0 {
		t.Errorf("the key reached storage %d times and the API again %d times after leaving it", hopWithKey.Load(), backWithKey.Load())
	}
}

func TestDownloadSizeCap(t *testing.T) {
	var hits atomic.Int32
	api := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		body := strings.Repeat("x", 2000)
		if r.URL.Query().Get("chunked") == "" {
			w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		} else {
			w.(http.Flusher).Flush() // no Content-Length: the cap must hold while reading
		}
		_, _ = w.Write([]byte(body))
	})
	c, _, _ := downloadSetup(t, api)
	for _, tt := range []struct {
		name string
		a    Artifact
		size int64
		hits int32
	}{
		{"listed size", Artifact{ID: "a", DownloadURL: "/f", SizeBytes: Ptr[int64](5000)}, 5000, 0},
		{"content length", Artifact{ID: "a", DownloadURL: "/f"}, 2000, 1},
		{"streamed", Artifact{ID: "a", DownloadURL: "/f?chunked=1"}, -1, 1},
	} {
		hits.Store(0)
		_, err := c.DownloadArtifact(t.Context(), tt.a, 1000)
		var tooLarge *TooLargeError
		if !errors.As(err, &tooLarge) || tooLarge.Limit != 1000 || tooLarge.Size != tt.size {
			t.Errorf("%s: err = %v, want a *TooLargeError of size %d", tt.name, err, tt.size)
		}
		if hits.Load() != tt.hits {
			t.Errorf("%s: %d requests, want %d (never a retry)", tt.name, hits.Load(), tt.hits)
		}
	}
}

func TestDownloadWithoutAddress(t *testing.T) {
	c, _ := setup(t)
	_, err := c.DownloadArtifact(t.Context(), Artifact{ID: "a1"}, 1024)
	if !errors.Is(err, ErrNoDownloadURL) {
		t.Errorf("err = %v, want ErrNoDownloadURL", err)
	}
}
