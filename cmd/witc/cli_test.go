package main

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/witc-dev/witc/internal/golden"
)

// TestGolden runs witc on the argument lines in testdata/*.args (paths are
// relative to the repository root; words are split as a shell splits them,
// with '...' and "..." quoting) and compares stdout, stderr and the exit
// code with the golden files beside them (NAME.stdout, NAME.stderr,
// NAME.code). WITC_REFRESH=1 rewrites them (internal/golden).
func TestGolden(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	c := golden.Corpus{Root: "testdata", Extensions: []string{".args"}, Outputs: []string{".stdout", ".stderr", ".code"}, TrimExt: true, KeepEmpty: true}
	c.Run(t, func(t *testing.T, k golden.Case) map[string]string {
		words, err := shellWords(k.Input)
		if err != nil {
			t.Fatal(err)
		}
		args := append([]string{"witc"}, words...)
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

// shellWords splits a line into words as a POSIX shell does, for the
// quoting the tests need: blanks separate words, '...' quotes anything,
// "..." quotes anything but \" and \\, and a backslash outside quotes
// escapes the next character.
func shellWords(line string) ([]string, error) {
	var words []string
	var w strings.Builder
	inWord := false
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n':
			if inWord {
				words = append(words, w.String())
				w.Reset()
				inWord = false
			}
		case c == '\'':
			end := strings.IndexByte(line[i+1:], '\'')
			if end < 0 {
				return nil, fmt.Errorf("unterminated ' in %q", line)
			}
			w.WriteString(line[i+1 : i+1+end])
			i += end + 1
			inWord = true
		case c == '"':
			i++
			for ; i < len(line) && line[i] != '"'; i++ {
				if line[i] == '\\' && i+1 < len(line) && (line[i+1] == '"' || line[i+1] == '\\') {
					i++
				}
				w.WriteByte(line[i])
			}
			if i == len(line) {
				return nil, fmt.Errorf("unterminated \" in %q", line)
			}
			inWord = true
		case c == '\\' && i+1 < len(line):
			i++
			w.WriteByte(line[i])
			inWord = true
		default:
			w.WriteByte(c)
			inWord = true
		}
	}
	if inWord {
		words = append(words, w.String())
	}
	return words, nil
}

func TestShellWords(t *testing.T) {
	got, err := shellWords(`run --invoke 'f("a b", 1)' x.wasm "say \"hi\"" a\ b ''` + "\n")
	want := []string{"run", "--invoke", `f("a b", 1)`, "x.wasm", `say "hi"`, "a b", ""}
	if err != nil || !slices.Equal(got, want) {
		t.Errorf("shellWords = %q, %v; want %q", got, err, want)
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
