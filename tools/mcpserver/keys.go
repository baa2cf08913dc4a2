package mcpserver

import (
	"context"
	"errors"
	"time"

	"github.com/bctrlhq/bctrl-mcp/bctrl"
	"github.com/bctrlhq/bctrl-mcp/tools"
)

// apiKeyKey is the context key of a request's own API key.
type apiKeyKey struct{}

// WithAPIKey returns ctx carrying the caller's own bctrl API key, which a
// server built with Config.PerRequestKeys uses for that request's calls.
func WithAPIKey(ctx context.Context, key string) context.Context {
	return context.WithValue(ctx, apiKeyKey{}, key)
}

// apiKeyFrom returns the key WithAPIKey put on ctx.
func apiKeyFrom(ctx context.Context) (string, bool) {
	key, ok := ctx.Value(apiKeyKey{}).(string)
	return key, ok && key != ""
}

// errNoRequestKey is what a call without a key gets; the HTTP transport
// answers 401 before a request can get this far, so it marks a wiring bug.
var errNoRequestKey = errors.New("bctrl: this request carries no API key (send Authorization: Bearer <your bctrl API key>)")

// requestKeyFingerprint partitions the retry memory by each request's own key.
func requestKeyFingerprint(ctx context.Context) string {
	key, _ := apiKeyFrom(ctx)
	return tools.FingerprintAPIKey(key)
}

// perRequestAPI calls the API with the key of the request being served: a
// client is made per call and dropped with it, so no key outlives its request.
type perRequestAPI struct {
	opts []bctrl.Option // everything but the key
}

var _ tools.InvocationsAPI = perRequestAPI{}

func (a perRequestAPI) client(ctx context.Context) (*bctrl.Client, error) {
	key, ok := apiKeyFrom(ctx)
	if !ok {
		return nil, errNoRequestKey
	}
	return bctrl.NewClient(append(a.opts[:len(a.opts):len(a.opts)], bctrl.WithAPIKey(key))...)
}

func (a perRequestAPI) CreateInvocation(ctx context.Context, spaceID, runtimeID string, req *bctrl.CreateInvocationRequest) (*bctrl.Invocation, error) {
	c, err := a.client(ctx)
	if err != nil {
		return nil, err
	}
	return c.CreateInvocation(ctx, spaceID, runtimeID, req)
}

func (a perRequestAPI) GetInvocation(ctx context.Context, id string) (*bctrl.Invocation, error) {
	c, err := a.client(ctx)
	if err != nil {
		return nil, err
	}
	return c.GetInvocation(ctx, id)
}

func (a perRequestAPI) CancelInvocation(ctx context.Context, id string) (*bctrl.Invocation, error) {
	c, err := a.client(ctx)
	if err != nil {
		return nil, err
	}
	return c.CancelInvocation(ctx, id)
}

func (a perRequestAPI) FollowInvocation(ctx context.Context, id string, wait time.Duration, opts bctrl.FollowOptions) (*bctrl.Invocation, error) {
	c, err := a.client(ctx)
	if err != nil {
		return nil, err
	}
	return c.FollowInvocation(ctx, id, wait, opts)
}

func (a perRequestAPI) ListRunArtifacts(ctx context.Context, runID string) ([]bctrl.Artifact, error) {
	c, err := a.client(ctx)
	if err != nil {
		return nil, err
	}
	return c.ListRunArtifacts(ctx, runID)
}

func (a perRequestAPI) DownloadArtifact(ctx context.Context, art bctrl.Artifact, maxBytes int64) (*bctrl.Download, error) {
	c, err := a.client(ctx)
	if err != nil {
		return nil, err
	}
	return c.DownloadArtifact(ctx, art, maxBytes)
}
