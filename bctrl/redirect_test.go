package bctrl

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// recorder is an API endpoint that only counts what reaches it, and
// whether that carried the key or a provider key.
type recorder struct {
	hits, withKey, withBody atomic.Int32
}

func (rec *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rec.hits.Add(1)
	if strings.Contains(r.Header.Get("Authorization"), testKey) {
		rec.withKey.Add(1)
	}
	if b, _ := io.ReadAll(r.Body); strings.Contains(string(b), "sk-PROVIDER") {
		rec.withBody.Add(1)
	}
	writeJSON(w, 200, sampleInvocation(StatusQueued))
}

func redirectTo(location string, status int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", location)
		w.WriteHeader(status)
	}
}

// assertRefused checks a redirect was refused with an error that names
// where it pointed, without the query that may carry a token.
func assertRefused(t *testing.T, err error, target *recorder, location string) {
	t.Helper()
	if n := target.hits.Load(); n != 0 {
		t.Errorf("%d requests followed the redirect (%d with the key, %d with the body)", n, target.withKey.Load(), target.withBody.Load())
	}
	var rerr *RedirectError
	if !errors.As(err, &rerr) {
		t.Fatalf("err = %v, want a *RedirectError", err)
	}
	if !strings.Contains(err.Error(), location) || strings.Contains(err.Error(), "sig=") || strings.Contains(err.Error(), testKey) {
		t.Errorf("error %q should name %s and nothing secret", err, location)
	}
	if retryable(err) {
		t.Error("a refused redirect is retried")
	}
}

func TestRedirectToPlainHTTPIsRefused(t *testing.T) {
	plain := &recorder{}
	insecure := httptest.NewServer(plain)
	t.Cleanup(insecure.Close)
	location := insecure.URL + "/v1/invocations/" + testInvID
	secure := httptest.NewTLSServer(redirectTo(location+"?sig=abc", http.StatusPermanentRedirect))
	t.Cleanup(secure.Close)
	hc := secure.Client()
	c, err := NewClient(WithBaseURL(secure.URL), WithAPIKey(testKey), WithHTTPClient(hc), WithRetryPolicy(fastRetries))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.GetInvocation(t.Context(), testInvID)
	assertRefused(t, err, plain, location)
	if hc.CheckRedirect != nil {
		t.Error("WithHTTPClient changed the caller's http.Client")
	}
}

func TestRedirectToAnotherHostIsRefused(t *testing.T) {
	other := &recorder{}
	elsewhere := httptest.NewServer(other)
	t.Cleanup(elsewhere.Close)
	// Same listener, another host name: a different origin.
	location := strings.Replace(elsewhere.URL, "127.0.0.1", "localhost", 1) + "/v1/spaces/" + testSpace + "/runtimes/" + testRT + "/invocations"
	api := httptest.NewServer(redirectTo(location, http.StatusTemporaryRedirect))
	t.Cleanup(api.Close)
	c, err := NewClient(WithBaseURL(api.URL), WithAPIKey(testKey), WithRetryPolicy(fastRetries))
	if err != nil {
		t.Fatal(err)
	}
	req := &CreateInvocationRequest{Provider: ProviderBrowserUse, Input: Input{Instruction: "log in"},
		Config: &Config{BrowserUse: &BrowserUseConfig{LLM: &ModelRef{Provider: "openai", Model: "gpt-5", APIKey: "sk-PROVIDER-1"}}}}
	_, err = c.CreateInvocation(t.Context(), testSpace, testRT, req)
	assertRefused(t, err, other, location)
}

func TestSameOriginRedirectIsFollowed(t *testing.T) {
	c, mux := setup(t)
	target := &recorder{}
	mux.Handle("/v1/moved", target)
	mux.HandleFunc("/v1/spaces/"+testSpace+"/runtimes/"+testRT+"/invocations", func(w http.ResponseWriter, r *http.Request) {
		redirectTo("/prefix/v1/moved", http.StatusTemporaryRedirect)(w, r)
	})
	req := &CreateInvocationRequest{Provider: ProviderBrowserUse, Input: Input{Instruction: "log in"},
		Config: &Config{BrowserUse: &BrowserUseConfig{LLM: &ModelRef{Provider: "openai", Model: "gpt-5", APIKey: "sk-PROVIDER-1"}}}}
	inv, err := c.CreateInvocation(t.Context(), testSpace, testRT, req)
	if err != nil || inv.ID != testInvID {
		t.Fatalf("create through a same-origin redirect: %+v, %v", inv, err)
	}
	if target.hits.Load() != 1 || target.withKey.Load() != 1 || target.withBody.Load() != 1 {
		t.Errorf("the redirected request arrived %d times, %d with the key, %d with the body; want 1 each",
			target.hits.Load(), target.withKey.Load(), target.withBody.Load())
	}
}
