package check

import (
	"strings"
	"testing"

	"github.com/witc-dev/witc/component"
)

// Regression tests for the validation disagreements of issue 11, each
// class in a component built here (the spec scripts, run by make
// spectest, test them at large).

// c builds a component of sections.
func c(sections ...component.Section) *component.Component {
	return &component.Component{Sections: sections}
}

func types(ts ...component.Type) *component.TypeSection { return &component.TypeSection{Types: ts} }

func imports(ims ...component.Import) *component.ImportSection {
	return &component.ImportSection{Imports: ims}
}

func exports(exs ...component.Export) *component.ExportSection {
	return &component.ExportSection{Exports: exs}
}

func nm(s string) component.Name { return component.Name{Name: s} }

func imp(name string, kind component.ExternKind, idx uint32) component.Import {
	return component.Import{Name: nm(name), Type: component.Extern{Kind: kind, Index: idx}}
}

func subResource(name string) component.Import {
	return component.Import{Name: nm(name), Type: component.Extern{Kind: component.ExternType, SubResource: true}}
}

func exp(name string, sort component.Sort, idx uint32) component.Export {
	return component.Export{Name: nm(name), Item: component.SortIdx{Sort: sort, Index: idx}}
}

func def(kind component.DefinedKind) *component.DefinedType {
	return &component.DefinedType{Kind: kind}
}

func prim(p component.PrimType) component.ValType { return component.ValType{Prim: p} }

func idx(i uint32) component.ValType { return component.ValType{Index: i} }

func fn(params []component.LabeledVal, result *component.ValType) *component.FuncType {
	f := &component.FuncType{Params: params}
	if result != nil {
		f.Result, f.HasResult = *result, true
	}
	return f
}

func TestValidationRegressions(t *testing.T) {
	u32 := prim(component.PrimU32)
	record := func(fields ...string) *component.DefinedType {
		d := def(component.DefRecord)
		for _, f := range fields {
			d.Fields = append(d.Fields, component.LabeledVal{Name: f, Type: u32})
		}
		return d
	}
	own0, borrow0 := &component.DefinedType{Kind: component.DefOwn, Index: 0}, &component.DefinedType{Kind: component.DefBorrow, Index: 0}
	ownRes := idx(1)
	// A module importing `m` `f` as a function, and one exporting a
	// memory.
	funcImporter := module(section(1, vecOf([]byte{0x60, 0, 0})), section(2, vecOf(append(append([]byte{1, 'm', 1, 'f'}, 0x00), 0))))
	memExporter := module(section(5, vecOf([]byte{0, 1})), section(7, vecOf([]byte{1, 'f', 2, 0})))
	subStruct := &component.CoreRecType{Raw: []byte{0x00, 0x50, 0x00, 0x5f, 0x00}}

	for _, tc := range []struct {
		name  string
		comp  *component.Component
		feats Features
		want  string // "" when valid
	}{
		// Type visibility: what an export refers to must be exported.
		{"export of a function of an unexported record", liftedOf(types(record("a"), fn([]component.LabeledVal{{Name: "r", Type: idx(0)}}, nil)), 1, exports(exp("g", component.SortFunc, 0))),
			0, "func not valid to be used as export"},
		{"export of a function of an exported record", liftedOf(types(record("a"), fn([]component.LabeledVal{{Name: "r", Type: idx(0)}}, nil)), 1,
			exports(exp("r", component.SortType, 0)), types(fn([]component.LabeledVal{{Name: "r", Type: idx(2)}}, nil)),
			exports(component.Export{Name: nm("g"), Item: component.SortIdx{Sort: component.SortFunc, Index: 0}, Type: &component.Extern{Kind: component.ExternFunc, Index: 3}})),
			0, ""},
		{"import of a function of an unimported record", c(types(record("a"), fn([]component.LabeledVal{{Name: "r", Type: idx(0)}}, nil)),
			imports(imp("f", component.ExternFunc, 1))), 0, "func not valid to be used as import"},
		// Name grammar.
		{"url= import", c(types(fn(nil, nil)), imports(imp("url=<x>", component.ExternFunc, 0))), 0, ""},
		{"url= export", c(types(fn(nil, nil)), imports(imp("f", component.ExternFunc, 0)), exports(exp("url=<x>", component.SortFunc, 0))), 0, "is not a valid export name"},
		{"uppercase namespace", c(types(&component.InstanceType{}), imports(imp("A:b/c", component.ExternInstance, 0))), 0, "is not a valid extern name"},
		{"bare namespace", c(types(&component.InstanceType{}), imports(imp("wasi:", component.ExternInstance, 0))), 0, "is not a valid extern name"},
		{"words starting with digits", c(types(fn(nil, nil)), imports(imp("a-1", component.ExternFunc, 0), imp("sync-4-param", component.ExternFunc, 0))), 0, ""},
		{"hashes differing in case", c(types(fn(nil, nil)), imports(imp("integrity=<sha256-a>", component.ExternFunc, 0), imp("integrity=<sha256-A>", component.ExternFunc, 0))), 0, ""},
		{"names differing in case", c(types(fn(nil, nil)), imports(imp("a-b", component.ExternFunc, 0), imp("A-B", component.ExternFunc, 0))), 0, "conflicts with previous name"},
		// Annotated names.
		{"constructor, method, static", c(imports(subResource("r")), types(own0, borrow0),
			types(fn(nil, &ownRes), fn([]component.LabeledVal{{Name: "self", Type: idx(2)}}, nil), fn(nil, nil)),
			imports(imp("[constructor]r", component.ExternFunc, 3), imp("[method]r.m", component.ExternFunc, 4), imp("[static]r.s", component.ExternFunc, 5))), 0, ""},
		{"method without self", c(imports(subResource("r")), types(borrow0, fn([]component.LabeledVal{{Name: "x", Type: idx(1)}}, nil)),
			imports(imp("[method]r.m", component.ExternFunc, 2))), 0, "function should have a first argument called `self`"},
		{"constructor returning u32", c(imports(subResource("r")), types(fn(nil, &u32)), imports(imp("[constructor]r", component.ExternFunc, 1))), 0, "function should return `(own $T)`"},
		{"static of an unknown resource", c(types(fn(nil, nil)), imports(imp("[static]r.s", component.ExternFunc, 0))), 0, "static resource name is not known"},
		{"constructor of another resource", c(imports(subResource("r"), subResource("q")), types(&component.DefinedType{Kind: component.DefOwn, Index: 1}),
			types(fn(nil, idxPtr(2))), imports(imp("[constructor]r", component.ExternFunc, 3))), 0, "function does not match expected resource name `q`"},
		{"[method]a.a against a", c(imports(subResource("a")), types(borrow0, fn([]component.LabeledVal{{Name: "self", Type: idx(1)}}, nil)),
			imports(imp("[method]a.a", component.ExternFunc, 2))), 0, "conflicts with previous name `a`"},
		// Labels.
		{"record fields a and A", c(types(record("a", "A"))), 0, "conflicts with previous field name"},
		{"enum case not in kebab case", c(types(&component.DefinedType{Kind: component.DefEnum, Labels: []string{"NevEr"}})), 0, "is not in kebab case"},
		{"parameters differing in case", c(types(fn([]component.LabeledVal{{Name: "foo", Type: u32}, {Name: "FOO", Type: u32}}, nil))), 0, "conflicts with previous parameter name"},
		// Core instantiation arguments against module types.
		{"core argument of the wrong kind", c(&component.ModuleSection{Bytes: funcImporter}, &component.ModuleSection{Bytes: memExporter},
			&component.CoreInstanceSection{Instances: []component.CoreInstance{{Instantiate: true, Module: 1}, {Instantiate: true, Module: 0, Args: []component.CoreInstantiateArg{{Name: "m", Instance: 0}}}}}),
			0, "type mismatch for export `f` of module instantiation argument `m`: expected func, found memory"},
		{"core argument missing", c(&component.ModuleSection{Bytes: funcImporter},
			&component.CoreInstanceSection{Instances: []component.CoreInstance{{Instantiate: true, Module: 0}}}), 0, "missing module instantiation argument named `m`"},
		// The implements attribute.
		{"implements without the feature", c(types(&component.InstanceType{}), imports(implementsImport("a", "wasi:x/y", component.ExternInstance, 0))), DefaultFeatures, "the `cm-implements` feature is not active"},
		{"implements", c(types(&component.InstanceType{}), imports(implementsImport("a", "wasi:x/y", component.ExternInstance, 0))), AllFeatures, ""},
		{"implements on a function", c(types(fn(nil, nil)), imports(implementsImport("a", "wasi:x/y", component.ExternFunc, 0))), AllFeatures, "only instances can have an `implements`"},
		{"implements on an interface name", c(types(&component.InstanceType{}), imports(implementsImport("wasi:x/z", "wasi:x/y", component.ExternInstance, 0))), AllFeatures, "is not valid with `implements`"},
		{"implements of a label", c(types(&component.InstanceType{}), imports(implementsImport("a", "b", component.ExternInstance, 0))), AllFeatures, "must be an interface"},
		// Resource built-ins and destructors.
		{"resource.new of an imported resource", c(imports(subResource("r")), &component.CanonSection{Funcs: []component.Canon{{Op: component.CanonResourceNew, Type: 0}}}),
			0, "type 0 is not a local resource"},
		{"resource.drop of an imported resource", c(imports(subResource("r")), &component.CanonSection{Funcs: []component.Canon{{Op: component.CanonResourceDrop, Type: 0}}}), 0, ""},
		{"destructor of the wrong type", c(types(fn(nil, nil)), imports(imp("f", component.ExternFunc, 0)),
			&component.CanonSection{Funcs: []component.Canon{{Op: component.CanonLower, Func: 0}}},
			types(&component.ResourceType{Rep: 0x7f, HasDtor: true, Dtor: 0})), 0, "wrong signature for a destructor"},
		{"64-bit resource without cm64", c(types(&component.ResourceType{Rep: 0x7e})), DefaultFeatures, "resources with `i64` require the `cm64` feature"},
		// Outer aliases.
		{"outer alias of a resource into a component", c(types(&component.ResourceType{Rep: 0x7f}),
			&component.ComponentSection{Component: c(&component.AliasSection{Aliases: []component.Alias{{Sort: component.SortType, Kind: component.AliasOuter, Count: 1, Index: 0}}})}),
			0, "transitively refers to resources not defined in the current component"},
		{"outer alias of a function", c(types(fn(nil, nil)), imports(imp("f", component.ExternFunc, 0)),
			&component.ComponentSection{Component: c(&component.AliasSection{Aliases: []component.Alias{{Sort: component.SortFunc, Kind: component.AliasOuter, Count: 1, Index: 0}}})}),
			0, "outer aliases of"},
		// Canonical options and types.
		{"realloc without memory", c(types(fn([]component.LabeledVal{{Name: "s", Type: prim(component.PrimString)}}, nil)), imports(imp("f", component.ExternFunc, 0)),
			&component.CanonSection{Funcs: []component.Canon{{Op: component.CanonLower, Func: 0}, {Op: component.CanonLower, Func: 0, Opts: []component.CanonOpt{{Kind: component.OptRealloc, Index: 0}}}}}),
			0, "canonical option `memory` is required"},
		{"stream<char>", c(types(&component.DefinedType{Kind: component.DefStream, Elem: prim(component.PrimChar), HasElem: true})), 0, "`stream<char>` is not valid"},
		// Component-typed arguments with abstract resources.
		{"component argument with abstract resources", abstractResources(), 0, ""},
		// A non-final core subtype.
		{"non-final core subtype", c(&component.CoreTypeSection{Types: []component.CoreType{subStruct}}), DefaultFeatures, ""},
		// Features.
		{"error-context without its feature", c(types(def(component.DefPrim))), DefaultFeatures, ""},
		{"map without its feature", c(types(&component.DefinedType{Kind: component.DefMap, Elem: u32, HasElem: true, Err: u32, HasErr: true})), DefaultFeatures, "Maps require the component model map feature"},
		{"value import", c(imp2Value("v")), DefaultFeatures, "support for component model `value`s is not enabled"},
		{"value import with cm-values", c(imp2Value("v")), AllFeatures, "component model values (cm-values) are not supported by witc"},
		{"custom page size without its feature", c(&component.ModuleSection{Bytes: module(section(5, vecOf([]byte{0x08, 0, 0})))}), DefaultFeatures, "custom page sizes proposal must be enabled"},
		{"custom page size", c(&component.ModuleSection{Bytes: module(section(5, vecOf([]byte{0x08, 0, 0})))}), DefaultFeatures | FeatureCustomPageSizes, ""},
		{"memory64 module", c(&component.ModuleSection{Bytes: module(section(5, vecOf([]byte{0x04, 1})))}), DefaultFeatures, ""},
		{"GC types in a module", c(&component.ModuleSection{Bytes: module(section(1, vecOf([]byte{0x4e, 2, 0x5f, 1, 0x63, 1, 0, 0x5e, 0x63, 0, 1})))}), DefaultFeatures, ""},
	} {
		feats := tc.feats
		if feats == 0 {
			feats = AllFeatures
		}
		if tc.name == "error-context without its feature" {
			tc.comp.Sections[0].(*component.TypeSection).Types[0].(*component.DefinedType).Prim = component.PrimErrorContext
			tc.want = "`error-context` requires the component model error-context feature"
		}
		_, err := componentFeatures(tc.comp, feats, true)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: got %v, want %q", tc.name, err, tc.want)
		}
	}
}

// liftedOf lifts a core function of type [i32] → [] to the function type
// at index ft of the type section given, followed by rest.
func liftedOf(ts *component.TypeSection, ft uint32, rest ...component.Section) *component.Component {
	mod := module(section(1, vecOf([]byte{0x60, 1, 0x7f, 0})), section(3, vecOf(leb(0))), section(7, vecOf([]byte{1, 'f', 0, 0})),
		section(10, vecOf([]byte{2, 0, 0x0b})))
	secs := []component.Section{ts, &component.ModuleSection{Bytes: mod},
		&component.CoreInstanceSection{Instances: []component.CoreInstance{{Instantiate: true}}},
		&component.AliasSection{Aliases: []component.Alias{{Sort: component.SortCoreFunc, Kind: component.AliasCoreExport, Name: "f"}}},
		&component.CanonSection{Funcs: []component.Canon{{Op: component.CanonLift, Type: ft}}}}
	return c(append(secs, rest...)...)
}

func idxPtr(i uint32) *component.ValType { v := idx(i); return &v }

func implementsImport(name, impl string, kind component.ExternKind, idx uint32) component.Import {
	return component.Import{Name: component.Name{Tag: 0x02, Name: name, Attrs: []component.NameAttr{{Kind: component.AttrImplements, Value: impl}}},
		Type: component.Extern{Kind: kind, Index: idx}}
}

func imp2Value(name string) *component.ImportSection {
	return imports(component.Import{Name: nm(name), Type: component.Extern{Kind: component.ExternValue, ValType: prim(component.PrimU32)}})
}

// abstractResources is spec/validation/resources.wast's: a component
// whose import is a component type with resources of its own, given a
// component that has them as imports.
func abstractResources() *component.Component {
	own := &component.DefinedType{Kind: component.DefOwn, Index: 0}
	f := fn(nil, idxPtr(1))
	c1 := c(imports(subResource("X")), types(own, f), imports(imp("f", component.ExternFunc, 2)), exports(exp("g", component.SortFunc, 0)))
	ct := &component.ComponentType{Decls: []component.Decl{
		&component.ImportDecl{Name: nm("X"), Type: component.Extern{Kind: component.ExternType, SubResource: true}},
		&component.TypeDecl{Type: own}, &component.TypeDecl{Type: f},
		&component.ImportDecl{Name: nm("f"), Type: component.Extern{Kind: component.ExternFunc, Index: 2}},
		&component.ExportDecl{Name: nm("g"), Type: component.Extern{Kind: component.ExternFunc, Index: 2}},
	}}
	c2 := c(types(ct), imports(imp("C1", component.ExternComponent, 0)))
	return c(&component.ComponentSection{Component: c1}, &component.ComponentSection{Component: c2},
		&component.InstanceSection{Instances: []component.Instance{{Instantiate: true, Component: 1,
			Args: []component.InstantiateArg{{Name: "C1", Item: component.SortIdx{Sort: component.SortComponent, Index: 0}}}}}})
}
