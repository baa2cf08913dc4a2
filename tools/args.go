package tools

import (
	"encoding/json"
	"fmt"

	"github.com/bctrlhq/bctrl-mcp/schema/jsonval"
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
	if problems := ts.validator.Check(tool, raw); len(problems) > 0 {
		return mcp.NewToolResultError(fmt.Sprintf("invalid arguments for %s: %s. Fix these fields and call %s again; nothing was sent to bctrl.",
			tool, jsonval.Summary(problems), tool))
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return mcp.NewToolResultError(fmt.Sprintf("invalid arguments for %s: %v. Nothing was sent to bctrl.", tool, err))
	}
	return nil
}
