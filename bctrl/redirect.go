package bctrl

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// maxRedirects is how many same-origin redirects one request may follow.
const maxRedirects = 10

// RedirectError is a redirect the client refused to follow. API calls
// follow a redirect only within the origin they were sent to (same scheme,
// host and port), so neither the API key nor a request body, which may
// hold provider keys, ever goes to another server or over a weaker scheme.
// Downloads may also follow https to another origin (see redirectMode).
type RedirectError struct {
	// StatusCode is the redirect's status (301, 302, 303, 307 or 308).
	StatusCode int
	// Location is where it pointed, without user info, query or fragment,
	// which may carry credentials.
	Location string
	// Download reports a refused redirect of an artifact download.
	Download bool
}

// Error names the refused Location and says what to check.
func (e *RedirectError) Error() string {
	if e.Download {
		return fmt.Sprintf("refused to follow a %d redirect to %s: a download may only be redirected within its origin or to https", e.StatusCode, e.Location)
	}
	return fmt.Sprintf("refused to follow a %d redirect to %s: the API may only redirect within its own origin; check the base URL", e.StatusCode, e.Location)
}

// A download request (withDownloadRedirects) also follows https to another
// origin (storage behind a download address), without Authorization or
// Cookie from then on, even if a later hop comes back: the key stays with
// the API. Every other request follows redirects only within its origin.
type downloadKey struct{}

func withDownloadRedirects(ctx context.Context) context.Context {
	return context.WithValue(ctx, downloadKey{}, true)
}

// checkRedirect is the client's one redirect policy, installed as the
// CheckRedirect of its http.Client; the request's context chooses between
// the API's rule and the download rule.
func checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= maxRedirects {
		return fmt.Errorf("stopped after %d redirects", maxRedirects)
	}
	origin := via[0].URL
	left := !sameOrigin(origin, req.URL)
	for _, hop := range via[1:] {
		left = left || !sameOrigin(origin, hop.URL)
	}
	if !left {
		return nil
	}
	download, _ := req.Context().Value(downloadKey{}).(bool)
	if download && strings.EqualFold(req.URL.Scheme, "https") {
		// net/http copied the first request's headers to this one; it keeps
		// Authorization for a subdomain, another port or plain http of the
		// same host, so the rule is enforced here rather than left to it.
		req.Header.Del("Authorization")
		req.Header.Del("Cookie")
		return nil
	}
	status := 0
	if req.Response != nil {
		status = req.Response.StatusCode
	}
	return &RedirectError{StatusCode: status, Location: withoutSecrets(req.URL), Download: download}
}

// sameOrigin compares scheme, host and port (RFC 6454), filling in the
// scheme's default port.
func sameOrigin(a, b *url.URL) bool {
	return strings.EqualFold(a.Scheme, b.Scheme) && strings.EqualFold(a.Hostname(), b.Hostname()) && port(a) == port(b)
}

func port(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
		return "443"
	case "http":
		return "80"
	}
	return ""
}

// withoutSecrets renders u as scheme://host/path.
func withoutSecrets(u *url.URL) string {
	clean := url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path, RawPath: u.RawPath}
	return clean.String()
}

// withRedirectPolicy returns a copy of hc that follows redirects by
// checkRedirect; the caller's client is left as it is.
func withRedirectPolicy(hc *http.Client) *http.Client {
	own := *hc
	own.CheckRedirect = checkRedirect
	return &own
}
