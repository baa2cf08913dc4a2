package tools

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/bctrlhq/bctrl-mcp/bctrl"
	"github.com/bctrlhq/bctrl-mcp/schema"
	"github.com/mark3labs/mcp-go/mcp"
)

// Invocations gives layers that answer outside a tool call (the Tasks
// extension in tools/tasks) the operations behind the tools, with the same
// validation, redaction, retry memory and results; NewServerAndInvocations
// builds it.
type Invocations struct {
	ts *toolset
}

// ReadOnly reports whether the server may only read invocations (no create, no cancel).
func (v *Invocations) ReadOnly() bool { return v.ts.deps.ReadOnly }

// StartCreate runs a create_invocation call without waiting for the
// invocation: it is the tool itself called with waitSeconds 0. It returns
// the created invocation, or nil and the isError result the tool gave (bad
// input, which never reaches the API, or an API failure).
func (v *Invocations) StartCreate(ctx context.Context, req mcp.CallToolRequest) (*bctrl.Invocation, *mcp.CallToolResult) {
	// Validate the arguments as sent first, so a bad waitSeconds is still reported.
	var in schema.CreateInvocationInput
	if bad := v.ts.decodeArgs(schema.ToolCreate, req, &in); bad != nil {
		return nil, bad
	}
	noWait, err := withoutWait(req)
	if err != nil {
		return nil, mcp.NewToolResultError(fmt.Sprintf("invalid arguments for %s: %v. Nothing was sent to bctrl.", schema.ToolCreate, err))
	}
	res, _ := v.ts.handleCreate(ctx, noWait)
	if res == nil || res.IsError {
		return nil, res
	}
	out, ok := res.StructuredContent.(schema.InvocationOutput)
	if !ok {
		return nil, mcp.NewToolResultError("create_invocation: internal error: unexpected result shape")
	}
	inv := out.Invocation
	return &inv, nil
}

// withoutWait returns req with its arguments' waitSeconds set to 0, every
// other argument kept byte for byte.
func withoutWait(req mcp.CallToolRequest) (mcp.CallToolRequest, error) {
	raw := []byte(req.Params.RawArguments)
	if len(raw) == 0 {
		var err error
		if raw, err = json.Marshal(req.Params.Arguments); err != nil {
			return req, err
		}
	}
	args := map[string]json.RawMessage{}
	if err := json.Unmarshal(raw, &args); err != nil {
		return req, err
	}
	args["waitSeconds"] = json.RawMessage("0")
	raw, err := json.Marshal(args)
	if err != nil {
		return req, err
	}
	req.Params.RawArguments = raw
	req.Params.Arguments = nil
	return req, nil
}

// Get returns the invocation's current state from the API.
func (v *Invocations) Get(ctx context.Context, id string) (*bctrl.Invocation, error) {
	return v.ts.deps.API.GetInvocation(ctx, id)
}

// Cancel asks the API to cancel the invocation; it is refused in read-only mode.
func (v *Invocations) Cancel(ctx context.Context, id string) (*bctrl.Invocation, error) {
	if v.ts.deps.ReadOnly {
		return nil, fmt.Errorf("tools: cancel refused: the server is read-only")
	}
	return v.ts.deps.API.CancelInvocation(ctx, id)
}

// Result is the result get_invocation returns for inv when it does not
// wait: structured content (redacted), the text within the result budget,
// and the files of an ended invocation, listed under ctx.
func (v *Invocations) Result(ctx context.Context, inv *bctrl.Invocation) *mcp.CallToolResult {
	return v.ts.result(ctx, inv, "", "")
}

// StatusLine is the one-line state of inv used in progress messages,
// e.g. "running · step 3/7 · Filling the login form".
func StatusLine(inv *bctrl.Invocation) string { return statusLine(inv) }
