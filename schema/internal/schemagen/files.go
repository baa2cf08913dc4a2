// Package schemagen generates the published tool schemas, and the exact
// schemas that validate calls, from the Go types in package schema with
// invopop/jsonschema. `go generate ./schema` writes them as JSON files that
// the schema package embeds, so the server does no reflection at start;
// a test regenerates them and fails when the files have drifted.
package schemagen

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/bctrlhq/bctrl-mcp/bctrl"
	"github.com/bctrlhq/bctrl-mcp/schema"
)

// Dir is the folder of the generated files, relative to the schema package.
const Dir = "golden"

// Files returns every generated file by its path under Dir.
func Files() (map[string][]byte, error) {
	files := map[string]map[string]any{}
	for name, gen := range map[string]func() (map[string]any, error){
		schema.InputFile(schema.ToolCreate):             reflectJSON[schema.CreateInvocationInput](flat),
		schema.InputFile(schema.ToolGet):                reflectJSON[schema.GetInvocationInput](exactBoth),
		schema.InputFile(schema.ToolCancel):             reflectJSON[schema.CancelInvocationInput](exactBoth),
		schema.ValidationFile(""):                       reflectJSON[schema.CreateInvocationInput](exactBoth),
		schema.ValidationFile(bctrl.ProviderStagehand):  reflectJSON[schema.CreateInvocationInput](exactFor(bctrl.ProviderStagehand)),
		schema.ValidationFile(bctrl.ProviderBrowserUse): reflectJSON[schema.CreateInvocationInput](exactFor(bctrl.ProviderBrowserUse)),
	} {
		s, err := gen()
		if err != nil {
			return nil, fmt.Errorf("schemagen: %s: %w", name, err)
		}
		files[name] = s
	}
	// Every tool returns the invocation, so they share one output schema.
	out, err := reflectJSON[schema.InvocationOutput](exactBoth)()
	if err != nil {
		return nil, fmt.Errorf("schemagen: output: %w", err)
	}
	for _, tool := range schema.ToolNames() {
		files[schema.OutputFile(tool)] = openOutput(out)
	}
	encoded := make(map[string][]byte, len(files))
	for name, s := range files {
		raw, err := json.MarshalIndent(s, "", "  ")
		if err != nil {
			return nil, fmt.Errorf("schemagen: %s: %w", name, err)
		}
		encoded[name] = append(raw, '\n')
	}
	return encoded, nil
}

// Write writes the generated files under dir, overwriting older versions.
func Write(dir string) error {
	files, err := Files()
	if err != nil {
		return err
	}
	for name, raw := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, raw, 0o644); err != nil {
			return err
		}
	}
	return nil
}
