package tasks

import (
	"time"

	"github.com/bctrlhq/bctrl-mcp/bctrl"
	"github.com/bctrlhq/bctrl-mcp/tools"
	"github.com/bctrlhq/bctrl-mcp/tools/era"
)

// Task statuses of the extension that our tasks reach.
const (
	statusWorking   = "working"
	statusCompleted = "completed"
	statusCancelled = "cancelled"
)

// Promises every task carries; see the package doc for why these values.
const (
	ttlMs          int64 = 60 * 60 * 1000
	pollIntervalMs int64 = 3000
)

// task is the extension's Task, with the result of a completed one.
type task struct {
	TaskID         string `json:"taskId"`
	Status         string `json:"status"`
	StatusMessage  string `json:"statusMessage,omitempty"`
	CreatedAt      string `json:"createdAt"`
	LastUpdatedAt  string `json:"lastUpdatedAt"`
	TTLMs          int64  `json:"ttlMs"`
	PollIntervalMs int64  `json:"pollIntervalMs"`
	Result         any    `json:"result,omitempty"`
}

// maxStatusMessage bounds the status message; the full state is in the result.
const maxStatusMessage = 300

// taskOf maps an invocation to its task, without the result.
func taskOf(inv *bctrl.Invocation) task {
	t := task{TaskID: inv.ID, TTLMs: ttlMs, PollIntervalMs: pollIntervalMs}
	switch {
	case inv.Status == bctrl.StatusCancelled:
		t.Status = statusCancelled
	case inv.Status.Terminal():
		t.Status = statusCompleted
	default:
		t.Status = statusWorking // including statuses bctrl may add: the invocation has not ended
	}
	t.StatusMessage = tools.StatusLine(inv)
	if inv.Status.Terminal() && inv.Error != nil && inv.Error.Message != "" {
		t.StatusMessage += " · " + inv.Error.Message
	}
	t.StatusMessage = era.Clip(t.StatusMessage, maxStatusMessage)
	t.CreatedAt, t.LastUpdatedAt = timestamps(inv, time.Now())
	return t
}

// timestamps returns the task's createdAt and lastUpdatedAt from the
// invocation's timestamps. Missing or unreadable ones fall back to the
// others, and to now when the invocation has none at all.
func timestamps(inv *bctrl.Invocation, now time.Time) (created, updated string) {
	var latest time.Time
	for _, s := range []string{inv.CreatedAt, inv.StartedAt, inv.LastHeartbeatAt, inv.CancelRequestedAt, inv.FinishedAt} {
		if t, err := time.Parse(time.RFC3339Nano, s); err == nil && t.After(latest) {
			latest = t
		}
	}
	if latest.IsZero() {
		latest = now
	}
	updated = latest.UTC().Format(time.RFC3339Nano)
	created = updated
	if t, err := time.Parse(time.RFC3339Nano, inv.CreatedAt); err == nil {
		created = t.UTC().Format(time.RFC3339Nano)
	}
	return created, updated
}
