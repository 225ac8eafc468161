package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestRunP3Command: witc run runs a WASI 0.3 command (wasi:cli/run@0.3.0,
// an async export) and writes all it writes to stdout before it exits.
func TestRunP3Command(t *testing.T) {
	in := filepath.Join(t.TempDir(), "stdin")
	if err := os.WriteFile(in, []byte("from stdin\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(in)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	old := os.Stdin
	os.Stdin = f
	defer func() { os.Stdin = old }()
	code, stdout, stderr := runWitc("run", "--no-cache", filepath.Join("..", "..", "wasi", "testdata", "p3-cat.wasm"))
	if code != 0 || stdout != "hello from WASI 0.3\nfrom stdin\n" {
		t.Errorf("exit %d\nstdout: %q\nstderr: %s", code, stdout, stderr)
	}
}
