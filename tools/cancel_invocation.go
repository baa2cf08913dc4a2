package tools

import (
	"context"

	"github.com/bctrlhq/bctrl-mcp/schema"
	"github.com/mark3labs/mcp-go/mcp"
)

func (ts *toolset) cancelInvocation() definition {
	tool := ts.newTool(schema.ToolCancel, "Cancel an invocation",
		"Ask bctrl to cancel an invocation; returns it, usually cancelling. No effect once it has ended.",
		hints{readOnly: false, destructive: true, idempotent: true, openWorld: true})
	return definition{tool: tool, handler: ts.handleCancel}
}

func (ts *toolset) handleCancel(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
	var in schema.CancelInvocationInput
	if bad := ts.decodeArgs(schema.ToolCancel, req, &in); bad != nil {
		return bad, nil
	}
	ctx, cancel := context.WithTimeout(ctx, ts.deps.cancelTimeout())
	defer cancel()
	inv, err := ts.deps.API.CancelInvocation(ctx, in.InvocationID)
	if err != nil {
		return apiFailure("cancel_invocation", err, ""), nil
	}
	ts.deps.Logger.Info("invocation cancel requested", "invocationId", inv.ID, "status", inv.Status)
	return ts.result(ctx, inv, "", ""), nil
}
