package wac

import (
	"github.com/witc-dev/witc/component"
	"github.com/witc-dev/witc/compose"
	"github.com/witc-dev/witc/diag"
	"github.com/witc-dev/witc/wit"
)

// The WIT subset of a document lowers to package wit's model: interfaces
// and worlds of the package being defined, type definitions owned by
// them or by the document.

// scope is where type names are looked up: the names an interface or
// world defines (types), then the document's.
type scope struct {
	types map[string]*wit.TypeDef
	fns   map[string]*wit.Function // function type aliases
	deps  *[]*decl                 // collects the document's types referred to
}

func (r *resolver) docScope() *scope { return &scope{} }

func (d *decl) externItem() compose.Item {
	if d.fn != nil {
		return compose.Item{Kind: component.ExternFunc, Func: d.fn}
	}
	return compose.Item{Kind: component.ExternInstance, Interface: d.iface}
}

// typeStmt declares an interface, a world or a type of the document: a
// local name, an export of the same name and a type definition node.
func (r *resolver) typeStmt(s Statement) *diag.Diagnostic {
	var id Ident
	var dc *decl
	var deps []*decl
	var d *diag.Diagnostic
	switch s := s.(type) {
	case *InterfaceDecl:
		id = s.ID
		var iface *wit.Interface
		iface, d = r.inlineInterface(s.Items, s.ID.Name)
		if d == nil {
			r.self.Interfaces = append(r.self.Interfaces, iface)
			dc = &decl{kind: "interface", iface: iface}
		}
	case *WorldDecl:
		id = s.ID
		var w *wit.World
		w, d = r.worldDecl(s)
		if d == nil {
			r.self.Worlds = append(r.self.Worlds, w)
			dc = &decl{kind: "world", world: w}
		}
	case TypeDecl:
		id = s.Name()
		sc := &scope{deps: &deps}
		dc, d = r.docType(s, sc)
	}
	if d != nil {
		return d
	}
	if d := r.declConflict(id); d != nil {
		return d
	}
	if d := r.bind(id, &binding{decl: dc}); d != nil {
		return d
	}
	var depNodes []compose.NodeID
	seen := map[*decl]bool{}
	for _, x := range deps {
		if !seen[x] {
			seen[x] = true
			depNodes = append(depNodes, x.node)
		}
	}
	dc.name = id.Name
	def := compose.TypeDef{Resolve: r.res, Type: dc.typ, Func: dc.fn, Interface: dc.iface, World: dc.world}
	dc.node = r.g.DefineType(id.Name, dc.kind, def, depNodes...)
	r.decls = append(r.decls, dc)
	r.exports[id.Name] = &export{span: id.Span, decl: dc}
	return nil
}

// declConflict rejects a type declaration whose name is already exported.
func (r *resolver) declConflict(id Ident) *diag.Diagnostic {
	if prev, ok := r.exports[id.Name]; ok {
		return r.errorf(diag.DuplicateName, id.Span, "type declaration `%s` conflicts with a previous export of the same name", id.Name).
			Notef(prev.span, "previous export is here")
	}
	return nil
}

// docType lowers a type declaration of the document.
func (r *resolver) docType(s TypeDecl, sc *scope) (*decl, *diag.Diagnostic) {
	if a, ok := s.(*TypeAlias); ok {
		if a.Func != nil {
			fn, d := r.funcType(a.Func, sc, a.ID.Name)
			if d != nil {
				return nil, d
			}
			return &decl{kind: "function type", fn: fn}, nil
		}
		if tn, ok := a.Type.(*TypeName); ok {
			if _, local := sc.types[tn.ID.Name]; !local {
				b, d := r.lookup(tn.ID)
				if d != nil {
					return nil, d
				}
				if b.decl == nil || b.decl.iface != nil || b.decl.world != nil {
					return nil, r.errorf(diag.WrongKind, tn.ID.Span, "`%s` (%s) cannot be used in a type alias", tn.ID.Name, r.kindOf(b))
				}
				if b.decl.fn != nil {
					return &decl{kind: b.decl.kind, fn: b.decl.fn}, nil
				}
				td := r.res.AddType(&wit.TypeDef{Name: a.ID.Name, Kind: &wit.Alias{Type: b.decl.typ}, Span: a.ID.Span})
				return &decl{kind: b.decl.kind, typ: td}, nil
			}
		}
	}
	td, d := r.typeDef(s, sc, wit.Owner{})
	if d != nil {
		return nil, d
	}
	return &decl{kind: typeKind(td), typ: td}, nil
}

// typeKind is how DOT and messages name a type's kind.
func typeKind(t wit.Type) string {
	switch t := t.(type) {
	case wit.Primitive:
		return t.String()
	case *wit.TypeDef:
		switch k := t.Kind.(type) {
		case *wit.Alias:
			return typeKind(k.Type)
		case *wit.Record:
			return "record"
		case *wit.Variant:
			return "variant"
		case *wit.Flags:
			return "flags"
		case *wit.Enum:
			return "enum"
		case *wit.Resource:
			return "resource"
		case *wit.List:
			return "list"
		case *wit.Tuple:
			return "tuple"
		case *wit.Option:
			return "option"
		case *wit.Result:
			return "result"
		case *wit.Handle:
			if k.Kind == wit.Borrow {
				return "borrow"
			}
			return "own"
		}
	}
	return "type"
}

// typeDef lowers a named type declaration.
func (r *resolver) typeDef(s TypeDecl, sc *scope, owner wit.Owner) (*wit.TypeDef, *diag.Diagnostic) {
	td := &wit.TypeDef{Name: s.Name().Name, Owner: owner, Span: s.Name().Span}
	switch s := s.(type) {
	case *VariantDecl:
		k := &wit.Variant{}
		seen := map[string]bool{}
		for _, c := range s.Cases {
			if seen[c.ID.Name] {
				return nil, r.errorf(diag.DuplicateName, c.ID.Span, "duplicate case `%s` for variant type `%s`", c.ID.Name, s.ID.Name)
			}
			seen[c.ID.Name] = true
			var t wit.Type
			if c.Type != nil {
				var d *diag.Diagnostic
				if t, d = r.valueType(c.Type, sc); d != nil {
					return nil, d
				}
			}
			k.Cases = append(k.Cases, wit.Case{Name: c.ID.Name, Type: t})
		}
		td.Kind = k
	case *RecordDecl:
		k := &wit.Record{}
		seen := map[string]bool{}
		for _, f := range s.Fields {
			if seen[f.ID.Name] {
				return nil, r.errorf(diag.DuplicateName, f.ID.Span, "duplicate field `%s` for record type `%s`", f.ID.Name, s.ID.Name)
			}
			seen[f.ID.Name] = true
			t, d := r.valueType(f.Type, sc)
			if d != nil {
				return nil, d
			}
			k.Fields = append(k.Fields, wit.Field{Name: f.ID.Name, Type: t})
		}
		td.Kind = k
	case *FlagsDecl:
		k := &wit.Flags{}
		seen := map[string]bool{}
		for _, f := range s.Flags {
			if seen[f.ID.Name] {
				return nil, r.errorf(diag.DuplicateName, f.ID.Span, "duplicate flag `%s` for flags type `%s`", f.ID.Name, s.ID.Name)
			}
			seen[f.ID.Name] = true
			k.Flags = append(k.Flags, wit.Flag{Name: f.ID.Name})
		}
		td.Kind = k
	case *EnumDecl:
		k := &wit.Enum{}
		seen := map[string]bool{}
		for _, c := range s.Cases {
			if seen[c.ID.Name] {
				return nil, r.errorf(diag.DuplicateName, c.ID.Span, "duplicate case `%s` for enum type `%s`", c.ID.Name, s.ID.Name)
			}
			seen[c.ID.Name] = true
			k.Cases = append(k.Cases, wit.EnumCase{Name: c.ID.Name})
		}
		td.Kind = k
	case *TypeAlias:
		if s.Func != nil {
			return nil, r.errorf(diag.Unsupported, s.Span, "function type aliases are not supported inside interfaces and worlds")
		}
		// An alias of a resource is the resource (not own<r>).
		if tn, ok := s.Type.(*TypeName); ok {
			if x, _, d := r.lookupType(tn.ID, sc); d == nil {
				if _, ok := isResource(x); ok {
					td.Kind = &wit.Alias{Type: x}
					break
				}
			}
		}
		t, d := r.valueType(s.Type, sc)
		if d != nil {
			return nil, d
		}
		td.Kind = &wit.Alias{Type: primitiveOf(t)}
	case *ResourceDecl:
		td.Kind = &wit.Resource{}
	}
	return r.res.AddType(td), nil
}

// primitiveOf is the primitive type t names through aliases, or t: wac
// encodes an alias of an alias of a primitive as the primitive (`type c
// = b` where `type b = u16` is `type c = u16`).
func primitiveOf(t wit.Type) wit.Type {
	for i := 0; i < 100; i++ {
		td, ok := t.(*wit.TypeDef)
		if !ok {
			return t
		}
		a, ok := td.Kind.(*wit.Alias)
		if !ok {
			return t
		}
		if p, ok := a.Type.(wit.Primitive); ok {
			return p
		}
		t = a.Type
	}
	return t
}

// lookupType finds a type name: the scope's own, then the document's.
func (r *resolver) lookupType(id Ident, sc *scope) (wit.Type, *binding, *diag.Diagnostic) {
	if td, ok := sc.types[id.Name]; ok {
		return td, nil, nil
	}
	b, d := r.lookup(id)
	if d != nil {
		return nil, nil, d
	}
	if b.decl != nil && b.decl.typ != nil {
		if sc.deps != nil {
			*sc.deps = append(*sc.deps, b.decl)
		}
		return b.decl.typ, b, nil
	}
	return nil, b, nil
}

var witPrimitives = map[Primitive]wit.Primitive{}

func init() {
	for p := U8; p <= StringType; p++ {
		wp, ok := wit.ParsePrimitive(p.String())
		if ok {
			witPrimitives[p] = wp
		}
	}
}

// isResource reports whether t is a resource or an alias of one, and
// which.
func isResource(t wit.Type) (*wit.TypeDef, bool) {
	td, ok := t.(*wit.TypeDef)
	if !ok {
		return nil, false
	}
	if _, ok := td.Kind.(*wit.Resource); ok {
		return td, true
	}
	switch k := td.Kind.(type) {
	case *wit.Alias:
		if _, ok := isResource(k.Type); ok {
			return td, true
		}
	case *wit.Handle:
		// a resource's name as a value type is own<r>
		if k.Kind == wit.Own && td.Name == "" {
			return k.Resource, true
		}
	}
	return nil, false
}

// valueType lowers a value type.
func (r *resolver) valueType(t Type, sc *scope) (wit.Type, *diag.Diagnostic) {
	anon := func(k wit.TypeDefKind) wit.Type { return r.res.AddType(&wit.TypeDef{Kind: k}) }
	switch t := t.(type) {
	case *PrimitiveType:
		return witPrimitives[t.Kind], nil
	case *TupleType:
		k := &wit.Tuple{}
		for _, e := range t.Types {
			x, d := r.valueType(e, sc)
			if d != nil {
				return nil, d
			}
			k.Types = append(k.Types, x)
		}
		return anon(k), nil
	case *ListType:
		x, d := r.valueType(t.Elem, sc)
		if d != nil {
			return nil, d
		}
		return anon(&wit.List{Elem: x}), nil
	case *OptionType:
		x, d := r.valueType(t.Elem, sc)
		if d != nil {
			return nil, d
		}
		return anon(&wit.Option{Type: x}), nil
	case *ResultType:
		k := &wit.Result{}
		var d *diag.Diagnostic
		if t.Ok != nil {
			if k.OK, d = r.valueType(t.Ok, sc); d != nil {
				return nil, d
			}
		}
		if t.Err != nil {
			if k.Err, d = r.valueType(t.Err, sc); d != nil {
				return nil, d
			}
		}
		return anon(k), nil
	case *BorrowType:
		x, b, d := r.lookupType(t.Resource, sc)
		if d != nil {
			return nil, d
		}
		res, ok := isResource(x)
		if !ok {
			return nil, r.errorf(diag.NotAResource, t.Resource.Span, "`%s` (%s) is not a resource type", t.Resource.Name, r.describe(x, b))
		}
		return anon(&wit.Handle{Kind: wit.Borrow, Resource: res}), nil
	case *TypeName:
		x, b, d := r.lookupType(t.ID, sc)
		if d != nil {
			return nil, d
		}
		if x == nil {
			return nil, r.errorf(diag.WrongKind, t.ID.Span, "`%s` (%s) cannot be used as a value type", t.ID.Name, r.kindOf(b))
		}
		if res, ok := isResource(x); ok {
			return anon(&wit.Handle{Kind: wit.Own, Resource: res}), nil
		}
		return x, nil
	}
	return nil, nil
}

func (r *resolver) describe(t wit.Type, b *binding) string {
	if t != nil {
		return typeKind(t)
	}
	return r.kindOf(b)
}

// containsBorrow reports whether t holds a borrow handle.
func containsBorrow(t wit.Type, depth int) bool {
	td, ok := t.(*wit.TypeDef)
	if !ok || depth > 100 {
		return false
	}
	switch k := td.Kind.(type) {
	case *wit.Handle:
		return k.Kind == wit.Borrow
	case *wit.Alias:
		return containsBorrow(k.Type, depth+1)
	case *wit.List:
		return containsBorrow(k.Elem, depth+1)
	case *wit.Option:
		return containsBorrow(k.Type, depth+1)
	case *wit.Result:
		return containsBorrow(k.OK, depth+1) || containsBorrow(k.Err, depth+1)
	case *wit.Tuple:
		for _, x := range k.Types {
			if containsBorrow(x, depth+1) {
				return true
			}
		}
	case *wit.Record:
		for _, f := range k.Fields {
			if containsBorrow(f.Type, depth+1) {
				return true
			}
		}
	case *wit.Variant:
		for _, c := range k.Cases {
			if containsBorrow(c.Type, depth+1) {
				return true
			}
		}
	}
	return false
}

// funcType lowers a function type named name.
func (r *resolver) funcType(f *FuncType, sc *scope, name string) (*wit.Function, *diag.Diagnostic) {
	return r.function(f, sc, name, wit.Freestanding, "function parameter")
}

func (r *resolver) function(f *FuncType, sc *scope, name string, kind wit.FunctionKind, what string) (*wit.Function, *diag.Diagnostic) {
	fn := &wit.Function{Name: name, Kind: kind, Span: f.Span}
	seen := map[string]bool{}
	for _, p := range f.Params {
		if seen[p.ID.Name] {
			return nil, r.errorf(diag.DuplicateName, p.ID.Span, "duplicate %s `%s`", what, p.ID.Name)
		}
		seen[p.ID.Name] = true
		t, d := r.valueType(p.Type, sc)
		if d != nil {
			return nil, d
		}
		fn.Params = append(fn.Params, wit.Param{Name: p.ID.Name, Type: t})
	}
	var res Type
	var at diag.Span
	switch {
	case f.Result != nil:
		res, at = f.Result, f.Result.Pos()
	case len(f.Results) == 1:
		res, at = f.Results[0].Type, f.Results[0].Span
	case len(f.Results) > 1:
		return nil, r.errorf(diag.Unsupported, f.Results[0].Span, "functions with several named results are not supported")
	}
	if res != nil {
		t, d := r.valueType(res, sc)
		if d != nil {
			return nil, d
		}
		if containsBorrow(t, 0) {
			return nil, r.errorf(diag.BorrowInResult, at, "function result cannot recursively contain a borrow type")
		}
		fn.Result = t
	}
	return fn, nil
}

// funcRef lowers `id: func(...)` or `id: alias` of an interface or world.
func (r *resolver) funcRef(ref FuncTypeRef, sc *scope, name string) (*wit.Function, *diag.Diagnostic) {
	switch ref := ref.(type) {
	case *FuncType:
		return r.funcType(ref, sc, name)
	case *Ident:
		if f, ok := sc.fns[ref.Name]; ok {
			fn := *f
			fn.Name = name
			return &fn, nil
		}
		if td, ok := sc.types[ref.Name]; ok {
			return nil, r.errorf(diag.WrongKind, ref.Span, "`%s` (%s) is not a function type", ref.Name, typeKind(td))
		}
		b, d := r.lookup(*ref)
		if d != nil {
			return nil, d
		}
		if b.decl == nil || b.decl.fn == nil {
			return nil, r.errorf(diag.WrongKind, ref.Span, "`%s` (%s) is not a function type", ref.Name, r.kindOf(b))
		}
		fn := *b.decl.fn
		fn.Name = name
		return &fn, nil
	}
	return nil, nil
}

// inlineInterface lowers an interface's items (name "" for an inline one).
func (r *resolver) inlineInterface(items []InterfaceItem, name string) (*wit.Interface, *diag.Diagnostic) {
	iface := r.res.AddInterface(&wit.Interface{Name: name})
	if name != "" {
		iface.Package = r.self
	}
	sc := &scope{types: map[string]*wit.TypeDef{}, fns: map[string]*wit.Function{}}
	owner := wit.Owner{Interface: iface}
	funcs := map[string]bool{}
	for _, it := range items {
		switch it := it.(type) {
		case *Use:
			if d := r.use(it, sc, owner, "an export", funcs); d != nil {
				return nil, d
			}
		case *InterfaceExport:
			fn, d := r.funcRef(it.Type, sc, it.ID.Name)
			if d != nil {
				return nil, d
			}
			if funcs[it.ID.Name] || sc.types[it.ID.Name] != nil || sc.fns[it.ID.Name] != nil {
				return nil, r.errorf(diag.DuplicateName, it.ID.Span, "duplicate interface export `%s` for interface `%s`", it.ID.Name, name)
			}
			funcs[it.ID.Name] = true
			iface.Functions = append(iface.Functions, fn)
		case TypeDecl:
			if funcs[it.Name().Name] || sc.types[it.Name().Name] != nil {
				return nil, r.errorf(diag.DuplicateName, it.Name().Span, "duplicate interface export `%s` for interface `%s`", it.Name().Name, name)
			}
			fns, d := r.localType(it, sc, owner)
			if d != nil {
				return nil, d
			}
			if td := sc.types[it.Name().Name]; td != nil {
				iface.Types = append(iface.Types, td)
			}
			iface.Functions = append(iface.Functions, fns...)
		}
	}
	return iface, nil
}

// localType declares a type of an interface or world, with a resource's
// functions.
func (r *resolver) localType(t TypeDecl, sc *scope, owner wit.Owner) ([]*wit.Function, *diag.Diagnostic) {
	if a, ok := t.(*TypeAlias); ok && a.Func != nil {
		fn, d := r.funcType(a.Func, sc, a.ID.Name)
		if d != nil {
			return nil, d
		}
		sc.fns[a.ID.Name] = fn
		return nil, nil
	}
	if a, ok := t.(*TypeAlias); ok {
		if tn, ok := a.Type.(*TypeName); ok {
			if f, ok := sc.fns[tn.ID.Name]; ok {
				sc.fns[a.ID.Name] = f
				return nil, nil
			}
		}
	}
	td, d := r.typeDef(t, sc, owner)
	if d != nil {
		return nil, d
	}
	sc.types[td.Name] = td
	rd, ok := t.(*ResourceDecl)
	if !ok {
		return nil, nil
	}
	var fns []*wit.Function
	methods := map[string]bool{}
	ctor := false
	for _, m := range rd.Methods {
		switch m.Kind {
		case Constructor:
			if ctor {
				return nil, r.errorf(diag.DuplicateName, m.Span, "duplicate constructor for resource `%s`", rd.ID.Name)
			}
			ctor = true
			fn, d := r.function(m.Func, sc, "[constructor]"+rd.ID.Name, wit.Constructor, "constructor parameter")
			if d != nil {
				return nil, d
			}
			fn.Resource = td
			fn.Result = r.res.AddType(&wit.TypeDef{Kind: &wit.Handle{Kind: wit.Own, Resource: td}})
			fns = append(fns, fn)
		default:
			if methods[m.ID.Name] {
				return nil, r.errorf(diag.DuplicateName, m.ID.Span, "duplicate method `%s` for resource `%s`", m.ID.Name, rd.ID.Name)
			}
			methods[m.ID.Name] = true
			kind, prefix := wit.Method, "[method]"
			if m.Kind == Static {
				kind, prefix = wit.Static, "[static]"
			}
			fn, d := r.function(m.Func, sc, prefix+rd.ID.Name+"."+m.ID.Name, kind, "function parameter")
			if d != nil {
				return nil, d
			}
			fn.Resource = td
			if kind == wit.Method {
				self := r.res.AddType(&wit.TypeDef{Kind: &wit.Handle{Kind: wit.Borrow, Resource: td}})
				fn.Params = append([]wit.Param{{Name: "self", Type: self}}, fn.Params...)
			}
			fns = append(fns, fn)
		}
	}
	return fns, nil
}

// use brings types of another interface into sc.
func (r *resolver) use(u *Use, sc *scope, owner wit.Owner, conflict string, names map[string]bool) *diag.Diagnostic {
	var iface *wit.Interface
	var label string
	switch p := u.Path.(type) {
	case *Ident:
		b, d := r.lookup(*p)
		if d != nil {
			return d
		}
		if b.decl == nil || b.decl.iface == nil {
			return r.errorf(diag.WrongKind, p.Span, "`%s` (%s) is not an interface", p.Name, r.kindOf(b))
		}
		iface, label = b.decl.iface, p.Name
	case *PackagePath:
		dc, _, d := r.packageItem(p)
		if d != nil {
			return d
		}
		if dc.iface == nil {
			return r.errorf(diag.WrongKind, p.Span, "`%s` (%s) is not an interface", p.String(), dc.kind)
		}
		iface, label = dc.iface, p.String()
	}
	for _, it := range u.Items {
		td := iface.Type(it.ID.Name)
		if td == nil {
			return r.errorf(diag.UndefinedName, it.ID.Span, "a type named `%s` is not defined in interface `%s`", it.ID.Name, label)
		}
		local := it.ID
		if it.As != nil {
			local = *it.As
		}
		if sc.types[local.Name] != nil || names[local.Name] {
			return r.errorf(diag.DuplicateName, local.Span, "use of type `%s` conflicts with %s of the same name", local.Name, conflict)
		}
		sc.types[local.Name] = r.res.AddType(&wit.TypeDef{Name: local.Name, Kind: &wit.Alias{Type: td}, Owner: owner, Span: local.Span})
		if owner.Interface != nil {
			owner.Interface.Types = append(owner.Interface.Types, sc.types[local.Name])
		}
	}
	return nil
}

// packageItem resolves a package path to an interface or world: of the
// document's own package (declared before) or of a package found by
// Options. It also returns the name an import by that path takes.
func (r *resolver) packageItem(p *PackagePath) (*decl, string, *diag.Diagnostic) {
	seg := p.Segments[0].Name
	if p.Package() == r.doc.Name.Name() {
		if b, ok := r.names[seg]; ok && b.decl != nil && (b.decl.iface != nil || b.decl.world != nil) {
			return b.decl, p.String(), nil
		}
		return nil, "", r.errorf(diag.UndefinedName, p.Segments[0].Span, "undefined name `%s`", seg)
	}
	v, d := r.version(p.Version)
	if d != nil {
		return nil, "", d
	}
	pk, d := r.loadPackage(p.Package(), v, p.Span)
	if d != nil {
		return nil, "", d
	}
	var main *wit.Package
	if pk.isWIT {
		main = pk.main
	} else {
		for _, x := range pk.res.Packages {
			if x.Name.Namespace+":"+x.Name.Name == p.Package() {
				main = x
			}
		}
	}
	if main != nil {
		if i := main.Interface(seg); i != nil {
			return &decl{kind: "interface", iface: i}, p.String(), nil
		}
		if w := main.World(seg); w != nil {
			return &decl{kind: "world", world: w}, p.String(), nil
		}
	}
	return nil, "", r.errorf(diag.UndefinedName, p.Segments[0].Span, "package `%s` has no export named `%s`", p.Package(), seg)
}
