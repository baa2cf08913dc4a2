package schemagen

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"testing"
)

// generatedDir is Dir as seen from this package's folder.
var generatedDir = filepath.Join("..", "..", Dir)

// TestGeneratedFilesAreCurrent regenerates the schemas from the Go types
// and fails when the files the server embeds differ, or when a file is
// there that the generator no longer writes.
func TestGeneratedFilesAreCurrent(t *testing.T) {
	files, err := Files()
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range files {
		got, err := os.ReadFile(filepath.Join(generatedDir, filepath.FromSlash(name)))
		if err != nil {
			t.Errorf("%v (run go generate ./schema)", err)
			continue
		}
		if !bytes.Equal(got, want) {
			t.Errorf("schema/%s/%s differs from the Go types; review and run go generate ./schema", Dir, name)
		}
	}
	var stale []string
	err = filepath.WalkDir(generatedDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(generatedDir, path)
		if _, ok := files[filepath.ToSlash(rel)]; !ok {
			stale = append(stale, rel)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(stale)
	for _, name := range stale {
		t.Errorf("schema/%s/%s is no longer generated; delete it", Dir, name)
	}
}

// TestWriteProducesTheFiles writes the files into a fresh folder, as go
// generate does, and reads them back.
func TestWriteProducesTheFiles(t *testing.T) {
	dir := t.TempDir()
	if err := Write(dir); err != nil {
		t.Fatal(err)
	}
	files, err := Files()
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range files {
		got, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s: written %d bytes (%v), want %d", name, len(got), err, len(want))
		}
	}
}
