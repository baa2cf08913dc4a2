// Package bctrl is a small client for the bctrl invocations API: create, get,
// cancel and wait on durable browser-agent invocations, plus a helper that
// follows an invocation until it ends, and the files (artifacts) a run
// produced: list them and download them (artifacts.go holds what is
// assumed about their routes and shape).
//
// It knows nothing about MCP. Struct tags named jsonschema only describe the
// wire types for the schema generator; this package never imports it.
//
// API reference: https://platform.bctrl.ai/api/api-reference/invocations/create
package bctrl
