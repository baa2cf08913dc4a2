package main

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"path"
	"strings"

	"github.com/bctrlhq/bctrl-mcp/bctrl/jsonval"
)

// registrySchema is the MCP registry's server.json schema, vendored with
// its source and licence in testdata/README.md.
//
//go:embed testdata/server.schema.json
var registrySchema []byte

// validateServerJSON checks a server.json against the registry schema and
// the limits the registry enforces on top of it that matter to us.
func validateServerJSON(data []byte) error {
	var doc any
	if err := json.Unmarshal(registrySchema, &doc); err != nil {
		return fmt.Errorf("registry schema: %v", err)
	}
	v, err := jsonval.Compile(doc, "")
	if err != nil {
		return fmt.Errorf("registry schema: %v", err)
	}
	value, err := jsonval.Decode(data)
	if err != nil {
		return fmt.Errorf("server.json is not JSON: %v", err)
	}
	if problems := v.Validate(value); len(problems) > 0 {
		return fmt.Errorf("server.json breaks the registry schema: %s", jsonval.Summary(problems))
	}
	return nil
}

// renderServerJSON writes version into a copy of the checked-in
// server.json and sets each .mcpb package's fileSha256 from hashes (bundle
// file name to hex SHA-256). Every bundle must be listed, and every listed
// bundle must have a hash; the result is validated.
func renderServerJSON(checkedIn []byte, version string, hashes map[string]string) ([]byte, error) {
	if err := checkVersion(version); err != nil {
		return nil, err
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(strings.ReplaceAll(string(checkedIn), placeholderVersion, version)), &m); err != nil {
		return nil, fmt.Errorf("server.json: %v", err)
	}
	packages, _ := m["packages"].([]any)
	used := map[string]bool{}
	for _, p := range packages {
		pkg, _ := p.(map[string]any)
		if pkg["registryType"] != "mcpb" {
			continue
		}
		id, _ := pkg["identifier"].(string)
		name := path.Base(id)
		sum, ok := hashes[name]
		if !ok {
			return nil, fmt.Errorf("server.json lists %s, but no such bundle was built", name)
		}
		pkg["fileSha256"] = sum
		used[name] = true
	}
	for name := range hashes {
		if !used[name] {
			return nil, fmt.Errorf("bundle %s is not listed in server.json", name)
		}
	}
	out, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, err
	}
	out = append(out, '\n')
	if err := validateServerJSON(out); err != nil {
		return nil, err
	}
	return out, nil
}
