package bctrl

import (
	"net/http"
	"net/url"
)

// withQuery returns a client whose requests carry query. The shared request
// path (do) takes a path only; rather than a second way to send requests,
// the copy wraps the HTTP transport, so list calls keep do's retries, error
// decoding, timeouts and redirect policy. A query field on call would make
// this unnecessary.
func (c *Client) withQuery(query url.Values) *Client {
	if len(query) == 0 {
		return c
	}
	hc := *c.httpClient
	base := hc.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	hc.Transport = queryTransport{base: base, query: query.Encode()}
	copied := *c
	copied.httpClient = &hc
	return &copied
}

// queryTransport sets the query of every request it sends.
type queryTransport struct {
	base  http.RoundTripper
	query string
}

// RoundTrip sends a copy of r with the query set; r itself is not changed.
func (t queryTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.URL.RawQuery = t.query
	return t.base.RoundTrip(r)
}
