package tasks

import (
	"context"
	"encoding/json"

	"github.com/bctrlhq/bctrl-mcp/tools"
	"github.com/bctrlhq/bctrl-mcp/tools/era"
	"github.com/mark3labs/mcp-go/mcp"
)

// readResource passes a resources/read to mcp-go and gives a read that
// named no resource the error code of the request's era: mcp-go does so
// when no template matches, but answers -32603 when a template's handler
// finds nothing (see tools.TrackUnknownResources).
func (s *Server) readResource(ctx context.Context, meta era.Meta, message json.RawMessage) mcp.JSONRPCMessage {
	ctx, unknown := tools.TrackUnknownResources(ctx)
	resp := s.mcp.HandleMessage(ctx, message)
	e, ok := resp.(mcp.JSONRPCError)
	if !ok || !unknown() {
		return resp
	}
	e.Error.Code = mcp.RESOURCE_NOT_FOUND
	if meta.Modern {
		e.Error.Code = mcp.INVALID_PARAMS
	}
	return e
}
