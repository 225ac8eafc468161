package compose

import (
	"github.com/witc-dev/witc/component"
	"github.com/witc-dev/witc/component/check"
)

// emit builds the composed component: the merged imports, every input
// nested verbatim, one instance per input in dependency order with its
// imports wired, and the root's exports.
func emit(comps []*comp, order []*comp, w *wiring, m *merged) (*component.Component, error) {
	imps, err := check.EncodeImports(m.res, m.entries)
	if err != nil {
		return nil, errorf("cannot declare the imports of the composed component: %v", err)
	}
	out := &component.Component{Sections: imps.Sections}
	var numInstances, numFuncs uint32
	for _, e := range m.entries {
		switch {
		case e.Key.Interface != nil:
			numInstances++
		default:
			numFuncs++
		}
	}
	groupInstance := func(g *group) uint32 { return imps.Instances[g.iface] }
	groupFunc := func(g *group) uint32 { return imps.Funcs[g.fn] }

	// Nest the inputs: component i is input i.
	for _, c := range comps {
		out.Sections = append(out.Sections, &component.ComponentSection{Raw: c.bytes, Component: c.decoded})
	}

	instOf := map[*comp]uint32{}
	type exportRef struct {
		c *comp
		i int
	}
	aliased := map[exportRef]uint32{}
	alias := func(p *comp, i int) component.SortIdx {
		ex := p.exports[i]
		sort := component.SortInstance
		if ex.kind == component.ExternFunc {
			sort = component.SortFunc
		}
		if idx, ok := aliased[exportRef{p, i}]; ok {
			return component.SortIdx{Sort: sort, Index: idx}
		}
		var idx uint32
		if sort == component.SortInstance {
			idx = numInstances
			numInstances++
		} else {
			idx = numFuncs
			numFuncs++
		}
		out.Sections = append(out.Sections, &component.AliasSection{Aliases: []component.Alias{{
			Sort: sort, Kind: component.AliasExport, Instance: instOf[p], Name: ex.name,
		}}})
		aliased[exportRef{p, i}] = idx
		return component.SortIdx{Sort: sort, Index: idx}
	}

	for _, c := range order {
		in := component.Instance{Instantiate: true, Component: uint32(c.idx)}
		for i, im := range c.imports {
			var si component.SortIdx
			if p, ok := w.plugs[importKey{c, i}]; ok {
				si = alias(p.comp, p.export)
			} else {
				g := m.byUse[importKey{c, i}]
				if im.kind == component.ExternFunc {
					si = component.SortIdx{Sort: component.SortFunc, Index: groupFunc(g)}
				} else {
					si = component.SortIdx{Sort: component.SortInstance, Index: groupInstance(g)}
				}
			}
			in.Args = append(in.Args, component.InstantiateArg{Name: im.name, Item: si})
		}
		out.Sections = append(out.Sections, &component.InstanceSection{Instances: []component.Instance{in}})
		instOf[c] = numInstances
		numInstances++
	}

	root := comps[0]
	var exports []component.Export
	for i, ex := range root.exports {
		switch ex.kind {
		case component.ExternInstance, component.ExternFunc:
		default:
			return nil, errorf("`%s` exports `%s`, a %s; witc can only re-export instances and functions", root.name, ex.name, kindName(ex.kind))
		}
		exports = append(exports, component.Export{Name: ex.attrs, Item: alias(root, i)})
	}
	if len(exports) > 0 {
		out.Sections = append(out.Sections, &component.ExportSection{Exports: exports})
	}
	return out, nil
}
