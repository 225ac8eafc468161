package check

import (
	"fmt"
	"strings"

	"github.com/witc-dev/witc/component"
)

// This file computes the types of a component's index spaces the way the
// component model's validation defines them (and wasmparser implements
// them): every type definition is a new identity; `(eq T)` exports and
// component-level type exports create aliases of T; importing an instance
// type or instantiating a component gives its resources fresh identities
// and rewrites the types that mention them. WIT extraction (wit.go) relies
// on exactly these identities to tell a `use` from a new type.

type idKind uint8

const (
	kDefined idKind = iota + 1
	kResource
	kFunc
	kInstance
	kComponent
	kModule
)

// typeID is the identity of a type: the data it stands for plus an alias
// number (0 for the original). Two ids are the same type iff they are ==.
type typeID struct {
	kind  idKind
	def   *defType
	res   *resource
	fn    *funcType
	inst  *instType
	comp  *compType
	mod   *modType
	alias uint32
}

func (id typeID) valid() bool { return id.kind != 0 }

// defType is a defined value type with its type indices resolved.
type defType struct {
	kind    component.DefinedKind
	prim    component.PrimType
	fields  []namedVal
	cases   []caseT
	types   []valT
	labels  []string
	elem    valT
	hasElem bool
	err     valT
	hasErr  bool
	length  uint32
	res     typeID // own, borrow
	// size is the effective type size: 1 plus the sizes of the types it is
	// made of, as if every reference were expanded (see maxTypeSize).
	size uint32
}

// maxTypeSize bounds the effective size of a type, as wasmparser does: a
// type that refers to another twice, which refers to another twice…
// doubles at each level, and anything that walks the expanded type
// (flattening, lifting) would take exponential time.
const maxTypeSize = 1_000_000

func (v valT) size() uint32 {
	if v.prim != 0 || v.id.def == nil {
		return 1
	}
	return v.id.def.size
}

type valT struct {
	prim component.PrimType
	id   typeID // kDefined when prim == 0
}

type namedVal struct {
	name string
	t    valT
}

type caseT struct {
	name string
	t    valT
	has  bool
}

type funcType struct {
	async     bool
	params    []namedVal
	result    valT
	hasResult bool
}

type resource struct{ n int }

// modType is a core module's type; info is nil when only the module's
// existence is known (imported or type-declared modules).
type modType struct {
	info *component.ModuleInfo
}

// entity is the type of an import, an export or an instance member.
type entity struct {
	kind                component.ExternKind
	id                  typeID // module, func, instance, component
	referenced, created typeID // type
	val                 valT   // value
}

// item is a named entity with its name attributes.
type item struct {
	name          string
	e             entity
	implements    string
	versionSuffix string
	externalID    string
}

// externRef is an import (imp) or export by index.
type externRef struct {
	imp bool
	idx int
}

type resPath struct {
	res  *resource
	path []int
}

type instType struct {
	exports          []item
	definedResources []*resource
	explicit         []resPath
}

type compType struct {
	order             []externRef // imports and exports in section order
	imports           []item
	exports           []item
	importedResources []resPath
	definedResources  []resPath
	explicit          []resPath
}

func findItem(items []item, name string) (int, *item) {
	for i := range items {
		if items[i].name == name {
			return i, &items[i]
		}
	}
	return -1, nil
}

func pathOf(ps []resPath, r *resource) ([]int, bool) {
	for _, p := range ps {
		if p.res == r {
			return p.path, true
		}
	}
	return nil, false
}

// typeStore allocates identities.
type typeStore struct {
	aliasOf   map[uint32]uint32
	nextAlias uint32
	nextRes   int
}

func newTypeStore() *typeStore { return &typeStore{aliasOf: map[uint32]uint32{}, nextAlias: 1} }

func (ts *typeStore) newResource() typeID {
	ts.nextRes++
	return typeID{kind: kResource, res: &resource{n: ts.nextRes}}
}

// withUnique returns a new alias of id.
func (ts *typeStore) withUnique(id typeID) typeID {
	a := ts.nextAlias
	ts.nextAlias++
	ts.aliasOf[a] = id.alias
	id.alias = a
	return id
}

// peel returns the id that id aliases, if any.
func (ts *typeStore) peel(id typeID) (typeID, bool) {
	if id.alias == 0 {
		return id, false
	}
	id.alias = ts.aliasOf[id.alias]
	return id, true
}

// remapping substitutes resources (and caches rewritten type ids).
type remapping struct {
	resources map[*resource]*resource
	types     map[typeID]typeID
}

func newRemapping() *remapping {
	return &remapping{resources: map[*resource]*resource{}, types: map[typeID]typeID{}}
}

func (m *remapping) cached(id *typeID) (bool, bool) {
	n, ok := m.types[*id]
	if !ok {
		return false, false
	}
	changed := n != *id
	*id = n
	return changed, true
}

func (ts *typeStore) remapAny(id *typeID, m *remapping) bool {
	switch id.kind {
	case kResource:
		return ts.remapResource(id, m)
	case kDefined:
		return ts.remapDefined(id, m)
	case kFunc:
		return ts.remapFunc(id, m)
	case kInstance:
		return ts.remapInstance(id, m)
	case kComponent:
		return ts.remapComponent(id, m)
	}
	return false
}

func (ts *typeStore) remapResource(id *typeID, m *remapping) bool {
	if changed, ok := m.cached(id); ok {
		return changed
	}
	if n, ok := m.resources[id.res]; ok {
		id.res = n
		return true
	}
	return false
}

// settle records the rewritten id (new data when anything changed).
func (ts *typeStore) settle(m *remapping, id *typeID, changed bool, newID typeID) bool {
	old := *id
	n := old
	if changed {
		n = newID
	}
	m.types[old] = n
	*id = n
	return n != old
}

func (ts *typeStore) remapVal(v *valT, m *remapping) bool {
	if v.prim != 0 {
		return false
	}
	return ts.remapDefined(&v.id, m)
}

func (ts *typeStore) remapDefined(id *typeID, m *remapping) bool {
	if changed, ok := m.cached(id); ok {
		return changed
	}
	d := *id.def
	changed := false
	switch d.kind {
	case component.DefRecord:
		d.fields = append([]namedVal(nil), d.fields...)
		for i := range d.fields {
			changed = ts.remapVal(&d.fields[i].t, m) || changed
		}
	case component.DefTuple:
		d.types = append([]valT(nil), d.types...)
		for i := range d.types {
			changed = ts.remapVal(&d.types[i], m) || changed
		}
	case component.DefVariant:
		d.cases = append([]caseT(nil), d.cases...)
		for i := range d.cases {
			if d.cases[i].has {
				changed = ts.remapVal(&d.cases[i].t, m) || changed
			}
		}
	case component.DefList, component.DefFixedList, component.DefOption:
		changed = ts.remapVal(&d.elem, m)
	case component.DefMap:
		changed = ts.remapVal(&d.elem, m)
		changed = ts.remapVal(&d.err, m) || changed
	case component.DefResult, component.DefStream, component.DefFuture:
		if d.hasElem {
			changed = ts.remapVal(&d.elem, m)
		}
		if d.hasErr {
			changed = ts.remapVal(&d.err, m) || changed
		}
	case component.DefOwn, component.DefBorrow:
		changed = ts.remapResource(&d.res, m)
	}
	return ts.settle(m, id, changed, typeID{kind: kDefined, def: &d})
}

func (ts *typeStore) remapFunc(id *typeID, m *remapping) bool {
	if changed, ok := m.cached(id); ok {
		return changed
	}
	f := *id.fn
	f.params = append([]namedVal(nil), f.params...)
	changed := false
	for i := range f.params {
		changed = ts.remapVal(&f.params[i].t, m) || changed
	}
	if f.hasResult {
		changed = ts.remapVal(&f.result, m) || changed
	}
	return ts.settle(m, id, changed, typeID{kind: kFunc, fn: &f})
}

func (ts *typeStore) remapEntity(e *entity, m *remapping) bool {
	switch e.kind {
	case component.ExternFunc, component.ExternInstance, component.ExternComponent:
		return ts.remapAny(&e.id, m)
	case component.ExternType:
		same := e.referenced == e.created
		changed := ts.remapAny(&e.referenced, m)
		if same {
			e.created = e.referenced
		} else {
			changed = ts.remapAny(&e.created, m) || changed
		}
		return changed
	case component.ExternValue:
		return ts.remapVal(&e.val, m)
	}
	return false
}

func remapResList(ps []resPath, m *remapping, changed *bool) []resPath {
	out := make([]resPath, len(ps))
	for i, p := range ps {
		out[i] = p
		if n, ok := m.resources[p.res]; ok {
			out[i].res = n
			*changed = true
		}
	}
	return out
}

func (ts *typeStore) remapInstance(id *typeID, m *remapping) bool {
	if changed, ok := m.cached(id); ok {
		return changed
	}
	it := *id.inst
	it.exports = append([]item(nil), it.exports...)
	changed := false
	for i := range it.exports {
		changed = ts.remapEntity(&it.exports[i].e, m) || changed
	}
	it.definedResources = append([]*resource(nil), it.definedResources...)
	for i, r := range it.definedResources {
		if n, ok := m.resources[r]; ok {
			it.definedResources[i] = n
			changed = true
		}
	}
	it.explicit = remapResList(it.explicit, m, &changed)
	return ts.settle(m, id, changed, typeID{kind: kInstance, inst: &it})
}

func (ts *typeStore) remapComponent(id *typeID, m *remapping) bool {
	if changed, ok := m.cached(id); ok {
		return changed
	}
	ct := *id.comp
	ct.imports = append([]item(nil), ct.imports...)
	ct.exports = append([]item(nil), ct.exports...)
	changed := false
	for i := range ct.imports {
		changed = ts.remapEntity(&ct.imports[i].e, m) || changed
	}
	for i := range ct.exports {
		changed = ts.remapEntity(&ct.exports[i].e, m) || changed
	}
	ct.importedResources = remapResList(ct.importedResources, m, &changed)
	ct.definedResources = remapResList(ct.definedResources, m, &changed)
	ct.explicit = remapResList(ct.explicit, m, &changed)
	return ts.settle(m, id, changed, typeID{kind: kComponent, comp: &ct})
}

// freeResources collects the resources an entity mentions.
func (ts *typeStore) freeResources(e entity, set map[*resource]bool) {
	seen := map[typeID]bool{}
	var any func(id typeID)
	val := func(v valT) {
		if v.prim == 0 && v.id.valid() {
			any(v.id)
		}
	}
	var ent func(e entity)
	any = func(id typeID) {
		if seen[id] {
			return
		}
		seen[id] = true
		switch id.kind {
		case kResource:
			set[id.res] = true
		case kDefined:
			d := id.def
			for _, f := range d.fields {
				val(f.t)
			}
			for _, c := range d.cases {
				if c.has {
					val(c.t)
				}
			}
			for _, t := range d.types {
				val(t)
			}
			if d.hasElem {
				val(d.elem)
			}
			if d.hasErr {
				val(d.err)
			}
			if d.kind == component.DefOwn || d.kind == component.DefBorrow {
				any(d.res)
			}
		case kFunc:
			for _, p := range id.fn.params {
				val(p.t)
			}
			if id.fn.hasResult {
				val(id.fn.result)
			}
		case kInstance:
			for _, x := range id.inst.exports {
				ent(x.e)
			}
			for _, r := range id.inst.definedResources {
				delete(set, r) // bound inside the instance type
			}
		case kComponent:
			for _, x := range id.comp.imports {
				ent(x.e)
			}
			for _, x := range id.comp.exports {
				ent(x.e)
			}
			for _, p := range id.comp.importedResources {
				delete(set, p.res)
			}
			for _, p := range id.comp.definedResources {
				delete(set, p.res)
			}
		}
	}
	ent = func(e entity) {
		switch e.kind {
		case component.ExternFunc, component.ExternInstance, component.ExternComponent:
			any(e.id)
		case component.ExternType:
			any(e.referenced)
		case component.ExternValue:
			val(e.val)
		}
	}
	ent(e)
}

// scopeKind is what a scope validates.
type scopeKind uint8

const (
	scopeComponent scopeKind = iota
	scopeComponentType
	scopeInstanceType
)

// coreInst is a core instance: its exports, or nil when unknown.
type coreInst struct {
	exports map[string]coreExport
}

// coreExport is one export of a core instance; sig is the type of a
// function export (nil when unknown).
type coreExport struct {
	sort component.Sort
	sig  *coreSig
}

// scope is the state of one component definition, component type or
// instance type being checked.
type scope struct {
	kind       scopeKind
	types      []typeID
	coreTypes  []component.CoreTypeDef
	funcs      []typeID
	instances  []typeID
	components []typeID
	modules    []typeID
	values     []valT
	coreInsts  []coreInst
	// coreFuncTypes is the core function index space; an entry is nil
	// when the function's type is not known.
	coreFuncTypes []*coreSig
	coreTables    int
	coreMems      int
	coreGlobal    int
	coreTags      int

	imports           []item
	exports           []item
	order             []externRef
	importedResources []resPath
	definedResources  []*resource
	explicit          []resPath
}

// checker computes types over nested scopes.
type checker struct {
	ts     *typeStore
	scopes []*scope
	path   string // "", or the nesting path for errors
	// defs keeps the scope of every component definition checked, as it
	// is at the definition's end (see Spaces).
	defs map[*component.Component]*scope
}

// typeError is an error found while typing a component.
type typeError struct {
	Where string // e.g. "component 0 > type section, type 3"
	Msg   string
}

func (e *typeError) Error() string {
	if e.Where == "" {
		return e.Msg
	}
	return e.Where + ": " + e.Msg
}

func (c *checker) errf(format string, args ...any) error {
	return &typeError{Where: c.path, Msg: fmt.Sprintf(format, args...)}
}

func (c *checker) cur() *scope { return c.scopes[len(c.scopes)-1] }

func (c *checker) typeAt(i uint32) (typeID, error) {
	s := c.cur()
	if int(i) >= len(s.types) {
		return typeID{}, c.errf("type index %d out of range (%d types)", i, len(s.types))
	}
	return s.types[i], nil
}

func (c *checker) valType(v component.ValType) (valT, error) {
	if v.Prim != 0 {
		return valT{prim: v.Prim}, nil
	}
	id, err := c.typeAt(v.Index)
	if err != nil {
		return valT{}, err
	}
	if id.kind != kDefined {
		return valT{}, c.errf("type index %d is not a value type", v.Index)
	}
	return valT{id: id}, nil
}

func (c *checker) resourceAt(i uint32) (typeID, error) {
	id, err := c.typeAt(i)
	if err != nil {
		return id, err
	}
	if id.kind != kResource {
		return id, c.errf("type index %d is not a resource type", i)
	}
	return id, nil
}

// defined converts a defined type with its indices resolved.
func (c *checker) defined(t *component.DefinedType) (typeID, error) {
	d := &defType{kind: t.Kind, prim: t.Prim, labels: t.Labels, length: t.Len, hasElem: t.HasElem, hasErr: t.HasErr}
	var err error
	for _, f := range t.Fields {
		v, err := c.valType(f.Type)
		if err != nil {
			return typeID{}, err
		}
		d.fields = append(d.fields, namedVal{f.Name, v})
	}
	for _, cs := range t.Cases {
		ct := caseT{name: cs.Name, has: cs.HasType}
		if cs.HasType {
			if ct.t, err = c.valType(cs.Type); err != nil {
				return typeID{}, err
			}
		}
		d.cases = append(d.cases, ct)
	}
	for _, x := range t.Types {
		v, err := c.valType(x)
		if err != nil {
			return typeID{}, err
		}
		d.types = append(d.types, v)
	}
	if t.HasElem {
		if d.elem, err = c.valType(t.Elem); err != nil {
			return typeID{}, err
		}
	}
	if t.HasErr {
		if d.err, err = c.valType(t.Err); err != nil {
			return typeID{}, err
		}
	}
	switch t.Kind {
	case component.DefOwn, component.DefBorrow:
		if d.res, err = c.resourceAt(t.Index); err != nil {
			return typeID{}, err
		}
	case component.DefRecord:
		if len(t.Fields) == 0 {
			return typeID{}, c.errf("record type must have at least one field")
		}
	case component.DefVariant:
		if len(t.Cases) == 0 {
			return typeID{}, c.errf("variant type must have at least one case")
		}
	case component.DefEnum:
		if len(t.Labels) == 0 {
			return typeID{}, c.errf("enum type must have at least one case")
		}
	case component.DefFlags:
		if len(t.Labels) == 0 || len(t.Labels) > 32 {
			return typeID{}, c.errf("flags type must have between 1 and 32 flags, has %d", len(t.Labels))
		}
	case component.DefTuple:
		if len(t.Types) == 0 {
			return typeID{}, c.errf("tuple type must have at least one element")
		}
	case component.DefFixedList:
		if t.Len == 0 {
			return typeID{}, c.errf("fixed-length list must have a length greater than 0")
		}
	}
	size := uint64(1)
	for _, f := range d.fields {
		size += uint64(f.t.size())
	}
	for _, cs := range d.cases {
		if cs.has {
			size += uint64(cs.t.size())
		}
	}
	for _, x := range d.types {
		size += uint64(x.size())
	}
	if d.hasElem {
		size += uint64(d.elem.size())
	}
	if d.hasErr {
		size += uint64(d.err.size())
	}
	if size > maxTypeSize {
		return typeID{}, c.errf("effective type size exceeds the limit of %d", maxTypeSize)
	}
	d.size = uint32(size)
	return typeID{kind: kDefined, def: d}, nil
}

func (c *checker) funcType(t *component.FuncType) (typeID, error) {
	f := &funcType{async: t.Async, hasResult: t.HasResult}
	seen := map[string]bool{}
	for _, p := range t.Params {
		if seen[p.Name] {
			return typeID{}, c.errf("duplicate parameter name `%s`", p.Name)
		}
		seen[p.Name] = true
		v, err := c.valType(p.Type)
		if err != nil {
			return typeID{}, err
		}
		f.params = append(f.params, namedVal{p.Name, v})
	}
	if t.HasResult {
		v, err := c.valType(t.Result)
		if err != nil {
			return typeID{}, err
		}
		f.result = v
		if containsBorrow(newWITConv().val(v), 0) {
			return typeID{}, c.errf("function result cannot contain a `borrow` type")
		}
	}
	return typeID{kind: kFunc, fn: f}, nil
}

// addType adds a type definition to the current scope.
func (c *checker) addType(t component.Type) error {
	s := c.cur()
	var id typeID
	var err error
	switch t := t.(type) {
	case *component.DefinedType:
		id, err = c.defined(t)
	case *component.FuncType:
		id, err = c.funcType(t)
	case *component.ResourceType:
		if s.kind != scopeComponent {
			return c.errf("resources can only be defined within a concrete component")
		}
		id = c.ts.newResource()
		s.definedResources = append(s.definedResources, id.res)
	case *component.ComponentType:
		var ct *compType
		ct, err = c.componentType(t)
		id = typeID{kind: kComponent, comp: ct}
	case *component.InstanceType:
		var it *instType
		it, err = c.instanceType(t)
		id = typeID{kind: kInstance, inst: it}
	}
	if err != nil {
		return err
	}
	s.types = append(s.types, id)
	return nil
}

func (c *checker) componentType(t *component.ComponentType) (*compType, error) {
	c.scopes = append(c.scopes, &scope{kind: scopeComponentType})
	defer func() { c.scopes = c.scopes[:len(c.scopes)-1] }()
	for _, d := range t.Decls {
		if err := c.decl(d); err != nil {
			return nil, err
		}
	}
	return c.finishComponent()
}

func (c *checker) instanceType(t *component.InstanceType) (*instType, error) {
	c.scopes = append(c.scopes, &scope{kind: scopeInstanceType})
	defer func() { c.scopes = c.scopes[:len(c.scopes)-1] }()
	for _, d := range t.Decls {
		if err := c.decl(d); err != nil {
			return nil, err
		}
	}
	s := c.cur()
	return &instType{exports: s.exports, definedResources: s.definedResources, explicit: s.explicit}, nil
}

func (c *checker) decl(d component.Decl) error {
	switch d := d.(type) {
	case *component.CoreTypeDecl:
		c.cur().coreTypes = append(c.cur().coreTypes, d.Type)
		return nil
	case *component.TypeDecl:
		return c.addType(d.Type)
	case *component.AliasDecl:
		return c.alias(d.Alias)
	case *component.ImportDecl:
		e, err := c.externEntity(d.Type)
		if err != nil {
			return err
		}
		return c.addImport(d.Name, e)
	case *component.ExportDecl:
		e, err := c.externEntity(d.Type)
		if err != nil {
			return err
		}
		return c.addExport(d.Name, e)
	}
	return nil
}

// externEntity is the entity an import or export declaration describes.
func (c *checker) externEntity(x component.Extern) (entity, error) {
	e := entity{kind: x.Kind}
	switch x.Kind {
	case component.ExternModule:
		s := c.cur()
		if int(x.Index) >= len(s.coreTypes) {
			return e, c.errf("core type index %d out of range", x.Index)
		}
		e.id = typeID{kind: kModule, mod: &modType{}}
	case component.ExternFunc, component.ExternInstance, component.ExternComponent:
		id, err := c.typeAt(x.Index)
		if err != nil {
			return e, err
		}
		want := map[component.ExternKind]idKind{component.ExternFunc: kFunc, component.ExternInstance: kInstance, component.ExternComponent: kComponent}[x.Kind]
		if id.kind != want {
			return e, c.errf("type index %d is not a %s type", x.Index, map[component.ExternKind]string{component.ExternFunc: "function", component.ExternInstance: "instance", component.ExternComponent: "component"}[x.Kind])
		}
		e.id = id
	case component.ExternType:
		if x.SubResource {
			r := c.ts.newResource()
			e.referenced, e.created = r, r
			break
		}
		id, err := c.typeAt(x.Index)
		if err != nil {
			return e, err
		}
		e.referenced = id
		e.created = c.ts.withUnique(id)
	case component.ExternValue:
		if x.ValueEq {
			s := c.cur()
			if int(x.Index) >= len(s.values) {
				return e, c.errf("value index %d out of range", x.Index)
			}
			e.val = s.values[x.Index]
		} else {
			v, err := c.valType(x.ValType)
			if err != nil {
				return e, err
			}
			e.val = v
		}
	}
	return e, nil
}

func itemOf(n component.Name, e entity) item {
	it := item{name: n.Name, e: e}
	it.implements, _ = n.Attr(component.AttrImplements)
	it.versionSuffix, _ = n.Attr(component.AttrVersionSuffix)
	it.externalID, _ = n.Attr(component.AttrExternalID)
	return it
}

// push adds an entity to the index space of its sort.
func (c *checker) push(e entity) {
	s := c.cur()
	switch e.kind {
	case component.ExternModule:
		s.modules = append(s.modules, e.id)
	case component.ExternFunc:
		s.funcs = append(s.funcs, e.id)
	case component.ExternValue:
		s.values = append(s.values, e.val)
	case component.ExternType:
		s.types = append(s.types, e.created)
	case component.ExternComponent:
		s.components = append(s.components, e.id)
	case component.ExternInstance:
		s.instances = append(s.instances, e.id)
	}
}

func (c *checker) addImport(n component.Name, e entity) error {
	s := c.cur()
	if err := c.checkName(n.Name, s.imports, "import", false); err != nil {
		return err
	}
	switch {
	case e.kind == component.ExternInstance:
		e.id = c.prepareInstanceImport(e.id, len(s.imports))
	case e.kind == component.ExternType && e.created.kind == kResource && e.created == e.referenced:
		s.importedResources = append(s.importedResources, resPath{e.created.res, []int{len(s.imports)}})
	}
	c.push(e)
	s.order = append(s.order, externRef{true, len(s.imports)})
	s.imports = append(s.imports, itemOf(n, e))
	return nil
}

// prepareInstanceImport gives the resources an imported instance type
// defines fresh identities, which become imported resources of the scope.
func (c *checker) prepareInstanceImport(id typeID, importIdx int) typeID {
	it := id.inst
	if len(it.definedResources) == 0 {
		return id
	}
	s := c.cur()
	m := newRemapping()
	for _, old := range it.definedResources {
		n := c.ts.newResource().res
		m.resources[old] = n
		path := []int{importIdx}
		if p, ok := pathOf(it.explicit, old); ok {
			path = append(path, p...)
		}
		s.importedResources = append(s.importedResources, resPath{n, path})
	}
	nt := &instType{exports: append([]item(nil), it.exports...)}
	for i := range nt.exports {
		c.ts.remapEntity(&nt.exports[i].e, m)
	}
	for _, p := range it.explicit {
		np := p
		if n, ok := m.resources[p.res]; ok {
			np.res = n
		}
		nt.explicit = append(nt.explicit, np)
	}
	return typeID{kind: kInstance, inst: nt}
}

// prepareInstanceExport gives resources defined by an exported instance
// type fresh identities defined by the scope.
func (c *checker) prepareInstanceExport(id typeID, exportIdx int) typeID {
	s := c.cur()
	it := id.inst
	if len(it.definedResources) > 0 {
		m := newRemapping()
		for _, old := range it.definedResources {
			n := c.ts.newResource().res
			m.resources[old] = n
			s.definedResources = append(s.definedResources, n)
		}
		nt := &instType{exports: append([]item(nil), it.exports...)}
		for i := range nt.exports {
			c.ts.remapEntity(&nt.exports[i].e, m)
		}
		for _, p := range it.explicit {
			np := p
			if n, ok := m.resources[p.res]; ok {
				np.res = n
			}
			nt.explicit = append(nt.explicit, np)
		}
		id = typeID{kind: kInstance, inst: nt}
		it = nt
	}
	for _, p := range it.explicit {
		s.explicit = append(s.explicit, resPath{p.res, append([]int{exportIdx}, p.path...)})
	}
	return id
}

func (c *checker) addExport(n component.Name, e entity) error {
	s := c.cur()
	if err := c.checkName(n.Name, s.exports, "export", true); err != nil {
		return err
	}
	switch {
	case e.kind == component.ExternInstance:
		e.id = c.prepareInstanceExport(e.id, len(s.exports))
	case e.kind == component.ExternType && e.created.kind == kResource:
		if e.created == e.referenced {
			s.definedResources = append(s.definedResources, e.created.res)
		}
		s.explicit = append(s.explicit, resPath{e.created.res, []int{len(s.exports)}})
	}
	c.push(e)
	s.order = append(s.order, externRef{false, len(s.exports)})
	s.exports = append(s.exports, itemOf(n, e))
	return nil
}

// checkName checks an import or export name: its grammar and that it is
// strongly unique (differs from the others in more than case).
func (c *checker) checkName(name string, prev []item, what string, export bool) error {
	if err := validName(name, export); err != nil {
		return c.errf("%s name `%s` is not valid: %v", what, name, err)
	}
	for _, p := range prev {
		if strings.EqualFold(p.name, name) {
			if p.name == name {
				return c.errf("duplicate %s name `%s`", what, name)
			}
			return c.errf("%s name `%s` conflicts with previous name `%s` (names differing only in case are not allowed)", what, name, p.name)
		}
	}
	return nil
}

// finishComponent computes the type of the component (or component type)
// of the current scope.
func (c *checker) finishComponent() (*compType, error) {
	s := c.cur()
	ct := &compType{order: s.order, imports: s.imports, exports: s.exports, importedResources: s.importedResources, explicit: s.explicit}
	free := map[*resource]bool{}
	for _, x := range s.imports {
		c.ts.freeResources(x.e, free)
	}
	for _, r := range s.definedResources {
		if free[r] {
			return nil, c.errf("local resource type found in imports")
		}
	}
	free = map[*resource]bool{}
	for _, x := range s.exports {
		c.ts.freeResources(x.e, free)
	}
	for _, r := range s.definedResources {
		if !free[r] {
			continue
		}
		path, ok := pathOf(s.explicit, r)
		if !ok {
			return nil, c.errf("local resource type found in export but not exported itself")
		}
		ct.definedResources = append(ct.definedResources, resPath{r, path})
	}
	return ct, nil
}

func (c *checker) alias(a component.Alias) error {
	s := c.cur()
	switch a.Kind {
	case component.AliasExport:
		if int(a.Instance) >= len(s.instances) {
			return c.errf("instance index %d out of range", a.Instance)
		}
		it := s.instances[a.Instance].inst
		_, x := findItem(it.exports, a.Name)
		if x == nil {
			return c.errf("instance %d has no export named `%s`", a.Instance, a.Name)
		}
		want := map[component.Sort]component.ExternKind{component.SortFunc: component.ExternFunc, component.SortValue: component.ExternValue, component.SortType: component.ExternType,
			component.SortComponent: component.ExternComponent, component.SortInstance: component.ExternInstance, component.SortCoreModule: component.ExternModule}
		if k, ok := want[a.Sort]; !ok || k != x.e.kind {
			return c.errf("export `%s` of instance %d is not a %s", a.Name, a.Instance, a.Sort)
		}
		c.push(x.e)
	case component.AliasCoreExport:
		if int(a.Instance) >= len(s.coreInsts) {
			return c.errf("core instance index %d out of range", a.Instance)
		}
		ci := s.coreInsts[a.Instance]
		var sig *coreSig
		if ci.exports != nil {
			k, ok := ci.exports[a.Name]
			if !ok {
				return c.errf("core instance %d has no export named `%s`", a.Instance, a.Name)
			}
			if k.sort != a.Sort {
				return c.errf("export `%s` of core instance %d is a %s, not a %s", a.Name, a.Instance, k.sort, a.Sort)
			}
			sig = k.sig
		}
		c.addCore(a.Sort)
		if a.Sort == component.SortCoreFunc {
			s.coreFuncTypes[len(s.coreFuncTypes)-1] = sig
		}
	case component.AliasOuter:
		if int(a.Count) >= len(c.scopes) {
			return c.errf("outer alias count %d exceeds the %d enclosing scopes", a.Count, len(c.scopes)-1)
		}
		o := c.scopes[len(c.scopes)-1-int(a.Count)]
		switch a.Sort {
		case component.SortType:
			if int(a.Index) >= len(o.types) {
				return c.errf("outer type index %d out of range", a.Index)
			}
			s.types = append(s.types, o.types[a.Index])
		case component.SortCoreType:
			if int(a.Index) >= len(o.coreTypes) {
				return c.errf("outer core type index %d out of range", a.Index)
			}
			s.coreTypes = append(s.coreTypes, o.coreTypes[a.Index])
		case component.SortComponent:
			if int(a.Index) >= len(o.components) {
				return c.errf("outer component index %d out of range", a.Index)
			}
			s.components = append(s.components, o.components[a.Index])
		case component.SortCoreModule:
			if int(a.Index) >= len(o.modules) {
				return c.errf("outer module index %d out of range", a.Index)
			}
			s.modules = append(s.modules, o.modules[a.Index])
		default:
			return c.errf("outer aliases of %s are not allowed", a.Sort)
		}
	}
	return nil
}

func (c *checker) addCore(s component.Sort) {
	sc := c.cur()
	switch s {
	case component.SortCoreFunc:
		sc.coreFuncTypes = append(sc.coreFuncTypes, nil)
	case component.SortCoreTable:
		sc.coreTables++
	case component.SortCoreMemory:
		sc.coreMems++
	case component.SortCoreGlobal:
		sc.coreGlobal++
	case component.SortCoreTag:
		sc.coreTags++
	case component.SortCoreType:
		sc.coreTypes = append(sc.coreTypes, nil)
	case component.SortCoreModule:
		sc.modules = append(sc.modules, typeID{kind: kModule, mod: &modType{}})
	case component.SortCoreInstance:
		sc.coreInsts = append(sc.coreInsts, coreInst{})
	}
}
