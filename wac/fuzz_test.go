package wac

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/witc-dev/witc/diag"
)

// FuzzParse: any input gives a tree or errors whose spans lie in the
// input, never a panic or a hang.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"package a:b;",
		"package a:b@1.0.0 targets c:d/e;\nlet x = new f:g { ... }.h[\"i\"];\nexport x...;",
		"package a:b; /* /* */",
		"package a:b; import x: func(a: result<_, list<u8>>) -> (b: u32);",
		"package a:b; world w { import x: interface { f: func(); }; include y with { a as b }; }",
		"package a:b; let a = ((((b))));",
		"package a:b; type t = tuple<u8,>; type %u = borrow<x>;",
	} {
		f.Add([]byte(s))
	}
	if dir, err := filepath.Abs(filepath.Join("..", "..", "shared", "conformance", "wac", "wac-parser", "tests")); err == nil {
		filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
			if err == nil && !info.IsDir() && strings.HasSuffix(p, ".wac") {
				if src, err := os.ReadFile(p); err == nil {
					f.Add(src)
				}
			}
			return nil
		})
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		var r diag.Report
		d := ParseFile(diag.NewFile("fuzz.wac", src), &r)
		if d == nil {
			t.Fatal("nil document")
		}
		for _, e := range r.Diagnostics {
			if !e.Span.IsValid() || e.Span.Start < 0 || e.Span.Start > e.Span.End || e.Span.End > len(src) {
				t.Fatalf("diagnostic %q has span [%d, %d) outside the input (%d bytes)", e.Message, e.Span.Start, e.Span.End, len(src))
			}
		}
		if len(r.Diagnostics) == 0 && !d.Span.IsValid() {
			t.Fatal("no errors and no package directive")
		}
	})
}

// TestDeepNesting: nesting far beyond any real document is an error at
// the first bracket too deep, not a stack overflow.
func TestDeepNesting(t *testing.T) {
	src := "package a:b;\nlet x = " + strings.Repeat("(", 100000) + "y" + strings.Repeat(")", 100000) + ";"
	var r diag.Report
	ParseFile(diag.NewFile("deep.wac", []byte(src)), &r)
	if len(r.Diagnostics) != 1 || r.Diagnostics[0].Code != diag.TooDeep {
		t.Fatalf("diagnostics: %v", r.Err())
	}
}

// TestOwnCases parses testdata/*.wac: cases wac's tests lack.
func TestOwnCases(t *testing.T) {
	d, r := parseFile(t, filepath.Join("testdata", "comments.wac"))
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
	if d.Name.String() != "my:comp@1.2.3-rc.1+build" || d.Targets == nil || d.Targets.String() != "wasi:http/proxy@0.2.0" {
		t.Errorf("directive: %s targets %v", d.Name.String(), d.Targets)
	}
	if d.Docs.Text() != "The composition." {
		t.Errorf("document docs %q", d.Docs.Text())
	}
	imp := d.Statements[0].(*Import)
	if imp.ID.Name != "interface" || imp.ID.Span.Text() != "%interface" || imp.As.Value != "my:iface/%x" || !imp.As.Quoted {
		t.Errorf("import: %+v as %+v", imp.ID, imp.As)
	}
	if imp.Docs.Text() != "Imports with %-escaped names." {
		t.Errorf("import docs %q", imp.Docs.Text())
	}
	fn := imp.Type.(*InlineInterface).Items[0].(*InterfaceExport)
	ft := fn.Type.(*FuncType)
	if fn.ID.Name != "type" || ft.Params[0].ID.Name != "list" || len(ft.Results) != 2 || len(ft.Results[1].Type.(*TupleType).Types) != 2 {
		t.Errorf("function: %+v", fn)
	}
	if ft.Span.Text() != "func(%list: list<u8>) -> (a: u32, b: tuple<u8, s8,>)" {
		t.Errorf("function span %q", ft.Span.Text())
	}
	let := d.Statements[1].(*Let)
	n := let.Expr.Primary.(*NewExpr)
	if len(n.Args) != 3 || n.HasFill() || n.Span.Text() != `new my:lib { %interface, "a\b": (%let2), ...spread, }` {
		t.Errorf("new: %d args, span %q", len(n.Args), n.Span.Text())
	}
	if a := n.Args[1].(*NamedArg); a.Name.Value != `a\b` || a.Expr.Primary.(*NestedExpr).Inner.Primary.(*Ident).Name != "let2" {
		t.Errorf("named argument %+v (strings have no escapes)", a)
	}
	ex := d.Statements[2].(*Export)
	if acc := ex.Expr.Postfix[0].(*NamedAccessExpr); acc.Name.Value != `x\n` || acc.Span.Text() != `["x\n"]` || ex.As.Value != "z" {
		t.Errorf("export: %+v", ex)
	}
	if ex.Expr.Span.Text() != `%let["x\n"].y` {
		t.Errorf("export expression span %q", ex.Expr.Span.Text())
	}
}

// TestErrors: errors of the lexer and of the checks after parsing, each at
// its place.
func TestErrors(t *testing.T) {
	tests := []struct{ src, want string }{
		{"package a:b; /* open /* nested */", "1:14: unterminated block comment"},
		{"package a:b; import x: \"y;", "1:24: unterminated string"},
		{"package a:b;\nlet x = new c:d@01.0.0 {};", "2:17: `01.0.0` is not a valid semantic version"},
		{"package a:b;\nlet x = y[z];", "2:11: expected string, found identifier"},
		{"package a:b;\nexport x... as y;", "2:13: expected `;`, found `as` keyword"},
		{"package a:b;\nimport x: a:b;", "2:14: expected `:` or `/`, found `;`"},
		{"package a:b targets c;", "1:22: expected `:`, found `;`"},
		{"package a:b; let Ab = c;", "1:18: identifier parts must be all lowercase or all uppercase: \"Ab\""},
		{"package a:b; let a = b€;", "1:23: unexpected character '€'"},
	}
	for _, tt := range tests {
		var r diag.Report
		ParseFile(diag.NewFile("t.wac", []byte(tt.src)), &r)
		if len(r.Diagnostics) == 0 {
			t.Errorf("%q: no error", tt.src)
			continue
		}
		d := r.Diagnostics[0]
		if got := lineCol(d) + ": " + d.Message; got != tt.want {
			t.Errorf("%q:\n got %s\nwant %s", tt.src, got, tt.want)
		}
	}
	// Parse returns the diagnostics as a diag.List, rendered path:line:col.
	_, err := Parse("x.wac", []byte("package a:b;\nlet x = y"))
	if l, ok := err.(diag.List); !ok || !strings.HasPrefix(l.Error(), "x.wac:2:9: expected") {
		t.Errorf("Parse error = %v", err)
	}
}
