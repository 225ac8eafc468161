package resolver

import (
	"slices"
	"strings"

	"github.com/witc-dev/witc/diag"
	"github.com/witc-dev/witc/wit"
)

// addPackage resolves one package and appends it to the Resolve. It
// reports whether that succeeded.
func (st *state) addPackage(s *source) bool {
	p := &pkgState{st: st, src: s, pkgItems: map[string]*item{}, foreignIdx: map[string]*foreignPkg{},
		anon: map[string]*wit.TypeDef{}, anonSmall: map[anonKey]*wit.TypeDef{},
		poisoned: map[*wit.TypeDef]bool{}}
	p.resolveSource()
	if p.failed {
		return false
	}
	p.dropNames()
	pu := &pusher{p: p, res: st.res, excluded: map[*wit.TypeDef]bool{}, exIface: map[*wit.Interface]bool{},
		exWorld: map[*wit.World]bool{}, own: map[*wit.TypeDef]*wit.TypeDef{}, hasBorrow: map[*wit.TypeDef]bool{}}
	if err := pu.push(); err != nil {
		return false
	}
	st.byName[s.name.String()] = pu.pkg
	return true
}

// dropNames lets go of what only resolving the package's names needed
// (its scopes, the namespaces of its files and the interning of its
// anonymous types), before the package is pushed.
func (p *pkgState) dropNames() {
	for _, ui := range p.ifaces {
		ui.lookup = nil
	}
	for _, fi := range p.foreignAll {
		if fi.it.iface != nil {
			fi.it.iface.lookup = nil
		}
	}
	p.fileItems, p.pkgItems, p.lookup = nil, nil, nil
	p.anon, p.anonSmall, p.keys = nil, nil, wit.TypeKeys{}
}

// pusher appends a resolved package to the Resolve: wit-parser's
// Remap::append.
type pusher struct {
	p        *pkgState
	res      *wit.Resolve
	pkg      *wit.Package
	excluded map[*wit.TypeDef]bool
	exIface  map[*wit.Interface]bool
	exWorld  map[*wit.World]bool
	own      map[*wit.TypeDef]*wit.TypeDef
	// hasBorrow caches whether a type contains a borrow handle.
	hasBorrow map[*wit.TypeDef]bool
}

func (pu *pusher) fail(code diag.Code, at diag.Span, format string, args ...any) error {
	return pu.p.fail(code, at, format, args...)
}

// include is wit-parser's include_stability.
func (pu *pusher) include(s wit.Stability, at diag.Span) (bool, error) {
	switch s.Kind {
	case wit.Stable:
		v := pu.pkg.Name.Version
		if v == nil {
			return false, pu.fail(diag.InvalidGate, at, "package [%s] contains a feature gate with a version specifier, so it must have a version", pu.pkg.Name)
		}
		if s.Since != nil && s.Since.Compare(v) > 0 {
			return false, pu.fail(diag.InvalidGate, at, "feature gate cannot reference unreleased version %s of package [%s] (current version %s)", s.Since, pu.pkg.Name, v)
		}
		return true, nil
	case wit.Unstable:
		return pu.p.st.featureEnabled(s.Feature), nil
	}
	return true, nil
}

func (pu *pusher) push() error {
	p := pu.p
	pu.pkg = pu.res.AddPackage(&wit.Package{Name: p.src.name, Docs: p.src.docs})
	if err := pu.foreignDeps(); err != nil {
		return err
	}
	// Room for the package's types and the `own` handles made for them.
	pu.res.Types = slices.Grow(pu.res.Types, len(p.types)+len(p.types)/8)
	for _, td := range p.types {
		ok, err := pu.include(td.Stability, td.Span)
		if err != nil {
			return err
		}
		if !ok {
			pu.excluded[td] = true
			continue
		}
		if err := pu.updateTypeDef(td); err != nil {
			return err
		}
		pu.res.AddType(td)
	}
	for _, ui := range p.ifaces {
		it := ui.it
		ok, err := pu.include(it.Stability, it.Span)
		if err != nil {
			return err
		}
		if !ok {
			pu.exIface[it] = true
			continue
		}
		it.Package = pu.pkg
		if err := pu.updateInterface(it); err != nil {
			return err
		}
		pu.res.AddInterface(it)
	}
	for _, td := range p.types {
		if !pu.excluded[td] && td.Owner.Interface != nil && pu.exIface[td.Owner.Interface] {
			return pu.fail(diag.GatedReference, td.Span, "found a reference to a interface which is excluded due to its feature not being activated; this type is not gated by a feature but its interface is")
		}
	}
	var worlds []*uworld
	for _, uw := range p.worlds {
		w := uw.w
		ok, err := pu.include(w.Stability, w.Span)
		if err != nil {
			return err
		}
		if !ok {
			pu.exWorld[w] = true
			continue
		}
		if err := pu.updateWorld(uw); err != nil {
			return err
		}
		w.Package = pu.pkg
		pu.res.AddWorld(w)
		worlds = append(worlds, uw)
	}
	for _, td := range p.types {
		if !pu.excluded[td] && td.Owner.World != nil && pu.exWorld[td.Owner.World] {
			return pu.fail(diag.GatedReference, td.Span, "found a reference to a world which is excluded due to its feature not being activated; this type is not gated by a feature but its world is")
		}
	}
	for _, uw := range worlds {
		if err := pu.includes(uw); err != nil {
			return err
		}
		if err := pu.elaborate(uw.w); err != nil {
			return err
		}
	}
	for _, ui := range p.ifaces {
		if !pu.exIface[ui.it] && ui.it.Name != "" {
			pu.pkg.Interfaces = append(pu.pkg.Interfaces, ui.it)
		}
	}
	for _, uw := range worlds {
		pu.pkg.Worlds = append(pu.pkg.Worlds, uw.w)
	}
	return nil
}

// foreignDeps checks that every item used from another package exists
// (wit-parser's process_foreign_deps).
func (pu *pusher) foreignDeps() error {
	p := pu.p
	known := func() string {
		var b strings.Builder
		for _, pk := range pu.res.Packages { // including the one being added, as wit-parser does
			b.WriteString("\n    " + pk.Name.String())
		}
		return b.String()
	}
	checkPkg := func(fp *foreignPkg) error {
		if fp.pkg == nil {
			pu.p.failed = true
			var names []string
			for _, pk := range pu.res.Packages {
				if pk != pu.pkg { // a package does not use itself by name
					names = append(names, pk.Name.String())
				}
			}
			pu.p.st.errorf(diag.UnknownPackage, fp.span, "package '%s' not found. known packages:%s", fp.name, known()).Suggestf(fp.name.String(), names)
			return errAbort
		}
		return nil
	}
	for _, world := range []bool{false, true} {
		for _, fi := range p.foreignAll {
			fp := fi.pkg
			{
				if fi.world != world {
					continue
				}
				if err := checkPkg(fp); err != nil {
					return err
				}
				enabled := false
				for _, s := range fi.stabs {
					ok, err := pu.include(s, fi.span)
					if err != nil {
						return err
					}
					if ok {
						enabled = true
						break
					}
				}
				if !enabled {
					if fi.it.iface != nil && fi.it.iface.it != nil {
						pu.exIface[fi.it.iface.it] = true
					}
					continue
				}
				if world {
					if fi.it.world.w == nil {
						var names []string
						for _, w := range fp.pkg.Worlds {
							names = append(names, w.Name)
						}
						return pu.p.failSuggest(fi.name, names, fi.span, "world '%s' not found in package '%s'", fi.name, fp.name)
					}
				} else if fi.it.iface.it == nil || fi.it.iface.it.Package == nil {
					var names []string
					for _, i := range fp.pkg.Interfaces {
						names = append(names, i.Name)
					}
					return pu.p.failSuggest(fi.name, names, fi.span, "interface '%s' not found in package '%s'", fi.name, fp.name)
				}
			}
		}
	}
	missing := false
	for _, fp := range p.foreignPkgs {
		for _, fi := range fp.items {
			if fi.world {
				continue
			}
			for _, ph := range fi.it.iface.placeholders {
				ok, err := pu.include(ph.stab, ph.span)
				if err != nil {
					return err
				}
				if ok && ph.ty == nil {
					in := fi.it.iface.it
					var names []string
					for _, td := range in.Types {
						names = append(names, td.Name)
					}
					pu.p.failed = true
					d := pu.p.st.errorf(diag.UndefinedName, ph.span, "type `%s` not defined in interface", ph.name)
					d.Notef(diag.Span{}, "the interface is `%s`", in.QualifiedName())
					d.Suggestf(ph.name, names)
					missing = true // the other names are checked too
				}
			}
		}
	}
	if missing {
		return errAbort
	}
	for _, rr := range p.requiredResources {
		cur := rr.ty
		for {
			if a, ok := cur.Kind.(*wit.Alias); ok {
				if next, ok := a.Type.(*wit.TypeDef); ok {
					cur = next
					continue
				}
			}
			break
		}
		if _, ok := cur.Kind.(*wit.Resource); !ok {
			return pu.fail(diag.NotAResource, rr.span, "type used in a handle must be a resource")
		}
	}
	return nil
}

func (pu *pusher) mapType(td *wit.TypeDef, at diag.Span) error {
	if pu.excluded[td] {
		return pu.fail(diag.GatedReference, at, "found a reference to a type which is excluded due to its feature not being activated")
	}
	return nil
}

// updateTy checks a reference and turns a reference to a resource into an
// `own` handle of it.
func (pu *pusher) updateTy(t *wit.Type, at diag.Span) error {
	td, ok := (*t).(*wit.TypeDef)
	if !ok {
		return nil
	}
	if err := pu.mapType(td, at); err != nil {
		return err
	}
	cur := td
	for {
		a, ok := cur.Kind.(*wit.Alias)
		if !ok {
			break
		}
		next, ok := a.Type.(*wit.TypeDef)
		if !ok {
			break
		}
		cur = next
	}
	if _, ok := cur.Kind.(*wit.Resource); ok {
		h := pu.own[td]
		if h == nil {
			h = pu.res.AddType(&wit.TypeDef{Kind: &wit.Handle{Kind: wit.Own, Resource: td}})
			pu.own[td] = h
		}
		*t = h
	}
	return nil
}

func (pu *pusher) updateTypeDef(td *wit.TypeDef) error {
	at := td.Span
	switch k := td.Kind.(type) {
	case *wit.Handle:
		return pu.mapType(k.Resource, at)
	case *wit.Alias:
		if t, ok := k.Type.(*wit.TypeDef); ok {
			return pu.mapType(t, at)
		}
	case *wit.Record:
		for i := range k.Fields {
			if err := pu.updateTy(&k.Fields[i].Type, k.Fields[i].Span); err != nil {
				return err
			}
		}
	case *wit.Tuple:
		for i := range k.Types {
			if err := pu.updateTy(&k.Types[i], at); err != nil {
				return err
			}
		}
	case *wit.Variant:
		for i := range k.Cases {
			if err := pu.updateTy(&k.Cases[i].Type, at); err != nil {
				return err
			}
		}
	case *wit.Option:
		return pu.updateTy(&k.Type, at)
	case *wit.List:
		return pu.updateTy(&k.Elem, at)
	case *wit.FixedList:
		return pu.updateTy(&k.Elem, at)
	case *wit.Future:
		return pu.updateTy(&k.Type, at)
	case *wit.Stream:
		return pu.updateTy(&k.Type, at)
	case *wit.Map:
		if err := pu.updateTy(&k.Key, at); err != nil {
			return err
		}
		return pu.updateTy(&k.Value, at)
	case *wit.Result:
		if err := pu.updateTy(&k.OK, at); err != nil {
			return err
		}
		return pu.updateTy(&k.Err, at)
	}
	return nil
}

func (pu *pusher) updateInterface(it *wit.Interface) error {
	kept := it.Types[:0]
	for _, td := range it.Types {
		if !pu.excluded[td] {
			kept = append(kept, td)
		}
	}
	it.Types = kept
	funcs := it.Functions[:0] // filtered in place
	for _, f := range it.Functions {
		ok, err := pu.include(f.Stability, f.Span)
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		if err := pu.updateFunction(f); err != nil {
			return err
		}
		funcs = append(funcs, f)
	}
	if len(funcs) == 0 {
		funcs = nil // as when none was kept by appending
	}
	it.Functions = funcs
	return nil
}

func (pu *pusher) updateFunction(f *wit.Function) error {
	if f.Resource != nil {
		if err := pu.mapType(f.Resource, f.Span); err != nil {
			return err
		}
	}
	for i := range f.Params {
		if err := pu.updateTy(&f.Params[i].Type, f.Span); err != nil {
			return err
		}
	}
	if err := pu.updateTy(&f.Result, f.Span); err != nil {
		return err
	}
	if pu.typeHasBorrow(f.Result) {
		return pu.fail(diag.BorrowInResult, f.Span, "function `%s` returns a type which contains a `borrow<T>` which is not supported", f.Name)
	}
	return nil
}

func (pu *pusher) typeHasBorrow(t wit.Type) bool {
	td, ok := t.(*wit.TypeDef)
	if !ok {
		return false
	}
	switch k := td.Kind.(type) {
	case *wit.Resource, *wit.Enum, *wit.Flags:
		return false // nothing inside: no need to remember it
	case *wit.Handle:
		return k.Kind == wit.Borrow
	}
	if v, ok := pu.hasBorrow[td]; ok {
		return v
	}
	pu.hasBorrow[td] = false // types are acyclic; this only guards hostile input
	var r bool
	switch k := td.Kind.(type) {
	case *wit.Alias:
		r = pu.typeHasBorrow(k.Type)
	case *wit.Variant:
		for _, c := range k.Cases {
			r = r || pu.typeHasBorrow(c.Type)
		}
	case *wit.Handle:
		r = k.Kind == wit.Borrow
	case *wit.Record:
		for _, f := range k.Fields {
			r = r || pu.typeHasBorrow(f.Type)
		}
	case *wit.Tuple:
		for _, t := range k.Types {
			r = r || pu.typeHasBorrow(t)
		}
	case *wit.List:
		r = pu.typeHasBorrow(k.Elem)
	case *wit.FixedList:
		r = pu.typeHasBorrow(k.Elem)
	case *wit.Future:
		r = pu.typeHasBorrow(k.Type)
	case *wit.Stream:
		r = pu.typeHasBorrow(k.Type)
	case *wit.Option:
		r = pu.typeHasBorrow(k.Type)
	case *wit.Map:
		r = pu.typeHasBorrow(k.Key) || pu.typeHasBorrow(k.Value)
	case *wit.Result:
		r = pu.typeHasBorrow(k.OK) || pu.typeHasBorrow(k.Err)
	}
	pu.hasBorrow[td] = r
	return r
}

// updateWorld drops gated imports and exports and checks the references of
// the rest.
func (pu *pusher) updateWorld(uw *uworld) error {
	w := uw.w
	update := func(es []wit.WorldEntry, dir string) ([]wit.WorldEntry, error) {
		var out []wit.WorldEntry
		for _, e := range es {
			at := uw.spans[dir+":"+e.Key.String()]
			if !at.IsValid() {
				at = w.Span
			}
			var stab wit.Stability
			switch it := e.Item.(type) {
			case *wit.TypeDef:
				if err := pu.mapType(it, at); err != nil {
					return nil, err
				}
				stab = it.Stability
			case *wit.Function:
				stab = it.Stability
			case *wit.WorldInterface:
				stab = it.Stability
			}
			ok, err := pu.include(stab, at)
			if err != nil {
				return nil, err
			}
			if !ok {
				continue
			}
			switch it := e.Item.(type) {
			case *wit.WorldInterface:
				if pu.exIface[it.Interface] {
					return nil, pu.fail(diag.GatedReference, at, "found a reference to a interface which is excluded due to its feature not being activated")
				}
			case *wit.Function:
				if err := pu.updateFunction(it); err != nil {
					return nil, err
				}
			}
			out = append(out, e)
		}
		return out, nil
	}
	var err error
	if w.Imports, err = update(w.Imports, "i"); err != nil {
		return err
	}
	w.Exports, err = update(w.Exports, "e")
	return err
}
