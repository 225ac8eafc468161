package check

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/witc-dev/witc/component"
	"github.com/witc-dev/witc/internal/linear"
)

// Hostile inputs (issues 11 and 17): small components that made the
// checker overflow its stack, walk types of exponential size or compare
// every name with every other. Each is generated here, at two sizes, and
// every entry point that takes bytes must reject or accept it with time
// and memory in proportion to its size.

func u32Func() *component.FuncType { return &component.FuncType{} }

func funcImport(name string, typ uint32) component.Import {
	return component.Import{Name: component.Name{Name: name}, Type: component.Extern{Kind: component.ExternFunc, Index: typ}}
}

func funcExport(name string, fn uint32) component.Export {
	return component.Export{Name: component.Name{Name: name}, Item: component.SortIdx{Sort: component.SortFunc, Index: fn}}
}

// deepListChain is n types, each a list of the one before, used by an
// imported and exported function.
func deepListChain(n int) []byte {
	types := []component.Type{&component.DefinedType{Kind: component.DefList, Elem: component.ValType{Prim: component.PrimU32}, HasElem: true}}
	for i := 1; i < n; i++ {
		types = append(types, &component.DefinedType{Kind: component.DefList, Elem: component.ValType{Index: uint32(i - 1)}, HasElem: true})
	}
	types = append(types, &component.FuncType{Params: []component.LabeledVal{{Name: "x", Type: component.ValType{Index: uint32(n - 1)}}}})
	return component.Encode(&component.Component{Sections: []component.Section{
		&component.TypeSection{Types: types},
		&component.ImportSection{Imports: []component.Import{funcImport("f", uint32(n))}},
		&component.ExportSection{Exports: []component.Export{funcExport("g", 0)}},
	}})
}

// manyExports is one imported function exported n times.
func manyExports(n int) []byte {
	var exports []component.Export
	for i := 0; i < n; i++ {
		exports = append(exports, funcExport(fmt.Sprintf("e%d", i), 0))
	}
	return component.Encode(&component.Component{Sections: []component.Section{
		&component.TypeSection{Types: []component.Type{u32Func()}},
		&component.ImportSection{Imports: []component.Import{funcImport("f", 0)}},
		&component.ExportSection{Exports: exports},
	}})
}

// bigTupleExports is a function whose parameter is a tuple of 2^levels
// leaves (each level a tuple of the one before, twice), exported n times.
func bigTupleExports(levels, n int) []byte {
	u8 := component.ValType{Prim: component.PrimU8}
	types := []component.Type{&component.DefinedType{Kind: component.DefTuple, Types: []component.ValType{u8, u8}}}
	for i := 1; i < levels; i++ {
		prev := component.ValType{Index: uint32(i - 1)}
		types = append(types, &component.DefinedType{Kind: component.DefTuple, Types: []component.ValType{prev, prev}})
	}
	types = append(types, &component.FuncType{Params: []component.LabeledVal{{Name: "p", Type: component.ValType{Index: uint32(levels - 1)}}}})
	var exports []component.Export
	for i := 0; i < n; i++ {
		exports = append(exports, funcExport(fmt.Sprintf("e%d", i), 0))
	}
	return component.Encode(&component.Component{Sections: []component.Section{
		&component.TypeSection{Types: types},
		&component.ImportSection{Imports: []component.Import{funcImport("f", uint32(levels))}},
		&component.ExportSection{Exports: exports},
	}})
}

// nestedComponentTypes is issue 11's: component types each importing the
// previous one `width` times, `levels` deep.
func nestedComponentTypes(levels, width int) []byte {
	types := []component.Type{&component.ComponentType{}}
	for i := 1; i < levels; i++ {
		ct := &component.ComponentType{Decls: []component.Decl{
			&component.AliasDecl{Alias: component.Alias{Sort: component.SortType, Kind: component.AliasOuter, Count: 1, Index: uint32(i - 1)}},
		}}
		for j := 0; j < width; j++ {
			ct.Decls = append(ct.Decls, &component.ImportDecl{Name: component.Name{Name: fmt.Sprintf("i%d", j)}, Type: component.Extern{Kind: component.ExternComponent, Index: 0}})
		}
		types = append(types, ct)
	}
	return component.Encode(&component.Component{Sections: []component.Section{&component.TypeSection{Types: types}}})
}

// interfaceChain imports n interfaces of n packages, each using the
// resource of the one before: WIT extraction orders n packages by their
// dependencies.
func interfaceChain(n int) []byte {
	var secs []component.Section
	types, prev := uint32(0), uint32(0)
	for i := 0; i < n; i++ {
		it := &component.InstanceType{}
		if i == 0 {
			it.Decls = []component.Decl{&component.ExportDecl{Name: component.Name{Name: "t"}, Type: component.Extern{Kind: component.ExternType, SubResource: true}}}
		} else {
			it.Decls = []component.Decl{
				&component.AliasDecl{Alias: component.Alias{Sort: component.SortType, Kind: component.AliasOuter, Count: 1, Index: prev}},
				&component.ExportDecl{Name: component.Name{Name: "t"}, Type: component.Extern{Kind: component.ExternType, Index: 0}},
			}
		}
		secs = append(secs, &component.TypeSection{Types: []component.Type{it}},
			&component.ImportSection{Imports: []component.Import{{Name: component.Name{Name: fmt.Sprintf("a:p%d/i", i)}, Type: component.Extern{Kind: component.ExternInstance, Index: types}}}},
			&component.AliasSection{Aliases: []component.Alias{{Sort: component.SortType, Kind: component.AliasExport, Instance: uint32(i), Name: "t"}}})
		prev = types + 1
		types += 2
	}
	return component.Encode(&component.Component{Sections: secs})
}

// bigInterface imports one interface of n resources and n functions.
func bigInterface(n int) []byte {
	it := &component.InstanceType{Decls: []component.Decl{&component.TypeDecl{Type: u32Func()}}}
	for j := 0; j < n; j++ {
		it.Decls = append(it.Decls,
			&component.ExportDecl{Name: component.Name{Name: fmt.Sprintf("t%d", j)}, Type: component.Extern{Kind: component.ExternType, SubResource: true}},
			&component.ExportDecl{Name: component.Name{Name: fmt.Sprintf("f%d", j)}, Type: component.Extern{Kind: component.ExternFunc, Index: 0}})
	}
	return component.Encode(&component.Component{Sections: []component.Section{
		&component.TypeSection{Types: []component.Type{it}},
		&component.ImportSection{Imports: []component.Import{{Name: component.Name{Name: "a:b/i"}, Type: component.Extern{Kind: component.ExternInstance, Index: 0}}}},
	}})
}

// manyInstantiations instantiates n times a component whose export is a
// function of a tuple of `fields` types that hold an imported resource:
// each instantiation substitutes the resource in all of them.
func manyInstantiations(fields, n int) []byte {
	ct := &component.ComponentType{Decls: []component.Decl{
		&component.ImportDecl{Name: component.Name{Name: "r"}, Type: component.Extern{Kind: component.ExternType, SubResource: true}},
		&component.TypeDecl{Type: &component.DefinedType{Kind: component.DefOwn, Index: 0}},
	}}
	tuple := &component.DefinedType{Kind: component.DefTuple}
	for j := 0; j < fields; j++ {
		ct.Decls = append(ct.Decls, &component.TypeDecl{Type: &component.DefinedType{Kind: component.DefTuple, Types: []component.ValType{{Index: 1}, {Prim: component.PrimU8}}}})
		tuple.Types = append(tuple.Types, component.ValType{Index: uint32(2 + j)})
	}
	ct.Decls = append(ct.Decls, &component.TypeDecl{Type: tuple},
		&component.TypeDecl{Type: &component.FuncType{Params: []component.LabeledVal{{Name: "p", Type: component.ValType{Index: uint32(2 + fields)}}}}},
		&component.ExportDecl{Name: component.Name{Name: "f"}, Type: component.Extern{Kind: component.ExternFunc, Index: uint32(3 + fields)}})
	var insts []component.Instance
	for i := 0; i < n; i++ {
		insts = append(insts, component.Instance{Instantiate: true, Component: 0, Args: []component.InstantiateArg{{Name: "r", Item: component.SortIdx{Sort: component.SortType, Index: 1}}}})
	}
	return component.Encode(&component.Component{Sections: []component.Section{
		&component.TypeSection{Types: []component.Type{ct}},
		&component.ImportSection{Imports: []component.Import{
			{Name: component.Name{Name: "r"}, Type: component.Extern{Kind: component.ExternType, SubResource: true}},
			{Name: component.Name{Name: "c"}, Type: component.Extern{Kind: component.ExternComponent, Index: 0}},
		}},
		&component.InstanceSection{Instances: insts},
	}})
}

// deepInstanceTypes is n instance types, each exporting an instance of
// the one before: types nested n deep without nesting in the binary.
func deepInstanceTypes(n int) []byte {
	types := []component.Type{&component.InstanceType{}}
	for i := 1; i < n; i++ {
		types = append(types, &component.InstanceType{Decls: []component.Decl{
			&component.AliasDecl{Alias: component.Alias{Sort: component.SortType, Kind: component.AliasOuter, Count: 1, Index: uint32(i - 1)}},
			&component.ExportDecl{Name: component.Name{Name: "x"}, Type: component.Extern{Kind: component.ExternInstance, Index: 0}},
		}})
	}
	return component.Encode(&component.Component{Sections: []component.Section{&component.TypeSection{Types: types}}})
}

// entryPoints are the functions that take a component's bytes.
var entryPoints = []struct {
	name string
	run  func(b []byte) error
}{
	{"Validate", Validate},
	{"Inspect", func(b []byte) error { _, err := Inspect(b); return err }},
	{"DecodeWIT", func(b []byte) error { _, _, err := DecodeWIT(b); return err }},
}

// hostileBudget is the cost allowed per input byte: generous, the point
// is that it is proportional (a quadratic or exponential cost breaks it
// at once).
var hostileBudget = linear.Budget{BytesPerByte: 8 << 10, BaseBytes: 8 << 20, TimePerByte: 50 * time.Microsecond, BaseTime: 200 * time.Millisecond}

// within fails t when f, given an input of n bytes, costs more than
// hostileBudget allows: bytes allocated, and processor time (not wall
// time, which the machine's other work inflates).
func within(t testing.TB, n int, f func()) {
	t.Helper()
	b := hostileBudget
	c := linear.Measure(f)
	if max := b.BaseBytes + b.BytesPerByte*uint64(n); c.Bytes > max {
		t.Errorf("a %d-byte input allocated %d bytes, over the budget of %d", n, c.Bytes, max)
	}
	if max := b.BaseTime + b.TimePerByte*time.Duration(n); c.CPU > max {
		t.Errorf("a %d-byte input took %v of processor time, over the budget of %v", n, c.CPU, max)
	}
}

func TestHostileInputs(t *testing.T) {
	for _, tc := range []struct {
		name    string
		gen     func(scale int) []byte
		small   int
		wantErr string // "" when valid
	}{
		{"deep list chain", deepListChain, 50_000, "type nesting is too deep"},
		{"deep instance types", deepInstanceTypes, 20_000, "type nesting is too deep"},
		{"many exports", manyExports, 10_000, ""},
		{"exports of a 2^17-leaf tuple", func(n int) []byte { return bigTupleExports(17, n) }, 100, "effective type size exceeds the limit of 1000000"},
		{"nested component types", func(n int) []byte { return nestedComponentTypes(n, 10) }, 7, "effective type size exceeds the limit of 1000000"},
		{"chain of interfaces", interfaceChain, 100, ""},
		{"big interface", bigInterface, 2_000, ""},
		{"instantiations of resourceful types", func(n int) []byte { return manyInstantiations(10, n) }, 100, ""},
		{"instantiations of resourceful types past the budget", func(n int) []byte { return manyInstantiations(n, 1000) }, 1000, "implementation limit"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, ep := range entryPoints {
				b := tc.gen(tc.small)
				var err error
				within(t, len(b), func() { err = ep.run(b) })
				switch {
				case tc.wantErr == "" && err != nil:
					t.Errorf("%s of %d bytes: %v", ep.name, len(b), err)
				case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
					t.Errorf("%s of %d bytes: got %v, want %q", ep.name, len(b), err, tc.wantErr)
				}
				linear.Scales(t, ep.name, tc.small, tc.gen, func(b []byte) { ep.run(b) })
			}
		})
	}
}
