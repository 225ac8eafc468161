package resolver_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/witc-dev/witc/diag"
	"github.com/witc-dev/witc/internal/linear"
	"github.com/witc-dev/witc/parser"
	"github.com/witc-dev/witc/parser/ast"
	"github.com/witc-dev/witc/resolver"
)

// repeat builds WIT text: head, then item for k = 1..n with $K replaced by
// k and $P by k-1, then tail with $N replaced by n.
func repeat(n int, head, item, tail string) string {
	var b strings.Builder
	b.WriteString(head)
	for k := 1; k <= n; k++ {
		b.WriteString(strings.NewReplacer("$K", fmt.Sprint(k), "$P", fmt.Sprint(k-1)).Replace(item))
	}
	b.WriteString(strings.ReplaceAll(tail, "$N", fmt.Sprint(n)))
	return b.String()
}

func parseText(t testing.TB, src string) *ast.File {
	t.Helper()
	var r diag.Report
	f := parser.ParseFile(diag.NewFile("hostile.wit", []byte(src)), &r)
	if r.HasErrors() {
		t.Fatal(r.Err())
	}
	return f
}

// TestHostileScales: resolving inputs with many items of one kind — the
// shapes that used to take quadratic time (a scan of a world's entries
// per entry, of a function's parameters per parameter, a sorted insert
// per ready type) — costs time and memory linear in their size.
func TestHostileScales(t *testing.T) {
	if testing.Short() {
		t.Skip("resolves inputs of tens of thousands of items")
	}
	cases := []struct {
		name string
		n    int
		src  func(n int) string
	}{
		{"world importing n interfaces", 2000, func(n int) string {
			return repeat(n, "package t:u; ", "interface i$K {} ", "") + repeat(n, " world w {", " import i$K;", " }")
		}},
		{"world exporting n interfaces", 1000, func(n int) string {
			return repeat(n, "package t:u; ", "interface i$K {} ", "") + repeat(n, " world w {", " export i$K;", " }")
		}},
		{"world of n functions", 2000, func(n int) string { return repeat(n, "package t:u; world w {", " import x$K: func();", " }") }},
		{"function of n parameters", 1000, func(n int) string {
			return repeat(n, "package t:u; interface i { f: func(", "a$K: u32, ", "); }")
		}},
		{"n independent types", 4000, func(n int) string { return repeat(n, "package t:u; interface i {", " type t$K = u32;", " }") }},
		{"chain of n aliases", 1000, func(n int) string {
			return repeat(n, "package t:u; interface i { type t0 = u32;", " type t$K = option<t$P>;", " f: func(x: t$N); }")
		}},
		{"chain of n interfaces, exported", 1000, func(n int) string {
			return repeat(n, "package t:u; interface i0 { type t = u32; }", " interface i$K { use i$P.{t}; }", " world w { export i$N; }")
		}},
		{"chain of n packages", 1000, func(n int) string {
			return repeat(n, "package t:p0 { interface i { type t = u32; } }", " package t:p$K { interface i { use t:p$P/i.{t}; } }", "")
		}},
		{"include renaming n items", 1000, func(n int) string {
			return repeat(n, "package t:u; world w0 {", " import x$K: func();", " }") + repeat(n, " world w { include w0 with {", " x$K as y$K,", " } }")
		}},
	}
	for _, c := range cases {
		linear.Scales(t, c.name, c.n, func(n int) *ast.File { return parseText(t, c.src(n)) }, func(f *ast.File) {
			var r diag.Report
			(&resolver.Config{}).Resolve(&r, resolver.Group{Files: []*ast.File{f}})
			if r.HasErrors() {
				t.Fatalf("%s: %v", c.name, r.Err())
			}
		})
	}
}

// TestIncludeLimit: a chain of worlds, each including the one before,
// copies n²/2 items; past witc's limit that is an error (too-large), found
// in time linear in the limit.
func TestIncludeLimit(t *testing.T) {
	chain := func(n int) string {
		return repeat(n, "package t:u; world w0 { import x0: func(); }", "\nworld w$K { include w$P; import x$K: func(); }", "")
	}
	var r diag.Report
	(&resolver.Config{}).Resolve(&r, resolver.Group{Files: []*ast.File{parseText(t, chain(100))}})
	if r.HasErrors() {
		t.Fatalf("a chain of 100 worlds: %v", r.Err())
	}
	for _, n := range []int{1000, 20000} {
		var r diag.Report
		f := parseText(t, chain(n))
		c := linear.Measure(func() { (&resolver.Config{}).Resolve(&r, resolver.Group{Files: []*ast.File{f}}) })
		t.Logf("a chain of %d worlds: %v, %d KiB", n, c.Time, c.Bytes>>10)
		if len(r.Diagnostics) != 1 || r.Diagnostics[0].Code != diag.TooLarge {
			t.Fatalf("a chain of %d worlds: got %v, want one too-large error", n, r.Err())
		}
		if c.Bytes > 200<<20 {
			t.Errorf("a chain of %d worlds allocated %d MiB before it was stopped", n, c.Bytes>>20)
		}
	}
}
