package resolver_test

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/witc-dev/witc/diag"
	"github.com/witc-dev/witc/loader"
	"github.com/witc-dev/witc/parser"
	"github.com/witc-dev/witc/parser/ast"
	"github.com/witc-dev/witc/resolver"
)

// files builds an in-memory file system from name, text pairs.
func files(pairs ...string) fstest.MapFS {
	m := fstest.MapFS{}
	for i := 0; i+1 < len(pairs); i += 2 {
		m[pairs[i]] = &fstest.MapFile{Data: []byte(pairs[i+1])}
	}
	return m
}

const gated = `package t:g;
interface i {
  @unstable(feature = a) fa: func();
  @unstable(feature = b) fb: func();
  f: func();
}`

// TestFeatures: Config.Features keeps the items of the listed features,
// AllFeatures keeps every one.
func TestFeatures(t *testing.T) {
	for _, c := range []struct {
		opts loader.Options
		want string
	}{
		{loader.Options{}, "f"},
		{loader.Options{Features: []string{"b"}}, "fb f"},
		{loader.Options{Features: []string{"a", "b"}}, "fa fb f"},
		{loader.Options{AllFeatures: true}, "fa fb f"},
	} {
		var r diag.Report
		_, pkg := loader.LoadFS(files("g.wit", gated), "g.wit", c.opts, &r)
		if r.HasErrors() {
			t.Fatal(diag.Renderer{}.Render(r.Diagnostics))
		}
		var names []string
		for _, f := range pkg.Interfaces[0].Functions {
			names = append(names, f.Name)
		}
		if got := strings.Join(names, " "); got != c.want {
			t.Errorf("%+v: functions %q, want %q", c.opts, got, c.want)
		}
	}
}

// TestMainPackages: Config.Resolve returns, per group, the package named by
// its `package` header, or nil for a group of nested packages only; a
// group whose package failed leaves later packages unresolved.
func TestMainPackages(t *testing.T) {
	parse := func(name, src string) resolver.Group {
		var r diag.Report
		f := parser.ParseFile(diag.NewFile(name, []byte(src)), &r)
		if r.HasErrors() {
			t.Fatal(diag.Renderer{}.Render(r.Diagnostics))
		}
		return resolver.Group{Files: []*ast.File{f}}
	}
	var r diag.Report
	cfg := resolver.Config{}
	res, mains := cfg.Resolve(&r,
		parse("a.wit", "package t:a; interface i { use t:b/j.{x}; }"),
		parse("b.wit", "package t:n { interface k {} } package t:b { interface j { type x = u8; } }"),
		parse("c.wit", "package t:c; world w { import t:a/i; }"),
	)
	if r.HasErrors() {
		t.Fatal(diag.Renderer{}.Render(r.Diagnostics))
	}
	if len(mains) != 3 || mains[0].Name.String() != "t:a" || mains[1] != nil || mains[2].Name.String() != "t:c" {
		t.Fatalf("mains %v", mains)
	}
	var names []string
	for _, p := range res.Packages {
		names = append(names, p.Name.String())
	}
	if got := strings.Join(names, " "); got != "t:b t:a t:c t:n" {
		t.Errorf("packages in order %q", got)
	}

	r = diag.Report{}
	res, mains = cfg.Resolve(&r,
		parse("a.wit", "package t:a; interface i { f: func(x: nope); }"),
		parse("z.wit", "package t:z; interface j { use t:a/i.{}; }"),
	)
	if !r.HasErrors() || len(res.Packages) != 0 || mains[0] != nil || mains[1] != nil {
		t.Errorf("a failing package: %d packages, mains %v, %v", len(res.Packages), mains, r.Err())
	}
}

// TestSpans: resolved items keep the span of their declaring name.
func TestSpans(t *testing.T) {
	var r diag.Report
	_, pkg := loader.LoadFS(files("s.wit", "package t:s;\ninterface i {\n  record point { x: u32 }\n  f: func();\n}\nworld w { export i; }\n"), "s.wit", loader.Options{}, &r)
	if r.HasErrors() {
		t.Fatal(diag.Renderer{}.Render(r.Diagnostics))
	}
	for _, c := range []struct {
		span diag.Span
		want string
	}{
		{pkg.Interfaces[0].Span, "s.wit:2:11 i"},
		{pkg.Interfaces[0].Types[0].Span, "s.wit:3:10 point"},
		{pkg.Interfaces[0].Functions[0].Span, "s.wit:4:3 f"},
		{pkg.Worlds[0].Span, "s.wit:6:7 w"},
	} {
		p := c.span.Pos()
		if got := fmt.Sprintf("%s:%d:%d %s", p.Filename, p.Line, p.Column, c.span.Text()); got != c.want {
			t.Errorf("span %q, want %q", got, c.want)
		}
	}
}
