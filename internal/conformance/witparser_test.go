// Package conformance runs upstream test data against witc. The data lives in
// ../shared/conformance beside the repository (never committed); tests skip
// with a message when it is absent.
package conformance

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/witc-dev/witc/diag"
	"github.com/witc-dev/witc/internal/textdiff"
	"github.com/witc-dev/witc/loader"
	"github.com/witc-dev/witc/wit"
)

func sharedDir(t testing.TB) string {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(wd, "..", "..", "..", "shared", "conformance")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("conformance data not found at %s: skipping", dir)
	}
	return dir
}

// knownFailures reads testdata/known-failures.txt: "case  reason" lines.
func knownFailures(t *testing.T) map[string]string { return readList(t, "known-failures.txt") }

// readList reads a testdata list of "case  reason" lines.
func readList(t *testing.T, name string) map[string]string {
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, reason, _ := strings.Cut(line, " ")
		out[name] = strings.TrimSpace(reason)
	}
	return out
}

// uiCases lists the cases of a wit-parser UI directory as upstream does:
// every subdirectory, and every .wit/.wat/.wasm file.
func uiCases(t *testing.T, dir string) []string {
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		name := e.Name()
		if name == "parse-fail" {
			continue
		}
		switch {
		case e.IsDir():
		case strings.HasSuffix(name, ".wit"), strings.HasSuffix(name, ".wat"), strings.HasSuffix(name, ".wasm"):
		default:
			continue
		}
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

func expectedPath(dir, name, ext string) string {
	base := name
	if i := strings.LastIndexByte(name, '.'); i > 0 {
		base = name[:i]
	}
	return filepath.Join(dir, base+ext)
}

var uiOptions = loader.Options{Features: []string{"active"}}

func TestWitParserUI(t *testing.T) {
	root := filepath.Join(sharedDir(t), "wit-parser-ui")
	known := knownFailures(t)
	passed, failed, expectedFail := 0, 0, 0
	check := func(key string, err error) {
		_, isKnown := known[key]
		switch {
		case err == nil && isKnown:
			failed++
			t.Errorf("%s: passes but is listed in known-failures.txt; remove it", key)
		case err == nil:
			passed++
		case isKnown:
			expectedFail++
		default:
			failed++
			t.Errorf("%s: %v", key, err)
		}
	}
	for _, name := range uiCases(t, root) {
		check(name, passingCase(root, name))
	}
	pf := filepath.Join(root, "parse-fail")
	wording := readList(t, "message-differences.txt")
	sameWords := 0
	for _, name := range uiCases(t, pf) {
		err := failingCase(pf, name)
		var wd wordingError
		if errors.As(err, &wd) {
			if _, listed := wording[name]; listed {
				err = nil
			}
		} else if err == nil {
			if _, listed := wording[name]; listed {
				err = fmt.Errorf("message now matches wit-parser's; remove it from message-differences.txt")
			} else {
				sameWords++
			}
		}
		check("parse-fail/"+name, err)
	}
	t.Logf("parse-fail: %d of %d messages worded exactly as wit-parser's", sameWords, len(uiCases(t, pf)))
	t.Logf("wit-parser ui: %d passed, %d failed, %d known failures", passed, failed, expectedFail)
	fmt.Printf("wit-parser ui: %d passed, %d failed, %d known failures\n", passed, failed, expectedFail)
}

func passingCase(dir, name string) error {
	want, err := os.ReadFile(expectedPath(dir, name, ".wit.json"))
	if err != nil {
		return err
	}
	var r diag.Report
	res, _ := loader.Load(filepath.Join(dir, name), uiOptions, &r)
	if r.HasErrors() {
		return fmt.Errorf("unexpected errors:\n%s", diag.Renderer{}.Render(r.Diagnostics))
	}
	var b bytes.Buffer
	if err := wit.WriteJSON(&b, res); err != nil {
		return err
	}
	got := strings.TrimSpace(b.String())
	w := strings.TrimSpace(strings.ReplaceAll(string(want), "\r\n", "\n"))
	if got != w {
		return fmt.Errorf("JSON differs from upstream:\n%s", textdiff.First(w, got))
	}
	return nil
}

var locRE = regexp.MustCompile(`(?m)^\s*--> (.*):(\d+):(\d+)\s*$`)
var shortLocRE = regexp.MustCompile(`(?m)(tests/ui/\S+?):(\d+):(\d+): `)

// failingCase requires an error, and when the expected error has a location,
// an error at the same line:col.
func failingCase(dir, name string) error {
	want, err := os.ReadFile(expectedPath(dir, name, ".wit.result"))
	if err != nil {
		return err
	}
	var r diag.Report
	loader.Load(filepath.Join(dir, name), uiOptions, &r)
	if !r.HasErrors() {
		return fmt.Errorf("resolved without errors; upstream rejects it with:\n%s", want)
	}
	m := locRE.FindStringSubmatch(string(want))
	if m == nil {
		m = shortLocRE.FindStringSubmatch(string(want))
	}
	if m == nil {
		return nil // upstream's error has no location
	}
	wantLoc := filepath.Base(m[1]) + ":" + m[2] + ":" + m[3]
	var first *diag.Diagnostic
	for _, d := range r.Diagnostics {
		if d.Severity == diag.Error {
			first = d
			break
		}
	}
	pos := first.Span.Pos()
	gotLoc := fmt.Sprintf("%s:%d:%d", filepath.Base(pos.Filename), pos.Line, pos.Column)
	if gotLoc != wantLoc {
		return fmt.Errorf("first error at %s, upstream at %s\n  witc: %s\n  upstream:\n%s", gotLoc, wantLoc, first.Message, want)
	}
	// The innermost message is the text before the "-->" line, after any
	// "context: " prefixes upstream adds for directories.
	wantMsg := strings.TrimSpace(string(want[:strings.Index(string(want), m[0])]))
	gotMsg := strings.SplitN(first.Message, "\n", 2)[0]
	if !strings.HasSuffix(strings.SplitN(wantMsg, "\n", 2)[0], gotMsg) {
		return wordingError{fmt.Sprintf("message differs:\n  witc:     %s\n  upstream: %s", gotMsg, wantMsg)}
	}
	return nil
}

// wordingError is a failing case rejected at the right place with other
// words than wit-parser's.
type wordingError struct{ msg string }

func (e wordingError) Error() string { return e.msg }
