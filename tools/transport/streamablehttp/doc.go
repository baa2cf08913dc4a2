// Package streamablehttp serves an MCP server over the Streamable HTTP
// transport, statelessly, for remote and team use: any process answers any
// request, so instances scale out behind any load balancer without sticky
// sessions or a session store.
//
// It is built on package jsonrpc (message classification, ids, panic-safe
// handling, error codes) and knows nothing of bctrl. It does not use mcp-go's
// StreamableHTTPServer, which calls *server.MCPServer.HandleMessage directly
// and so would bypass a protocol layer in front of it (tools/tasks); from
// mcp-go it takes the header rules (mcp.ValidateStandardHeaders).
//
// # One endpoint, one POST per message, no sessions
//
// POST to the endpoint (default /mcp) carries one JSON-RPC message. A
// request is answered on its own response: application/json when nothing
// was sent before the answer, otherwise an SSE stream (text/event-stream)
// carrying the request's own notifications (progress, and logs where the
// protocol era allows them) followed by its response, which ends the
// stream. A notification or a client's response is answered 202 Accepted.
// GET and DELETE are answered 405: there is no standalone stream and no
// session to end.
//
// Ordering: each request is served with a session of its own whose
// notification channel only that request's response reads, and the
// goroutine serving the HTTP request is the only writer of its response.
// When the handler returns, every notification it queued is already in the
// channel (the tools stop their heartbeats before returning), so the writer
// drains the channel and then writes the response, and stops: no
// notification of a request is written after its response, whichever
// goroutine mcp-go sent it from. A notification queued after that is
// dropped, never written.
//
// # Both protocol eras, statelessly
//
// A request is of the 2026-07-28 era when its MCP-Protocol-Version header
// or the protocol version in its params._meta is 2026-07-28 or later. Such
// a request must carry MCP-Protocol-Version equal to the _meta version,
// Mcp-Method equal to its method, and Mcp-Name equal to params.name
// (tools/call, prompts/get), params.uri (resources/read) or params.taskId
// (tasks/get, tasks/update, tasks/cancel), Base64-sentinel values decoded:
// otherwise it is refused with -32020 HeaderMismatch and HTTP 400, before
// any handler sees it (mcp-go's own header checks never run here, and would
// not run for the requests tools/tasks answers itself). Errors of that era
// carry the HTTP status the specification gives them: 400 for -32020,
// -32021, -32022, -32600, -32602 and -32700; 404 for -32601.
//
// Earlier clients (2025-11-25 and before) are served without sessions:
// initialize is answered like any request and no Mcp-Session-Id is minted
// or honoured, which the official SDK clients accept. Their
// MCP-Protocol-Version header, when sent, must name a version this server
// implements (HTTP 400 otherwise). With no session to remember it,
// logging/setLevel is acknowledged but has no lasting effect: such
// requests receive log messages at level error and above only; 2026-07-28
// clients choose a level per request.
//
// # Cancellation
//
// A client that closes the connection cancels its request: the handler's
// context ends (a wait stops; what it waited on keeps running) and nothing
// more is written. notifications/cancelled is honoured too, for the request
// with that id from the same caller (the same credential) that is in
// flight in this process: if exactly one is, it is cancelled and its
// response stream is closed without an answer. There are no sessions to
// tell clients apart, and clients sharing a credential reuse ids, so a
// cancellation that matches several requests cancels none, and one that
// matches none is dropped rather than remembered: remembering it could
// silently cancel another client's later request with that id, while
// missing a cancellation that overtook its request costs one bounded wait.
// Behind a load balancer a cancellation may reach another process, where
// it finds nothing; closing the stream always works.
//
// # Safety
//
// The Host header must name a loopback host or the host of an allowed
// origin, and an Origin header, when present, must be an allowed origin
// (loopback origins are always allowed): otherwise 403, which stops DNS
// rebinding. Auth is none, a server-wide access token compared in constant
// time, or passthrough of each caller's own bearer credential to the
// handler's context; a request without valid credentials gets 401 with
// WWW-Authenticate: Bearer. Bodies are limited (413), content types checked
// (415, 406), calls in flight are limited per credential (429 with
// Retry-After), and every write to a response must complete within a bound,
// so a client that stops reading cannot hold a handler. /healthz and
// /readyz answer probes without credentials. Access logs never contain
// credentials. Serve adds header and idle timeouts and a bounded, draining
// shutdown.
package streamablehttp
