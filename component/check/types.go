package check

import (
	"fmt"

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
//
// It is held by value in every entity, item and map key of the checker, so
// it is kept small: the data is one pointer, of the type kind says.
type typeID struct {
	kind  idKind
	alias uint32
	p     any // *defType, *resource, *funcType, *instType, *compType or *modType
}

func (id typeID) valid() bool { return id.kind != 0 }

// The data of an id, nil when it is of another kind.
func (id typeID) asDef() *defType   { d, _ := id.p.(*defType); return d }
func (id typeID) asRes() *resource  { r, _ := id.p.(*resource); return r }
func (id typeID) asFn() *funcType   { f, _ := id.p.(*funcType); return f }
func (id typeID) asInst() *instType { i, _ := id.p.(*instType); return i }
func (id typeID) asComp() *compType { c, _ := id.p.(*compType); return c }
func (id typeID) asMod() *modType   { m, _ := id.p.(*modType); return m }

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
	info    typeInfo
	// flat caches the type's flattening for 32- and 64-bit pointers.
	flat [2]*flatType
	// memSize and memAlign are the type's size (at most maxValueBytes)
	// and alignment in memory with 64-bit pointers.
	memSize  uint64
	memAlign uint8
}

// typeInfo is what validation keeps of a type's structure, as wasmparser
// does: its effective size (1 plus the sizes of the types it is made of,
// as if every reference were expanded), its depth (the longest chain of
// references) and whether it contains a `borrow`.
type typeInfo struct {
	size, depth uint32
	borrow      bool
	// res says that the type mentions resources: only those are
	// rewritten when resources are substituted.
	res bool
}

// maxTypeSize bounds the effective size of a type, and the sum of the
// sizes of a component's (or component or instance type's) imports and
// exports, as wasmparser does: a type that refers to another twice, which
// refers to another twice… doubles at each level, and anything that walks
// the expanded type (flattening, lifting, printing WIT) would take
// exponential time.
const maxTypeSize = 1_000_000

// maxValueDepth bounds the nesting of value types (wasmparser's
// MAX_WASM_COMPONENT_TYPE_DEPTH); maxTypeDepth that of every other type,
// where wasmparser's representation ends. Every recursive walk of a type
// in this package is bounded by them.
const (
	maxValueDepth = 100
	maxTypeDepth  = 127
)

func newInfo() typeInfo { return typeInfo{size: 1, depth: 1} }

var errTypeSize = fmt.Errorf("effective type size exceeds the limit of %d", maxTypeSize)

// combine adds a part of size o to the type of i.
func (i *typeInfo) combine(o typeInfo) error {
	if o.depth+1 > i.depth {
		i.depth = o.depth + 1
	}
	sum := uint64(i.size) + uint64(o.size)
	if sum >= maxTypeSize {
		return errTypeSize
	}
	i.size = uint32(sum)
	i.borrow = i.borrow || o.borrow
	i.res = i.res || o.res
	return nil
}

func (v valT) info() typeInfo {
	if v.prim != 0 || v.id.asDef() == nil {
		return newInfo()
	}
	return v.id.asDef().info
}

// idInfo is the structure of any type.
func idInfo(id typeID) typeInfo {
	switch id.kind {
	case kDefined:
		return id.asDef().info
	case kFunc:
		return id.asFn().info
	case kInstance:
		return id.asInst().info
	case kComponent:
		return id.asComp().info
	case kModule:
		return typeInfo{size: id.asMod().size, depth: 1}
	case kResource:
		return typeInfo{size: 1, depth: 1, res: true}
	}
	return newInfo()
}

// entityInfo is the structure of an import's or export's type.
func entityInfo(e entity) typeInfo {
	switch e.kind {
	case component.ExternValue:
		return e.val.info()
	case component.ExternType:
		return idInfo(e.created)
	}
	return idInfo(e.id)
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
	info      typeInfo
}

// resource is a resource type; rep is the core type of its
// representation (0x7f, 0x7e) for one defined by a resource type
// definition, 0 for the others.
type resource struct {
	n   int
	rep byte
}

// modType is a core module's type.
type modType struct {
	t    *moduleT
	size uint32 // the type's effective size
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
	info             typeInfo
	byName           map[string]int // see lookupItem
}

type compType struct {
	order             []externRef // imports and exports in section order
	imports           []item
	exports           []item
	importedResources []resPath
	definedResources  []resPath
	explicit          []resPath
	info              typeInfo
	importIdx         map[string]int // see lookupItem
	exportIdx         map[string]int
}

// lookupItem finds the item named name; items with many entries are
// indexed in *idx the first time (types are only looked into by the
// goroutine checking them).
func lookupItem(items []item, idx *map[string]int, name string) *item {
	if len(items) < 16 {
		_, x := findItem(items, name)
		return x
	}
	if len(*idx) != len(items) {
		m := make(map[string]int, len(items))
		for i := range items {
			if _, dup := m[items[i].name]; !dup {
				m[items[i].name] = i
			}
		}
		*idx = m
	}
	if i, ok := (*idx)[name]; ok {
		return &items[i]
	}
	return nil
}

// export finds an export of an instance type.
func (it *instType) export(name string) *item { return lookupItem(it.exports, &it.byName, name) }

func findItem(items []item, name string) (int, *item) {
	for i := range items {
		if items[i].name == name {
			return i, &items[i]
		}
	}
	return -1, nil
}

// pathIndex indexes resource paths by resource (the first path of each).
func pathIndex(ps []resPath) map[*resource][]int {
	m := make(map[*resource][]int, len(ps))
	for _, p := range ps {
		if _, dup := m[p.res]; !dup {
			m[p.res] = p.path
		}
	}
	return m
}

// typeStore allocates identities.
type typeStore struct {
	ct        *coreTypes
	aliasOf   map[uint32]uint32
	nextAlias uint32
	nextRes   int
	// work counts the steps of walks over types that repeat for each
	// instantiation (substituting resources, subtyping): those are not
	// bounded by the size of the input, only by 1000 instantiations of
	// types of up to maxTypeSize each. Past a budget proportional to the
	// number of types defined, checking fails (err) rather than take
	// minutes and gigabytes.
	work, defined int
	err           error
	// equal holds the pairs of defined types found equal.
	equal map[[2]*defType]bool
}

func newTypeStore() *typeStore {
	return &typeStore{aliasOf: map[uint32]uint32{}, nextAlias: 1, ct: newCoreTypes()}
}

// workBudget is the number of walk steps allowed: a constant plus a
// multiple of the types defined. A step visits or copies a node or an
// element of one (a field, a case, an export).
func (ts *typeStore) workBudget() int { return 250_000 + 16*ts.defined }

// step counts n steps of a walk and reports whether the budget allows
// them.
func (ts *typeStore) step(n int) bool {
	ts.work += n
	if ts.work > ts.workBudget() {
		if ts.err == nil {
			ts.err = fmt.Errorf("implementation limit: instantiating and comparing these types takes more than %d steps", ts.workBudget())
		}
		return false
	}
	return true
}

func (ts *typeStore) newResource() typeID {
	ts.nextRes++
	return typeID{kind: kResource, p: &resource{n: ts.nextRes}}
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

// remapping substitutes resources, and renames the types of type imports
// to those of their arguments; it caches what it rewrote by the node
// rewritten (a node maps to itself when nothing in it changes).
type remapping struct {
	resources map[*resource]*resource
	// renames maps type imports (by the identity the import created)
	// to the types of the arguments given for them.
	renames map[typeID]typeID
	defs    map[*defType]*defType
	fns     map[*funcType]*funcType
	insts   map[*instType]*instType
	comps   map[*compType]*compType
}

// skip says that remapping cannot change the type of info.
func (m *remapping) skip(info typeInfo) bool {
	return len(m.renames) == 0 && (!info.res || len(m.resources) == 0)
}

func newRemapping() *remapping {
	return &remapping{resources: map[*resource]*resource{}}
}

// cached applies a remapping already done to the node of *id.
func cached[T comparable](cache map[T]T, node T, id *typeID, set func(T) typeID) (changed, ok bool) {
	n, ok := cache[node]
	if !ok {
		return false, false
	}
	if n == node {
		return false, true
	}
	*id = set(n)
	return true, true
}

// remember records what node became and applies it to *id.
func remember[T comparable](cache *map[T]T, node, n T, id *typeID, set func(T) typeID) bool {
	if *cache == nil {
		*cache = map[T]T{}
	}
	(*cache)[node] = n
	if n == node {
		return false
	}
	*id = set(n)
	return true
}

func (ts *typeStore) remapAny(id *typeID, m *remapping) bool {
	if n, ok := m.renames[*id]; ok {
		changed := n != *id
		*id = n
		return changed
	}
	if m.skip(idInfo(*id)) {
		return false
	}
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
	if n, ok := m.renames[*id]; ok {
		changed := n != *id
		*id = n
		return changed
	}
	if n, ok := m.resources[id.asRes()]; ok {
		id.p = n
		return true
	}
	return false
}

func (ts *typeStore) remapVal(v *valT, m *remapping) bool {
	if v.prim != 0 || v.id.asDef() == nil { // a case without a type
		return false
	}
	if n, ok := m.renames[v.id]; ok {
		changed := n != v.id
		v.id = n
		return changed
	}
	if m.skip(v.id.asDef().info) {
		return false
	}
	return ts.remapDefined(&v.id, m)
}

func setDef(d *defType) typeID   { return typeID{kind: kDefined, p: d} }
func setFunc(f *funcType) typeID { return typeID{kind: kFunc, p: f} }
func setInst(i *instType) typeID { return typeID{kind: kInstance, p: i} }
func setComp(c *compType) typeID { return typeID{kind: kComponent, p: c} }

// remapVals rewrites the value types get(i) of n elements; the slice is
// copied (by cp) at the first change.
func (ts *typeStore) remapVals(n int, m *remapping, get func(i int) *valT, cp func()) bool {
	ts.step(n)
	changed := false
	for i := 0; i < n; i++ {
		v := *get(i)
		if ts.remapVal(&v, m) {
			if !changed {
				cp()
				changed = true
			}
			*get(i) = v
		}
	}
	return changed
}

func (ts *typeStore) remapDefined(id *typeID, m *remapping) bool {
	d := id.asDef()
	if changed, ok := cached(m.defs, d, id, setDef); ok {
		return changed
	}
	ts.step(1)
	nd := *d
	nd.flat = [2]*flatType{}
	changed := false
	switch d.kind {
	case component.DefRecord:
		changed = ts.remapVals(len(nd.fields), m, func(i int) *valT { return &nd.fields[i].t },
			func() { nd.fields = append([]namedVal(nil), d.fields...) })
	case component.DefTuple:
		changed = ts.remapVals(len(nd.types), m, func(i int) *valT { return &nd.types[i] },
			func() { nd.types = append([]valT(nil), d.types...) })
	case component.DefVariant:
		changed = ts.remapVals(len(nd.cases), m, func(i int) *valT { return &nd.cases[i].t },
			func() { nd.cases = append([]caseT(nil), d.cases...) })
	case component.DefOwn, component.DefBorrow:
		changed = ts.remapResource(&nd.res, m)
	}
	if nd.hasElem {
		changed = ts.remapVal(&nd.elem, m) || changed
	}
	if nd.hasErr {
		changed = ts.remapVal(&nd.err, m) || changed
	}
	n := d
	if changed {
		n = &nd
	}
	return remember(&m.defs, d, n, id, setDef)
}

func (ts *typeStore) remapFunc(id *typeID, m *remapping) bool {
	fn := id.asFn()
	if changed, ok := cached(m.fns, fn, id, setFunc); ok {
		return changed
	}
	ts.step(1)
	f := *fn
	changed := ts.remapVals(len(f.params), m, func(i int) *valT { return &f.params[i].t },
		func() { f.params = append([]namedVal(nil), fn.params...) })
	if f.hasResult {
		changed = ts.remapVal(&f.result, m) || changed
	}
	n := fn
	if changed {
		n = &f
	}
	return remember(&m.fns, fn, n, id, setFunc)
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

// remapResList rewrites the resources of paths, copying the list at the
// first change.
func remapResList(ps []resPath, m *remapping, changed *bool) []resPath {
	out := ps
	for i, p := range ps {
		if n, ok := m.resources[p.res]; ok {
			if &out[0] == &ps[0] {
				out = append([]resPath(nil), ps...)
			}
			out[i].res = n
			*changed = true
		}
	}
	return out
}

// remapItems rewrites the entities of items, copying the slice (by cp) at
// the first change.
func (ts *typeStore) remapItems(items []item, m *remapping, cp func() []item) bool {
	ts.step(len(items))
	changed := false
	for i := range items {
		e := items[i].e
		if ts.remapEntity(&e, m) {
			if !changed {
				items = cp()
				changed = true
			}
			items[i].e = e
		}
	}
	return changed
}

func (ts *typeStore) remapInstance(id *typeID, m *remapping) bool {
	old := id.asInst()
	if changed, ok := cached(m.insts, old, id, setInst); ok {
		return changed
	}
	ts.step(1)
	it := *old
	it.byName = nil
	changed := ts.remapItems(it.exports, m, func() []item {
		it.exports = append([]item(nil), old.exports...)
		return it.exports
	})
	copied := false
	for i, r := range it.definedResources {
		if n, ok := m.resources[r]; ok {
			if !copied {
				it.definedResources = append([]*resource(nil), old.definedResources...)
				copied = true
			}
			it.definedResources[i] = n
			changed = true
		}
	}
	it.explicit = remapResList(it.explicit, m, &changed)
	n := old
	if changed {
		n = &it
	}
	return remember(&m.insts, old, n, id, setInst)
}

func (ts *typeStore) remapComponent(id *typeID, m *remapping) bool {
	old := id.asComp()
	if changed, ok := cached(m.comps, old, id, setComp); ok {
		return changed
	}
	ts.step(1)
	ct := *old
	ct.importIdx, ct.exportIdx = nil, nil
	changed := ts.remapItems(ct.imports, m, func() []item {
		ct.imports = append([]item(nil), old.imports...)
		return ct.imports
	})
	changed = ts.remapItems(ct.exports, m, func() []item {
		ct.exports = append([]item(nil), old.exports...)
		return ct.exports
	}) || changed
	ct.importedResources = remapResList(ct.importedResources, m, &changed)
	ct.definedResources = remapResList(ct.definedResources, m, &changed)
	ct.explicit = remapResList(ct.explicit, m, &changed)
	n := old
	if changed {
		n = &ct
	}
	return remember(&m.comps, old, n, id, setComp)
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
			set[id.asRes()] = true
		case kDefined:
			d := id.asDef()
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
			for _, p := range id.asFn().params {
				val(p.t)
			}
			if id.asFn().hasResult {
				val(id.asFn().result)
			}
		case kInstance:
			for _, x := range id.asInst().exports {
				ent(x.e)
			}
			for _, r := range id.asInst().definedResources {
				delete(set, r) // bound inside the instance type
			}
		case kComponent:
			for _, x := range id.asComp().imports {
				ent(x.e)
			}
			for _, x := range id.asComp().exports {
				ent(x.e)
			}
			for _, p := range id.asComp().importedResources {
				delete(set, p.res)
			}
			for _, p := range id.asComp().definedResources {
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

// scope is the state of one component definition, component type or
// instance type being checked.
type scope struct {
	kind       scopeKind
	types      []typeID
	coreTypes  []coreTypeEntry
	funcs      []typeID
	instances  []typeID
	components []typeID
	modules    []typeID
	values     []valT
	coreInsts  []coreInst
	// The core index spaces, with the canonical types of functions and
	// tags.
	coreFuncs   []int32
	coreTables  []tableT
	coreMems    []memT
	coreGlobals []globalT
	coreTags    []int32
	// coreMod reads the scope's core types; its types mirror coreTypes
	// (-1 for module types).
	coreMod *coreModule
	// contextType is the core type of the context slots, once a
	// context.get or context.set gives it.
	contextType vt
	// localRes indexes definedResources (see defines).
	localRes map[*resource]bool
	// hasStart: the component has a start function.
	hasStart bool

	imports           []item
	exports           []item
	order             []externRef
	importedResources []resPath
	definedResources  []*resource
	explicit          []resPath

	// info is the structure of the scope's type: its imports' and
	// exports' sizes add up in it.
	info typeInfo
	// importNames and exportNames hold the names of the imports and
	// exports by their canonical form (strong uniqueness).
	importNames, exportNames nameSet
	// importRes and exportRes name the resources imported and exported
	// at the top of the scope, for annotated function names.
	importRes, exportRes resNames
	// importedTypes and exportedTypes are the types that have a name
	// among the imports (or exports): those an import (export) may
	// refer to.
	importedTypes, exportedTypes *namedSet
}

// namedSet is the types named among a scope's imports (or exports), and
// the defined types found to have all their parts named: the set only
// grows, so they stay so (types are DAGs: without it, checking a tuple of
// a tuple of … of the same type twice would take exponential time).
type namedSet struct {
	types map[typeID]bool
	parts map[*defType]bool
}

func newNamedSet() *namedSet { return &namedSet{} }

// addType and addParts make the maps when first written to.
func (n *namedSet) addType(id typeID) {
	if n.types == nil {
		n.types = map[typeID]bool{}
	}
	n.types[id] = true
}

func (n *namedSet) addParts(d *defType) {
	if n.parts == nil {
		n.parts = map[*defType]bool{}
	}
	n.parts[d] = true
}

// newScope makes a scope; its maps are made when first written to (most
// instance types have no resources and few names).
func newScope(k scopeKind) *scope {
	return &scope{kind: k, info: newInfo()}
}

// resNames are the names of the resources of a scope's imports (or
// exports): which name each resource (by the identity its import or
// export created) has, and every name. Most scopes name a resource or
// two: a list, which becomes maps past a few.
type resNames struct {
	list  []resName
	byID  map[typeID]string
	names map[string]bool
}

type resName struct {
	name string
	id   typeID
}

const resNamesListMax = 8

func (r *resNames) register(name string, id typeID) {
	if r.byID == nil && len(r.list) < resNamesListMax {
		r.list = append(r.list, resName{name, id})
		return
	}
	if r.byID == nil {
		r.byID, r.names = map[typeID]string{}, map[string]bool{}
		for _, x := range r.list {
			r.byID[x.id], r.names[x.name] = x.name, true
		}
		r.list = nil
	}
	r.byID[id] = name
	r.names[name] = true
}

// nameOf is the name of resource id, if it has one.
func (r *resNames) nameOf(id typeID) (string, bool) {
	if r.byID != nil {
		n, ok := r.byID[id]
		return n, ok
	}
	for i := len(r.list) - 1; i >= 0; i-- {
		if r.list[i].id == id {
			return r.list[i].name, true
		}
	}
	return "", false
}

// has reports whether a resource is named name.
func (r *resNames) has(name string) bool {
	if r.byID != nil {
		return r.names[name]
	}
	for _, x := range r.list {
		if x.name == name {
			return true
		}
	}
	return false
}

// checker computes types over nested scopes.
type checker struct {
	ts     *typeStore
	scopes []*scope
	// where is the definition being checked ("component > component 1",
	// "" before any), sectionIdx the index of its section being checked:
	// the path errors give (see path).
	where      string
	sectionIdx int
	// ct holds the canonical core types of every module and component.
	ct *coreTypes
	// gcEncoding: the GC ABI check at hand lowers strings as UTF-16.
	gcEncoding bool
	// code: the code of core functions is validated too.
	code bool
	// defs keeps the scope of every component definition checked, as it
	// is at the definition's end (see Spaces).
	defs map[*component.Component]*scope
	// feats are the proposals the check accepts.
	feats Features
	// known are the components checked before in the same type store
	// (a Session), whose types nesting them reuses.
	known map[*component.Component]*Types
}

// typeError is an error found while typing a component.
type typeError struct {
	Where string // e.g. "component 0 > type section, type 3"
	Msg   string
	off   int // of the problem in the input, when known (> 0)
}

// Offset is the byte offset of the problem in the component's bytes,
// when the checker knows it (errors in the code of core modules).
func (e *typeError) Offset() (int, bool) { return e.off, e.off > 0 }

func (e *typeError) Error() string {
	if e.Where == "" {
		return e.Msg
	}
	return e.Where + ": " + e.Msg
}

func (c *checker) errf(format string, args ...any) error {
	return &typeError{Where: c.path(), Msg: fmt.Sprintf(format, args...)}
}

// path is the nesting path of errors: "", or the definition and section
// being checked.
func (c *checker) path() string {
	if c.where == "" {
		return ""
	}
	return fmt.Sprintf("%s, section %d", c.where, c.sectionIdx)
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
		return valT{prim: v.Prim}, c.primOK(v.Prim)
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

// valTypeInfo converts a value type and adds its structure to info.
func (c *checker) valTypeInfo(v component.ValType, info *typeInfo) (valT, error) {
	t, err := c.valType(v)
	if err != nil {
		return t, err
	}
	if err := info.combine(t.info()); err != nil {
		return t, c.errf("%v", err)
	}
	return t, nil
}

// defined converts a defined type with its indices resolved, checking
// its labels, the features it needs and its size and depth.
func (c *checker) defined(t *component.DefinedType) (typeID, error) {
	d := &defType{kind: t.Kind, prim: t.Prim, labels: t.Labels, length: t.Len, hasElem: t.HasElem, hasErr: t.HasErr, info: newInfo()}
	var err error
	switch t.Kind {
	case component.DefPrim:
		if err := c.primOK(t.Prim); err != nil {
			return typeID{}, err
		}
	case component.DefRecord:
		if len(t.Fields) == 0 {
			return typeID{}, c.errf("record type must have at least one field")
		}
		seen := labelSet{}
		for _, f := range t.Fields {
			if err := checkLabel(f.Name, "record field"); err != nil {
				return typeID{}, c.errf("%v", err)
			}
			v, err := c.valTypeInfo(f.Type, &d.info)
			if err != nil {
				return typeID{}, err
			}
			if prev, dup := seen.add(f.Name); dup {
				return typeID{}, c.errf("record field name `%s` conflicts with previous field name `%s`", f.Name, prev)
			}
			d.fields = append(d.fields, namedVal{f.Name, v})
		}
	case component.DefVariant:
		if len(t.Cases) == 0 {
			return typeID{}, c.errf("variant type must have at least one case")
		}
		seen := labelSet{}
		for _, cs := range t.Cases {
			if err := checkLabel(cs.Name, "variant case"); err != nil {
				return typeID{}, c.errf("%v", err)
			}
			ct := caseT{name: cs.Name, has: cs.HasType}
			if cs.HasType {
				if ct.t, err = c.valTypeInfo(cs.Type, &d.info); err != nil {
					return typeID{}, err
				}
			}
			if prev, dup := seen.add(cs.Name); dup {
				return typeID{}, c.errf("variant case name `%s` conflicts with previous case name `%s`", cs.Name, prev)
			}
			d.cases = append(d.cases, ct)
		}
	case component.DefFlags:
		if len(t.Labels) == 0 {
			return typeID{}, c.errf("flags must have at least one entry")
		}
		if len(t.Labels) > 32 {
			return typeID{}, c.errf("cannot have more than 32 flags")
		}
		if err := c.labels(t.Labels, "flag", "flag name `%s` conflicts with previous flag name `%s`"); err != nil {
			return typeID{}, err
		}
	case component.DefEnum:
		if len(t.Labels) == 0 {
			return typeID{}, c.errf("enum type must have at least one variant")
		}
		if err := c.labels(t.Labels, "enum tag", "enum tag name `%s` conflicts with previous tag name `%s`"); err != nil {
			return typeID{}, err
		}
	case component.DefTuple:
		if len(t.Types) == 0 {
			return typeID{}, c.errf("tuple type must have at least one type")
		}
		for _, x := range t.Types {
			v, err := c.valTypeInfo(x, &d.info)
			if err != nil {
				return typeID{}, err
			}
			d.types = append(d.types, v)
		}
	case component.DefOwn, component.DefBorrow:
		if d.res, err = c.resourceAt(t.Index); err != nil {
			return typeID{}, err
		}
		d.info.borrow = t.Kind == component.DefBorrow
		d.info.res = true
	case component.DefMap:
		if !c.feats.Has(FeatureCMMap) {
			return typeID{}, c.errf("Maps require the component model map feature")
		}
	case component.DefFixedList:
		if !c.feats.Has(FeatureCMFixedLengthLists) {
			return typeID{}, c.errf("Fixed-length lists require the component model fixed-length lists feature")
		}
		if t.Len == 0 {
			return typeID{}, c.errf("Fixed-length lists must have more than zero elements")
		}
		if t.Len > 1<<30 {
			return typeID{}, c.errf("fixed-length list element count is out of bounds (%d, at most %d)", t.Len, 1<<30)
		}
	case component.DefFuture, component.DefStream:
		if !c.feats.Has(FeatureCMAsync) {
			return typeID{}, c.errf("`%s` requires the component model async feature", defKindName(t.Kind))
		}
	}
	// The element, ok, key; the error and value.
	if t.HasElem {
		if d.elem, err = c.valTypeInfo(t.Elem, &d.info); err != nil {
			return typeID{}, err
		}
	}
	if t.HasErr {
		if d.err, err = c.valTypeInfo(t.Err, &d.info); err != nil {
			return typeID{}, err
		}
	}
	if t.Kind == component.DefStream && t.HasElem && d.elem.isPrim(component.PrimChar) {
		return typeID{}, c.errf("`stream<char>` is not valid at this time, use `stream<u8>` with a defined by encoding instead for now")
	}
	if d.info.depth > maxValueDepth {
		return typeID{}, c.errf("type nesting is too deep")
	}
	d.layout()
	if d.memSize >= maxValueBytes {
		return typeID{}, c.errf("type exceeds maximum byte size: its values take %d bytes or more with 64-bit pointers, the limit is %d", d.memSize, maxValueBytes-1)
	}
	return typeID{kind: kDefined, p: d}, nil
}

// isPrim reports whether v is primitive type p, directly or as a defined
// type that names it.
func (v valT) isPrim(p component.PrimType) bool {
	if v.prim != 0 {
		return v.prim == p
	}
	return v.id.asDef() != nil && v.id.asDef().kind == component.DefPrim && v.id.asDef().prim == p
}

// labels checks the labels of a flags or enum type.
func (c *checker) labels(ls []string, desc, clash string) error {
	seen := labelSet{}
	for _, l := range ls {
		if err := checkLabel(l, desc); err != nil {
			return c.errf("%v", err)
		}
		if prev, dup := seen.add(l); dup {
			return c.errf(clash, l, prev)
		}
	}
	return nil
}

// primOK checks that a primitive type's feature is enabled.
func (c *checker) primOK(p component.PrimType) error {
	if p == component.PrimErrorContext && !c.feats.Has(FeatureCMErrorContext) {
		return c.errf("`error-context` requires the component model error-context feature")
	}
	return nil
}

func (c *checker) funcType(t *component.FuncType) (typeID, error) {
	f := &funcType{async: t.Async, hasResult: t.HasResult, info: newInfo()}
	if t.Async && !c.feats.Has(FeatureCMAsync) {
		return typeID{}, c.errf("async component functions require the component model async feature")
	}
	seen := labelSet{}
	for _, p := range t.Params {
		if err := checkLabel(p.Name, "function parameter"); err != nil {
			return typeID{}, c.errf("%v", err)
		}
		if prev, dup := seen.add(p.Name); dup {
			return typeID{}, c.errf("function parameter name `%s` conflicts with previous parameter name `%s`", p.Name, prev)
		}
		v, err := c.valTypeInfo(p.Type, &f.info)
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
		if v.info().borrow {
			return typeID{}, c.errf("function result cannot contain a `borrow` type")
		}
		if err := f.info.combine(v.info()); err != nil {
			return typeID{}, c.errf("%v", err)
		}
		f.result = v
	}
	return typeID{kind: kFunc, p: f}, nil
}

// addType adds a type definition to the current scope.
func (c *checker) addType(t component.Type) error {
	s := c.cur()
	c.ts.defined++
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
		switch t.Rep {
		case 0x7f:
		case 0x7e:
			if !c.feats.Has(FeatureCM64) {
				return c.errf("resources with `i64` require the `cm64` feature to be enabled")
			}
		default:
			return c.errf("resources can only be represented by `i32` or `i64`")
		}
		if t.HasDtor {
			fn, err := c.coreFunc(t.Dtor)
			if err != nil {
				return err
			}
			if fn != c.ct.funcType([]vt{repType(t.Rep)}, nil) {
				return c.errf("core function %d has wrong signature for a destructor", t.Dtor)
			}
		}
		id = c.ts.newResource()
		id.asRes().rep = t.Rep
		s.definedResources = append(s.definedResources, id.asRes())
	case *component.ComponentType:
		var ct *compType
		ct, err = c.componentType(t)
		id = typeID{kind: kComponent, p: ct}
	case *component.InstanceType:
		var it *instType
		it, err = c.instanceType(t)
		id = typeID{kind: kInstance, p: it}
	}
	if err != nil {
		return err
	}
	if err := c.depthOK(idInfo(id)); err != nil {
		return err
	}
	s.types = append(s.types, id)
	return nil
}

// declScope makes the scope of a component or instance type with room
// for its imports, exports and types: many small types (a package of
// interfaces encoded as wit-component does has one per interface it uses)
// would otherwise cost more in the growth of their slices than in what
// they hold.
func declScope(k scopeKind, decls []component.Decl) *scope {
	var imports, exports, types int
	for _, d := range decls {
		switch d := d.(type) {
		case *component.ImportDecl:
			imports++
			if d.Type.Kind == component.ExternType {
				types++
			}
		case *component.ExportDecl:
			exports++
			if d.Type.Kind == component.ExternType {
				types++
			}
		case *component.TypeDecl:
			types++
		case *component.AliasDecl:
			if d.Alias.Sort == component.SortType {
				types++
			}
		}
	}
	s := newScope(k)
	s.imports = make([]item, 0, imports)
	s.exports = make([]item, 0, exports)
	s.order = make([]externRef, 0, imports+exports)
	s.types = make([]typeID, 0, types)
	return s
}

func (c *checker) componentType(t *component.ComponentType) (*compType, error) {
	c.scopes = append(c.scopes, declScope(scopeComponentType, t.Decls))
	defer func() { c.scopes = c.scopes[:len(c.scopes)-1] }()
	for _, d := range t.Decls {
		if err := c.decl(d); err != nil {
			return nil, err
		}
	}
	return c.finishComponent()
}

func (c *checker) instanceType(t *component.InstanceType) (*instType, error) {
	c.scopes = append(c.scopes, declScope(scopeInstanceType, t.Decls))
	defer func() { c.scopes = c.scopes[:len(c.scopes)-1] }()
	for _, d := range t.Decls {
		if err := c.decl(d); err != nil {
			return nil, err
		}
	}
	s := c.cur()
	return &instType{exports: s.exports, definedResources: s.definedResources, explicit: s.explicit, info: s.info}, nil
}

func (c *checker) decl(d component.Decl) error {
	switch d := d.(type) {
	case *component.CoreTypeDecl:
		return c.addCoreType(d.Type)
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
			return e, c.errf("unknown core type %d: type index out of bounds", x.Index)
		}
		mt := s.coreTypes[x.Index].mod
		if mt == nil {
			return e, c.errf("core type index %d is not a module type", x.Index)
		}
		e.id = typeID{kind: kModule, p: &modType{t: mt, size: mt.size}}
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
		if err := c.valuesSupported(); err != nil {
			return e, err
		}
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

// push adds an entity to the index space of its sort, within the
// limits of the space.
func (c *checker) push(e entity) error {
	s := c.cur()
	var err error
	switch e.kind {
	case component.ExternModule:
		err = c.limit(len(s.modules), 1, maxModules, "modules")
	case component.ExternFunc:
		err = c.limit(s.funcCount(), 1, maxFuncs, "functions")
	case component.ExternValue:
		err = c.limit(len(s.values), 1, maxValues, "values")
	case component.ExternType:
		err = c.limit(s.typeCount(), 1, maxTypes, "types")
	case component.ExternComponent:
		err = c.limit(len(s.components), 1, maxComponents, "components")
	case component.ExternInstance:
		err = c.limit(s.instanceCount(), 1, maxInstances, "instances")
	}
	if err != nil {
		return err
	}
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
	return nil
}

func (c *checker) addImport(n component.Name, e entity) error {
	s := c.cur()
	switch {
	case e.kind == component.ExternInstance:
		e.id = c.prepareInstanceImport(e.id, len(s.imports))
	case e.kind == component.ExternType && e.created.kind == kResource && e.created == e.referenced:
		s.importedResources = append(s.importedResources, resPath{e.created.asRes(), []int{len(s.imports)}})
	}
	if err := c.addEntity(n.Name, e, false); err != nil {
		return err
	}
	it, err := c.validateExtern(n, e, false)
	if err != nil {
		return err
	}
	s.order = append(s.order, externRef{true, len(s.imports)})
	s.imports = append(s.imports, it)
	return nil
}

// prepareInstanceImport gives the resources an imported instance type
// defines fresh identities, which become imported resources of the scope.
func (c *checker) prepareInstanceImport(id typeID, importIdx int) typeID {
	it := id.asInst()
	if len(it.definedResources) == 0 {
		return id
	}
	s := c.cur()
	m := newRemapping()
	var explicit map[*resource][]int
	for _, old := range it.definedResources {
		n := c.ts.newResource().asRes()
		m.resources[old] = n
		path := []int{importIdx}
		if explicit == nil {
			explicit = pathIndex(it.explicit)
		}
		if p, ok := explicit[old]; ok {
			path = append(path, p...)
		}
		s.importedResources = append(s.importedResources, resPath{n, path})
	}
	nt := &instType{exports: append([]item(nil), it.exports...), info: it.info}
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
	return typeID{kind: kInstance, p: nt}
}

// prepareInstanceExport gives resources defined by an exported instance
// type fresh identities defined by the scope.
func (c *checker) prepareInstanceExport(id typeID, exportIdx int) typeID {
	s := c.cur()
	it := id.asInst()
	if len(it.definedResources) > 0 {
		m := newRemapping()
		for _, old := range it.definedResources {
			n := c.ts.newResource().asRes()
			m.resources[old] = n
			s.definedResources = append(s.definedResources, n)
		}
		nt := &instType{exports: append([]item(nil), it.exports...), info: it.info}
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
		id = typeID{kind: kInstance, p: nt}
		it = nt
	}
	for _, p := range it.explicit {
		s.explicit = append(s.explicit, resPath{p.res, append([]int{exportIdx}, p.path...)})
	}
	return id
}

func (c *checker) addExport(n component.Name, e entity) error {
	s := c.cur()
	switch {
	case e.kind == component.ExternInstance:
		e.id = c.prepareInstanceExport(e.id, len(s.exports))
	case e.kind == component.ExternType && e.created.kind == kResource:
		if e.created == e.referenced {
			s.definedResources = append(s.definedResources, e.created.asRes())
		}
		s.explicit = append(s.explicit, resPath{e.created.asRes(), []int{len(s.exports)}})
	}
	if err := c.addEntity(n.Name, e, true); err != nil {
		return err
	}
	it, err := c.validateExtern(n, e, true)
	if err != nil {
		return err
	}
	s.order = append(s.order, externRef{false, len(s.exports)})
	s.exports = append(s.exports, it)
	return nil
}

// addEntity adds an import or export to its index space and checks that
// every type it refers to has a name among the scope's imports (or
// exports), registering the names it gives (Binary.md: "all resource
// types transitively used in the type of an export are introduced by a
// preceding importdecl or exportdecl"; wasmparser extends it to every
// type that must be named: records, variants, enums, flags, resources).
func (c *checker) addEntity(name string, e entity, export bool) error {
	if err := c.push(e); err != nil {
		return err
	}
	if !c.registerNamed(name, e, export) {
		what := "import"
		if export {
			what = "export"
		}
		return c.errf("%s not valid to be used as %s", externDesc(e.kind), what)
	}
	return nil
}

func externDesc(k component.ExternKind) string {
	return [...]string{"module", "func", "value", "type", "component", "instance"}[k]
}

// registerNamed checks that the types e refers to are named in the scope
// and records those it names (name is "" inside an instance).
func (c *checker) registerNamed(name string, e entity, export bool) bool {
	s := c.cur()
	if name != "" && e.kind == component.ExternType && e.created.kind == kResource {
		if export {
			s.exportRes.register(name, e.created)
		} else {
			s.importRes.register(name, e.created)
		}
	}
	if s.kind == scopeInstanceType {
		return true
	}
	if s.importedTypes == nil {
		s.importedTypes, s.exportedTypes = newNamedSet(), newNamedSet()
	}
	set := s.importedTypes
	if export {
		set = s.exportedTypes
	}
	switch e.kind {
	case component.ExternType:
		if !namedAny(e.referenced, set) {
			return false
		}
		s.exportedTypes.addType(e.created)
		if !export {
			s.importedTypes.addType(e.created)
		}
		return true
	case component.ExternInstance:
		for _, x := range e.id.asInst().exports {
			if !c.registerNamed("", x.e, export) {
				return false
			}
		}
		return true
	case component.ExternFunc:
		return namedFunc(e.id.asFn(), set)
	case component.ExternValue:
		return isNamedVal(e.val, set)
	}
	return true
}

// namedAny: the parts of a type must be named (a type itself need not).
func namedAny(id typeID, set *namedSet) bool {
	switch id.kind {
	case kDefined:
		return namedParts(id.asDef(), set)
	case kFunc:
		return namedFunc(id.asFn(), set)
	case kInstance:
		return namedInstance(id.asInst(), set)
	}
	return true
}

func namedInstance(it *instType, set *namedSet) bool {
	for _, x := range it.exports {
		ok := true
		switch x.e.kind {
		case component.ExternFunc:
			ok = namedFunc(x.e.id.asFn(), set)
		case component.ExternType:
			ok = namedAny(x.e.created, set)
		case component.ExternValue:
			ok = x.e.val.prim != 0 || namedParts(x.e.val.id.asDef(), set)
		case component.ExternInstance:
			ok = namedInstance(x.e.id.asInst(), set)
		}
		if !ok {
			return false
		}
	}
	return true
}

func namedFunc(f *funcType, set *namedSet) bool {
	for _, p := range f.params {
		if !isNamedVal(p.t, set) {
			return false
		}
	}
	return !f.hasResult || isNamedVal(f.result, set)
}

// namedParts: the types a defined type is made of are named.
func namedParts(d *defType, set *namedSet) bool {
	if set.parts[d] {
		return true
	}
	switch d.kind {
	case component.DefRecord:
		for _, f := range d.fields {
			if !isNamedVal(f.t, set) {
				return false
			}
		}
	case component.DefVariant:
		for _, cs := range d.cases {
			if cs.has && !isNamedVal(cs.t, set) {
				return false
			}
		}
	case component.DefTuple:
		for _, t := range d.types {
			if !isNamedVal(t, set) {
				return false
			}
		}
	case component.DefOwn, component.DefBorrow:
		return set.types[d.res]
	}
	if d.hasElem && !isNamedVal(d.elem, set) {
		return false
	}
	if d.hasErr && !isNamedVal(d.err, set) {
		return false
	}
	set.addParts(d)
	return true
}

// isNamedVal: a value type is named when it is primitive, when it is a
// record, variant, enum or flags type with a name, and when it is any
// other defined type whose parts are named.
func isNamedVal(v valT, set *namedSet) bool {
	if v.prim != 0 {
		return true
	}
	switch v.id.asDef().kind {
	case component.DefPrim:
		return true
	case component.DefRecord, component.DefVariant, component.DefEnum, component.DefFlags:
		return set.types[v.id]
	}
	return namedParts(v.id.asDef(), set)
}

// validateExtern checks an import's or export's name: its grammar, the
// attributes, what annotated names require of the type, strong
// uniqueness; and adds the item's size to the scope's.
func (c *checker) validateExtern(n component.Name, e entity, export bool) (item, error) {
	s := c.cur()
	if s.importNames == nil {
		s.importNames, s.exportNames = nameSet{}, nameSet{}
	}
	if export {
		return c.checkExtern(n, e, true, s.exportNames, s.exportRes, &s.info)
	}
	return c.checkExtern(n, e, false, s.importNames, s.importRes, &s.info)
}

// checkExtern checks a name in a context: the names before it, the
// resources they name, and the size they add up to.
func (c *checker) checkExtern(n component.Name, e entity, export bool, names nameSet, res resNames, info *typeInfo) (item, error) {
	what := "import"
	if export {
		what = "export"
	}
	it := itemOf(n, e)
	name, err := parseExtName(n.Name, c.feats)
	if err != nil {
		return it, c.errf("%s name `%s` is not a valid extern name: %v", what, n.Name, err)
	}
	if export && name.kind >= extDependency {
		return it, c.errf("name `%s` is not a valid export name", n.Name)
	}
	seen := map[byte]bool{}
	for _, a := range n.Attrs {
		if seen[a.Kind] {
			return it, c.errf("%s name `%s` has more than one attribute of kind %#x", what, n.Name, a.Kind)
		}
		seen[a.Kind] = true
	}
	if impl, ok := n.Attr(component.AttrImplements); ok {
		if !c.feats.Has(FeatureCMImplements) {
			return it, c.errf("the `cm-implements` feature is not active")
		}
		if name.kind != extLabel {
			return it, c.errf("name `%s` is not valid with `implements`", n.Name)
		}
		if e.kind != component.ExternInstance {
			return it, c.errf("only instances can have an `implements`")
		}
		in, err := parseExtName(impl, c.feats)
		if err != nil {
			return it, c.errf("`%s` is not a valid name: %v", impl, err)
		}
		if in.kind != extInterface {
			return it, c.errf("name `%s` must be an interface", impl)
		}
	}
	if _, ok := n.Attr(component.AttrVersionSuffix); ok {
		if !c.feats.Has(FeatureCMCanonNames) {
			return it, c.errf("the `cm-canon-names` feature is not active")
		}
		if e.kind != component.ExternInstance {
			return it, c.errf("only instances can have an `versionsuffix`")
		}
	}
	if _, ok := n.Attr(component.AttrExternalID); ok && !c.feats.Has(FeatureCMImplements) {
		return it, c.errf("the `cm-implements` feature is not active")
	}
	if err := c.checkAnnotated(name, it.versionSuffix, e, res); err != nil {
		return it, c.errf("%s name `%s` is not valid: %v", what, n.Name, err)
	}
	if prev, dup := names.add(name); dup {
		return it, c.errf("%s name `%s` conflicts with previous name `%s`", what, n.Name, prev)
	}
	if err := info.combine(entityInfo(e)); err != nil {
		return it, c.errf("%v", err)
	}
	return it, nil
}

// checkAnnotated checks what an interface version or a `[constructor]`,
// `[method]` or `[static]` annotation requires: a function whose result
// (constructor) or first parameter `self` (method) is the resource of
// that name in the scope.
func (c *checker) checkAnnotated(n extName, suffix string, e entity, res resNames) error {
	fn := func() (*funcType, error) {
		if e.kind != component.ExternFunc {
			return nil, fmt.Errorf("item is not a func")
		}
		return e.id.asFn(), nil
	}
	switch n.kind {
	case extInterface:
		return n.interfaceVersion(suffix)
	case extConstructor:
		f, err := fn()
		if err != nil {
			return err
		}
		if f.async {
			return fmt.Errorf("constructor function cannot be async")
		}
		if !f.hasResult {
			return fmt.Errorf("function should return one value")
		}
		var r *typeID
		if d := f.result.id.asDef(); f.result.prim == 0 && d != nil {
			switch {
			case d.kind == component.DefOwn:
				r = &d.res
			case d.kind == component.DefResult && d.hasElem && d.elem.prim == 0 && d.elem.id.asDef().kind == component.DefOwn:
				r = &d.elem.id.asDef().res
			}
		}
		if r == nil {
			return fmt.Errorf("function should return `(own $T)` or `(result (own $T))`")
		}
		return resourceNamed(*r, n.resource, res)
	case extMethod:
		f, err := fn()
		if err != nil {
			return err
		}
		if len(f.params) == 0 {
			return fmt.Errorf("function should have at least one argument")
		}
		p := f.params[0]
		if p.name != "self" {
			return fmt.Errorf("function should have a first argument called `self`")
		}
		if p.t.prim != 0 || p.t.id.asDef().kind != component.DefBorrow {
			return fmt.Errorf("function should take a first argument of `(borrow $T)`")
		}
		return resourceNamed(p.t.id.asDef().res, n.resource, res)
	case extStatic:
		if _, err := fn(); err != nil {
			return err
		}
		if !res.has(n.resource) {
			return fmt.Errorf("static resource name is not known in this context")
		}
	}
	return nil
}

func resourceNamed(id typeID, name string, res resNames) error {
	want, ok := res.nameOf(id)
	if !ok {
		return fmt.Errorf("resource used in function does not have a name in this context")
	}
	if want != name {
		return fmt.Errorf("function does not match expected resource name `%s`", want)
	}
	return nil
}

// finishComponent computes the type of the component (or component type)
// of the current scope.
func (c *checker) finishComponent() (*compType, error) {
	s := c.cur()
	ct := &compType{order: s.order, imports: s.imports, exports: s.exports, importedResources: s.importedResources, explicit: s.explicit, info: s.info}
	if len(s.definedResources) == 0 {
		return ct, nil // the checks below are about them
	}
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
	var explicit map[*resource][]int
	for _, r := range s.definedResources {
		if !free[r] {
			continue
		}
		if explicit == nil {
			explicit = pathIndex(s.explicit)
		}
		path, ok := explicit[r]
		if !ok {
			return nil, c.errf("local resource type found in export but not exported itself")
		}
		ct.definedResources = append(ct.definedResources, resPath{r, path})
	}
	return ct, nil
}

func (c *checker) alias(a component.Alias) error {
	s := c.cur()
	if s.kind != scopeComponent {
		ok := a.Kind == component.AliasExport && (a.Sort == component.SortType || a.Sort == component.SortInstance) ||
			a.Kind == component.AliasOuter && (a.Sort == component.SortType || a.Sort == component.SortCoreType)
		if !ok {
			return c.errf("aliases in a component or instance type may only refer to types or instances")
		}
	}
	switch a.Kind {
	case component.AliasExport:
		if a.Sort == component.SortValue {
			return c.valuesSupported()
		}
		if int(a.Instance) >= len(s.instances) {
			return c.errf("unknown instance %d: instance index out of bounds", a.Instance)
		}
		it := s.instances[a.Instance].asInst()
		x := it.export(a.Name)
		if x == nil {
			return c.errf("instance %d has no export named `%s`", a.Instance, a.Name)
		}
		want := map[component.Sort]component.ExternKind{component.SortFunc: component.ExternFunc, component.SortValue: component.ExternValue, component.SortType: component.ExternType,
			component.SortComponent: component.ExternComponent, component.SortInstance: component.ExternInstance, component.SortCoreModule: component.ExternModule}
		if k, ok := want[a.Sort]; !ok || k != x.e.kind {
			return c.errf("export `%s` for instance %d is not a %s", a.Name, a.Instance, a.Sort)
		}
		return c.push(x.e)
	case component.AliasCoreExport:
		return c.aliasCoreExport(a)
	}
	if int(a.Count) >= len(c.scopes) {
		return c.errf("invalid outer alias count of %d", a.Count)
	}
	o := c.scopes[len(c.scopes)-1-int(a.Count)]
	outOfBounds := func(what string) error {
		return c.errf("unknown %s %d: %s index out of bounds", what, a.Index, what)
	}
	switch a.Sort {
	case component.SortType:
		if int(a.Index) >= len(o.types) {
			return outOfBounds("type")
		}
		t := o.types[a.Index]
		// Crossing into another component, a type may not bring
		// resources along: each component is a unit of its own.
		if a.Count > 0 && c.scopes[len(c.scopes)-int(a.Count)].kind == scopeComponent {
			free := map[*resource]bool{}
			c.ts.freeResources(entity{kind: component.ExternType, referenced: t, created: t}, free)
			if len(free) > 0 {
				return c.errf("cannot alias outer type which transitively refers to resources not defined in the current component")
			}
		}
		if err := c.limit(s.typeCount(), 1, maxTypes, "types"); err != nil {
			return err
		}
		s.types = append(s.types, t)
	case component.SortCoreType:
		if int(a.Index) >= len(o.coreTypes) {
			return outOfBounds("core type")
		}
		if err := c.limit(s.typeCount(), 1, maxTypes, "types"); err != nil {
			return err
		}
		c.pushCoreType(o.coreTypes[a.Index])
	case component.SortComponent:
		if int(a.Index) >= len(o.components) {
			return outOfBounds("component")
		}
		if err := c.limit(len(s.components), 1, maxComponents, "components"); err != nil {
			return err
		}
		s.components = append(s.components, o.components[a.Index])
	case component.SortCoreModule:
		if int(a.Index) >= len(o.modules) {
			return outOfBounds("module")
		}
		if err := c.limit(len(s.modules), 1, maxModules, "modules"); err != nil {
			return err
		}
		s.modules = append(s.modules, o.modules[a.Index])
	default:
		return c.errf("outer aliases of %s are not allowed", a.Sort)
	}
	return nil
}

// valuesSupported: values (🪙: value imports and exports, the start
// function) are behind the cm-values feature, and witc does not implement
// them (their consumption rules, value definitions).
func (c *checker) valuesSupported() error {
	if !c.feats.Has(FeatureCMValues) {
		return c.errf("support for component model `value`s is not enabled")
	}
	return c.errf("component model values (cm-values) are not supported by witc")
}

// depthOK bounds the nesting of function, instance and component types
// (wasmparser's representation of a type ends at depth 127): every walk of
// a type in this package recurses at most that deep.
func (c *checker) depthOK(info typeInfo) error {
	if info.depth > maxTypeDepth {
		return c.errf("type nesting is too deep")
	}
	return nil
}

// pushCoreType adds an entry to the core type index space.
func (c *checker) pushCoreType(e coreTypeEntry) {
	s := c.cur()
	s.coreTypes = append(s.coreTypes, e)
	m := c.coreModuleOf()
	m.types = append(m.types, e.sub)
}

// repType is the core type of a resource's representation.
func repType(rep byte) vt {
	if rep == 0x7e {
		return tI64
	}
	return tI32
}
