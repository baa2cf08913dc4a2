// Package visibleskip skips a test and says so where a person sees it.
// `go test ./...` prints nothing but "ok" for a passing package, so a
// plain t.Skip about a missing dependency goes unnoticed without -v.
package visibleskip

import (
	"fmt"
	"os"
	"testing"
)

// Skip writes "SKIP <test>: <why>" to the controlling terminal, when there
// is one, and skips the test. Without a terminal (CI, redirected output)
// only t.Skip's message remains, shown with -v.
func Skip(t testing.TB, why string) {
	t.Helper()
	if tty, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0); err == nil {
		fmt.Fprintf(tty, "SKIP %s: %s\n", t.Name(), why)
		tty.Close()
	}
	t.Skip(why)
}
