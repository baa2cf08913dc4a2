// Package tools defines the MCP tools of bctrl-mcp (create_invocation,
// get_invocation, cancel_invocation), each next to its handler, and
// registers them on an mcp-go server.
package tools

import (
	"context"
	"log/slog"
	"time"

	"github.com/bctrlhq/bctrl-mcp/bctrl"
	"github.com/bctrlhq/bctrl-mcp/schema"
)

// InvocationsAPI is the part of the bctrl client the tools and resources
// use; *bctrl.Client implements it.
type InvocationsAPI interface {
	CreateInvocation(ctx context.Context, spaceID, runtimeID string, req *bctrl.CreateInvocationRequest) (*bctrl.Invocation, error)
	GetInvocation(ctx context.Context, id string) (*bctrl.Invocation, error)
	CancelInvocation(ctx context.Context, id string) (*bctrl.Invocation, error)
	FollowInvocation(ctx context.Context, id string, wait time.Duration, opts bctrl.FollowOptions) (*bctrl.Invocation, error)
	// ListRunArtifacts lists the files a run produced (for results and
	// the bctrl://runs/{runId}/artifacts/{artifactId} resource).
	ListRunArtifacts(ctx context.Context, runID string) ([]bctrl.Artifact, error)
	// DownloadArtifact reads one of them, at most maxBytes.
	DownloadArtifact(ctx context.Context, a bctrl.Artifact, maxBytes int64) (*bctrl.Download, error)
}

// Defaults of the result and resource bounds (PRODUCT.md §7).
const (
	DefaultResultBudget     = 24000
	DefaultArtifactMaxBytes = 10 << 20
)

// Deps is everything the tools need, passed in by the caller.
type Deps struct {
	API InvocationsAPI
	// DefaultSpaceID and DefaultRuntimeID are used when create_invocation omits them.
	DefaultSpaceID   string
	DefaultRuntimeID string
	// ReadOnly registers only get_invocation.
	ReadOnly bool
	// Follow tunes how waits poll; zero values pick the client's defaults.
	// Its Grace (default 1s) is how long past the end of a wait a hung
	// upstream call is given before the tool answers with the last state.
	Follow bctrl.FollowOptions
	// Heartbeat is how long a wait may go without a progress notification
	// before the last state is sent again (default 3s). Timer slack and the
	// quiet moments around the result add at most 30%, so the longest gap
	// stays under the 5 s PRODUCT.md promises.
	Heartbeat time.Duration
	// CallGrace is how long past its waitSeconds a create_invocation or
	// get_invocation call may run in all, whatever the API does (default
	// 2.5s, so a call answers within waitSeconds + 3 s). It should exceed
	// Follow.Grace.
	CallGrace time.Duration
	// CancelTimeout bounds a cancel_invocation call (default 10s).
	CancelTimeout time.Duration
	// ResultBudget is how many characters a result's text (and inline
	// images, as base64) may take (default DefaultResultBudget). An answer
	// that does not fit is cut, and the result links the whole invocation
	// as the resource bctrl://invocations/{invocationId}.
	ResultBudget int
	// ArtifactMaxBytes is the largest artifact a resources/read downloads
	// (default DefaultArtifactMaxBytes).
	ArtifactMaxBytes int64
	// Logger receives server-side logs (stderr); nil discards them. The
	// tools log through a redacting wrapper of it (see RedactingLogger).
	Logger *slog.Logger
	// APIKeyFingerprint returns a digest of the API key that the API calls
	// made for ctx use (FingerprintAPIKey of it). It partitions the memory
	// that lets a create repeated after a client time-out reuse the first
	// call's idempotencyKey, so that one user's retry never reuses another
	// user's key. With one configured key it is a constant; a server whose
	// requests carry their own keys derives it from ctx. Nil turns the
	// memory off: every create without a key gets a new one.
	APIKeyFingerprint func(ctx context.Context) string
	// Drain, once closed, ends every wait early with the invocation's
	// current state, as a wait that runs out does: a server that is shutting
	// down answers its calls instead of cutting them off. Nil never drains.
	Drain <-chan struct{}
}

// toolset is the shared state of the registered tools.
type toolset struct {
	deps      Deps
	validator *schema.Validator
	published map[string]schema.Tool
	retries   *retryMemory // nil without deps.APIKeyFingerprint
}

// withDefaults fills the optional fields: a discarding logger when none
// was given, wrapped so that nothing the tools log can carry a secret.
func (d Deps) withDefaults() Deps {
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	d.Logger = RedactingLogger(d.Logger)
	return d
}

func (d *Deps) heartbeat() time.Duration { return orDefault(d.Heartbeat, 3*time.Second) }

func (d *Deps) callGrace() time.Duration { return orDefault(d.CallGrace, 2500*time.Millisecond) }

func (d *Deps) cancelTimeout() time.Duration { return orDefault(d.CancelTimeout, 10*time.Second) }

func (d *Deps) resultBudget() int { return orDefault(d.ResultBudget, DefaultResultBudget) }

func (d *Deps) artifactMaxBytes() int64 {
	return orDefault(d.ArtifactMaxBytes, DefaultArtifactMaxBytes)
}

// followGrace is Follow.Grace with bctrl's default filled in, so the
// tools know when a follow against a hung API ends.
func (d *Deps) followGrace() time.Duration { return d.Follow.WithDefaults().Grace }

// orDefault is v, or def when v is not positive (unset).
func orDefault[T ~int | ~int64](v, def T) T {
	if v <= 0 {
		return def
	}
	return v
}
