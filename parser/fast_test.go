package parser

import (
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/alecthomas/participle/v2/lexer"
	"github.com/witc-dev/witc/diag"
	"github.com/witc-dev/witc/parser/ast"
)

// grammarParse parses toks with the participle grammar.
func grammarParse(toks []lexer.Token) (*gFile, error) {
	plex, err := lexer.Upgrade(&sliceLexer{toks: append([]lexer.Token(nil), toks...)})
	if err != nil {
		return nil, err
	}
	return grammar().ParseFromLexer(plex)
}

// TestFastParseMatchesGrammar: on every WIT file of the test data and the
// upstream suites, the hand-written descent either gives up or builds the
// very syntax tree, with the very diagnostics, that the participle grammar
// followed by the lowerer builds; it gives up only where the grammar
// fails.
func TestFastParseMatchesGrammar(t *testing.T) {
	var files []string
	for _, root := range []string{"testdata", "../resolver/testdata", "../loader", "../examples", "../../shared/conformance"} {
		filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasSuffix(path, ".wit") {
				files = append(files, path)
			}
			return nil
		})
	}
	if len(files) < 100 {
		t.Fatalf("only %d .wit files found", len(files))
	}
	checked, failed := 0, 0
	for _, path := range files {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		f := diag.NewFile(path, src)
		var r diag.Report
		lx, ok := lex(f, &r)
		if !ok {
			continue
		}
		if cut, _ := nestingLimit(lx.toks); cut >= 0 {
			continue
		}
		toks := lx.participle()
		g, werr := grammarParse(toks)
		got := &ast.File{Source: f}
		var gotR diag.Report
		gok := fastParse(f, lx, got, &gotR)
		switch {
		case gok && werr != nil:
			t.Errorf("%s: the fast parse succeeded where the grammar fails: %v", path, werr)
		case !gok && werr == nil:
			t.Errorf("%s: the fast parse gave up on input the grammar parses", path)
		case gok:
			starts := make([]int, len(toks))
			for i, tk := range toks {
				starts[i] = tk.Pos.Offset
			}
			want := &ast.File{Source: f}
			var wantR diag.Report
			l := &lowerer{f: f, r: &wantR, lx: lx, starts: starts}
			l.file(g, want)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s: the fast parse built a different tree", path)
			}
			if !reflect.DeepEqual(gotR.Diagnostics, wantR.Diagnostics) {
				t.Errorf("%s: the fast parse reported %v, the grammar %v", path, gotR.Diagnostics, wantR.Diagnostics)
			}
		}
		checked++
		if werr != nil {
			failed++
		}
	}
	t.Logf("%d files compared (%d with syntax errors)", checked, failed)
}

// TestCountTokens: countTokens bounds the number of tokens lex makes from
// above, closely.
func TestCountTokens(t *testing.T) {
	for _, src := range []string{
		"package a:b@0.2.0-rc.1+x;\ninterface i { use j.{k}; f: func(a: list<u32>) -> result<_, string>; }",
		"// c\n/* d */ world w { import x:y/z@1.0.0; export %f: func(); }",
		"@since(version = 1.2.3) record r { a: u8, b: u8, }",
	} {
		var r diag.Report
		lx, ok := lex(diag.NewFile("x.wit", []byte(src)), &r)
		if !ok {
			t.Fatal(r.Diagnostics)
		}
		if n := countTokens([]byte(src)); n < len(lx.toks)-1 || n > 2*len(lx.toks) {
			t.Errorf("countTokens(%q) = %d, lex made %d tokens", src, n, len(lx.toks)-1)
		}
	}
}

// TestParseOwnedFile: sharing the file's bytes gives the tree and the
// diagnostics that copying them gives, valid input or not.
func TestParseOwnedFile(t *testing.T) {
	for _, src := range []string{
		"package a:b@1.0.0;\n/// docs\ninterface i {\n  /// f\n  f: func(%a: string) -> list<u8>;\n  record r { x: u32 }\n}\n",
		"package a:b;\ninterface i { f: func(; }\n",
		"",
	} {
		var r1, r2 diag.Report
		f := diag.NewFile("x.wit", []byte(src))
		a := ParseFile(f, &r1)
		b := ParseOwnedFile(f, &r2)
		if !reflect.DeepEqual(a, b) || !reflect.DeepEqual(r1.Diagnostics, r2.Diagnostics) {
			t.Errorf("%q: ParseOwnedFile differs from ParseFile", src)
		}
	}
}

// TestKeywordID: the lexer's keyword lookup agrees with keywordIDs.
func TestKeywordID(t *testing.T) {
	for _, s := range append(kwNames[:], "", "x", "u", "u128", "strings", "_x", "Use", "zzzzzzzzzzzzzzzzzz", "error-contex") {
		want, wok := keywordIDs[s]
		got, ok := keywordID(s)
		if got != want || ok != wok {
			t.Errorf("keywordID(%q) = %d, %v; want %d, %v", s, got, ok, want, wok)
		}
	}
}

// TestLongTokens: tokens of 64 KB and more, whose length does not fit
// the token's 16 bits, keep their extent, in the fast parse and in the
// grammar's (a syntax error after them).
func TestLongTokens(t *testing.T) {
	name := strings.Repeat("a", 70000)
	id := strings.Repeat("x", 1<<16-1) // exactly longToken bytes
	for _, tail := range []string{"", "f: func(;"} {
		src := "package a:b;\n@external-id(\"" + name + "\")\ninterface %" + name + " { type " + id + " = u8; " + tail + "}\n"
		var r diag.Report
		f := ParseFile(diag.NewFile("x.wit", []byte(src)), &r)
		if tail != "" {
			if !r.HasErrors() || !strings.Contains(r.Diagnostics[0].Message, "expected") {
				t.Errorf("syntax error after long tokens: %v", r.Diagnostics)
			}
			continue
		}
		if r.HasErrors() {
			t.Fatal(r.Diagnostics)
		}
		in := f.Items[0].(*ast.Interface)
		if in.Name.Name != name || in.Name.Span.End-in.Name.Span.Start != len(name)+1 || in.Attrs[0].Value != name {
			t.Errorf("long interface name or attribute: %d bytes, span %v", len(in.Name.Name), in.Name.Span)
		}
		if got := in.Items[0].(*ast.TypeAlias).Name; got.Name != id || got.Span.End-got.Span.Start != len(id) {
			t.Errorf("type name of %d bytes: %d, span %v", len(id), len(got.Name), got.Span)
		}
	}
}
