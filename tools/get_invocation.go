package tools

import (
	"context"

	"github.com/bctrlhq/bctrl-mcp/schema"
	"github.com/mark3labs/mcp-go/mcp"
)

func (ts *toolset) getInvocation() definition {
	tool := ts.newTool(schema.ToolGet, "Get an invocation",
		"Get an invocation's status, progress and result or error, waiting up to waitSeconds for it to end "+
			"(reporting progress). Call again while `terminal` is false.",
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
	return ts.result(w.ctx, final, "", waitNote(err)), nil
}
