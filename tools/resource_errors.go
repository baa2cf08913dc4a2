package tools

import (
	"context"
	"fmt"
	"sync/atomic"

	"github.com/mark3labs/mcp-go/server"
)

// mcp-go v1.2.1 answers a resources/read that matches no resource or
// template with the error of the request's era (-32002 before 2026-07-28,
// -32602 from it), but turns every error of a template's handler into
// -32603, so a well-formed URI naming nothing (an unknown invocation,
// say) would come back as an internal error. The handlers mark such reads
// in the context, and the message layer (tools/tasks) gives them the era's
// code.

type unknownResourceKey struct{}

// TrackUnknownResources returns ctx with a mark that the resource handlers
// set when a read names nothing, and a func that reports whether one did.
func TrackUnknownResources(ctx context.Context) (context.Context, func() bool) {
	var unknown atomic.Bool
	return context.WithValue(ctx, unknownResourceKey{}, &unknown), unknown.Load
}

// unknownResource marks ctx and returns the error the read fails with.
func unknownResource(ctx context.Context, uri, why string) error {
	if mark, ok := ctx.Value(unknownResourceKey{}).(*atomic.Bool); ok {
		mark.Store(true)
	}
	return fmt.Errorf("unknown resource %s: %s: %w", uri, why, server.ErrResourceNotFound)
}
