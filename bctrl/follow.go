package bctrl

import (
	"context"
	"errors"
	"net/http"
	"time"
)

// FollowOptions tunes FollowInvocation. Zero values pick the defaults.
type FollowOptions struct {
	// Initial is a state of the invocation the caller already holds, such
	// as a create's answer or its own GET: the follow starts from it
	// instead of reading the invocation first. OnUpdate is not called for it.
	Initial *Invocation
	// Slice is the longest single /wait call (default 5s), so the state is
	// refreshed, and OnUpdate called, at least that often.
	Slice time.Duration
	// Grace is how long an upstream call may run past its own time: a
	// /wait slice past its timeout, any call past the end of the wait
	// (default 1s). FollowInvocation returns within wait + Grace whatever
	// the API does.
	Grace time.Duration
	// PollMin and PollMax bound the GET backoff used when /wait is
	// unavailable or failing (defaults 500ms and 4s).
	PollMin, PollMax time.Duration
	// OnUpdate is called after every observation with the state seen and
	// whether its status or progress differs from the previous observation.
	OnUpdate func(inv *Invocation, changed bool)
}

// WithDefaults returns o with every unset option given its default, so a
// caller can tell how a follow with o will behave (when it ends, say).
func (o FollowOptions) WithDefaults() FollowOptions {
	o.defaults()
	return o
}

func (o *FollowOptions) defaults() {
	if o.Slice <= 0 {
		o.Slice = 5 * time.Second
	}
	if o.Grace <= 0 {
		o.Grace = defaultWaitGrace
	}
	if o.PollMin <= 0 {
		o.PollMin = 500 * time.Millisecond
	}
	if o.PollMax < o.PollMin {
		o.PollMax = max(4*time.Second, o.PollMin)
	}
}

// FollowInvocation watches an invocation until it ends, wait has elapsed or
// ctx is done, and returns the last state seen. It long-polls /wait in
// slices and falls back to GET with backoff when /wait answers 404, 405 or
// 501, or does not answer within its own timeout. Transient failures (5xx,
// 429, network) are retried until the wait runs out, after the server's
// Retry-After when it gives one; a wait that runs out is not an error.
// Every upstream call ends by wait + opts.Grace, so a hung API cannot hold
// the follow past it.
func (c *Client) FollowInvocation(ctx context.Context, id string, wait time.Duration, opts FollowOptions) (*Invocation, error) {
	opts.defaults()
	end := time.Now().Add(max(wait, 0))
	bounded, cancel := context.WithDeadline(ctx, end.Add(opts.Grace))
	defer cancel()
	f := follower{c: c, id: id, opts: opts, useWait: true, pollDelay: opts.PollMin, seen: opts.Initial}

	last := opts.Initial
	if last == nil {
		var err error
		if last, err = c.GetInvocation(bounded, id); err != nil {
			return nil, err
		}
		f.observe(last)
	}
	for !last.Status.Terminal() {
		remaining := time.Until(end)
		if remaining <= 0 {
			return last, nil
		}
		next, err := f.step(bounded, min(opts.Slice, remaining))
		switch {
		case ctx.Err() != nil:
			return last, ctx.Err()
		case err == nil:
			last = next
			f.observe(last)
			continue
		case bounded.Err() != nil:
			return last, nil // the wait and its grace ran out in a call that did not answer
		case !retryable(err):
			return last, err
		}
		// Never past the end of the wait: a longer Retry-After just ends it.
		if sleepCtx(ctx, min(f.retryDelay(err), time.Until(end))) != nil {
			return last, ctx.Err()
		}
	}
	return last, nil
}

// follower holds the state of one FollowInvocation loop.
type follower struct {
	c         *Client
	id        string
	opts      FollowOptions
	useWait   bool
	pollDelay time.Duration
	seen      *Invocation
}

// step makes one observation: a /wait slice, or a GET after the poll delay.
// Each is a single attempt that must answer within slice + Grace; the loop
// decides about retries.
func (f *follower) step(ctx context.Context, slice time.Duration) (*Invocation, error) {
	once := call{timeout: slice + f.opts.Grace, attempts: 1}
	if f.useWait {
		inv, err := f.c.wait(ctx, f.id, slice, once)
		switch {
		case waitUnavailable(err):
			f.useWait = false
		case errors.Is(err, errNoAnswer):
			// The API holds /wait past its own timeout: poll for the rest of this follow.
			f.useWait = false
			return nil, err
		default:
			return inv, err
		}
	}
	if err := sleepCtx(ctx, min(f.backoff(), slice)); err != nil {
		return nil, err
	}
	return f.c.get(ctx, f.id, once)
}

// retryDelay is how long to pause after a failed step: the server's
// Retry-After when it gave one, the poll backoff otherwise.
func (f *follower) retryDelay(err error) time.Duration {
	var apiErr *APIError
	if errors.As(err, &apiErr) && apiErr.RetryAfter > 0 {
		return apiErr.RetryAfter
	}
	return f.backoff()
}

// backoff returns the current poll delay and doubles the next one.
func (f *follower) backoff() time.Duration {
	d := f.pollDelay
	f.pollDelay = min(f.pollDelay*2, f.opts.PollMax)
	return d
}

func (f *follower) observe(inv *Invocation) {
	changed := f.seen == nil || stateChanged(f.seen, inv)
	if changed {
		f.pollDelay = f.opts.PollMin
	}
	f.seen = inv
	if f.opts.OnUpdate != nil {
		f.opts.OnUpdate(inv, changed)
	}
}

// stateChanged compares what a watcher cares about: status and progress.
func stateChanged(a, b *Invocation) bool {
	if a.Status != b.Status || a.Steps() != b.Steps() {
		return true
	}
	switch {
	case a.Progress == nil && b.Progress == nil:
		return false
	case a.Progress == nil || b.Progress == nil:
		return true
	}
	return *a.Progress != *b.Progress
}

// waitUnavailable reports an API that has no /wait route.
func waitUnavailable(err error) bool {
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		return false
	}
	switch apiErr.StatusCode {
	case http.StatusNotFound, http.StatusMethodNotAllowed, http.StatusNotImplemented:
		return true
	}
	return false
}
