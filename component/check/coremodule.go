package check

// This file validates core modules (every section, including the code of
// their functions, corefunc.go) and gives their types: what they import
// and export, with the types of the core index spaces. Module types
// declared in components are built with the same state.

import "slices"

type tableT struct {
	elem        vt
	min, max    uint64
	hasMax, t64 bool
	shared      bool
}

type memT struct {
	min, max            uint64
	hasMax, m64, shared bool
	pageLog2            uint32
}

type globalT struct {
	t   vt
	mut bool
}

// Core entity kinds, as encoded.
const (
	ceFunc   byte = 0
	ceTable  byte = 1
	ceMemory byte = 2
	ceGlobal byte = 3
	ceTag    byte = 4
)

// coreEntity is the type of a core import or export.
type coreEntity struct {
	kind byte
	fn   int32 // func, tag: canonical function type
	tab  tableT
	mem  memT
	glob globalT
}

var coreKindNames = [...]string{"func", "table", "memory", "global", "tag"}

func (e coreEntity) desc() string { return coreKindNames[e.kind] }

type coreImport struct {
	module, name string
	e            coreEntity
}

type coreExport struct {
	name string
	e    coreEntity
}

// moduleT is the type of a core module.
type moduleT struct {
	imports   []coreImport
	importIdx map[[2]string]int // imports by module and name
	exports   []coreExport
	byName    map[string]int // exports by name
	size      uint32         // effective type size
}

// coreModule is the state of a module (or module type) being validated.
type coreModule struct {
	ct    *coreTypes
	feats Features

	types           []int32 // type index → canonical type
	funcs           []int32 // function index → canonical type
	tables          []tableT
	mems            []memT
	globals         []globalT
	tags            []int32
	importedFuncs   int
	importedGlobals int
	elems           []vt
	dataCount       int
	hasDataCount    bool
	declared        []uint64 // bit set of the functions ref.func may refer to

	imports     []coreImport
	importNames map[[2]string]int
	exports     []coreExport
	exportNames map[string]int
	size        uint32

	// During the type section: the module index of the recursion group
	// being read and its length (references into it are local).
	groupStart, groupLen int
	// skipCode leaves function bodies unread.
	skipCode bool
}

func newCoreModule(ct *coreTypes, feats Features) *coreModule {
	return &coreModule{ct: ct, feats: feats, importNames: map[[2]string]int{},
		exportNames: map[string]int{}, size: 1, groupStart: -1}
}

// declare records that ref.func may refer to function f (one of the
// module's).
func (m *coreModule) declare(f uint32) {
	w := int(f / 64)
	if w >= len(m.declared) {
		m.declared = append(m.declared, make([]uint64, max(w+1, (len(m.funcs)+63)/64)-len(m.declared))...)
	}
	m.declared[w] |= 1 << (f % 64)
}

// isDeclared reports whether ref.func may refer to function f.
func (m *coreModule) isDeclared(f uint32) bool {
	w := int(f / 64)
	return w < len(m.declared) && m.declared[w]&(1<<(f%64)) != 0
}

func (m *coreModule) typeOf() *moduleT {
	return &moduleT{imports: m.imports, importIdx: m.importNames, exports: m.exports, byName: m.exportNames, size: m.size}
}

func (m *coreModule) need(r *creader, f Features, msg string) error {
	if !m.feats.Has(f) {
		return r.errf("%s", msg)
	}
	return nil
}

// heapType reads a heap type: an abstract one or a type index.
func (m *coreModule) heapType(r *creader) (heapType, error) {
	c, err := r.peek()
	if err != nil {
		return heapType{}, err
	}
	shared := false
	if c == 0x65 {
		return heapType{}, r.errf("shared types require the shared-everything-threads proposal, which witc does not support")
	}
	if c == 0x62 {
		return heapType{}, r.errf("exact reference types require the custom descriptors proposal, which witc does not support")
	}
	if c&0xc0 == 0x40 { // a negative single byte: abstract
		r.pos++
		a, ok := map[byte]absHeap{0x70: hFunc, 0x6f: hExtern, 0x6e: hAny, 0x71: hNone, 0x72: hNoExtern, 0x73: hNoFunc,
			0x6d: hEq, 0x6c: hI31, 0x6b: hStruct, 0x6a: hArray, 0x69: hExn, 0x74: hNoExn}[c]
		if !ok {
			r.pos--
			return heapType{}, r.errf("invalid heap type %#x", c)
		}
		switch a {
		case hFunc, hExtern:
		case hExn, hNoExn:
			if err := m.need(r, FeatureExceptions, "exception refs not supported without the exception handling feature"); err != nil {
				return heapType{}, err
			}
		default:
			if err := m.need(r, FeatureGC, "heap types not supported without the gc feature"); err != nil {
				return heapType{}, err
			}
		}
		return heapType{abs: a, shared: shared, idx: -1}, nil
	}
	idx, err := r.sleb(33)
	if err != nil {
		return heapType{}, err
	}
	if err := m.need(r, FeatureFunctionReferences, "function references required for index reference types"); err != nil {
		return heapType{}, err
	}
	return m.typeRef(r, idx)
}

// typeRef resolves a type index: a canonical type, or (in the recursion
// group being read) a local one.
func (m *coreModule) typeRef(r *creader, idx int64) (heapType, error) {
	switch {
	case idx < 0:
	case m.groupStart >= 0 && idx >= int64(m.groupStart) && idx < int64(m.groupStart+m.groupLen):
		return heapType{idx: int32(-2 - (idx - int64(m.groupStart)))}, nil
	case idx < int64(len(m.types)) && (m.groupStart < 0 || idx < int64(m.groupStart)):
		if m.types[idx] < 0 {
			return heapType{}, r.errf("type index %d is a module type, not a sub type", idx)
		}
		return heapType{idx: m.types[idx]}, nil
	}
	return heapType{}, r.errf("unknown type %d: type index out of bounds", idx)
}

// valType reads a value type.
func (m *coreModule) valType(r *creader) (vt, error) {
	c, err := r.byte()
	if err != nil {
		return tBot, err
	}
	switch c {
	case 0x7f:
		return tI32, nil
	case 0x7e:
		return tI64, nil
	case 0x7d:
		return tF32, nil
	case 0x7c:
		return tF64, nil
	case 0x7b:
		return tV128, m.need(r, FeatureSIMD, "SIMD support is not enabled")
	case 0x63, 0x64:
		if err := m.need(r, FeatureReferenceTypes, "reference types support is not enabled"); err != nil {
			return tBot, err
		}
		h, err := m.heapType(r)
		if err != nil {
			return tBot, err
		}
		if c == 0x64 {
			if err := m.need(r, FeatureFunctionReferences, "function references required for non-nullable types"); err != nil {
				return tBot, err
			}
		}
		return vt{k: vRef, null: c == 0x63, ht: h}, nil
	}
	// Abbreviations of nullable references.
	r.pos--
	if c&0xc0 == 0x40 {
		if err := m.need(r, FeatureReferenceTypes, "reference types support is not enabled"); err != nil {
			return tBot, err
		}
		h, err := m.heapType(r)
		if err != nil {
			return tBot, err
		}
		return vt{k: vRef, null: true, ht: h}, nil
	}
	return tBot, r.errf("invalid value type %#x", c)
}

// storageType reads the storage type of a field.
func (m *coreModule) fieldType(r *creader) (fieldT, error) {
	var f fieldT
	c, err := r.peek()
	if err != nil {
		return f, err
	}
	switch c {
	case 0x78:
		r.pos++
		f.st = sI8
	case 0x77:
		r.pos++
		f.st = sI16
	default:
		if f.t, err = m.valType(r); err != nil {
			return f, err
		}
	}
	mut, err := r.byte()
	if err != nil {
		return f, err
	}
	if mut > 1 {
		return f, r.errf("invalid mutability byte %#x", mut)
	}
	f.mut = mut == 1
	return f, nil
}

// compType reads a composite type.
func (m *coreModule) compType(r *creader) (compT, error) {
	var c compT
	b, err := r.byte()
	if err != nil {
		return c, err
	}
	if b == 0x65 {
		return c, r.errf("shared types require the shared-everything-threads proposal, which witc does not support")
	}
	switch b {
	case 0x60:
		c.kind = cFunc
		n, err := r.countMax(maxCoreParams, "function params")
		if err != nil {
			return c, err
		}
		for i := 0; i < n; i++ {
			t, err := m.valType(r)
			if err != nil {
				return c, err
			}
			c.params = append(c.params, t)
		}
		if n, err = r.countMax(maxCoreResults, "function returns"); err != nil {
			return c, err
		}
		for i := 0; i < n; i++ {
			t, err := m.valType(r)
			if err != nil {
				return c, err
			}
			c.results = append(c.results, t)
		}
	case 0x5f:
		if err := m.need(r, FeatureGC, "struct indexed types not supported without the gc feature"); err != nil {
			return c, err
		}
		c.kind = cStruct
		n, err := r.countMax(maxStructFields, "struct fields")
		if err != nil {
			return c, err
		}
		for i := 0; i < n; i++ {
			f, err := m.fieldType(r)
			if err != nil {
				return c, err
			}
			c.fields = append(c.fields, f)
		}
	case 0x5e:
		if err := m.need(r, FeatureGC, "array indexed types not supported without the gc feature"); err != nil {
			return c, err
		}
		c.kind = cArray
		if c.elem, err = m.fieldType(r); err != nil {
			return c, err
		}
	case 0x5d:
		return c, r.errf("continuation types require the stack switching proposal, which witc does not support")
	case 0x4c, 0x4d:
		return c, r.errf("descriptor types require the custom descriptors proposal, which witc does not support")
	default:
		r.pos--
		return c, r.errf("invalid leading byte (%#x) for type definition", b)
	}
	return c, nil
}

// subType reads a subtype: `sub final? supers comptype`, or a bare
// composite type (final, no supertype). prefixed: at the top level of a
// component's core type section, a non-final sub is `0x00 0x50`.
func (m *coreModule) subType(r *creader, topLevelComponent bool) (subT, error) {
	st := subT{final: true, super: -1}
	b, err := r.peek()
	if err != nil {
		return st, err
	}
	if topLevelComponent && b == 0x00 {
		r.pos++
		if b, err = r.peek(); err != nil {
			return st, err
		}
		if b != 0x50 {
			return st, r.errf("invalid leading byte (%#x) for non-final sub type", b)
		}
	} else if topLevelComponent && b == 0x50 {
		return st, r.errf("invalid leading byte (0x50) for type definition")
	}
	if b == 0x50 || b == 0x4f {
		r.pos++
		if err := m.need(r, FeatureGC, "gc proposal must be enabled to use subtypes"); err != nil {
			return st, err
		}
		st.final = b == 0x4f
		n, err := r.countMax(1, "supertype idxs")
		if err != nil {
			return st, err
		}
		if n == 1 {
			idx, err := r.u32()
			if err != nil {
				return st, err
			}
			h, err := m.typeRef(r, int64(idx))
			if err != nil {
				return st, err
			}
			st.super = h.idx
		}
	}
	st.comp, err = m.compType(r)
	return st, err
}

// recGroup reads a recursion group (or a lone subtype) and adds its
// types.
func (m *coreModule) recGroup(r *creader, topLevelComponent bool) error {
	b, err := r.peek()
	if err != nil {
		return err
	}
	n := 1
	if b == 0x4e {
		r.pos++
		if err := m.need(r, FeatureGC, "rec group usage requires `gc` proposal to be enabled"); err != nil {
			return err
		}
		if n, err = r.count(); err != nil {
			return err
		}
		topLevelComponent = false
	}
	if len(m.types)+n > maxCoreTypes {
		return r.errf("types count exceeds limit of %d", maxCoreTypes)
	}
	m.groupStart, m.groupLen = len(m.types), n
	defer func() { m.groupStart, m.groupLen = -1, 0 }()
	group := make([]subT, 0, n)
	for i := 0; i < n; i++ {
		st, err := m.subType(r, topLevelComponent)
		if err != nil {
			return err
		}
		if st.super <= -2 && -2-st.super >= int32(i) {
			return r.errf("supertype must be defined before the type that declares it")
		}
		group = append(group, st)
	}
	first, fresh := m.ct.addGroup(group, m.groupStart)
	for i := 0; i < n; i++ {
		id := first + int32(i)
		m.types = append(m.types, id)
		if fresh {
			if err := m.checkSub(r, id); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkSub checks a new type against its declared supertype.
func (m *coreModule) checkSub(r *creader, id int32) error {
	st := m.ct.at(id)
	if st.super < 0 {
		return nil
	}
	sup := m.ct.at(st.super)
	if sup.final {
		return r.errf("sub type cannot have a final super type")
	}
	if !m.ct.compMatches(&st.comp, &sup.comp) {
		return r.errf("sub type must match super type")
	}
	if st.depth > maxSubtypingDepth {
		return r.errf("sub type hierarchy too deep: found depth %d, cannot exceed depth %d", st.depth, maxSubtypingDepth)
	}
	return nil
}

// funcTypeAt is the canonical function type at type index i.
func (m *coreModule) funcTypeAt(r *creader, i uint32) (int32, error) {
	if int(i) >= len(m.types) {
		return 0, r.errf("unknown type %d: type index out of bounds", i)
	}
	id := m.types[i]
	if id < 0 {
		return 0, r.errf("type index %d is a module type, not a sub type", i)
	}
	if m.ct.at(id).comp.kind != cFunc {
		return 0, r.errf("type index %d is not a function type", i)
	}
	return id, nil
}

// limits reads the limits of a table (memory false) or memory.
func (m *coreModule) limits(r *creader, memory bool) (min, max uint64, hasMax, is64, shared bool, pageLog2 uint32, err error) {
	flags, err := r.byte()
	if err != nil {
		return
	}
	allowed := byte(0x07)
	if memory {
		allowed = 0x0f
	}
	if flags&^allowed != 0 {
		what := "table resizable"
		if memory {
			what = "memory"
		}
		err = r.errf("invalid %s limits flags", what)
		return
	}
	hasMax, shared, is64 = flags&1 != 0, flags&2 != 0, flags&4 != 0
	bits := uint(32)
	if is64 {
		bits = 64
	}
	if min, err = r.uleb(bits); err != nil {
		return
	}
	if hasMax {
		if max, err = r.uleb(bits); err != nil {
			return
		}
	}
	pageLog2 = 16
	if flags&8 != 0 {
		if pageLog2, err = r.u32(); err != nil {
			return
		}
		if err = m.need(r, FeatureCustomPageSizes, "the custom page sizes proposal must be enabled to customize a memory's page size"); err != nil {
			return
		}
		if pageLog2 != 0 && pageLog2 != 16 {
			err = r.errf("invalid custom page size")
			return
		}
	}
	if hasMax && min > max {
		err = r.errf("size minimum must not be greater than maximum")
	}
	return
}

func (m *coreModule) tableType(r *creader) (tableT, error) {
	var t tableT
	var err error
	// Tables of funcref are as old as the MVP: only other element types
	// need reference types.
	at, feats := r.pos, m.feats
	m.feats |= FeatureReferenceTypes
	t.elem, err = m.valType(r)
	m.feats = feats
	if err != nil {
		return t, err
	}
	if t.elem != tFuncref && !m.feats.Has(FeatureReferenceTypes) {
		r.pos = at
		return t, r.errf("reference types support is not enabled")
	}
	if t.elem.k != vRef {
		return t, r.errf("invalid table element type: not a reference type")
	}
	var page uint32
	if t.min, t.max, t.hasMax, t.t64, t.shared, page, err = m.limits(r, false); err != nil {
		return t, err
	}
	_ = page
	if t.t64 {
		if err := m.need(r, FeatureMemory64, "memory64 must be enabled for 64-bit tables"); err != nil {
			return t, err
		}
	}
	if t.shared {
		return t, r.errf("shared tables require the shared-everything-threads proposal, which witc does not support")
	}
	if !t.t64 && (t.min > 0xffffffff || t.hasMax && t.max > 0xffffffff) {
		return t, r.errf("table size must be at most 0xffffffff entries")
	}
	return t, nil
}

func (m *coreModule) memType(r *creader) (memT, error) {
	var t memT
	var err error
	if t.min, t.max, t.hasMax, t.m64, t.shared, t.pageLog2, err = m.limits(r, true); err != nil {
		return t, err
	}
	return t, m.checkMem(r, t)
}

func (m *coreModule) checkMem(r *creader, t memT) error {
	if t.m64 {
		if err := m.need(r, FeatureMemory64, "memory64 must be enabled for 64-bit memories"); err != nil {
			return err
		}
	}
	if t.shared {
		if err := m.need(r, FeatureThreads, "threads must be enabled for shared memories"); err != nil {
			return err
		}
	}
	// The most pages a memory may have: 2^32 bytes (2^64 for 64-bit
	// memories) in pages of 2^pageLog2 bytes.
	var most uint64
	switch {
	case t.m64 && t.pageLog2 == 0:
		most = 1<<64 - 1
	case t.m64:
		most = 1 << (64 - t.pageLog2)
	default:
		most = 1 << (32 - t.pageLog2)
	}
	if t.min > most || t.hasMax && t.max > most {
		return r.errf("memory size must be at most %#x %d-byte pages", most, uint64(1)<<t.pageLog2)
	}
	if t.shared && !t.hasMax {
		return r.errf("shared memory must have maximum size")
	}
	return nil
}

func (m *coreModule) globalType(r *creader) (globalT, error) {
	var g globalT
	var err error
	if g.t, err = m.valType(r); err != nil {
		return g, err
	}
	b, err := r.byte()
	if err != nil {
		return g, err
	}
	switch b {
	case 0, 1:
		g.mut = b == 1
	case 2, 3:
		return g, r.errf("shared globals require the shared-everything-threads proposal, which witc does not support")
	default:
		return g, r.errf("malformed mutability")
	}
	return g, nil
}

// entitySize is the size an import or export adds to a module's type.
func (m *coreModule) entitySize(e coreEntity) uint32 {
	if e.kind != ceFunc && e.kind != ceTag {
		return 1
	}
	c := &m.ct.at(e.fn).comp
	switch c.kind {
	case cStruct:
		return 2 + 2*uint32(len(c.fields))
	case cArray:
		return 3
	}
	return 2 + uint32(len(c.params)+len(c.results))
}

func (m *coreModule) addSize(r *creader, e coreEntity) error {
	sum := uint64(m.size) + uint64(m.entitySize(e))
	if sum >= maxTypeSize {
		return r.errf("effective type size exceeds the limit of %d", maxTypeSize)
	}
	m.size = uint32(sum)
	return nil
}

// externType reads the type of an import (or a module type's export).
func (m *coreModule) externType(r *creader) (coreEntity, error) {
	var e coreEntity
	k, err := r.byte()
	if err != nil {
		return e, err
	}
	e.kind = k
	switch k {
	case ceFunc:
		i, err := r.u32()
		if err != nil {
			return e, err
		}
		e.fn, err = m.funcTypeAt(r, i)
		return e, err
	case ceTable:
		e.tab, err = m.tableType(r)
	case ceMemory:
		e.mem, err = m.memType(r)
	case ceGlobal:
		e.glob, err = m.globalType(r)
	case ceTag:
		e.fn, err = m.tagType(r)
	case 0x20:
		return e, r.errf("exact function imports require the custom descriptors proposal, which witc does not support")
	default:
		r.pos--
		return e, r.errf("invalid leading byte (%#x) for external kind", k)
	}
	return e, err
}

func (m *coreModule) tagType(r *creader) (int32, error) {
	attr, err := r.byte()
	if err != nil {
		return 0, err
	}
	if attr != 0 {
		return 0, r.errf("invalid tag attributes")
	}
	i, err := r.u32()
	if err != nil {
		return 0, err
	}
	if err := m.need(r, FeatureExceptions, "exceptions proposal not enabled"); err != nil {
		return 0, err
	}
	fn, err := m.funcTypeAt(r, i)
	if err != nil {
		return 0, err
	}
	if len(m.ct.at(fn).comp.results) != 0 {
		return 0, r.errf("invalid exception type: non-empty tag result type")
	}
	return fn, nil
}

// addImport adds an import to the index spaces.
func (m *coreModule) addImport(r *creader, module, name string, e coreEntity) error {
	switch e.kind {
	case ceFunc:
		if len(m.funcs) >= maxCoreFuncs {
			return r.errf("functions count exceeds limit of %d", maxCoreFuncs)
		}
		m.funcs = append(m.funcs, e.fn)
		m.importedFuncs++
	case ceTable:
		if err := m.moreTables(r); err != nil {
			return err
		}
		m.tables = append(m.tables, e.tab)
	case ceMemory:
		if err := m.moreMemories(r); err != nil {
			return err
		}
		m.mems = append(m.mems, e.mem)
	case ceGlobal:
		m.globals = append(m.globals, e.glob)
		m.importedGlobals++
	case ceTag:
		m.tags = append(m.tags, e.fn)
	}
	if err := m.addSize(r, e); err != nil {
		return err
	}
	key := [2]string{module, name}
	if _, dup := m.importNames[key]; dup {
		m.importNames[key] = -1 // a duplicate: fine in a module, not in a component's view of it
	} else {
		m.importNames[key] = len(m.imports)
	}
	m.imports = append(m.imports, coreImport{module: module, name: name, e: e})
	return nil
}

func (m *coreModule) moreTables(r *creader) error {
	max := maxCoreTables
	if !m.feats.Has(FeatureReferenceTypes) {
		max = 1
	}
	if len(m.tables) >= max {
		if max == 1 {
			return r.errf("multiple tables")
		}
		return r.errf("tables count exceeds limit of %d", max)
	}
	return nil
}

func (m *coreModule) moreMemories(r *creader) error {
	max := maxCoreMemories
	if !m.feats.Has(FeatureMultiMemory) {
		max = 1
	}
	if len(m.mems) >= max {
		if max == 1 {
			return r.errf("multiple memories")
		}
		return r.errf("memories count exceeds limit of %d", max)
	}
	return nil
}

// addExport adds an export.
func (m *coreModule) addExport(r *creader, name string, e coreEntity) error {
	if _, dup := m.exportNames[name]; dup {
		return r.errf("duplicate export name `%s` already defined", name)
	}
	if len(m.exports) >= maxCoreExports {
		return r.errf("exports count exceeds limit of %d", maxCoreExports)
	}
	if err := m.addSize(r, e); err != nil {
		return err
	}
	m.exportNames[name] = len(m.exports)
	m.exports = append(m.exports, coreExport{name: name, e: e})
	return nil
}

// componentImports checks that no two imports have the same two names,
// which components do not allow.
func (m *coreModule) componentImports(r *creader) error {
	for _, im := range m.imports {
		if m.importNames[[2]string{im.module, im.name}] < 0 {
			return r.errf("module has a duplicate import name `%s:%s` that is not allowed in components", im.module, im.name)
		}
	}
	return nil
}

// section order: the position of each known section in a module.
var sectionOrder = map[byte]int{1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 13: 6, 6: 7, 7: 8, 8: 9, 9: 10, 12: 11, 10: 12, 11: 13}

// validateModule validates a core module and returns its type; the code
// of its functions is validated when code is set.
func validateModule(ct *coreTypes, feats Features, b []byte, code bool) (*moduleT, error) {
	m := newCoreModule(ct, feats)
	m.skipCode = !code
	r := &creader{b: b}
	if len(b) < 8 || string(b[:4]) != "\x00asm" {
		return nil, r.errf("magic header not detected: bad magic number")
	}
	if b[4] != 1 || b[5] != 0 || b[6] != 0 || b[7] != 0 {
		return nil, r.errf("unknown binary version")
	}
	r.pos = 8
	last := 0
	var funcTypes []int32 // of the functions defined
	codeSeen := false
	for !r.eof() {
		id, err := r.byte()
		if err != nil {
			return nil, err
		}
		size, err := r.u32()
		if err != nil {
			return nil, err
		}
		body, err := r.bytes(int(size))
		if err != nil {
			return nil, r.errf("section size mismatch: unexpected end of section or function")
		}
		sr := &creader{b: body, base: r.base + r.pos - len(body)}
		if id == 0 {
			if _, err := sr.name(); err != nil {
				return nil, err
			}
			continue
		}
		order, ok := sectionOrder[id]
		if !ok {
			return nil, sr.errf("malformed section id: %d", id)
		}
		if order <= last {
			return nil, sr.errf("section out of order")
		}
		last = order
		if err := m.section(id, sr, &funcTypes, &codeSeen); err != nil {
			return nil, err
		}
		if !sr.eof() {
			return nil, sr.errf("section size mismatch: unexpected content after last item")
		}
	}
	if len(funcTypes) > 0 && !codeSeen {
		return nil, r.errf("function and code section have inconsistent lengths")
	}
	if m.hasDataCount && m.dataCount != 0 && last < 13 {
		return nil, r.errf("data count and data section have inconsistent lengths")
	}
	return m.typeOf(), nil
}

func (m *coreModule) section(id byte, r *creader, funcTypes *[]int32, codeSeen *bool) error {
	switch id {
	case 1: // types
		n, err := r.countMax(maxCoreTypes, "types")
		if err != nil {
			return err
		}
		for i := 0; i < n; i++ {
			if err := m.recGroup(r, false); err != nil {
				return err
			}
		}
	case 2: // imports
		n, err := r.countMax(maxCoreImports, "imports")
		if err != nil {
			return err
		}
		for i := 0; i < n; i++ {
			if err := m.importEntry(r); err != nil {
				return err
			}
		}
	case 3: // functions
		n, err := r.countMax(maxCoreFuncs, "functions")
		if err != nil {
			return err
		}
		if len(m.funcs)+n > maxCoreFuncs {
			return r.errf("functions count exceeds limit of %d", maxCoreFuncs)
		}
		m.funcs = slices.Grow(m.funcs, n)
		for i := 0; i < n; i++ {
			ti, err := r.u32()
			if err != nil {
				return err
			}
			fn, err := m.funcTypeAt(r, ti)
			if err != nil {
				return err
			}
			m.funcs = append(m.funcs, fn)
		}
		// The imports came before: the functions defined are the last n.
		*funcTypes = m.funcs[len(m.funcs)-n:]
	case 4: // tables
		n, err := r.countMax(maxCoreTables, "tables")
		if err != nil {
			return err
		}
		for i := 0; i < n; i++ {
			if err := m.moreTables(r); err != nil {
				return err
			}
			b, err := r.peek()
			if err != nil {
				return err
			}
			if b == 0x40 {
				r.pos++
				if z, err := r.byte(); err != nil || z != 0 {
					if err == nil {
						err = r.errf("invalid table encoding")
					}
					return err
				}
				if err := m.need(r, FeatureFunctionReferences, "tables with expression initializers require the function-references proposal"); err != nil {
					return err
				}
				t, err := m.tableType(r)
				if err != nil {
					return err
				}
				if err := m.validateConst(r, t.elem); err != nil {
					return err
				}
				m.tables = append(m.tables, t)
				continue
			}
			t, err := m.tableType(r)
			if err != nil {
				return err
			}
			if !t.elem.null {
				return r.errf("type mismatch: non-defaultable element type")
			}
			m.tables = append(m.tables, t)
		}
	case 5: // memories
		n, err := r.countMax(maxCoreMemories, "memories")
		if err != nil {
			return err
		}
		for i := 0; i < n; i++ {
			if err := m.moreMemories(r); err != nil {
				return err
			}
			t, err := m.memType(r)
			if err != nil {
				return err
			}
			m.mems = append(m.mems, t)
		}
	case 13: // tags
		n, err := r.countMax(maxCoreTags, "tags")
		if err != nil {
			return err
		}
		for i := 0; i < n; i++ {
			fn, err := m.tagType(r)
			if err != nil {
				return err
			}
			m.tags = append(m.tags, fn)
		}
	case 6: // globals
		n, err := r.countMax(maxCoreGlobals, "globals")
		if err != nil {
			return err
		}
		for i := 0; i < n; i++ {
			g, err := m.globalType(r)
			if err != nil {
				return err
			}
			if err := m.validateConst(r, g.t); err != nil {
				return err
			}
			m.globals = append(m.globals, g)
		}
	case 7: // exports
		n, err := r.countMax(maxCoreExports, "exports")
		if err != nil {
			return err
		}
		for i := 0; i < n; i++ {
			name, err := r.name()
			if err != nil {
				return err
			}
			k, err := r.byte()
			if err != nil {
				return err
			}
			idx, err := r.u32()
			if err != nil {
				return err
			}
			e, err := m.exportedEntity(r, k, idx)
			if err != nil {
				return err
			}
			if err := m.addExport(r, name, e); err != nil {
				return err
			}
		}
	case 8: // start
		f, err := r.u32()
		if err != nil {
			return err
		}
		if int(f) >= len(m.funcs) {
			return r.errf("unknown function %d: start function index out of bounds", f)
		}
		c := &m.ct.at(m.funcs[f]).comp
		if len(c.params) != 0 || len(c.results) != 0 {
			return r.errf("invalid start function type")
		}
	case 9: // elements
		n, err := r.countMax(maxCoreElems, "element segments")
		if err != nil {
			return err
		}
		for i := 0; i < n; i++ {
			if err := m.elemSegment(r); err != nil {
				return err
			}
		}
	case 12: // data count
		n, err := r.u32()
		if err != nil {
			return err
		}
		if n > maxCoreDatas {
			return r.errf("data count section specifies too many data segments")
		}
		m.dataCount, m.hasDataCount = int(n), true
	case 10: // code
		*codeSeen = true
		n, err := r.count()
		if err != nil {
			return err
		}
		if n != len(*funcTypes) {
			return r.errf("function and code section have inconsistent lengths")
		}
		if m.skipCode {
			// Checking without the code (check.Component): the bodies are
			// left to the runtime's validation and to check.Validate, so
			// that checking a large component does not read (and page in)
			// all of its code.
			r.pos = len(r.b)
			return nil
		}
		for i := 0; i < n; i++ {
			size, err := r.u32()
			if err != nil {
				return err
			}
			if size > maxCoreFuncSize {
				return r.errf("function body size is out of bounds")
			}
			body, err := r.bytes(int(size))
			if err != nil {
				return err
			}
			if m.skipCode {
				continue
			}
			br := &creader{b: body, base: r.base + r.pos - len(body)}
			if err := m.validateFunc(br, (*funcTypes)[i]); err != nil {
				return err
			}
		}
	case 11: // data
		n, err := r.countMax(maxCoreDatas, "data segments")
		if err != nil {
			return err
		}
		if m.hasDataCount && n != m.dataCount {
			return r.errf("data count and data section have inconsistent lengths")
		}
		for i := 0; i < n; i++ {
			if err := m.dataSegment(r); err != nil {
				return err
			}
		}
	}
	return nil
}

// importEntry reads one entry of the import section: an import, or a
// group of them in the compact encodings.
func (m *coreModule) importEntry(r *creader) error {
	module, err := r.name()
	if err != nil {
		return err
	}
	name, err := r.name()
	if err != nil {
		return err
	}
	if name == "" && !r.eof() && (r.b[r.pos] == 0x7f || r.b[r.pos] == 0x7e) {
		form := r.b[r.pos]
		r.pos++
		var shared coreEntity
		if form == 0x7e {
			if shared, err = m.externType(r); err != nil {
				return err
			}
		}
		n, err := r.count()
		if err != nil {
			return err
		}
		for i := 0; i < n; i++ {
			item, err := r.name()
			if err != nil {
				return err
			}
			e := shared
			if form == 0x7f {
				if e, err = m.externType(r); err != nil {
					return err
				}
			}
			if err := m.addImport(r, module, item, e); err != nil {
				return err
			}
		}
		return nil
	}
	e, err := m.externType(r)
	if err != nil {
		return err
	}
	return m.addImport(r, module, name, e)
}

// exportedEntity is the type of the item a module exports.
func (m *coreModule) exportedEntity(r *creader, kind byte, idx uint32) (coreEntity, error) {
	e := coreEntity{kind: kind}
	check := func(what string, n int) error {
		if int(idx) >= n {
			return r.errf("unknown %s %d: exported %s index out of bounds", what, idx, what)
		}
		return nil
	}
	switch kind {
	case ceFunc:
		if err := check("function", len(m.funcs)); err != nil {
			return e, err
		}
		m.declare(idx)
		e.fn = m.funcs[idx]
	case ceTable:
		if err := check("table", len(m.tables)); err != nil {
			return e, err
		}
		e.tab = m.tables[idx]
	case ceMemory:
		if err := check("memory", len(m.mems)); err != nil {
			return e, err
		}
		e.mem = m.mems[idx]
	case ceGlobal:
		if err := check("global", len(m.globals)); err != nil {
			return e, err
		}
		e.glob = m.globals[idx]
	case ceTag:
		if err := check("tag", len(m.tags)); err != nil {
			return e, err
		}
		e.fn = m.tags[idx]
	default:
		return e, r.errf("invalid external kind %#x", kind)
	}
	return e, nil
}

// elemSegment reads and validates an element segment.
func (m *coreModule) elemSegment(r *creader) error {
	flags, err := r.u32()
	if err != nil {
		return err
	}
	if flags > 7 {
		return r.errf("invalid flags byte in element segment")
	}
	active := flags&1 == 0
	declarative := flags&3 == 3
	exprs := flags&4 != 0
	table := uint32(0)
	if active && flags&2 != 0 {
		if table, err = r.u32(); err != nil {
			return err
		}
	}
	if !active {
		if err := m.need(r, FeatureBulkMemory, "bulk memory must be enabled"); err != nil {
			return err
		}
	}
	var tab tableT
	if active {
		if int(table) >= len(m.tables) {
			return r.errf("unknown table %d: table index out of bounds", table)
		}
		tab = m.tables[table]
		if err := m.validateConst(r, tab.addr()); err != nil {
			return err
		}
	}
	et := tFuncref
	if flags&3 != 0 { // an element kind or type
		if exprs {
			if et, err = m.valType(r); err != nil {
				return err
			}
			if et.k != vRef {
				return r.errf("malformed reference type")
			}
		} else {
			k, err := r.byte()
			if err != nil {
				return err
			}
			if k != 0 {
				return r.errf("invalid element kind %#x", k)
			}
		}
	}
	if !exprs {
		et = vt{k: vRef, null: false, ht: heapType{abs: hFunc, idx: -1}}
	}
	if active && !m.ct.valSub(et, tab.elem) {
		return r.errf("type mismatch: invalid element type `%s` for table type `%s`", m.ct.vtString(et), m.ct.vtString(tab.elem))
	}
	n, err := r.count()
	if err != nil {
		return err
	}
	if n > maxCoreTableEntries {
		return r.errf("number of elements is out of bounds")
	}
	for i := 0; i < n; i++ {
		if exprs {
			if err := m.validateConst(r, et); err != nil {
				return err
			}
			continue
		}
		f, err := r.u32()
		if err != nil {
			return err
		}
		if int(f) >= len(m.funcs) {
			return r.errf("unknown function %d: func index out of bounds", f)
		}
		m.declare(f)
	}
	_ = declarative
	m.elems = append(m.elems, et)
	return nil
}

// commonDataLen is the length of the data segment at the start of b when
// it is the common one: active in memory 0, a 32-bit memory, at
// `i32.const n end` (n in at most 4 bytes, always in range), with fewer
// than 2^28 bytes, all there. It is 0 for any other segment, left to
// dataSegment's general reading.
func (m *coreModule) commonDataLen(b []byte) int {
	if len(b) < 5 || b[0] != 0 || b[1] != 0x41 || len(m.mems) == 0 || m.mems[0].m64 {
		return 0
	}
	i := 2 // the last byte of n
	for i < 6 && i < len(b) && b[i]&0x80 != 0 {
		i++
	}
	if i == 6 || i+1 >= len(b) || b[i+1] != 0x0b {
		return 0
	}
	size := 0
	for j, shift := i+2, 0; j < len(b) && shift < 28; j, shift = j+1, shift+7 {
		size |= int(b[j]&0x7f) << shift
		if b[j]&0x80 == 0 {
			if size > len(b)-j-1 {
				return 0
			}
			return j + 1 + size
		}
	}
	return 0
}

// dataSegment reads and validates a data segment.
func (m *coreModule) dataSegment(r *creader) error {
	if n := m.commonDataLen(r.b[r.pos:]); n > 0 {
		r.pos += n
		return nil
	}
	flags, err := r.u32()
	if err != nil {
		return err
	}
	switch flags {
	case 0, 2:
		mem := uint32(0)
		if flags == 2 {
			if mem, err = r.u32(); err != nil {
				return err
			}
		}
		if int(mem) >= len(m.mems) {
			return r.errf("unknown memory %d: memory index out of bounds", mem)
		}
		if err := m.validateConst(r, m.mems[mem].addr()); err != nil {
			return err
		}
	case 1:
		if err := m.need(r, FeatureBulkMemory, "passive data segments require the bulk-memory proposal"); err != nil {
			return err
		}
	default:
		return r.errf("invalid flags byte in data segment")
	}
	n, err := r.u32()
	if err != nil {
		return err
	}
	_, err = r.bytes(int(n))
	return err
}
