package bctrl

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// downloadAttemptTimeout bounds one attempt of a download: files are larger
// than API answers, so the client's request timeout would be too short.
const downloadAttemptTimeout = time.Minute

// ErrNoDownloadURL is returned for an artifact the API listed without a
// download address: there is nothing to read it from.
var ErrNoDownloadURL = errors.New("the API gave no download address for this artifact")

// TooLargeError is a download refused or stopped because the file is
// larger than the caller's limit.
type TooLargeError struct {
	// Limit is the caller's limit in bytes.
	Limit int64
	// Size is the file's size when known (from the listing or the
	// response's Content-Length), or -1 when only "above Limit" is known.
	Size int64
}

// Error says how large the file is and what the limit is.
func (e *TooLargeError) Error() string {
	if e.Size >= 0 {
		return fmt.Sprintf("the file is %d bytes, above the limit of %d bytes", e.Size, e.Limit)
	}
	return fmt.Sprintf("the file is larger than the limit of %d bytes", e.Limit)
}

// DownloadURLError is a download address the client refuses to use.
type DownloadURLError struct {
	// URL is the address without user info, query or fragment.
	URL    string
	Reason string
}

// Error names the address and why it was refused.
func (e *DownloadURLError) Error() string {
	return fmt.Sprintf("refused download address %s: %s", e.URL, e.Reason)
}

// Download is an artifact's content.
type Download struct {
	// ContentType is the Content-Type of the answer ("" when it had none).
	ContentType string
	Data        []byte
}

// DownloadArtifact reads an artifact's file from its downloadUrl, at most
// maxBytes of it: a larger file (by its listed size, the answer's
// Content-Length, or what arrives) is a *TooLargeError, an artifact without
// an address is ErrNoDownloadURL.
//
// The rules, which keep the key with the API: a relative downloadUrl is
// resolved against the base URL. An address on the API's origin (scheme,
// host and port of the base URL) is sent the bearer key; an https address
// elsewhere (say, pre-signed storage) is fetched without it; anything else
// (plain http elsewhere, another scheme) is a *DownloadURLError. Redirects
// are followed within the origin, or to https anywhere with Authorization
// removed from then on; a redirect to plain http elsewhere is a
// *RedirectError.
func (c *Client) DownloadArtifact(ctx context.Context, a Artifact, maxBytes int64) (*Download, error) {
	if a.DownloadURL == "" {
		return nil, fmt.Errorf("bctrl: artifact %s: %w", a.ID, ErrNoDownloadURL)
	}
	if a.SizeBytes != nil && *a.SizeBytes > maxBytes {
		return nil, &TooLargeError{Limit: maxBytes, Size: *a.SizeBytes}
	}
	target, err := c.downloadTarget(a.DownloadURL)
	if err != nil {
		return nil, err
	}
	var out Download
	read := func(resp *http.Response) error {
		if resp.ContentLength > maxBytes {
			return &TooLargeError{Limit: maxBytes, Size: resp.ContentLength}
		}
		data, err := io.ReadAll(io.LimitReader(resp.Body, maxBytes+1))
		if err != nil {
			return fmt.Errorf("bctrl: download artifact %s: %w", a.ID, err)
		}
		if int64(len(data)) > maxBytes {
			return &TooLargeError{Limit: maxBytes, Size: -1}
		}
		out = Download{ContentType: resp.Header.Get("Content-Type"), Data: data}
		return nil
	}
	shape := call{method: "GET", path: withoutSecrets(target), target: target, download: true, read: read,
		timeout: max(c.requestTimeout, downloadAttemptTimeout)}
	if err := c.do(ctx, shape, nil); err != nil {
		return nil, err
	}
	return &out, nil
}

// downloadTarget resolves and checks a download address (see DownloadArtifact).
func (c *Client) downloadTarget(raw string) (*url.URL, error) {
	ref, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return nil, &DownloadURLError{URL: "(unparsable)", Reason: "it is not a URL"}
	}
	u := c.baseURL.ResolveReference(ref)
	switch {
	case sameOrigin(u, c.baseURL):
		return u, nil
	case strings.EqualFold(u.Scheme, "https") && u.Host != "":
		return u, nil
	}
	return nil, &DownloadURLError{URL: withoutSecrets(u), Reason: "it is neither on the API's origin nor https"}
}
