package wac

import (
	"github.com/witc-dev/witc/compose"
	"github.com/witc-dev/witc/diag"
	"github.com/witc-dev/witc/wit"
)

// worldDecl lowers `world id { items }`.
func (r *resolver) worldDecl(s *WorldDecl) (*wit.World, *diag.Diagnostic) {
	w := r.res.AddWorld(&wit.World{Name: s.ID.Name, Package: r.self, Span: s.ID.Span})
	sc := &scope{types: map[string]*wit.TypeDef{}, fns: map[string]*wit.Function{}}
	owner := wit.Owner{World: w}
	imports := map[string]bool{}
	exports := map[string]bool{}
	var includes []*Include
	var uses []*wit.TypeDef // the world's own `use` aliases
	for _, it := range s.Items {
		switch it := it.(type) {
		case *Use:
			if d := r.use(it, sc, owner, "an import", imports); d != nil {
				return nil, d
			}
			// The used types are imports of the world (and their
			// interface too: withUsedInterfaces).
			for _, u := range it.Items {
				local := u.ID
				if u.As != nil {
					local = *u.As
				}
				w.Imports = append(w.Imports, wit.WorldEntry{Key: wit.WorldKey{Name: local.Name}, Item: sc.types[local.Name]})
				uses = append(uses, sc.types[local.Name])
			}
		case *WorldImport, *WorldExport:
			path, isImport := it.(*WorldImport)
			var wp WorldItemPath
			if isImport {
				wp = path.Path
			} else {
				wp = it.(*WorldExport).Path
			}
			e, at, d := r.worldEntry(wp, sc)
			if d != nil {
				return nil, d
			}
			key := e.Key.String()
			if e.Key.Interface != nil {
				key = e.Key.Interface.QualifiedName()
			}
			if isImport {
				if imports[key] {
					return nil, r.errorf(diag.DuplicateExtern, at, "import `%s` conflicts with existing import of the same name in world `%s`", key, s.ID.Name)
				}
				imports[key] = true
				w.Imports = append(w.Imports, e)
			} else {
				if exports[key] {
					return nil, r.errorf(diag.DuplicateExtern, at, "export `%s` conflicts with existing export of the same name in world `%s`", key, s.ID.Name)
				}
				exports[key] = true
				w.Exports = append(w.Exports, e)
			}
		case *Include:
			includes = append(includes, it)
		case TypeDecl:
			fns, d := r.localType(it, sc, owner)
			if d != nil {
				return nil, d
			}
			td := sc.types[it.Name().Name]
			w.Imports = append(w.Imports, wit.WorldEntry{Key: wit.WorldKey{Name: td.Name}, Item: td})
			for _, f := range fns {
				w.Imports = append(w.Imports, wit.WorldEntry{Key: wit.WorldKey{Name: f.Name}, Item: f})
			}
		}
	}
	for _, inc := range includes {
		if d := r.include(w, inc, imports, exports); d != nil {
			return nil, d
		}
	}
	r.typesOnlyUses(w, uses)
	w.Imports = withUsedInterfaces(w.Imports, w.Exports)
	return w, nil
}

// typesOnlyUses points the world's own `use` aliases of an interface the
// world imports only through them at a copy of the interface with its
// types and no functions: wac's implicit import of a world's `use`d
// interface is an instance of its types.
func (r *resolver) typesOnlyUses(w *wit.World, uses []*wit.TypeDef) {
	full := map[*wit.Interface]bool{}
	var entries []wit.WorldEntry
	for _, e := range append(append([]wit.WorldEntry(nil), w.Imports...), w.Exports...) {
		if wi, ok := e.Item.(*wit.WorldInterface); ok {
			full[wi.Interface] = true
			entries = append(entries, e)
		}
	}
	for _, e := range withUsedInterfaces(entries, nil) {
		if wi, ok := e.Item.(*wit.WorldInterface); ok {
			full[wi.Interface] = true
		}
	}
	views := map[*wit.Interface]*wit.Interface{}
	for _, td := range uses {
		a, ok := td.Kind.(*wit.Alias)
		if !ok {
			continue
		}
		src, ok := a.Type.(*wit.TypeDef)
		if !ok || src.Owner.Interface == nil || src.Owner.Interface.Name == "" || full[src.Owner.Interface] {
			continue
		}
		x := src.Owner.Interface
		if views[x] == nil {
			views[x] = r.typesOnly(x)
		}
		if t := views[x].Type(src.Name); t != nil {
			a.Type = t
		}
	}
}

// typesOnly copies interface x's types (and none of its functions) into
// an interface of the same name.
func (r *resolver) typesOnly(x *wit.Interface) *wit.Interface {
	view := r.res.AddInterface(&wit.Interface{Name: x.Name, Package: x.Package, Docs: x.Docs})
	copies := map[*wit.TypeDef]*wit.TypeDef{}
	var ty func(t wit.Type, depth int) wit.Type
	var def func(td *wit.TypeDef, depth int) *wit.TypeDef
	def = func(td *wit.TypeDef, depth int) *wit.TypeDef {
		if c, ok := copies[td]; ok {
			return c
		}
		if td.Owner.Interface != x || depth > 100 {
			return td
		}
		c := *td
		c.Owner = wit.Owner{Interface: view}
		copies[td] = r.res.AddType(&c)
		switch k := td.Kind.(type) {
		case *wit.Alias:
			c.Kind = &wit.Alias{Type: ty(k.Type, depth+1)}
		case *wit.Record:
			n := &wit.Record{}
			for _, f := range k.Fields {
				f.Type = ty(f.Type, depth+1)
				n.Fields = append(n.Fields, f)
			}
			c.Kind = n
		case *wit.Variant:
			n := &wit.Variant{}
			for _, cs := range k.Cases {
				cs.Type = ty(cs.Type, depth+1)
				n.Cases = append(n.Cases, cs)
			}
			c.Kind = n
		case *wit.Tuple:
			n := &wit.Tuple{}
			for _, t := range k.Types {
				n.Types = append(n.Types, ty(t, depth+1))
			}
			c.Kind = n
		case *wit.List:
			c.Kind = &wit.List{Elem: ty(k.Elem, depth+1)}
		case *wit.FixedList:
			c.Kind = &wit.FixedList{Elem: ty(k.Elem, depth+1), Len: k.Len}
		case *wit.Map:
			c.Kind = &wit.Map{Key: ty(k.Key, depth+1), Value: ty(k.Value, depth+1)}
		case *wit.Option:
			c.Kind = &wit.Option{Type: ty(k.Type, depth+1)}
		case *wit.Result:
			c.Kind = &wit.Result{OK: ty(k.OK, depth+1), Err: ty(k.Err, depth+1)}
		case *wit.Future:
			c.Kind = &wit.Future{Type: ty(k.Type, depth+1)}
		case *wit.Stream:
			c.Kind = &wit.Stream{Type: ty(k.Type, depth+1)}
		case *wit.Handle:
			c.Kind = &wit.Handle{Kind: k.Kind, Resource: def(k.Resource, depth+1)}
		}
		return copies[td]
	}
	ty = func(t wit.Type, depth int) wit.Type {
		if td, ok := t.(*wit.TypeDef); ok {
			return def(td, depth)
		}
		return t
	}
	for _, td := range x.Types {
		view.Types = append(view.Types, def(td, 0))
	}
	return view
}

// withUsedInterfaces adds to a world's imports the interfaces that its
// interfaces use types from, before their users, as WIT worlds do.
func withUsedInterfaces(imports, exports []wit.WorldEntry) []wit.WorldEntry {
	have := map[*wit.Interface]bool{}
	for _, e := range imports {
		if e.Key.Interface != nil {
			have[e.Key.Interface] = true
		}
	}
	var out []wit.WorldEntry
	var visit func(i *wit.Interface, depth int)
	visit = func(i *wit.Interface, depth int) {
		if depth > 100 {
			return
		}
		for _, t := range i.Types {
			a, ok := t.Kind.(*wit.Alias)
			if !ok {
				continue
			}
			src, ok := a.Type.(*wit.TypeDef)
			if !ok || src.Owner.Interface == nil || src.Owner.Interface == i || src.Owner.Interface.Name == "" {
				continue
			}
			if u := src.Owner.Interface; !have[u] {
				have[u] = true
				visit(u, depth+1)
				out = append(out, wit.WorldEntry{Key: wit.WorldKey{Interface: u}, Item: &wit.WorldInterface{Interface: u}})
			}
		}
	}
	for _, e := range append(append([]wit.WorldEntry(nil), imports...), exports...) {
		switch it := e.Item.(type) {
		case *wit.WorldInterface:
			visit(it.Interface, 0)
		case *wit.TypeDef:
			// A world's own `use`.
			visit(&wit.Interface{Types: []*wit.TypeDef{it}}, 0)
		}
	}
	return append(out, imports...)
}

// worldEntry lowers what a world imports or exports.
func (r *resolver) worldEntry(p WorldItemPath, sc *scope) (wit.WorldEntry, diag.Span, *diag.Diagnostic) {
	switch p := p.(type) {
	case *NamedWorldItem:
		key := wit.WorldKey{Name: p.ID.Name}
		switch t := p.Type.(type) {
		case *FuncType:
			fn, d := r.funcType(t, sc, p.ID.Name)
			if d != nil {
				return wit.WorldEntry{}, p.ID.Span, d
			}
			return wit.WorldEntry{Key: key, Item: fn}, p.ID.Span, nil
		case *InlineInterface:
			iface, d := r.inlineInterface(t.Items, "")
			if d != nil {
				return wit.WorldEntry{}, p.ID.Span, d
			}
			return wit.WorldEntry{Key: key, Item: &wit.WorldInterface{Interface: iface}}, p.ID.Span, nil
		case *Ident:
			b, d := r.lookup(*t)
			if d != nil {
				return wit.WorldEntry{}, p.ID.Span, d
			}
			switch {
			case b.decl != nil && b.decl.fn != nil:
				fn := *b.decl.fn
				fn.Name = p.ID.Name
				return wit.WorldEntry{Key: key, Item: &fn}, p.ID.Span, nil
			case b.decl != nil && b.decl.iface != nil:
				return wit.WorldEntry{Key: key, Item: &wit.WorldInterface{Interface: b.decl.iface}}, p.ID.Span, nil
			}
			return wit.WorldEntry{}, p.ID.Span, r.errorf(diag.WrongKind, t.Span, "`%s` (%s) is not a function type or interface", t.Name, r.kindOf(b))
		}
	case *Ident:
		b, d := r.lookup(*p)
		if d != nil {
			return wit.WorldEntry{}, p.Span, d
		}
		if b.decl == nil || b.decl.iface == nil {
			return wit.WorldEntry{}, p.Span, r.errorf(diag.WrongKind, p.Span, "`%s` (%s) is not an interface", p.Name, r.kindOf(b))
		}
		return wit.WorldEntry{Key: wit.WorldKey{Interface: b.decl.iface}, Item: &wit.WorldInterface{Interface: b.decl.iface}}, p.Span, nil
	case *PackagePath:
		dc, _, d := r.packageItem(p)
		if d != nil {
			return wit.WorldEntry{}, p.Span, d
		}
		if dc.iface == nil {
			return wit.WorldEntry{}, p.Span, r.errorf(diag.WrongKind, p.Span, "`%s` (%s) is not an interface", p.String(), dc.kind)
		}
		return wit.WorldEntry{Key: wit.WorldKey{Interface: dc.iface}, Item: &wit.WorldInterface{Interface: dc.iface}}, p.Span, nil
	}
	return wit.WorldEntry{}, p.Pos(), nil
}

// include copies another world's imports and exports into w, renamed by
// the `with` clause.
func (r *resolver) include(w *wit.World, inc *Include, imports, exports map[string]bool) *diag.Diagnostic {
	var src *wit.World
	switch p := inc.World.(type) {
	case *Ident:
		b, d := r.lookup(*p)
		if d != nil {
			return d
		}
		if b.decl == nil || b.decl.world == nil {
			return r.errorf(diag.WrongKind, p.Span, "`%s` (%s) is not a world", p.Name, r.kindOf(b))
		}
		src = b.decl.world
	case *PackagePath:
		dc, _, d := r.packageItem(p)
		if d != nil {
			return d
		}
		if dc.world == nil {
			return r.errorf(diag.WrongKind, p.Span, "`%s` (%s) is not a world", p.String(), dc.kind)
		}
		src = dc.world
	}
	rename := map[string]string{}
	renameAt := map[string]diag.Span{}
	seen := map[string]bool{}
	for _, n := range inc.With {
		if seen[n.ID.Name] {
			return r.errorf(diag.DuplicateName, n.ID.Span, "duplicate `%s` in world include `with` clause", n.ID.Name)
		}
		seen[n.ID.Name] = true
	}
	for _, n := range inc.With {
		found := false
		for _, e := range append(append([]wit.WorldEntry(nil), src.Imports...), src.Exports...) {
			found = found || e.Key.Interface == nil && e.Key.Name == n.ID.Name
		}
		if !found {
			return r.errorf(diag.IncludeRename, n.ID.Span, "world `%s` does not have an import or export named `%s`", src.Name, n.ID.Name)
		}
		rename[n.ID.Name] = n.As.Name
		renameAt[n.As.Name] = n.As.Span
	}
	add := func(es []wit.WorldEntry, seen map[string]bool, what string, to *[]wit.WorldEntry) *diag.Diagnostic {
		for _, e := range es {
			key := e.Key.Name
			if e.Key.Interface != nil {
				key = e.Key.Interface.QualifiedName()
			} else if n, ok := rename[key]; ok {
				key = n
				e.Key.Name = n
			}
			if seen[key] {
				if e.Key.Interface != nil {
					continue // the same interface: one entry
				}
				at := inc.World.Pos()
				if s, ok := renameAt[key]; ok {
					at = s
				}
				return r.errorf(diag.IncludeShadow, at, "%s `%s` from world `%s` conflicts with %s of the same name in world `%s`", what, key, src.Name, what, w.Name)
			}
			seen[key] = true
			*to = append(*to, e)
		}
		return nil
	}
	if d := add(src.Imports, imports, "import", &w.Imports); d != nil {
		return d
	}
	return add(src.Exports, exports, "export", &w.Exports)
}

// targetWorld resolves the world of the `targets` clause.
func (r *resolver) targetWorld(p *PackagePath) (*wit.World, *diag.Diagnostic) {
	dc, _, d := r.packageItem(p)
	if d != nil {
		return nil, d
	}
	if dc.world == nil {
		return nil, r.errorf(diag.WrongKind, p.Span, "`%s` (%s) is not a world", p.String(), dc.kind)
	}
	return dc.world, nil
}

// checkTargets checks that the composition conforms to world w: it
// imports only what w imports, with types w's can stand for, and exports
// everything w exports.
func (r *resolver) checkTargets(w *wit.World, at *PackagePath) *diag.Diagnostic {
	wname := at.String()
	imports, exports := worldItems(w.Imports), worldItems(w.Exports)
	inames := keys(imports)
	for _, im := range r.compositionImports() {
		m := matchImport(inames, im.Name)
		span := at.Span
		if s := r.importSpan(im.Name); s.IsValid() {
			span = s
		}
		if m == "" {
			if im.Func == nil && im.Interface == nil && im.Exports == nil {
				continue
			}
			return r.errorf(diag.WrongKind, span, "target world `%s` does not have an import named `%s`", wname, im.Name)
		}
		if !conforms(imports[m], im, true) {
			return r.errorf(diag.WrongKind, span, "import `%s` has a mismatched type for target world `%s`", im.Name, wname)
		}
	}
	for _, e := range w.Exports {
		name := e.Key.Name
		if e.Key.Interface != nil {
			name = e.Key.Interface.QualifiedName()
		}
		want := exports[name]
		if want.Func == nil && want.Interface == nil {
			continue
		}
		ex, ok := r.exports[name]
		if !ok || ex.decl != nil {
			return r.errorf(diag.UndefinedName, at.Span, "target world `%s` requires an export named `%s`", wname, name)
		}
		got := r.g.Node(ex.node).Item
		if !conforms(want, got, false) {
			return r.errorf(diag.WrongKind, ex.span, "export `%s` has a mismatched type for target world `%s`", name, wname)
		}
	}
	return nil
}

func keys(m map[string]compose.Item) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// worldItems are a world's functions and interfaces by extern name.
func worldItems(es []wit.WorldEntry) map[string]compose.Item {
	out := map[string]compose.Item{}
	for _, e := range es {
		name := e.Key.Name
		if e.Key.Interface != nil {
			name = e.Key.Interface.QualifiedName()
		}
		switch it := e.Item.(type) {
		case *wit.Function:
			out[name] = compose.Item{Name: name, Func: it}
		case *wit.WorldInterface:
			out[name] = compose.Item{Name: name, Interface: it.Interface}
		}
	}
	return out
}

// compositionImports lists the composition's imports: the explicit ones
// and the instantiations' imports given no argument.
func (r *resolver) compositionImports() []compose.Item {
	var out []compose.Item
	seen := map[string]bool{}
	for i := 0; i < r.g.Len(); i++ {
		n := r.g.Node(compose.NodeID(i))
		switch n.Kind {
		case compose.NodeImport:
			if !seen[n.Import] {
				seen[n.Import] = true
				it := n.Item
				it.Name = n.Import
				out = append(out, it)
			}
		case compose.NodeInstantiation:
			for _, im := range n.Package.Imports() {
				if _, ok := n.Arguments[im.Name]; ok || seen[im.Name] {
					continue
				}
				seen[im.Name] = true
				out = append(out, im)
			}
		}
	}
	return out
}

// conforms reports whether got matches the world's item want: the same
// function, or an interface whose types and functions are the same (for
// an import, got may have fewer; for an export, more).
func conforms(want, got compose.Item, isImport bool) bool {
	switch {
	case want.Func != nil:
		if got.Interface != nil || got.Exports != nil {
			return false
		}
		return got.Func == nil || wit.SameFunction(got.Func, want.Func, "") == nil
	case want.Interface != nil:
		if got.Func != nil {
			return false
		}
		if got.Interface == nil {
			return true
		}
		for _, wt := range want.Interface.Types {
			if gt := got.Interface.Type(wt.Name); gt != nil && wit.SameType(gt, wt, "") != nil {
				return false
			}
		}
		a, b := got.Interface, want.Interface
		if !isImport {
			a, b = b, a
		}
		// An import may not have types the world's lacks (an export may
		// not lack the world's).
		for _, t := range a.Types {
			if b.Type(t.Name) == nil {
				return false
			}
		}
		for _, f := range a.Functions {
			g := b.Function(f.Name)
			if g == nil {
				return false
			}
			if wit.SameFunction(f, g, "") != nil {
				return false
			}
		}
		return true
	}
	return true
}
