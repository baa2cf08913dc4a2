package bctrl

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// DefaultBaseURL is the production API.
const DefaultBaseURL = "https://api.bctrl.ai"

// DefaultUserAgent identifies this client when no user agent is given.
const DefaultUserAgent = "bctrl-go"

// Client talks to the bctrl API. It is safe for concurrent use.
type Client struct {
	baseURL        *url.URL
	apiKey         string
	httpClient     *http.Client
	userAgent      string
	retry          RetryPolicy
	requestTimeout time.Duration
}

// Option configures a Client.
type Option func(*Client) error

// WithBaseURL sets the API base URL, with or without a trailing /v1. Plain
// http is refused unless the host is loopback, so the key never crosses a
// network unencrypted.
func WithBaseURL(raw string) Option {
	return func(c *Client) error {
		u, err := ParseBaseURL(raw)
		if err != nil {
			return err
		}
		c.baseURL = u
		return nil
	}
}

// WithAPIKey sets the key sent as a bearer token.
func WithAPIKey(key string) Option {
	return func(c *Client) error {
		c.apiKey = key
		return nil
	}
}

// WithHTTPClient sets the HTTP client (transport, proxies, TLS). The client
// uses a copy of hc whose CheckRedirect is its own redirect policy (see
// RedirectError); hc itself is not changed.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *Client) error {
		if hc == nil {
			return errors.New("nil http client")
		}
		c.httpClient = hc
		return nil
	}
}

// WithUserAgent sets the User-Agent header.
func WithUserAgent(ua string) Option {
	return func(c *Client) error {
		c.userAgent = ua
		return nil
	}
}

// WithRetryPolicy replaces the default retry policy.
func WithRetryPolicy(p RetryPolicy) Option {
	return func(c *Client) error {
		c.retry = p
		return nil
	}
}

// WithRequestTimeout bounds each HTTP attempt of a create, get or cancel
// (default 30s). A /wait attempt is bounded by its own timeout plus a grace.
func WithRequestTimeout(d time.Duration) Option {
	return func(c *Client) error {
		c.requestTimeout = d
		return nil
	}
}

// NewClient returns a client with the given options applied over the defaults.
func NewClient(opts ...Option) (*Client, error) {
	base, _ := url.Parse(DefaultBaseURL)
	c := &Client{
		baseURL:        base,
		httpClient:     &http.Client{},
		userAgent:      DefaultUserAgent,
		retry:          DefaultRetryPolicy(),
		requestTimeout: 30 * time.Second,
	}
	for _, opt := range opts {
		if err := opt(c); err != nil {
			return nil, fmt.Errorf("bctrl: %w", err)
		}
	}
	c.httpClient = withRedirectPolicy(c.httpClient)
	return c, nil
}

// ParseBaseURL checks an API base URL: http(s), a host, plain http only for
// loopback hosts. A trailing /v1 is dropped because every path carries it.
func ParseBaseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" {
		// Not echoed: what does not parse cannot be shown without its secrets.
		return nil, errors.New("the base URL is not an absolute http(s) URL such as https://api.bctrl.ai")
	}
	// Errors name the URL without user info, query or fragment: a mistyped
	// base URL may carry a password or a key there.
	shown := withoutSecrets(u)
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("base URL %q must not carry credentials, a query or a fragment", shown)
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !IsLoopbackHost(u.Hostname()) {
			return nil, fmt.Errorf("base URL %q uses plain http to a non-loopback host; use https so the API key is not sent in the clear", shown)
		}
	default:
		return nil, fmt.Errorf("base URL %q must use https (or http on loopback)", shown)
	}
	u.Path = strings.TrimSuffix(strings.TrimSuffix(u.Path, "/"), "/v1")
	return u, nil
}

// IsLoopbackHost reports whether host (a name or an IP address, without a
// port) names this machine only: localhost, in any case, or a loopback
// address. "" and 0.0.0.0 are not loopback: they bind every interface.
func IsLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
