package bctrl

import (
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
type RedirectError struct {
	// StatusCode is the redirect's status (301, 302, 303, 307 or 308).
	StatusCode int
	// Location is where it pointed, without user info, query or fragment,
	// which may carry credentials.
	Location string
}

// Error names the refused Location and says what to check.
func (e *RedirectError) Error() string {
	return fmt.Sprintf("refused to follow a %d redirect to %s: the API may only redirect within its own origin; check the base URL", e.StatusCode, e.Location)
}

// checkRedirect is the client's one redirect policy, installed as the
// CheckRedirect of its http.Client. Every API call goes through it. A mode
// for artifact downloads (following https to storage on another origin,
// with Authorization removed) belongs here too, chosen per request.
func checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= maxRedirects {
		return fmt.Errorf("stopped after %d redirects", maxRedirects)
	}
	if !sameOrigin(via[0].URL, req.URL) {
		status := 0
		if req.Response != nil {
			status = req.Response.StatusCode
		}
		return &RedirectError{StatusCode: status, Location: withoutSecrets(req.URL)}
	}
	return nil
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
