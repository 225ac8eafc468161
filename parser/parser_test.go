package parser

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/witc-dev/witc/diag"
	"github.com/witc-dev/witc/internal/linear"
	"github.com/witc-dev/witc/parser/ast"
)

func parse(t testing.TB, src string) (*ast.File, *diag.Report) {
	t.Helper()
	var r diag.Report
	f := ParseFile(diag.NewFile("test.wit", []byte(src)), &r)
	return f, &r
}

func TestSpansAndDocs(t *testing.T) {
	src := "/// The package.\npackage a:b@1.2.3-rc.1+build;\n\n// plain comment\n/* block */\ninterface %interface {\n  /** doc */\n  @since(version = 1.0.0)\n  f: async func(x: list<u32, 4>, y: map<string, option<u8>>) -> result<_, string>;\n}\n"
	f, r := parse(t, src)
	if len(r.Diagnostics) > 0 {
		t.Fatal(diag.Renderer{}.Render(r.Diagnostics))
	}
	if f.Package == nil || f.Package.Name.Version == nil || f.Package.Name.Version.Text != "1.2.3-rc.1+build" {
		t.Fatalf("package header not parsed: %+v", f.Package)
	}
	if got, _ := f.Package.Docs.Contents(); got != "The package." {
		t.Errorf("package docs = %q", got)
	}
	iface := f.Items[0].(*ast.Interface)
	if iface.Name.Name != "interface" || iface.Name.Span.Text() != "%interface" {
		t.Errorf("escaped name = %q (span %q)", iface.Name.Name, iface.Name.Span.Text())
	}
	if got, _ := iface.Docs.Contents(); got != " plain comment\n* block */" {
		t.Errorf("interface docs = %q", got)
	}
	fn := iface.Items[0].(*ast.FuncDecl)
	if fn.Name.Span.Text() != "f" || !fn.Func.Async || len(fn.Attrs) != 1 || fn.Attrs[0].Version.Text != "1.0.0" {
		t.Errorf("func not parsed as expected: %+v", fn)
	}
	if got, _ := fn.Docs.Contents(); got != "doc" {
		t.Errorf("func docs = %q", got)
	}
	lt := fn.Func.Params[0].Type.(*ast.ListType)
	if lt.Size == nil || *lt.Size != 4 || lt.Span.Text() != "list<u32, 4>" || lt.SizeSpan.Text() != "4" {
		t.Errorf("fixed list = %+v span %q", lt, lt.Span.Text())
	}
	rt := fn.Func.Result.(*ast.ResultType)
	if rt.Ok != nil || rt.Err == nil || rt.Span.Text() != "result<_, string>" {
		t.Errorf("result = %+v", rt)
	}
}

func TestDocsContents(t *testing.T) {
	tests := []struct {
		comments []string
		want     string
	}{
		{[]string{"/// a", "/// b"}, "a\nb"},
		{[]string{"///   indented", "///     more"}, "indented\n  more"},
		{[]string{"// x", "//", "// y"}, "x\n\ny"},
		{[]string{"/** multi\n   line */"}, "multi\n   line"},
		{[]string{"/* x */"}, "* x */"},
	}
	for _, tt := range tests {
		var d ast.Docs
		for _, c := range tt.comments {
			d.Comments = append(d.Comments, ast.Comment{Text: c})
		}
		if got, ok := d.Contents(); !ok || got != tt.want {
			t.Errorf("Contents(%q) = %q, want %q", tt.comments, got, tt.want)
		}
	}
	if _, ok := (ast.Docs{}).Contents(); ok {
		t.Error("empty docs reported as present")
	}
}

func TestSyntaxErrors(t *testing.T) {
	tests := []struct{ src, want string }{
		{"interface a { type option = u32; }", "1:20"},
		{"interface a { x: func() }", "1:25"},
		{"interface a { type b = list<u32,>; }", "1:33"},
		{"interface a { /* unterminated", "1:15"},
		{"package a:b;\npackage c:d;", "2:12"},
		{"interface Ab-cD {}", "1:11"},
		{"interface a { x: func(a: u32 b: u32); }", "1:30"},
		{"world w { import a: func() }", "1:28"},
		{"interface a \x01 {}", "1:13"},
	}
	for _, tt := range tests {
		_, r := parse(t, tt.src)
		if len(r.Diagnostics) == 0 {
			t.Errorf("%q: no error", tt.src)
			continue
		}
		p := r.Diagnostics[0].Span.Pos()
		if got := strconv.Itoa(p.Line) + ":" + strconv.Itoa(p.Column); got != tt.want {
			t.Errorf("%q: error at %s (%s), want %s", tt.src, got, r.Diagnostics[0].Message, tt.want)
		}
	}
}

// sharedDir returns ../shared/conformance beside the repository, or skips.
func sharedDir(t testing.TB) string {
	d, err := filepath.Abs(filepath.Join("..", "..", "shared", "conformance"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(d); err != nil {
		t.Skipf("%s not found: conformance inputs are not available", d)
	}
	return d
}

func witFiles(t testing.TB, root string, skip func(string) bool) []string {
	var out []string
	filepath.Walk(root, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() && strings.HasSuffix(p, ".wit") && (skip == nil || !skip(p)) {
			out = append(out, p)
		}
		return nil
	})
	sort.Strings(out)
	return out
}

// TestConformanceInputsParse: every WIT file of the upstream passing cases and
// of the real-world sets parses without a diagnostic.
func TestConformanceInputsParse(t *testing.T) {
	dir := sharedDir(t)
	var files []string
	for _, sub := range []string{"wit-parser-ui", "wasi-wit", "real-wit", "wit-bindgen-runtime-wit"} {
		files = append(files, witFiles(t, filepath.Join(dir, sub), func(p string) bool { return strings.Contains(p, "parse-fail") })...)
	}
	failed := 0
	for _, p := range files {
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var r diag.Report
		ParseFile(diag.NewFile(p, src), &r)
		if len(r.Diagnostics) > 0 {
			failed++
			t.Errorf("%s", diag.Renderer{}.Render(r.Diagnostics))
		}
	}
	t.Logf("%d passed, %d failed", len(files)-failed, failed)
	if len(files) < 900 {
		t.Errorf("only %d conformance files found", len(files))
	}
}

var resultLoc = regexp.MustCompile(`tests/ui/parse-fail/(\S+?):(\d+):(\d+)`)

// TestParseFailPositions: the parse-fail cases listed in
// testdata/syntax-errors.txt are syntax errors; the parser must report one at
// the position wit-parser reports.
func TestParseFailPositions(t *testing.T) {
	dir := filepath.Join(sharedDir(t), "wit-parser-ui", "parse-fail")
	list, err := os.ReadFile("testdata/syntax-errors.txt")
	if err != nil {
		t.Fatal(err)
	}
	passed, failed := 0, 0
	for _, line := range strings.Split(string(list), "\n") {
		name := strings.TrimSpace(strings.SplitN(line, "#", 2)[0])
		if name == "" {
			continue
		}
		want, err := os.ReadFile(filepath.Join(dir, strings.TrimSuffix(name, ".wit")+".wit.result"))
		if err != nil {
			t.Fatal(err)
		}
		m := resultLoc.FindStringSubmatch(string(want))
		if m == nil {
			t.Fatalf("%s: no position in the expected result", name)
		}
		wantFile, wantPos := m[1], m[2]+":"+m[3]
		src, err := os.ReadFile(filepath.Join(dir, wantFile))
		if err != nil {
			t.Fatal(err)
		}
		var r diag.Report
		ParseFile(diag.NewFile(wantFile, src), &r)
		ok := false
		var got bytes.Buffer
		for _, d := range r.Diagnostics {
			p := d.Span.Pos()
			pos := strconv.Itoa(p.Line) + ":" + strconv.Itoa(p.Column)
			got.WriteString(pos + " " + d.Message + "; ")
			ok = ok || pos == wantPos
		}
		if ok {
			passed++
		} else {
			failed++
			t.Errorf("%s: want an error at %s, got: %s", name, wantPos, got.String())
		}
	}
	t.Logf("%d passed, %d failed", passed, failed)
}

// parseBudget is what parsing may cost per byte of input: generous (a
// parse allocates about 700 bytes per byte, nearly all garbage, and takes
// about a microsecond), so that only growth faster than the input fails.
var parseBudget = linear.Budget{BytesPerByte: 8 << 10, BaseBytes: 4 << 20, TimePerByte: 50 * time.Microsecond, BaseTime: 200 * time.Millisecond}

// FuzzParseFile: any input parses to a tree or errors, never a panic,
// with spans inside the input, within parseBudget.
func FuzzParseFile(f *testing.F) {
	f.Add([]byte("package a:b;\ninterface i { type t = list<u32, 4>; f: func(a: t) -> result<_, string>; }"))
	f.Add([]byte("world w { import x: interface { resource r { constructor(); m: static func(); } } include a:b/c@1.0.0 with { a as b } }"))
	f.Add([]byte("package a:b { package c:d { } } @since(version = 1.0.0) @unstable(feature = x) interface %type {}"))
	if d, err := filepath.Abs(filepath.Join("..", "..", "shared", "conformance", "wit-parser-ui")); err == nil {
		for _, p := range witFiles(f, d, nil) {
			if b, err := os.ReadFile(p); err == nil {
				f.Add(b)
			}
		}
	}
	Prepare()
	f.Fuzz(func(t *testing.T, src []byte) {
		var r diag.Report
		linear.Within(t, len(src), parseBudget, func() { ParseFile(diag.NewFile("fuzz.wit", src), &r) })
		for _, d := range r.Diagnostics {
			if d.Span.IsValid() && (d.Span.Start < 0 || d.Span.End > len(src) || d.Span.Start > d.Span.End) {
				t.Fatalf("diagnostic span %d..%d outside the %d-byte input", d.Span.Start, d.Span.End, len(src))
			}
		}
	})
}

func BenchmarkParse(b *testing.B) {
	files := witFiles(b, filepath.Join(sharedDir(b), "wasi-wit", "0.2.12"), nil)
	var srcs [][]byte
	total := 0
	for _, p := range files {
		s, _ := os.ReadFile(p)
		srcs = append(srcs, s)
		total += len(s)
	}
	b.SetBytes(int64(total))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		for _, s := range srcs {
			var r diag.Report
			ParseFile(diag.NewFile("x.wit", s), &r)
		}
	}
}

func BenchmarkLex(b *testing.B) {
	files := witFiles(b, filepath.Join(sharedDir(b), "wasi-wit", "0.2.12"), nil)
	var srcs [][]byte
	total := 0
	for _, p := range files {
		s, _ := os.ReadFile(p)
		srcs = append(srcs, s)
		total += len(s)
	}
	b.SetBytes(int64(total))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		for _, s := range srcs {
			var r diag.Report
			lex(diag.NewFile("x.wit", s), &r)
		}
	}
}
