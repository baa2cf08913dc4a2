package preview

import (
	"embed"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net"
	"net/http"
	"strings"

	"github.com/bctrlhq/bctrl-mcp/bctrl"
	"github.com/bctrlhq/bctrl-mcp/tools/panel"
	"github.com/bctrlhq/bctrl-mcp/tools/transport/jsonrpc"
	"github.com/mark3labs/mcp-go/mcp"
)

//go:embed host
var hostFiles embed.FS

// maxRelayBody bounds one JSON-RPC message from the page.
const maxRelayBody = 1 << 20

// relayed are the only methods the page may send to the MCP server: what a
// host needs to list tools and views, and what a view may call.
var relayed = map[string]bool{"tools/list": true, "resources/list": true, "tools/call": true, "resources/read": true}

// Content security policies. The host page loads only its own files and
// talks only to its own origin; the view gets the specification's
// restrictive default (inline script and style, data: images, no network),
// without even 'self', and is sandboxed by the header as well as by the
// iframe attribute.
const (
	hostCSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; frame-src 'self'; " +
		"img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
	viewCSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; media-src data:; " +
		"connect-src 'none'; frame-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'; sandbox allow-scripts"
)

// handler serves the host page, the view and the JSON-RPC relay.
type handler struct {
	srv  MessageHandler
	port string // the listening port: requests must name it
}

func newHandler(srv MessageHandler, listenAddr string) *handler {
	_, port, _ := net.SplitHostPort(listenAddr)
	return &handler{srv: srv, port: port}
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// A page on another site that rebinds its DNS name to 127.0.0.1 would
	// send its own name as Host: only loopback names are served.
	if !h.loopbackHost(r.Host) {
		http.Error(w, "preview: requests must name a loopback host", http.StatusMisdirectedRequest)
		return
	}
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	switch r.URL.Path {
	case "/":
		h.file(w, r, "host/index.html")
	case "/host.js", "/host.css":
		h.file(w, r, "host"+r.URL.Path)
	case "/favicon.ico":
		w.WriteHeader(http.StatusNoContent)
	case "/view":
		h.view(w, r)
	case "/mcp":
		h.relay(w, r)
	default:
		http.NotFound(w, r)
	}
}

func (h *handler) loopbackHost(hostport string) bool {
	host, port, err := net.SplitHostPort(hostport)
	if err != nil || port != h.port {
		return false
	}
	return bctrl.IsLoopbackHost(host)
}

func (h *handler) file(w http.ResponseWriter, r *http.Request, name string) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	data, err := hostFiles.ReadFile(name)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	ctype := mime.TypeByExtension(name[strings.LastIndexByte(name, '.'):])
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Security-Policy", hostCSP)
	_, _ = w.Write(data)
}

// view serves a ui:// resource read from the MCP server, as a host's
// sandbox does: under a restrictive policy and in its own opaque origin.
func (h *handler) view(w http.ResponseWriter, r *http.Request) {
	uri := r.URL.Query().Get("uri")
	if r.Method != http.MethodGet || !strings.HasPrefix(uri, "ui://") {
		http.Error(w, "preview: GET /view?uri=ui://…", http.StatusBadRequest)
		return
	}
	msg, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": 1, "method": "resources/read", "params": map[string]any{"uri": uri}})
	raw, _ := json.Marshal(h.srv.HandleMessage(r.Context(), msg))
	var resp struct {
		Result struct {
			Contents []struct {
				URI, MIMEType, Text string
			} `json:"contents"`
		} `json:"result"`
	}
	_ = json.Unmarshal(raw, &resp)
	for _, c := range resp.Result.Contents {
		if c.URI == uri && c.MIMEType == panel.MIMEType && c.Text != "" {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Header().Set("Content-Security-Policy", viewCSP)
			_, _ = io.WriteString(w, c.Text)
			return
		}
	}
	http.Error(w, "preview: the server has no MCP Apps view at "+uri, http.StatusNotFound)
}

// relay passes one JSON-RPC request from the page to the MCP server and
// writes its answer.
func (h *handler) relay(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct != "application/json" {
		http.Error(w, "preview: send application/json", http.StatusUnsupportedMediaType)
		return
	}
	// Browsers name the page that sent a POST: only this origin may use the relay.
	if origin := r.Header.Get("Origin"); origin != "" && origin != "http://"+r.Host {
		http.Error(w, "preview: cross-origin requests are refused", http.StatusForbidden)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxRelayBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			http.Error(w, "preview: message too large", http.StatusRequestEntityTooLarge)
			return
		}
		http.Error(w, "preview: could not read the message", http.StatusBadRequest)
		return
	}
	var req struct {
		ID     json.RawMessage `json:"id"`
		Method string          `json:"method"`
	}
	if err := json.Unmarshal(body, &req); err != nil {
		http.Error(w, "preview: send one JSON-RPC request", http.StatusBadRequest)
		return
	}
	id, err := jsonrpc.ParseID(req.ID)
	if err != nil {
		http.Error(w, "preview: send one JSON-RPC request", http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	if !relayed[req.Method] {
		_, _ = w.Write(jsonrpc.ErrorResponse(id, mcp.METHOD_NOT_FOUND,
			"the preview relays only tools/list, resources/list, tools/call and resources/read, not "+req.Method, nil))
		return
	}
	_ = json.NewEncoder(w).Encode(h.srv.HandleMessage(r.Context(), body))
}
