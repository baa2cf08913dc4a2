package bctrlsim

import (
	"time"
)

// record is one stored invocation.
type record struct {
	id, spaceID, runtimeID, runID string
	sequenceNo                    int64
	idempotencyKey                string
	instruction                   string
	body                          map[string]any
	metadata                      map[string]any
	plan                          plan
	createdAt                     time.Time
	cancelAt                      *time.Time    // when cancel was requested, if it was
	changed                       chan struct{} // closed and replaced when cancel changes the plan
}

// wire is the invocation exactly as the API sends it: every field present, null where unknown.
type wire struct {
	ArtifactCount     int64          `json:"artifactCount"`
	CancelRequestedAt *string        `json:"cancelRequestedAt"`
	Connector         *string        `json:"connector"`
	CorrelationID     *string        `json:"correlationId"`
	CreatedAt         string         `json:"createdAt"`
	DurationMS        *int64         `json:"durationMs"`
	EntryCall         string         `json:"entryCall"`
	Error             *wireError     `json:"error"`
	ExecutionMode     string         `json:"executionMode"`
	FinishedAt        *string        `json:"finishedAt"`
	ID                string         `json:"id"`
	LastHeartbeatAt   *string        `json:"lastHeartbeatAt"`
	Metadata          map[string]any `json:"metadata"`
	Progress          *wireProgress  `json:"progress"`
	Request           map[string]any `json:"request"`
	Result            map[string]any `json:"result"`
	RunID             string         `json:"runId"`
	RuntimeID         string         `json:"runtimeId"`
	RuntimeKind       string         `json:"runtimeKind"`
	SequenceNo        int64          `json:"sequenceNo"`
	SpaceID           string         `json:"spaceId"`
	StartedAt         *string        `json:"startedAt"`
	Status            string         `json:"status"`
	StepCount         int64          `json:"stepCount"`
}

type wireError struct {
	Code    string         `json:"code"`
	Message string         `json:"message"`
	Details map[string]any `json:"details,omitempty"`
}

type wireProgress struct {
	CurrentCall   string `json:"currentCall"`
	LastEventType string `json:"lastEventType"`
	Message       string `json:"message"`
	Step          int64  `json:"step"`
	TotalSteps    int64  `json:"totalSteps"`
}

// endTime is when the invocation reaches a terminal state, and whether it ever does.
func (r *record) endTime() (time.Time, bool) {
	natural := r.createdAt.Add(r.plan.endAt())
	hangs := r.plan.outcome == OutcomeHang
	if r.cancelAt != nil {
		cancelled := r.cancelAt.Add(r.plan.step)
		if hangs || cancelled.Before(natural) {
			return cancelled, true
		}
	}
	return natural, !hangs
}

// at renders the invocation as it is at time now.
func (r *record) at(now time.Time) wire {
	w := wire{
		CreatedAt: stamp(r.createdAt), EntryCall: "agent.execute", ExecutionMode: "durable",
		ID: r.id, Metadata: r.metadata, RunID: r.runID, RuntimeID: r.runtimeID, RuntimeKind: "browser",
		SequenceNo: r.sequenceNo, SpaceID: r.spaceID,
		Request: map[string]any{
			"idempotencyKey": r.idempotencyKey, "mode": "fail-fast", "runtimeId": r.runtimeID,
			"steps": []any{map[string]any{"call": "agent.execute", "args": []any{r.body}}},
		},
	}
	w.ArtifactCount = int64(len(r.artifactsAt(now)))
	elapsed := now.Sub(r.createdAt)
	end, ends := r.endTime()
	started := r.createdAt.Add(r.plan.runAt())
	switch {
	case ends && !now.Before(end):
		r.finish(&w, end, started)
		return w
	case r.cancelAt != nil && !now.Before(*r.cancelAt):
		w.Status = "cancelling"
	case elapsed < r.plan.dispatchAt():
		w.Status = "queued"
		return w
	case elapsed < r.plan.runAt():
		w.Status = "dispatching"
	default:
		w.Status = "running"
	}
	if r.cancelAt != nil {
		w.CancelRequestedAt = ptr(stamp(*r.cancelAt))
	}
	r.live(&w, now, started)
	return w
}

// live fills heartbeat and progress of an invocation that is still going.
func (r *record) live(w *wire, now, started time.Time) {
	dispatched := r.createdAt.Add(r.plan.dispatchAt())
	if now.Before(dispatched) {
		return
	}
	beats := now.Sub(dispatched) / r.plan.step
	w.LastHeartbeatAt = ptr(stamp(dispatched.Add(beats * r.plan.step)))
	if now.Before(started) {
		w.Progress = &wireProgress{CurrentCall: "agent.execute", LastEventType: "runtime.dispatched", Message: "Starting the agent", TotalSteps: int64(r.plan.steps)}
		return
	}
	w.StartedAt = ptr(stamp(started))
	step := min(int(now.Sub(started)/r.plan.step)+1, r.plan.steps)
	w.StepCount = int64(step)
	w.Progress = &wireProgress{
		CurrentCall: "agent.execute", LastEventType: "agent.step", Message: stepMessage(step),
		Step: int64(step), TotalSteps: int64(r.plan.steps),
	}
}

// finish fills the terminal state reached at end.
func (r *record) finish(w *wire, end, started time.Time) {
	w.FinishedAt = ptr(stamp(end))
	if r.cancelAt != nil {
		w.CancelRequestedAt = ptr(stamp(*r.cancelAt))
	}
	from := r.createdAt
	if end.After(started) {
		w.StartedAt = ptr(stamp(started))
		from = started
	}
	w.DurationMS = ptr(end.Sub(from).Milliseconds())
	steps := min(int(max(end.Sub(started), 0)/r.plan.step), r.plan.steps)
	w.StepCount = int64(steps)
	w.LastHeartbeatAt = ptr(stamp(end))
	cancelled := r.cancelAt != nil && (r.plan.outcome == OutcomeHang || end.Before(r.createdAt.Add(r.plan.endAt())))
	switch {
	case cancelled:
		w.Status = "cancelled"
		w.Error = &wireError{Code: "invocation.cancelled", Message: "The invocation was cancelled on request."}
	case r.plan.outcome == OutcomeFailed:
		w.Status = "failed"
		w.Error = &wireError{Code: "invocation.stagehand_failed", Message: "The agent could not complete the task: the login form rejected the credentials.", Details: map[string]any{"step": steps}}
		w.Result = r.result(false, steps)
	case r.plan.outcome == OutcomeTimedOut:
		w.Status = "timed_out"
		w.Error = &wireError{Code: "invocation.timed_out", Message: "The invocation exceeded its time limit."}
	default:
		w.Status = "succeeded"
		w.Result = r.result(true, steps)
	}
}

func (r *record) result(ok bool, steps int) map[string]any {
	step := map[string]any{"index": 0, "call": "agent.execute", "ok": ok}
	if ok {
		step["resolved"] = map[string]any{
			"call": "agent.execute", "method": "agent.execute", "target": "browser_page", "runtimeId": r.runtimeID,
			"contextId": nil, "handleId": nil, "pageId": "page-1", "ref": nil,
		}
		step["result"] = stepResult(r.instruction, steps)
	} else {
		step["error"] = map[string]any{
			"code": "INVALID_ARGS", "message": "The login form rejected the credentials.", "hint": "Check the credentials in sensitiveData or variables.",
			"diagnostic": map[string]any{"id": "diag-1", "category": "semantic", "call": "agent.execute"},
		}
	}
	return map[string]any{"mode": "fail-fast", "ok": ok, "runtimeId": r.runtimeID, "steps": []any{step}}
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func ptr[T any](v T) *T { return &v }
