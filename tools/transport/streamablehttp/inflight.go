package streamablehttp

import (
	"context"
	"sync"

	"github.com/bctrlhq/bctrl-mcp/tools/transport/jsonrpc"
)

// inflight records the requests being served, by caller and id, so that a
// notifications/cancelled reaches the request it names (see the package
// doc for why duplicates are allowed and unknown ids are not remembered).
// It also counts each caller's requests for the per-credential limit.
type inflight struct {
	mu       sync.Mutex
	requests map[string][]*pending // caller key + id key → requests
	perKey   map[string]int        // caller key → requests in flight
}

// pending is one request in flight.
type pending struct {
	cancel    context.CancelFunc
	cancelled bool
}

func newInflight() *inflight {
	return &inflight{requests: map[string][]*pending{}, perKey: map[string]int{}}
}

func requestKey(callerKey string, id jsonrpc.ID) string { return callerKey + "\x00" + id.Key() }

// begin records a request unless its caller already has limit requests in
// flight; the returned context is cancelled by a matching cancellation.
func (f *inflight) begin(ctx context.Context, callerKey string, id jsonrpc.ID, limit int) (context.Context, *pending, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.perKey[callerKey] >= limit {
		return nil, nil, false
	}
	ctx, cancel := context.WithCancel(ctx)
	p := &pending{cancel: cancel}
	k := requestKey(callerKey, id)
	f.requests[k] = append(f.requests[k], p)
	f.perKey[callerKey]++
	return ctx, p, true
}

// end forgets a request and reports whether it was cancelled by a
// notifications/cancelled, in which case it is not answered.
func (f *inflight) end(callerKey string, id jsonrpc.ID, p *pending) (cancelled bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	k := requestKey(callerKey, id)
	list := f.requests[k]
	for i, q := range list {
		if q == p {
			list = append(list[:i:i], list[i+1:]...)
			break
		}
	}
	if len(list) == 0 {
		delete(f.requests, k)
	} else {
		f.requests[k] = list
	}
	if f.perKey[callerKey]--; f.perKey[callerKey] <= 0 {
		delete(f.perKey, callerKey)
	}
	p.cancel()
	return p.cancelled
}

// cancelRequest cancels the caller's request with id when exactly one is in
// flight, and reports what it found.
func (f *inflight) cancelRequest(callerKey string, id jsonrpc.ID) (found int) {
	if id.IsZero() {
		return 0
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	list := f.requests[requestKey(callerKey, id)]
	if len(list) == 1 {
		list[0].cancelled = true
		list[0].cancel()
	}
	return len(list)
}

// size is how many requests are in flight and how many callers have some.
func (f *inflight) size() (requests, callers int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, l := range f.requests {
		requests += len(l)
	}
	return requests, len(f.perKey)
}
