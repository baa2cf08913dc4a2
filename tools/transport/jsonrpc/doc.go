// Package jsonrpc holds the JSON-RPC pieces every MCP transport of this
// server shares: classifying an incoming message, request ids, the record
// of requests in flight (which a notifications/cancelled reaches), error
// responses and their codes, and running one message through the MCP
// server without letting a panic escape.
//
// It knows JSON-RPC and mcp-go, and nothing of bctrl.
//
// Choices a transport inherits from here:
//   - A batch (a JSON array) gets one -32600 Invalid Request for the whole
//     batch: MCP removed batches in 2025-06-18, and they are not served even
//     where an older revision was negotiated. Any other JSON that is not a
//     request, notification or response is -32600 too; only text that is not
//     JSON at all is -32700 Parse error.
//   - Request ids are strings or integers, as MCP requires; null, booleans,
//     objects, arrays and fractions are -32600 (answered with a null id).
//     "7" and 7 are different requests, and a response carries its id
//     byte for byte as the request sent it, however large the integer
//     (mcp-go decodes ids into float64, so Handle puts the sent id back).
//   - The transport, not mcp-go, acts on notifications/cancelled: mcp-go
//     keys its in-flight requests by the id's printed form, which merges "7"
//     and 7. A cancelled request is never answered.
//   - CodeServerBusy (-31000) answers a request refused for lack of room,
//     with data.retryAfterMs. It lies outside JSON-RPC's reserved range
//     -32768..-32000, from which MCP assigns its own codes (-32002, -32042,
//     and -32020 upward in 2026-07-28), so no revision can give it another
//     meaning.
package jsonrpc
