package check

import (
	"fmt"
	"sort"
	"strings"

	"github.com/witc-dev/witc/component"
	"github.com/witc-dev/witc/wit"
)

// EncodeWIT encodes a package of a Resolve as a binary WIT package: a
// component that exports one component type per interface and per world,
// as `wasm-tools component wit --wasm` does. Docs and feature gates are not
// encoded (wasm-tools keeps them in a `package-docs` custom section, which
// witc does not write yet).
func EncodeWIT(res *wit.Resolve, pkg *wit.Package) (*component.Component, error) {
	var types []component.Type
	var exports []component.Export
	// What the encoding would cost is counted first: past the limit on
	// type sizes, nothing is built.
	budget := newEncodeBudget()
	live := make([][]*wit.Interface, len(pkg.Interfaces))
	for i, it := range pkg.Interfaces {
		var err error
		if live[i], err = budget.liveInterfaces(it); err != nil {
			return nil, fmt.Errorf("package %s cannot be encoded as a component: %w", pkg.Name, err)
		}
	}
	for _, w := range pkg.Worlds {
		if err := budget.world(w); err != nil {
			return nil, fmt.Errorf("package %s cannot be encoded as a component: %w", pkg.Name, err)
		}
	}
	for i, it := range pkg.Interfaces {
		ct, err := encodeInterfacePackage(res, live[i], it)
		if err != nil {
			return nil, err
		}
		// Each type is defined and then exported, and an export adds an
		// index of its own: type i is at index 2i.
		exports = append(exports, component.Export{Name: component.Name{Name: it.Name}, Item: component.SortIdx{Sort: component.SortType, Index: uint32(2 * len(types))}})
		types = append(types, ct)
	}
	for _, w := range pkg.Worlds {
		wt, err := encodeWorld(res, w)
		if err != nil {
			return nil, err
		}
		wrapper := &component.ComponentType{Decls: []component.Decl{
			&component.TypeDecl{Type: wt},
			&component.ExportDecl{Name: component.Name{Name: qualified(pkg.Name, w.Name)}, Type: component.Extern{Kind: component.ExternComponent, Index: 0}},
		}}
		exports = append(exports, component.Export{Name: component.Name{Name: w.Name}, Item: component.SortIdx{Sort: component.SortType, Index: uint32(2 * len(types))}})
		types = append(types, wrapper)
	}
	c := &component.Component{}
	// Each type is followed by its export, so that indices line up with
	// the order wasm-tools writes.
	for i := range types {
		c.Sections = append(c.Sections, &component.TypeSection{Types: []component.Type{types[i]}}, &component.ExportSection{Exports: []component.Export{exports[i]}})
	}
	// Docs and gates have no place in component types: wit-component keeps
	// them in a custom section.
	if data := wit.EncodePackageMetadata(pkg); data != nil {
		c.Sections = append(c.Sections, &component.CustomSection{Name: wit.PackageMetadataSection, Data: data})
	}
	// WIT can describe what a component cannot hold (a type too large, for
	// one): the result is validated as any component is.
	if _, err := Component(c); err != nil {
		return nil, fmt.Errorf("package %s cannot be encoded as a component: %v", pkg.Name, err)
	}
	return c, nil
}

func qualified(n wit.PackageName, item string) string {
	s := n.Namespace + ":" + n.Name + "/" + item
	if n.Version != nil {
		s += "@" + n.Version.String()
	}
	return s
}

func ifaceID(it *wit.Interface) string { return qualified(it.Package.Name, it.Name) }

// declBuilder collects the declarators of a component or instance type,
// counting its type index space.
type declBuilder struct {
	decls []component.Decl
	types uint32
}

func (b *declBuilder) defType(t component.Type) uint32 {
	b.decls = append(b.decls, &component.TypeDecl{Type: t})
	b.types++
	return b.types - 1
}

func (b *declBuilder) export(n string, ext string, x component.Extern) uint32 {
	b.decls = append(b.decls, &component.ExportDecl{Name: externName(n, ext), Type: x})
	if x.Kind == component.ExternType {
		b.types++
	}
	return b.types - 1
}

func (b *declBuilder) imp(n string, ext string, x component.Extern) uint32 {
	b.decls = append(b.decls, &component.ImportDecl{Name: externName(n, ext), Type: x})
	if x.Kind == component.ExternType {
		b.types++
	}
	return b.types - 1
}

func (b *declBuilder) alias(a component.Alias) uint32 {
	b.decls = append(b.decls, &component.AliasDecl{Alias: a})
	b.types++
	return b.types - 1
}

func externName(n, externalID string) component.Name {
	if externalID == "" {
		return component.Name{Name: n}
	}
	return component.Name{Tag: 0x02, Name: n, Attrs: []component.NameAttr{{Kind: component.AttrExternalID, Value: externalID}}}
}

// encMaps are the per-scope caches of encoded types.
type encMaps struct {
	byID  map[*wit.TypeDef]uint32
	byDef map[string]uint32
	funcs map[string]uint32
}

func newEncMaps() *encMaps {
	return &encMaps{byID: map[*wit.TypeDef]uint32{}, byDef: map[string]uint32{}, funcs: map[string]uint32{}}
}

// ifaceEncoder encodes interfaces and worlds as component types; it is
// wit-component's InterfaceEncoder.
type ifaceEncoder struct {
	res        *wit.Resolve
	outer      *declBuilder
	inst       *declBuilder // the instance type being built, if any
	maps       *encMaps
	saved      *encMaps
	importMap  map[*wit.Interface]uint32 // interface → instance index
	outerTypes map[*wit.TypeDef]uint32
	instances  uint32
	importTys  bool
	iface      *wit.Interface
	keys       wit.TypeKeys
	// depth counts the type definitions being encoded inside one another.
	depth int
}

func newIfaceEncoder(res *wit.Resolve) *ifaceEncoder {
	return &ifaceEncoder{res: res, outer: &declBuilder{}, maps: newEncMaps(), importMap: map[*wit.Interface]uint32{},
		outerTypes: map[*wit.TypeDef]uint32{}}
}

func (e *ifaceEncoder) cur() *declBuilder {
	if e.inst != nil {
		return e.inst
	}
	return e.outer
}

func (e *ifaceEncoder) pushInstance() {
	e.saved = e.maps
	e.maps = newEncMaps()
	e.inst = &declBuilder{}
}

func (e *ifaceEncoder) popInstance() *component.InstanceType {
	e.maps, e.saved = e.saved, nil
	it := &component.InstanceType{Decls: e.inst.decls}
	e.inst = nil
	return it
}

func (e *ifaceEncoder) encodeInstance(it *wit.Interface) (uint32, error) {
	e.pushInstance()
	pos := map[*wit.TypeDef]int{}
	for i, td := range it.Types {
		if _, err := e.valType(td); err != nil {
			return 0, err
		}
		pos[td] = i
	}
	funcs := append([]*wit.Function(nil), it.Functions...)
	sort.SliceStable(funcs, func(i, j int) bool {
		key := func(f *wit.Function) int {
			if f.Resource != nil {
				return pos[f.Resource]
			}
			return len(it.Types)
		}
		return key(funcs[i]) < key(funcs[j])
	})
	for _, f := range funcs {
		idx, err := e.funcType(f)
		if err != nil {
			return 0, err
		}
		e.inst.export(f.Name, f.ExternalID, component.Extern{Kind: component.ExternFunc, Index: idx})
	}
	inst := e.popInstance()
	idx := e.outer.defType(inst)
	e.importMap[it] = e.instances
	e.instances++
	return idx, nil
}

func (e *ifaceEncoder) funcType(f *wit.Function) (uint32, error) {
	var key strings.Builder
	fmt.Fprintf(&key, "%v(", f.Kind.IsAsync())
	for _, p := range f.Params {
		key.WriteString(p.Name + ":" + e.keys.Type(p.Type) + ",")
	}
	key.WriteString(")" + e.keys.Type(f.Result))
	if idx, ok := e.maps.funcs[key.String()]; ok {
		return idx, nil
	}
	ft := &component.FuncType{Async: f.Kind.IsAsync()}
	for _, p := range f.Params {
		v, err := e.valType(p.Type)
		if err != nil {
			return 0, err
		}
		ft.Params = append(ft.Params, component.LabeledVal{Name: p.Name, Type: v})
	}
	if f.Result != nil {
		v, err := e.valType(f.Result)
		if err != nil {
			return 0, err
		}
		ft.Result, ft.HasResult = v, true
	}
	idx := e.cur().defType(ft)
	e.maps.funcs[key.String()] = idx
	return idx, nil
}

var witToPrim = map[wit.Primitive]component.PrimType{
	wit.Bool: component.PrimBool, wit.S8: component.PrimS8, wit.U8: component.PrimU8, wit.S16: component.PrimS16, wit.U16: component.PrimU16,
	wit.S32: component.PrimS32, wit.U32: component.PrimU32, wit.S64: component.PrimS64, wit.U64: component.PrimU64, wit.F32: component.PrimF32,
	wit.F64: component.PrimF64, wit.Char: component.PrimChar, wit.String: component.PrimString, wit.ErrorContext: component.PrimErrorContext,
}

func (e *ifaceEncoder) lookup(td *wit.TypeDef) (uint32, bool) {
	if idx, ok := e.maps.byID[td]; ok {
		return idx, true
	}
	if td.Name == "" {
		if idx, ok := e.maps.byDef[e.keys.Kind(td.Kind)]; ok {
			return idx, true
		}
	}
	return 0, false
}

func (e *ifaceEncoder) insert(td *wit.TypeDef, idx uint32) {
	e.maps.byID[td] = idx
	if td.Name == "" {
		e.maps.byDef[e.keys.Kind(td.Kind)] = idx
	}
}

// importType refers to a type of another interface, imported (or
// exported) earlier as an instance.
func (e *ifaceEncoder) importType(owner *wit.Interface, td *wit.TypeDef) (uint32, error) {
	inst, ok := e.importMap[owner]
	if !ok {
		return 0, fmt.Errorf("type `%s` of interface `%s` is used before that interface is imported", td.Name, owner.Name)
	}
	outerIdx, ok := e.outerTypes[td]
	if !ok {
		outerIdx = e.outer.alias(component.Alias{Sort: component.SortType, Kind: component.AliasExport, Instance: inst, Name: td.Name})
		e.outerTypes[td] = outerIdx
	}
	if e.inst != nil {
		return e.inst.alias(component.Alias{Sort: component.SortType, Kind: component.AliasOuter, Count: 1, Index: outerIdx}), nil
	}
	return outerIdx, nil
}

func (e *ifaceEncoder) valType(t wit.Type) (component.ValType, error) {
	switch t := t.(type) {
	case wit.Primitive:
		return component.ValType{Prim: witToPrim[t]}, nil
	case *wit.TypeDef:
		return e.typeDef(t)
	}
	return component.ValType{}, fmt.Errorf("missing type")
}

func (e *ifaceEncoder) optValType(t wit.Type) (component.ValType, bool, error) {
	if t == nil {
		return component.ValType{}, false, nil
	}
	v, err := e.valType(t)
	return v, true, err
}

func (e *ifaceEncoder) typeDef(td *wit.TypeDef) (component.ValType, error) {
	if idx, ok := e.lookup(td); ok {
		return component.ValType{Index: idx}, nil
	}
	// A definition encoded inside another is part of its type: deeper
	// than value types may nest, the component could not be valid.
	if e.depth > maxValueDepth {
		return component.ValType{}, fmt.Errorf("type `%s`: type nesting is too deep", td.Name)
	}
	e.depth++
	defer func() { e.depth-- }()
	if owner := td.Owner.Interface; owner != nil && owner != e.iface {
		idx, err := e.importType(owner, td)
		if err != nil {
			return component.ValType{}, err
		}
		e.insert(td, idx)
		return component.ValType{Index: idx}, nil
	}
	defined := func(d *component.DefinedType) component.ValType { return component.ValType{Index: e.cur().defType(d)} }
	var enc component.ValType
	switch k := td.Kind.(type) {
	case *wit.Record:
		if len(k.Fields) == 0 {
			return enc, fmt.Errorf("record `%s` has no fields, which the component model does not allow", td.Name)
		}
		d := &component.DefinedType{Kind: component.DefRecord}
		for _, f := range k.Fields {
			v, err := e.valType(f.Type)
			if err != nil {
				return enc, err
			}
			d.Fields = append(d.Fields, component.LabeledVal{Name: f.Name, Type: v})
		}
		enc = defined(d)
	case *wit.Tuple:
		if len(k.Types) == 0 {
			return enc, fmt.Errorf("empty tuples are not allowed by the component model")
		}
		d := &component.DefinedType{Kind: component.DefTuple}
		for _, x := range k.Types {
			v, err := e.valType(x)
			if err != nil {
				return enc, err
			}
			d.Types = append(d.Types, v)
		}
		enc = defined(d)
	case *wit.Flags:
		if len(k.Flags) == 0 || len(k.Flags) > 32 {
			return enc, fmt.Errorf("flags `%s` has %d flags; the component model allows 1 to 32", td.Name, len(k.Flags))
		}
		d := &component.DefinedType{Kind: component.DefFlags}
		for _, f := range k.Flags {
			d.Labels = append(d.Labels, f.Name)
		}
		enc = defined(d)
	case *wit.Enum:
		d := &component.DefinedType{Kind: component.DefEnum}
		for _, c := range k.Cases {
			d.Labels = append(d.Labels, c.Name)
		}
		enc = defined(d)
	case *wit.Variant:
		d := &component.DefinedType{Kind: component.DefVariant}
		for _, c := range k.Cases {
			v, has, err := e.optValType(c.Type)
			if err != nil {
				return enc, err
			}
			d.Cases = append(d.Cases, component.Case{Name: c.Name, Type: v, HasType: has})
		}
		enc = defined(d)
	case *wit.Option:
		v, err := e.valType(k.Type)
		if err != nil {
			return enc, err
		}
		enc = defined(&component.DefinedType{Kind: component.DefOption, Elem: v, HasElem: true})
	case *wit.Result:
		ok, hasOK, err := e.optValType(k.OK)
		if err != nil {
			return enc, err
		}
		er, hasErr, err := e.optValType(k.Err)
		if err != nil {
			return enc, err
		}
		enc = defined(&component.DefinedType{Kind: component.DefResult, Elem: ok, HasElem: hasOK, Err: er, HasErr: hasErr})
	case *wit.List:
		v, err := e.valType(k.Elem)
		if err != nil {
			return enc, err
		}
		enc = defined(&component.DefinedType{Kind: component.DefList, Elem: v, HasElem: true})
	case *wit.Map:
		kv, err := e.valType(k.Key)
		if err != nil {
			return enc, err
		}
		vv, err := e.valType(k.Value)
		if err != nil {
			return enc, err
		}
		enc = defined(&component.DefinedType{Kind: component.DefMap, Elem: kv, HasElem: true, Err: vv, HasErr: true})
	case *wit.FixedList:
		v, err := e.valType(k.Elem)
		if err != nil {
			return enc, err
		}
		enc = defined(&component.DefinedType{Kind: component.DefFixedList, Elem: v, HasElem: true, Len: k.Len})
	case *wit.Alias:
		v, err := e.valType(k.Type)
		if err != nil {
			return enc, err
		}
		enc = v
	case *wit.Future:
		v, has, err := e.optValType(k.Type)
		if err != nil {
			return enc, err
		}
		enc = defined(&component.DefinedType{Kind: component.DefFuture, Elem: v, HasElem: has})
	case *wit.Stream:
		v, has, err := e.optValType(k.Type)
		if err != nil {
			return enc, err
		}
		enc = defined(&component.DefinedType{Kind: component.DefStream, Elem: v, HasElem: has})
	case *wit.Resource:
		var idx uint32
		x := component.Extern{Kind: component.ExternType, SubResource: true}
		if e.inst != nil {
			idx = e.inst.export(td.Name, td.ExternalID, x)
		} else if e.importTys {
			idx = e.outer.imp(td.Name, td.ExternalID, x)
		} else {
			idx = e.outer.export(td.Name, td.ExternalID, x)
		}
		e.maps.byID[td] = idx
		return component.ValType{Index: idx}, nil
	case *wit.Handle:
		r, err := e.valType(k.Resource)
		if err != nil {
			return enc, err
		}
		kind := component.DefOwn
		if k.Kind == wit.Borrow {
			kind = component.DefBorrow
		}
		enc = defined(&component.DefinedType{Kind: kind, Index: r.Index})
	default:
		return enc, fmt.Errorf("cannot encode type `%s`", td.Name)
	}
	if td.Name != "" {
		idx := enc.Index
		if enc.Prim != 0 {
			idx = e.cur().defType(&component.DefinedType{Kind: component.DefPrim, Prim: enc.Prim})
		}
		x := component.Extern{Kind: component.ExternType, Index: idx}
		switch {
		case e.inst != nil:
			idx = e.inst.export(td.Name, td.ExternalID, x)
		case e.importTys:
			idx = e.outer.imp(td.Name, td.ExternalID, x)
		default:
			idx = e.outer.export(td.Name, td.ExternalID, x)
		}
		enc = component.ValType{Index: idx}
	}
	if enc.Prim == 0 {
		e.insert(td, enc.Index)
	}
	return enc, nil
}

// encodeInterfacePackage encodes interface it as a component type that
// imports the interfaces it uses (live: them and it, dependencies first).
func encodeInterfacePackage(res *wit.Resolve, live []*wit.Interface, it *wit.Interface) (*component.ComponentType, error) {
	e := newIfaceEncoder(res)
	for _, x := range live {
		e.iface = x
		if x == it {
			idx, err := e.encodeInstance(x)
			if err != nil {
				return nil, err
			}
			e.outer.export(ifaceID(x), "", component.Extern{Kind: component.ExternInstance, Index: idx})
			continue
		}
		e.pushInstance()
		for _, td := range x.Types {
			if _, err := e.valType(td); err != nil {
				return nil, err
			}
		}
		inst := e.popInstance()
		idx := e.outer.defType(inst)
		e.importMap[x] = e.instances
		e.instances++
		e.outer.imp(ifaceID(x), "", component.Extern{Kind: component.ExternInstance, Index: idx})
	}
	return &component.ComponentType{Decls: e.outer.decls}, nil
}

func worldKeyName(k wit.WorldKey) string {
	if k.Interface != nil {
		return ifaceID(k.Interface)
	}
	return k.Name
}

func encodeWorld(res *wit.Resolve, w *wit.World) (*component.ComponentType, error) {
	e := newIfaceEncoder(res)
	for _, entry := range w.Imports {
		if td, ok := entry.Item.(*wit.TypeDef); ok {
			e.iface = nil
			e.importTys = true
			_, err := e.valType(td)
			e.importTys = false
			if err != nil {
				return nil, err
			}
			continue
		}
		if err := e.worldItem(entry, e.outer.imp); err != nil {
			return nil, err
		}
	}
	for _, entry := range w.Exports {
		if err := e.worldItem(entry, e.outer.export); err != nil {
			return nil, err
		}
	}
	return &component.ComponentType{Decls: e.outer.decls}, nil
}

// worldItem encodes a world's interface or function entry and declares it
// with add (the outer builder's imp or export); other items are skipped.
func (e *ifaceEncoder) worldItem(entry wit.WorldEntry, add func(n, ext string, x component.Extern) uint32) error {
	switch it := entry.Item.(type) {
	case *wit.WorldInterface:
		e.iface = it.Interface
		idx, err := e.encodeInstance(it.Interface)
		if err != nil {
			return err
		}
		add(worldKeyName(entry.Key), it.ExternalID, component.Extern{Kind: component.ExternInstance, Index: idx})
	case *wit.Function:
		e.iface = nil
		idx, err := e.funcType(it)
		if err != nil {
			return err
		}
		add(worldKeyName(entry.Key), it.ExternalID, component.Extern{Kind: component.ExternFunc, Index: idx})
	}
	return nil
}

// ImportEncoding is the result of EncodeImports: the sections that declare
// the imports and where each one landed in the component's index spaces.
type ImportEncoding struct {
	Sections  []component.Section
	Instances map[*wit.Interface]uint32 // instance index of each imported interface
	Funcs     map[*wit.Function]uint32  // func index of each imported function
	NumTypes  uint32                    // the type index space after the imports
}

// EncodeImports encodes world imports (interfaces, in dependency order,
// and freestanding functions) as the leading sections of a component: type
// definitions, aliases of imported types and the imports themselves.
func EncodeImports(res *wit.Resolve, imports []wit.WorldEntry) (*ImportEncoding, error) {
	e := newIfaceEncoder(res)
	out := &ImportEncoding{Instances: map[*wit.Interface]uint32{}, Funcs: map[*wit.Function]uint32{}}
	var nfuncs uint32
	for _, entry := range imports {
		switch it := entry.Item.(type) {
		case *wit.WorldInterface:
			e.iface = it.Interface
			idx, err := e.encodeInstance(it.Interface)
			if err != nil {
				return nil, err
			}
			e.outer.imp(worldKeyName(entry.Key), it.ExternalID, component.Extern{Kind: component.ExternInstance, Index: idx})
			out.Instances[it.Interface] = e.importMap[it.Interface]
		case *wit.Function:
			e.iface = nil
			idx, err := e.funcType(it)
			if err != nil {
				return nil, err
			}
			e.outer.imp(worldKeyName(entry.Key), it.ExternalID, component.Extern{Kind: component.ExternFunc, Index: idx})
			out.Funcs[it] = nfuncs
			nfuncs++
		default:
			return nil, fmt.Errorf("importing type `%s` at the top level is not supported", entry.Key.Name)
		}
	}
	// Turn the declarators into sections, grouping runs of one kind.
	for _, d := range e.outer.decls {
		switch d := d.(type) {
		case *component.TypeDecl:
			if s, ok := lastSection[*component.TypeSection](out.Sections); ok {
				s.Types = append(s.Types, d.Type)
			} else {
				out.Sections = append(out.Sections, &component.TypeSection{Types: []component.Type{d.Type}})
			}
		case *component.AliasDecl:
			if s, ok := lastSection[*component.AliasSection](out.Sections); ok {
				s.Aliases = append(s.Aliases, d.Alias)
			} else {
				out.Sections = append(out.Sections, &component.AliasSection{Aliases: []component.Alias{d.Alias}})
			}
		case *component.ImportDecl:
			im := component.Import{Name: d.Name, Type: d.Type}
			if s, ok := lastSection[*component.ImportSection](out.Sections); ok {
				s.Imports = append(s.Imports, im)
			} else {
				out.Sections = append(out.Sections, &component.ImportSection{Imports: []component.Import{im}})
			}
		}
	}
	out.NumTypes = e.outer.types
	return out, nil
}

func lastSection[T component.Section](ss []component.Section) (T, bool) {
	var zero T
	if len(ss) == 0 {
		return zero, false
	}
	s, ok := ss[len(ss)-1].(T)
	return s, ok
}
