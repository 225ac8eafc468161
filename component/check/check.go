package check

import (
	"fmt"
	"slices"
	"sync"

	"github.com/witc-dev/witc/component"
)

// Types is the type information of a component: the types of its imports
// and exports, with the identities the component model gives them, and the
// index spaces of its component definitions (see Spaces).
type Types struct {
	ts   *typeStore
	ct   *coreTypes
	top  *compType
	defs map[*component.Component]*scope

	mu   sync.Mutex // guards conv
	conv *witConv   // the WIT types Spaces hands out, made on demand

	// work and defined are what the check added to the type store's
	// budget (see typeStore.work): a Session that reuses the type adds
	// them again, as checking the component there would.
	work, defined int
}

// Component type-checks c: it computes the types of every index space,
// checking indices, kinds and canonical options along the way, and returns
// the component's types.
//
// The code of core functions is not validated (Validate does it; a
// runtime compiles and validates it anyway): every other part of the core
// modules is.
func Component(c *component.Component) (*Types, error) {
	return componentFeatures(c, AllFeatures, false)
}

func componentFeatures(c *component.Component, feats Features, code bool) (*Types, error) {
	return checkIn(newTypeStore(), c, feats, code, nil)
}

// checkIn checks c with the identities of type store ts (whose budget
// starts afresh); the components of known nested in c are not checked
// again.
func checkIn(ts *typeStore, c *component.Component, feats Features, code bool, known map[*component.Component]*Types) (*Types, error) {
	ts.work, ts.defined, ts.err = 0, 0, nil
	ch := &checker{ts: ts, defs: map[*component.Component]*scope{}, feats: feats, ct: ts.ct, code: code, known: known}
	ch.scopes = []*scope{newScope(scopeComponent)}
	if err := ch.component(c, "component"); err != nil {
		return nil, err
	}
	ct, err := ch.finishComponent()
	if err != nil {
		return nil, err
	}
	return &Types{ts: ch.ts, ct: ch.ct, top: ct, defs: ch.defs, work: ts.work, defined: ts.defined}, nil
}

// Session checks components that share their type identities, so that a
// component checked in the session and then nested as it is (the same
// *component.Component, unchanged) in another component checked in the
// session is not checked a second time: its type is reused. compose
// checks its inputs, then the composition that nests them, this way.
//
// A session checks as Component does. It is not safe for concurrent use,
// and neither are the Types of its checks while it checks another
// component; it keeps the Types of every component it checked.
type Session struct {
	ts   *typeStore
	done map[*component.Component]*Types
}

// NewSession returns an empty session.
func NewSession() *Session {
	return &Session{ts: newTypeStore(), done: map[*component.Component]*Types{}}
}

// Component type-checks c as Component does, reusing the types of the
// components checked earlier in the session that c nests.
func (s *Session) Component(c *component.Component) (*Types, error) {
	t, err := checkIn(s.ts, c, AllFeatures, false, s.done)
	if err != nil {
		return nil, err
	}
	s.done[c] = t
	return t, nil
}

func (c *checker) component(comp *component.Component, where string) error {
	for si, sec := range comp.Sections {
		c.where, c.sectionIdx = where, si
		if err := c.section(sec, where); err != nil {
			return err
		}
		if c.ts.err != nil {
			return c.errf("%v", c.ts.err)
		}
	}
	c.defs[comp] = c.cur()
	return nil
}

func (c *checker) section(sec component.Section, where string) error {
	s := c.cur()
	switch sec := sec.(type) {
	case *component.StartSection:
		return c.start(sec)
	case *component.CustomSection:
	case *component.ModuleSection:
		if err := c.limit(len(s.modules), 1, maxModules, "modules"); err != nil {
			return err
		}
		if err := c.addModule(sec.Bytes, sec.Offset); err != nil {
			return err
		}
	case *component.CoreInstanceSection:
		if err := c.limit(s.instanceCount(), len(sec.Instances), maxInstances, "instances"); err != nil {
			return err
		}
		for _, ci := range sec.Instances {
			if err := c.coreInstance(ci); err != nil {
				return c.errf("core instance %d: %v", len(s.coreInsts), errMsg(err))
			}
		}
	case *component.CoreTypeSection:
		if err := c.limit(s.typeCount(), len(sec.Types), maxTypes, "types"); err != nil {
			return err
		}
		for _, t := range sec.Types {
			if err := c.addCoreType(t); err != nil {
				return err
			}
		}
	case *component.ComponentSection:
		if err := c.limit(len(s.components), 1, maxComponents, "components"); err != nil {
			return err
		}
		if t, ok := c.known[sec.Component]; ok {
			return c.reuse(t)
		}
		idx := len(s.components)
		c.scopes = append(c.scopes, newScope(scopeComponent))
		savedWhere, savedSection := c.where, c.sectionIdx
		err := c.component(sec.Component, fmt.Sprintf("%s > component %d", where, idx))
		var ct *compType
		if err == nil {
			ct, err = c.finishComponent()
		}
		c.scopes = c.scopes[:len(c.scopes)-1]
		c.where, c.sectionIdx = savedWhere, savedSection
		if err == nil {
			err = c.depthOK(ct.info)
		}
		if err != nil {
			return err
		}
		s.components = append(s.components, typeID{kind: kComponent, p: ct})
	case *component.InstanceSection:
		if err := c.limit(s.instanceCount(), len(sec.Instances), maxInstances, "instances"); err != nil {
			return err
		}
		for _, in := range sec.Instances {
			id, err := c.instance(in)
			if err == nil {
				err = c.ts.err
			}
			if err == nil {
				err = c.depthOK(id.asInst().info)
			}
			if err != nil {
				return c.errf("instance %d: %v", len(s.instances), errMsg(err))
			}
			s.instances = append(s.instances, id)
		}
	case *component.AliasSection:
		for _, a := range sec.Aliases {
			if err := c.alias(a); err != nil {
				return err
			}
		}
	case *component.TypeSection:
		if err := c.limit(s.typeCount(), len(sec.Types), maxTypes, "types"); err != nil {
			return err
		}
		for _, t := range sec.Types {
			if err := c.addType(t); err != nil {
				return err
			}
		}
	case *component.CanonSection:
		if err := c.limit(s.funcCount(), len(sec.Funcs), maxFuncs, "functions"); err != nil {
			return err
		}
		for _, f := range sec.Funcs {
			if err := c.canon(f); err != nil {
				return err
			}
		}
	case *component.ImportSection:
		for _, im := range sec.Imports {
			e, err := c.externEntity(im.Type)
			if err != nil {
				return c.errf("import `%s`: %v", im.Name.Name, errMsg(err))
			}
			if err := c.addImport(im.Name, e); err != nil {
				return err
			}
		}
	case *component.ExportSection:
		if err := c.limit(len(s.exports), len(sec.Exports), maxExports, "exports"); err != nil {
			return err
		}
		s.exports = slices.Grow(s.exports, len(sec.Exports))
		for _, ex := range sec.Exports {
			e, err := c.exportEntity(ex)
			if err != nil {
				return c.errf("export `%s`: %v", ex.Name.Name, errMsg(err))
			}
			if err := c.addExport(ex.Name, e); err != nil {
				return err
			}
		}
	}
	return nil
}

// reuse adds a nested component checked before in the session: its type,
// the index spaces of its definitions and its share of the budget.
func (c *checker) reuse(t *Types) error {
	for def, sc := range t.defs {
		c.defs[def] = sc
	}
	c.ts.defined += t.defined
	c.ts.step(t.work) // past the budget, ts.err fails the check after this section
	if err := c.depthOK(t.top.info); err != nil {
		return err
	}
	s := c.cur()
	s.components = append(s.components, typeID{kind: kComponent, p: t.top})
	return nil
}

// Limits on the index spaces of a component, as wasmparser has them
// (crates/wasmparser/src/limits.rs).
const (
	maxModules    = 1000
	maxComponents = 1000
	maxInstances  = 1000 // core and component instances together
	maxValues     = 1000
	maxTypes      = 1_000_000 // core and component types together
	maxFuncs      = 1_000_000 // core and component functions together
	maxExports    = 1_000_000
	maxCoreItems  = 1_000_000 // core tables, memories, globals, tags
)

// limit checks that n items and add more stay within max.
func (c *checker) limit(n, add, max int, desc string) error {
	if n+add > max {
		return c.errf("%s count exceeds limit of %d", desc, max)
	}
	return nil
}

func (s *scope) instanceCount() int { return len(s.coreInsts) + len(s.instances) }
func (s *scope) typeCount() int     { return len(s.coreTypes) + len(s.types) }
func (s *scope) funcCount() int     { return len(s.coreFuncs) + len(s.funcs) }

// start checks a component's start function: behind cm-values (as
// wasmparser has it); witc supports start functions that take and give
// no values, which need none.
func (c *checker) start(sec *component.StartSection) error {
	s := c.cur()
	if !c.feats.Has(FeatureCMValues) {
		return c.errf("support for component model `value`s is not enabled")
	}
	if s.hasStart {
		return c.errf("component cannot have more than one start function")
	}
	s.hasStart = true
	if int(sec.Func) >= len(s.funcs) {
		return c.errf("unknown function %d: function index out of bounds", sec.Func)
	}
	ft := s.funcs[sec.Func].asFn()
	if len(ft.params) != len(sec.Args) {
		return c.errf("component start function requires %d arguments but was given %d", len(ft.params), len(sec.Args))
	}
	n := uint32(0)
	if ft.hasResult {
		n = 1
	}
	if n != sec.Results {
		return c.errf("component start function has a result count of %d but the function type has a result count of %d", sec.Results, n)
	}
	if len(sec.Args) > 0 || n > 0 {
		return c.valuesSupported()
	}
	return nil
}

// errMsg strips the location of a nested typeError (the caller adds its own).
func errMsg(err error) string {
	if te, ok := err.(*typeError); ok {
		return te.Msg
	}
	return err.Error()
}

// entityAt is the entity a sort index of the current scope refers to, as an
// instantiation argument or a bundle export (type: referenced = created).
func (c *checker) entityAt(si component.SortIdx) (entity, error) {
	s := c.cur()
	check := func(n int) error {
		if int(si.Index) >= n {
			return c.errf("%s index %d out of range (%d defined)", si.Sort, si.Index, n)
		}
		return nil
	}
	switch si.Sort {
	case component.SortFunc:
		if err := check(len(s.funcs)); err != nil {
			return entity{}, err
		}
		return entity{kind: component.ExternFunc, id: s.funcs[si.Index]}, nil
	case component.SortInstance:
		if err := check(len(s.instances)); err != nil {
			return entity{}, err
		}
		return entity{kind: component.ExternInstance, id: s.instances[si.Index]}, nil
	case component.SortComponent:
		if err := check(len(s.components)); err != nil {
			return entity{}, err
		}
		return entity{kind: component.ExternComponent, id: s.components[si.Index]}, nil
	case component.SortCoreModule:
		if err := check(len(s.modules)); err != nil {
			return entity{}, err
		}
		return entity{kind: component.ExternModule, id: s.modules[si.Index]}, nil
	case component.SortValue:
		if err := c.valuesSupported(); err != nil {
			return entity{}, err
		}
		if err := check(len(s.values)); err != nil {
			return entity{}, err
		}
		return entity{kind: component.ExternValue, val: s.values[si.Index]}, nil
	case component.SortType:
		if err := check(len(s.types)); err != nil {
			return entity{}, err
		}
		t := s.types[si.Index]
		return entity{kind: component.ExternType, referenced: t, created: t}, nil
	}
	return entity{}, c.errf("%s cannot be used here", si.Sort)
}

func (c *checker) instance(in component.Instance) (typeID, error) {
	s := c.cur()
	if !in.Instantiate {
		// A bag of exports names no resources of its own: annotated
		// names cannot refer to any (wasmparser checks them in an empty
		// context, too).
		it := &instType{info: newInfo()}
		names := nameSet{}
		for _, x := range in.Exports {
			e, err := c.entityAt(x.Item)
			if err != nil {
				return typeID{}, err
			}
			if _, err := c.checkExtern(x.Name, e, true, names, resNames{}, &it.info); err != nil {
				return typeID{}, err
			}
			switch {
			case e.kind == component.ExternInstance:
				for _, p := range e.id.asInst().explicit {
					it.explicit = append(it.explicit, resPath{p.res, append([]int{len(it.exports)}, p.path...)})
				}
			case e.kind == component.ExternType && e.created.kind == kResource:
				it.explicit = append(it.explicit, resPath{e.created.asRes(), []int{len(it.exports)}})
			}
			it.exports = append(it.exports, itemOf(x.Name, e))
		}
		return typeID{kind: kInstance, p: it}, nil
	}
	if int(in.Component) >= len(s.components) {
		return typeID{}, c.errf("component index %d out of range", in.Component)
	}
	ct := s.components[in.Component].asComp()
	args := map[string]entity{}
	for _, a := range in.Args {
		e, err := c.entityAt(a.Item)
		if err != nil {
			return typeID{}, fmt.Errorf("argument `%s`: %v", a.Name, errMsg(err))
		}
		if _, dup := args[a.Name]; dup {
			return typeID{}, c.errf("instantiation argument `%s` given twice", a.Name)
		}
		args[a.Name] = e
	}
	m, err := c.ts.openType(args, ct, false)
	if err != nil {
		return typeID{}, c.errf("%v", err)
	}
	// The exports are rewritten with the renamings too (a fresh cache:
	// the types rewritten so far did not have them).
	m = &remapping{resources: m.resources, renames: m.renames}
	for _, rp := range ct.definedResources {
		n := c.ts.newResource().asRes()
		m.resources[rp.res] = n
		s.definedResources = append(s.definedResources, n)
	}
	it := &instType{exports: append([]item(nil), ct.exports...), info: newInfo()}
	for i := range it.exports {
		c.ts.remapEntity(&it.exports[i].e, m)
		if err := it.info.combine(entityInfo(it.exports[i].e)); err != nil {
			return typeID{}, c.errf("%v", err)
		}
	}
	for _, p := range ct.explicit {
		np := p
		if n, ok := m.resources[p.res]; ok {
			np.res = n
		}
		it.explicit = append(it.explicit, np)
	}
	return typeID{kind: kInstance, p: it}, nil
}

// registerRenamings records, for type imports satisfied by an argument,
// that the import's type is the argument's.
func (ts *typeStore) registerRenamings(actual, expected entity, m map[typeID]typeID) {
	switch {
	case expected.kind == component.ExternType && actual.kind == component.ExternType:
		m[expected.created] = actual.created
	case expected.kind == component.ExternInstance && actual.kind == component.ExternInstance:
		for _, x := range expected.id.asInst().exports {
			if a := actual.id.asInst().export(x.name); a != nil {
				ts.registerRenamings(a.e, x.e, m)
			}
		}
	}
}

func (c *checker) exportEntity(ex component.Export) (entity, error) {
	e, err := c.entityAt(ex.Item)
	if err != nil {
		return e, err
	}
	if e.kind == component.ExternType {
		e.created = c.ts.withUnique(e.referenced)
	}
	if ex.Type == nil {
		return e, nil
	}
	asc, err := c.externEntity(*ex.Type)
	if err != nil {
		return e, err
	}
	if err := c.ts.subtype(e, asc); err != nil {
		return e, fmt.Errorf("ascribed type of export is not compatible with item's type: %v", err)
	}
	return asc, nil
}

// ExternItem is a top-level import or export of a component: its name (with
// attributes) and what kind of item it is.
type ExternItem struct {
	Name component.Name
	Kind component.ExternKind
}

// Imports lists the component's imports in order.
func (t *Types) Imports() []ExternItem { return externsOf(t.top.imports) }

// Exports lists the component's exports in order.
func (t *Types) Exports() []ExternItem { return externsOf(t.top.exports) }

func externsOf(items []item) []ExternItem {
	out := make([]ExternItem, len(items))
	for i, x := range items {
		n := component.Name{Name: x.name}
		for _, a := range []struct {
			k byte
			v string
		}{{component.AttrImplements, x.implements}, {component.AttrVersionSuffix, x.versionSuffix}, {component.AttrExternalID, x.externalID}} {
			if a.v != "" {
				n.Tag = 0x02
				n.Attrs = append(n.Attrs, component.NameAttr{Kind: a.k, Value: a.v})
			}
		}
		out[i] = ExternItem{Name: n, Kind: x.e.kind}
	}
	return out
}
