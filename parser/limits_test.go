package parser

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/witc-dev/witc/diag"
	"github.com/witc-dev/witc/internal/linear"
)

// nested wraps inner in n copies of open … close.
func nested(n int, open, inner, close string) string {
	return strings.Repeat(open, n) + inner + strings.Repeat(close, n)
}

// TestNestingLimits: a type nested in 100 others, or a package block in
// 100 others, is an error at its first token, as in wit-parser; 99 are
// fine. The limit is found before the grammar runs (its recursion would
// otherwise follow the nesting down).
func TestNestingLimits(t *testing.T) {
	ty := func(inner string) string { return "package a:b;\ninterface i {\n  type t = " + inner + ";\n}\n" }
	const col = len("  type t = ") + 1
	cases := []struct {
		name, src string
		at        string // line:col of the error; "" for none
		msg       string
	}{
		{"list 99", ty(nested(99, "list<", "u32", ">")), "", ""},
		{"list 100", ty(nested(100, "list<", "u32", ">")), fmt.Sprintf("3:%d", col+500), "type nesting too deep"},
		{"list 100, at eof", "package a:b; interface i { type t = " + strings.Repeat("list<", 100), "1:537", "type nesting too deep"},
		{"option, future, stream", ty(nested(33, "option<future<stream<", "u8", ">>>") + ""), "", ""},
		{"option, future, stream 100", ty(nested(34, "option<future<stream<", "u8", ">>>")), fmt.Sprintf("3:%d", col+33*21+7), "type nesting too deep"},
		{"map value", ty(nested(99, "map<u8, ", "u8", ">")), "", ""},
		{"map key 100", ty(nested(100, "map<u8, ", "u8", ">")), fmt.Sprintf("3:%d", col+99*8+4), "type nesting too deep"},
		{"result error", ty(nested(100, "result<_, ", "u8", ">")), fmt.Sprintf("3:%d", col+1000), "type nesting too deep"},
		{"tuple first", ty(nested(100, "tuple<u8, ", "u8", ">")), fmt.Sprintf("3:%d", col+99*10+6), "type nesting too deep"},
		{"empty tuple at 100", ty(nested(100, "list<", "tuple<>", ">")), "", "type nesting too deep"},
		{"own is no type", ty(nested(99, "list<", "own<r>", ">")), "", ""},
		{"fixed-length list size", ty(nested(99, "list<", "u8", ", 4>")), "", ""},
		{"packages 100", nested(100, "package a:b {\n", "", "}\n"), "", ""},
		{"packages 101", nested(101, "package a:b {\n", "", "}\n"), "101:1", "package nesting too deep"},
		{"syntax error first", "package a:b; interface i { f: func(;  type t = " + nested(100, "list<", "u32", ">") + "; }", "1:36", "expected"},
	}
	for _, c := range cases {
		var r diag.Report
		ParseFile(diag.NewFile("t.wit", []byte(c.src)), &r)
		var got []string
		for _, d := range r.Diagnostics {
			p := d.Span.Pos()
			got = append(got, fmt.Sprintf("%d:%d %s", p.Line, p.Column, d.Message))
		}
		switch {
		case c.msg == "" && len(got) > 0 && strings.Contains(got[0], "nesting too deep"):
			t.Errorf("%s: %v", c.name, got)
		case c.msg != "" && (len(got) != 1 || !strings.Contains(got[0], c.msg) || c.at != "" && !strings.HasPrefix(got[0], c.at+" ")):
			t.Errorf("%s: got %v, want %s %q", c.name, got, c.at, c.msg)
		}
	}
}

// TestDeepNesting: the inputs of issue 17 (a type nested 250 000 deep
// overflowed the stack after 13 s and 1.4 GB; packages likewise) are one
// error, in time and memory linear in their size.
func TestDeepNesting(t *testing.T) {
	Prepare()
	inputs := map[string]func(n int) []byte{
		"type nesting": func(n int) []byte {
			return []byte("package a:b;\ninterface i {\n  type t = " + nested(n, "list<", "u32", ">") + ";\n}\n")
		},
		"package nesting": func(n int) []byte { return []byte(nested(n, "package a:b {\n", "", "}\n")) },
		"bracket soup":    func(n int) []byte { return []byte(nested(n, "list<{(", "", ")}>")) },
	}
	for name, build := range inputs {
		var r diag.Report
		c := linear.Measure(func() { ParseFile(diag.NewFile("deep.wit", build(250_000)), &r) })
		if len(r.Diagnostics) != 1 {
			t.Errorf("%s 250 000 deep: %d diagnostics, want 1", name, len(r.Diagnostics))
		}
		t.Logf("%s 250 000 deep: %v, %d MiB: %v", name, c.Time.Round(time.Millisecond), c.Bytes>>20, r.Err())
		linear.Scales(t, name, 12_500, build, func(src []byte) {
			var r diag.Report
			ParseFile(diag.NewFile("deep.wit", src), &r)
		})
	}
}

// TestParseScales: parsing grows linearly with the number of items.
func TestParseScales(t *testing.T) {
	Prepare()
	linear.Scales(t, "interfaces", 250, func(n int) []byte {
		var b strings.Builder
		b.WriteString("package a:b;\n")
		for i := range n {
			fmt.Fprintf(&b, "interface i%d {\n  record r { a: u32, b: list<string>, c: option<tuple<u8, s64>> }\n  f: func(x: r) -> result<list<r>, string>;\n}\n", i)
		}
		return []byte(b.String())
	}, func(src []byte) {
		var r diag.Report
		ParseFile(diag.NewFile("wide.wit", src), &r)
		if r.HasErrors() {
			t.Fatal(r.Err())
		}
	})
}
