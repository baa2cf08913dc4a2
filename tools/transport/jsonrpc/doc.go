// Package jsonrpc holds the JSON-RPC pieces every MCP transport of this
// server shares: classifying an incoming message, the request ids, error
// responses and their codes, the record of cancelled requests, and running
// one message through the MCP server without letting a panic escape.
//
// It knows JSON-RPC and mcp-go, and nothing of bctrl.
package jsonrpc
