package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
)

// manifestPath and licensePath are relative to the repository root.
var (
	manifestPath   = filepath.Join("cmd", "bctrl-mcp", "mcpb", "manifest.json")
	serverJSONPath = filepath.Join("cmd", "bctrl-mcp", "server.json")
	licensePath    = "LICENSE"
)

// mcpbCLI is the mcpb command-line tool that `npm ci --prefix
// cmd/internal/packaging` installs.
func mcpbCLI(root string) (string, error) {
	cli := filepath.Join(root, "cmd", "internal", "packaging", "node_modules", "@anthropic-ai", "mcpb", "dist", "cli", "cli.js")
	if _, err := os.Stat(cli); err != nil {
		return "", fmt.Errorf("the mcpb CLI is not installed: run npm ci --prefix cmd/internal/packaging (%v)", err)
	}
	return cli, nil
}

// runMCPB runs the mcpb CLI with node and returns what it printed.
func runMCPB(ctx context.Context, root string, args ...string) ([]byte, error) {
	cli, err := mcpbCLI(root)
	if err != nil {
		return nil, err
	}
	node, err := exec.LookPath("node")
	if err != nil {
		return nil, errors.New("node is not on PATH; the mcpb CLI needs it")
	}
	out, err := exec.CommandContext(ctx, node, append([]string{cli}, args...)...).CombinedOutput()
	if err != nil {
		return out, fmt.Errorf("mcpb %s: %v\n%s", args[0], err, out)
	}
	return out, nil
}

// stageBundle lays out a bundle folder: the manifest rendered for version
// and goos, the binary under server/, and the licence.
func stageBundle(root, dir, binary, version, goos string) error {
	checkedIn, err := os.ReadFile(filepath.Join(root, manifestPath))
	if err != nil {
		return err
	}
	manifest, err := renderManifest(checkedIn, version, goos)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Join(dir, "server"), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "manifest.json"), manifest, 0o644); err != nil {
		return err
	}
	if err := copyFile(filepath.Join(root, licensePath), filepath.Join(dir, "LICENSE"), 0o644); err != nil {
		return err
	}
	return copyFile(binary, filepath.Join(dir, "server", binaryName(goos)), 0o755)
}

// packBundle stages a bundle for p in a temporary folder, validates it and
// packs it into outDir with the mcpb CLI; it returns the bundle's path.
func packBundle(ctx context.Context, root, binary, version string, p platform, outDir string) (string, error) {
	dir, err := os.MkdirTemp("", "bctrl-mcp-bundle-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(dir)
	if err := stageBundle(root, dir, binary, version, p.goos); err != nil {
		return "", err
	}
	if _, err := runMCPB(ctx, root, "validate", filepath.Join(dir, "manifest.json")); err != nil {
		return "", err
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return "", err
	}
	out, err := filepath.Abs(filepath.Join(outDir, bundleName(version, p)))
	if err != nil {
		return "", err
	}
	if _, err := runMCPB(ctx, root, "pack", dir, out); err != nil {
		return "", err
	}
	return out, nil
}

func copyFile(from, to string, mode os.FileMode) error {
	src, err := os.Open(from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, mode)
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return err
	}
	return dst.Close()
}
