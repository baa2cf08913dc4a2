package tasks

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/bctrlhq/bctrl-mcp/bctrl"
	"github.com/bctrlhq/bctrl-mcp/tools/era"
	"github.com/mark3labs/mcp-go/mcp"
)

// resultEnvelope is what every result of this layer carries (revision 2026-07-28).
type resultEnvelope struct {
	Meta       map[string]any `json:"_meta,omitempty"`
	ResultType string         `json:"resultType"`
}

// taskResult is a CreateTaskResult or a GetTaskResult: the envelope and the task, flat.
type taskResult struct {
	resultEnvelope
	task
}

func (s *Server) envelope(resultType string) resultEnvelope {
	return resultEnvelope{Meta: map[string]any{mcp.MetaKeyServerInfo: s.info}, ResultType: resultType}
}

// toolResult stamps a CallToolResult as mcp-go stamps a 2026-07-28 one.
func (s *Server) toolResult(res *mcp.CallToolResult) *mcp.CallToolResult {
	res.ResultType = mcp.ResultTypeComplete
	if res.Meta == nil {
		res.Meta = &mcp.Meta{}
	}
	res.Meta.SetServerInfo(s.info)
	return res
}

// createTask answers a create_invocation call as a task once bctrl has
// accepted the invocation; bad input and API failures get the tool's own
// isError result.
func (s *Server) createTask(ctx context.Context, req request, message json.RawMessage) mcp.JSONRPCMessage {
	var call mcp.CallToolRequest
	if err := json.Unmarshal(message, &call); err != nil {
		return errorResponse(req.ID, mcp.INVALID_PARAMS, fmt.Sprintf("invalid tools/call params: %v", err), nil)
	}
	inv, failed := s.invs.StartCreate(ctx, call)
	if failed != nil {
		return response(req.ID, s.toolResult(failed))
	}
	return response(req.ID, taskResult{resultEnvelope: s.envelope("task"), task: taskOf(inv)})
}

// serveTaskMethod answers tasks/get, tasks/update and tasks/cancel.
func (s *Server) serveTaskMethod(ctx context.Context, req request) mcp.JSONRPCMessage {
	id, bad := taskID(req)
	if bad != nil {
		return bad
	}
	switch req.Method {
	case era.TasksCancel:
		if _, err := s.invs.Cancel(ctx, id); err != nil && !endedAlready(err) {
			return apiError(req, err)
		}
		return response(req.ID, s.envelope(string(mcp.ResultTypeComplete)))
	case era.TasksUpdate:
		// Our tasks never ask for input, so there is nothing to update; the
		// task must exist all the same.
		if _, err := s.invs.Get(ctx, id); err != nil {
			return apiError(req, err)
		}
		return response(req.ID, s.envelope(string(mcp.ResultTypeComplete)))
	}
	inv, err := s.invs.Get(ctx, id)
	if err != nil {
		return apiError(req, err)
	}
	t := taskOf(inv)
	if t.Status == statusCompleted {
		t.Result = s.toolResult(s.invs.Result(ctx, inv))
	}
	return response(req.ID, taskResult{resultEnvelope: s.envelope(string(mcp.ResultTypeComplete)), task: t})
}

// taskID reads params.taskId, which must be an invocation id (a uuid):
// anything else is an unknown task and never reaches the API.
func taskID(req request) (string, mcp.JSONRPCMessage) {
	var p struct {
		TaskID string `json:"taskId"`
	}
	if json.Unmarshal(req.Params, &p) != nil || p.TaskID == "" {
		return "", errorResponse(req.ID, mcp.INVALID_PARAMS, req.Method+": params.taskId is required: the taskId of a task create_invocation returned", nil)
	}
	if !bctrl.IsID(p.TaskID) {
		return "", errorResponse(req.ID, mcp.INVALID_PARAMS, fmt.Sprintf("Failed to retrieve task: task not found (%q is not a task id of this server)", era.Clip(p.TaskID, 64)), nil)
	}
	return p.TaskID, nil
}

// endedAlready reports a cancel refused because the invocation has ended:
// for a task that is an acknowledged no-op.
func endedAlready(err error) bool {
	var apiErr *bctrl.APIError
	return errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusConflict
}

// apiError turns a failed API call into the JSON-RPC error the extension
// prescribes: -32602 for a task bctrl does not know, -32603 otherwise.
func apiError(req request, err error) mcp.JSONRPCMessage {
	var apiErr *bctrl.APIError
	if errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusNotFound {
		return errorResponse(req.ID, mcp.INVALID_PARAMS, "Failed to retrieve task: task not found", nil)
	}
	msg := fmt.Sprintf("%s failed: could not reach bctrl (%v); try again in a few seconds", req.Method, err)
	if errors.As(err, &apiErr) {
		msg = fmt.Sprintf("%s failed: bctrl answered %d %s", req.Method, apiErr.StatusCode, http.StatusText(apiErr.StatusCode))
		if apiErr.Code != "" {
			msg += " (" + apiErr.Code + ")"
		}
		if apiErr.Message != "" {
			msg += ": " + apiErr.Message
		}
	}
	return errorResponse(req.ID, mcp.INTERNAL_ERROR, msg, nil)
}
