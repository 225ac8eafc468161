// Package golden runs golden-file tests: every case is an input in a
// testdata directory, a test function turns it into outputs, and each output
// is compared with the golden file beside the input. It is the one runner
// behind witc's golden tests (the resolver corpus, the CLI, bindgen), after
// protocompile's internal/golden.
//
// Setting the environment variable WITC_REFRESH rewrites the golden files
// instead of comparing them: WITC_REFRESH=1 refreshes every case, any other
// value is a glob (path.Match) that selects cases by name, e.g.
// WITC_REFRESH='use-*'. Review the diff of a refresh like any other change.
package golden

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strings"
	"testing"

	"github.com/witc-dev/witc/internal/textdiff"
)

// Refresh is the environment variable that makes Run rewrite golden files.
const Refresh = "WITC_REFRESH"

// Corpus describes a directory of cases.
type Corpus struct {
	// Root is the directory that holds the cases, relative to the package
	// directory of the test (where `go test` runs it).
	Root string
	// Extensions lists the name endings of the input files, e.g. ".wit".
	// Only the entries directly in Root are cases; sub-directories are not
	// searched.
	Extensions []string
	// Dirs makes every directory in Root a case too (a multi-file input
	// such as a package directory with deps/). Its golden files are named
	// as if it were a file with the first extension: the goldens of dir x
	// are x.wit.json, x.wit.stderr, as in wit-parser's UI tests.
	Dirs bool
	// Outputs lists the suffixes of the golden files every case has, e.g.
	// ".json", ".stderr". A missing golden file means the output is
	// expected to be empty; an output the test function does not return is
	// empty. The test function may return further suffixes of its own.
	Outputs []string
	// TrimExt names golden files after the input without its extension
	// (x.args → x.stdout) instead of after the whole name (x.wit → x.wit.json).
	TrimExt bool
	// KeepEmpty makes a refresh write an empty output as an empty file;
	// by default the golden file is removed.
	KeepEmpty bool
}

// Case is one input of a corpus.
type Case struct {
	Name  string // the input's name relative to Root, slash-separated
	Path  string // the input's path, for reading a directory case
	Input string // the file's content; "" for a directory case
	Dir   bool   // the input is a directory
}

// Run runs test on every case of the corpus as a subtest named after the
// case and compares the outputs it returns, keyed by golden suffix, with the
// golden files. A test function may call t.Parallel. A panic fails the case
// with its stack instead of ending the whole run.
func (c Corpus) Run(t *testing.T, test func(t *testing.T, k Case) map[string]string) {
	t.Helper()
	cases := c.cases(t)
	if len(cases) == 0 {
		t.Fatalf("golden: no cases in %s", c.Root)
	}
	// Golden files are found from here even when a test changes directory.
	abs, err := filepath.Abs(c.Root)
	if err != nil {
		t.Fatal(err)
	}
	refresh := os.Getenv(Refresh)
	if refresh != "" && refresh != "1" {
		if _, err := path.Match(refresh, ""); err != nil {
			t.Fatalf("golden: %s=%q is not a valid glob: %v", Refresh, refresh, err)
		}
	}
	for _, k := range cases {
		t.Run(k.Name, func(t *testing.T) {
			if !k.Dir {
				b, err := os.ReadFile(k.Path)
				if err != nil {
					t.Fatal(err)
				}
				k.Input = string(b)
			}
			var got map[string]string
			if failed := catch(t.Errorf, func() { got = test(t, k) }); failed {
				return
			}
			all := map[string]string{}
			for _, suffix := range c.Outputs {
				all[suffix] = ""
			}
			for suffix, text := range got {
				all[suffix] = text
			}
			suffixes := make([]string, 0, len(all))
			for s := range all {
				suffixes = append(suffixes, s)
			}
			sort.Strings(suffixes)
			match, _ := path.Match(refresh, k.Name)
			for _, suffix := range suffixes {
				golden := filepath.Join(abs, c.golden(k)+suffix)
				if refresh == "1" || match {
					c.write(t, golden, all[suffix])
				} else {
					compare(t, golden, all[suffix])
				}
			}
		})
	}
}

// cases lists the inputs directly in Root, in name order.
func (c Corpus) cases(t *testing.T) []Case {
	ents, err := os.ReadDir(c.Root)
	if err != nil {
		t.Fatalf("golden: %v", err)
	}
	var out []Case
	for _, e := range ents {
		name := e.Name()
		isCase := e.IsDir() && c.Dirs
		for _, ext := range c.Extensions {
			isCase = isCase || !e.IsDir() && strings.HasSuffix(name, ext)
		}
		if isCase {
			out = append(out, Case{Name: name, Path: filepath.Join(c.Root, name), Dir: e.IsDir()})
		}
	}
	return out
}

// golden returns the name in Root that golden suffixes are appended to.
func (c Corpus) golden(k Case) string {
	switch {
	case k.Dir && len(c.Extensions) > 0:
		return k.Name + c.Extensions[0]
	case c.TrimExt:
		return strings.TrimSuffix(k.Name, filepath.Ext(k.Name))
	}
	return k.Name
}

func (c Corpus) write(t *testing.T, golden, text string) {
	if text == "" && !c.KeepEmpty {
		if err := os.Remove(golden); err != nil && !errors.Is(err, fs.ErrNotExist) {
			t.Error(err)
		}
		return
	}
	if err := os.WriteFile(golden, []byte(text), 0o644); err != nil {
		t.Error(err)
	}
}

func compare(t *testing.T, golden, got string) {
	if msg := mismatch(golden, got); msg != "" {
		t.Error(msg)
	}
}

// mismatch describes how got differs from the golden file; "" when it
// does not.
func mismatch(golden, got string) string {
	want, err := os.ReadFile(golden)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err.Error()
	}
	switch {
	case string(want) == got:
		return ""
	case err != nil:
		return fmt.Sprintf("%s does not exist but the output is not empty (%s=1 creates it after review):\n%s", golden, Refresh, got)
	case got == "":
		return fmt.Sprintf("the output is empty but %s is not (%s=1 removes it after review)", golden, Refresh)
	}
	return fmt.Sprintf("the output differs from %s (%s=1 rewrites it after review); %s", golden, Refresh, textdiff.First(string(want), got))
}

// catch runs fn, reporting a panic with its stack to errorf; it reports
// whether fn panicked.
func catch(errorf func(string, ...any), fn func()) (panicked bool) {
	defer func() {
		if v := recover(); v != nil {
			errorf("panic: %v\n%s", v, debug.Stack())
			panicked = true
		}
	}()
	fn()
	return false
}
