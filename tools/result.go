package tools

import (
	"context"
	"fmt"
	"strings"

	"github.com/bctrlhq/bctrl-mcp/bctrl"
	"github.com/bctrlhq/bctrl-mcp/schema"
	"github.com/mark3labs/mcp-go/mcp"
)

// result is the result every tool returns for an invocation, made from the
// redacted invocation: structured content matching the output schema,
// whole, and content for clients that read only that: a text carrying the
// whole answer up to the result budget (above it, the first part and a
// resource_link to the whole invocation), the files an ended invocation
// produced as resource_links, and small images inline while the budget
// allows. ctx bounds the API calls that list and fetch the files.
func (ts *toolset) result(ctx context.Context, raw *bctrl.Invocation, idempotencyKey, note string) *mcp.CallToolResult {
	clean := redactInvocation(*raw)
	inv := &clean
	files := ts.invocationFiles(ctx, inv)
	budget := ts.deps.resultBudget()
	text, cut := resultText(inv, files, note, budget)
	out := schema.InvocationOutput{
		Invocation:     clean,
		Terminal:       inv.Status.Terminal(),
		Next:           nextHint(inv, cut, files),
		IdempotencyKey: idempotencyKey,
		Artifacts:      files.entries(),
	}
	res := mcp.NewToolResultStructured(out, text)
	if cut {
		link := mcp.NewResourceLink(InvocationURI(inv.ID), "invocation "+inv.ID,
			"The whole invocation as JSON, with the agent's whole answer under result.", "application/json")
		res.Content = append(res.Content, link)
	}
	res.Content = append(res.Content, files.links()...)
	res.Content = append(res.Content, ts.inlineImages(ctx, files, budget-runeCount(text))...)
	return res
}

// output is the structured content of inv without its texts' budget: what
// the invocation resource returns.
func (ts *toolset) output(ctx context.Context, raw *bctrl.Invocation) schema.InvocationOutput {
	clean := redactInvocation(*raw)
	files := ts.invocationFiles(ctx, &clean)
	return schema.InvocationOutput{Invocation: clean, Terminal: clean.Status.Terminal(), Next: nextHint(&clean, false, files), Artifacts: files.entries()}
}

// statusLine is the one-line state used in texts, progress and logs,
// e.g. "running · step 3/7 · Filling the login form".
func statusLine(inv *bctrl.Invocation) string {
	parts := []string{string(inv.Status)}
	if p := inv.Progress; p != nil && !inv.Status.Terminal() {
		switch {
		case p.Step > 0 && p.TotalSteps > 0:
			parts = append(parts, fmt.Sprintf("step %d/%d", p.Step, p.TotalSteps))
		case p.Step > 0:
			parts = append(parts, fmt.Sprintf("step %d", p.Step))
		}
		if p.Message != "" {
			parts = append(parts, p.Message)
		}
	}
	return strings.Join(parts, " · ")
}

// nextHint tells the assistant what to call next, and where the answer
// and the files are: in structuredContent there is no "above".
func nextHint(inv *bctrl.Invocation, cut bool, files invocationFiles) string {
	switch inv.Status {
	case bctrl.StatusSucceeded:
		hint := `nothing: the invocation succeeded; its answer is result.steps[].result (in the text after "Result:").`
		if cut {
			hint = fmt.Sprintf("nothing: the invocation succeeded; its answer is result.steps[].result. The text shows only its first part; resources/read of %s returns it whole.", InvocationURI(inv.ID))
		}
		return hint + files.hint()
	case bctrl.StatusFailed, bctrl.StatusTimedOut:
		return "read the error; to try again call create_invocation with a new idempotencyKey (or none)." + files.hint()
	case bctrl.StatusCancelled:
		return "nothing: the invocation was cancelled." + files.hint()
	case bctrl.StatusCancelling:
		return fmt.Sprintf("call get_invocation with invocationId %s and waitSeconds 50 to see it end.", inv.ID)
	}
	return fmt.Sprintf("call get_invocation with invocationId %s and waitSeconds 50 to keep following it, or cancel_invocation to stop it.", inv.ID)
}
