package tools

import (
	"encoding/json"
	"fmt"
	"unicode/utf8"

	"github.com/bctrlhq/bctrl-mcp/bctrl/jsonval"
	"github.com/mark3labs/mcp-go/mcp"
)

// decodeArgs validates a call's arguments against the tool's published
// schema and decodes them into out. A problem comes back as an isError
// result that names each offending field; nothing reaches the API.
func (ts *toolset) decodeArgs(tool string, req mcp.CallToolRequest, out any) *mcp.CallToolResult {
	raw := []byte(req.Params.RawArguments) // exact bytes when they came from the wire
	if len(raw) == 0 {
		args := req.Params.Arguments
		if args == nil {
			args = map[string]any{}
		}
		var err error
		if raw, err = json.Marshal(args); err != nil {
			return mcp.NewToolResultError(fmt.Sprintf("invalid arguments for %s: %v", tool, err))
		}
	}
	if problem := screen(raw); problem != "" {
		return mcp.NewToolResultError(fmt.Sprintf("invalid arguments for %s: %s. Nothing was sent to bctrl.", tool, problem))
	}
	if problems := ts.validator.Check(tool, raw); len(problems) > 0 {
		return mcp.NewToolResultError(fmt.Sprintf("invalid arguments for %s: %s. Fix these fields and call %s again; nothing was sent to bctrl.",
			tool, jsonval.Summary(problems), tool))
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return mcp.NewToolResultError(fmt.Sprintf("invalid arguments for %s: %v. Nothing was sent to bctrl.", tool, err))
	}
	return nil
}

// Limits on raw arguments, checked before schema validation so that hostile
// input costs little: no tool needs more than a fraction of these.
const (
	maxArgumentBytes = 1 << 20
	maxArgumentDepth = 32
)

// screen rejects arguments that are too large, not UTF-8 or nested too
// deeply, and returns why; "" means they may be validated.
func screen(raw []byte) string {
	if len(raw) > maxArgumentBytes {
		return fmt.Sprintf("the arguments are %d bytes; the limit is %d", len(raw), maxArgumentBytes)
	}
	if !utf8.Valid(raw) {
		return "the arguments contain invalid UTF-8; send text as UTF-8"
	}
	if depth := jsonDepth(raw); depth > maxArgumentDepth {
		return fmt.Sprintf("the arguments nest %d levels deep; the limit is %d", depth, maxArgumentDepth)
	}
	return ""
}

// jsonDepth returns the deepest nesting of objects and arrays in raw,
// scanning bytes (strings skipped) rather than decoding: it runs on every call.
func jsonDepth(raw []byte) int {
	depth, deepest, inString, escaped := 0, 0, false, false
	for _, c := range raw {
		switch {
		case inString && escaped:
			escaped = false
		case inString && c == '\\':
			escaped = true
		case c == '"':
			inString = !inString
		case inString:
		case c == '{' || c == '[':
			depth++
			deepest = max(deepest, depth)
		case c == '}' || c == ']':
			depth--
		}
	}
	return deepest
}
