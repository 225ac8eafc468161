package compose

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"unsafe"

	"github.com/witc-dev/witc/component"
	"github.com/witc-dev/witc/component/check"
	"github.com/witc-dev/witc/wit"
)

func readFixture(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.FromSlash(path))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func mustPkg(t *testing.T, g *Graph, name, path string) *Package {
	t.Helper()
	p, err := g.AddPackage(name, nil, readFixture(t, path))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// encodeTwice encodes a graph with its packages nested and with them
// imported, validates both, checks that a second encoding gives the same
// bytes and that both have the same WIT, and returns that WIT.
func encodeTwice(t *testing.T, g *Graph) string {
	t.Helper()
	var texts []string
	for _, imp := range []bool{false, true} {
		b, err := g.Encode(EncodeOptions{Validate: true, ImportPackages: imp})
		if err != nil {
			t.Fatal(err)
		}
		if err := check.Validate(b); err != nil {
			t.Fatal(err)
		}
		// The second one streamed: EncodeTo writes what Encode returns,
		// and offers a RawWriter each nested package as the very bytes
		// given to AddPackage (a writer finds them in the input files it
		// mapped).
		var b2 rawSink
		if err := g.EncodeTo(&b2, EncodeOptions{ImportPackages: imp}); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(b, b2.Bytes()) {
			t.Fatal("two encodings of one graph differ")
		}
		if imp != (len(b2.raws) == 0) {
			t.Errorf("EncodeTo offers a RawWriter %d packages, importing them: %v", len(b2.raws), imp)
		}
		for _, raw := range b2.raws {
			if !slices.ContainsFunc(g.pkgs, func(p *Package) bool {
				return unsafe.SliceData(p.Bytes()) == unsafe.SliceData(raw) && len(p.Bytes()) == len(raw)
			}) {
				t.Error("EncodeTo offers a RawWriter bytes that are not a package's")
			}
		}
		c, err := component.Decode(b)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range c.Sections {
			switch s := s.(type) {
			case *component.ComponentSection:
				if imp {
					t.Error("a package is nested with ImportPackages")
				}
			case *component.ImportSection:
				for _, im := range s.Imports {
					if (im.Type.Kind == component.ExternComponent) != strings.HasPrefix(im.Name.Name, "unlocked-dep=<") ||
						!imp && im.Type.Kind == component.ExternComponent {
						t.Errorf("import %s (%v) with ImportPackages %v", im.Name.Name, im.Type.Kind, imp)
					}
				}
			}
		}
		res, pkg, err := check.DecodeWIT(b)
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, wit.Print(res, pkg))
	}
	if texts[0] != texts[1] {
		t.Errorf("WIT with nested packages:\n%s\nwith imported packages:\n%s", texts[0], texts[1])
	}
	return texts[0]
}

// importNames lists the imports of a component binary.
func importNames(t *testing.T, b []byte) []string {
	t.Helper()
	c, err := component.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, s := range c.Sections {
		if s, ok := s.(*component.ImportSection); ok {
			for _, im := range s.Imports {
				out = append(out, im.Name.Name)
			}
		}
	}
	return out
}

func TestGraphImportPackages(t *testing.T) {
	g := NewGraph()
	calc, err := g.AddPackage("witc:calc", &wit.Version{Major: 1, Minor: 2, Patch: 3}, readFixture(t, "../examples/components/calc.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	app := mustPkg(t, g, "witc:app", "../examples/components/app.wasm")
	mustPkg(t, g, "witc:unused", "testdata/chain-base.wasm")
	c, a := g.Instantiate(calc), g.Instantiate(app)
	ci, err := g.Alias(c, "witc:examples/calc@0.1.0")
	if err != nil {
		t.Fatal(err)
	}
	if err := g.SetArgument(a, "witc:examples/calc@0.1.0", ci); err != nil {
		t.Fatal(err)
	}
	encodeTwice(t, g)
	b, err := g.Encode(EncodeOptions{ImportPackages: true, Validate: true})
	if err != nil {
		t.Fatal(err)
	}
	// In registration order; a package not instantiated is not imported.
	want := "unlocked-dep=<witc:calc@{>=1.2.3}> unlocked-dep=<witc:app>"
	if got := strings.Join(importNames(t, b), " "); got != want {
		t.Errorf("imports: %s, want %s", got, want)
	}
}

// TestGraphWorldTypes: types a world imports (a resource, an alias of
// it, a `use` of an interface's type, a record of the world) are implicit
// imports of the composition, merged by name.
func TestGraphWorldTypes(t *testing.T) {
	g := NewGraph()
	wt := mustPkg(t, g, "witc:types", "testdata/graph/world-types.wasm")
	ut := mustPkg(t, g, "witc:use", "testdata/graph/use-type.wasm")
	g.Instantiate(wt)
	g.Instantiate(ut)
	g.Instantiate(wt)
	g.Instantiate(ut)
	text := encodeTwice(t, g)
	for _, want := range []string{"  import witc:lib/shapes;\n  use witc:lib/shapes.{point};\n",
		"  resource x;\n", "  type y = x;\n", "  record region {\n    origin: point,\n  }\n",
		"  import f: func(x: x) -> y;\n", "  import area: func(r: region) -> u32;\n"} {
		if !strings.Contains(text, want) {
			t.Errorf("no %q in\n%s", want, text)
		}
	}
	b, err := g.Encode(EncodeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(importNames(t, b), " "), "witc:lib/shapes x y point region f area"; got != want {
		t.Errorf("imports: %s, want %s", got, want)
	}

	// The same name imported as a type and as a function: both named,
	// without doubled backticks.
	g = NewGraph()
	g.Instantiate(mustPkg(t, g, "witc:types", "testdata/graph/world-types.wasm"))
	g.Instantiate(mustPkg(t, g, "witc:func-x", "testdata/graph/func-x.wasm"))
	_, err = g.Encode(EncodeOptions{})
	if want := "an instantiation of package `witc:types` imports `x` as a type but an instantiation of package `witc:func-x` imports `x` as a function"; err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
}

func TestGraphLibraryTwice(t *testing.T) {
	g := NewGraph()
	calc := mustPkg(t, g, "witc:calc", "../examples/components/calc.wasm")
	app := mustPkg(t, g, "witc:app", "../examples/components/app.wasm")
	c1, c2 := g.Instantiate(calc), g.Instantiate(calc)
	for i, c := range []NodeID{c1, c2} {
		a := g.Instantiate(app)
		ci, err := g.Alias(c, "witc:examples/calc@0.1.0")
		if err != nil {
			t.Fatal(err)
		}
		if err := g.SetArgument(a, "witc:examples/calc@0.1.0", ci); err != nil {
			t.Fatal(err)
		}
		x, err := g.Alias(a, "witc:examples/app@0.1.0")
		if err != nil {
			t.Fatal(err)
		}
		if err := g.Export(x, []string{"app1", "app2"}[i]); err != nil {
			t.Fatal(err)
		}
	}
	text := encodeTwice(t, g)
	if !strings.Contains(text, "export app1: interface") || !strings.Contains(text, "export app2: interface") || strings.Contains(text, "import") {
		t.Errorf("unexpected WIT:\n%s", text)
	}
	dot := g.DOT()
	want := "    1 [ label = \"instantiation of package \\\"witc:calc\\\"\"; kind = \"instance\"]\n"
	if !strings.Contains(dot, want) || !strings.Contains(dot, "    0 -> 3 [ label = \"aliased export\" ]\n") ||
		!strings.Contains(dot, "    3 -> 2 [ label = \"argument to\" ]\n") {
		t.Errorf("DOT:\n%s", dot)
	}
}

func TestGraphChain(t *testing.T) {
	g := NewGraph()
	base := mustPkg(t, g, "witc:base", "testdata/chain-base.wasm")
	mid := mustPkg(t, g, "witc:mid", "testdata/chain-mid.wasm")
	top := mustPkg(t, g, "witc:top", "testdata/chain-top.wasm")
	// Nodes out of dependency order: the encoding sorts them.
	it := g.Instantiate(top)
	im := g.Instantiate(mid)
	ib := g.Instantiate(base)
	ba, err := g.Alias(ib, "witc:chain/base@0.1.0")
	if err != nil {
		t.Fatal(err)
	}
	if err := g.SetArgument(im, "witc:chain/base@0.1.0", ba); err != nil {
		t.Fatal(err)
	}
	a, err := g.Alias(im, "witc:chain/mid@0.1.0")
	if err != nil {
		t.Fatal(err)
	}
	if err := g.SetArgument(it, "witc:chain/mid@0.1.0", a); err != nil {
		t.Fatal(err)
	}
	x, err := g.Alias(it, "witc:chain/top@0.1.0")
	if err != nil {
		t.Fatal(err)
	}
	if err := g.Export(x, "witc:chain/top@0.1.0"); err != nil {
		t.Fatal(err)
	}
	if err := g.Export(x, "witc:chain/top@0.1.0"); err == nil || err.Error() != "an export with the name `witc:chain/top@0.1.0` already exists" {
		t.Errorf("second export: %v", err)
	}
	text := encodeTwice(t, g)
	if !strings.Contains(text, "export witc:chain/top@0.1.0;") || strings.Contains(text, "import") {
		t.Errorf("unexpected WIT:\n%s", text)
	}
	// A function of an aliased instance, re-exported.
	f, err := g.Alias(x, "run")
	if err != nil {
		t.Fatal(err)
	}
	if err := g.Export(f, "run"); err != nil {
		t.Fatal(err)
	}
	if text := encodeTwice(t, g); !strings.Contains(text, "export run: func() -> u32;") {
		t.Errorf("unexpected WIT:\n%s", text)
	}
}

func TestGraphImplicitMerge(t *testing.T) {
	g := NewGraph()
	old := mustPkg(t, g, "witc:old", "testdata/log-old.wasm")
	nw := mustPkg(t, g, "witc:new", "testdata/log-new.wasm")
	io, in := g.Instantiate(old), g.Instantiate(nw)
	a, err := g.Alias(in, "witc:chain/base@0.1.0")
	if err != nil {
		t.Fatal(err)
	}
	if err := g.SetArgument(io, "witc:chain/base@0.1.0", a); err != nil {
		t.Fatal(err)
	}
	x, err := g.Alias(io, "witc:chain/top@0.1.0")
	if err != nil {
		t.Fatal(err)
	}
	if err := g.Export(x, "witc:chain/top@0.1.0"); err != nil {
		t.Fatal(err)
	}
	text := encodeTwice(t, g)
	// One import, at the highest version, with both functions.
	if !strings.Contains(text, "import witc:log/sink@0.2.5;") || strings.Count(text, "import ") != 1 ||
		!strings.Contains(text, "flush: func();") {
		t.Errorf("unexpected WIT:\n%s", text)
	}
}

func TestGraphErrors(t *testing.T) {
	g := NewGraph()
	calc := mustPkg(t, g, "witc:calc", "../examples/components/calc.wasm")
	app := mustPkg(t, g, "witc:app", "../examples/components/app.wasm")
	s32 := mustPkg(t, g, "witc:calc-s32", "testdata/calc-s32.wasm")
	if _, err := g.AddPackage("witc:calc", nil, calc.Bytes()); err == nil || err.Error() != "package `witc:calc` has already been registered in the graph" {
		t.Errorf("duplicate package: %v", err)
	}
	a, c, s := g.Instantiate(app), g.Instantiate(calc), g.Instantiate(s32)
	ver, err := g.Alias(c, "version")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		err  error
		want string
	}{
		{g.SetArgument(a, "nope", c), "argument name `nope` is not an import of package `witc:app`"},
		{g.SetArgument(c, "x", a), "argument name `x` is not an import of package `witc:calc`"},
		{g.SetArgument(ver, "x", a), "the specified node is not an instantiation"},
		{g.SetArgument(a, "witc:examples/calc@0.1.0", ver), "mismatched instantiation argument `witc:examples/calc@0.1.0`: expected instance, found function"},
		{errOf(g.Alias(ver, "x")), "expected source node to be an instance, but the node is a function"},
		{errOf(g.Alias(c, "nope")), "instance does not have an export named `nope`"},
		{g.Export(c, "NOT_VALID"), "export name `NOT_VALID` is not valid: `NOT_VALID` is not in kebab case"},
	} {
		if tc.err == nil || tc.err.Error() != tc.want {
			t.Errorf("got %v, want %s", tc.err, tc.want)
		}
	}
	x, err := g.Alias(s, "witc:examples/calc@0.1.0")
	if err != nil {
		t.Fatal(err)
	}
	err = g.SetArgument(a, "witc:examples/calc@0.1.0", x)
	if err == nil || !strings.Contains(err.Error(), "mismatched instantiation argument") || !strings.Contains(err.Error(), "add") {
		t.Errorf("type mismatch: %v", err)
	}
	ci, err := g.Alias(c, "witc:examples/calc@0.1.0")
	if err != nil {
		t.Fatal(err)
	}
	if err := g.SetArgument(a, "witc:examples/calc@0.1.0", ci); err != nil {
		t.Fatal(err)
	}
	if err := g.SetArgument(a, "witc:examples/calc@0.1.0", ci); err == nil || err.Error() != "argument `witc:examples/calc@0.1.0` has already been passed to the instantiation" {
		t.Errorf("twice: %v", err)
	}
	// A cycle.
	g2 := NewGraph()
	mid := mustPkg(t, g2, "witc:mid", "testdata/chain-mid.wasm")
	m1 := g2.Instantiate(mid)
	m1a, _ := g2.Alias(m1, "witc:chain/mid@0.1.0")
	_ = m1a
	base := mustPkg(t, g2, "witc:lo", "testdata/log-new.wasm")
	b1 := g2.Instantiate(base)
	ba, _ := g2.Alias(b1, "witc:chain/base@0.1.0")
	if err := g2.SetArgument(m1, "witc:chain/base@0.1.0", ba); err != nil {
		t.Fatal(err)
	}
	old := mustPkg(t, g2, "witc:old", "testdata/log-old.wasm")
	o1 := g2.Instantiate(old)
	oa, _ := g2.Alias(o1, "witc:chain/top@0.1.0")
	_ = oa
	if err := g2.SetArgument(o1, "witc:chain/base@0.1.0", ba); err != nil {
		t.Fatal(err)
	}
	if _, err := g2.Encode(EncodeOptions{Validate: true}); err != nil {
		t.Fatal(err)
	}
}

func TestGraphCycle(t *testing.T) {
	g := NewGraph()
	mid := mustPkg(t, g, "witc:mid", "testdata/chain-mid.wasm")
	base := mustPkg(t, g, "witc:base", "testdata/chain-base.wasm")
	_ = base
	m1, m2 := g.Instantiate(mid), g.Instantiate(mid)
	a1, _ := g.Alias(m1, "witc:chain/mid@0.1.0")
	a2, _ := g.Alias(m2, "witc:chain/mid@0.1.0")
	// Not type-correct (mid for base), so wire the cycle through the
	// edges alone.
	g.edges = append(g.edges, gedge{a1, m2, "argument to"}, gedge{a2, m1, "argument to"})
	if _, err := g.Encode(EncodeOptions{}); err == nil || err.Error() != "the graph contains a cycle and cannot be encoded" {
		t.Errorf("cycle: %v", err)
	}
	var w bytes.Buffer
	if err := g.EncodeTo(&w, EncodeOptions{}); err == nil || w.Len() != 0 {
		t.Errorf("EncodeTo of a cycle: %v, %d bytes written", err, w.Len())
	}
}

// rawSink is a component.RawWriter that writes the raw slices it is
// offered itself, recording them.
type rawSink struct {
	bytes.Buffer
	raws [][]byte
}

func (s *rawSink) WriteRaw(raw []byte) (bool, error) {
	s.raws = append(s.raws, raw)
	s.Write(raw)
	return true, nil
}

func errOf(_ NodeID, err error) error { return err }

// wacGraph is a wac-graph test case's graph.json.
type wacGraph struct {
	Packages []struct {
		Name string `json:"name"`
		Path string `json:"path"`
	} `json:"packages"`
	Nodes []struct {
		Type    string `json:"type"`
		Name    string `json:"name"`
		Package int    `json:"package"`
		Export  string `json:"export"`
		Source  int    `json:"source"`
	} `json:"nodes"`
	Arguments []struct {
		Source int    `json:"source"`
		Target int    `json:"target"`
		Name   string `json:"name"`
	} `json:"arguments"`
	Exports []struct {
		Node int    `json:"node"`
		Name string `json:"name"`
	} `json:"exports"`
	Names []struct {
		Node int    `json:"node"`
		Name string `json:"name"`
	} `json:"names"`
}

// buildWacGraph builds a wac-graph test case through the API; the
// packages come from the converted cache.
func buildWacGraph(dir, cache string, doc *wacGraph) (*Graph, error) {
	g := NewGraph()
	var pkgs []*Package
	for _, p := range doc.Packages {
		b, err := os.ReadFile(filepath.Join(cache, dir, p.Path+".wasm"))
		if err != nil {
			return nil, err
		}
		name, v := wit.SplitVersion(p.Name)
		pkg, err := g.AddPackage(name, v, b)
		if err != nil {
			return nil, err
		}
		pkgs = append(pkgs, pkg)
	}
	for _, n := range doc.Nodes {
		var err error
		switch n.Type {
		case "import":
			_, err = g.ImportExport(n.Name, pkgs[n.Package], n.Export)
		case "instantiation":
			g.Instantiate(pkgs[n.Package])
		case "alias":
			_, err = g.Alias(NodeID(n.Source), n.Export)
		}
		if err != nil {
			return nil, err
		}
	}
	for _, a := range doc.Arguments {
		if err := g.SetArgument(NodeID(a.Target), a.Name, NodeID(a.Source)); err != nil {
			return nil, err
		}
	}
	for _, e := range doc.Exports {
		if err := g.Export(NodeID(e.Node), e.Name); err != nil {
			return nil, err
		}
	}
	for _, n := range doc.Names {
		g.SetNodeName(NodeID(n.Node), n.Name)
	}
	return g, nil
}

var causeLine = regexp.MustCompile(`^\s*(\d+: )?`)

// wacCause is the "Caused by:" part of an error.txt, its numbered lines
// joined with ": ".
func wacCause(text string) string {
	_, after, ok := strings.Cut(text, "Caused by:\n")
	if !ok {
		return strings.TrimSpace(text)
	}
	var parts []string
	for _, l := range strings.Split(strings.TrimSpace(after), "\n") {
		parts = append(parts, causeLine.ReplaceAllString(l, ""))
	}
	return strings.Join(parts, ": ")
}

// TestWacGraph runs wac-graph's graph tests (make wac-conformance):
// error cases compare the message with error.txt's cause, success cases
// the WIT of the encoding with that of encoded.wat. The cases that do not
// match are listed in testdata/graph/known-failures.txt.
func TestWacGraph(t *testing.T) {
	cache := os.Getenv("WITC_WAC_CACHE")
	if cache == "" {
		t.Skip("WITC_WAC_CACHE is unset: run make wac-conformance (converts the WAT with jco)")
	}
	root := filepath.Join("..", "..", "shared", "conformance", "wac")
	dirs, err := filepath.Glob(filepath.Join(root, "wac-graph", "tests", "graphs", "*", "graph.json"))
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no wac-graph cases under %s", root)
	}
	known := map[string]bool{}
	if b, err := os.ReadFile(filepath.Join("testdata", "graph", "known-failures.txt")); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
				known[strings.Fields(l)[0]] = true
			}
		}
	}
	var failures []string
	okErr, okWIT := 0, 0
	for _, gj := range dirs {
		caseDir := filepath.Dir(gj)
		name := filepath.Base(caseDir)
		rel, _ := filepath.Rel(root, caseDir)
		fail := func(format string, args ...any) {
			failures = append(failures, name)
			if !known[name] {
				t.Errorf(name+": "+format, args...)
			}
		}
		var doc wacGraph
		if err := json.Unmarshal(readFixture(t, gj), &doc); err != nil {
			t.Fatal(err)
		}
		g, err := buildWacGraph(rel, cache, &doc)
		var b []byte
		if err == nil {
			b, err = g.Encode(EncodeOptions{Validate: true})
		}
		if want, rerr := os.ReadFile(filepath.Join(caseDir, "error.txt")); rerr == nil {
			w := wacCause(string(want))
			switch {
			case err == nil:
				fail("no error, want %s", w)
			case err.Error() != w:
				fail("error\n got %s\nwant %s", err, w)
			default:
				okErr++
			}
			continue
		}
		if err != nil {
			fail("%v", err)
			continue
		}
		eb, err := os.ReadFile(filepath.Join(cache, rel, "encoded.wat.wasm"))
		if err != nil {
			t.Fatal(err)
		}
		res, pkg, err := check.DecodeWIT(eb)
		if err != nil {
			fail("WIT of encoded.wat: %v", err)
			continue
		}
		want := wit.Print(res, pkg)
		// Both forms, packages nested and imported (as wac encodes
		// them), have the expected WIT and encode to the same bytes twice.
		if msg := sameWIT(g, b, EncodeOptions{Validate: true}, want); msg != "" {
			fail("nested packages: %s", msg)
			continue
		}
		ib, err := g.Encode(EncodeOptions{ImportPackages: true, Validate: true})
		if err != nil {
			fail("imported packages: %v", err)
			continue
		}
		if msg := sameWIT(g, ib, EncodeOptions{ImportPackages: true}, want); msg != "" {
			fail("imported packages: %s", msg)
			continue
		}
		okWIT++
	}
	sort.Strings(failures)
	for k := range known {
		if !contains(failures, k) {
			t.Errorf("%s passes: remove it from testdata/graph/known-failures.txt", k)
		}
	}
	t.Logf("wac-graph: %d cases, %d errors matched, %d encodings with the expected WIT, %d known failures", len(dirs), okErr, okWIT, len(failures))
}

// sameWIT checks an encoding of g with opts: another encoding gives the
// same bytes and its WIT is want. It explains the first difference.
func sameWIT(g *Graph, b []byte, opts EncodeOptions, want string) string {
	var again bytes.Buffer
	if err := g.EncodeTo(&again, opts); err != nil {
		return err.Error()
	}
	if !bytes.Equal(b, again.Bytes()) {
		return "two encodings of the graph differ"
	}
	res, pkg, err := check.DecodeWIT(b)
	if err != nil {
		return "WIT of the output: " + err.Error()
	}
	if got := wit.Print(res, pkg); got != want {
		return "WIT\n got:\n" + got + "\nwant:\n" + want
	}
	return ""
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// TestGraphPartialWIT: a package whose WIT cannot be extracted as a
// whole (it exports a function type) still gives the WIT of its items: an
// import of its type export is a function, its open instance import an
// inline interface, and it can be imported as well as nested.
func TestGraphPartialWIT(t *testing.T) {
	g := NewGraph()
	p := mustPkg(t, g, "witc:typed", "testdata/graph/type-export.wasm")
	f, err := g.ImportExport("my-foo", p, "f")
	if err != nil {
		t.Fatal(err)
	}
	if fn := g.Node(f).Item.Func; fn == nil || len(fn.Params) != 0 || fn.Result != nil {
		t.Fatalf("type export `f`: %+v", g.Node(f).Item)
	}
	in := g.Instantiate(p)
	if err := g.SetArgument(in, "foo", f); err != nil {
		t.Fatal(err)
	}
	bar, err := g.Alias(in, "bar")
	if err != nil {
		t.Fatal(err)
	}
	if err := g.Export(bar, "bar"); err != nil {
		t.Fatal(err)
	}
	text := encodeTwice(t, g)
	for _, want := range []string{"  import i1: interface {\n  }\n", "  import my-foo: func();\n", "  export bar: func();\n"} {
		if !strings.Contains(text, want) {
			t.Errorf("no %q in\n%s", want, text)
		}
	}

	// Instance imports without WIT merge by the kinds of their exports.
	g = NewGraph()
	g.Instantiate(mustPkg(t, g, "witc:inst", "testdata/graph/inst-of-inst.wasm"))
	g.Instantiate(mustPkg(t, g, "witc:func", "testdata/graph/inst-of-func.wasm"))
	_, err = g.Encode(EncodeOptions{})
	if want := "failed to merge the type definition for implicit import `foo` due to conflicting types: mismatched type for export `baz`: expected function, found instance"; err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
	g = NewGraph()
	g.Instantiate(mustPkg(t, g, "witc:inst", "testdata/graph/inst-of-inst.wasm"))
	_, err = g.Encode(EncodeOptions{})
	if want := "an instantiation of package `witc:inst` implicitly imports `foo`, whose WIT witc cannot read"; err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
}
