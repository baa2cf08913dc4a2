package main

import (
	"encoding/json"
	"fmt"
	"regexp"
)

// placeholderVersion is the version the checked-in manifest.json and
// server.json carry; the release writes the tag's version into copies.
const placeholderVersion = "0.0.0-dev"

// releaseVersion is what a release version may look like (the tag without its v).
var releaseVersion = regexp.MustCompile(`^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$`)

// platform is one target of the release.
type platform struct{ goos, goarch string }

// platforms are the five release targets; .ci/goreleaser.yaml builds the same.
var platforms = []platform{{"darwin", "arm64"}, {"darwin", "amd64"}, {"linux", "amd64"}, {"linux", "arm64"}, {"windows", "amd64"}}

// mcpbPlatform is the platform name Claude Desktop uses for a GOOS.
func mcpbPlatform(goos string) (string, error) {
	switch goos {
	case "darwin", "linux":
		return goos, nil
	case "windows":
		return "win32", nil
	}
	return "", fmt.Errorf("no Claude Desktop platform for GOOS %q", goos)
}

// binaryName is the server's file name inside a bundle for goos.
func binaryName(goos string) string {
	if goos == "windows" {
		return "bctrl-mcp.exe"
	}
	return "bctrl-mcp"
}

// bundleName is the release asset name of the bundle for p.
func bundleName(version string, p platform) string {
	return fmt.Sprintf("bctrl-mcp_%s_%s_%s.mcpb", version, p.goos, p.goarch)
}

func checkVersion(version string) error {
	if !releaseVersion.MatchString(version) {
		return fmt.Errorf("version %q is not a release version such as 1.2.3 (the tag without its v)", version)
	}
	return nil
}

// renderManifest writes version into a copy of the checked-in manifest and
// narrows it to one platform: compatibility lists only that platform and
// the entry point and command name that platform's binary.
func renderManifest(checkedIn []byte, version, goos string) ([]byte, error) {
	if err := checkVersion(version); err != nil {
		return nil, err
	}
	plat, err := mcpbPlatform(goos)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	if err := json.Unmarshal(checkedIn, &m); err != nil {
		return nil, fmt.Errorf("manifest.json: %v", err)
	}
	if m["version"] != placeholderVersion {
		return nil, fmt.Errorf("manifest.json: version is %v, want the placeholder %s", m["version"], placeholderVersion)
	}
	m["version"] = version
	compat, _ := m["compatibility"].(map[string]any)
	if compat == nil {
		compat = map[string]any{}
		m["compatibility"] = compat
	}
	compat["platforms"] = []string{plat}
	server, _ := m["server"].(map[string]any)
	config, _ := server["mcp_config"].(map[string]any)
	if server == nil || config == nil {
		return nil, fmt.Errorf("manifest.json: no server.mcp_config")
	}
	server["entry_point"] = "server/" + binaryName(goos)
	config["command"] = "${__dirname}/server/" + binaryName(goos)
	delete(config, "platform_overrides")
	out, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(out, '\n'), nil
}
