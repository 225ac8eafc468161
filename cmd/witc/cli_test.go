package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestGolden runs witc on the argument lines in testdata/*.args (paths are
// relative to the repository root) and compares stdout, stderr and the exit
// code with the golden files beside them. WITC_REFRESH=1 rewrites them.
func TestGolden(t *testing.T) {
	cases, err := filepath.Glob("testdata/*.args")
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) == 0 {
		t.Fatal("no golden cases found")
	}
	refresh := os.Getenv("WITC_REFRESH") != ""
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		name := strings.TrimSuffix(filepath.Base(c), ".args")
		t.Run(name, func(t *testing.T) {
			line, err := os.ReadFile(c)
			if err != nil {
				t.Fatal(err)
			}
			args := append([]string{"witc"}, strings.Fields(string(line))...)
			var stdout, stderr bytes.Buffer
			wd, _ := os.Getwd()
			if err := os.Chdir(root); err != nil {
				t.Fatal(err)
			}
			code := run(context.Background(), args, &stdout, &stderr)
			if err := os.Chdir(wd); err != nil {
				t.Fatal(err)
			}
			got := map[string]string{
				".stdout": stdout.String(),
				".stderr": stderr.String(),
				".code":   strconv.Itoa(code) + "\n",
			}
			for ext, text := range got {
				path := filepath.Join("testdata", name+ext)
				if refresh {
					if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
						t.Fatal(err)
					}
					continue
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("%v (run with WITC_REFRESH=1 to create it)", err)
				}
				if string(want) != text {
					t.Errorf("%s differs from %s:\n--- got ---\n%s\n--- want ---\n%s", ext, path, text, want)
				}
			}
		})
	}
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
