// Command packaging builds the release's Claude Desktop bundles and its MCP
// registry entry; .ci/goreleaser.yaml and .ci/release run it, go test checks
// what it checks in CI. It is not part of the product.
//
//	go run ./cmd/internal/packaging mcpb --binary PATH --goos OS --goarch ARCH --version V --out DIR
//	go run ./cmd/internal/packaging serverjson --version V --bundles DIR --out FILE
package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, os.Args[1:])
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "packaging:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return errors.New("usage: packaging mcpb|serverjson [flags]")
	}
	root, err := repoRoot()
	if err != nil {
		return err
	}
	fs := flag.NewFlagSet("packaging "+args[0], flag.ContinueOnError)
	version := fs.String("version", "", "release version, the tag without its v")
	out := fs.String("out", "", "output folder (mcpb) or file (serverjson)")
	switch args[0] {
	case "mcpb":
		binary := fs.String("binary", "", "the built bctrl-mcp binary")
		goos := fs.String("goos", "", "its GOOS")
		goarch := fs.String("goarch", "", "its GOARCH")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		path, err := packBundle(ctx, root, *binary, strings.TrimPrefix(*version, "v"), platform{*goos, *goarch}, *out)
		if err != nil {
			return err
		}
		fmt.Println(path)
		return nil
	case "serverjson":
		bundles := fs.String("bundles", "", "folder holding the release's .mcpb files")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		return writeServerJSON(root, strings.TrimPrefix(*version, "v"), *bundles, *out)
	}
	return fmt.Errorf("unknown command %q: use mcpb or serverjson", args[0])
}

// writeServerJSON renders server.json for version with the SHA-256 of each
// bundle in dir, validates it and writes it to out.
func writeServerJSON(root, version, dir, out string) error {
	checkedIn, err := os.ReadFile(filepath.Join(root, serverJSONPath))
	if err != nil {
		return err
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.mcpb"))
	if err != nil {
		return err
	}
	hashes := map[string]string{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		hashes[filepath.Base(f)] = hex.EncodeToString(sum[:])
	}
	rendered, err := renderServerJSON(checkedIn, version, hashes)
	if err != nil {
		return err
	}
	return os.WriteFile(out, rendered, 0o644)
}

// repoRoot is the nearest folder at or above the working directory that holds go.mod.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("not inside the bctrl-mcp repository (no go.mod above the working directory)")
		}
		dir = parent
	}
}
