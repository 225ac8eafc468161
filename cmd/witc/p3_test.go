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

// TestInvokeStreams: --invoke passes a stream<T> argument written as a
// list<T> and a future<T> as its value, and prints a stream<T> result
// read to its end as a list<T>, a future<T> as its value (a
// componentize-qjs component with the async ABI; expected values from its
// JavaScript, internal/qjsasync/testdata/src/fixtures.js).
func TestInvokeStreams(t *testing.T) {
	wasm := filepath.Join("..", "..", "internal", "qjsasync", "testdata", "qjsasync.wasm")
	for expr, want := range map[string]string{
		`count-to(3)`:         "[1, 2, 3]\n",
		`upper(["ab", "cd"])`: "[\"AB\", \"CD\"]\n",
		`stats([1, 2, 3])`:    "{count: 3, sum: 6}\n",
		`plus-one(41)`:        "42\n",
		`count-to(0)`:         "[]\n",
		`upper([])`:           "[]\n",
	} {
		code, stdout, stderr := runWitc("run", "--no-cache", "--engine", "interpreter", "--invoke", expr, wasm)
		if code != 0 || stdout != want {
			t.Errorf("--invoke %s: exit %d, stdout %q, want %q\n%s", expr, code, stdout, want, stderr)
		}
	}
}
