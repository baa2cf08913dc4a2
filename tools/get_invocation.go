package tools

import (
	"context"

	"github.com/bctrlhq/bctrl-mcp/schema"
	"github.com/mark3labs/mcp-go/mcp"
)

func (ts *toolset) getInvocation() definition {
	tool := ts.newTool(schema.ToolGet, "Get a browser-agent invocation",
		"Get the status, progress, result or error of an invocation started with create_invocation. "+
			"With waitSeconds (max 50) it waits for the invocation to finish, sending progress while it runs, "+
			"and returns as soon as it ends or with the current state when the wait runs out. "+
			"Keep calling it while `terminal` is false.",
		hints{readOnly: true, destructive: false, idempotent: true, openWorld: true})
	return definition{tool: tool, handler: ts.handleGet}
}

func (ts *toolset) handleGet(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
	var in schema.GetInvocationInput
	if bad := ts.decodeArgs(schema.ToolGet, req, &in); bad != nil {
		return bad, nil
	}
	wait := 0
	if in.WaitSeconds != nil {
		wait = *in.WaitSeconds
	}
	w := ts.beginWait(ctx, req, wait, "reading the invocation")
	defer w.finish()
	inv, err := ts.deps.API.GetInvocation(w.ctx, in.InvocationID)
	if err != nil {
		return apiFailure("get_invocation", err, ""), nil
	}
	final, err := w.follow(inv)
	return invocationResult(final, "", waitNote(err)), nil
}
