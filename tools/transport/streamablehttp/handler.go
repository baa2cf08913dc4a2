package streamablehttp

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/bctrlhq/bctrl-mcp/tools/transport/jsonrpc"
	"github.com/mark3labs/mcp-go/mcp"
)

// Handler serves the MCP endpoint and the health probes /healthz and /readyz.
type Handler struct {
	srv      jsonrpc.Server
	opts     Options
	gate     gate
	origins  origins
	inflight *inflight
	draining atomic.Bool
}

// New returns the handler serving srv, or an error for options it cannot use.
func New(srv jsonrpc.Server, opts Options) (*Handler, error) {
	opts = opts.withDefaults()
	o, err := parseOrigins(opts.AllowedOrigins)
	if err != nil {
		return nil, err
	}
	switch opts.Auth.Mode {
	case AuthNone:
	case AuthToken:
		if opts.Auth.Token == "" {
			return nil, errors.New("streamablehttp: token auth without a token")
		}
	case AuthPassthrough:
		if opts.Auth.WithCredential == nil {
			return nil, errors.New("streamablehttp: passthrough auth without WithCredential")
		}
	default:
		return nil, fmt.Errorf("streamablehttp: unknown auth mode %d", opts.Auth.Mode)
	}
	return &Handler{srv: srv, opts: opts, gate: newGate(opts.Auth), origins: o, inflight: newInflight()}, nil
}

// SetDraining marks the server as shutting down: /readyz answers 503 and
// responses ask clients to close their connections.
func (h *Handler) SetDraining() { h.draining.Store(true) }

// InFlight reports how many requests are being served.
func (h *Handler) InFlight() int {
	n, _ := h.inflight.size()
	return n
}

// ServeHTTP routes the endpoint and the probes.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rec := &recorder{ResponseWriter: w}
	entry := &accessEntry{}
	start := time.Now()
	defer func() { h.logAccess(r, rec, entry, start) }()
	switch r.URL.Path {
	case "/healthz":
		entry.probe = true
		writeText(rec, http.StatusOK, "ok")
	case "/readyz":
		entry.probe = true
		if h.draining.Load() {
			writeText(rec, http.StatusServiceUnavailable, "draining")
			return
		}
		writeText(rec, http.StatusOK, "ready")
	case h.opts.Endpoint:
		if h.draining.Load() {
			rec.Header().Set("Connection", "close")
		}
		h.serveEndpoint(rec, r, entry)
	default:
		writeError(rec, http.StatusNotFound, jsonrpc.ID{}, mcp.INVALID_REQUEST, fmt.Sprintf("Not found: the MCP endpoint is %s", h.opts.Endpoint), nil)
	}
}

// serveEndpoint checks a message's HTTP envelope and routes it by kind.
func (h *Handler) serveEndpoint(w *recorder, r *http.Request, entry *accessEntry) {
	if !h.origins.allowHost(r.Host) {
		writeError(w, http.StatusForbidden, jsonrpc.ID{}, mcp.INVALID_REQUEST,
			fmt.Sprintf("Forbidden: Host %q is not allowed (DNS-rebinding protection); the server's operator can allow it by adding its origin to the allowed origins", clip(r.Host)), nil)
		return
	}
	if origin := r.Header.Get("Origin"); !h.origins.allowOrigin(origin) {
		writeError(w, http.StatusForbidden, jsonrpc.ID{}, mcp.INVALID_REQUEST,
			fmt.Sprintf("Forbidden: Origin %q is not allowed (DNS-rebinding protection); the server's operator can allow it in the allowed origins", clip(origin)), nil)
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		writeError(w, http.StatusMethodNotAllowed, jsonrpc.ID{}, mcp.INVALID_REQUEST,
			fmt.Sprintf("Method %s not allowed: this server is stateless, with no session and no standalone stream; POST each JSON-RPC message", r.Method), nil)
		return
	}
	who, err := h.gate.authenticate(r)
	if err != nil {
		w.Header().Set("WWW-Authenticate", challenge(err))
		writeError(w, http.StatusUnauthorized, jsonrpc.ID{}, mcp.INVALID_REQUEST, "Unauthorized: "+err.Error(), nil)
		return
	}
	entry.caller = who.key
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		writeError(w, http.StatusUnsupportedMediaType, jsonrpc.ID{}, mcp.INVALID_REQUEST,
			fmt.Sprintf("Unsupported Media Type %q: POST one JSON-RPC message as application/json", clip(r.Header.Get("Content-Type"))), nil)
		return
	}
	acceptsJSON, acceptsSSE := acceptance(r.Header.Get("Accept"))
	if !acceptsJSON && !acceptsSSE {
		writeError(w, http.StatusNotAcceptable, jsonrpc.ID{}, mcp.INVALID_REQUEST,
			"Not Acceptable: the Accept header must list application/json and text/event-stream", nil)
		return
	}
	body, status, problem := h.readBody(w, r)
	if status != 0 {
		writeError(w, status, jsonrpc.ID{}, mcp.INVALID_REQUEST, problem, nil)
		return
	}
	msg := jsonrpc.Classify(body)
	e := readEra(r.Header, msg.Params)
	entry.rpc, entry.modern = msg.Method, e.modern
	switch msg.Kind {
	case jsonrpc.Blank:
		writeError(w, http.StatusBadRequest, jsonrpc.ID{}, mcp.PARSE_ERROR, "Parse error: the body is empty; POST one JSON-RPC message", nil)
	case jsonrpc.Unparsable:
		writeError(w, http.StatusBadRequest, jsonrpc.ID{}, mcp.PARSE_ERROR, "Parse error: the body is not JSON", nil)
	case jsonrpc.Invalid:
		writeError(w, http.StatusBadRequest, msg.ID, mcp.INVALID_REQUEST, msg.Reason, nil)
	case jsonrpc.Response:
		if e.modern {
			writeError(w, http.StatusBadRequest, msg.ID, mcp.INVALID_REQUEST, "Invalid Request: clients do not send responses in protocol version "+mcp.LATEST_PROTOCOL_VERSION, nil)
			return
		}
		w.WriteHeader(http.StatusAccepted) // this server sends no requests, so there is nothing to match it to
	case jsonrpc.Notification:
		h.serveNotification(w, r, who, msg, body)
	case jsonrpc.Request:
		entry.id = msg.ID.String()
		var bad *rpcError
		if e.modern {
			bad = checkModernHeaders(e, r.Header, msg.Method, msg.Params)
		} else {
			bad = checkLegacyVersion(e, msg.Method)
		}
		if bad != nil {
			writeError(w, bad.status, msg.ID, bad.code, bad.message, bad.data)
			return
		}
		h.serveRequest(w, r, entry, who, msg, body, e.modern, acceptsJSON, acceptsSSE)
	}
}

// readBody reads the body within the size and time bounds; on failure it
// returns the HTTP status to answer with and what went wrong.
func (h *Handler) readBody(w http.ResponseWriter, r *http.Request) ([]byte, int, string) {
	rc := http.NewResponseController(w)
	_ = rc.SetReadDeadline(time.Now().Add(h.opts.BodyTimeout))
	// Cleared once read: a deadline left on the connection would end the
	// request's context while a long answer streams.
	defer func() { _ = rc.SetReadDeadline(time.Time{}) }()
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, h.opts.MaxBodyBytes))
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		return nil, http.StatusRequestEntityTooLarge, fmt.Sprintf("Request Entity Too Large: the body exceeds %d bytes", h.opts.MaxBodyBytes)
	case err != nil:
		return nil, http.StatusRequestTimeout, fmt.Sprintf("Request Timeout: the body could not be read within %s", h.opts.BodyTimeout)
	}
	return body, 0, ""
}

// serveNotification acts on a notification and answers 202.
func (h *Handler) serveNotification(w http.ResponseWriter, r *http.Request, who caller, msg jsonrpc.Message, body []byte) {
	if msg.Method == string(mcp.MethodNotificationCancelled) {
		// Handled here, not by mcp-go, which keys requests by session: every request has its own.
		if found := h.inflight.cancelRequest(who.key, msg.Cancels); found > 1 {
			h.opts.Logger.Warn("ignored a cancellation that matches several requests in flight", "id", msg.Cancels.String(), "requests", found)
		}
		w.WriteHeader(http.StatusAccepted)
		return
	}
	sess := newRequestSession()
	jsonrpc.Handle(h.srv.WithContext(h.requestContext(r, who), sess), h.srv, jsonrpc.ID{}, body, h.opts.Logger)
	w.WriteHeader(http.StatusAccepted)
}

// requestContext is the context a message is handled in: the request's,
// with the caller's credential when it is passed through.
func (h *Handler) requestContext(r *http.Request, who caller) context.Context {
	if who.credential != "" {
		return h.opts.Auth.WithCredential(r.Context(), who.credential)
	}
	return r.Context()
}

// acceptance reads which of the two answer types an Accept header allows;
// no Accept header allows both.
func acceptance(header string) (acceptsJSON, acceptsSSE bool) {
	if strings.TrimSpace(header) == "" {
		return true, true
	}
	for _, part := range strings.Split(header, ",") {
		mt, p, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		if q, err := strconv.ParseFloat(p["q"], 64); err == nil && q <= 0 {
			continue
		}
		switch mt {
		case "*/*":
			acceptsJSON, acceptsSSE = true, true
		case "application/*", "application/json":
			acceptsJSON = true
		case "text/*", "text/event-stream":
			acceptsSSE = true
		}
	}
	return acceptsJSON, acceptsSSE
}

// writeError answers with a JSON-RPC error and an HTTP status.
func writeError(w http.ResponseWriter, status int, id jsonrpc.ID, code int, message string, data any) {
	writeJSON(w, status, jsonrpc.ErrorResponse(id, code, message, data))
}

func writeJSON(w http.ResponseWriter, status int, raw []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(raw)+1))
	w.WriteHeader(status)
	_, _ = w.Write(append(raw, '\n'))
}

func writeText(w http.ResponseWriter, status int, text string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, text+"\n")
}

// logAccess writes one access-log line: never a header value, never a
// credential (the caller is a digest).
func (h *Handler) logAccess(r *http.Request, rec *recorder, e *accessEntry, start time.Time) {
	level := slog.LevelInfo
	if e.probe {
		level = slog.LevelDebug
	}
	attrs := []slog.Attr{slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.Int("status", rec.status),
		slog.Int64("bytes", rec.bytes), slog.Float64("ms", float64(time.Since(start).Microseconds())/1000), slog.String("remote", r.RemoteAddr)}
	if e.rpc != "" {
		attrs = append(attrs, slog.String("rpc", e.rpc))
	}
	if e.id != "" {
		attrs = append(attrs, slog.String("id", clip(e.id)))
	}
	if e.modern {
		attrs = append(attrs, slog.String("era", "2026-07-28"))
	}
	if e.caller != "" {
		attrs = append(attrs, slog.String("caller", e.caller))
	}
	if e.outcome != "" {
		attrs = append(attrs, slog.String("outcome", e.outcome))
	}
	h.opts.Logger.LogAttrs(context.Background(), level, "http", attrs...)
}

// accessEntry is what an access-log line says beyond the HTTP exchange.
type accessEntry struct {
	probe  bool
	rpc    string
	id     string
	modern bool
	caller string
	// outcome marks a request that was not answered: "cancelled" by a
	// notifications/cancelled, or "client-gone" before its answer was written.
	outcome string
}

// recorder notes the status and size of a response for the access log.
type recorder struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (r *recorder) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
	r.ResponseWriter.WriteHeader(status)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	n, err := r.ResponseWriter.Write(b)
	r.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the connection (deadlines, flushes).
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
