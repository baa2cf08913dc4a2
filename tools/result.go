package tools

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/bctrlhq/bctrl-mcp/bctrl"
	"github.com/bctrlhq/bctrl-mcp/schema"
	"github.com/mark3labs/mcp-go/mcp"
)

// invocationResult is the result every tool returns for an invocation:
// structured content matching the output schema plus a short text, both
// made from the redacted invocation.
func invocationResult(raw *bctrl.Invocation, idempotencyKey, note string) *mcp.CallToolResult {
	clean := redactInvocation(*raw)
	inv := &clean
	out := schema.InvocationOutput{
		Invocation:     clean,
		Terminal:       inv.Status.Terminal(),
		Next:           nextHint(inv),
		IdempotencyKey: idempotencyKey,
	}
	text := summary(inv)
	if note != "" {
		text += "\n" + note
	}
	text += "\nNext: " + out.Next
	return mcp.NewToolResultStructured(out, text)
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

// summary is the text a model reads first.
func summary(inv *bctrl.Invocation) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Invocation %s: %s", inv.ID, statusLine(inv))
	if inv.DurationMS != nil {
		fmt.Fprintf(&b, " after %s", (time.Duration(*inv.DurationMS) * time.Millisecond).Round(100*time.Millisecond))
	}
	if inv.Status.Terminal() && inv.StepCount > 0 {
		fmt.Fprintf(&b, ", %d steps", inv.StepCount)
	}
	b.WriteString(".")
	if e := inv.Error; e != nil {
		fmt.Fprintf(&b, "\nError: %s", e.Message)
		if e.Code != "" {
			fmt.Fprintf(&b, " (%s)", e.Code)
		}
	}
	if r := inv.Result; r != nil {
		for _, s := range r.Steps {
			switch {
			case s.OK && s.Result != nil:
				fmt.Fprintf(&b, "\nResult: %s", compactJSON(s.Result, 1500))
			case !s.OK && s.Error != nil:
				fmt.Fprintf(&b, "\nStep %d (%s) failed: %s", s.Index, s.Call, s.Error.Message)
				if s.Error.Hint != "" {
					fmt.Fprintf(&b, " Hint: %s", s.Error.Hint)
				}
			}
		}
	}
	return b.String()
}

// nextHint tells the assistant what to call next.
func nextHint(inv *bctrl.Invocation) string {
	switch inv.Status {
	case bctrl.StatusSucceeded:
		return "nothing: the invocation succeeded and its result is above."
	case bctrl.StatusFailed, bctrl.StatusTimedOut:
		return "read the error; to try again call create_invocation with a new idempotencyKey (or none)."
	case bctrl.StatusCancelled:
		return "nothing: the invocation was cancelled."
	case bctrl.StatusCancelling:
		return fmt.Sprintf("call get_invocation with invocationId %s and waitSeconds 50 to see it end.", inv.ID)
	}
	return fmt.Sprintf("call get_invocation with invocationId %s and waitSeconds 50 to keep following it, or cancel_invocation to stop it.", inv.ID)
}

func compactJSON(v any, limit int) string {
	raw, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	if len(raw) > limit {
		return strings.ToValidUTF8(string(raw[:limit]), "") + "…"
	}
	return string(raw)
}
