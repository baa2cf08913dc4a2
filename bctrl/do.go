package bctrl

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// maxResponseBody bounds a success body; an invocation is far smaller.
const maxResponseBody = 16 << 20

// errDecode marks a 2xx answer whose body is not the JSON we expect.
var errDecode = errors.New("malformed response body")

// errNoAnswer marks an attempt that ran out of its own time while the
// caller's context was still alive: the server did not answer in time. It
// wraps context.DeadlineExceeded, so callers can treat it as any deadline.
var errNoAnswer = fmt.Errorf("%w", context.DeadlineExceeded)

// call is one API request: method, path (already escaped), optional JSON
// body, how long one attempt may take (zero: the client's request
// timeout) and how many attempts it gets (zero: the retry policy's).
type call struct {
	method   string
	path     string
	body     any
	timeout  time.Duration
	attempts int
}

// do sends c with retries and decodes a 2xx JSON answer into out. Every
// method goes through here.
func (c *Client) do(ctx context.Context, req call, out any) error {
	var payload []byte
	if req.body != nil {
		var err error
		if payload, err = json.Marshal(req.body); err != nil {
			return fmt.Errorf("bctrl: encode %s %s: %w", req.method, req.path, err)
		}
	}
	attempts := max(c.retry.MaxAttempts, 1)
	if req.attempts > 0 {
		attempts = req.attempts
	}
	var err error
	for attempt := 1; ; attempt++ {
		err = c.attempt(ctx, req, payload, out)
		if err == nil || attempt >= attempts || !retryable(err) || ctx.Err() != nil {
			break
		}
		wait, ok := c.retry.delay(attempt, err)
		if !ok || !fitsDeadline(ctx, wait) {
			break
		}
		if sleepCtx(ctx, wait) != nil {
			break
		}
	}
	if ctx.Err() != nil && !isAPIError(err) {
		return fmt.Errorf("bctrl: %s %s: %w", req.method, req.path, ctx.Err())
	}
	return err
}

func (c *Client) attempt(parent context.Context, req call, payload []byte, out any) error {
	timeout := req.timeout
	if timeout <= 0 {
		timeout = c.requestTimeout
	}
	ctx, cancel := context.WithTimeout(parent, timeout)
	defer cancel()
	err := c.exchange(ctx, req, payload, out)
	if err != nil && !isAPIError(err) && parent.Err() == nil && errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("bctrl: %s %s: no answer within %s: %w", req.method, req.path, timeout, errNoAnswer)
	}
	return err
}

// exchange sends one HTTP request and reads its answer.
func (c *Client) exchange(ctx context.Context, req call, payload []byte, out any) error {
	u := *c.baseURL
	u.Path = strings.TrimSuffix(u.Path, "/") + req.path
	u.RawPath = ""
	var body io.Reader
	if payload != nil {
		body = bytes.NewReader(payload)
	}
	hreq, err := http.NewRequestWithContext(ctx, req.method, u.String(), body)
	if err != nil {
		return fmt.Errorf("bctrl: build %s %s: %w", req.method, req.path, err)
	}
	hreq.Header.Set("Accept", "application/json")
	hreq.Header.Set("User-Agent", c.userAgent)
	if payload != nil {
		hreq.Header.Set("Content-Type", "application/json")
	}
	if c.apiKey != "" {
		hreq.Header.Set("Authorization", "Bearer "+c.apiKey)
	}
	resp, err := c.httpClient.Do(hreq)
	if err != nil {
		// url.Error repeats the URL, which never holds the key; unwrap for a shorter message.
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err
		}
		return fmt.Errorf("bctrl: %s %s: %w", req.method, req.path, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return newAPIError(resp, time.Now())
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBody))
	if err != nil {
		return fmt.Errorf("bctrl: %s %s: read body: %w", req.method, req.path, err)
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			return fmt.Errorf("bctrl: %s %s: %w: %v", req.method, req.path, errDecode, err)
		}
	}
	return nil
}

// fitsDeadline reports whether waiting d still leaves the context alive.
func fitsDeadline(ctx context.Context, d time.Duration) bool {
	deadline, ok := ctx.Deadline()
	return !ok || time.Until(deadline) > d
}

func isAPIError(err error) bool {
	var apiErr *APIError
	return errors.As(err, &apiErr)
}
