// Package tasks is the message-level layer between the transports and
// mcp-go. Every transport hands each JSON-RPC message to a *Server (it has
// the method set the transports drive), which answers what mcp-go v1.2.1
// gets wrong or lacks and passes everything else to mcp-go unchanged:
//
//   - the era rules of revision 2026-07-28 that mcp-go misses (package
//     tools/era): -32022 for a _meta protocol version we do not implement,
//     -32602 for an unknown per-request log level;
//   - the Tasks extension, io.modelcontextprotocol/tasks (SEP-2663), whose
//     tasks are bctrl invocations;
//   - the era's error code (-32002, or -32602 from 2026-07-28) for a
//     resources/read whose URI matches a resource template but names
//     nothing, which mcp-go would answer -32603 (resources.go).
//
// # What we implement of the Tasks extension
//
// This list is the one place that says it; keep it true.
//
//   - Capability: "io.modelcontextprotocol/tasks": {} under
//     capabilities.extensions in the server/discover result (the extension
//     belongs to 2026-07-28; the legacy initialize result is unchanged).
//     In read-only mode the extension is neither advertised nor served.
//   - Task creation: only tools/call of create_invocation, and only when
//     that request is of the 2026-07-28 era and declares the extension in
//     _meta["io.modelcontextprotocol/clientCapabilities"].extensions. It
//     answers at once, once bctrl has accepted the invocation (so tasks/get
//     already resolves), with a CreateTaskResult (resultType "task");
//     waitSeconds is validated and ignored, since a task never waits.
//     Bad input and API failures answer the ordinary isError CallToolResult
//     instead, as the tool would. Every other request, and every request of
//     a client that does not declare the extension, is served exactly as
//     without this layer.
//   - Task = invocation: the taskId is the invocation id. No task state is
//     kept here: any server process with the same API key answers for any
//     task, and bctrl checks access on every call.
//   - Status: queued, dispatching, running and cancelling are "working",
//     with the progress line as statusMessage ("running · step 3/7 ·
//     Filling the login form"); succeeded, failed and timed_out are
//     "completed", whose result is the CallToolResult get_invocation
//     returns for the ended invocation, built from the invocation (and,
//     when it produced files, its run's artifact list) alone (a
//     failed invocation is a tool-level error, isError, not the extension's
//     "failed"); cancelled is "cancelled".
//   - ttlMs is 3600000 (one hour), a conservative promise: bctrl does not
//     document how long it keeps invocations. pollIntervalMs is 3000, the
//     pace of an agent step. createdAt is the invocation's; lastUpdatedAt is
//     its latest timestamp (finish, cancel request, heartbeat, start).
//   - tasks/get returns the task; tasks/cancel asks bctrl to cancel the
//     invocation and acknowledges with an empty result (cooperative: the
//     task may still end otherwise); tasks/update acknowledges and ignores
//     inputResponses, since our tasks never ask for input.
//   - Errors: -32021 (with data.requiredCapabilities) for tasks/get,
//     tasks/update and tasks/cancel from a request that does not declare the
//     extension as a 2026-07-28 request (initialize-era requests cannot);
//     -32602 for a taskId that is not an
//     invocation id (not a uuid, or unknown to bctrl); -32603 when bctrl
//     cannot be reached or refuses.
//
// Not implemented: input_required and inputRequests (nothing asks for
// input); the "failed" status (no JSON-RPC error can follow a created
// task); notifications/tasks and taskIds on subscriptions/listen (clients
// poll); tasks for any other request; progress and log notifications on
// task requests (the extension does not carry them; statusMessage does).
// The 2025-11-25 core tasks (params.task, tasks/list, tasks/result) that
// mcp-go implements are not offered: no tool declares taskSupport and the
// server has no tasks capability.
package tasks
