package bindgen

import (
	"errors"
	"fmt"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/witc-dev/witc/canonabi"
	"github.com/witc-dev/witc/internal/linear"
	"github.com/witc-dev/witc/wit"
)

// world makes a world t:d/w of one function per param type, exported;
// types made with def are added to the Resolve.
func world(build func(def func(wit.TypeDefKind) *wit.TypeDef) []wit.Type) (*wit.Resolve, *wit.World) {
	res := &wit.Resolve{}
	pkg := res.AddPackage(&wit.Package{Name: wit.PackageName{Namespace: "t", Name: "d"}})
	def := func(k wit.TypeDefKind) *wit.TypeDef { return res.AddType(&wit.TypeDef{Kind: k}) }
	w := res.AddWorld(&wit.World{Name: "w", Package: pkg})
	for i, t := range build(def) {
		name := fmt.Sprintf("f%d", i)
		w.Exports = append(w.Exports, wit.WorldEntry{Key: wit.WorldKey{Name: name},
			Item: &wit.Function{Name: name, Kind: wit.Freestanding, Params: []wit.Param{{Name: "x", Type: t}}}})
	}
	pkg.Worlds = append(pkg.Worlds, w)
	return res, w
}

// doubling is an anonymous tuple of two of the same tuple of two…, levels
// deep: 2^levels leaves written with levels type definitions, as a
// component's types can share them.
func doubling(def func(wit.TypeDefKind) *wit.TypeDef, levels int) wit.Type {
	var t wit.Type = wit.U32
	for range levels {
		t = def(&wit.Tuple{Types: []wit.Type{t, t}})
	}
	return t
}

// TestHostileTypes: the inputs of issue 17 — a 230-byte component whose
// function takes a 2^17-leaf tuple of shared tuples made bindgen run 75 s,
// allocate 2.7 GB and write 94 MB — are refused, quickly; what is
// generated spells no type out at its full expansion.
func TestHostileTypes(t *testing.T) {
	unsupported := func(name string, res *wit.Resolve, w *wit.World, what string) {
		t.Helper()
		var out []byte
		var err error
		c := linear.Measure(func() { out, err = Generate(res, w, Options{}) })
		var u *UnsupportedError
		if !errors.As(err, &u) || !strings.Contains(u.What, what) {
			t.Errorf("%s: got %d bytes, %v; want an error: %s", name, len(out), err, what)
		}
		if c.Bytes > 64<<20 {
			t.Errorf("%s: %d MiB allocated before the error", name, c.Bytes>>20)
		}
	}
	res, w := world(func(def func(wit.TypeDefKind) *wit.TypeDef) []wit.Type { return []wit.Type{doubling(def, 17)} })
	unsupported("2^17 leaves", res, w, "functions whose types expand to 262144 parts, written with 54")
	res, w = world(func(def func(wit.TypeDefKind) *wit.TypeDef) []wit.Type { return []wit.Type{doubling(def, 20)} })
	unsupported("2^20 leaves", res, w, "a type whose expanded size exceeds 1000000")
	// Within the bound on each world, but over the component model's limit
	// in all.
	res, w = world(func(def func(wit.TypeDefKind) *wit.TypeDef) []wit.Type {
		var ts []wit.Type
		for range 16000 {
			ts = append(ts, doubling(def, 5))
		}
		return ts
	})
	unsupported("16 000 functions of 63 parts", res, w, "a world whose functions' types expand past 1000000 in all")
	// Nesting is counted through types checked before: each function
	// nests 50 levels more than the one before.
	res, w = world(func(def func(wit.TypeDefKind) *wit.TypeDef) []wit.Type {
		var ts []wit.Type
		var t wit.Type = wit.U8
		for i := 1; i <= 200; i++ {
			t = def(&wit.Option{Type: t})
			if i%50 == 0 {
				ts = append(ts, t)
			}
		}
		return ts
	})
	unsupported("option chain", res, w, "a type nested more than 100 levels deep")
	res, w = world(func(def func(wit.TypeDefKind) *wit.TypeDef) []wit.Type {
		var t wit.Type = wit.U8
		for range 1500 {
			t = def(&wit.Alias{Type: t})
		}
		return []wit.Type{def(&wit.List{Elem: t})}
	})
	unsupported("alias chain", res, w, "a chain of more than 1000 aliases")

	// What bindgen generates names the parts of a type that shares parts:
	// helpers by a number once their structural name is long, Go types
	// by an alias once spelled out they are long.
	res, w = world(func(def func(wit.TypeDefKind) *wit.TypeDef) []wit.Type { return []wit.Type{doubling(def, 11)} })
	out, err := Generate(res, w, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := parser.ParseFile(token.NewFileSet(), "bindings.go", out, 0); err != nil {
		t.Fatalf("the bindings do not parse: %v", err)
	}
	for _, want := range []string{"type Anon1 = Tuple2[", "func load_T1(", "x Tuple2[Anon"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("the bindings lack %q", want)
		}
	}
	for _, line := range strings.Split(string(out), "\n") {
		if !strings.Contains(line, "Check(") && len(line) > 1000 {
			t.Errorf("a line of %d bytes: %.100s…", len(line), line)
		}
	}
}

// TestGenerateScales: generation grows linearly with the world.
func TestGenerateScales(t *testing.T) {
	linear.Scales(t, "functions", 40, func(n int) *wit.World {
		var b strings.Builder
		b.WriteString("package t:s;\ninterface i {\n")
		for i := range n {
			fmt.Fprintf(&b, "  record r%d { a: u32, b: list<tuple<u%d, string>>, c: option<s64> }\n", i, 8<<(i%4))
			fmt.Fprintf(&b, "  fn%d: func(x: r%d, y: list<r%d>) -> result<option<r%d>, string>;\n", i, i, i, i)
		}
		b.WriteString("}\nworld w { import i; export i; }\n")
		_, w := load(t, b.String())
		return w
	}, func(w *wit.World) {
		if _, err := Generate(nil, w, Options{}); err != nil {
			t.Fatal(err)
		}
	})
}

// TestFlatLen: flatLen, summed from the parts' counts, counts what
// canonabi.Flatten flattens.
func TestFlatLen(t *testing.T) {
	inputs, _ := filepath.Glob(filepath.Join("testdata", "*.wit"))
	srcs := []string{"package t:f; interface i {\n variant v { a(list<u8, 3>), b(tuple<f32, u64, string>), c }\n record r { x: v, y: option<result<v, f64>>, z: list<v, 2> }\n flags fl { a, b }\n enum e { a }\n resource res;\n type h = tuple<own<res>, borrow<res>, fl, e, map<string, r>>;\n}\nworld w { import i; }\n"}
	for _, p := range inputs {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		srcs = append(srcs, string(b))
	}
	for _, src := range srcs {
		res, _ := load(t, src)
		g := &gen{flats: map[*wit.TypeDef]int{}}
		for _, td := range res.Types {
			if got, want := g.flatLen(td), len(canonabi.Flatten(td)); got != want {
				t.Errorf("%s: flatLen %d, canonabi.Flatten %d", wit.TypeString(td), got, want)
			}
		}
	}
}
