package bctrl

import (
	"context"
	"errors"
	"net/http"
	"time"
)

// FollowOptions tunes FollowInvocation. Zero values pick the defaults.
type FollowOptions struct {
	// Slice is the longest single /wait call (default 4s), so the state is
	// refreshed, and OnUpdate called, at least that often.
	Slice time.Duration
	// PollMin and PollMax bound the GET backoff used when /wait is
	// unavailable or failing (defaults 500ms and 4s).
	PollMin, PollMax time.Duration
	// OnUpdate is called after every observation with the state seen and
	// whether its status or progress differs from the previous observation.
	OnUpdate func(inv *Invocation, changed bool)
}

func (o *FollowOptions) defaults() {
	if o.Slice <= 0 {
		o.Slice = 4 * time.Second
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
// 501. Transient failures (5xx, 429, network) are retried until the wait
// runs out; a wait that runs out is not an error.
func (c *Client) FollowInvocation(ctx context.Context, id string, wait time.Duration, opts FollowOptions) (*Invocation, error) {
	opts.defaults()
	deadline := time.Now().Add(wait)
	f := follower{c: c, id: id, opts: opts, useWait: true, pollDelay: opts.PollMin}

	last, err := c.GetInvocation(ctx, id)
	if err != nil {
		return nil, err
	}
	f.observe(last)
	for !last.Status.Terminal() {
		remaining := time.Until(deadline)
		if remaining <= 0 {
			return last, nil
		}
		next, err := f.step(ctx, min(opts.Slice, remaining))
		switch {
		case ctx.Err() != nil:
			return last, ctx.Err()
		case err != nil && !retryable(err):
			return last, err
		case err != nil:
			if sleepCtx(ctx, min(f.backoff(), time.Until(deadline))) != nil {
				return last, ctx.Err()
			}
			continue
		}
		last = next
		f.observe(last)
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
func (f *follower) step(ctx context.Context, slice time.Duration) (*Invocation, error) {
	if f.useWait {
		inv, err := f.c.WaitInvocation(ctx, f.id, slice)
		if !waitUnavailable(err) {
			return inv, err
		}
		f.useWait = false
	}
	if err := sleepCtx(ctx, min(f.backoff(), slice)); err != nil {
		return nil, err
	}
	return f.c.GetInvocation(ctx, f.id)
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
	if a.Status != b.Status || a.StepCount != b.StepCount {
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
