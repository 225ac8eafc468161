package golden

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func upper(t *testing.T, k Case) map[string]string {
	if k.Dir {
		ents, _ := os.ReadDir(k.Path)
		return map[string]string{".out": strings.ToUpper(ents[0].Name())}
	}
	if strings.HasPrefix(k.Input, "fail") {
		return map[string]string{".err": k.Input}
	}
	return map[string]string{".out": strings.ToUpper(k.Input), ".extra": "x"}
}

// TestRefreshThenCompare: a refresh writes the outputs beside the inputs
// (removing empty ones), after which the same corpus compares equal.
func TestRefreshThenCompare(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"a.in": "abc", "b.in": "fail", "b.in.out": "stale", "ignored.txt": "",
		"pkg/one.in": "",
	})
	c := Corpus{Root: dir, Extensions: []string{".in"}, Dirs: true, Outputs: []string{".out", ".err"}}
	t.Setenv(Refresh, "1")
	c.Run(t, upper)
	for name, want := range map[string]string{
		"a.in.out": "ABC", "a.in.extra": "x", "b.in.err": "fail", "pkg.in.out": "ONE.IN",
	} {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || string(got) != want {
			t.Errorf("%s: %q, %v; want %q", name, got, err, want)
		}
	}
	for _, gone := range []string{"a.in.err", "b.in.out", "ignored.txt.out"} {
		if _, err := os.Stat(filepath.Join(dir, gone)); err == nil {
			t.Errorf("%s exists", gone)
		}
	}
	t.Setenv(Refresh, "")
	c.Run(t, upper)
}

// TestRefreshGlob: only the cases the glob names are rewritten; with
// TrimExt and KeepEmpty the goldens drop the input's extension and empty
// outputs are kept as empty files.
func TestRefreshGlob(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"x.args": "1", "y.args": "2", "y.stdout": "2"})
	c := Corpus{Root: dir, Extensions: []string{".args"}, Outputs: []string{".stdout", ".stderr"}, TrimExt: true, KeepEmpty: true}
	t.Setenv(Refresh, "x*")
	c.Run(t, func(t *testing.T, k Case) map[string]string { return map[string]string{".stdout": k.Input} })
	if b, err := os.ReadFile(filepath.Join(dir, "x.stderr")); err != nil || len(b) != 0 {
		t.Errorf("x.stderr: %q, %v; want an empty file", b, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "y.stderr")); err == nil {
		t.Error("y.stderr was written though the glob does not match y.args")
	}
}

func TestMismatch(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"g": "one\ntwo\n"})
	g := filepath.Join(dir, "g")
	for _, c := range []struct{ golden, got, want string }{
		{g, "one\ntwo\n", ""},
		{g, "one\nthree\n", "first difference at line 2"},
		{g, "", "the output is empty"},
		{g + ".missing", "", ""},
		{g + ".missing", "text", "does not exist"},
	} {
		msg := mismatch(c.golden, c.got)
		if c.want == "" && msg != "" || !strings.Contains(msg, c.want) {
			t.Errorf("mismatch(%s, %q) = %q, want %q", filepath.Base(c.golden), c.got, msg, c.want)
		}
	}
}

// TestPanicIsCaught: a panicking test function fails its case, not the run.
func TestPanicIsCaught(t *testing.T) {
	var msg string
	report := func(format string, args ...any) { msg = fmt.Sprintf(format, args...) }
	if !catch(report, func() { panic("boom") }) || !strings.HasPrefix(msg, "panic: boom") {
		t.Error("a panic was not reported")
	}
}
