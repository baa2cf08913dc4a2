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
// token) on every observation and as a heartbeat from the start of the
// call until its result, and an info log message on every status
// transition. Everything it sends is also in the result. A nil reporter,
// for a call without a wait, does nothing.
type statusReporter struct {
	ctx       context.Context
	srv       *server.MCPServer
	token     mcp.ProgressToken
	heartbeat time.Duration
	waitEnd   time.Time   // when the wait runs out and the result is written
	resultAt  []time.Time // every moment the result may be written: no heartbeat right then
	pending   string      // the message until the first state is known

	stopOnce sync.Once
	stopBeat func()

	mu       sync.Mutex
	last     *bctrl.Invocation
	status   bctrl.Status
	total    int64 // last known totalSteps: kept when the final state drops progress
	progress float64
	sentAt   time.Time
}

func newStatusReporter(ctx context.Context, req mcp.CallToolRequest, heartbeat time.Duration, pending string, waitEnd time.Time, resultAt ...time.Time) *statusReporter {
	r := &statusReporter{ctx: ctx, srv: server.ServerFromContext(ctx), heartbeat: heartbeat, pending: pending,
		waitEnd: waitEnd, resultAt: append([]time.Time{waitEnd}, resultAt...), sentAt: time.Now(), stopBeat: func() {}}
	if m := req.Params.Meta; m != nil {
		r.token = m.ProgressToken
	}
	return r
}

// observe reports one observed state of the invocation: progress when the
// status or progress changed (or a heartbeat is due), a log on a new status.
func (r *statusReporter) observe(inv *bctrl.Invocation) {
	if r == nil {
		return
	}
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
	now := time.Now()
	if inv.Status.Terminal() || !now.Before(r.waitEnd) || r.nearResult(now) {
		return
	}
	if changed || now.Sub(r.sentAt) >= r.heartbeat {
		r.sendProgress()
	}
}

// beat re-sends the last state (or the pending message) when nothing was
// sent for a heartbeat interval.
func (r *statusReporter) beat(now time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if now.Sub(r.sentAt) < r.heartbeat || r.nearResult(now) || (r.last != nil && r.last.Status.Terminal()) {
		return
	}
	r.sendProgress()
}

// nearResult reports a moment close to one where the result may be
// written; a heartbeat then could share the client's read with it.
func (r *statusReporter) nearResult(now time.Time) bool {
	quiet := r.heartbeat / 10
	for _, at := range r.resultAt {
		if now.After(at.Add(-quiet)) && now.Before(at.Add(quiet)) {
			return true
		}
	}
	return false
}

// start runs the heartbeat, which keeps progress flowing while an upstream
// call is slow or hung, from now until stop. Checking every tenth of the
// interval, and keeping a tenth's quiet either side of a possible result,
// leaves at most 1.3 heartbeats between notifications.
func (r *statusReporter) start() {
	if r == nil || r.srv == nil || r.token == nil {
		return
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(r.heartbeat / 10)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				r.beat(time.Now())
			case <-done:
				return
			}
		}
	})
	r.stopBeat = func() {
		close(done)
		wg.Wait()
	}
}

// stop ends the heartbeat and returns once it has ended, so no
// notification can follow the tool's result. It may be called again.
func (r *statusReporter) stop() {
	if r == nil {
		return
	}
	r.stopOnce.Do(r.stopBeat)
}

func (r *statusReporter) sendProgress() {
	if r.srv == nil || r.token == nil {
		return
	}
	inv, total, message := r.last, r.total, r.pending
	if inv != nil {
		message = statusLine(inv)
	}
	r.progress = nextProgress(r.progress, inv, total)
	params := map[string]any{"progressToken": r.token, "progress": r.progress, "message": message}
	if total > 0 {
		params["total"] = total
	}
	// A full notification queue drops the message; the result still carries the state.
	_ = r.srv.SendNotificationToClient(r.ctx, "notifications/progress", params)
	r.sentAt = time.Now()
}

// nextProgress keeps progress strictly increasing while tracking the
// agent's completed steps: it jumps when a step completes, creeps by at most
// 0.01 on heartbeats within a step (or before any state is known), and
// reaches total (or one more) when the invocation ends.
func nextProgress(prev float64, inv *bctrl.Invocation, total int64) float64 {
	base := 0.0
	if inv != nil {
		base = float64(max(inv.Steps()-1, 0))
		if inv.Progress != nil && inv.Progress.Step > 0 {
			base = float64(inv.Progress.Step - 1)
		}
		if inv.Status.Terminal() {
			base = max(base, float64(total), math.Floor(prev)+1)
		}
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
