package tools

import (
	"context"
	"time"

	"github.com/bctrlhq/bctrl-mcp/bctrl"
	"github.com/mark3labs/mcp-go/mcp"
)

// waiting is one tool call that may wait on an invocation: its bounds, all
// derived from waitSeconds, the context that enforces them, and the status
// reporter. Every upstream call of the tool runs under ctx, so the call
// answers within waitSeconds + CallGrace whatever the API does.
type waiting struct {
	ctx      context.Context // ends at the call's deadline
	cancel   context.CancelFunc
	api      InvocationsAPI
	opts     bctrl.FollowOptions
	drain    <-chan struct{} // Deps.Drain
	waitEnd  time.Time       // the wait runs out: the result then holds the last state seen
	reporter *statusReporter // nil without a wait
}

// beginWait starts the clock of a tool call that waits up to seconds, and
// its heartbeat, which says pending until the first state is known. The
// caller must call finish.
func (ts *toolset) beginWait(ctx context.Context, req mcp.CallToolRequest, seconds int, pending string) *waiting {
	w := &waiting{api: ts.deps.API, opts: ts.deps.Follow, drain: ts.deps.Drain, waitEnd: time.Now().Add(time.Duration(seconds) * time.Second)}
	w.opts.Grace = ts.deps.followGrace()
	end := w.waitEnd.Add(ts.deps.callGrace())
	w.ctx, w.cancel = context.WithDeadline(ctx, end)
	if seconds > 0 {
		// The result comes when the wait runs out, when a hung last step is
		// given up, or at the call's deadline.
		w.reporter = newStatusReporter(ctx, req, ts.deps.heartbeat(), pending, w.waitEnd, w.waitEnd.Add(w.opts.Grace), end)
		w.reporter.start()
	}
	return w
}

// follow reports inv and waits, from it, until the invocation ends or the
// wait runs out. It returns the last state seen (never nil) with the error
// that ended the wait early, if any. No notification follows its return.
func (w *waiting) follow(inv *bctrl.Invocation) (*bctrl.Invocation, error) {
	defer w.reporter.stop()
	w.reporter.observe(inv)
	if inv.Status.Terminal() || !time.Now().Before(w.waitEnd) {
		return inv, nil
	}
	opts := w.opts
	opts.Initial = inv
	opts.OnUpdate = func(inv *bctrl.Invocation, _ bool) { w.reporter.observe(inv) }
	waitCtx, drained := untilDrain(w.ctx, w.drain)
	defer drained()
	final, err := w.api.FollowInvocation(waitCtx, inv.ID, time.Until(w.waitEnd), opts)
	if err != nil && w.ctx.Err() == nil && waitCtx.Err() != nil {
		err = nil // drained: answer with the current state, as a wait that runs out does
	}
	if final == nil {
		final = inv
	}
	return final, err
}

// finish stops the heartbeat and releases the call's context.
func (w *waiting) finish() {
	w.reporter.stop()
	w.cancel()
}
