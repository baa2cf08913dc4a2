package tools

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/bctrlhq/bctrl-mcp/bctrl"
	"github.com/bctrlhq/bctrl-mcp/schema"
	"github.com/google/uuid"
	"github.com/mark3labs/mcp-go/mcp"
)

func (ts *toolset) createInvocation() definition {
	tool := ts.newTool(schema.ToolCreate, "Start a browser-agent invocation",
		"Start durable browser-agent work (a Stagehand or browser-use agent) in a live bctrl cloud browser runtime, "+
			"then wait up to waitSeconds (default 20, max 50) for it to finish, sending progress while it runs. "+
			"Returns the invocation: its status, progress, result or error, `terminal`, and a `next` hint. "+
			"If it is still running, call get_invocation. config and options take the fields of the chosen provider only. "+
			"Every call is billed: to retry after an error, pass the same idempotencyKey so no second invocation starts.",
		hints{readOnly: false, destructive: false, idempotent: false, openWorld: true})
	return definition{tool: tool, handler: ts.handleCreate}
}

func (ts *toolset) handleCreate(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
	var in schema.CreateInvocationInput
	if bad := ts.decodeArgs(schema.ToolCreate, req, &in); bad != nil {
		return bad, nil
	}
	spaceID, runtimeID, bad := ts.placement(in)
	if bad != nil {
		return bad, nil
	}
	body := in.CreateInvocationRequest
	if body.IdempotencyKey == "" {
		body.IdempotencyKey = uuid.NewString()
	}
	wait := schema.DefaultCreateWaitSeconds
	if in.WaitSeconds != nil {
		wait = *in.WaitSeconds
	}
	w := ts.beginWait(ctx, req, wait, "starting the invocation")
	defer w.finish()
	inv, err := ts.deps.API.CreateInvocation(w.ctx, spaceID, runtimeID, &body)
	if err != nil {
		ts.deps.Logger.Warn("create invocation failed", "error", err, "idempotencyKey", body.IdempotencyKey)
		return apiFailure("create_invocation", err, createRetryNote(err, body.IdempotencyKey)), nil
	}
	ts.deps.Logger.Info("invocation created", "invocationId", inv.ID, "status", inv.Status)
	final, err := w.follow(inv)
	return invocationResult(final, body.IdempotencyKey, waitNote(err)), nil
}

// placement resolves the space and runtime from the arguments or the server defaults.
func (ts *toolset) placement(in schema.CreateInvocationInput) (string, string, *mcp.CallToolResult) {
	spaceID, runtimeID := in.SpaceID, in.RuntimeID
	if spaceID == "" {
		spaceID = ts.deps.DefaultSpaceID
	}
	if runtimeID == "" {
		runtimeID = ts.deps.DefaultRuntimeID
	}
	var missing []string
	if spaceID == "" {
		missing = append(missing, "spaceId (no default space: the server has no BCTRL_SPACE_ID)")
	}
	if runtimeID == "" {
		missing = append(missing, "runtimeId (no default runtime: the server has no BCTRL_RUNTIME_ID)")
	}
	if len(missing) > 0 {
		return "", "", mcp.NewToolResultError(fmt.Sprintf("invalid arguments for create_invocation: missing %v. Pass the uuid of the space and of a live runtime; nothing was sent to bctrl.", missing))
	}
	return spaceID, runtimeID, nil
}

// createRetryNote says whether the invocation may exist and how to retry without a duplicate.
func createRetryNote(err error, key string) string {
	var apiErr *bctrl.APIError
	if errors.As(err, &apiErr) && apiErr.StatusCode < 500 && apiErr.StatusCode != http.StatusRequestTimeout && apiErr.StatusCode != http.StatusTooManyRequests {
		return fmt.Sprintf("The invocation was not created (idempotencyKey %s).", key)
	}
	return fmt.Sprintf("The invocation may or may not have been created. To retry safely call create_invocation again with the same arguments and idempotencyKey %q: bctrl returns the existing invocation instead of starting a second one.", key)
}

// waitNote explains a wait that ended early on an error after the invocation was seen.
func waitNote(err error) string {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, context.Canceled):
		return "Waiting was cancelled by the client; the invocation keeps running."
	}
	return fmt.Sprintf("Waiting stopped early (%v); the invocation keeps running.", err)
}
