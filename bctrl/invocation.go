package bctrl

import "encoding/json"

// Status is the lifecycle state of an invocation.
type Status string

// Invocation statuses. Cancelling is transitional; the last four are terminal.
const (
	StatusQueued      Status = "queued"
	StatusDispatching Status = "dispatching"
	StatusRunning     Status = "running"
	StatusCancelling  Status = "cancelling"
	StatusSucceeded   Status = "succeeded"
	StatusFailed      Status = "failed"
	StatusCancelled   Status = "cancelled"
	StatusTimedOut    Status = "timed_out"
)

// Terminal reports whether the invocation has ended and will not change again.
func (s Status) Terminal() bool {
	switch s {
	case StatusSucceeded, StatusFailed, StatusCancelled, StatusTimedOut:
		return true
	}
	return false
}

// Invocation is the invocation object every endpoint returns. Nullable API
// fields are empty (strings) or nil (pointers) when the API sent null;
// the counters (SequenceNo, StepCount, ArtifactCount) are pointers so that
// 0 stays a value, distinct from an answer without them. Fields the type does
// not know are kept in Extra.
type Invocation struct {
	ID                string            `json:"id" jsonschema:"required,format=uuid,description=Invocation id: pass it to get_invocation and cancel_invocation."`
	Status            Status            `json:"status" jsonschema:"required,enum=queued,enum=dispatching,enum=running,enum=cancelling,enum=succeeded,enum=failed,enum=cancelled,enum=timed_out,description=Lifecycle state; succeeded/failed/cancelled/timed_out are final."`
	SpaceID           string            `json:"spaceId,omitempty" jsonschema:"format=uuid,description=Space that owns the runtime."`
	RuntimeID         string            `json:"runtimeId,omitempty" jsonschema:"format=uuid,description=Runtime the agent runs in."`
	RunID             string            `json:"runId,omitempty" jsonschema:"format=uuid,description=Run of the runtime this invocation belongs to."`
	RuntimeKind       string            `json:"runtimeKind,omitempty" jsonschema:"enum=browser,enum=desktop,enum=spreadsheet,description=Kind of runtime."`
	ExecutionMode     string            `json:"executionMode,omitempty" jsonschema:"enum=inline,enum=durable,description=How the platform executes it."`
	EntryCall         string            `json:"entryCall,omitempty" jsonschema:"description=Platform call that started it."`
	SequenceNo        *int64            `json:"sequenceNo,omitempty" jsonschema:"description=Position among the run's commands."`
	StepCount         *int64            `json:"stepCount,omitempty" jsonschema:"description=Agent steps taken so far."`
	ArtifactCount     *int64            `json:"artifactCount,omitempty" jsonschema:"description=Artifacts produced so far."`
	Progress          *Progress         `json:"progress,omitempty" jsonschema:"description=Live progress while it runs."`
	Result            *InvocationResult `json:"result,omitempty" jsonschema:"description=Outcome of the agent's steps once it has run."`
	Error             *InvocationError  `json:"error,omitempty" jsonschema:"description=Why it failed or was cancelled or timed out."`
	Request           *InvocationRecord `json:"request,omitempty" jsonschema:"description=The command the platform recorded for it."`
	Metadata          map[string]any    `json:"metadata,omitempty" jsonschema:"description=Metadata given at create."`
	Connector         string            `json:"connector,omitempty" jsonschema:"description=Connector that executed it."`
	CorrelationID     string            `json:"correlationId,omitempty" jsonschema:"description=Correlation id for support."`
	CreatedAt         string            `json:"createdAt,omitempty" jsonschema:"description=When it was created (RFC 3339)."`
	StartedAt         string            `json:"startedAt,omitempty" jsonschema:"description=When it started running."`
	FinishedAt        string            `json:"finishedAt,omitempty" jsonschema:"description=When it ended."`
	LastHeartbeatAt   string            `json:"lastHeartbeatAt,omitempty" jsonschema:"description=Last sign of life from the agent."`
	CancelRequestedAt string            `json:"cancelRequestedAt,omitempty" jsonschema:"description=When cancellation was requested."`
	DurationMS        *int64            `json:"durationMs,omitempty" jsonschema:"description=Run time in milliseconds once ended."`
	// Extra holds the top-level fields of the answer that this type does
	// not know (a newer API's), as they came; they are written back when
	// the invocation is encoded (see invocation_json.go).
	Extra map[string]json.RawMessage `json:"-"`
}

// Progress is the live progress of a running invocation.
type Progress struct {
	Step          int64  `json:"step,omitempty" jsonschema:"description=Current step number."`
	TotalSteps    int64  `json:"totalSteps,omitempty" jsonschema:"description=Expected number of steps when known."`
	Message       string `json:"message,omitempty" jsonschema:"description=What the agent is doing now."`
	CurrentCall   string `json:"currentCall,omitempty" jsonschema:"description=Platform call in progress."`
	LastEventType string `json:"lastEventType,omitempty" jsonschema:"description=Type of the last event seen."`
}

// InvocationError says why an invocation did not succeed.
type InvocationError struct {
	Code    string         `json:"code,omitempty" jsonschema:"description=Machine-readable code such as invocation.failed."`
	Message string         `json:"message" jsonschema:"required,description=Human-readable reason."`
	Details map[string]any `json:"details,omitempty" jsonschema:"description=Extra structured detail."`
}

// InvocationResult is the outcome of the agent's steps.
type InvocationResult struct {
	Mode      string `json:"mode,omitempty" jsonschema:"enum=fail-fast,description=Step execution mode."`
	OK        bool   `json:"ok" jsonschema:"required,description=Whether every step succeeded."`
	RuntimeID string `json:"runtimeId,omitempty" jsonschema:"format=uuid,description=Runtime the steps ran in."`
	Steps     []Step `json:"steps" jsonschema:"required,description=The steps in order."`
}

// Step is one executed step: on success OK is true with Result (and
// Resolved/Binding); on failure OK is false with Error.
type Step struct {
	Index    int64         `json:"index" jsonschema:"required,description=Position of the step."`
	Call     string        `json:"call" jsonschema:"required,description=Platform call the step made."`
	OK       bool          `json:"ok" jsonschema:"required,description=Whether the step succeeded."`
	Result   any           `json:"result,omitempty" jsonschema:"description=What the step returned (any JSON)."`
	Resolved *StepResolved `json:"resolved,omitempty" jsonschema:"description=Where the call was resolved."`
	Binding  *StepBinding  `json:"binding,omitempty" jsonschema:"description=Handle the step bound."`
	Error    *StepError    `json:"error,omitempty" jsonschema:"description=Why the step failed."`
}

// StepResolved says where a step's call was executed.
type StepResolved struct {
	Call      string `json:"call,omitempty" jsonschema:"description=Resolved call."`
	Method    string `json:"method,omitempty" jsonschema:"description=Driver method."`
	Target    string `json:"target,omitempty" jsonschema:"description=Target kind."`
	RuntimeID string `json:"runtimeId,omitempty" jsonschema:"description=Runtime id."`
	ContextID string `json:"contextId,omitempty" jsonschema:"description=Browser context id."`
	PageID    string `json:"pageId,omitempty" jsonschema:"description=Page id."`
	HandleID  string `json:"handleId,omitempty" jsonschema:"description=Handle id."`
	Ref       string `json:"ref,omitempty" jsonschema:"description=Reference used."`
}

// StepBinding is a handle a step bound to an alias.
type StepBinding struct {
	Alias string `json:"alias,omitempty" jsonschema:"description=Alias bound."`
	ID    string `json:"id,omitempty" jsonschema:"description=Bound object id."`
	Type  string `json:"type,omitempty" jsonschema:"enum=page,enum=context,enum=handle,enum=subscription,description=Kind of bound object."`
}

// StepError says why a step failed.
type StepError struct {
	Code       string          `json:"code" jsonschema:"required,enum=UNKNOWN_CALL,enum=UNKNOWN_REF,enum=INVALID_ARGS,enum=CAPABILITY_NOT_AVAILABLE,enum=TIMEOUT,enum=RUNTIME_NOT_FOUND,enum=DRIVER_NOT_CONNECTED,enum=SUBSCRIPTION_CURSOR_CONFLICT,enum=SUBSCRIPTION_GONE,description=Error code."`
	Message    string          `json:"message" jsonschema:"required,description=What went wrong."`
	Hint       string          `json:"hint,omitempty" jsonschema:"description=How to fix it."`
	Diagnostic *StepDiagnostic `json:"diagnostic,omitempty" jsonschema:"description=Detailed diagnosis."`
}

// StepDiagnostic is the detailed diagnosis of a failed step.
type StepDiagnostic struct {
	ID       string   `json:"id" jsonschema:"required,description=Diagnostic id."`
	Call     string   `json:"call,omitempty" jsonschema:"description=Call diagnosed."`
	Category string   `json:"category,omitempty" jsonschema:"enum=arg-shape,enum=semantic,enum=runtime,description=Kind of problem."`
	Code     string   `json:"code,omitempty" jsonschema:"description=Diagnostic code."`
	Closest  []string `json:"closest,omitempty" jsonschema:"description=Closest valid alternatives."`
	DocsURL  string   `json:"docsUrl,omitempty" jsonschema:"description=Documentation link."`
	Driver   string   `json:"driver,omitempty" jsonschema:"description=Driver involved."`
	Expected string   `json:"expected,omitempty" jsonschema:"description=What was expected."`
	Received string   `json:"received,omitempty" jsonschema:"description=What was received."`
	Fixes    []Fix    `json:"fixes,omitempty" jsonschema:"description=Suggested fixes."`
}

// Fix is one suggested fix of a diagnostic.
type Fix struct {
	Title   string `json:"title" jsonschema:"required,description=What to do."`
	Command string `json:"command,omitempty" jsonschema:"description=Command to run."`
	Example string `json:"example,omitempty" jsonschema:"description=Example."`
}

// InvocationRecord is the command record the platform keeps for an invocation.
type InvocationRecord struct {
	IdempotencyKey string       `json:"idempotencyKey,omitempty" jsonschema:"description=Idempotency key of the create."`
	Mode           string       `json:"mode,omitempty" jsonschema:"enum=fail-fast,description=Step execution mode."`
	RuntimeID      string       `json:"runtimeId,omitempty" jsonschema:"format=uuid,description=Runtime id."`
	Steps          []RecordStep `json:"steps,omitempty" jsonschema:"description=Recorded steps."`
}

// RecordStep is one recorded call of an InvocationRecord.
type RecordStep struct {
	Call    string             `json:"call" jsonschema:"required,description=Platform call."`
	Args    []any              `json:"args,omitempty" jsonschema:"description=Call arguments (secrets redacted)."`
	Bind    string             `json:"bind,omitempty" jsonschema:"description=Alias to bind the result to."`
	Ref     string             `json:"ref,omitempty" jsonschema:"description=Reference to act on."`
	Options *RecordStepOptions `json:"options,omitempty" jsonschema:"description=Call options."`
}

// RecordStepOptions are the options of a recorded call.
type RecordStepOptions struct {
	DryRun    *bool  `json:"dryRun,omitempty" jsonschema:"description=Whether it was a dry run."`
	TimeoutMS *int64 `json:"timeoutMs,omitempty" jsonschema:"description=Call timeout in milliseconds."`
}

// Steps returns the agent steps taken so far, 0 when the API did not say.
func (inv *Invocation) Steps() int64 {
	if inv.StepCount == nil {
		return 0
	}
	return *inv.StepCount
}
