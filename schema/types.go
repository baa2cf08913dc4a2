// Package schema holds the tool input and output types and publishes their
// JSON Schemas, in a form every major MCP client accepts: an inline object
// at the root, no $ref, no top-level unions. The schemas are generated from
// these types with invopop/jsonschema by internal/schemagen (go generate)
// and embedded, so the server reflects nothing at start.
package schema

import (
	"encoding/json"

	"github.com/bctrlhq/bctrl-mcp/bctrl"
)

// Wait bounds shared by the tools, in seconds. Claude Desktop ends a tool
// call after about 60 s, so a single call never waits longer than 50 s.
const (
	MaxWaitSeconds           = 50
	DefaultCreateWaitSeconds = 20
)

// CreateInvocationInput is the create_invocation input: the API request body
// plus where to run it and how long to wait.
type CreateInvocationInput struct {
	SpaceID     string `json:"spaceId,omitempty" jsonschema:"format=uuid,description=Optional when the server has a default space."`
	RuntimeID   string `json:"runtimeId,omitempty" jsonschema:"format=uuid,description=Live runtime (cloud browser) to run in; optional when the server has a default."`
	WaitSeconds *int   `json:"waitSeconds,omitempty" jsonschema:"minimum=0,maximum=50,default=20,description=Wait this long for the end\\, then return the current state."`
	bctrl.CreateInvocationRequest
}

// UnmarshalJSON decodes the tool fields and the request body separately,
// because the embedded request brings its own UnmarshalJSON.
func (in *CreateInvocationInput) UnmarshalJSON(data []byte) error {
	var tool struct {
		SpaceID     string `json:"spaceId"`
		RuntimeID   string `json:"runtimeId"`
		WaitSeconds *int   `json:"waitSeconds"`
	}
	if err := json.Unmarshal(data, &tool); err != nil {
		return err
	}
	var req bctrl.CreateInvocationRequest
	if err := json.Unmarshal(data, &req); err != nil {
		return err
	}
	*in = CreateInvocationInput{SpaceID: tool.SpaceID, RuntimeID: tool.RuntimeID, WaitSeconds: tool.WaitSeconds, CreateInvocationRequest: req}
	return nil
}

// GetInvocationInput is the get_invocation input.
type GetInvocationInput struct {
	InvocationID string `json:"invocationId" jsonschema:"required,format=uuid,description=Id returned by create_invocation."`
	WaitSeconds  *int   `json:"waitSeconds,omitempty" jsonschema:"minimum=0,maximum=50,default=0,description=It returns as soon as the invocation ends."`
}

// CancelInvocationInput is the cancel_invocation input.
type CancelInvocationInput struct {
	InvocationID string `json:"invocationId" jsonschema:"required,format=uuid,description=Id returned by create_invocation."`
}

// InvocationOutput is every tool's structured result: the invocation with
// all its API fields (those a newer API adds too), whether it has ended,
// what to call next, and the files it produced.
type InvocationOutput struct {
	bctrl.Invocation
	Terminal       bool   `json:"terminal" jsonschema:"required,description=True once the invocation has ended (succeeded/failed/cancelled/timed_out) and will not change."`
	Next           string `json:"next" jsonschema:"required,description=What to call next."`
	IdempotencyKey string `json:"idempotencyKey,omitempty" jsonschema:"description=Key the create used; pass it again to retry the create without starting a second invocation."`
	// Artifacts are left out of the published schema, whose top level is
	// open: typed, with the items every array needs, they would cost 165
	// bytes of tools/list (three tools) for a field clients only display.
	Artifacts []Artifact `json:"artifacts,omitempty" jsonschema:"-"`
}

// Artifact is a file an ended invocation's run produced, as its result
// lists it: uri is the resource (bctrl://runs/{runId}/artifacts/{id}) that
// resources/read returns the file from. The live panel reads these fields.
type Artifact struct {
	ID          string `json:"id"`
	RunID       string `json:"runId"`
	Name        string `json:"name"`
	Kind        string `json:"kind,omitempty"`
	ContentType string `json:"contentType,omitempty"`
	SizeBytes   *int64 `json:"sizeBytes,omitempty"`
	CreatedAt   string `json:"createdAt,omitempty"`
	URI         string `json:"uri"`
}
