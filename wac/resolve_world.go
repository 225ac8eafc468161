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
	for _, it := range s.Items {
		switch it := it.(type) {
		case *Use:
			if d := r.use(it, sc, owner, "an import", imports); d != nil {
				return nil, d
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
	w.Imports = withUsedInterfaces(w.Imports, w.Exports)
	return w, nil
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
		if wi, ok := e.Item.(*wit.WorldInterface); ok {
			visit(wi.Interface, 0)
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
// function, or an interface whose functions are the same (for an import,
// got may have fewer; for an export, more).
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
