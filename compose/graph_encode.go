package compose

import (
	"fmt"
	"io"

	"github.com/witc-dev/witc/component"
	"github.com/witc-dev/witc/component/check"
	"github.com/witc-dev/witc/wit"
)

// EncodeOptions tune Graph.Encode.
type EncodeOptions struct {
	// ImportPackages imports each instantiated package as a component
	// named `unlocked-dep=<ns:name>` (`unlocked-dep=<ns:name@{>=1.2.3}>`
	// for a version, as wac names them), typed by the component type of
	// the package's WIT world, instead of nesting its bytes.
	ImportPackages bool
	// Validate type-checks the output as plug mode does, in the
	// check.Session that checked the packages: the packages it nests are
	// not checked again (nor is the code of their core modules validated:
	// witc validate does it).
	Validate bool
}

// Encode writes the composed component: its imports (the implicit ones,
// then the explicit ones, merged; interfaces after those whose types they
// use, then world-level types, functions last), each instantiated package
// nested (or imported) once, the instantiations in dependency order, the
// aliases and the exports. The same graph always encodes to the same
// bytes, those EncodeTo writes.
func (g *Graph) Encode(opts EncodeOptions) ([]byte, error) {
	out, err := g.Component(opts)
	if err != nil {
		return nil, err
	}
	return component.Encode(out), nil
}

// EncodeTo streams what Encode returns to w. The packages it nests are
// written from their bytes, not copied, and a [component.RawWriter] may
// write them itself (a file copying them from mapped input files in the
// kernel). Nothing is written when the graph cannot be encoded.
func (g *Graph) EncodeTo(w io.Writer, opts EncodeOptions) error {
	out, err := g.Component(opts)
	if err != nil {
		return err
	}
	return component.EncodeTo(w, out)
}

// Component is the composed component Encode and EncodeTo write
// (component.EncodeTo streams it): the packages it nests are held as
// their bytes, those given to AddPackage.
func (g *Graph) Component(opts EncodeOptions) (*component.Component, error) {
	order, err := g.topo()
	if err != nil {
		return nil, err
	}
	// The implicit imports are merged first, as wac does: an interface
	// an explicit import uses the types of gets their types after the
	// implicit import's.
	var open, explicitOpen []openImport
	explicit := map[string]string{}
	for i, n := range g.nodes {
		if n.kind == NodeImport {
			explicitOpen = append(explicitOpen, openImport{who: "the composition", key: importKey{nil, -1 - i}, ext: n.item.extern(n.imp)})
			explicit[wit.CompatKey(n.imp)] = n.imp
		}
	}
	for _, n := range g.nodes {
		if n.kind != NodeInstantiation {
			continue
		}
		for i, im := range n.pkg.c.imports {
			if _, ok := n.args[i]; ok {
				continue
			}
			if _, ok := explicit[wit.CompatKey(im.name)]; ok {
				return nil, errorf("an instantiation of package `%s` implicitly imports an item named `%s`, but it conflicts with an explicit import of the same name", n.pkg.Name, im.name)
			}
			td := n.pkg.importType(im.name)
			if im.kind == component.ExternInstance && im.iface == nil {
				if err := g.exportKindsConflict(im.name); err != nil {
					return nil, err
				}
			}
			if im.iface == nil && im.fn == nil && (im.kind == component.ExternInstance || im.kind == component.ExternFunc) ||
				im.kind == component.ExternType && td == nil {
				return nil, errorf("an instantiation of package `%s` implicitly imports `%s`, whose WIT witc cannot read", n.pkg.Name, im.name)
			}
			open = append(open, openImport{who: fmt.Sprintf("an instantiation of package `%s`", n.pkg.Name), key: importKey{n.pkg.c, i}, ext: im, td: td})
		}
	}
	m, err := mergeOpen(append(open, explicitOpen...), true)
	if err != nil {
		return nil, err
	}
	m.world.Imports = m.entries
	// The imports are those of a world: check's WIT encoder declares them
	// (type definitions, aliases and imports), as a component type's
	// outermost declarations that are sections of a component as well.
	wt, err := worldType(m.res, m.world)
	if err != nil {
		return nil, errorf("cannot declare the imports of the composed component: %v", err)
	}
	out := &component.Component{}
	var sp spaces
	entryIdx := sp.add(out, wt.Decls)
	if len(entryIdx) != len(m.entries) {
		return nil, errorf("internal error: %d imports encoded for %d", len(entryIdx), len(m.entries))
	}
	// The exported type definitions, after the imports.
	typeIdx, err := g.encodeTypeExports(out, &sp)
	if err != nil {
		return nil, err
	}
	byItem := map[wit.WorldItem]component.SortIdx{}
	for i, e := range m.entries {
		byItem[e.Item] = entryIdx[i]
	}
	groupIdx := func(name string) component.SortIdx {
		gr := m.byKey[wit.CompatKey(name)]
		switch {
		case gr.fn != nil:
			return byItem[gr.fn]
		case gr.td != nil:
			return byItem[gr.td]
		}
		for _, e := range m.entries {
			if wi, ok := e.Item.(*wit.WorldInterface); ok && wi.Interface == gr.iface {
				return byItem[e.Item]
			}
		}
		return component.SortIdx{}
	}

	// Each instantiated package, nested or imported once, in registration
	// order.
	compIdx := map[*Package]uint32{}
	for _, p := range g.pkgs {
		used := false
		for _, n := range g.nodes {
			used = used || (n.kind == NodeInstantiation && n.pkg == p)
		}
		if !used {
			continue
		}
		if opts.ImportPackages {
			ct, err := packageType(p)
			if err != nil {
				return nil, err
			}
			out.Sections = append(out.Sections, &component.TypeSection{Types: []component.Type{ct}},
				&component.ImportSection{Imports: []component.Import{{Name: component.Name{Name: packageImportName(p)},
					Type: component.Extern{Kind: component.ExternComponent, Index: sp.types}}}})
			sp.types++
		} else {
			out.Sections = append(out.Sections, &component.ComponentSection{Raw: p.c.bytes, Component: p.c.decoded})
		}
		compIdx[p] = sp.components
		sp.components++
	}
	numInstances, numFuncs, numTypes, numComponents := &sp.instances, &sp.funcs, &sp.types, &sp.components

	idx := make([]component.SortIdx, len(g.nodes))
	for _, id := range order {
		n := g.nodes[id]
		switch n.kind {
		case NodeImport:
			idx[id] = groupIdx(n.imp)
		case NodeInstantiation:
			in := component.Instance{Instantiate: true, Component: compIdx[n.pkg]}
			for i, im := range n.pkg.c.imports {
				var si component.SortIdx
				if a, ok := n.args[i]; ok {
					si = idx[a]
				} else {
					si = groupIdx(im.name)
				}
				in.Args = append(in.Args, component.InstantiateArg{Name: im.name, Item: si})
			}
			out.Sections = append(out.Sections, &component.InstanceSection{Instances: []component.Instance{in}})
			idx[id] = component.SortIdx{Sort: component.SortInstance, Index: *numInstances}
			*numInstances++
		case NodeAlias:
			var sort component.Sort
			var count *uint32
			switch n.item.Kind {
			case component.ExternFunc:
				sort, count = component.SortFunc, numFuncs
			case component.ExternInstance:
				sort, count = component.SortInstance, numInstances
			case component.ExternType:
				sort, count = component.SortType, numTypes
			case component.ExternComponent:
				sort, count = component.SortComponent, numComponents
			default:
				return nil, errorf("alias of export `%s`: witc cannot alias a %s", n.export, kindName(n.item.Kind))
			}
			out.Sections = append(out.Sections, &component.AliasSection{Aliases: []component.Alias{{
				Sort: sort, Kind: component.AliasExport, Instance: idx[n.src].Index, Name: n.export}}})
			idx[id] = component.SortIdx{Sort: sort, Index: *count}
			*count++
		}
	}
	var exports []component.Export
	for _, e := range g.exports {
		item := idx[e.node]
		if ti, ok := typeIdx[e.node]; ok {
			if g.nodes[e.node].exports[0] == e.name {
				continue // exported with its definition
			}
			item = component.SortIdx{Sort: component.SortType, Index: ti}
		}
		exports = append(exports, component.Export{Name: component.Name{Name: e.name}, Item: item})
	}
	if len(exports) > 0 {
		out.Sections = append(out.Sections, &component.ExportSection{Exports: exports})
	}
	if opts.Validate {
		// As plug mode: the composition is type-checked whole, the
		// packages it nests with the types their own check gave.
		if _, err := g.sess.Component(out); err != nil {
			return nil, errorf("internal error: the composed component does not validate: %v", err)
		}
	}
	return out, nil
}

// exportKindsConflict compares, by kind, the exports of the instances
// that instantiations implicitly import under name (or a name
// semver-compatible with it), some of them without WIT: an export of a
// later one that is of another kind in the first is the conflict wac
// reports.
func (g *Graph) exportKindsConflict(name string) error {
	var first []Item
	seen := false
	for _, n := range g.nodes {
		if n.kind != NodeInstantiation {
			continue
		}
		for i, im := range n.pkg.c.imports {
			if _, ok := n.args[i]; ok || im.kind != component.ExternInstance || wit.CompatKey(im.name) != wit.CompatKey(name) {
				continue
			}
			exports := n.pkg.instExports[im.name]
			if im.iface != nil {
				exports = nil
				for _, td := range im.iface.Types {
					exports = append(exports, Item{Name: td.Name, Kind: component.ExternType})
				}
				for _, f := range im.iface.Functions {
					exports = append(exports, Item{Name: f.Name, Kind: component.ExternFunc})
				}
			}
			if !seen {
				first, seen = exports, true
				continue
			}
			for _, x := range exports {
				for _, y := range first {
					if x.Name == y.Name && x.Kind != y.Kind {
						return errorf("failed to merge the type definition for implicit import `%s` due to conflicting types: mismatched type for export `%s`: expected %s, found %s",
							name, x.Name, kindWord(x.Kind), kindWord(y.Kind))
					}
				}
			}
		}
	}
	return nil
}

// topo orders the nodes so that each comes after the nodes it uses (its
// arguments, its aliased instance), earlier nodes first.
func (g *Graph) topo() ([]NodeID, error) {
	deps := make([][]NodeID, len(g.nodes))
	for _, e := range g.edges {
		deps[e.to] = append(deps[e.to], e.from)
	}
	state := make([]int, len(g.nodes))
	var order []NodeID
	var visit func(n NodeID) error
	visit = func(n NodeID) error {
		switch state[n] {
		case 1:
			return errorf("the graph contains a cycle and cannot be encoded")
		case 2:
			return nil
		}
		state[n] = 1
		for _, d := range deps[n] {
			if err := visit(d); err != nil {
				return err
			}
		}
		state[n] = 2
		order = append(order, n)
		return nil
	}
	for i := range g.nodes {
		if err := visit(NodeID(i)); err != nil {
			return nil, err
		}
	}
	return order, nil
}

// worldType is the component type of world w, as check.EncodeWIT encodes
// it (in a package of its own when w has none).
func worldType(res *wit.Resolve, w *wit.World) (*component.ComponentType, error) {
	pkg := w.Package
	if pkg == nil {
		pkg = &wit.Package{Name: wit.PackageName{Namespace: "root", Name: "component"}, Worlds: []*wit.World{w}}
		w.Package = pkg
		defer func() { w.Package = nil }()
	}
	c, err := check.EncodeWIT(res, pkg)
	if err != nil {
		return nil, err
	}
	// The world's type is the type exported under its name: a wrapper
	// holding the world's component type.
	var types []component.Type
	for _, s := range c.Sections {
		switch s := s.(type) {
		case *component.TypeSection:
			types = append(types, s.Types...)
		case *component.ExportSection:
			for _, e := range s.Exports {
				if e.Name.Name != w.Name || e.Item.Sort != component.SortType || int(e.Item.Index/2) >= len(types) {
					continue
				}
				if wrapper, ok := types[e.Item.Index/2].(*component.ComponentType); ok && len(wrapper.Decls) > 0 {
					if td, ok := wrapper.Decls[0].(*component.TypeDecl); ok {
						if ct, ok := td.Type.(*component.ComponentType); ok {
							return ct, nil
						}
					}
				}
			}
		}
	}
	return nil, fmt.Errorf("world `%s` has no component type in its encoding", w.Name)
}

// spaces counts the items of a component's index spaces as sections are
// added.
type spaces struct {
	types, instances, funcs, components uint32
}

// add appends declarations of a component type's outermost level (type
// definitions, aliases and imports) to c as sections, grouping runs of
// one kind, and returns where each import landed.
func (sp *spaces) add(c *component.Component, decls []component.Decl) []component.SortIdx {
	var imps []component.SortIdx
	last := func() component.Section {
		if len(c.Sections) == 0 {
			return nil
		}
		return c.Sections[len(c.Sections)-1]
	}
	for _, d := range decls {
		switch d := d.(type) {
		case *component.TypeDecl:
			if s, ok := last().(*component.TypeSection); ok {
				s.Types = append(s.Types, d.Type)
			} else {
				c.Sections = append(c.Sections, &component.TypeSection{Types: []component.Type{d.Type}})
			}
			sp.types++
		case *component.AliasDecl:
			if s, ok := last().(*component.AliasSection); ok {
				s.Aliases = append(s.Aliases, d.Alias)
			} else {
				c.Sections = append(c.Sections, &component.AliasSection{Aliases: []component.Alias{d.Alias}})
			}
			switch d.Alias.Sort {
			case component.SortType:
				sp.types++
			case component.SortInstance:
				sp.instances++
			case component.SortFunc:
				sp.funcs++
			case component.SortComponent:
				sp.components++
			}
		case *component.ImportDecl:
			im := component.Import{Name: d.Name, Type: d.Type}
			if s, ok := last().(*component.ImportSection); ok {
				s.Imports = append(s.Imports, im)
			} else {
				c.Sections = append(c.Sections, &component.ImportSection{Imports: []component.Import{im}})
			}
			var at *uint32
			var sort component.Sort
			switch d.Type.Kind {
			case component.ExternType:
				at, sort = &sp.types, component.SortType
			case component.ExternInstance:
				at, sort = &sp.instances, component.SortInstance
			case component.ExternFunc:
				at, sort = &sp.funcs, component.SortFunc
			case component.ExternComponent:
				at, sort = &sp.components, component.SortComponent
			}
			if at != nil {
				imps = append(imps, component.SortIdx{Sort: sort, Index: *at})
				*at++
			}
		}
	}
	return imps
}

// packageImportName is the name wac imports a package under.
func packageImportName(p *Package) string {
	if p.Version != nil {
		return "unlocked-dep=<" + p.Name + "@{>=" + p.Version.String() + "}>"
	}
	return "unlocked-dep=<" + p.Name + ">"
}

// packageType is the component type of a package: that of its WIT world.
func packageType(p *Package) (*component.ComponentType, error) {
	if p.c.world == nil {
		return nil, errorf("package `%s` cannot be imported: witc cannot read its WIT (nest it instead)", p)
	}
	ct, err := worldType(p.c.res, p.c.world)
	if err != nil {
		return nil, errorf("package `%s` cannot be imported: %v", p, err)
	}
	return ct, nil
}
