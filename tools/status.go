package tools

import (
	"context"
	"math"
	"sync"
	"time"

	"github.com/bctrlhq/bctrl-mcp/bctrl"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// statusReporter passes an invocation's state back to the client while a
// tool waits: notifications/progress (when the request carried a progress
// token) on every observation and as a heartbeat, and an info log message
// on every status transition. Everything it sends is also in the result.
type statusReporter struct {
	ctx       context.Context
	srv       *server.MCPServer
	token     mcp.ProgressToken
	heartbeat time.Duration
	deadline  time.Time // when the wait ends and the result is written

	mu       sync.Mutex
	last     *bctrl.Invocation
	status   bctrl.Status
	total    int64 // last known totalSteps: kept when the final state drops progress
	progress float64
	sentAt   time.Time
}

func newStatusReporter(ctx context.Context, req mcp.CallToolRequest, heartbeat time.Duration) *statusReporter {
	r := &statusReporter{ctx: ctx, srv: server.ServerFromContext(ctx), heartbeat: heartbeat}
	if m := req.Params.Meta; m != nil {
		r.token = m.ProgressToken
	}
	return r
}

// observe reports one observed state of the invocation: progress when the
// status or progress changed (or a heartbeat is due), a log on a new status.
func (r *statusReporter) observe(inv *bctrl.Invocation) {
	r.mu.Lock()
	defer r.mu.Unlock()
	changed := r.last == nil || statusLine(r.last) != statusLine(inv)
	if inv.Status != r.status {
		r.logTransition(inv)
		r.status = inv.Status
	}
	if inv.Progress != nil && inv.Progress.TotalSteps > 0 {
		r.total = inv.Progress.TotalSteps
	}
	r.last = inv
	// The observation that ends the wait is reported by the result itself:
	// the TypeScript SDK drops (and complains about) a progress notification
	// that arrives in the same read as its result.
	if inv.Status.Terminal() || !time.Now().Before(r.deadline) {
		return
	}
	if changed || time.Since(r.sentAt) >= r.heartbeat {
		r.sendProgress()
	}
}

// beat re-sends the last state when nothing was sent for a heartbeat interval.
func (r *statusReporter) beat() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.last != nil && time.Since(r.sentAt) >= r.heartbeat && time.Until(r.deadline) > r.heartbeat/4 {
		r.sendProgress()
	}
}

// runHeartbeat keeps progress flowing while an upstream call is slow. The
// returned stop function returns only once the goroutine has ended, so no
// notification can follow the tool's result.
func (r *statusReporter) runHeartbeat() (stop func()) {
	if r.srv == nil || r.token == nil {
		return func() {}
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(r.heartbeat / 4)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				r.beat()
			case <-done:
				return
			}
		}
	})
	return func() {
		close(done)
		wg.Wait()
	}
}

func (r *statusReporter) sendProgress() {
	if r.srv == nil || r.token == nil {
		return
	}
	inv, total := r.last, r.total
	r.progress = nextProgress(r.progress, inv, total)
	params := map[string]any{"progressToken": r.token, "progress": r.progress, "message": statusLine(inv)}
	if total > 0 {
		params["total"] = total
	}
	// A full notification queue drops the message; the result still carries the state.
	_ = r.srv.SendNotificationToClient(r.ctx, "notifications/progress", params)
	r.sentAt = time.Now()
}

// nextProgress keeps progress strictly increasing while tracking the
// agent's completed steps: it jumps when a step completes, creeps by at most
// 0.01 on heartbeats within a step, and reaches total (or one more) when
// the invocation ends.
func nextProgress(prev float64, inv *bctrl.Invocation, total int64) float64 {
	base := float64(max(inv.StepCount-1, 0))
	if inv.Progress != nil && inv.Progress.Step > 0 {
		base = float64(inv.Progress.Step - 1)
	}
	if inv.Status.Terminal() {
		base = max(base, float64(total), math.Floor(prev)+1)
	}
	next := base
	if next <= prev {
		ceiling := math.Floor(prev) + 1
		next = prev + min(0.01, (ceiling-prev)/2)
	}
	if next <= prev {
		next = math.Nextafter(prev, math.Inf(1))
	}
	return next
}

func (r *statusReporter) logTransition(inv *bctrl.Invocation) {
	if r.srv == nil {
		return
	}
	data := map[string]any{"invocationId": inv.ID, "status": inv.Status, "message": statusLine(inv)}
	if r.status != "" {
		data["previousStatus"] = r.status
	}
	_ = r.srv.SendLogMessageToClient(r.ctx, mcp.NewLoggingMessageNotification(mcp.LoggingLevelInfo, "bctrl", data))
}

// follow waits up to seconds for the invocation to end, reporting status
// as it goes, and returns the last state seen (never nil) with the error
// that ended the wait early, if any. A wait of zero seconds returns inv.
func (ts *toolset) follow(ctx context.Context, req mcp.CallToolRequest, inv *bctrl.Invocation, seconds int) (*bctrl.Invocation, error) {
	if seconds <= 0 || inv.Status.Terminal() {
		return inv, nil
	}
	reporter := newStatusReporter(ctx, req, ts.deps.heartbeat())
	reporter.deadline = time.Now().Add(time.Duration(seconds) * time.Second)
	reporter.observe(inv)
	stop := reporter.runHeartbeat()
	defer stop()
	opts := ts.deps.Follow
	opts.OnUpdate = func(inv *bctrl.Invocation, _ bool) { reporter.observe(inv) }
	waitCtx, drained := untilDrain(ctx, ts.deps.Drain)
	defer drained()
	final, err := ts.deps.API.FollowInvocation(waitCtx, inv.ID, time.Duration(seconds)*time.Second, opts)
	if err != nil && ctx.Err() == nil && waitCtx.Err() != nil {
		err = nil // drained: answer with the current state, as a wait that runs out does
	}
	if final == nil {
		final = inv // the follow failed before its first observation; report what we had
	}
	return final, err
}
