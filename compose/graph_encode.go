package compose

import (
	"fmt"

	"github.com/witc-dev/witc/component"
	"github.com/witc-dev/witc/component/check"
	"github.com/witc-dev/witc/wit"
)

// EncodeOptions tune Graph.Encode.
type EncodeOptions struct {
	// ImportPackages imports each instantiated package as
	// `unlocked-dep=<ns:name>` instead of nesting it. Not supported
	// yet: Encode returns an error.
	ImportPackages bool
	// Validate checks the output with check.Validate.
	Validate bool
}

// Encode writes the composed component: its imports (the implicit ones,
// then the explicit ones, merged; interfaces after those whose types they
// use, functions last), each instantiated package nested once,
// the instantiations in dependency order, the aliases and the exports.
// The same graph always encodes to the same bytes.
func (g *Graph) Encode(opts EncodeOptions) ([]byte, error) {
	if opts.ImportPackages {
		return nil, errorf("importing packages (unlocked-dep) is not supported yet; nest them")
	}
	order, err := g.topo()
	if err != nil {
		return nil, err
	}
	for _, e := range g.exports {
		if g.nodes[e.node].kind == NodeType {
			return nil, errorf("export `%s` is a type definition; witc does not encode type definitions yet", e.name)
		}
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
			if im.iface == nil && im.fn == nil && (im.kind == component.ExternInstance || im.kind == component.ExternFunc) {
				return nil, errorf("an instantiation of package `%s` implicitly imports `%s`, whose WIT witc cannot read", n.pkg.Name, im.name)
			}
			open = append(open, openImport{who: fmt.Sprintf("an instantiation of package `%s`", n.pkg.Name), key: importKey{n.pkg.c, i}, ext: im})
		}
	}
	m, err := mergeOpen(append(open, explicitOpen...), true)
	if err != nil {
		return nil, err
	}
	imps, err := check.EncodeImports(m.res, m.entries)
	if err != nil {
		return nil, errorf("cannot declare the imports of the composed component: %v", err)
	}
	out := &component.Component{Sections: imps.Sections}
	var numInstances, numFuncs, numComponents uint32
	for _, e := range m.entries {
		if _, ok := e.Item.(*wit.Function); ok {
			numFuncs++
		} else {
			numInstances++
		}
	}
	numTypes := imps.NumTypes
	groupIdx := func(name string) component.SortIdx {
		gr := m.byKey[wit.CompatKey(name)]
		if gr.fn != nil {
			return component.SortIdx{Sort: component.SortFunc, Index: imps.Funcs[gr.fn]}
		}
		return component.SortIdx{Sort: component.SortInstance, Index: imps.Instances[gr.iface]}
	}

	// Each instantiated package, nested once, in registration order.
	compIdx := map[*Package]uint32{}
	for _, p := range g.pkgs {
		used := false
		for _, n := range g.nodes {
			used = used || (n.kind == NodeInstantiation && n.pkg == p)
		}
		if !used {
			continue
		}
		compIdx[p] = numComponents
		numComponents++
		out.Sections = append(out.Sections, &component.ComponentSection{Raw: p.c.bytes, Component: p.c.decoded})
	}

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
			idx[id] = component.SortIdx{Sort: component.SortInstance, Index: numInstances}
			numInstances++
		case NodeAlias:
			var sort component.Sort
			var count *uint32
			switch n.item.Kind {
			case component.ExternFunc:
				sort, count = component.SortFunc, &numFuncs
			case component.ExternInstance:
				sort, count = component.SortInstance, &numInstances
			case component.ExternType:
				sort, count = component.SortType, &numTypes
			case component.ExternComponent:
				sort, count = component.SortComponent, &numComponents
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
		exports = append(exports, component.Export{Name: component.Name{Name: e.name}, Item: idx[e.node]})
	}
	if len(exports) > 0 {
		out.Sections = append(out.Sections, &component.ExportSection{Exports: exports})
	}
	b := component.Encode(out)
	if opts.Validate {
		if err := check.Validate(b); err != nil {
			return nil, errorf("internal error: the composed component does not validate: %v", err)
		}
	}
	return b, nil
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
