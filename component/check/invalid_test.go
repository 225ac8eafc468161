package check

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/witc-dev/witc/component"
)

func readFixture(t testing.TB, name string) []byte {
	b, err := os.ReadFile(filepath.Join("..", "..", "examples", "components", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// mutate decodes the fixture, applies f and validates the re-encoded result.
func mutate(t *testing.T, name string, f func(c *component.Component)) error {
	c, err := component.Decode(readFixture(t, name))
	if err != nil {
		t.Fatal(err)
	}
	f(c)
	return Validate(component.Encode(c))
}

func sections[T component.Section](c *component.Component) []T {
	var out []T
	for _, s := range c.Sections {
		if x, ok := s.(T); ok {
			out = append(out, x)
		}
	}
	return out
}

func TestInvalidComponents(t *testing.T) {
	for _, tc := range []struct {
		name string
		f    func(c *component.Component)
		want string
	}{
		{"alias of a missing instance", func(c *component.Component) {
			for _, a := range sections[*component.AliasSection](c) {
				for i := range a.Aliases {
					if a.Aliases[i].Kind == component.AliasCoreExport {
						a.Aliases[i].Instance = 99
						return
					}
				}
			}
		}, "unknown core instance 99: instance index out of bounds"},
		{"alias of a missing export", func(c *component.Component) {
			for _, a := range sections[*component.AliasSection](c) {
				for i := range a.Aliases {
					if a.Aliases[i].Kind == component.AliasCoreExport {
						a.Aliases[i].Name = "nope"
						return
					}
				}
			}
		}, "has no export named `nope`"},
		{"lift with the wrong core signature", func(c *component.Component) {
			for _, ts := range sections[*component.TypeSection](c) {
				for _, ty := range ts.Types {
					if f, ok := ty.(*component.FuncType); ok {
						f.Params = append(f.Params, component.LabeledVal{Name: "extra", Type: component.ValType{Prim: component.PrimU64}})
						return
					}
				}
			}
		}, "does not match type"},
		{"duplicate export", func(c *component.Component) {
			for _, es := range sections[*component.ExportSection](c) {
				es.Exports = append(es.Exports, es.Exports[0])
				return
			}
		}, "export name `witc:examples/calc@0.1.0` conflicts with previous name `witc:examples/calc@0.1.0`"},
		{"export name differing in case", func(c *component.Component) {
			for _, es := range sections[*component.ExportSection](c) {
				dup := es.Exports[0]
				pkg, iface, _ := strings.Cut(dup.Name.Name, "/")
				dup.Name.Name = pkg + "/" + strings.ToUpper(iface)
				es.Exports = append(es.Exports, dup)
				return
			}
		}, "export name `witc:examples/CALC@0.1.0` conflicts with previous name `witc:examples/calc@0.1.0`"},
		{"invalid name", func(c *component.Component) {
			for _, es := range sections[*component.ExportSection](c) {
				es.Exports[0].Name.Name = "Not_Kebab"
				return
			}
		}, "export name `Not_Kebab` is not a valid extern name: `Not_Kebab` is not in kebab case"},
		{"type index out of range", func(c *component.Component) {
			for _, cs := range sections[*component.CanonSection](c) {
				for i := range cs.Funcs {
					if cs.Funcs[i].Op == component.CanonLift {
						cs.Funcs[i].Type = 500
						return
					}
				}
			}
		}, "type index 500 out of range"},
	} {
		err := mutate(t, "calc.wasm", tc.f)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want an error containing %q", tc.name, err, tc.want)
		}
	}
}

// TestTypeSizeLimit: 40 tuples, each made of the previous one twice, would
// expand to 2^41 nodes; validation refuses the type as wasmparser does,
// instantly, instead of letting later passes walk it.
func TestTypeSizeLimit(t *testing.T) {
	var types []component.Type
	types = append(types, &component.DefinedType{Kind: component.DefTuple, Types: []component.ValType{{Prim: component.PrimU8}, {Prim: component.PrimU8}}})
	for i := 1; i <= 40; i++ {
		prev := component.ValType{Index: uint32(i - 1)}
		types = append(types, &component.DefinedType{Kind: component.DefTuple, Types: []component.ValType{prev, prev}})
	}
	b := component.Encode(&component.Component{Sections: []component.Section{&component.TypeSection{Types: types}}})
	err := Validate(b)
	if err == nil || !strings.Contains(err.Error(), "effective type size exceeds the limit of 1000000") {
		t.Fatalf("got %v, want the type size limit", err)
	}
	// 18 of them (2^19 - 1 nodes) are within the limit.
	b = component.Encode(&component.Component{Sections: []component.Section{&component.TypeSection{Types: types[:18]}}})
	if err := Validate(b); err != nil {
		t.Fatalf("a type of 2^19 nodes: %v", err)
	}
}

// FuzzCheck: whatever decodes is checked, and what checks has its WIT
// extracted and is inspected, without a panic, and within a budget of
// time and memory proportional to the input's size (the hostile inputs
// of TestHostileInputs stay within it).
func FuzzCheck(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("..", "..", "examples", "components", "*.wasm"))
	for _, p := range seeds {
		b, _ := os.ReadFile(p)
		f.Add(b)
	}
	for _, b := range [][]byte{deepListChain(200), manyExports(100), bigTupleExports(17, 4), nestedComponentTypes(7, 10),
		interfaceChain(20), bigInterface(50), manyInstantiations(20, 50)} {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		within(t, len(b), func() {
			c, err := component.Decode(b)
			if err != nil {
				return
			}
			if ty, err := Component(c); err == nil {
				ty.WIT() // must not panic
			}
			Inspect(b)
			Validate(b)
		})
	})
}
