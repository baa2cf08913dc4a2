// Package mcphttp drives an MCP server over Streamable HTTP with raw
// JSON-RPC, for end-to-end tests and benchmarks that must see exactly what
// the server sends: every SSE event in order, statuses and headers. It also
// runs a server process that serves HTTP and reads its address from the log.
//
// Every wait is bounded: requests by their context (Client.Timeout when it
// has none), process waits by an explicit duration.
package mcphttp

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// Protocol versions and _meta keys the requests carry.
const (
	Modern = "2026-07-28"
	Legacy = "2025-11-25"
)

// Client posts JSON-RPC messages to one MCP endpoint.
type Client struct {
	URL string
	// HTTP carries the requests (http.DefaultClient when nil).
	HTTP *http.Client
	// Header is sent with every request (Authorization, say).
	Header http.Header
	// Timeout bounds a request whose context has no deadline (default 60 s).
	Timeout time.Duration
}

// Reply is one response: its status, headers and messages in wire order
// (the SSE events, or the one JSON body).
type Reply struct {
	Status   int
	Header   http.Header
	SSE      bool
	Messages []map[string]any
	Raw      []byte
}

// Answer is the response message (the one with an id), nil when there is none.
func (r *Reply) Answer() map[string]any {
	for i := len(r.Messages) - 1; i >= 0; i-- {
		if _, ok := r.Messages[i]["id"]; ok {
			return r.Messages[i]
		}
	}
	return nil
}

// Result is the answer's result, nil for an error or no answer.
func (r *Reply) Result() map[string]any {
	res, _ := r.Answer()["result"].(map[string]any)
	return res
}

// Notifications are the messages with the given method, in order.
func (r *Reply) Notifications(method string) []map[string]any {
	var out []map[string]any
	for _, m := range r.Messages {
		if m["method"] == method {
			out = append(out, m)
		}
	}
	return out
}

// PostEach sends one message with the MCP headers plus extra, reads the
// whole response, and calls each, when not nil, with every message as it
// arrives (SSE events one by one, while the stream is still open).
func (c *Client) PostEach(ctx context.Context, body []byte, extra http.Header, each func(map[string]any)) (*Reply, error) {
	if _, ok := ctx.Deadline(); !ok {
		timeout := c.Timeout
		if timeout <= 0 {
			timeout = 60 * time.Second
		}
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.URL, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	for _, h := range []http.Header{c.Header, extra} {
		for k, vs := range h {
			req.Header[http.CanonicalHeaderKey(k)] = vs
		}
	}
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	r := &Reply{Status: resp.StatusCode, Header: resp.Header}
	var raw bytes.Buffer
	add := func(data []byte) error {
		var m map[string]any
		if err := json.Unmarshal(data, &m); err != nil {
			return fmt.Errorf("message %q: %w", data, err)
		}
		r.Messages = append(r.Messages, m)
		if each != nil {
			each(m)
		}
		return nil
	}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		r.SSE = true
		br := bufio.NewReaderSize(io.TeeReader(resp.Body, &raw), 64<<10)
		for {
			line, err := br.ReadString('\n')
			if data, ok := strings.CutPrefix(strings.TrimRight(line, "\r\n"), "data:"); ok {
				if err := add([]byte(strings.TrimSpace(data))); err != nil {
					r.Raw = raw.Bytes()
					return r, err
				}
			}
			if err == io.EOF {
				break
			}
			if err != nil {
				r.Raw = raw.Bytes()
				return r, fmt.Errorf("read the stream: %w", err)
			}
		}
		r.Raw = raw.Bytes()
		return r, nil
	}
	if _, err := io.Copy(&raw, resp.Body); err != nil {
		return r, fmt.Errorf("read the response: %w", err)
	}
	r.Raw = raw.Bytes()
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") && len(bytes.TrimSpace(r.Raw)) > 0 {
		return r, add(r.Raw)
	}
	return r, nil
}

// Request sends a JSON-RPC request. With version Modern the params carry
// the 2026-07-28 _meta (plus meta, e.g. a progress token or the Tasks
// extension) and the request the headers that must match them; with
// Legacy (or "") it is a plain request as a 2025-11-25 client sends after
// initialize.
func (c *Client) Request(ctx context.Context, version string, id any, method string, params map[string]any, meta map[string]any) (*Reply, error) {
	return c.RequestEach(ctx, version, id, method, params, meta, nil)
}

// RequestEach is Request calling each with every message as it arrives.
func (c *Client) RequestEach(ctx context.Context, version string, id any, method string, params map[string]any, meta map[string]any, each func(map[string]any)) (*Reply, error) {
	if params == nil {
		params = map[string]any{}
	}
	m := map[string]any{}
	for k, v := range meta {
		m[k] = v
	}
	headers := http.Header{}
	if version == Modern {
		if _, ok := m["io.modelcontextprotocol/clientCapabilities"]; !ok {
			m["io.modelcontextprotocol/clientCapabilities"] = map[string]any{}
		}
		m["io.modelcontextprotocol/protocolVersion"] = Modern
		m["io.modelcontextprotocol/clientInfo"] = map[string]any{"name": "mcphttp", "version": "1"}
		headers.Set("MCP-Protocol-Version", Modern)
		headers.Set("Mcp-Method", method)
		for _, key := range []string{"name", "uri", "taskId"} {
			if v, ok := params[key].(string); ok {
				headers.Set("Mcp-Name", v)
			}
		}
	} else if version != "" {
		headers.Set("MCP-Protocol-Version", version)
	}
	if len(m) > 0 {
		params["_meta"] = m
	}
	body, err := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": id, "method": method, "params": params})
	if err != nil {
		return nil, err
	}
	return c.PostEach(ctx, body, headers, each)
}

// Call calls a tool and returns the reply (progress notifications and the answer).
func (c *Client) Call(ctx context.Context, version string, id any, tool string, args map[string]any, meta map[string]any) (*Reply, error) {
	return c.Request(ctx, version, id, "tools/call", map[string]any{"name": tool, "arguments": args}, meta)
}
