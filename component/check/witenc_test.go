package check_test

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/witc-dev/witc/component"
	"github.com/witc-dev/witc/component/check"
	"github.com/witc-dev/witc/diag"
	"github.com/witc-dev/witc/internal/textdiff"
	"github.com/witc-dev/witc/loader"
	"github.com/witc-dev/witc/wit"
)

// stripImportDocs removes the docs written on a world's imports and
// exports, which the package-docs section does not carry (wit-parser does
// not keep them there either).
func stripImportDocs(res *wit.Resolve) {
	for _, w := range res.Worlds {
		for _, es := range [][]wit.WorldEntry{w.Imports, w.Exports} {
			for _, e := range es {
				if it, ok := e.Item.(*wit.WorldInterface); ok && (e.Key.Interface != nil || it.Interface.Name != "") {
					it.Docs = wit.Docs{}
				}
			}
		}
	}
}

// roundTripWIT encodes pkg as a binary WIT package, decodes it and returns
// the printed main package of both sides: types, docs and gates.
func roundTripWIT(t *testing.T, res *wit.Resolve, pkg *wit.Package) (want, got string) {
	stripImportDocs(res)
	c, err := check.EncodeWIT(res, pkg)
	if err != nil {
		if strings.Contains(err.Error(), "component model") {
			t.Logf("%s cannot be encoded: %v", pkg.Name, err) // wasm-tools rejects it too
			return "", ""
		}
		t.Fatalf("encode: %v", err)
	}
	b := component.Encode(c)
	_, pkg2, err := check.DecodeWIT(b)
	if err != nil {
		t.Fatalf("decode of the encoded package: %v", err)
	}
	return wit.PrintPackage(pkg), wit.PrintPackage(pkg2)
}

func TestEncodeWITExamples(t *testing.T) {
	res, pkg := loadTestWIT(t, filepath.Join("..", "..", "examples", "wit", "kv"))
	want, got := roundTripWIT(t, res, pkg)
	if d := textdiff.First(want, got); d != "" {
		t.Errorf("kv: %s", d)
	}
}

func TestEncodeWITConformance(t *testing.T) {
	shared := filepath.Join("..", "..", "..", "shared", "conformance")
	var paths []string
	ui, _ := os.ReadDir(filepath.Join(shared, "wit-parser-ui"))
	for _, e := range ui {
		n := e.Name()
		if n == "parse-fail" || n == "kinds-of-deps" || (!e.IsDir() && !strings.HasSuffix(n, ".wit")) {
			continue
		}
		paths = append(paths, filepath.Join(shared, "wit-parser-ui", n))
	}
	wasi, _ := filepath.Glob(filepath.Join(shared, "wasi-wit", "0.2.12", "*"))
	paths = append(paths, wasi...)
	if len(paths) == 0 {
		t.Skip("conformance data not found")
	}
	ok, skipped := 0, 0
	for _, p := range paths {
		res, pkg := loadTestWIT(t, p)
		if pkg == nil || len(pkg.Interfaces)+len(pkg.Worlds) == 0 {
			skipped++ // an empty package encodes as an empty component
			continue
		}
		want, got := roundTripWIT(t, res, pkg)
		if want == "" {
			skipped++
			continue
		}
		if d := textdiff.First(want, got); d != "" {
			t.Errorf("%s: %s", filepath.Base(p), d)
			continue
		}
		ok++
	}
	t.Logf("%d WIT packages round-trip through the binary encoding, %d skipped (empty, or not encodable)", ok, skipped)
}

// TestEncodeWITDeepType: a WIT type nested 500 000 deep (which the
// component model cannot hold) is an error, not a stack overflow.
func TestEncodeWITDeepType(t *testing.T) {
	res := &wit.Resolve{}
	pkg := res.AddPackage(&wit.Package{Name: wit.PackageName{Namespace: "a", Name: "b"}})
	iface := res.AddInterface(&wit.Interface{Name: "i", Package: pkg})
	pkg.Interfaces = append(pkg.Interfaces, iface)
	var elem wit.Type = wit.U32
	for i := 0; i < 500_000; i++ {
		elem = res.AddType(&wit.TypeDef{Kind: &wit.List{Elem: elem}})
	}
	iface.Types = append(iface.Types, res.AddType(&wit.TypeDef{Name: "t", Kind: &wit.Alias{Type: elem}, Owner: wit.Owner{Interface: iface}}))
	_, err := check.EncodeWIT(res, pkg)
	if err == nil || !strings.Contains(err.Error(), "type nesting is too deep") {
		t.Fatalf("got %v, want type nesting is too deep", err)
	}
}

// TestEncodeWITChainLinear: a chain of interfaces, each using a type of
// the one before. As wit-component does, each interface's component type
// imports every interface it uses, transitively, so the encoding grows
// with the square of the chain's length; encoding and decoding it must
// cost in proportion to that output (measured by what it allocates: the
// time of a test depends on the machine's load).
func TestEncodeWITChainLinear(t *testing.T) {
	var perByte []float64
	for _, n := range []int{50, 200} {
		var b strings.Builder
		b.WriteString("package a:b;\ninterface i0 { type t0 = u32; }\n")
		for i := 1; i < n; i++ {
			fmt.Fprintf(&b, "interface i%d { use i%d.{t0}; f: func(x: t0); }\n", i, i-1)
		}
		var r diag.Report
		res, pkg := loader.LoadFS(fstest.MapFS{"a.wit": {Data: []byte(b.String())}}, "a.wit", loader.Options{}, &r)
		if r.HasErrors() {
			t.Fatal(diag.Renderer{}.Render(r.Diagnostics))
		}
		var m0, m1 runtime.MemStats
		runtime.ReadMemStats(&m0)
		start := time.Now()
		c, err := check.EncodeWIT(res, pkg)
		if err != nil {
			t.Fatal(err)
		}
		out := component.Encode(c)
		if _, _, err := check.DecodeWIT(out); err != nil {
			t.Fatal(err)
		}
		d := time.Since(start)
		runtime.ReadMemStats(&m1)
		alloc := m1.TotalAlloc - m0.TotalAlloc
		t.Logf("%d interfaces: %d bytes encoded; encoded and decoded in %v, %d bytes allocated", n, len(out), d, alloc)
		perByte = append(perByte, float64(alloc)/float64(len(out)))
	}
	if perByte[1] > 2*perByte[0] {
		t.Errorf("allocation per output byte grows: %.0f at the small size, %.0f at the large", perByte[0], perByte[1])
	}
}

// loadWIT resolves a package written in WIT.
func loadWIT(t *testing.T, src string) (*wit.Resolve, *wit.Package) {
	t.Helper()
	var r diag.Report
	res, pkg := loader.LoadFS(fstest.MapFS{"a.wit": {Data: []byte(src)}}, "a.wit", loader.Options{}, &r)
	if r.HasErrors() {
		t.Fatal(diag.Renderer{}.Render(r.Diagnostics))
	}
	return res, pkg
}

// TestEncodeWITBudget: a package whose encoding, as wit-component makes
// it, would be past the effective type size the component model allows
// (a chain of interfaces, each using a resource of the one before: each
// interface's component type imports all those before it) is an error
// found before the encoding is built: issue 17's chain of 1 000
// interfaces took 12 s and 1.4 GB (2 000: 52 s, 5.8 GB). The cost stays
// in proportion to the input. (A chain of worlds, each including the one
// before, is bounded by the resolver.)
func TestEncodeWITBudget(t *testing.T) {
	ifaces := func(n int) string {
		var b strings.Builder
		b.WriteString("package a:b;\ninterface i0 { resource t0; }\n")
		for i := 1; i < n; i++ {
			fmt.Fprintf(&b, "interface i%d { use i%d.{t%d}; resource t%d; f: func(x: borrow<t%d>); }\n", i, i-1, i-1, i, i-1)
		}
		return b.String()
	}
	for _, tc := range []struct {
		name  string
		gen   func(int) string
		sizes [2]int
	}{
		{"interfaces", ifaces, [2]int{2_000, 4_000}},
	} {
		var perByte []float64
		for _, n := range tc.sizes {
			src := tc.gen(n)
			res, pkg := loadWIT(t, src)
			var m0, m1 runtime.MemStats
			runtime.ReadMemStats(&m0)
			start := time.Now()
			_, err := check.EncodeWIT(res, pkg)
			d := time.Since(start)
			runtime.ReadMemStats(&m1)
			if err == nil || !strings.Contains(err.Error(), "effective type size exceeds the limit") {
				t.Fatalf("%s, %d: got %v, want the type size limit", tc.name, n, err)
			}
			alloc := m1.TotalAlloc - m0.TotalAlloc
			t.Logf("%s, %d (%d bytes of WIT): rejected in %v, %d bytes allocated: %v", tc.name, n, len(src), d, alloc, err)
			perByte = append(perByte, float64(alloc)/float64(len(src)))
		}
		if perByte[1] > 2*perByte[0] {
			t.Errorf("%s: allocation per input byte grows: %.0f at the small size, %.0f at the large", tc.name, perByte[0], perByte[1])
		}
	}
}
