package diag

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func TestPosition(t *testing.T) {
	f := NewFile("x.wit", []byte("ab\r\n\tcé d\nlast"))
	for _, c := range []struct {
		off, line, col int
	}{
		{0, 1, 1},
		{2, 1, 3},  // the \r: columns count bytes
		{4, 2, 1},  // the tab
		{5, 2, 2},  // c
		{6, 2, 3},  // é (two bytes)
		{8, 2, 5},  // the space after é
		{11, 3, 1}, // "last"
		{15, 3, 5}, // end of input
		{-3, 1, 1}, // clamped
		{99, 3, 5}, // clamped
	} {
		p := f.Position(c.off)
		if p.Line != c.line || p.Column != c.col || p.Filename != "x.wit" {
			t.Errorf("Position(%d) = %d:%d, want %d:%d", c.off, p.Line, p.Column, c.line, c.col)
		}
	}
	for n, want := range []string{"", "ab", "\tcé d", "last", ""} {
		if got := f.Line(n); got != want {
			t.Errorf("Line(%d) = %q, want %q (no line terminator, no \\r)", n, got, want)
		}
	}
}

func TestSpan(t *testing.T) {
	f := NewFile("x.wit", []byte("interface foo {}"))
	s := f.Span(10, 13)
	if s.Text() != "foo" || !s.IsValid() || s.Pos().Column != 11 {
		t.Errorf("span %+v: text %q, column %d", s, s.Text(), s.Pos().Column)
	}
	if (Span{}).IsValid() || (Span{}).Text() != "" || (Span{}).Pos() != (Position{}) {
		t.Error("the zero Span has a position")
	}
	if got := Join(f.Span(0, 9), s); got.Start != 0 || got.End != 13 {
		t.Errorf("Join = %d..%d", got.Start, got.End)
	}
	if got := Join(Span{}, s); got != s {
		t.Error("Join with an invalid span")
	}
	if got := Join(s, Span{}); got != s {
		t.Error("Join with an invalid span")
	}
	if f.Span(5, 2).Text() != "" || f.Span(0, 99).Text() != "" {
		t.Error("an out-of-range span has text")
	}
}

func TestRender(t *testing.T) {
	f := NewFile("a.wit", []byte("package a:b;\n\tinterface é {\r\n  f: func(x: nope);\n}\n"))
	var r Report
	d := r.Errorf(UndefinedName, f.Span(43, 47), "name `%s` does not exist", "nope")
	d.Notef(f.Span(14, 23), "in this interface")
	r.Errorf(InvalidIdentifier, f.Span(24, 26), "bad name")
	r.Errorf(ReadFailed, Span{}, "no position")
	r.Warnf(Syntax, f.Span(len(f.Content), len(f.Content)), "at the end")
	got := Renderer{}.Render(r.Diagnostics)
	want := "a.wit:3:14: error: name `nope` does not exist\n" +
		"     |\n   3 |   f: func(x: nope);\n     |              ^---\n" +
		"a.wit:2:2: note: in this interface\n" +
		"     |\n   2 | \tinterface é {\n     | \t^--------\n" +
		"a.wit:2:12: error: bad name\n" +
		"     |\n   2 | \tinterface é {\n     | \t          ^\n" +
		"error: no position\n" +
		"a.wit:5:1: warning: at the end\n" +
		"     |\n   5 | \n     | ^\n"
	if got != want {
		t.Errorf("Render:\n%s\nwant:\n%s", got, want)
	}
	coded := Renderer{Codes: true}.Render(r.Diagnostics)
	for _, line := range []string{"a.wit:3:14: error[undefined-name]: name", "a.wit:2:2: note: in this", "error[read-failed]: no position", "warning[syntax]: at the end"} {
		if !strings.Contains(coded, line) {
			t.Errorf("Render with codes lacks %q:\n%s", line, coded)
		}
	}
	if d.Error() != "a.wit:3:14: name `nope` does not exist" || r.Diagnostics[2].Error() != "no position" {
		t.Errorf("Error() = %q", d.Error())
	}
}

func TestLongLineHasNoSnippet(t *testing.T) {
	f := NewFile("a.wit", []byte(strings.Repeat("x", maxSnippetLine+1)))
	var r Report
	r.Errorf(Syntax, f.Span(3, 4), "here")
	if got := (Renderer{}).Render(r.Diagnostics); got != "a.wit:1:4: error: here\n" {
		t.Errorf("got %q", got)
	}
}

func TestReport(t *testing.T) {
	a := NewFile("a.wit", []byte("0123456789"))
	b := NewFile("b.wit", []byte("0123456789"))
	var r Report
	if r.HasErrors() || r.Err() != nil {
		t.Fatal("an empty report has errors")
	}
	r.Warnf(Syntax, b.Span(1, 2), "w")
	if r.HasErrors() || r.Err() != nil {
		t.Fatal("a warning is an error")
	}
	r.Errorf(Syntax, b.Span(5, 6), "b5")
	r.Errorf(Syntax, a.Span(7, 8), "a7")
	r.Add(&Diagnostic{Message: "first"}, &Diagnostic{Span: a.Span(2, 3), Message: "a2"})
	r.Sort()
	var order []string
	for _, d := range r.Diagnostics {
		order = append(order, d.Message)
	}
	if got := strings.Join(order, " "); got != "first a2 a7 w b5" {
		t.Errorf("sorted: %s", got)
	}
	err := r.Err()
	if err == nil || err.Error() != "first (and 3 more errors)" {
		t.Errorf("Err() = %v", err)
	}
	if l := err.(List); len(l) != 4 || (List{}).Error() != "no errors" || l[:1].Error() != "first" {
		t.Errorf("List: %v", l)
	}
}

// TestCodes: every code is unique, kebab-case, documented, and reported by
// the WIT front end (parser, resolver or loader).
func TestCodes(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "codes.go", nil, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	var sources []byte
	for _, dir := range []string{"parser", "resolver", "loader"} {
		files, _ := filepath.Glob(filepath.Join("..", dir, "*.go"))
		for _, name := range files {
			if strings.HasSuffix(name, "_test.go") {
				continue
			}
			b, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			sources = append(sources, b...)
		}
	}
	kebab := regexp.MustCompile(`^[a-z]+(-[a-z]+)*$`)
	values := map[string]string{}
	n := 0
	for _, decl := range f.Decls {
		g, ok := decl.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, spec := range g.Specs {
			vs := spec.(*ast.ValueSpec)
			name := vs.Names[0].Name
			lit, ok := vs.Values[0].(*ast.BasicLit)
			if !ok {
				t.Fatalf("%s: not a string literal", name)
			}
			value := strings.Trim(lit.Value, `"`)
			n++
			if prev, dup := values[value]; dup {
				t.Errorf("%s and %s share the code %q", prev, name, value)
			}
			values[value] = name
			if !kebab.MatchString(value) {
				t.Errorf("%s: code %q is not kebab-case", name, value)
			}
			if vs.Comment == nil || strings.TrimSpace(vs.Comment.Text()) == "" {
				t.Errorf("%s: no comment saying what the code means", name)
			}
			if !regexp.MustCompile(`\bdiag\.` + name + `\b`).Match(sources) {
				t.Errorf("%s is not reported anywhere in parser, resolver or loader", name)
			}
		}
	}
	if n < 30 {
		t.Errorf("found only %d codes", n)
	}
}

// TestRenderEscapes: control characters in the source, a message or a file
// name reach the terminal as visible text, never as escape sequences, and
// the caret stays under its span.
func TestRenderEscapes(t *testing.T) {
	src := "// \x1b[2J\x1b[H\r\x07\x7f \u009b1m \u202egnp.exe \xff x\ninterface i {}\n"
	f := NewFile("evil\x1b]0;title\x07.wit", []byte(src))
	at := strings.Index(src, " x\n") + 1
	var r Report
	r.Errorf(Syntax, f.Span(at, at+1), "unexpected `\x1b[31m`\nsecond\tline")
	r.Errorf(Syntax, f.Span(3, 7), "the escape")
	got := Renderer{}.Render(r.Diagnostics)
	line := "// ␛[2J␛[H␍␇␡ \\u{9b}1m \\u{202e}gnp.exe \ufffd x"
	want := "evil␛]0;title␇.wit:1:" + strconv.Itoa(at+1) + ": error: unexpected `␛[31m`\nsecond\tline\n" +
		"     |\n   1 | " + line + "\n     | " + strings.Repeat(" ", len([]rune(line))-1) + "^\n" +
		"evil␛]0;title␇.wit:1:4: error: the escape\n" +
		"     |\n   1 | " + line + "\n     |    ^---\n"
	if got != want {
		t.Errorf("Render:\n%q\nwant:\n%q", got, want)
	}
	for _, c := range got {
		if c < 0x20 && c != '\n' && c != '\t' || c == 0x7f || c >= 0x80 && c < 0xa0 || c == 0x202e {
			t.Errorf("the rendering holds %U", c)
		}
	}
	if e := r.Diagnostics[1].Error(); e != "evil␛]0;title␇.wit:1:4: the escape" {
		t.Errorf("Error() = %q", e)
	}
}

func TestRenderHelpAndColor(t *testing.T) {
	f := NewFile("a.wit", []byte("type x = pont;\n"))
	var r Report
	r.Errorf(UndefinedName, f.Span(9, 13), "name `%s` does not exist", "pont").Helpf("did you mean `%s`?", "point")
	want := "a.wit:1:10: error: name `pont` does not exist\n" +
		"     |\n   1 | type x = pont;\n     |          ^---\n" +
		"     = help: did you mean `point`?\n"
	if got := (Renderer{}).Render(r.Diagnostics); got != want {
		t.Errorf("Render:\n%s\nwant:\n%s", got, want)
	}
	colored := Renderer{Color: true}.Render(r.Diagnostics)
	for _, part := range []string{"\x1b[1;31merror\x1b[0m", "\x1b[1;34m   1 |\x1b[0m type x", "\x1b[1;34m^---\x1b[0m", "\x1b[1mhelp\x1b[0m: did you mean"} {
		if !strings.Contains(colored, part) {
			t.Errorf("coloured rendering lacks %q:\n%q", part, colored)
		}
	}
	if strings.Contains(want, "\x1b") {
		t.Error("the plain form has escapes")
	}
}
