package main

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/bctrlhq/bctrl-mcp/schema"
)

// schemaCmd prints the published schemas of every tool, or of one.
func schemaCmd(args []string, stdout, stderr io.Writer) int {
	published, err := schema.Published()
	if err != nil {
		fmt.Fprintf(stderr, "bctrl-mcp: %v\n", err)
		return 1
	}
	names := schema.ToolNames()
	if len(args) > 1 || (len(args) == 1 && !slices.Contains(names, args[0])) {
		fmt.Fprintf(stderr, "bctrl-mcp schema: unknown tool %q; tools: %s\n", strings.Join(args, " "), strings.Join(names, ", "))
		return exitUsage
	}
	if len(args) == 1 {
		names = args
	}
	out := map[string]any{}
	for _, n := range names {
		out[n] = map[string]json.RawMessage{"inputSchema": published[n].Input, "outputSchema": published[n].Output}
	}
	raw, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		fmt.Fprintf(stderr, "bctrl-mcp: %v\n", err)
		return 1
	}
	fmt.Fprintln(stdout, string(raw))
	return 0
}
