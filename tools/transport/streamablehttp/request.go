package streamablehttp

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"

	"github.com/bctrlhq/bctrl-mcp/tools/transport/jsonrpc"
	"github.com/mark3labs/mcp-go/mcp"
)

// serveRequest runs one request and writes its notifications and answer.
// This goroutine is the response's only writer (see the package doc).
func (h *Handler) serveRequest(w *recorder, r *http.Request, entry *accessEntry, who caller, msg jsonrpc.Message, body []byte, modern, acceptsJSON, acceptsSSE bool) {
	ctx, p, ok := h.inflight.begin(h.requestContext(r, who), who.key, msg.ID, h.opts.MaxInFlightPerKey)
	if !ok {
		retry := jsonrpc.BusyRetryAfter
		w.Header().Set("Retry-After", strconv.Itoa(int(retry.Seconds())))
		message, data := jsonrpc.Busy(fmt.Sprintf("Too Many Requests: %d calls are already in flight with this credential", h.opts.MaxInFlightPerKey))
		writeError(w, http.StatusTooManyRequests, msg.ID, jsonrpc.CodeServerBusy, message, data)
		return
	}
	sess := newRequestSession()
	ctx = h.srv.WithContext(ctx, sess)
	answered := make(chan []byte, 1)
	go func() { answered <- jsonrpc.Handle(ctx, h.srv, msg.ID, body, h.opts.Logger) }()

	out := &response{w: w, rc: http.NewResponseController(w), timeout: h.opts.WriteTimeout, stream: acceptsSSE, gone: r.Context().Done(), abort: p.cancel}
	defer out.release()
	var answer []byte
	for answer == nil {
		select {
		case n := <-sess.notifications:
			out.notify(n, h.opts.Logger)
		case answer = <-answered:
			if answer == nil {
				answer = jsonrpc.ErrorResponse(msg.ID, mcp.INTERNAL_ERROR, "internal error: the server gave no answer", nil)
			}
		}
	}
	if cancelled := h.inflight.end(who.key, msg.ID, p); cancelled {
		entry.outcome = "cancelled"
		out.close() // a cancelled request is not answered
		return
	}
	// Everything the handler queued is in the channel by now: write it, then the answer.
	for drained := false; !drained; {
		select {
		case n := <-sess.notifications:
			out.notify(n, h.opts.Logger)
		default:
			drained = true
		}
	}
	status := http.StatusOK
	if modern {
		status = modernStatus(errorCode(answer))
	}
	out.answer(status, answer, acceptsJSON)
	if out.failed != nil {
		entry.outcome = "client-gone"
	}
}

// errorCode is the code of an error answer, 0 for a result. It reads the
// members in order and stops at "result", so a large result (a whole
// answer, inline images) is not decoded a second time only to find no code.
func errorCode(answer []byte) int {
	dec := json.NewDecoder(bytes.NewReader(answer))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return 0
	}
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return 0
		}
		switch key {
		case "result":
			return 0
		case "error":
			var e struct {
				Code int `json:"code"`
			}
			if dec.Decode(&e) != nil {
				return 0
			}
			return e.Code
		default:
			var skip json.RawMessage
			if dec.Decode(&skip) != nil {
				return 0
			}
		}
	}
	return 0
}
