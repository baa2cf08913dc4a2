package tools

import "context"

// untilDrain returns ctx, also cancelled once drain closes (see
// Deps.Drain), and the function that releases it. A nil drain leaves ctx
// as it is.
func untilDrain(ctx context.Context, drain <-chan struct{}) (context.Context, context.CancelFunc) {
	if drain == nil {
		return ctx, func() {}
	}
	ctx, cancel := context.WithCancel(ctx)
	go func() {
		select {
		case <-drain:
			cancel()
		case <-ctx.Done(): // the wait ended first: release sets this
		}
	}()
	return ctx, cancel
}
