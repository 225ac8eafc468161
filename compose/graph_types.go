package compose

import (
	"fmt"

	"github.com/witc-dev/witc/component"
	"github.com/witc-dev/witc/component/check"
	"github.com/witc-dev/witc/wit"
)

// TypeDef is the WIT a type definition node stands for, one of: Type (a
// value type, a named *wit.TypeDef), Func (a function type), Interface or
// World, all of them in Resolve. The zero TypeDef has no WIT: its node is
// drawn in DOT but cannot be exported by Encode.
//
// Encode exports them as wac does: a value type as a defined type, a
// function type as a function type, an interface or a world as the
// component type a binary WIT package exports for it (its instance or
// component type under `ns:name/item`).
type TypeDef struct {
	Resolve   *wit.Resolve
	Type      wit.Type
	Func      *wit.Function
	Interface *wit.Interface
	World     *wit.World
}

func (d TypeDef) empty() bool {
	return d.Resolve == nil || d.Type == nil && d.Func == nil && d.Interface == nil && d.World == nil
}

// typeExport is an exported type definition node.
type typeExport struct {
	node NodeID
	name string // its first export name
	def  TypeDef
}

// encodeTypeExports appends the type definitions of the exported type
// nodes to c, each followed by its export (in node order), and returns
// the type index each export landed at. Value and function types are
// declared by check's WIT encoder as the imports of a world (its imports
// become exports here, the type indices they refer to shifted to the
// component's); interfaces and worlds are the component types a binary
// WIT package (check.EncodeWIT) exports.
func (g *Graph) encodeTypeExports(c *component.Component, sp *spaces) (map[NodeID]uint32, error) {
	var defs []typeExport
	for i, n := range g.nodes {
		if n.kind != NodeType || len(n.exports) == 0 {
			continue
		}
		if n.def.empty() {
			return nil, errorf("export `%s` is a type definition without WIT; witc cannot encode it", n.exports[0])
		}
		defs = append(defs, typeExport{node: NodeID(i), name: n.exports[0], def: n.def})
	}
	out := map[NodeID]uint32{}
	if len(defs) == 0 {
		return out, nil
	}
	exportType := func(name string, idx uint32) uint32 {
		c.Sections = append(c.Sections, &component.ExportSection{Exports: []component.Export{{
			Name: component.Name{Name: name}, Item: component.SortIdx{Sort: component.SortType, Index: idx}}}})
		sp.types++
		return sp.types - 1
	}
	// The value and function types, as a world's imports.
	var res *wit.Resolve
	w := &wit.World{Name: "types"}
	var valueDefs []typeExport
	for _, d := range defs {
		switch {
		case d.def.Func != nil:
			f := *d.def.Func
			f.Name = d.name
			w.Imports = append(w.Imports, wit.WorldEntry{Key: wit.WorldKey{Name: d.name}, Item: &f})
		case d.def.Type != nil:
			td, ok := d.def.Type.(*wit.TypeDef)
			if !ok || td.Name == "" {
				td = &wit.TypeDef{Name: d.name, Kind: &wit.Alias{Type: d.def.Type}}
			}
			w.Imports = append(w.Imports, wit.WorldEntry{Key: wit.WorldKey{Name: td.Name}, Item: td})
		default:
			continue
		}
		if res != nil && res != d.def.Resolve {
			return nil, errorf("internal error: the type definitions of a graph are in different resolves")
		}
		res = d.def.Resolve
		valueDefs = append(valueDefs, d)
	}
	var decls []component.Decl
	if len(valueDefs) > 0 {
		wt, err := worldType(res, w)
		if err != nil {
			return nil, errorf("cannot encode the exported types: %v", err)
		}
		decls = wt.Decls
	}
	// remap maps the world type's type indices to the component's.
	var remap []uint32
	next := 0 // the next value definition
	emitted := map[NodeID]bool{}
	// wrappers emits the interfaces and worlds that come before node
	// before (all of them for -1).
	wrappers := func(before NodeID) error {
		for _, d := range defs {
			if emitted[d.node] || before >= 0 && d.node >= before || d.def.Interface == nil && d.def.World == nil {
				continue
			}
			emitted[d.node] = true
			ct, err := witItemType(d.def)
			if err != nil {
				return errorf("cannot encode exported type `%s`: %v", d.name, err)
			}
			c.Sections = append(c.Sections, &component.TypeSection{Types: []component.Type{ct}})
			sp.types++
			out[d.node] = exportType(d.name, sp.types-1)
		}
		return nil
	}
	for _, dc := range decls {
		switch dc := dc.(type) {
		case *component.TypeDecl:
			t, err := remapType(dc.Type, remap)
			if err != nil {
				return nil, errorf("cannot encode the exported types: %v", err)
			}
			if s, ok := lastSection(c).(*component.TypeSection); ok {
				s.Types = append(s.Types, t)
			} else {
				c.Sections = append(c.Sections, &component.TypeSection{Types: []component.Type{t}})
			}
			sp.types++
			remap = append(remap, sp.types-1)
		case *component.ImportDecl:
			if next >= len(valueDefs) || int(dc.Type.Index) >= len(remap) {
				return nil, errorf("internal error: the exported types do not encode as their world's imports")
			}
			d := valueDefs[next]
			next++
			if err := wrappers(d.node); err != nil {
				return nil, err
			}
			emitted[d.node] = true
			idx := exportType(d.name, remap[dc.Type.Index])
			out[d.node] = idx
			if dc.Type.Kind == component.ExternType {
				remap = append(remap, idx)
			}
		default:
			return nil, errorf("internal error: the exported types declare a %T", dc)
		}
	}
	if next != len(valueDefs) {
		return nil, errorf("internal error: %d exported types encoded for %d", next, len(valueDefs))
	}
	if err := wrappers(-1); err != nil {
		return nil, err
	}
	return out, nil
}

// witItemType is the component type a binary WIT package exports for an
// interface or a world.
func witItemType(d TypeDef) (component.Type, error) {
	pkg := &wit.Package{Name: wit.PackageName{Namespace: "root", Name: "component"}}
	var owner *wit.Package
	if d.Interface != nil {
		pkg.Interfaces, owner = []*wit.Interface{d.Interface}, d.Interface.Package
	} else {
		pkg.Worlds, owner = []*wit.World{d.World}, d.World.Package
	}
	if owner != nil {
		pkg.Name = owner.Name
	}
	c, err := check.EncodeWIT(d.Resolve, pkg)
	if err != nil {
		return nil, err
	}
	for _, s := range c.Sections {
		if ts, ok := s.(*component.TypeSection); ok && len(ts.Types) > 0 {
			return ts.Types[0], nil
		}
	}
	return nil, fmt.Errorf("no type in its encoding")
}

// remapType copies a value or function type of a world's type with its
// type indices mapped through remap.
func remapType(t component.Type, remap []uint32) (component.Type, error) {
	var err error
	val := func(v component.ValType) component.ValType {
		if v.Prim != 0 {
			return v
		}
		if int(v.Index) >= len(remap) {
			err = fmt.Errorf("type index %d out of range", v.Index)
			return v
		}
		return component.ValType{Index: remap[v.Index]}
	}
	switch t := t.(type) {
	case *component.DefinedType:
		d := *t
		d.Fields = append([]component.LabeledVal(nil), t.Fields...)
		for i := range d.Fields {
			d.Fields[i].Type = val(d.Fields[i].Type)
		}
		d.Cases = append([]component.Case(nil), t.Cases...)
		for i := range d.Cases {
			if d.Cases[i].HasType {
				d.Cases[i].Type = val(d.Cases[i].Type)
			}
		}
		d.Types = append([]component.ValType(nil), t.Types...)
		for i := range d.Types {
			d.Types[i] = val(d.Types[i])
		}
		if d.HasElem {
			d.Elem = val(d.Elem)
		}
		if d.HasErr {
			d.Err = val(d.Err)
		}
		if d.Kind == component.DefOwn || d.Kind == component.DefBorrow {
			d.Index = val(component.ValType{Index: d.Index}).Index
		}
		return &d, err
	case *component.FuncType:
		f := *t
		f.Params = append([]component.LabeledVal(nil), t.Params...)
		for i := range f.Params {
			f.Params[i].Type = val(f.Params[i].Type)
		}
		if f.HasResult {
			f.Result = val(f.Result)
		}
		return &f, err
	}
	return nil, fmt.Errorf("a %T cannot be exported as a type", t)
}

// lastSection is c's last section, nil when it has none.
func lastSection(c *component.Component) component.Section {
	if len(c.Sections) == 0 {
		return nil
	}
	return c.Sections[len(c.Sections)-1]
}
