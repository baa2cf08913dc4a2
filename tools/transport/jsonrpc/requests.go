package jsonrpc

import (
	"context"
	"sync"
)

// Requests tracks one connection's requests in flight by id, so that a
// notifications/cancelled reaches exactly the request it names.
//
// A cancellation for an id not in flight is usually late (the request
// already ended) and is dropped. On a transport where a cancellation can
// overtake its request (separate HTTP posts), up to maxEarly such ids are
// remembered, oldest forgotten first, and a request arriving with one
// starts cancelled; nothing grows without bound either way.
type Requests struct {
	mu       sync.Mutex
	inflight map[string]*inflight
	early    map[string]struct{}
	order    []string // early ids, oldest first
	maxEarly int
}

type inflight struct {
	cancel    context.CancelFunc
	cancelled bool
}

// NewRequests returns an empty record that remembers at most maxEarly
// cancellations of ids not in flight (none when maxEarly <= 0).
func NewRequests(maxEarly int) *Requests {
	return &Requests{inflight: map[string]*inflight{}, early: map[string]struct{}{}, maxEarly: max(maxEarly, 0)}
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
	req := &inflight{cancel: cancel}
	if _, ok := r.early[id.key]; ok {
		delete(r.early, id.key)
		req.cancelled = true
		cancel()
	}
	r.inflight[id.key] = req
	return ctx, true
}

// Cancel cancels the request in flight with id, or remembers id (see the type doc).
func (r *Requests) Cancel(id ID) {
	if id.IsZero() {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if req, ok := r.inflight[id.key]; ok {
		req.cancelled = true
		req.cancel()
		return
	}
	if r.maxEarly == 0 {
		return
	}
	if _, ok := r.early[id.key]; ok {
		return
	}
	if len(r.order) == r.maxEarly {
		delete(r.early, r.order[0])
		r.order = r.order[1:]
	}
	r.early[id.key] = struct{}{}
	r.order = append(r.order, id.key)
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

// Len is how many ids are held: requests in flight plus remembered early cancellations.
func (r *Requests) Len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.inflight) + len(r.early)
}
