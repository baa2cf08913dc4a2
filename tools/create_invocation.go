package tools

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/bctrlhq/bctrl-mcp/bctrl"
	"github.com/bctrlhq/bctrl-mcp/schema"
	"github.com/mark3labs/mcp-go/mcp"
)

func (ts *toolset) createInvocation() definition {
	tool := ts.newTool(schema.ToolCreate, "Start a browser agent",
		"Start durable browser-agent work in a live bctrl cloud browser and wait up to waitSeconds for it to end, "+
			"reporting progress. Returns the invocation with `terminal` and a `next` hint. "+
			"Each call is billed: to retry after an error, pass the same idempotencyKey.",
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
	// A repeat of a create the client gave up on reuses its key; see retryMemory.
	retry := ts.retries.claim(ctx, spaceID, runtimeID, &body)
	defer retry.release()
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
	return ts.result(w.ctx, final, body.IdempotencyKey, retry.annotate(waitNote(err))), nil
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
	var missing, defaults, what []string
	if spaceID == "" {
		missing = append(missing, "spaceId")
		defaults = append(defaults, "space (BCTRL_SPACE_ID)")
		what = append(what, "spaceId (the uuid of the bctrl space)")
	}
	if runtimeID == "" {
		missing = append(missing, "runtimeId")
		defaults = append(defaults, "runtime (BCTRL_RUNTIME_ID)")
		what = append(what, "runtimeId (the uuid of a live runtime, i.e. cloud browser, in that space)")
	}
	if len(missing) == 0 {
		return spaceID, runtimeID, nil
	}
	verb := "is"
	if len(missing) > 1 {
		verb = "are"
	}
	return "", "", mcp.NewToolResultError(fmt.Sprintf("invalid arguments for create_invocation: %s %s missing and this server has no default %s. "+
		"Call create_invocation again with %s; if you do not know the ids, ask the user for them (or to set the defaults in the MCP server configuration). Nothing was sent to bctrl.",
		strings.Join(missing, " and "), verb, strings.Join(defaults, " or "), strings.Join(what, " and ")))
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
