package streamablehttp

import (
	"log/slog"
	"time"
)

// Defaults of Options.
const (
	DefaultEndpoint          = "/mcp"
	DefaultMaxBodyBytes      = 2 << 20
	DefaultMaxInFlightPerKey = 64
	DefaultWriteTimeout      = 30 * time.Second
	DefaultBodyTimeout       = 30 * time.Second
)

// Options configures New. Zero values pick the defaults.
type Options struct {
	// Endpoint is the path of the MCP endpoint (default /mcp).
	Endpoint string
	// Auth decides who may call (default: anyone, AuthNone).
	Auth Auth
	// AllowedOrigins are the origins (scheme://host[:port]) a browser may
	// call from; their hosts are also accepted in the Host header. Loopback
	// origins and hosts are always allowed. "*" allows every origin and host.
	AllowedOrigins []string
	// MaxBodyBytes bounds a request body (default 2 MiB); larger is 413.
	MaxBodyBytes int64
	// MaxInFlightPerKey bounds the requests in flight per credential
	// (default 64); more are answered 429. With AuthToken or AuthNone every
	// caller shares one credential.
	MaxInFlightPerKey int
	// WriteTimeout bounds each write to a response (default 30 s); a client
	// that stops reading is disconnected and its request cancelled.
	WriteTimeout time.Duration
	// BodyTimeout bounds reading a request body (default 30 s).
	BodyTimeout time.Duration
	// Logger receives one access-log line per request and transport
	// problems; nil discards them.
	Logger *slog.Logger
}

func (o Options) withDefaults() Options {
	if o.Endpoint == "" {
		o.Endpoint = DefaultEndpoint
	}
	if o.MaxBodyBytes <= 0 {
		o.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if o.MaxInFlightPerKey <= 0 {
		o.MaxInFlightPerKey = DefaultMaxInFlightPerKey
	}
	if o.WriteTimeout <= 0 {
		o.WriteTimeout = DefaultWriteTimeout
	}
	if o.BodyTimeout <= 0 {
		o.BodyTimeout = DefaultBodyTimeout
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o
}
