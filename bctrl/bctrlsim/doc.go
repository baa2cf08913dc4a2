// Package bctrlsim is an in-memory simulator of the bctrl invocations API:
// create, get, cancel and the /wait long-poll, as an http.Handler.
//
// Contract: every create body is validated against the request schema of
// the OpenAPI text we were given (embedded as openapi.yaml) with a real JSON
// Schema validator; a violation answers 400 with an error envelope whose
// message and details name each offending field. Objects in that schema
// that list properties are treated as closed, so unknown fields are
// rejected too. Requests need "Authorization: Bearer <key>" (401
// otherwise); unknown invocation ids answer 404; space and runtime ids must
// be uuids (404 otherwise).
//
// Idempotency: a create with an idempotencyKey already seen answers 202
// with the same invocation when the body (and path) is the same, and 409
// when it differs.
//
// Lifecycle, on the simulator's Clock, in units of Options.Step (default
// 1s): queued for one step, dispatching for one step, running for N agent
// steps (progress, stepCount and lastHeartbeatAt advance every step), then
// the outcome. A cancel moves a live invocation to cancelling and, one step
// later, to cancelled; cancelling an ended invocation returns it unchanged.
// /wait answers as soon as the invocation ends, or after timeoutMs (default
// 30s, at most 60s) of clock time.
//
// Choosing outcomes, the way card numbers choose outcomes in a payment
// sandbox: put a marker in the instruction, or a key in metadata.
//
//	sim:succeeded (default) | sim:failed | sim:timed_out | sim:hang   the outcome
//	sim:steps=N                                                      N agent steps (default 5)
//	sim:table                                                        the answer is an array of rows, not {answer, steps}
//	sim:rows=N                                                       the answer is N product rows (1-10000), for large answers
//	sim:artifacts                                                    a succeeding invocation produces a CSV download and a final PNG screenshot
//	metadata {"simOutcome": "failed", "simSteps": 8}                 the same, by metadata
//
// Faults: QueueFaults makes the next requests of a route fail in a given
// way, RandomFaults makes a share of all requests fail. The kinds are
// FaultServerError (5xx), FaultRateLimit (429 with Retry-After), FaultDrop
// (connection closed before handling), FaultDropAfterCommit (handled, then
// the connection closed: a create is stored but never acknowledged),
// FaultSlow (handled, answer delayed) and FaultMalformed (200 with truncated JSON).
//
// Account routes, for bctrl-mcp setup and doctor (directory.go): GET
// /v1/auth/whoami, GET /v1/spaces and GET /v1/spaces/{spaceId}/runtimes
// describe Options.Directory (DefaultDirectory when nil: one space with a
// ready runtime and a stopped one). They need the bearer key, answer 404
// for an unknown space, and page with ?limit= (1-100, default 20) and an
// opaque ?cursor= taken from the previous page's nextCursor (null on the
// last page); a forged cursor or bad limit answers 400. Faults aim at them
// as RouteWhoami, RouteSpaces and RouteRuntimes.
//
// Artifact routes (artifacts.go), in the shape bctrl's SDK documents: GET
// /v1/runs/{runId}/artifacts lists the files of a run's invocations, newest
// first, paged like the account routes, each with a downloadUrl on this
// server (GET /v1/runs/{runId}/artifacts/{id}/download, bearer key
// required). An invocation made with sim:artifacts that succeeds produces
// a CSV download half a step before its end and a PNG screenshot at it;
// artifactCount counts them as they appear. Unknown runs and artifacts
// answer 404. RedirectDownloadsTo makes download addresses answer 302 to a
// signed address on a second origin served by Storage, which, like
// pre-signed cloud storage, refuses a bad signature (403) and any request
// carrying an Authorization header (400). Faults aim at RouteArtifacts and
// RouteDownload.
package bctrlsim
