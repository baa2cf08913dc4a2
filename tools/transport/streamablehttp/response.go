package streamablehttp

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/bctrlhq/bctrl-mcp/tools/transport/jsonrpc"
	"github.com/mark3labs/mcp-go/mcp"
)

// response writes one request's answer: as JSON when nothing came before
// it, otherwise as an SSE stream of the notifications and then the answer.
// Only the goroutine serving the request uses it.
type response struct {
	w       http.ResponseWriter
	rc      *http.ResponseController
	timeout time.Duration   // bound of each write
	stream  bool            // the client accepts text/event-stream
	gone    <-chan struct{} // closed when the client has gone
	abort   context.CancelFunc

	streaming bool  // the SSE headers are out
	failed    error // a write failed: nothing more is written
}

// notify writes a notification as an SSE event, when the client takes a
// stream; otherwise it is dropped (the answer carries the state).
func (o *response) notify(n mcp.JSONRPCNotification, logger *slog.Logger) {
	if !o.stream || !o.writable() {
		return
	}
	raw, ok := jsonrpc.EncodeNotification(n, logger)
	if !ok {
		return
	}
	o.startStream(http.StatusOK)
	o.event(raw)
}

// answer writes the final answer, which ends the response.
func (o *response) answer(status int, raw []byte, acceptsJSON bool) {
	if !o.writable() {
		return
	}
	if !o.streaming && acceptsJSON {
		o.w.Header().Set("Content-Type", "application/json")
		o.w.Header().Set("Content-Length", strconv.Itoa(len(raw)+1))
		o.w.WriteHeader(status)
		o.write(append(raw, '\n'))
		return
	}
	o.startStream(status)
	o.event(raw)
}

// close ends a response that has no answer: an empty stream, or no content.
func (o *response) close() {
	if o.streaming || !o.writable() {
		return
	}
	if o.stream {
		o.startStream(http.StatusOK)
		o.write(nil)
		return
	}
	o.w.WriteHeader(http.StatusNoContent)
}

// release clears the write deadline, so a connection kept alive carries
// none into its next request.
func (o *response) release() { _ = o.rc.SetWriteDeadline(time.Time{}) }

func (o *response) writable() bool {
	if o.failed != nil {
		return false
	}
	select {
	case <-o.gone:
		o.failed = errors.New("client gone")
		return false
	default:
		return true
	}
}

func (o *response) startStream(status int) {
	if o.streaming {
		return
	}
	o.streaming = true
	h := o.w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Accel-Buffering", "no") // proxies such as nginx must not hold events back
	o.w.WriteHeader(status)
}

// event writes one SSE event carrying a JSON-RPC message (JSON has no raw newlines).
func (o *response) event(raw []byte) {
	buf := make([]byte, 0, len(raw)+24)
	buf = append(buf, "event: message\ndata: "...)
	buf = append(buf, raw...)
	o.write(append(buf, '\n', '\n'))
}

// write sends b and flushes it within the write bound; a failure (the
// client stopped reading or left) cancels the request and stops writing.
func (o *response) write(b []byte) {
	if !o.writable() {
		return
	}
	_ = o.rc.SetWriteDeadline(time.Now().Add(o.timeout))
	if len(b) > 0 {
		if _, err := o.w.Write(b); err != nil {
			o.fail(err)
			return
		}
	}
	if err := o.rc.Flush(); err != nil {
		o.fail(err)
	}
}

func (o *response) fail(err error) {
	o.failed = err
	o.abort()
}
