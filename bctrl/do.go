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

// call is one API request: method, path (its ids escaped with
// url.PathEscape, once), query, optional JSON body, how long one attempt
// may take (zero: the client's request timeout) and how many attempts it
// gets (zero: the retry policy's).
type call struct {
	method   string
	path     string
	query    url.Values
	body     any
	timeout  time.Duration
	attempts int

	// target, when set, is the absolute URL to send to instead of the
	// base URL and path (a download address; path then only names it in
	// errors). The key goes only to the API's own origin.
	target *url.URL
	// download follows the download rule for redirects (see checkRedirect).
	download bool
	// read, when set, reads a 2xx answer instead of the JSON decode into out.
	read func(*http.Response) error
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
	u := req.target
	if u == nil {
		var err error
		if u, err = c.endpoint(req); err != nil {
			return fmt.Errorf("bctrl: build %s %s: %w", req.method, req.path, err)
		}
	}
	var body io.Reader
	if payload != nil {
		body = bytes.NewReader(payload)
	}
	if req.download {
		ctx = withDownloadRedirects(ctx)
	}
	hreq, err := http.NewRequestWithContext(ctx, req.method, u.String(), body)
	if err != nil {
		return fmt.Errorf("bctrl: build %s %s: %w", req.method, req.path, err)
	}
	if req.read != nil {
		hreq.Header.Set("Accept", "*/*")
	} else {
		hreq.Header.Set("Accept", "application/json")
	}
	hreq.Header.Set("User-Agent", c.userAgent)
	if payload != nil {
		hreq.Header.Set("Content-Type", "application/json")
	}
	if c.apiKey != "" && sameOrigin(u, c.baseURL) {
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
	if req.read != nil {
		return req.read(resp)
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

// endpoint is the URL of req: the base URL's path, then req.path, then
// req.query. req.path is already escaped, so it goes into RawPath as it is
// and Path holds its unescaped form: an id "a/b c" travels as a%2Fb%20c,
// not escaped a second time.
func (c *Client) endpoint(req call) (*url.URL, error) {
	u := *c.baseURL
	raw := strings.TrimSuffix(c.baseURL.EscapedPath(), "/") + req.path
	path, err := url.PathUnescape(raw)
	if err != nil {
		return nil, err
	}
	u.Path, u.RawPath = path, raw
	u.RawQuery = req.query.Encode()
	return &u, nil
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
