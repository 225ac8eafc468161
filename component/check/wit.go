package check

import (
	"fmt"
	"strings"

	"github.com/witc-dev/witc/component"
	"github.com/witc-dev/witc/wit"
)

// DecodeWIT returns the WIT of a component binary, as `wasm-tools component
// wit` does: for a binary-encoded WIT package, its packages and the main
// one; for any other component, the world `root` of package
// `root:component` it implements, with every package it refers to.
func DecodeWIT(b []byte) (*wit.Resolve, *wit.Package, error) {
	c, err := component.Decode(b)
	if err != nil {
		return nil, nil, err
	}
	t, err := Component(c)
	if err != nil {
		return nil, nil, err
	}
	res, pkg, err := t.WIT()
	if err != nil || t.witPackageVersion() == 0 {
		return res, pkg, err
	}
	// A binary WIT package keeps its docs and gates in a custom section.
	for _, s := range c.Sections {
		if cs, ok := s.(*component.CustomSection); ok && cs.Name == wit.PackageMetadataSection {
			if err := wit.ApplyPackageMetadata(pkg, cs.Data); err != nil {
				return nil, nil, err
			}
		}
	}
	return res, pkg, nil
}

// WIT extracts the WIT of a checked component.
func (t *Types) WIT() (*wit.Resolve, *wit.Package, error) {
	d := &witDecoder{ts: t.ts, res: &wit.Resolve{}, foreignIdx: map[string]int{},
		ifacePkg: map[*wit.Interface]int{}, named: map[string]*wit.Interface{},
		resources: map[wit.Owner]map[string]*wit.TypeDef{}, typeMap: map[typeID]*wit.TypeDef{},
		types: map[*wit.Interface]map[string]*wit.TypeDef{}, funcs: map[*wit.Interface]map[string]bool{},
		packages: map[string]*wit.Package{}}
	if v := t.witPackageVersion(); v != 0 {
		pkg, err := d.decodeWITPackage(t.top, v)
		if err != nil {
			return nil, nil, err
		}
		return d.res, pkg, nil
	}
	pkg, err := d.decodeComponent(t.top)
	if err != nil {
		return nil, nil, err
	}
	return d.res, pkg, nil
}

// witPackageVersion says whether the component is a binary WIT package:
// 1 for the old `ns:pkg/wit` form, 2 for the current one, 0 if it is not.
func (t *Types) witPackageVersion() int {
	top := t.top
	if len(top.order) == 0 {
		return 0
	}
	for _, ref := range top.order {
		if ref.imp {
			return 0
		}
		e := top.exports[ref.idx].e
		if e.kind != component.ExternType || e.created.kind != kComponent {
			return 0
		}
	}
	first := top.exports[top.order[0].idx].name
	switch k, n := parseName(first); k {
	case nameInterface:
		if n.iface == "wit" {
			return 1
		}
	case nameLabel:
		return 2
	}
	return 0
}

type nameKind uint8

const (
	nameLabel nameKind = iota
	nameConstructor
	nameMethod
	nameStatic
	nameInterface
	nameOther // url=, integrity=, (un)locked-dep=
)

// parsedName is a component name taken apart.
type parsedName struct {
	resource, item                 string // constructor, method, static
	namespace, pkg, iface, version string // interface
}

func parseName(s string) (nameKind, parsedName) {
	var n parsedName
	switch {
	case strings.HasPrefix(s, "[constructor]"):
		n.resource = s[len("[constructor]"):]
		return nameConstructor, n
	case strings.HasPrefix(s, "[method]"), strings.HasPrefix(s, "[static]"):
		k := nameMethod
		if s[1] == 's' {
			k = nameStatic
		}
		rest := s[len("[method]"):]
		n.resource, n.item, _ = strings.Cut(rest, ".")
		return k, n
	case strings.HasPrefix(s, "url="), strings.HasPrefix(s, "integrity="),
		strings.HasPrefix(s, "locked-dep="), strings.HasPrefix(s, "unlocked-dep="):
		return nameOther, n
	}
	if colon := strings.LastIndexByte(s, ':'); colon >= 0 {
		slash := strings.IndexByte(s, '/')
		if slash > colon {
			n.namespace = s[:colon]
			n.pkg = s[colon+1 : slash]
			proj := s[slash+1:]
			if at := strings.IndexByte(proj, '@'); at >= 0 {
				n.version = proj[at+1:]
				proj = proj[:at]
			}
			n.iface, _, _ = strings.Cut(proj, "/")
			return nameInterface, n
		}
		return nameOther, n
	}
	return nameLabel, n
}

// packageName is the package an interface name belongs to, its version
// completed by a version-suffix attribute.
func packageName(n parsedName, it *item) (wit.PackageName, error) {
	pn := wit.PackageName{Namespace: n.namespace, Name: n.pkg}
	if n.version == "" && !strings.Contains(it.name, "@") {
		return pn, nil
	}
	v, err := wit.ParseVersion(n.version + it.versionSuffix)
	if err != nil {
		return pn, fmt.Errorf("invalid version in `%s`: %v", it.name, err)
	}
	pn.Version = v
	return pn, nil
}

// pendingPackage is a package being assembled before it is added.
type pendingPackage struct {
	name       wit.PackageName
	interfaces []*wit.Interface
	byName     map[string]*wit.Interface
	worlds     []*wit.World
}

func (p *pendingPackage) iface(name string) *wit.Interface { return p.byName[name] }

func (p *pendingPackage) addIface(i *wit.Interface) {
	p.interfaces = append(p.interfaces, i)
	if p.byName == nil {
		p.byName = map[string]*wit.Interface{}
	}
	if _, dup := p.byName[i.Name]; !dup {
		p.byName[i.Name] = i
	}
}

type witDecoder struct {
	ts         *typeStore
	res        *wit.Resolve
	foreign    []*pendingPackage
	foreignIdx map[string]int
	ifacePkg   map[*wit.Interface]int
	named      map[string]*wit.Interface
	resources  map[wit.Owner]map[string]*wit.TypeDef
	typeMap    map[typeID]*wit.TypeDef
	// types and funcs index the types and functions of the interfaces
	// made so far by name (wit.Interface's lookups are linear).
	types    map[*wit.Interface]map[string]*wit.TypeDef
	funcs    map[*wit.Interface]map[string]bool
	packages map[string]*wit.Package
}

// addType adds a type to an interface.
func (d *witDecoder) addType(i *wit.Interface, td *wit.TypeDef) {
	i.Types = append(i.Types, td)
	m := d.types[i]
	if m == nil {
		m = map[string]*wit.TypeDef{}
		d.types[i] = m
	}
	if _, dup := m[td.Name]; !dup {
		m[td.Name] = td
	}
}

// addFunc adds a function to an interface.
func (d *witDecoder) addFunc(i *wit.Interface, f *wit.Function) {
	i.Functions = append(i.Functions, f)
	m := d.funcs[i]
	if m == nil {
		m = map[string]bool{}
		d.funcs[i] = m
	}
	m[f.Name] = true
}

func (d *witDecoder) decodeComponent(top *compType) (*wit.Package, error) {
	world := d.res.AddWorld(&wit.World{Name: "root"})
	pkg := &pendingPackage{name: wit.PackageName{Namespace: "root", Name: "component"}, worlds: []*wit.World{world}}
	owner := wit.Owner{World: world}
	for _, ref := range top.order {
		if ref.imp {
			it := &top.imports[ref.idx]
			var entry wit.WorldEntry
			switch it.e.kind {
			case component.ExternInstance:
				key, wi, err := d.worldInstance(it, pkg)
				if err != nil {
					return nil, fmt.Errorf("failed to decode WIT from import `%s`: %w", it.name, err)
				}
				entry = wit.WorldEntry{Key: key, Item: wi}
			case component.ExternFunc:
				f, err := d.function(it, owner)
				if err != nil {
					return nil, fmt.Errorf("failed to decode function from import `%s`: %w", it.name, err)
				}
				entry = wit.WorldEntry{Key: wit.WorldKey{Name: it.name}, Item: f}
			case component.ExternType:
				td, err := d.typeExport(it, owner)
				if err != nil {
					return nil, fmt.Errorf("failed to decode type from export `%s`: %w", it.name, err)
				}
				entry = wit.WorldEntry{Key: wit.WorldKey{Name: it.name}, Item: td}
			default:
				continue
			}
			world.Imports = append(world.Imports, entry)
			continue
		}
		it := &top.exports[ref.idx]
		var entry wit.WorldEntry
		switch it.e.kind {
		case component.ExternFunc:
			f, err := d.function(it, owner)
			if err != nil {
				return nil, fmt.Errorf("failed to decode function from export `%s`: %w", it.name, err)
			}
			entry = wit.WorldEntry{Key: wit.WorldKey{Name: it.name}, Item: f}
		case component.ExternInstance:
			key, wi, err := d.worldInstance(it, pkg)
			if err != nil {
				return nil, fmt.Errorf("failed to decode WIT from export `%s`: %w", it.name, err)
			}
			entry = wit.WorldEntry{Key: key, Item: wi}
		default:
			return nil, fmt.Errorf("component export `%s` was not a function or instance", it.name)
		}
		world.Exports = append(world.Exports, entry)
	}
	return d.finish(pkg)
}

func (d *witDecoder) worldInstance(it *item, pkg *pendingPackage) (wit.WorldKey, *wit.WorldInterface, error) {
	var key wit.WorldKey
	var iface *wit.Interface
	var err error
	switch {
	case it.implements != "":
		iface, err = d.registerImport(it.implements, it)
		key = wit.WorldKey{Name: it.name}
	default:
		if k, _ := parseName(it.name); k == nameInterface {
			iface, err = d.registerImport(it.name, it)
			key = wit.WorldKey{Interface: iface}
		} else {
			key, iface, err = d.registerInterface(it.name, it, pkg)
		}
	}
	if err != nil {
		return key, nil, err
	}
	return key, &wit.WorldInterface{Interface: iface, ExternalID: it.externalID}, nil
}

// registerImport makes the interface an instance import names (of another
// package) and fills in its types and functions.
func (d *witDecoder) registerImport(name string, it *item) (*wit.Interface, error) {
	if it.e.kind != component.ExternInstance {
		return nil, fmt.Errorf("import `%s` is not an instance", name)
	}
	inst := it.e.id.asInst()
	iface, local := d.named[name]
	if !local {
		var err error
		if iface, err = d.depInterface(name, it); err != nil {
			return nil, err
		}
	}
	owner := wit.Owner{Interface: iface}
	for i := range inst.exports {
		x := &inst.exports[i]
		switch x.e.kind {
		case component.ExternType:
			if td := d.types[iface][x.name]; td != nil {
				if x.e.referenced.kind == kDefined {
					if err := d.registerDefined(td, x.e.referenced.asDef()); err != nil {
						return nil, err
					}
				}
				if _, dup := d.typeMap[x.e.created]; !dup {
					d.typeMap[x.e.created] = td
				}
				continue
			}
			if local {
				return nil, fmt.Errorf("instance type export `%s` not defined in interface", x.name)
			}
			td, err := d.typeExport(x, owner)
			if err != nil {
				return nil, err
			}
			d.addType(iface, td)
		case component.ExternFunc:
			if d.funcs[iface][x.name] {
				continue
			}
			if local {
				return nil, fmt.Errorf("instance function export `%s` not defined in interface", x.name)
			}
			f, err := d.function(x, owner)
			if err != nil {
				return nil, err
			}
			d.addFunc(iface, f)
		default:
			return nil, fmt.Errorf("instance type export `%s` is not a type", x.name)
		}
	}
	return iface, nil
}

func (d *witDecoder) depInterface(name string, it *item) (*wit.Interface, error) {
	k, n := parseName(name)
	if k != nameInterface {
		return nil, fmt.Errorf("package name is not a valid id: %s", name)
	}
	pn, err := packageName(n, it)
	if err != nil {
		return nil, err
	}
	idx, ok := d.foreignIdx[pn.String()]
	if !ok {
		idx = len(d.foreign)
		d.foreign = append(d.foreign, &pendingPackage{name: pn})
		d.foreignIdx[pn.String()] = idx
	}
	pkg := d.foreign[idx]
	iface := pkg.iface(n.iface)
	if iface == nil {
		iface = d.res.AddInterface(&wit.Interface{Name: n.iface})
		pkg.addIface(iface)
	}
	d.ifacePkg[iface] = idx
	return iface, nil
}

// registerInterface makes an interface of the package being decoded (named
// by an interface name) or an anonymous one (named by a label).
func (d *witDecoder) registerInterface(name string, it *item, pkg *pendingPackage) (wit.WorldKey, *wit.Interface, error) {
	if _, ok := d.named[name]; ok {
		iface, err := d.registerImport(name, it)
		return wit.WorldKey{Interface: iface}, iface, err
	}
	k, n := parseName(name)
	var ifaceName string
	switch k {
	case nameInterface:
		ifaceName = n.iface
	case nameLabel:
	default:
		return wit.WorldKey{}, nil, fmt.Errorf("cannot extract item name from: %s", name)
	}
	iface := &wit.Interface{Name: ifaceName}
	owner := wit.Owner{Interface: iface}
	for i := range it.e.id.asInst().exports {
		x := &it.e.id.asInst().exports[i]
		switch x.e.kind {
		case component.ExternType:
			td, err := d.typeExport(x, owner)
			if err != nil {
				return wit.WorldKey{}, nil, fmt.Errorf("failed to register type export '%s': %w", x.name, err)
			}
			d.addType(iface, td)
		case component.ExternFunc:
			f, err := d.function(x, owner)
			if err != nil {
				return wit.WorldKey{}, nil, fmt.Errorf("failed to convert function '%s': %w", x.name, err)
			}
			d.addFunc(iface, f)
		default:
			return wit.WorldKey{}, nil, fmt.Errorf("instance type export `%s` is not a type or function", x.name)
		}
	}
	d.res.AddInterface(iface)
	if ifaceName == "" {
		return wit.WorldKey{Name: name}, iface, nil
	}
	pkg.addIface(iface)
	d.named[name] = iface
	return wit.WorldKey{Interface: iface}, iface, nil
}

// findAlias looks for a type already decoded that id is (an alias of).
func (d *witDecoder) findAlias(id typeID) *wit.TypeDef {
	cur := id
	for {
		if td, ok := d.typeMap[cur]; ok {
			return td
		}
		next, ok := d.ts.peel(cur)
		if !ok {
			return nil
		}
		cur = next
	}
}

func (d *witDecoder) typeExport(it *item, owner wit.Owner) (*wit.TypeDef, error) {
	ref, created := it.e.referenced, it.e.created
	var kind wit.TypeDefKind
	if prev := d.findAlias(ref); prev != nil {
		kind = &wit.Alias{Type: prev}
	} else {
		switch ref.kind {
		case kDefined:
			k, err := d.convertDefined(ref.asDef())
			if err != nil {
				return nil, fmt.Errorf("failed to convert unaliased type: %w", err)
			}
			kind = k
		case kResource:
			kind = &wit.Resource{}
		default:
			return nil, fmt.Errorf("type `%s` is not a value or resource type", it.name)
		}
	}
	td := d.res.AddType(&wit.TypeDef{Name: it.name, Kind: kind, Owner: owner, ExternalID: it.externalID})
	if _, ok := kind.(*wit.Resource); ok {
		m := d.resources[owner]
		if m == nil {
			m = map[string]*wit.TypeDef{}
			d.resources[owner] = m
		}
		m[it.name] = td
	}
	if _, dup := d.typeMap[created]; dup {
		return nil, fmt.Errorf("cannot represent this component in WIT: the type `%s` appears more than once (for example, when an imported instance is re-exported under a new name)", it.name)
	}
	d.typeMap[created] = td
	return td, nil
}

func (d *witDecoder) function(it *item, owner wit.Owner) (*wit.Function, error) {
	if it.e.kind != component.ExternFunc {
		return nil, fmt.Errorf("`%s` is not a function", it.name)
	}
	ft := it.e.id.asFn()
	f := &wit.Function{Name: it.name, ExternalID: it.externalID}
	for _, p := range ft.params {
		t, err := d.valType(p.t)
		if err != nil {
			return nil, fmt.Errorf("failed to convert params: %w", err)
		}
		f.Params = append(f.Params, wit.Param{Name: p.name, Type: t})
	}
	if ft.hasResult {
		t, err := d.valType(ft.result)
		if err != nil {
			return nil, fmt.Errorf("failed to convert anonymous result type: %w", err)
		}
		f.Result = t
	}
	resourceOf := func(name string) (*wit.TypeDef, error) {
		if td := d.resources[owner][name]; td != nil {
			return td, nil
		}
		return nil, fmt.Errorf("function `%s` refers to resource `%s`, which is not defined beside it", it.name, name)
	}
	var err error
	switch k, n := parseName(it.name); k {
	case nameLabel:
		f.Kind = wit.Freestanding
		if ft.async {
			f.Kind = wit.AsyncFreestanding
		}
	case nameConstructor:
		f.Kind = wit.Constructor
		f.Resource, err = resourceOf(n.resource)
	case nameMethod:
		f.Kind = wit.Method
		if ft.async {
			f.Kind = wit.AsyncMethod
		}
		f.Resource, err = resourceOf(n.resource)
	case nameStatic:
		f.Kind = wit.Static
		if ft.async {
			f.Kind = wit.AsyncStatic
		}
		f.Resource, err = resourceOf(n.resource)
	default:
		return nil, fmt.Errorf("`%s` is not a valid function name", it.name)
	}
	if err != nil {
		return nil, err
	}
	return f, nil
}

var primToWIT = map[component.PrimType]wit.Primitive{
	component.PrimBool: wit.Bool, component.PrimS8: wit.S8, component.PrimU8: wit.U8, component.PrimS16: wit.S16, component.PrimU16: wit.U16,
	component.PrimS32: wit.S32, component.PrimU32: wit.U32, component.PrimS64: wit.S64, component.PrimU64: wit.U64, component.PrimF32: wit.F32,
	component.PrimF64: wit.F64, component.PrimChar: wit.Char, component.PrimString: wit.String, component.PrimErrorContext: wit.ErrorContext,
}

func (d *witDecoder) valType(v valT) (wit.Type, error) {
	if v.prim != 0 {
		return primToWIT[v.prim], nil
	}
	if td, ok := d.typeMap[v.id]; ok {
		return td, nil
	}
	kind, err := d.convertDefined(v.id.asDef())
	if err != nil {
		return nil, err
	}
	switch kind.(type) {
	case *wit.Record, *wit.Variant, *wit.Enum, *wit.Flags, *wit.Resource:
		return nil, fmt.Errorf("unexpected unnamed type of kind '%s'", kindName(kind))
	}
	td := d.res.AddType(&wit.TypeDef{Kind: kind})
	d.typeMap[v.id] = td
	return td, nil
}

func kindName(k wit.TypeDefKind) string {
	switch k.(type) {
	case *wit.Record:
		return "record"
	case *wit.Variant:
		return "variant"
	case *wit.Enum:
		return "enum"
	case *wit.Flags:
		return "flags"
	case *wit.Resource:
		return "resource"
	}
	return "type"
}

func (d *witDecoder) convertDefined(t *defType) (wit.TypeDefKind, error) {
	one := func(v valT) (wit.Type, error) { return d.valType(v) }
	opt := func(v valT, has bool) (wit.Type, error) {
		if !has {
			return nil, nil
		}
		return d.valType(v)
	}
	switch t.kind {
	case component.DefPrim:
		return &wit.Alias{Type: primToWIT[t.prim]}, nil
	case component.DefList:
		e, err := one(t.elem)
		return &wit.List{Elem: e}, err
	case component.DefMap:
		k, err := one(t.elem)
		if err != nil {
			return nil, err
		}
		v, err := one(t.err)
		return &wit.Map{Key: k, Value: v}, err
	case component.DefFixedList:
		e, err := one(t.elem)
		return &wit.FixedList{Elem: e, Len: t.length}, err
	case component.DefTuple:
		tu := &wit.Tuple{}
		for _, x := range t.types {
			e, err := one(x)
			if err != nil {
				return nil, err
			}
			tu.Types = append(tu.Types, e)
		}
		return tu, nil
	case component.DefOption:
		e, err := one(t.elem)
		return &wit.Option{Type: e}, err
	case component.DefResult:
		ok, err := opt(t.elem, t.hasElem)
		if err != nil {
			return nil, err
		}
		e, err := opt(t.err, t.hasErr)
		return &wit.Result{OK: ok, Err: e}, err
	case component.DefRecord:
		r := &wit.Record{}
		for _, f := range t.fields {
			e, err := one(f.t)
			if err != nil {
				return nil, fmt.Errorf("failed to convert record field '%s': %w", f.name, err)
			}
			r.Fields = append(r.Fields, wit.Field{Name: f.name, Type: e})
		}
		return r, nil
	case component.DefVariant:
		v := &wit.Variant{}
		for _, c := range t.cases {
			e, err := opt(c.t, c.has)
			if err != nil {
				return nil, err
			}
			v.Cases = append(v.Cases, wit.Case{Name: c.name, Type: e})
		}
		return v, nil
	case component.DefFlags:
		f := &wit.Flags{}
		for _, l := range t.labels {
			f.Flags = append(f.Flags, wit.Flag{Name: l})
		}
		return f, nil
	case component.DefEnum:
		e := &wit.Enum{}
		for _, l := range t.labels {
			e.Cases = append(e.Cases, wit.EnumCase{Name: l})
		}
		return e, nil
	case component.DefOwn, component.DefBorrow:
		r, ok := d.typeMap[t.res]
		if !ok {
			return nil, fmt.Errorf("a handle refers to a resource that has no name in this component's imports or exports")
		}
		k := wit.Own
		if t.kind == component.DefBorrow {
			k = wit.Borrow
		}
		return &wit.Handle{Kind: k, Resource: r}, nil
	case component.DefFuture:
		e, err := opt(t.elem, t.hasElem)
		return &wit.Future{Type: e}, err
	case component.DefStream:
		e, err := opt(t.elem, t.hasElem)
		return &wit.Stream{Type: e}, err
	}
	return nil, fmt.Errorf("unknown type kind %#x", byte(t.kind))
}

// registerDefined records, for a type that already exists in an
// interface, which wasm types its parts are (wit-parser's Registrar).
func (d *witDecoder) registerDefined(td *wit.TypeDef, t *defType) error {
	if a, ok := td.Kind.(*wit.Alias); ok {
		if _, named := a.Type.(*wit.TypeDef); named {
			return nil // an alias: its target was registered where it is defined
		}
	}
	vt := func(w valT, x wit.Type) error {
		if w.prim != 0 {
			return nil
		}
		xd, ok := x.(*wit.TypeDef)
		if !ok {
			return fmt.Errorf("expected id-based type")
		}
		if _, seen := d.typeMap[w.id]; seen {
			return nil
		}
		d.typeMap[w.id] = xd
		return d.registerDefined(xd, w.id.asDef())
	}
	switch t.kind {
	case component.DefList:
		if k, ok := td.Kind.(*wit.List); ok {
			return vt(t.elem, k.Elem)
		}
		return fmt.Errorf("expected a list")
	case component.DefMap:
		if k, ok := td.Kind.(*wit.Map); ok {
			if err := vt(t.elem, k.Key); err != nil {
				return err
			}
			return vt(t.err, k.Value)
		}
		return fmt.Errorf("expected a map")
	case component.DefFixedList:
		if k, ok := td.Kind.(*wit.FixedList); ok && k.Len == t.length {
			return vt(t.elem, k.Elem)
		}
		return fmt.Errorf("expected a fixed-length %d list", t.length)
	case component.DefTuple:
		k, ok := td.Kind.(*wit.Tuple)
		if !ok {
			return fmt.Errorf("expected a tuple")
		}
		if len(k.Types) != len(t.types) {
			return fmt.Errorf("mismatched number of tuple fields")
		}
		for i := range t.types {
			if err := vt(t.types[i], k.Types[i]); err != nil {
				return err
			}
		}
	case component.DefOption:
		if k, ok := td.Kind.(*wit.Option); ok {
			return vt(t.elem, k.Type)
		}
		return fmt.Errorf("expected an option")
	case component.DefResult:
		k, ok := td.Kind.(*wit.Result)
		if !ok {
			return fmt.Errorf("expected a result")
		}
		if t.hasElem != (k.OK != nil) || t.hasErr != (k.Err != nil) {
			return fmt.Errorf("disagreement on result structure")
		}
		if t.hasElem {
			if err := vt(t.elem, k.OK); err != nil {
				return err
			}
		}
		if t.hasErr {
			return vt(t.err, k.Err)
		}
	case component.DefRecord:
		k, ok := td.Kind.(*wit.Record)
		if !ok {
			return fmt.Errorf("expected a record")
		}
		if len(k.Fields) != len(t.fields) {
			return fmt.Errorf("mismatched number of record fields")
		}
		for i := range t.fields {
			if t.fields[i].name != k.Fields[i].Name {
				return fmt.Errorf("mismatched field order")
			}
			if err := vt(t.fields[i].t, k.Fields[i].Type); err != nil {
				return err
			}
		}
	case component.DefVariant:
		k, ok := td.Kind.(*wit.Variant)
		if !ok {
			return fmt.Errorf("expected a variant")
		}
		if len(k.Cases) != len(t.cases) {
			return fmt.Errorf("mismatched number of variant cases")
		}
		for i := range t.cases {
			if t.cases[i].name != k.Cases[i].Name {
				return fmt.Errorf("mismatched case order")
			}
			if t.cases[i].has != (k.Cases[i].Type != nil) {
				return fmt.Errorf("disagreement on case type")
			}
			if t.cases[i].has {
				if err := vt(t.cases[i].t, k.Cases[i].Type); err != nil {
					return err
				}
			}
		}
	case component.DefFuture:
		k, ok := td.Kind.(*wit.Future)
		if !ok {
			return fmt.Errorf("expected a future")
		}
		if t.hasElem != (k.Type != nil) {
			return fmt.Errorf("disagreement on future payload")
		}
		if t.hasElem {
			return vt(t.elem, k.Type)
		}
	case component.DefStream:
		k, ok := td.Kind.(*wit.Stream)
		if !ok {
			return fmt.Errorf("expected a stream")
		}
		if t.hasElem != (k.Type != nil) {
			return fmt.Errorf("disagreement on stream payload")
		}
		if t.hasElem {
			return vt(t.elem, k.Type)
		}
	}
	return nil
}

// finish adds the packages: dependencies first, then the main one.
func (d *witDecoder) finish(main *pendingPackage) (*wit.Package, error) {
	// Depth first, dependencies first, without recursion: chains of
	// packages may be long.
	var order []int
	done := make([]bool, len(d.foreign))
	deps := func(i int) []int {
		p := d.foreign[i]
		var ifaces []*wit.Interface
		ifaces = append(ifaces, p.interfaces...)
		for _, w := range p.worlds {
			for _, e := range append(append([]wit.WorldEntry(nil), w.Imports...), w.Exports...) {
				if wi, ok := e.Item.(*wit.WorldInterface); ok {
					ifaces = append(ifaces, wi.Interface)
				}
			}
		}
		var out []int
		for _, it := range ifaces {
			for _, td := range it.Types {
				a, ok := td.Kind.(*wit.Alias)
				if !ok {
					continue
				}
				dep, ok := a.Type.(*wit.TypeDef)
				if !ok || dep.Owner == td.Owner || dep.Owner.Interface == nil {
					continue
				}
				if j, ok := d.ifacePkg[dep.Owner.Interface]; ok && j != i {
					out = append(out, j)
				}
			}
		}
		return out
	}
	type frame struct {
		pkg  int
		deps []int
	}
	for i := range d.foreign {
		if done[i] {
			continue
		}
		done[i] = true // guards against cycles in malformed input
		stack := []frame{{i, deps(i)}}
		for len(stack) > 0 {
			f := &stack[len(stack)-1]
			if len(f.deps) == 0 {
				order = append(order, f.pkg)
				stack = stack[:len(stack)-1]
				continue
			}
			j := f.deps[0]
			f.deps = f.deps[1:]
			if !done[j] {
				done[j] = true
				stack = append(stack, frame{j, deps(j)})
			}
		}
	}
	for _, i := range order {
		d.insertPackage(d.foreign[i])
	}
	return d.insertPackage(main), nil
}

func (d *witDecoder) insertPackage(p *pendingPackage) *wit.Package {
	pkg := d.packages[p.name.String()]
	if pkg == nil {
		pkg = d.res.AddPackage(&wit.Package{Name: p.name})
		d.packages[p.name.String()] = pkg
	}
	for _, it := range p.interfaces {
		it.Package = pkg
		pkg.Interfaces = append(pkg.Interfaces, it)
	}
	for _, w := range p.worlds {
		w.Package = pkg
		pkg.Worlds = append(pkg.Worlds, w)
		for _, e := range append(append([]wit.WorldEntry(nil), w.Imports...), w.Exports...) {
			if wi, ok := e.Item.(*wit.WorldInterface); ok && e.Key.Interface == nil && wi.Interface.Name == "" {
				wi.Interface.Package = pkg
			}
		}
	}
	return pkg
}

// decodeWITPackage decodes a binary-encoded WIT package: each export is a
// component type wrapping one interface (an instance export, with the
// interfaces it uses as imports) or one world (a component export).
func (d *witDecoder) decodeWITPackage(top *compType, version int) (*wit.Package, error) {
	if version != 2 {
		return nil, fmt.Errorf("this binary WIT package uses the old (v1) encoding, which witc does not read")
	}
	var name *wit.PackageName
	pkg := &pendingPackage{}
	for _, ref := range top.order {
		ct := top.exports[ref.idx].e.referenced.asComp()
		if ct == nil || len(ct.exports) != 1 {
			n := 0
			if ct != nil {
				n = len(ct.exports)
			}
			return nil, fmt.Errorf("expected a single export, but found %d instead", n)
		}
		x := &ct.exports[0]
		k, n := parseName(x.name)
		if k != nameInterface {
			return nil, fmt.Errorf("expected world name to be fully qualified")
		}
		pn, err := packageName(n, x)
		if err != nil {
			return nil, err
		}
		switch x.e.kind {
		case component.ExternComponent:
			if err := d.registerWorld(x, pkg); err != nil {
				return nil, err
			}
		case component.ExternInstance:
			for i := range ct.imports {
				if _, err := d.registerImport(ct.imports[i].name, &ct.imports[i]); err != nil {
					return nil, fmt.Errorf("failed to process import `%s`: %w", ct.imports[i].name, err)
				}
			}
			if _, _, err := d.registerInterface(x.name, x, pkg); err != nil {
				return nil, err
			}
		default:
			return nil, fmt.Errorf("export `%s` is neither an interface nor a world", x.name)
		}
		if name != nil && name.String() != pn.String() {
			return nil, fmt.Errorf("item defined with mismatched package name")
		}
		name = &pn
	}
	if name == nil {
		return nil, fmt.Errorf("no exported component type found")
	}
	pkg.name = *name
	return d.finish(pkg)
}

// registerWorld decodes a world of a binary WIT package.
func (d *witDecoder) registerWorld(x *item, pkg *pendingPackage) error {
	_, n := parseName(x.name)
	ct := x.e.id.asComp()
	w := &wit.World{Name: n.iface}
	owner := wit.Owner{World: w}
	var err error
	if w.Imports, err = d.worldEntries(ct.imports, pkg, owner, true,
		"component import `%s` is not an instance, func, or type"); err != nil {
		return err
	}
	if w.Exports, err = d.worldEntries(ct.exports, pkg, owner, false,
		"component export `%s` is not an instance or function"); err != nil {
		return err
	}
	d.res.AddWorld(w)
	pkg.worlds = append(pkg.worlds, w)
	return nil
}

// worldEntries decodes a world's imports or exports: instances, functions,
// and (where withTypes) types; any other kind fails with badKind, a format
// for the item's name.
func (d *witDecoder) worldEntries(items []item, pkg *pendingPackage, owner wit.Owner, withTypes bool, badKind string) ([]wit.WorldEntry, error) {
	var entries []wit.WorldEntry
	for i := range items {
		it := &items[i]
		var entry wit.WorldEntry
		switch k := it.e.kind; {
		case k == component.ExternInstance:
			key, wi, err := d.worldInstance(it, pkg)
			if err != nil {
				return nil, err
			}
			entry = wit.WorldEntry{Key: key, Item: wi}
		case k == component.ExternType && withTypes:
			td, err := d.typeExport(it, owner)
			if err != nil {
				return nil, err
			}
			entry = wit.WorldEntry{Key: wit.WorldKey{Name: it.name}, Item: td}
		case k == component.ExternFunc:
			f, err := d.function(it, owner)
			if err != nil {
				return nil, err
			}
			entry = wit.WorldEntry{Key: wit.WorldKey{Name: it.name}, Item: f}
		default:
			return nil, fmt.Errorf(badKind, it.name)
		}
		entries = append(entries, entry)
	}
	return entries, nil
}
