package stdio_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"testing"

	"github.com/bctrlhq/bctrl-mcp/bctrl"
	"github.com/bctrlhq/bctrl-mcp/bctrl/bctrlsim"
	"github.com/bctrlhq/bctrl-mcp/tools/transport/stdio"
)

// BenchmarkGetInvocationOverPipes is one get_invocation (no wait) through
// the whole server: stdio transport, mcp-go, decoding, the bctrl client and
// the simulator on loopback. Profile it with -cpuprofile.
func BenchmarkGetInvocationOverPipes(b *testing.B) {
	s, simURL := newStack(b, &bctrlsim.RealClock{Speed: 1})
	c, err := bctrl.NewClient(bctrl.WithBaseURL(simURL), bctrl.WithAPIKey(key))
	if err != nil {
		b.Fatal(err)
	}
	inv, err := c.CreateInvocation(context.Background(), space, runtime, &bctrl.CreateInvocationRequest{Provider: bctrl.ProviderStagehand, Input: bctrl.Input{Instruction: "sim:hang"}})
	if err != nil {
		b.Fatal(err)
	}
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		_ = stdio.Serve(ctx, s, inR, outW, stdio.Options{})
		_ = outW.Close()
		close(done)
	}()
	out := bufio.NewScanner(outR)
	out.Buffer(nil, 1<<20)
	send := func(line string) {
		if _, err := io.WriteString(inW, line+"\n"); err != nil {
			b.Fatal(err)
		}
		if !out.Scan() {
			b.Fatal("no answer")
		}
	}
	send(`{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"b","version":"1"}}}`)
	_, _ = io.WriteString(inW, `{"jsonrpc":"2.0","method":"notifications/initialized"}`+"\n")
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		send(fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,"method":"tools/call","params":{"name":"get_invocation","arguments":{"invocationId":%q}}}`, i+1, inv.ID))
	}
	b.StopTimer()
	_ = inW.Close()
	cancel()
	<-done
}
