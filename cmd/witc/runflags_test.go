package main

import (
	"path/filepath"
	"testing"
)

// TestRunArgv0: --argv0 is the command's program name; without it the
// name is the file's.
func TestRunArgv0(t *testing.T) {
	file := filepath.Join("..", "..", "internal", "producers", "testdata", "c-hello.wasm")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"run", "--no-cache", "--argv0", "my prog", file, "argv0"}, "argv[0]: my prog\n"},
		{[]string{"run", "--no-cache", file, "argv0"}, "argv[0]: c-hello.wasm\n"},
	} {
		code, stdout, stderr := runWitc(tc.args...)
		want := "c-hello: 1 args\narg 1: argv0\n" + tc.want + "GREETING is not set\nc-hello: done\n"
		if code != 0 || stdout != want {
			t.Errorf("witc %q: exit status %d, stdout %q, stderr %q; want %q", tc.args, code, stdout, stderr, want)
		}
	}
}
