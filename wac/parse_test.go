package wac

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/witc-dev/witc/diag"
)

// testsDir returns wac's parser test data beside the repository (see
// ../shared/conformance/wac/README.md), or skips.
func testsDir(t testing.TB) string {
	d, err := filepath.Abs(filepath.Join("..", "..", "shared", "conformance", "wac", "wac-parser", "tests"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(d); err != nil {
		t.Skipf("%s not found: wac's conformance inputs are not available", d)
	}
	return d
}

func parseFile(t testing.TB, path string) (*Document, *diag.Report) {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var r diag.Report
	return ParseFile(diag.NewFile(path, src), &r), &r
}

func glob(t testing.TB, pattern string) []string {
	t.Helper()
	m, err := filepath.Glob(pattern)
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(m)
	return m
}

func marshal(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// knownDifferences reads testdata/parser-known.txt: one case a line, "name:
// reason", # comments.
func knownDifferences(t testing.TB) map[string]string {
	f, err := os.Open(filepath.Join("testdata", "parser-known.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	known := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, reason, _ := strings.Cut(line, ":")
		known[strings.TrimSpace(name)] = strings.TrimSpace(reason)
	}
	return known
}

// checkKnown fails when a case's outcome disagrees with the known list.
func checkKnown(t *testing.T, known map[string]string, name string, ok bool, detail string) {
	t.Helper()
	reason, listed := known[name]
	switch {
	case !ok && !listed:
		t.Errorf("%s: %s (not in testdata/parser-known.txt)", name, detail)
	case ok && listed:
		t.Errorf("%s: now matches wac; remove it from testdata/parser-known.txt (%s)", name, reason)
	}
}

// TestParserCases parses each of wac's parser/*.wac and compares the tree,
// statement by statement, with wac's tree in X.wac.result (spans aside).
func TestParserCases(t *testing.T) {
	dir := testsDir(t)
	known := knownDifferences(t)
	files := glob(t, filepath.Join(dir, "parser", "*.wac"))
	exact, stmts, stmtsOK := 0, 0, 0
	for _, p := range files {
		name := "parser/" + filepath.Base(p)
		d, r := parseFile(t, p)
		if err := r.Err(); err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		raw, err := os.ReadFile(p + ".result")
		if err != nil {
			t.Fatal(err)
		}
		var want map[string]any
		if err := json.Unmarshal(raw, &want); err != nil {
			t.Fatalf("%s.result: %v", name, err)
		}
		want = stripSpans(want).(map[string]any)
		got := jDocument(d).(obj)
		wantStmts, _ := want["statements"].([]any)
		gotStmts := got["statements"].([]any)
		var diffs []string
		if len(gotStmts) != len(wantStmts) {
			diffs = append(diffs, fmt.Sprintf("%d statements, want %d", len(gotStmts), len(wantStmts)))
		}
		for i := range min(len(gotStmts), len(wantStmts)) {
			stmts++
			g, w := marshal(t, gotStmts[i]), marshal(t, wantStmts[i])
			if g == w {
				stmtsOK++
				continue
			}
			diffs = append(diffs, fmt.Sprintf("statement %d:\n got %s\nwant %s", i+1, g, w))
		}
		for _, k := range []string{"docs", "directive"} {
			if g, w := marshal(t, got[k]), marshal(t, want[k]); g != w {
				diffs = append(diffs, fmt.Sprintf("%s: got %s, want %s", k, g, w))
			}
		}
		if len(diffs) == 0 {
			exact++
		}
		checkKnown(t, known, name, len(diffs) == 0, strings.Join(diffs, "\n"))
	}
	t.Logf("wac parser cases: %d of %d trees equal to wac's (spans aside); statements %d of %d", exact, len(files), stmtsOK, stmts)
}

var resultPos = regexp.MustCompile(`╭─\[tests/[^\]]*:(\d+):(\d+)\]`)

// wacError reads the message and line:col of a wac error (.result file).
func wacError(t testing.TB, path string) (msg, pos string) {
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, l := range strings.Split(string(raw), "\n") {
		switch {
		case strings.HasPrefix(l, "  × "):
			lines = append(lines, strings.TrimPrefix(l, "  × "))
		case strings.HasPrefix(l, "  │ ") && len(lines) > 0:
			lines = append(lines, strings.TrimPrefix(l, "  │ "))
		}
	}
	if m := resultPos.FindStringSubmatch(string(raw)); m != nil {
		pos = m[1] + ":" + m[2]
	}
	return strings.Join(lines, " "), pos
}

// lineCol renders where d starts as wac does: 1-based line and column in
// characters.
func lineCol(d *diag.Diagnostic) string {
	p := d.Span.Pos()
	line := d.Span.File.Line(p.Line)
	col := utf8.RuneCountInString(line[:min(p.Column-1, len(line))]) + 1
	return fmt.Sprintf("%d:%d", p.Line, col)
}

// TestParserFailCases: each of wac's parser/fail/*.wac is rejected, the
// first error at wac's line:col, worded as wac words it (differences are
// listed in testdata/parser-known.txt).
func TestParserFailCases(t *testing.T) {
	dir := testsDir(t)
	known := knownDifferences(t)
	files := glob(t, filepath.Join(dir, "parser", "fail", "*.wac"))
	posOK, msgOK := 0, 0
	for _, p := range files {
		name := "parser/fail/" + filepath.Base(p)
		_, r := parseFile(t, p)
		if len(r.Diagnostics) == 0 {
			t.Errorf("%s: parsed without error", name)
			continue
		}
		d := r.Diagnostics[0]
		wantMsg, wantPos := wacError(t, p+".result")
		got := lineCol(d)
		if got == wantPos {
			posOK++
		}
		if d.Message == wantMsg {
			msgOK++
		}
		if got != wantPos {
			t.Errorf("%s: first error at %s (%s), wac's at %s (%s)", name, got, d.Message, wantPos, wantMsg)
		}
		checkKnown(t, known, name, d.Message == wantMsg, fmt.Sprintf("message %q, wac's %q", d.Message, wantMsg))
	}
	t.Logf("wac parser failures: %d of %d rejected at wac's line:col, %d of %d worded as wac's", posOK, len(files), msgOK, len(files))
}

// TestResolutionInputsParse: the documents of wac's resolution and
// encoding tests parse, except the failing cases whose error is a parse
// error, which fail at wac's line:col.
func TestResolutionInputsParse(t *testing.T) {
	dir := testsDir(t)
	parsed, rejected := 0, 0
	for _, sub := range []string{"resolution", "encoding"} {
		for _, p := range glob(t, filepath.Join(dir, sub, "*.wac")) {
			_, r := parseFile(t, p)
			if err := r.Err(); err != nil {
				t.Errorf("%v", err)
				continue
			}
			parsed++
		}
		for _, p := range glob(t, filepath.Join(dir, sub, "fail", "*.wac")) {
			raw, err := os.ReadFile(p + ".result")
			if err != nil {
				t.Fatal(err)
			}
			_, r := parseFile(t, p)
			if !strings.HasPrefix(string(raw), "failed to parse document") {
				// A resolution error: the document itself is well formed.
				if err := r.Err(); err != nil {
					t.Errorf("%v (wac: a resolution error)", err)
				} else {
					parsed++
				}
				continue
			}
			_, wantPos := wacError(t, p+".result")
			if len(r.Diagnostics) == 0 {
				t.Errorf("%s: parsed, wac fails at %s", p, wantPos)
				continue
			}
			if got := lineCol(r.Diagnostics[0]); got != wantPos {
				t.Errorf("%s: first error at %s, wac's at %s", p, got, wantPos)
				continue
			}
			rejected++
		}
	}
	t.Logf("resolution and encoding documents: %d parsed, %d parse failures at wac's line:col", parsed, rejected)
}
