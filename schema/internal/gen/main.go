// Command gen writes the generated schema files; `go generate ./schema` runs it.
package main

import (
	"fmt"
	"os"

	"github.com/bctrlhq/bctrl-mcp/schema/internal/schemagen"
)

func main() {
	if err := schemagen.Write(schemagen.Dir); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}
