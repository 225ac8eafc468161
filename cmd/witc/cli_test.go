package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/witc-dev/witc/internal/golden"
)

// TestGolden runs witc on the argument lines in testdata/*.args (paths are
// relative to the repository root) and compares stdout, stderr and the exit
// code with the golden files beside them (NAME.stdout, NAME.stderr,
// NAME.code). WITC_REFRESH=1 rewrites them (internal/golden).
func TestGolden(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	c := golden.Corpus{Root: "testdata", Extensions: []string{".args"}, Outputs: []string{".stdout", ".stderr", ".code"}, TrimExt: true, KeepEmpty: true}
	c.Run(t, func(t *testing.T, k golden.Case) map[string]string {
		args := append([]string{"witc"}, strings.Fields(k.Input)...)
		var stdout, stderr bytes.Buffer
		t.Chdir(root) // not parallel: the cases run one after another
		code := run(context.Background(), args, &stdout, &stderr)
		return map[string]string{
			".stdout": stdout.String(),
			".stderr": stderr.String(),
			".code":   strconv.Itoa(code) + "\n",
		}
	})
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"witc", "check"},
		{"witc", "check", "a", "b"},
		{"witc", "wit", "--no-such-flag", "x.wit"},
	} {
		var stdout, stderr bytes.Buffer
		if code := run(context.Background(), args, &stdout, &stderr); code != exitUsage {
			t.Errorf("%v: exit code %d, want %d (stderr %q)", args, code, exitUsage, stderr.String())
		}
	}
}
