package jsonrpc

import (
	"context"
	"sync"
)

// Requests tracks one connection's requests in flight by id, so that a
// notifications/cancelled reaches exactly the request it names.
//
// A cancellation for an id not in flight is dropped: on a connection whose
// messages arrive in order (stdio), it can only be late, for a request that
// has already ended. Nothing is remembered for an id, so nothing grows
// beyond the requests in flight.
type Requests struct {
	mu       sync.Mutex
	inflight map[string]*inflight
}

type inflight struct {
	cancel    context.CancelFunc
	cancelled bool
}

// NewRequests returns an empty record.
func NewRequests() *Requests {
	return &Requests{inflight: map[string]*inflight{}}
}

// Begin records id as in flight and returns the context its handler runs
// in, which Cancel(id) cancels. It returns false, and no context, when a
// request with the same id is already in flight.
func (r *Requests) Begin(ctx context.Context, id ID) (context.Context, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, dup := r.inflight[id.key]; dup {
		return nil, false
	}
	ctx, cancel := context.WithCancel(ctx)
	r.inflight[id.key] = &inflight{cancel: cancel}
	return ctx, true
}

// Cancel cancels the request in flight with id; an id not in flight is
// ignored (see the type doc).
func (r *Requests) Cancel(id ID) {
	if id.IsZero() {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if req, ok := r.inflight[id.key]; ok {
		req.cancelled = true
		req.cancel()
	}
}

// End forgets the request with id and reports whether it was cancelled,
// in which case it must not be answered.
func (r *Requests) End(id ID) (cancelled bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	req, ok := r.inflight[id.key]
	if !ok {
		return false
	}
	delete(r.inflight, id.key)
	req.cancel()
	return req.cancelled
}

// Len is how many requests are in flight.
func (r *Requests) Len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.inflight)
}
