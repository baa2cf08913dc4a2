package bctrl

import (
	"context"
	"errors"
	"math/rand/v2"
	"net/http"
	"time"
)

// RetryPolicy says how failed attempts are retried: 408, 429, 5xx (except an
// outcome-unknown 503) and network errors, with capped exponential backoff
// and jitter, or the server's Retry-After when it gives one.
type RetryPolicy struct {
	// MaxAttempts counts the first attempt; 1 disables retries.
	MaxAttempts int
	// BaseDelay is the first backoff; each retry doubles it up to MaxDelay.
	BaseDelay time.Duration
	MaxDelay  time.Duration
	// MaxRetryAfter is the longest Retry-After the client waits out itself;
	// a longer one is returned to the caller as an *APIError.
	MaxRetryAfter time.Duration
}

// DefaultRetryPolicy retries up to three times, backing off from 250ms to 2s.
func DefaultRetryPolicy() RetryPolicy {
	return RetryPolicy{MaxAttempts: 4, BaseDelay: 250 * time.Millisecond, MaxDelay: 2 * time.Second, MaxRetryAfter: 10 * time.Second}
}

// retryable reports whether a failed attempt may be tried again.
func retryable(err error) bool {
	var redirect *RedirectError
	var tooLarge *TooLargeError
	var badURL *DownloadURLError
	switch {
	case errors.As(err, &redirect):
		return false // the same request meets the same redirect
	case errors.As(err, &tooLarge), errors.As(err, &badURL):
		return false // and the same file
	}
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		switch {
		case apiErr.OutcomeUnknown():
			return false
		case apiErr.StatusCode == http.StatusRequestTimeout, apiErr.StatusCode == http.StatusTooManyRequests:
			return true
		}
		return apiErr.StatusCode >= 500
	}
	// Anything else is a transport failure, an attempt timing out or a
	// garbled body; every call is idempotent (a create carries its key), so
	// trying again is safe. The caller's own context is checked by do.
	return true
}

// delay returns how long to wait before attempt number attempt+1, and
// whether waiting is allowed at all.
func (p RetryPolicy) delay(attempt int, err error) (time.Duration, bool) {
	var apiErr *APIError
	if errors.As(err, &apiErr) && apiErr.RetryAfter > 0 {
		return apiErr.RetryAfter, apiErr.RetryAfter <= p.MaxRetryAfter
	}
	d := p.BaseDelay << (attempt - 1)
	if d > p.MaxDelay || d <= 0 {
		d = p.MaxDelay
	}
	// Full jitter on the upper half keeps retries of many clients apart.
	if d > 1 {
		d = d/2 + rand.N(d/2)
	}
	return d, true
}

// sleepCtx waits d or until ctx ends.
func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
