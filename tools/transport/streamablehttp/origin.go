package streamablehttp

import (
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strings"
)

// origins is the allow-list behind DNS-rebinding protection.
type origins struct {
	any     bool
	origins map[string]bool // normalised scheme://host:port
	hosts   map[string]bool // lower-case host names of those origins
}

// parseOrigins checks an allow-list of origins ("https://mcp.example.com",
// "http://10.0.0.7:8080") or "*".
func parseOrigins(list []string) (origins, error) {
	o := origins{origins: map[string]bool{}, hosts: map[string]bool{}}
	for _, raw := range list {
		raw = strings.TrimSpace(raw)
		switch {
		case raw == "":
			continue
		case raw == "*":
			o.any = true
			continue
		}
		u, err := url.Parse(raw)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.User != nil {
			return o, fmt.Errorf("allowed origin %q is not an origin such as https://mcp.example.com or http://10.0.0.7:8080", raw)
		}
		o.origins[normaliseOrigin(u)] = true
		o.hosts[strings.ToLower(u.Hostname())] = true
	}
	return o, nil
}

// normaliseOrigin writes an origin as scheme://host:port with the port explicit.
func normaliseOrigin(u *url.URL) string {
	port := u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[strings.ToLower(u.Scheme)]
	}
	return strings.ToLower(u.Scheme) + "://" + net.JoinHostPort(strings.ToLower(u.Hostname()), port)
}

// allowHost reports whether a Host header may reach the server: a loopback
// host, or the host of an allowed origin (any port: proxies differ).
func (o origins) allowHost(host string) bool {
	if o.any {
		return true
	}
	name := host
	if h, _, err := net.SplitHostPort(host); err == nil {
		name = h
	}
	name = strings.ToLower(strings.Trim(name, "[]"))
	return isLoopback(name) || o.hosts[name]
}

// allowOrigin reports whether an Origin header may call: absent (clients
// other than browsers), loopback (any port), or allowed.
func (o origins) allowOrigin(origin string) bool {
	if origin == "" || o.any {
		return true
	}
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" {
		return false // includes "null", which sandboxed pages send
	}
	if isLoopback(strings.ToLower(u.Hostname())) && (u.Scheme == "http" || u.Scheme == "https") {
		return true
	}
	return o.origins[normaliseOrigin(u)]
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.IsLoopback()
}
