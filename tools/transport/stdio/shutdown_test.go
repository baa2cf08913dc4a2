package stdio_test

import (
	"context"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/bctrlhq/bctrl-mcp/tools/transport/stdio"
)

// TestServeReturnsWhileStdoutIsBlocked never reads the output pipe, so the
// writer blocks on its first write; ending the session, by EOF or by ctx,
// must still end Serve, with ErrStdoutBlocked, once the grace has passed.
func TestServeReturnsWhileStdoutIsBlocked(t *testing.T) {
	for _, how := range []string{"stdin EOF", "ctx done"} {
		t.Run(how, func(t *testing.T) {
			s := newServer(t)
			inR, inW := io.Pipe()
			outR, outW := io.Pipe()
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			done := make(chan error, 1)
			go func() { done <- stdio.Serve(ctx, s, inR, outW, stdio.Options{ShutdownGrace: 100 * time.Millisecond}) }()
			for _, line := range []string{
				`{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"pipe","version":"1"}}}`,
				`{"jsonrpc":"2.0","id":1,"method":"tools/list"}`,
				`{"jsonrpc":"2.0","id":2,"method":"tools/list"}`,
			} {
				if _, err := io.WriteString(inW, line+"\n"); err != nil {
					t.Fatal(err)
				}
			}
			start := time.Now()
			if how == "stdin EOF" {
				_ = inW.Close()
			} else {
				cancel()
			}
			select {
			case err := <-done:
				t.Logf("Serve returned %v after %v", err, time.Since(start).Round(time.Millisecond))
				if !errors.Is(err, stdio.ErrStdoutBlocked) {
					t.Fatalf("Serve returned %v, want ErrStdoutBlocked", err)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("Serve did not return within 10 s of the session ending while stdout was blocked")
			}
			// Release the abandoned writer and the stdin reader, for goleak.
			_ = outR.Close()
			_ = inW.Close()
		})
	}
}
