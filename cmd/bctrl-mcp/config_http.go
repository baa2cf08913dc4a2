package main

import (
	"errors"
	"flag"
	"fmt"
	"net"
	"slices"
	"strconv"
	"strings"

	"github.com/bctrlhq/bctrl-mcp/bctrl"
)

// The --http-auth modes.
const (
	authNone        = "none"
	authToken       = "token"
	authPassthrough = "passthrough"
)

// minTokenLength keeps BCTRL_HTTP_TOKEN out of guessing range.
const minTokenLength = 16

// httpConfig is what serving Streamable HTTP (--http) reads from flags and environment.
type httpConfig struct {
	addr           string   // --http / BCTRL_HTTP_ADDR; empty serves stdio
	auth           string   // --http-auth / BCTRL_HTTP_AUTH
	token          string   // BCTRL_HTTP_TOKEN, environment only
	allowedOrigins []string // --http-allowed-origins / BCTRL_HTTP_ALLOWED_ORIGINS
	maxBody        int64    // --http-max-body / BCTRL_HTTP_MAX_BODY
	maxInFlight    int      // --http-max-in-flight / BCTRL_HTTP_MAX_IN_FLIGHT
}

// flags registers the HTTP flags over their environment twins; the
// returned function, called after parsing, reads the values that need it.
func (h *httpConfig) flags(fs *flag.FlagSet, getenv func(string) string) func() error {
	fs.StringVar(&h.addr, "http", getenv("BCTRL_HTTP_ADDR"), "serve Streamable HTTP on this address instead of stdio")
	fs.StringVar(&h.auth, "http-auth", envOr(getenv, "BCTRL_HTTP_AUTH", authNone), "HTTP auth: none, token or passthrough")
	origins := fs.String("http-allowed-origins", getenv("BCTRL_HTTP_ALLOWED_ORIGINS"), "comma-separated origins allowed besides loopback")
	maxBody := fs.String("http-max-body", envOr(getenv, "BCTRL_HTTP_MAX_BODY", "2MiB"), "largest request body")
	maxInFlight := fs.String("http-max-in-flight", envOr(getenv, "BCTRL_HTTP_MAX_IN_FLIGHT", "64"), "calls in flight per credential")
	return func() error {
		h.token = strings.TrimSpace(getenv("BCTRL_HTTP_TOKEN"))
		for _, o := range strings.Split(*origins, ",") {
			if o = strings.TrimSpace(o); o != "" {
				h.allowedOrigins = append(h.allowedOrigins, o)
			}
		}
		var err error
		if h.maxBody, err = parseBytes(*maxBody); err != nil || h.maxBody < 1024 || h.maxBody > 64<<20 {
			return fmt.Errorf("--http-max-body / BCTRL_HTTP_MAX_BODY %q: use a size from 1KiB to 64MiB, such as 2MiB", *maxBody)
		}
		if h.maxInFlight, err = strconv.Atoi(strings.TrimSpace(*maxInFlight)); err != nil || h.maxInFlight < 1 || h.maxInFlight > 10000 {
			return fmt.Errorf("--http-max-in-flight / BCTRL_HTTP_MAX_IN_FLIGHT %q: use a number from 1 to 10000", *maxInFlight)
		}
		return nil
	}
}

// check rejects an HTTP configuration that is unsafe or cannot work. It
// does nothing when serving stdio.
func (h *httpConfig) check(c *config) error {
	if h.addr == "" {
		return nil
	}
	host, _, err := net.SplitHostPort(h.addr)
	if err != nil {
		return fmt.Errorf("--http / BCTRL_HTTP_ADDR %q: use host:port, such as 127.0.0.1:8080", h.addr)
	}
	switch h.auth {
	case authNone:
		if !bctrl.IsLoopbackHost(host) {
			return fmt.Errorf("--http %s is not a loopback address: refusing to serve without auth; set --http-auth token (with BCTRL_HTTP_TOKEN) or passthrough, or bind 127.0.0.1", h.addr)
		}
		if h.token != "" {
			return errors.New("BCTRL_HTTP_TOKEN is set but --http-auth is none, so it would not be checked; set --http-auth token")
		}
		if slices.Contains(h.allowedOrigins, "*") {
			return errors.New("--http-allowed-origins * turns off DNS-rebinding protection, which is all that guards a server without auth; list the origins, or use --http-auth token or passthrough")
		}
	case authToken:
		if len(h.token) < minTokenLength {
			return fmt.Errorf("--http-auth token needs BCTRL_HTTP_TOKEN (environment only) of at least %d characters, such as the output of: openssl rand -hex 32", minTokenLength)
		}
	case authPassthrough:
		if c.apiKey != "" {
			return errors.New("--http-auth passthrough uses each caller's own key, but BCTRL_API_KEY is set; unset it (or use --http-auth token to share the server's key)")
		}
		if c.spaceID != "" || c.runtimeID != "" {
			return errors.New("--http-auth passthrough: BCTRL_SPACE_ID and BCTRL_RUNTIME_ID belong to one account, so each call must name its own spaceId and runtimeId; unset them")
		}
		if h.token != "" {
			return errors.New("BCTRL_HTTP_TOKEN is set but --http-auth is passthrough, so it would not be checked; set --http-auth token")
		}
	default:
		return fmt.Errorf("--http-auth / BCTRL_HTTP_AUTH %q: use none, token or passthrough", h.auth)
	}
	return nil
}

// parseBytes reads a size: a number of bytes, or with KiB or MiB.
func parseBytes(v string) (int64, error) {
	v = strings.TrimSpace(v)
	mult := int64(1)
	for suffix, m := range map[string]int64{"KiB": 1 << 10, "MiB": 1 << 20} {
		if n, ok := strings.CutSuffix(v, suffix); ok {
			v, mult = strings.TrimSpace(n), m
		}
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 || n > (1<<40)/mult {
		return 0, errors.New("not a size")
	}
	return n * mult, nil
}
