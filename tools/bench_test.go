package tools

import (
	"testing"

	"github.com/bctrlhq/bctrl-mcp/bctrl"
)

// BenchmarkNewServer is the start-up work of the server: schemas, validators, registration.
func BenchmarkNewServer(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := NewServer("bctrl-mcp", "bench", Deps{API: &bctrl.Client{}}); err != nil {
			b.Fatal(err)
		}
	}
}
