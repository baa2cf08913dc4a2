package schema

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden schema files")

// TestGoldenSchemas fails when a published schema drifts from its checked-in
// file; run with -update (or `go run ./cmd/bctrl-mcp schema --write`) to accept a change.
func TestGoldenSchemas(t *testing.T) {
	published, err := Published()
	if err != nil {
		t.Fatal(err)
	}
	for name, tool := range published {
		for kind, got := range map[string][]byte{"input": tool.Input, "output": tool.Output} {
			path := filepath.Join("golden", name+"."+kind+".json")
			got = append(bytes.Clone(got), '\n')
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				continue
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./schema -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s drifted from the generated schema; review and run go test ./schema -update", path)
			}
		}
	}
}
