package check

import (
	"errors"
	"fmt"

	"github.com/witc-dev/witc/canonabi"
	"github.com/witc-dev/witc/component"
)

// This file is the core side of a component: its core modules (validated
// with their code), core instances and the types of what they export,
// core types and module types, aliases of core items and the core types
// of the functions canonical definitions make.

// coreTypeEntry is an entry of a component's core type index space: a
// canonical type (sub ≥ 0) or a module type.
type coreTypeEntry struct {
	sub int32
	mod *moduleT
}

// coreInst is a core instance: what it exports.
type coreInst struct {
	exports []coreExport
	byName  map[string]int
}

func (ci coreInst) export(name string) (coreEntity, bool) {
	i, ok := ci.byName[name]
	if !ok {
		return coreEntity{}, false
	}
	return ci.exports[i].e, true
}

// coreMsg is an error's message without the offset a core module error
// has (for the types built from a component's own bytes).
func coreMsg(err error) string {
	var ce *coreError
	if errors.As(err, &ce) {
		return ce.msg
	}
	return errMsg(err)
}

// coreModuleOf is the state that reads the core types of the current
// scope: its types are the scope's core types (module types are -1).
func (c *checker) coreModuleOf() *coreModule {
	s := c.cur()
	if s.coreMod == nil {
		s.coreMod = newCoreModule(c.ct, c.feats)
	}
	return s.coreMod
}

// addCoreType adds an entry of a core type section (or a declarator of a
// component or instance type).
func (c *checker) addCoreType(t component.CoreTypeDef) error {
	s := c.cur()
	m := c.coreModuleOf()
	switch t := t.(type) {
	case *component.CoreModuleType:
		mt, err := c.moduleType(t)
		if err != nil {
			return err
		}
		c.pushCoreType(coreTypeEntry{sub: -1, mod: mt})
	case *component.CoreFuncType:
		r := &creader{b: encodeCoreFunc(t)}
		if err := m.recGroup(r, true); err != nil {
			return c.errf("%s", coreMsg(err))
		}
		s.coreTypes = append(s.coreTypes, coreTypeEntry{sub: m.types[len(m.types)-1]})
	case *component.CoreRecType:
		r := &creader{b: t.Raw}
		n := len(m.types)
		if err := m.recGroup(r, true); err != nil {
			return c.errf("%s", coreMsg(err))
		}
		for _, id := range m.types[n:] {
			s.coreTypes = append(s.coreTypes, coreTypeEntry{sub: id})
		}
	}
	return nil
}

// moduleType builds a module type from its declarators.
func (c *checker) moduleType(t *component.CoreModuleType) (*moduleT, error) {
	m := newCoreModule(c.ct, c.feats)
	r := &creader{}
	for _, d := range t.Decls {
		var err error
		switch d.Kind {
		case 0x00: // import
			var e coreEntity
			if e, err = m.externType(&creader{b: encodeCoreExtern(d.Extern)}); err == nil {
				err = m.addImport(r, d.Module, d.Name, e)
			}
		case 0x01: // type
			switch dt := d.Type.(type) {
			case *component.CoreFuncType:
				err = m.recGroup(&creader{b: encodeCoreFunc(dt)}, true)
			case *component.CoreRecType:
				err = m.recGroup(&creader{b: dt.Raw}, false)
			default:
				err = r.errf("module types cannot be declared in a module type")
			}
		case 0x02: // alias outer type
			if d.Count == 0 {
				if int(d.Index) >= len(m.types) {
					err = r.errf("unknown type %d: type index out of bounds", d.Index)
				} else {
					m.types = append(m.types, m.types[d.Index])
				}
				break
			}
			if int(d.Count-1) >= len(c.scopes) {
				err = r.errf("invalid outer alias count of %d", d.Count-1)
				break
			}
			o := c.scopes[len(c.scopes)-int(d.Count)]
			switch {
			case int(d.Index) >= len(o.coreTypes):
				err = r.errf("unknown core type %d: type index out of bounds", d.Index)
			case o.coreTypes[d.Index].sub < 0:
				err = r.errf("not implemented: aliasing core module types into a core module's types index space")
			default:
				m.types = append(m.types, o.coreTypes[d.Index].sub)
			}
		case 0x03: // export
			var e coreEntity
			if e, err = m.externType(&creader{b: encodeCoreExtern(d.Extern)}); err == nil {
				err = m.addExport(r, d.Name, e)
			}
		}
		if err != nil {
			return nil, c.errf("%s", coreMsg(err))
		}
	}
	if err := m.componentImports(r); err != nil {
		return nil, c.errf("%s", coreMsg(err))
	}
	return m.typeOf(), nil
}

// encodeCoreFunc and encodeCoreExtern give back the encoding of what the
// codec decoded, for the core type reader.
func encodeCoreFunc(t *component.CoreFuncType) []byte {
	b := []byte{0x60}
	b = appendULEB(b, uint64(len(t.Params)))
	for _, v := range t.Params {
		b = appendCoreVal(b, v)
	}
	b = appendULEB(b, uint64(len(t.Results)))
	for _, v := range t.Results {
		b = appendCoreVal(b, v)
	}
	return b
}

func encodeCoreExtern(x component.CoreExtern) []byte {
	b := []byte{x.Kind}
	limits := func() {
		b = append(b, x.Flags)
		b = appendULEB(b, x.Min)
		if x.Flags&1 != 0 {
			b = appendULEB(b, x.Max)
		}
		if x.Flags&8 != 0 {
			b = appendULEB(b, uint64(x.PageSizeLog2))
		}
	}
	switch x.Kind {
	case ceFunc:
		b = appendULEB(b, uint64(x.Index))
	case ceTable:
		b = appendCoreVal(b, x.Val)
		limits()
	case ceMemory:
		limits()
	case ceGlobal:
		b = appendCoreVal(b, x.Val)
		if x.Mutable {
			b = append(b, 1)
		} else {
			b = append(b, 0)
		}
	case ceTag:
		b = append(b, 0)
		b = appendULEB(b, uint64(x.Index))
	}
	return b
}

func appendCoreVal(b []byte, v component.CoreValType) []byte {
	b = append(b, v.Code)
	if v.Code == 0x63 || v.Code == 0x64 {
		b = appendSLEB(b, v.Heap)
	}
	return b
}

func appendULEB(b []byte, v uint64) []byte {
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if v == 0 {
			return append(b, c)
		}
		b = append(b, c|0x80)
	}
}

func appendSLEB(b []byte, v int64) []byte {
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if v == 0 && c&0x40 == 0 || v == -1 && c&0x40 != 0 {
			return append(b, c)
		}
		b = append(b, c|0x80)
	}
}

// addModule validates a core module of the component, which starts at
// offset off of the input.
func (c *checker) addModule(b []byte, off int) error {
	s := c.cur()
	mt, err := validateModule(c.ct, c.feats, b, c.code)
	if err == nil {
		err = c.componentImportsOf(mt)
	}
	if err != nil {
		te := &typeError{Where: c.path(), Msg: fmt.Sprintf("core module %d: %v", len(s.modules), err), off: -1}
		var ce *coreError
		if errors.As(err, &ce) {
			te.off = off + ce.off
		}
		return te
	}
	s.modules = append(s.modules, typeID{kind: kModule, p: &modType{t: mt, size: mt.size}})
	return nil
}

// componentImportsOf: a module a component holds may not import one name
// twice.
func (c *checker) componentImportsOf(mt *moduleT) error {
	seen := make(map[[2]string]bool, len(mt.imports))
	for _, im := range mt.imports {
		k := [2]string{im.module, im.name}
		if seen[k] {
			return fmt.Errorf("module has a duplicate import name `%s:%s` that is not allowed in components", im.module, im.name)
		}
		seen[k] = true
	}
	return nil
}

// coreInstance checks a core instance definition.
func (c *checker) coreInstance(ci component.CoreInstance) error {
	s := c.cur()
	if !ci.Instantiate {
		inst := coreInst{byName: map[string]int{}}
		for _, x := range ci.Exports {
			e, err := c.coreEntityAt(x.Item)
			if err != nil {
				return err
			}
			if _, dup := inst.byName[x.Name]; dup {
				return c.errf("export name `%s` already defined", x.Name)
			}
			inst.byName[x.Name] = len(inst.exports)
			inst.exports = append(inst.exports, coreExport{name: x.Name, e: e})
		}
		s.coreInsts = append(s.coreInsts, inst)
		return nil
	}
	if int(ci.Module) >= len(s.modules) {
		return c.errf("unknown module %d: module index out of bounds", ci.Module)
	}
	args := map[string]coreInst{}
	for _, a := range ci.Args {
		if int(a.Instance) >= len(s.coreInsts) {
			return c.errf("unknown core instance %d: instance index out of bounds", a.Instance)
		}
		if _, dup := args[a.Name]; dup {
			return c.errf("duplicate module instantiation argument named `%s`", a.Name)
		}
		args[a.Name] = s.coreInsts[a.Instance]
	}
	mt := s.modules[ci.Module].asMod().t
	for _, im := range mt.imports {
		arg, ok := args[im.module]
		if !ok {
			return c.errf("missing module instantiation argument named `%s`", im.module)
		}
		ex, ok := arg.export(im.name)
		if !ok {
			return c.errf("module instantiation argument `%s` does not export an item named `%s`", im.module, im.name)
		}
		if err := c.ct.entityMatches(ex, im.e); err != nil {
			return c.errf("type mismatch for export `%s` of module instantiation argument `%s`: %v", im.name, im.module, err)
		}
	}
	s.coreInsts = append(s.coreInsts, coreInst{exports: mt.exports, byName: mt.byName})
	return nil
}

// entityMatches: can core item a be given where b is imported?
func (ct *coreTypes) entityMatches(a, b coreEntity) error {
	if a.kind != b.kind {
		return fmt.Errorf("expected %s, found %s", b.desc(), a.desc())
	}
	limits := func(amin, amax, bmin, bmax uint64, ahas, bhas bool) bool {
		return amin >= bmin && (!bhas || ahas && amax <= bmax)
	}
	switch a.kind {
	case ceFunc, ceTag:
		if !ct.isSubIdx(a.fn, b.fn) {
			return fmt.Errorf("expected: %s\nfound:    %s", ct.funcString(b.fn), ct.funcString(a.fn))
		}
	case ceTable:
		at, bt := a.tab, b.tab
		switch {
		case at.elem != bt.elem:
			return fmt.Errorf("expected table element type %s, found %s", ct.vtString(bt.elem), ct.vtString(at.elem))
		case at.shared != bt.shared:
			return fmt.Errorf("mismatch in the shared flag for tables")
		case at.t64 != bt.t64:
			return fmt.Errorf("mismatch in index type used for tables")
		case !limits(at.min, at.max, bt.min, bt.max, at.hasMax, bt.hasMax):
			return fmt.Errorf("mismatch in table limits")
		}
	case ceMemory:
		am, bm := a.mem, b.mem
		switch {
		case am.shared != bm.shared:
			return fmt.Errorf("mismatch in the shared flag for memories")
		case am.m64 != bm.m64:
			return fmt.Errorf("mismatch in index type used for memories")
		case am.pageLog2 != bm.pageLog2:
			return fmt.Errorf("mismatch in page size for memories")
		case !limits(am.min, am.max, bm.min, bm.max, am.hasMax, bm.hasMax):
			return fmt.Errorf("mismatch in memory limits")
		}
	case ceGlobal:
		if a.glob.mut != b.glob.mut {
			return fmt.Errorf("global types differ in mutability")
		}
		if a.glob.t != b.glob.t {
			return fmt.Errorf("expected global type %s, found %s", ct.vtString(b.glob.t), ct.vtString(a.glob.t))
		}
	}
	return nil
}

// coreEntityAt is the type of a core item of the scope.
func (c *checker) coreEntityAt(si component.SortIdx) (coreEntity, error) {
	s := c.cur()
	check := func(what string, n int) error {
		if int(si.Index) >= n {
			return c.errf("unknown %s %d: %s index out of bounds", what, si.Index, what)
		}
		return nil
	}
	var e coreEntity
	switch si.Sort {
	case component.SortCoreFunc:
		if err := check("function", len(s.coreFuncs)); err != nil {
			return e, err
		}
		return coreEntity{kind: ceFunc, fn: s.coreFuncs[si.Index]}, nil
	case component.SortCoreTable:
		if err := check("table", len(s.coreTables)); err != nil {
			return e, err
		}
		return coreEntity{kind: ceTable, tab: s.coreTables[si.Index]}, nil
	case component.SortCoreMemory:
		if err := check("memory", len(s.coreMems)); err != nil {
			return e, err
		}
		return coreEntity{kind: ceMemory, mem: s.coreMems[si.Index]}, nil
	case component.SortCoreGlobal:
		if err := check("global", len(s.coreGlobals)); err != nil {
			return e, err
		}
		return coreEntity{kind: ceGlobal, glob: s.coreGlobals[si.Index]}, nil
	case component.SortCoreTag:
		if err := check("tag", len(s.coreTags)); err != nil {
			return e, err
		}
		return coreEntity{kind: ceTag, fn: s.coreTags[si.Index]}, nil
	}
	return e, c.errf("a core instance cannot export a %s", si.Sort)
}

// pushCore adds a core item to its index space.
func (c *checker) pushCore(e coreEntity) error {
	s := c.cur()
	switch e.kind {
	case ceFunc:
		if err := c.limit(s.funcCount(), 1, maxFuncs, "functions"); err != nil {
			return err
		}
		s.coreFuncs = append(s.coreFuncs, e.fn)
		return nil
	case ceTable:
		s.coreTables = append(s.coreTables, e.tab)
		return c.limit(len(s.coreTables), 0, maxCoreItems, "tables")
	case ceMemory:
		s.coreMems = append(s.coreMems, e.mem)
		return c.limit(len(s.coreMems), 0, maxCoreItems, "memories")
	case ceGlobal:
		s.coreGlobals = append(s.coreGlobals, e.glob)
		return c.limit(len(s.coreGlobals), 0, maxCoreItems, "globals")
	case ceTag:
		s.coreTags = append(s.coreTags, e.fn)
		return c.limit(len(s.coreTags), 0, maxCoreItems, "tags")
	}
	return nil
}

// aliasCoreExport adds an export of a core instance to its index space.
func (c *checker) aliasCoreExport(a component.Alias) error {
	s := c.cur()
	if int(a.Instance) >= len(s.coreInsts) {
		return c.errf("unknown core instance %d: instance index out of bounds", a.Instance)
	}
	e, ok := s.coreInsts[a.Instance].export(a.Name)
	if !ok {
		return c.errf("core instance %d has no export named `%s`", a.Instance, a.Name)
	}
	want, ok := map[component.Sort]byte{component.SortCoreFunc: ceFunc, component.SortCoreTable: ceTable,
		component.SortCoreMemory: ceMemory, component.SortCoreGlobal: ceGlobal, component.SortCoreTag: ceTag}[a.Sort]
	if !ok {
		return c.errf("a core instance export cannot be aliased as a %s", a.Sort)
	}
	if e.kind != want {
		return c.errf("export `%s` for core instance %d is not a %s", a.Name, a.Instance, coreKindNames[want])
	}
	return c.pushCore(e)
}

// coreFunc is the canonical type of core function i.
func (c *checker) coreFunc(i uint32) (int32, error) {
	s := c.cur()
	if int(i) >= len(s.coreFuncs) {
		return 0, c.errf("unknown core function %d: function index out of bounds", i)
	}
	return s.coreFuncs[i], nil
}

// sigID is the canonical function type of a signature.
func (c *checker) sigID(sig *coreSig) int32 {
	conv := func(ts []canonabi.CoreType) []vt {
		out := make([]vt, len(ts))
		for i, t := range ts {
			out[i] = [...]vt{canonabi.I32: tI32, canonabi.I64: tI64, canonabi.F32: tF32, canonabi.F64: tF64}[t]
		}
		return out
	}
	return c.ct.funcType(conv(sig.params), conv(sig.results))
}

// coreSigOf is a canonical function type as canonabi sees it (ok false
// when it has other than numeric types).
func (ct *coreTypes) coreSigOf(fn int32) (*coreSig, bool) {
	cmp := &ct.at(fn).comp
	if cmp.kind != cFunc {
		return nil, false
	}
	conv := func(ts []vt) ([]canonabi.CoreType, bool) {
		out := make([]canonabi.CoreType, len(ts))
		for i, t := range ts {
			switch t.k {
			case vI32:
				out[i] = canonabi.I32
			case vI64:
				out[i] = canonabi.I64
			case vF32:
				out[i] = canonabi.F32
			case vF64:
				out[i] = canonabi.F64
			default:
				return nil, false
			}
		}
		return out, true
	}
	p, ok1 := conv(cmp.params)
	r, ok2 := conv(cmp.results)
	return &coreSig{params: p, results: r}, ok1 && ok2
}

// pushFunc adds a core function of type params → results.
func (c *checker) pushFunc(params, results []vt) {
	s := c.cur()
	s.coreFuncs = append(s.coreFuncs, c.ct.funcType(params, results))
}
