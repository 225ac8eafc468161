package resolver

import (
	"cmp"
	"fmt"

	"github.com/witc-dev/witc/diag"
	"github.com/witc-dev/witc/parser/ast"
	"github.com/witc-dev/witc/wit"
)

// resolveSource runs the package phase over one source: the analogue of
// wit-parser's ast::Resolver::resolve.
func (p *pkgState) resolveSource() {
	p.populateForeign()
	ifaces, worlds, ifaceLists, worldLists, err := p.populateItems()
	if err != nil {
		return
	}
	if p.populateForeignTypes() != nil {
		return
	}
	consume := p.st.cfg.Consume
	for i, ai := range ifaces {
		p.cur = ifaceLists[i]
		p.resolveInterface(p.ifaces[i], ai.Items, ai.Docs, ai.Attrs)
		if consume {
			ai.Items = nil
		}
	}
	for i, aw := range worlds {
		p.cur = worldLists[i]
		p.resolveWorld(p.worlds[i], aw)
		if consume {
			aw.Items = nil
		}
	}
}

// typeItem is a `use` or a type definition of an interface or world body.
type typeItem struct {
	use *ast.Use
	def ast.TypeDecl
}

func (p *pkgState) resolveInterface(ui *uiface, items []ast.InterfaceItem, docs ast.Docs, attrs []ast.Attr) error {
	it := ui.it
	it.Docs = docsOf(docs)
	stab, err := p.stability(attrs)
	if err != nil {
		return err
	}
	it.Stability = stab
	// Each item defines one name, a `use` one per name it lists.
	tis := make([]typeItem, 0, len(items))
	nnames := 0
	nfuncs := 0
	for _, x := range items {
		switch x := x.(type) {
		case *ast.Use:
			tis = append(tis, typeItem{use: x})
			nnames += len(x.Names)
		case ast.TypeDecl:
			tis = append(tis, typeItem{def: x})
			nnames++
			if r, ok := x.(*ast.ResourceDecl); ok {
				nfuncs += len(r.Funcs)
			}
		default:
			nnames++
			nfuncs++
		}
	}
	if nfuncs > 0 {
		it.Functions = make([]*wit.Function, 0, nfuncs)
	}
	p.lookup = newScopeSize(nnames)
	defer func() { ui.lookup = p.lookup; p.lookup = nil }()
	owner := wit.Owner{Interface: it}
	var failed error
	if err := p.resolveTypes(owner, tis); err == errPartial {
		failed = err
	} else if err != nil {
		return err
	}
	it.Types = make([]*wit.TypeDef, 0, len(p.lookup.entries))
	for _, e := range p.lookup.entries {
		it.Types = append(it.Types, e.ty)
	}
	// Each function is resolved even when an earlier one failed, so that
	// every error is reported.
	for _, x := range items {
		switch x := x.(type) {
		case *ast.FuncDecl:
			if !p.lookup.define(x.Name.Name, scopeEntry{fn: true, span: x.Name.Span}) {
				return p.fail(diag.DuplicateName, x.Name.Span, "name `%s` is defined more than once", x.Name.Name)
			}
			kind := wit.Freestanding
			if x.Func.Async {
				kind = wit.AsyncFreestanding
			}
			f, err := p.resolveFunction(x.Docs, x.Attrs, x.Name.Name, x.Name.Span, x.Func, kind, nil)
			if err != nil {
				failed = err
				continue
			}
			it.Functions = append(it.Functions, f)
		case *ast.ResourceDecl:
			if _, ok := p.lookup.entry(x.Name.Name).ty.Kind.(*wit.Resource); !ok {
				continue // the resource itself failed
			}
			for _, rf := range x.Funcs {
				f, err := p.resolveResourceFunc(rf, x.Name)
				if err != nil {
					failed = err
					continue
				}
				it.Functions = append(it.Functions, f)
			}
		}
	}
	return failed
}

func (p *pkgState) resolveWorld(uw *uworld, aw *ast.World) {
	w := uw.w
	w.Docs = docsOf(aw.Docs)
	stab, err := p.stability(aw.Attrs)
	if err != nil {
		return
	}
	w.Stability = stab
	p.lookup = newScope()
	defer func() { p.lookup = nil }()
	var tis []typeItem
	for _, x := range aw.Items {
		switch x := x.(type) {
		case *ast.Use:
			tis = append(tis, typeItem{use: x})
		case ast.TypeDecl:
			tis = append(tis, typeItem{def: x})
		}
	}
	if err := p.resolveTypes(wit.Owner{World: w}, tis); err != nil && err != errPartial {
		return
	}
	for _, x := range aw.Items {
		if inc, ok := x.(*ast.Include); ok {
			stab, err := p.stability(inc.Attrs)
			if err != nil {
				return
			}
			it, name, span, err := p.itemPath(&inc.From)
			if err != nil {
				return
			}
			from, err := p.worldOf(it, name, span)
			if err != nil {
				return
			}
			uw.includes = append(uw.includes, uinclude{stab: stab, from: from, names: inc.With, span: span})
		}
	}
	imports, exports := indexEntries(&w.Imports), indexEntries(&w.Exports)
	for i, name := range p.lookup.names {
		e := p.lookup.entries[i]
		if imports.find(wit.WorldKey{Name: name}) >= 0 {
			p.fail(diag.DuplicateExtern, e.span, "import `%s` conflicts with prior import of same name", name)
			return
		}
		imports.add(wit.WorldEntry{Key: wit.WorldKey{Name: name}, Item: e.ty})
		uw.spans["i:"+name] = e.span
	}
	seen := map[ast.ExternDir]map[*wit.Interface]bool{ast.Import: {}, ast.Export: {}}
	for _, x := range aw.Items {
		switch x := x.(type) {
		case *ast.ResourceDecl:
			if _, ok := p.lookup.entry(x.Name.Name).ty.Kind.(*wit.Resource); !ok {
				continue // the resource itself failed
			}
			for _, rf := range x.Funcs {
				f, err := p.resolveResourceFunc(rf, x.Name)
				if err != nil {
					continue // reported; go on with the other items
				}
				imports.add(wit.WorldEntry{Key: wit.WorldKey{Name: f.Name}, Item: f})
			}
		case *ast.Extern:
			item, key, err := p.resolveExtern(x)
			if err != nil {
				continue // reported; go on with the other items
			}
			if key.Interface != nil {
				if seen[x.Dir][key.Interface] {
					p.fail(diag.DuplicateExtern, x.Path.Span, "interface cannot be %sed more than once", x.Dir)
					return
				}
				seen[x.Dir][key.Interface] = true
			}
			dst := imports
			if x.Dir == ast.Export {
				dst = exports
			}
			if i := dst.find(key); i >= 0 {
				prev := "interface"
				switch (*dst.es)[i].Item.(type) {
				case *wit.Function:
					prev = "func"
				case *wit.TypeDef:
					prev = "type"
				}
				p.fail(diag.DuplicateExtern, externSpan(x), "%s `%s` conflicts with prior %s of same name", x.Dir, key.Name, prev)
				return
			}
			dst.add(wit.WorldEntry{Key: key, Item: item})
			uw.spans[x.Dir.String()[:1]+":"+key.String()] = externSpan(x)
		}
	}
}

func externSpan(x *ast.Extern) diag.Span {
	switch {
	case x.Func != nil:
		return diag.Join(x.Name.Span, x.Func.Span)
	case x.Inline != nil:
		return diag.Join(x.Name.Span, x.Inline.Span)
	case x.Name != nil:
		return diag.Join(x.Name.Span, x.Path.Span)
	}
	return x.Path.Span
}

// entryIndex finds a world's imports or exports by key without a scan (a
// world may have tens of thousands); entries must be appended through it.
type entryIndex struct {
	es *[]wit.WorldEntry
	at map[wit.WorldKey]int
}

func indexEntries(es *[]wit.WorldEntry) *entryIndex {
	x := &entryIndex{es: es, at: make(map[wit.WorldKey]int, len(*es))}
	for i, e := range *es {
		if _, dup := x.at[indexKey(e.Key)]; !dup {
			x.at[indexKey(e.Key)] = i
		}
	}
	return x
}

// indexKey is k as a map key: keys are equal (WorldKey.Equal) when they
// name the same interface, or else the same name.
func indexKey(k wit.WorldKey) wit.WorldKey {
	if k.Interface != nil {
		return wit.WorldKey{Interface: k.Interface}
	}
	return wit.WorldKey{Name: k.Name}
}

// find returns the index of the first entry with key k, or -1.
func (x *entryIndex) find(k wit.WorldKey) int {
	if i, ok := x.at[indexKey(k)]; ok {
		return i
	}
	return -1
}

func (x *entryIndex) add(e wit.WorldEntry) {
	if _, dup := x.at[indexKey(e.Key)]; !dup {
		x.at[indexKey(e.Key)] = len(*x.es)
	}
	*x.es = append(*x.es, e)
}

// resolveExtern resolves one import or export of a world to its item and key.
func (p *pkgState) resolveExtern(x *ast.Extern) (wit.WorldItem, wit.WorldKey, error) {
	switch {
	case x.Inline != nil:
		saved := p.lookup
		ui := &uiface{it: &wit.Interface{Span: x.Name.Span}}
		p.ifaces = append(p.ifaces, ui)
		err := p.resolveInterface(ui, x.Inline.Items, x.Docs, x.Attrs)
		p.lookup = saved
		if err != nil {
			return nil, wit.WorldKey{}, err
		}
		ext, err := p.externalID(x.Attrs)
		if err != nil {
			return nil, wit.WorldKey{}, err
		}
		return &wit.WorldInterface{Interface: ui.it, Stability: ui.it.Stability, ExternalID: ext}, wit.WorldKey{Name: x.Name.Name}, nil
	case x.Path != nil:
		stab, err := p.stability(x.Attrs)
		if err != nil {
			return nil, wit.WorldKey{}, err
		}
		ext, err := p.externalID(x.Attrs)
		if err != nil {
			return nil, wit.WorldKey{}, err
		}
		it, name, span, err := p.itemPath(x.Path)
		if err != nil {
			return nil, wit.WorldKey{}, err
		}
		ui, err := p.ifaceOf(it, name, span)
		if err != nil {
			return nil, wit.WorldKey{}, err
		}
		wi := &wit.WorldInterface{Interface: p.ifaceRef(ui), Stability: stab, ExternalID: ext, Docs: docsOf(x.Docs)}
		if x.Name != nil {
			return wi, wit.WorldKey{Name: x.Name.Name}, nil
		}
		return wi, wit.WorldKey{Interface: wi.Interface}, nil
	default:
		kind := wit.Freestanding
		if x.Func.Async {
			kind = wit.AsyncFreestanding
		}
		f, err := p.resolveFunction(x.Docs, x.Attrs, x.Name.Name, x.Name.Span, x.Func, kind, nil)
		if err != nil {
			return nil, wit.WorldKey{}, err
		}
		return f, wit.WorldKey{Name: f.Name}, nil
	}
}

// ifaceRef returns the interface a uiface stands for; a missing foreign
// interface gets a stand-in (its absence is reported when pushing).
func (p *pkgState) ifaceRef(ui *uiface) *wit.Interface {
	if ui.it == nil {
		ui.it = &wit.Interface{Name: ui.foreign.name}
	}
	return ui.it
}

// resolveTypes defines the uses and type definitions of an interface or
// world body in p.lookup, in wit-parser's order.
func (p *pkgState) resolveTypes(owner wit.Owner, tis []typeItem) error {
	for _, ti := range tis {
		if ti.use != nil {
			if err := p.resolveUse(owner, ti.use); err != nil {
				return err
			}
		}
	}
	// keys are the names the body defines, in order of first definition;
	// deps and defs are indexed like keys (defs[i] is nil for a name
	// brought in by a `use`).
	n := 0
	for _, ti := range tis {
		if ti.def != nil {
			n++
		} else {
			n += len(ti.use.Names)
		}
	}
	keys := newNameList(n)
	deps := make([][]ast.Ident, 0, n)
	defs := make([]ast.TypeDecl, 0, n)
	for _, ti := range tis {
		if ti.def != nil {
			name := ti.def.DeclName()
			if keys.find(name.Name) >= 0 {
				return p.fail(diag.DuplicateName, name.Span, "name `%s` is defined more than once", name.Name)
			}
			keys.add(name.Name)
			defs = append(defs, ti.def)
			deps = append(deps, declDeps(ti.def))
			continue
		}
		for _, n := range ti.use.Names {
			name := n.Name
			if n.As != nil {
				name = *n.As
			}
			if i := keys.find(name.Name); i >= 0 {
				deps[i], defs[i] = nil, nil
				continue
			}
			keys.add(name.Name)
			defs = append(defs, nil)
			deps = append(deps, nil)
		}
	}
	order, err := p.toposort("type", keys, deps)
	if err != nil {
		return err
	}
	// Names reported as missing stand for poisoned types from here on, so
	// that their other uses are not reported again.
	for _, m := range p.missing {
		if !p.lookup.has(m.Name) {
			td := &wit.TypeDef{Name: m.Name, Kind: &wit.Alias{}}
			p.poisoned[td] = true
			p.lookup.define(m.Name, scopeEntry{ty: td, span: m.Span})
		}
	}
	var firstErr error
	for _, i := range order {
		def := defs[i]
		if def == nil {
			continue
		}
		if err := p.resolveTypeDef(owner, def); err != nil {
			// Go on with the next definition; the failed one is poisoned.
			n := def.DeclName()
			if !p.lookup.has(n.Name) {
				// A shell of the right kind keeps checks such as "used in
				// a handle must be a resource" meaningful; a failed alias
				// is poisoned so its uses are not reported again.
				td := &wit.TypeDef{Name: n.Name, Kind: shellKind(def)}
				// local (never pushed: it is not in p.types)
				if _, isAlias := def.(*ast.TypeAlias); isAlias {
					p.poisoned[td] = true
				}
				p.lookup.define(n.Name, scopeEntry{ty: td, span: n.Span})
			}
			if firstErr == nil {
				firstErr = err
			}
		}
	}
	if firstErr != nil || len(p.missing) > 0 {
		return errPartial
	}
	return nil
}

// errPartial says that some definitions failed (and were reported) but
// every name is defined, so resolution of the enclosing item can go on.
var errPartial = fmt.Errorf("some definitions failed")

// shellKind is an empty kind of the same sort as a failed definition.
func shellKind(d ast.TypeDecl) wit.TypeDefKind {
	switch d.(type) {
	case *ast.RecordDecl:
		return &wit.Record{}
	case *ast.VariantDecl:
		return &wit.Variant{}
	case *ast.EnumDecl:
		return &wit.Enum{}
	case *ast.FlagsDecl:
		return &wit.Flags{}
	case *ast.ResourceDecl:
		return &wit.Resource{}
	}
	return &wit.Alias{}
}

func (p *pkgState) resolveTypeDef(owner wit.Owner, def ast.TypeDecl) error {
	docs := docsOf(declDocs(def))
	attrs := declAttrs(def)
	stab, err := p.stability(attrs)
	if err != nil {
		return err
	}
	ext, err := p.externalID(attrs)
	if err != nil {
		return err
	}
	kind, err := p.typeDefKind(def, stab)
	if err != nil {
		return err
	}
	n := def.DeclName()
	td := &wit.TypeDef{Name: n.Name, Kind: kind, Owner: owner, Docs: docs, Stability: stab, ExternalID: ext, Span: n.Span}
	p.addType(td)
	if !p.lookup.define(n.Name, scopeEntry{ty: td, span: n.Span}) {
		return p.fail(diag.DuplicateName, n.Span, "name `%s` is defined more than once", n.Name)
	}
	return nil
}

func (p *pkgState) resolveUse(owner wit.Owner, u *ast.Use) error {
	it, name, span, err := p.itemPath(&u.From)
	if err != nil {
		return err
	}
	from, err := p.ifaceOf(it, name, span)
	if err != nil {
		return err
	}
	stab, err := p.stability(u.Attrs)
	if err != nil {
		return err
	}
	ext, err := p.externalID(u.Attrs)
	if err != nil {
		return err
	}
	var firstErr error // each wrong name of the list is reported
	for _, n := range u.Names {
		e, ok := from.lookup.get(n.Name.Name)
		if !ok {
			firstErr = cmp.Or(firstErr, p.failSuggest(n.Name.Name, from.lookup.typeNames(), n.Name.Span, "name `%s` does not exist", n.Name.Name))
			continue
		}
		if e.fn {
			firstErr = cmp.Or(firstErr, p.fail(diag.WrongKind, n.Name.Span, "cannot import function `%s`", n.Name.Name))
			continue
		}
		if firstErr != nil {
			continue
		}
		local := n.Name
		if n.As != nil {
			local = *n.As
		}
		td := &wit.TypeDef{Name: local.Name, Kind: &wit.Alias{Type: e.ty}, Owner: owner, Stability: stab, ExternalID: ext, Span: n.Name.Span}
		p.addType(td)
		if p.poisoned[e.ty] {
			p.poisoned[td] = true
		}
		if !p.lookup.define(local.Name, scopeEntry{ty: td, span: local.Span}) {
			return p.fail(diag.DuplicateName, local.Span, "name `%s` is defined more than once", local.Name)
		}
	}
	return firstErr
}

func declDocs(d ast.TypeDecl) ast.Docs {
	switch d := d.(type) {
	case *ast.RecordDecl:
		return d.Docs
	case *ast.VariantDecl:
		return d.Docs
	case *ast.EnumDecl:
		return d.Docs
	case *ast.FlagsDecl:
		return d.Docs
	case *ast.ResourceDecl:
		return d.Docs
	case *ast.TypeAlias:
		return d.Docs
	}
	return ast.Docs{}
}

func declAttrs(d ast.TypeDecl) []ast.Attr {
	switch d := d.(type) {
	case *ast.RecordDecl:
		return d.Attrs
	case *ast.VariantDecl:
		return d.Attrs
	case *ast.EnumDecl:
		return d.Attrs
	case *ast.FlagsDecl:
		return d.Attrs
	case *ast.ResourceDecl:
		return d.Attrs
	case *ast.TypeAlias:
		return d.Attrs
	}
	return nil
}

// declDeps lists the names a type definition refers to.
func declDeps(d ast.TypeDecl) []ast.Ident {
	out := []ast.Ident{}
	switch d := d.(type) {
	case *ast.RecordDecl:
		for _, f := range d.Fields {
			out = typeDeps(f.Type, out)
		}
	case *ast.VariantDecl:
		for _, c := range d.Cases {
			out = typeDeps(c.Type, out)
		}
	case *ast.TypeAlias:
		out = typeDeps(d.Type, out)
	}
	return out
}

func typeDeps(t ast.Type, out []ast.Ident) []ast.Ident {
	switch t := t.(type) {
	case *ast.NamedType:
		out = append(out, t.Name)
	case *ast.HandleType:
		out = append(out, t.Resource)
	case *ast.ListType:
		out = typeDeps(t.Elem, out)
	case *ast.MapType:
		out = typeDeps(t.Value, typeDeps(t.Key, out))
	case *ast.OptionType:
		out = typeDeps(t.Elem, out)
	case *ast.ResultType:
		out = typeDeps(t.Err, typeDeps(t.Ok, out))
	case *ast.TupleType:
		for _, e := range t.Elems {
			out = typeDeps(e, out)
		}
	case *ast.FutureType:
		out = typeDeps(t.Elem, out)
	case *ast.StreamType:
		out = typeDeps(t.Elem, out)
	}
	return out
}

// typeDefKind resolves the body of a named type definition.
func (p *pkgState) typeDefKind(d ast.TypeDecl, stab wit.Stability) (wit.TypeDefKind, error) {
	switch d := d.(type) {
	case *ast.TypeAlias:
		return p.aliasKind(d.Type, stab)
	case *ast.ResourceDecl:
		ctors := 0
		names := map[string]bool{}
		for _, f := range d.Funcs {
			if f.Kind == ast.ResourceConstructor {
				ctors++
				if ctors > 1 {
					return nil, p.fail(diag.DuplicateName, f.Name.Span, "duplicate constructors")
				}
				continue
			}
			if names[f.Name.Name] {
				return nil, p.fail(diag.DuplicateName, f.Name.Span, "duplicate function name `%s`", f.Name.Name)
			}
			names[f.Name.Name] = true
		}
		return &wit.Resource{}, nil
	case *ast.RecordDecl:
		r := &wit.Record{}
		if len(d.Fields) > 0 {
			r.Fields = make([]wit.Field, 0, len(d.Fields))
		}
		for _, f := range d.Fields {
			t, err := p.resolveType(f.Type, stab)
			if err != nil {
				return nil, err
			}
			r.Fields = append(r.Fields, wit.Field{Name: f.Name.Name, Type: t, Docs: docsOf(f.Docs), Span: f.Name.Span})
		}
		return r, nil
	case *ast.FlagsDecl:
		fl := &wit.Flags{}
		if len(d.Flags) > 0 {
			fl.Flags = make([]wit.Flag, 0, len(d.Flags))
		}
		for _, f := range d.Flags {
			fl.Flags = append(fl.Flags, wit.Flag{Name: f.Name.Name, Docs: docsOf(f.Docs)})
		}
		return fl, nil
	case *ast.VariantDecl:
		if len(d.Cases) == 0 {
			return nil, p.fail(diag.EmptyType, bodySpan(d.Span, d.Name), "empty variant")
		}
		v := &wit.Variant{Cases: make([]wit.Case, 0, len(d.Cases))}
		for _, c := range d.Cases {
			var t wit.Type
			if c.Type != nil {
				var err error
				if t, err = p.resolveType(c.Type, stab); err != nil {
					return nil, err
				}
			}
			v.Cases = append(v.Cases, wit.Case{Name: c.Name.Name, Type: t, Docs: docsOf(c.Docs)})
		}
		return v, nil
	case *ast.EnumDecl:
		if len(d.Cases) == 0 {
			return nil, p.fail(diag.EmptyType, bodySpan(d.Span, d.Name), "empty enum")
		}
		e := &wit.Enum{Cases: make([]wit.EnumCase, 0, len(d.Cases))}
		for _, c := range d.Cases {
			e.Cases = append(e.Cases, wit.EnumCase{Name: c.Name.Name, Docs: docsOf(c.Docs)})
		}
		return e, nil
	}
	return nil, p.fail(diag.Unsupported, d.Pos(), "unsupported type definition")
}

// bodySpan is where wit-parser points for an empty variant or enum: its name.
func bodySpan(_ diag.Span, name ast.Ident) diag.Span { return name.Span }

// aliasKind resolves `type x = T`: a reference to T itself for names and
// primitives, otherwise the anonymous type's shape.
func (p *pkgState) aliasKind(t ast.Type, stab wit.Stability) (wit.TypeDefKind, error) {
	switch t := t.(type) {
	case *ast.PrimitiveType:
		return &wit.Alias{Type: wit.Primitive(t.Kind)}, nil
	case *ast.NamedType:
		td, err := p.typeName(t.Name)
		if err != nil {
			return nil, err
		}
		return &wit.Alias{Type: td}, nil
	}
	return p.anonKind(t, stab)
}

// primitiveNames are the WIT primitive types, suggested for misspelled type
// names.
var primitiveNames = []string{"bool", "s8", "s16", "s32", "s64", "u8", "u16", "u32", "u64", "f32", "f64", "char", "string", "error-context"}

func (p *pkgState) typeName(n ast.Ident) (*wit.TypeDef, error) {
	e, ok := p.lookup.get(n.Name)
	if !ok {
		return nil, p.failSuggest(n.Name, append(p.lookup.typeNames(), primitiveNames...), n.Span, "name `%s` does not exist", n.Name)
	}
	if e.fn {
		return nil, p.fail(diag.WrongKind, n.Span, "cannot use function `%s` as a type", n.Name)
	}
	if p.poisoned[e.ty] {
		return e.ty, errAbort // already reported
	}
	return e.ty, nil
}

// anonKind resolves a structural type expression to its kind.
func (p *pkgState) anonKind(t ast.Type, stab wit.Stability) (wit.TypeDefKind, error) {
	opt := func(t ast.Type) (wit.Type, error) {
		if t == nil {
			return nil, nil
		}
		return p.resolveType(t, stab)
	}
	switch t := t.(type) {
	case *ast.ListType:
		e, err := p.resolveType(t.Elem, stab)
		if err != nil {
			return nil, err
		}
		if t.Size != nil {
			return &wit.FixedList{Elem: e, Len: *t.Size}, nil
		}
		return &wit.List{Elem: e}, nil
	case *ast.MapType:
		k, err := p.resolveType(t.Key, stab)
		if err != nil {
			return nil, err
		}
		v, err := p.resolveType(t.Value, stab)
		if err != nil {
			return nil, err
		}
		if prim, ok := k.(wit.Primitive); !ok || prim == wit.F32 || prim == wit.F64 || prim == wit.ErrorContext {
			return nil, p.fail(diag.InvalidMapKey, t.Span, "invalid map key type: map keys must be bool, u8, u16, u32, u64, s8, s16, s32, s64, char, or string")
		}
		return &wit.Map{Key: k, Value: v}, nil
	case *ast.OptionType:
		e, err := p.resolveType(t.Elem, stab)
		if err != nil {
			return nil, err
		}
		return &wit.Option{Type: e}, nil
	case *ast.ResultType:
		ok, err := opt(t.Ok)
		if err != nil {
			return nil, err
		}
		e, err := opt(t.Err)
		if err != nil {
			return nil, err
		}
		return &wit.Result{OK: ok, Err: e}, nil
	case *ast.TupleType:
		tu := &wit.Tuple{}
		if len(t.Elems) > 0 {
			tu.Types = make([]wit.Type, 0, len(t.Elems))
		}
		for _, e := range t.Elems {
			x, err := p.resolveType(e, stab)
			if err != nil {
				return nil, err
			}
			tu.Types = append(tu.Types, x)
		}
		return tu, nil
	case *ast.FutureType:
		e, err := opt(t.Elem)
		if err != nil {
			return nil, err
		}
		return &wit.Future{Type: e}, nil
	case *ast.StreamType:
		e, err := opt(t.Elem)
		if err != nil {
			return nil, err
		}
		return &wit.Stream{Type: e}, nil
	case *ast.HandleType:
		r, err := p.validateResource(t.Resource)
		if err != nil {
			return nil, err
		}
		k := wit.Own
		if t.Borrow {
			k = wit.Borrow
		}
		return &wit.Handle{Kind: k, Resource: r}, nil
	}
	return nil, p.fail(diag.Unsupported, t.Pos(), "unsupported type")
}

func (p *pkgState) validateResource(n ast.Ident) (*wit.TypeDef, error) {
	td, err := p.typeName(n)
	if err != nil {
		return nil, err
	}
	cur := td
	for i := 0; i < 10000; i++ {
		if p.poisoned[cur] {
			return td, nil
		}
		if !p.isLocal(cur) {
			p.requiredResources = append(p.requiredResources, requiredResource{ty: cur, span: n.Span})
			return td, nil
		}
		switch k := cur.Kind.(type) {
		case *wit.Resource:
			return td, nil
		case *wit.Alias:
			if next, ok := k.Type.(*wit.TypeDef); ok {
				cur = next
				continue
			}
		}
		break
	}
	return nil, p.fail(diag.NotAResource, n.Span, "type `%s` used in a handle must be a resource", n.Name)
}

// isLocal reports whether td was created by this package phase: the types
// of packages resolved before are in the Resolve, this package's are not
// yet.
func (p *pkgState) isLocal(td *wit.TypeDef) bool {
	ts := p.st.res.Types
	return td.ID < 0 || td.ID >= len(ts) || ts[td.ID] != td
}

func (p *pkgState) addType(td *wit.TypeDef) {
	p.types = append(p.types, td)
}

// resolveType resolves a type expression used as a field, parameter or
// result: primitives and names stand for themselves, anything else becomes
// an interned anonymous type.
func (p *pkgState) resolveType(t ast.Type, stab wit.Stability) (wit.Type, error) {
	switch t := t.(type) {
	case *ast.PrimitiveType:
		return wit.Primitive(t.Kind), nil
	case *ast.NamedType:
		td, err := p.typeName(t.Name)
		if err != nil {
			return nil, err
		}
		return td, nil
	}
	kind, err := p.anonKind(t, stab)
	if err != nil {
		return nil, err
	}
	if h, ok := kind.(*wit.Handle); ok && h.Kind == wit.Own {
		return h.Resource, nil
	}
	return p.anonType(kind, p.findStability(kind, stab), t.Pos()), nil
}

// anonKey is the interning key of an anonymous type with at most three
// parts: its sort, a length (a tuple's, a fixed list's) and the types it
// refers to, each a type definition (by identity, as wit.TypeKeys does) or
// a primitive.
type anonKey struct {
	sort    uint8
	prim    [3]wit.Primitive
	n       uint32
	a, b, c *wit.TypeDef
}

const (
	anonList = iota + 1
	anonFixed
	anonMap
	anonOption
	anonResult
	anonTuple
	anonOwn
	anonBorrow
	anonFuture
	anonStream
	anonAlias
)

// setPart sets part i of k to t (nil stays zero).
func (k *anonKey) setPart(i int, t wit.Type) {
	switch t := t.(type) {
	case wit.Primitive:
		k.prim[i] = t
	case *wit.TypeDef:
		switch i {
		case 0:
			k.a = t
		case 1:
			k.b = t
		default:
			k.c = t
		}
	}
}

func newAnonKey(sort uint8, n uint32, parts ...wit.Type) anonKey {
	k := anonKey{sort: sort, n: n}
	for i, t := range parts {
		k.setPart(i, t)
	}
	return k
}

// smallAnonKey returns the key of kind, or false when kind is too large
// for one (a tuple of more than three types, or a named kind's shape).
func smallAnonKey(kind wit.TypeDefKind) (anonKey, bool) {
	switch t := kind.(type) {
	case *wit.List:
		return newAnonKey(anonList, 0, t.Elem), true
	case *wit.FixedList:
		return newAnonKey(anonFixed, t.Len, t.Elem), true
	case *wit.Map:
		return newAnonKey(anonMap, 0, t.Key, t.Value), true
	case *wit.Option:
		return newAnonKey(anonOption, 0, t.Type), true
	case *wit.Result:
		return newAnonKey(anonResult, 0, t.OK, t.Err), true
	case *wit.Tuple:
		if len(t.Types) <= 3 {
			return newAnonKey(anonTuple, uint32(len(t.Types)), t.Types...), true
		}
	case *wit.Handle:
		if t.Kind == wit.Own {
			return newAnonKey(anonOwn, 0, t.Resource), true
		}
		return newAnonKey(anonBorrow, 0, t.Resource), true
	case *wit.Future:
		return newAnonKey(anonFuture, 0, t.Type), true
	case *wit.Stream:
		return newAnonKey(anonStream, 0, t.Type), true
	case *wit.Alias:
		return newAnonKey(anonAlias, 0, t.Type), true
	}
	return anonKey{}, false
}

// anonType interns an anonymous type of the package.
func (p *pkgState) anonType(kind wit.TypeDefKind, stab wit.Stability, span diag.Span) *wit.TypeDef {
	small, ok := smallAnonKey(kind)
	var key string
	if ok {
		if td, ok := p.anonSmall[small]; ok {
			return td
		}
	} else {
		key = p.keys.Kind(kind)
		if td, ok := p.anon[key]; ok {
			return td
		}
	}
	td := &wit.TypeDef{Kind: kind, Stability: stab, Span: span}
	p.addType(td)
	if ok {
		p.anonSmall[small] = td
	} else {
		p.anon[key] = td
	}
	return td
}

// findStability is wit-parser's find_stability: an ungated anonymous type
// inherits the gate of the first gated type it refers to directly.
func (p *pkgState) findStability(kind wit.TypeDefKind, stab wit.Stability) wit.Stability {
	if stab.Kind != wit.Unknown {
		return stab
	}
	of := func(t wit.Type) *wit.Stability {
		if td, ok := t.(*wit.TypeDef); ok && td.Stability.Kind != wit.Unknown {
			return &td.Stability
		}
		return nil
	}
	first := func(ts ...wit.Type) wit.Stability {
		for _, t := range ts {
			if s := of(t); s != nil {
				return *s
			}
		}
		return wit.Stability{}
	}
	switch k := kind.(type) {
	case *wit.Alias:
		return first(k.Type)
	case *wit.Handle:
		return first(k.Resource)
	case *wit.Tuple:
		return first(k.Types...)
	case *wit.List:
		return first(k.Elem)
	case *wit.FixedList:
		return first(k.Elem)
	case *wit.Option:
		return first(k.Type)
	case *wit.Map:
		return first(k.Key, k.Value)
	case *wit.Future:
		return first(k.Type)
	case *wit.Stream:
		return first(k.Type)
	case *wit.Result:
		return first(k.OK, k.Err)
	}
	return wit.Stability{}
}

func (p *pkgState) resolveResourceFunc(rf *ast.ResourceFunc, res ast.Ident) (*wit.Function, error) {
	e := p.lookup.entry(res.Name)
	rid := e.ty
	var name string
	var kind wit.FunctionKind
	switch rf.Kind {
	case ast.ResourceMethod:
		name = "[method]" + res.Name + "." + rf.Name.Name
		kind = wit.Method
		if rf.Func.Async {
			kind = wit.AsyncMethod
		}
	case ast.ResourceStatic:
		name = "[static]" + res.Name + "." + rf.Name.Name
		kind = wit.Static
		if rf.Func.Async {
			kind = wit.AsyncStatic
		}
	default:
		name = "[constructor]" + res.Name
		kind = wit.Constructor
	}
	return p.resolveFunction(rf.Docs, rf.Attrs, name, rf.Name.Span, rf.Func, kind, rid)
}

func (p *pkgState) resolveFunction(docs ast.Docs, attrs []ast.Attr, name string, span diag.Span, ft *ast.FuncType, kind wit.FunctionKind, res *wit.TypeDef) (*wit.Function, error) {
	f := &wit.Function{Name: name, Kind: kind, Resource: res, Docs: docsOf(docs), Span: span}
	var err error
	if f.Stability, err = p.stability(attrs); err != nil {
		return nil, err
	}
	if f.ExternalID, err = p.externalID(attrs); err != nil {
		return nil, err
	}
	isMethod := kind == wit.Method || kind == wit.AsyncMethod
	if n := len(ft.Params) + btoi(isMethod); n > 0 {
		f.Params = make([]wit.Param, 0, n)
	}
	if isMethod {
		h := &wit.Handle{Kind: wit.Borrow, Resource: res}
		self := p.anonType(h, p.findStability(h, wit.Stability{}), ft.Span)
		f.Params = append(f.Params, wit.Param{Name: "self", Type: self})
	}
	// Parameter names seen so far: a map only for long signatures, a
	// search of the few names otherwise (most functions have a handful).
	var names map[string]bool
	hasSelf := len(f.Params) > 0
	if len(ft.Params) > 8 {
		names = make(map[string]bool, len(f.Params)+len(ft.Params))
		for _, prm := range f.Params {
			names[prm.Name] = true
		}
	}
	// The parameters' and the result's types are all resolved, so that
	// each misspelled name of a signature is reported, not just the first;
	// the function is given up after.
	var firstErr error
	for i, prm := range ft.Params {
		dup := false
		if names != nil {
			dup = names[prm.Name.Name]
			names[prm.Name.Name] = true
		} else {
			dup = hasSelf && prm.Name.Name == "self"
			for _, q := range ft.Params[:i] {
				if q.Name.Name == prm.Name.Name {
					dup = true
					break
				}
			}
		}
		if dup {
			return nil, p.fail(diag.DuplicateName, prm.Name.Span, "param `%s` is defined more than once", prm.Name.Name)
		}
		t, err := p.resolveType(prm.Type, wit.Stability{})
		if err != nil {
			firstErr = cmp.Or(firstErr, err)
			continue
		}
		f.Params = append(f.Params, wit.Param{Name: prm.Name.Name, Type: t})
	}
	if firstErr != nil {
		if ft.Result != nil && kind != wit.Constructor {
			p.resolveType(ft.Result, wit.Stability{}) // for its errors
		}
		return nil, firstErr
	}
	if kind == wit.Constructor {
		if ft.Result == nil {
			f.Result = res
			return f, nil
		}
		t, err := p.resolveType(ft.Result, wit.Stability{})
		if err != nil {
			return nil, err
		}
		td, _ := t.(*wit.TypeDef)
		var r *wit.Result
		if td != nil {
			r, _ = td.Kind.(*wit.Result)
		}
		if r == nil {
			return nil, p.fail(diag.InvalidConstructor, ft.Result.Pos(), "if a constructor return type is declared it must be a `result`")
		}
		if okTD, _ := r.OK.(*wit.TypeDef); okTD == nil || okTD != res {
			at := ft.Result.Pos()
			if rt, ok := ft.Result.(*ast.ResultType); ok && rt.Ok != nil {
				at = rt.Ok.Pos()
			}
			return nil, p.fail(diag.InvalidConstructor, at, "the `ok` type must be the resource being constructed")
		}
		f.Result = t
		return f, nil
	}
	if ft.Result != nil {
		t, err := p.resolveType(ft.Result, wit.Stability{})
		if err != nil {
			return nil, err
		}
		f.Result = t
	}
	return f, nil
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func docsOf(d ast.Docs) wit.Docs {
	s, _ := d.Contents()
	return wit.Docs{Contents: s}
}
