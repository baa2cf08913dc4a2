package tools

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strings"

	"github.com/bctrlhq/bctrl-mcp/bctrl"
	"github.com/mark3labs/mcp-go/mcp"
)

// apiFailure turns an error from the bctrl client into an isError result
// that says what happened and what to do next. This is the one place
// where API errors meet the model: handlers never return them as Go errors.
func apiFailure(action string, err error, next string) *mcp.CallToolResult {
	var b strings.Builder
	fmt.Fprintf(&b, "%s failed: ", action)
	var apiErr *bctrl.APIError
	var redirect *bctrl.RedirectError
	switch {
	case errors.As(err, &redirect):
		fmt.Fprintf(&b, "bctrl answered with a %d redirect to %s, which is not followed: API calls stay on the origin of BCTRL_BASE_URL.\nWhat to do: the user must check BCTRL_BASE_URL in the MCP server configuration. Retrying will not help.", redirect.StatusCode, redirect.Location)
	case errors.As(err, &apiErr):
		b.WriteString(describeAPIError(apiErr))
		if advice := adviceFor(apiErr); advice != "" {
			b.WriteString("\nWhat to do: " + advice)
		}
	case errors.Is(err, context.Canceled):
		b.WriteString("the request was cancelled before bctrl answered.")
	case errors.Is(err, context.DeadlineExceeded):
		b.WriteString("bctrl did not answer in time.\nWhat to do: try again in a few seconds.")
	default:
		fmt.Fprintf(&b, "could not reach bctrl: %v.\nWhat to do: try again in a few seconds; if it keeps failing check the network and BCTRL_BASE_URL.", err)
	}
	if next != "" {
		b.WriteString("\n" + next)
	}
	return mcp.NewToolResultError(b.String())
}

// describeAPIError lists status, code, message, hint and request id.
func describeAPIError(e *bctrl.APIError) string {
	var b strings.Builder
	fmt.Fprintf(&b, "bctrl answered %d %s", e.StatusCode, http.StatusText(e.StatusCode))
	if e.Code != "" {
		fmt.Fprintf(&b, " (%s)", e.Code)
	}
	fmt.Fprintf(&b, ": %s", strings.TrimSuffix(e.Message, "."))
	b.WriteString(".")
	if e.Hint != "" {
		fmt.Fprintf(&b, " Hint: %s.", strings.TrimSuffix(e.Hint, "."))
	}
	if e.RequestID != "" {
		fmt.Fprintf(&b, " Request id: %s.", e.RequestID)
	}
	return b.String()
}

// adviceFor is the next step for each class of API error.
func adviceFor(e *bctrl.APIError) string {
	code := strings.ToLower(e.Code)
	switch {
	case e.OutcomeUnknown():
		return "the outcome is unknown and the action may have happened; do not repeat it blindly. Check with get_invocation, or repeat a create with the same idempotencyKey, which cannot start a second invocation."
	case e.StatusCode == http.StatusUnauthorized:
		return "the API key was refused; the user must fix BCTRL_API_KEY in the MCP server configuration. Retrying will not help."
	case e.StatusCode == http.StatusForbidden:
		return "the API key may not do this; the user must grant access or use another key. Retrying will not help."
	case e.StatusCode == http.StatusPaymentRequired:
		return "the account is out of credits or at its concurrency quota; wait for other invocations to end, or ask the user to add credits. Retrying now will fail again."
	case e.StatusCode == http.StatusNotFound:
		return "check the ids: invocationId must come from create_invocation, and spaceId/runtimeId must name an existing space and live runtime."
	case e.StatusCode == http.StatusConflict && strings.Contains(code, "idempot"):
		return "this idempotencyKey was already used with different arguments; repeat with the original arguments, or use a new key (or none) for new work."
	case e.StatusCode == http.StatusConflict && strings.Contains(code, "controller") && strings.Contains(code, "busy"):
		return "the runtime is busy with another controller or invocation; wait for it to end (get_invocation) or cancel it, then try again."
	case e.StatusCode == http.StatusConflict:
		return "the runtime or invocation is not in a state that allows this; check it with get_invocation."
	case e.StatusCode == http.StatusTooManyRequests:
		return fmt.Sprintf("rate limited; retry after %ds.", max(1, int(math.Ceil(e.RetryAfter.Seconds()))))
	case e.StatusCode == http.StatusBadRequest || e.StatusCode == http.StatusUnprocessableEntity:
		return "fix the arguments named above and call again."
	case e.StatusCode >= 500:
		return "bctrl had a temporary problem; try again in a few seconds."
	}
	return ""
}
