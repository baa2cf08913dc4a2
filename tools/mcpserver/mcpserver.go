// Package mcpserver is the composition root of bctrl-mcp: it assembles the
// MCP server every transport serves, from a bctrl API client, through the
// tools (package tools) registered on mcp-go's server, to the protocol layer
// in front of it (package tools/tasks: era checks and the Tasks extension).
//
// cmd/bctrl-mcp reads flags and environment into a Config and hands the
// *tasks.Server that New returns to a transport: tools/transport/stdio or
// tools/transport/streamablehttp. Neither transport knows bctrl; this
// package knows no transport.
//
// The API key is either the server's own (Config.APIKey), or, with
// Config.PerRequestKeys, each request's own key, put on that request's
// context with WithAPIKey by whoever authenticated it (passthrough over
// HTTP). Such a key is used for that request's API calls only and is never
// stored: a bctrl client is made for each call.
package mcpserver

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/bctrlhq/bctrl-mcp/bctrl"
	"github.com/bctrlhq/bctrl-mcp/tools"
	"github.com/bctrlhq/bctrl-mcp/tools/tasks"
	"github.com/mark3labs/mcp-go/mcp"
)

// Config is everything New needs; cmd/bctrl-mcp fills it from flags and environment.
type Config struct {
	// Name and Version identify the server to clients.
	Name, Version string
	// BaseURL is the bctrl API (bctrl.DefaultBaseURL when empty).
	BaseURL string
	// APIKey is the server's own key. It must be empty with PerRequestKeys.
	APIKey string
	// PerRequestKeys has every API call use the key on its request's
	// context (WithAPIKey) instead of a server-wide one. Server-wide default
	// space and runtime belong to one account, so they are refused with it.
	PerRequestKeys bool
	// UserAgent is sent to the API.
	UserAgent string
	// HTTPClient carries the API calls (a shared default when nil).
	HTTPClient *http.Client
	// DefaultSpaceID and DefaultRuntimeID are used when create_invocation omits them.
	DefaultSpaceID, DefaultRuntimeID string
	// ReadOnly registers only get_invocation and turns the Tasks extension off.
	ReadOnly bool
	// Follow tunes how waits poll the API.
	Follow bctrl.FollowOptions
	// Drain, once closed, ends every wait in flight early with the
	// invocation's current state (see tools.Deps.Drain): a server shutting
	// down answers instead of cutting calls off.
	Drain <-chan struct{}
	// Logger receives server-side logs; nil discards them.
	Logger *slog.Logger
	// ResultBudget and ArtifactMaxBytes bound results and artifact reads
	// (see tools.Deps; zero picks the defaults).
	ResultBudget     int
	ArtifactMaxBytes int64
}

// New assembles the server: API client, tools, mcp-go server and the tasks layer.
func New(cfg Config) (*tasks.Server, error) {
	if cfg.PerRequestKeys && cfg.APIKey != "" {
		return nil, errors.New("mcpserver: a server-wide API key and per-request keys exclude each other")
	}
	if cfg.PerRequestKeys && (cfg.DefaultSpaceID != "" || cfg.DefaultRuntimeID != "") {
		return nil, errors.New("mcpserver: with per-request keys every call names its own space and runtime; a server-wide default belongs to one account")
	}
	opts := []bctrl.Option{bctrl.WithBaseURL(cmp.Or(cfg.BaseURL, bctrl.DefaultBaseURL))}
	if cfg.UserAgent != "" {
		opts = append(opts, bctrl.WithUserAgent(cfg.UserAgent))
	}
	if cfg.HTTPClient != nil {
		opts = append(opts, bctrl.WithHTTPClient(cfg.HTTPClient))
	}
	deps := tools.Deps{
		DefaultSpaceID: cfg.DefaultSpaceID, DefaultRuntimeID: cfg.DefaultRuntimeID,
		ReadOnly: cfg.ReadOnly, Follow: cfg.Follow, Drain: cfg.Drain, Logger: cfg.Logger,
		ResultBudget: cfg.ResultBudget, ArtifactMaxBytes: cfg.ArtifactMaxBytes,
	}
	if cfg.PerRequestKeys {
		// Check the options once, so a bad base URL fails at start, not on the first call.
		if _, err := bctrl.NewClient(opts...); err != nil {
			return nil, err
		}
		deps.API = perRequestAPI{opts: opts}
		deps.APIKeyFingerprint = requestKeyFingerprint
	} else {
		client, err := bctrl.NewClient(append(opts, bctrl.WithAPIKey(cfg.APIKey))...)
		if err != nil {
			return nil, err
		}
		deps.API = client
		fingerprint := tools.FingerprintAPIKey(cfg.APIKey)
		deps.APIKeyFingerprint = func(context.Context) string { return fingerprint }
	}
	srv, invocations, err := tools.NewServerAndInvocations(cfg.Name, cfg.Version, deps)
	if err != nil {
		return nil, fmt.Errorf("mcpserver: %w", err)
	}
	return tasks.New(srv, tasks.Options{Invocations: invocations, ServerInfo: mcp.Implementation{Name: cfg.Name, Version: cfg.Version}}), nil
}
