package tools

import (
	"context"
	"log/slog"
)

// RedactingLogger returns a logger that writes through l's handler with
// secrets removed from every attribute, so that no log line can carry one
// whatever a caller logs. The tools always log through it; give it to the
// transport too. In detail: an attribute with a secret name is
// replaced, and a structured value (a map, a request, an invocation) is
// redacted through JSON like results are. Errors are logged by their
// Error text, which in bctrl never includes headers or error details.
// A logger that already redacts is returned as it is.
func RedactingLogger(l *slog.Logger) *slog.Logger {
	if _, ok := l.Handler().(redactingHandler); ok {
		return l
	}
	return slog.New(redactingHandler{next: l.Handler()})
}

// redactingHandler is the slog.Handler of RedactingLogger.
type redactingHandler struct{ next slog.Handler }

// Enabled defers to the wrapped handler.
func (h redactingHandler) Enabled(ctx context.Context, level slog.Level) bool {
	return h.next.Enabled(ctx, level)
}

// Handle passes a copy of r with its attributes redacted.
func (h redactingHandler) Handle(ctx context.Context, r slog.Record) error {
	out := slog.NewRecord(r.Time, r.Level, r.Message, r.PC)
	r.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(redactAttr(a))
		return true
	})
	return h.next.Handle(ctx, out)
}

// WithAttrs redacts the attributes before the wrapped handler keeps them.
func (h redactingHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	out := make([]slog.Attr, len(attrs))
	for i, a := range attrs {
		out[i] = redactAttr(a)
	}
	return redactingHandler{next: h.next.WithAttrs(out)}
}

// WithGroup opens a group in the wrapped handler.
func (h redactingHandler) WithGroup(name string) slog.Handler {
	return redactingHandler{next: h.next.WithGroup(name)}
}

func redactAttr(a slog.Attr) slog.Attr {
	v := a.Value.Resolve()
	switch {
	case secretKey(a.Key) && !(v.Kind() == slog.KindAny && v.Any() == nil):
		return slog.String(a.Key, redacted)
	case v.Kind() == slog.KindGroup:
		group := v.Group()
		out := make([]slog.Attr, len(group))
		for i, g := range group {
			out[i] = redactAttr(g)
		}
		return slog.Attr{Key: a.Key, Value: slog.GroupValue(out...)}
	case v.Kind() == slog.KindAny:
		if _, isErr := v.Any().(error); isErr {
			return slog.Attr{Key: a.Key, Value: v}
		}
		clean, err := redactAny(v.Any())
		if err != nil {
			return slog.String(a.Key, "[unloggable]")
		}
		return slog.Any(a.Key, clean)
	}
	return slog.Attr{Key: a.Key, Value: v}
}
