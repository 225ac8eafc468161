package wac

import (
	"fmt"
	"strings"

	"github.com/witc-dev/witc/component"
	"github.com/witc-dev/witc/compose"
	"github.com/witc-dev/witc/diag"
	"github.com/witc-dev/witc/wit"
)

// Options tell Resolve where the packages a document names are.
type Options struct {
	// DepsDir holds packages by name: ns:name is DIR/ns/name.wasm (a
	// component or a binary WIT package), DIR/ns/name.wit, or DIR/ns/name/
	// (a WIT package directory, with its deps/).
	DepsDir string
	// Deps maps "ns:name" or "ns:name@version" to a path (a file or a WIT
	// directory); it takes precedence over DepsDir.
	Deps map[string]string
	// ReadFile reads a package's binary file (os.ReadFile when nil). The
	// graph keeps and nests the bytes it returns, which must not change
	// while the composition is in use: a caller may map the file and
	// write the packages to the output from the file (see
	// compose.Graph.EncodeTo).
	ReadFile func(path string) ([]byte, error)
}

// Composition is a resolved document: the composition graph it lowers to.
type Composition struct {
	// Graph has a node per import, instantiation, alias and type
	// definition of the document, in document order.
	Graph *compose.Graph
	// Document is the document resolved.
	Document *Document
	// Target is the world of the `targets` clause (nil without one).
	Target *wit.World
	// Types are the interfaces, worlds and types the document declares.
	Types *wit.Resolve
}

// Encode writes the composed component, validated, with the packages
// nested in it.
func (c *Composition) Encode() ([]byte, error) { return c.encode(false) }

// EncodeImportingPackages writes the composed component, validated, with
// the packages it instantiates imported (`unlocked-dep=<ns:name>`, as
// wac's --import-dependencies) instead of nested.
func (c *Composition) EncodeImportingPackages() ([]byte, error) { return c.encode(true) }

func (c *Composition) encode(importPackages bool) ([]byte, error) {
	out, err := c.Component(importPackages)
	if err != nil {
		return nil, err
	}
	return component.Encode(out), nil
}

// Component is the composed component Encode (or, with importPackages,
// EncodeImportingPackages) writes, validated; component.EncodeTo streams
// it, the packages it nests held as the bytes Options.ReadFile gave.
func (c *Composition) Component(importPackages bool) (*component.Component, error) {
	return c.Graph.Component(compose.EncodeOptions{Validate: true, ImportPackages: importPackages})
}

// Compose parses the document src (read from path) and resolves it.
func Compose(path string, src []byte, opts Options) (*Composition, error) {
	doc, err := Parse(path, src)
	if err != nil {
		return nil, err
	}
	return Resolve(doc, opts)
}

// Resolve lowers a parsed document to a composition graph, following
// wac's rules (LANGUAGE.md): packages are found with opts, names are
// resolved, arguments checked against the imports they satisfy and the
// composition against its target world. Errors are a [diag.List]; as
// wac, resolution stops at the first.
func Resolve(doc *Document, opts Options) (*Composition, error) {
	r := &resolver{doc: doc, opts: opts, g: compose.NewGraph(), res: &wit.Resolve{},
		pkgs: map[string]*pkg{}, names: map[string]*binding{}, exports: map[string]*export{}}
	c, d := r.resolve()
	if d != nil {
		return nil, diag.List{d}
	}
	return c, nil
}

// binding is what a local name stands for: a value (a graph node) or a
// declared type, interface or world.
type binding struct {
	span diag.Span // the name where it is bound
	val  *value
	decl *decl
}

// value is the result of an expression: a node of the graph.
type value struct {
	node compose.NodeID
	// name is the import name of an explicit import or the export name of
	// an access: what an inferred argument or an export uses.
	name string
	// path is the package path of an instance imported by path.
	path string
}

// decl is a declared type: an interface, a world, a function type or a
// value type, and its type definition node.
type decl struct {
	kind  string // as DOT and messages print it: "interface", "u32", …
	iface *wit.Interface
	world *wit.World
	fn    *wit.Function
	typ   wit.Type
	node  compose.NodeID
	name  string // the export name
}

// export is an export name already used.
type export struct {
	span diag.Span
	decl *decl // a type declaration's
	node compose.NodeID
}

type resolver struct {
	doc     *Document
	opts    Options
	g       *compose.Graph
	res     *wit.Resolve
	self    *wit.Package
	pkgs    map[string]*pkg
	names   map[string]*binding
	exports map[string]*export
	decls   []*decl
	// importSpans are the explicit imports' names, in order.
	importSpans []importSpan
}

func (r *resolver) errorf(code diag.Code, at diag.Span, format string, args ...any) *diag.Diagnostic {
	return &diag.Diagnostic{Severity: diag.Error, Code: code, Span: at, Message: fmt.Sprintf(format, args...)}
}

func (r *resolver) resolve() (*Composition, *diag.Diagnostic) {
	doc := r.doc
	name := wit.PackageName{Namespace: doc.Name.Names[0].Name, Name: doc.Name.Names[len(doc.Name.Names)-1].Name}
	v, d := r.version(doc.Name.Version)
	if d != nil {
		return nil, d
	}
	name.Version = v
	r.self = r.res.AddPackage(&wit.Package{Name: name})
	for _, s := range doc.Statements {
		var d *diag.Diagnostic
		switch s := s.(type) {
		case *Import:
			d = r.importStmt(s)
		case *Let:
			d = r.letStmt(s)
		case *Export:
			d = r.exportStmt(s)
		default:
			d = r.typeStmt(s)
		}
		if d != nil {
			return nil, d
		}
	}
	for _, dc := range r.decls {
		if err := r.g.Export(dc.node, dc.name); err != nil {
			return nil, r.errorf(diag.DuplicateName, doc.Span, "%v", err)
		}
	}
	c := &Composition{Graph: r.g, Document: doc, Types: r.res}
	if doc.Targets != nil {
		w, d := r.targetWorld(doc.Targets)
		if d != nil {
			return nil, d
		}
		c.Target = w
		if d := r.checkTargets(w, doc.Targets); d != nil {
			return nil, d
		}
	}
	return c, nil
}

// bind binds a local name, rejecting a redefinition.
func (r *resolver) bind(id Ident, b *binding) *diag.Diagnostic {
	if prev, ok := r.names[id.Name]; ok {
		return r.errorf(diag.DuplicateName, id.Span, "`%s` is already defined", id.Name).
			Notef(prev.span, "`%s` previously defined here", id.Name)
	}
	b.span = id.Span
	r.names[id.Name] = b
	return nil
}

func (r *resolver) lookup(id Ident) (*binding, *diag.Diagnostic) {
	b, ok := r.names[id.Name]
	if !ok {
		return nil, r.errorf(diag.UndefinedName, id.Span, "undefined name `%s`", id.Name)
	}
	return b, nil
}

// importStmt: `import id (as name)? : type;`.
func (r *resolver) importStmt(s *Import) *diag.Diagnostic {
	name := s.ID.Name
	var it compose.Item
	var path string
	var nameSpan = s.ID.Span
	switch t := s.Type.(type) {
	case *PackagePath:
		item, qn, d := r.packageItem(t)
		if d != nil {
			return d
		}
		if item.iface == nil && item.fn == nil {
			return r.errorf(diag.WrongKind, t.Span, "`%s` (%s) cannot be imported", t.String(), item.kind)
		}
		it, name, path, nameSpan = item.externItem(), qn, qn, t.Span
	case *FuncType:
		fn, d := r.funcType(t, r.docScope(), "")
		if d != nil {
			return d
		}
		it = compose.Item{Kind: component.ExternFunc, Func: fn}
	case *InlineInterface:
		iface, d := r.inlineInterface(t.Items, "")
		if d != nil {
			return d
		}
		it = compose.Item{Kind: component.ExternInstance, Interface: iface}
	case *Ident:
		b, d := r.lookup(*t)
		if d != nil {
			return d
		}
		if b.decl == nil || b.decl.iface == nil && b.decl.fn == nil {
			return r.errorf(diag.WrongKind, t.Span, "`%s` (%s) is not a function type or interface", t.Name, r.kindOf(b))
		}
		it = b.decl.externItem()
		if b.decl.iface != nil && b.decl.iface.Name != "" {
			path = b.decl.iface.QualifiedName()
		}
	}
	if s.As != nil {
		name, nameSpan = s.As.Value, s.As.Span
	}
	if prev := r.importSpan(name); prev.IsValid() {
		return r.errorf(diag.DuplicateName, nameSpan, "duplicate import `%s`", name).Notef(prev, "previous import here")
	}
	n, err := r.g.Import(name, it)
	if err != nil {
		msg := err.Error()
		if strings.Contains(msg, "is not valid") {
			return r.errorf(diag.InvalidIdentifier, nameSpan, "%s", firstLine(msg, "is not valid"))
		}
		return r.errorf(diag.DuplicateName, nameSpan, "%s", msg)
	}
	r.g.SetNodeName(n, s.ID.Name)
	r.importSpans = append(r.importSpans, importSpan{name, nameSpan})
	return r.bind(s.ID, &binding{val: &value{node: n, name: name, path: path}})
}

// letStmt: `let id = expr;`.
func (r *resolver) letStmt(s *Let) *diag.Diagnostic {
	if _, ok := r.names[s.ID.Name]; ok {
		return r.bind(s.ID, nil)
	}
	v, d := r.expr(s.Expr)
	if d != nil {
		return d
	}
	r.g.SetNodeName(v.node, s.ID.Name)
	return r.bind(s.ID, &binding{val: v})
}

// expr evaluates an expression to a value.
func (r *resolver) expr(e *Expr) (*value, *diag.Diagnostic) {
	var v *value
	switch p := e.Primary.(type) {
	case *Ident:
		b, d := r.lookup(*p)
		if d != nil {
			return nil, d
		}
		if b.val == nil {
			return nil, r.errorf(diag.WrongKind, p.Span, "`%s` (%s) cannot be used in an expression", p.Name, r.kindOf(b))
		}
		v = b.val
	case *NestedExpr:
		var d *diag.Diagnostic
		if v, d = r.expr(p.Inner); d != nil {
			return nil, d
		}
	case *NewExpr:
		var d *diag.Diagnostic
		if v, d = r.newExpr(p); d != nil {
			return nil, d
		}
	}
	for _, pf := range e.Postfix {
		var d *diag.Diagnostic
		switch pf := pf.(type) {
		case *AccessExpr:
			v, d = r.access(v, pf.ID.Name, true, e.Primary.Pos(), pf.Span)
		case *NamedAccessExpr:
			v, d = r.access(v, pf.Name.Value, false, e.Primary.Pos(), pf.Span)
		}
		if d != nil {
			return nil, d
		}
	}
	return v, nil
}

// exportNames lists the names an instance value exports.
func (r *resolver) exportNames(v *value) []string {
	it := r.g.Node(v.node).Item
	var out []string
	switch {
	case it.Exports != nil:
		for _, e := range it.Exports {
			out = append(out, e.Name)
		}
	case it.Interface != nil:
		for _, t := range it.Interface.Types {
			out = append(out, t.Name)
		}
		for _, f := range it.Interface.Functions {
			out = append(out, f.Name)
		}
	}
	return out
}

func (r *resolver) isInstance(v *value) bool {
	return r.g.Node(v.node).Item.Kind == component.ExternInstance && r.g.Node(v.node).Kind != compose.NodeType
}

// access is `.name` (infer set: a path ending in /name is preferred when
// it is the only one) or `["name"]`.
func (r *resolver) access(v *value, name string, infer bool, span, nameSpan diag.Span) (*value, *diag.Diagnostic) {
	if !r.isInstance(v) {
		return nil, r.errorf(diag.WrongKind, span, "an instance is required to perform an access operation").
			Notef(span, "this evaluated to a %s when an instance was expected", r.kindOf(&binding{val: v}))
	}
	names := r.exportNames(v)
	if infer {
		if m := pathSuffix(names, name); m != "" {
			name = m
		}
	}
	found := false
	for _, n := range names {
		found = found || n == name
	}
	if !found {
		return nil, r.errorf(diag.UndefinedName, nameSpan, "the instance has no export named `%s`", name)
	}
	n, err := r.g.Alias(v.node, name)
	if err != nil {
		return nil, r.errorf(diag.UndefinedName, nameSpan, "%v", err)
	}
	out := &value{node: n, name: name}
	if isPath(name) {
		out.path = name
	}
	return out, nil
}

// isPath reports whether an extern name is an interface path ns:pkg/iface.
func isPath(name string) bool { return strings.Contains(name, ":") && strings.Contains(name, "/") }

// pathSuffix returns the only name among names that is a path whose last
// segment (version aside) is id, or "".
func pathSuffix(names []string, id string) string {
	found := ""
	for _, n := range names {
		if !isPath(n) {
			continue
		}
		base, _ := wit.SplitVersion(n)
		if strings.HasSuffix(base, "/"+id) {
			if found != "" {
				return ""
			}
			found = n
		}
	}
	return found
}

// newExpr instantiates a package with its arguments.
func (r *resolver) newExpr(n *NewExpr) (*value, *diag.Diagnostic) {
	if n.Package.Name() == r.doc.Name.Name() {
		return nil, r.errorf(diag.WrongKind, n.Package.Span, "cannot instantiate the package being defined")
	}
	p, d := r.component(&n.Package)
	if d != nil {
		return nil, d
	}
	var imports []string
	for _, im := range p.Imports() {
		imports = append(imports, im.Name)
	}
	given := map[string]diag.Span{}
	type pending struct {
		arg string
		at  diag.Span
		src compose.NodeID
	}
	var args []pending
	inst := compose.NodeID(-1)
	apply := func(a pending) *diag.Diagnostic {
		if err := r.g.SetArgument(inst, a.arg, a.src); err != nil {
			msg := err.Error()
			msg = strings.Replace(msg, ": ", "\n", 1)
			return r.errorf(diag.WrongKind, a.at, "%s", msg).Notef(a.at, "mismatched argument `%s`", a.arg)
		}
		return nil
	}
	set := func(arg string, at diag.Span, src compose.NodeID) *diag.Diagnostic {
		if prev, ok := given[arg]; ok {
			return r.errorf(diag.DuplicateName, at, "duplicate instantiation argument `%s`", arg).Notef(prev, "previous argument here")
		}
		if matchImport(imports, arg) == "" {
			return r.errorf(diag.UndefinedName, at, "component `%s` has no import named `%s`", n.Package.Name(), arg)
		}
		if inst >= 0 {
			if d := apply(pending{arg, at, src}); d != nil {
				return d
			}
		} else {
			args = append(args, pending{arg, at, src})
		}
		given[arg] = at
		given[matchImport(imports, arg)] = at
		return nil
	}
	var spreads []*SpreadArg
	for i, a := range n.Args {
		switch a := a.(type) {
		case *FillArg:
			if i != len(n.Args)-1 {
				return nil, r.errorf(diag.Syntax, a.Span, "implicit import argument `...` must be the last argument")
			}
		case *InferredArg:
			b, d := r.lookup(a.ID)
			if d != nil {
				return nil, d
			}
			if b.val == nil {
				return nil, r.errorf(diag.WrongKind, a.ID.Span, "`%s` (%s) cannot be used as an instantiation argument", a.ID.Name, r.kindOf(b))
			}
			if d := set(inferArg(imports, b.val, a.ID.Name), a.ID.Span, b.val.node); d != nil {
				return nil, d
			}
		case *NamedArg:
			v, d := r.expr(a.Expr)
			if d != nil {
				return nil, d
			}
			name := a.Name.Value
			if !a.Name.Quoted {
				if m := pathSuffix(imports, name); m != "" {
					name = m
				}
			}
			if d := set(name, a.Name.Span, v.node); d != nil {
				return nil, d
			}
		case *SpreadArg:
			spreads = append(spreads, a)
		}
	}
	inst = r.g.Instantiate(p)
	for _, a := range args {
		if d := apply(a); d != nil {
			return nil, d
		}
	}
	for _, a := range spreads {
		b, d := r.lookup(a.ID)
		if d != nil {
			return nil, d
		}
		if b.val == nil || !r.isInstance(b.val) {
			return nil, r.errorf(diag.WrongKind, a.ID.Span, "an instance is required to perform a spread operation")
		}
		exports := r.exportNames(b.val)
		matched := 0
		for _, im := range imports {
			if _, ok := given[im]; ok {
				continue
			}
			e := matchImport(exports, im)
			if e == "" {
				continue
			}
			al, err := r.g.Alias(b.val.node, e)
			if err != nil {
				return nil, r.errorf(diag.UndefinedName, a.ID.Span, "%v", err)
			}
			if d := set(im, a.ID.Span, al); d != nil {
				return nil, d
			}
			matched++
		}
		if matched == 0 {
			return nil, r.errorf(diag.UndefinedName, a.ID.Span, "the instance has no matching exports for the remaining unsatisfied arguments")
		}
	}
	if !n.HasFill() {
		for _, im := range p.Imports() {
			if _, ok := given[im.Name]; !ok {
				return nil, r.errorf(diag.UndefinedName, n.Package.Span, "missing instantiation argument `%s` for package `%s`", im.Name, n.Package.Name())
			}
		}
	}
	return &value{node: inst}, nil
}

// matchImport returns the name among names that name refers to: itself,
// else a semver-compatible one; "" when none.
func matchImport(names []string, name string) string {
	for _, n := range names {
		if n == name {
			return n
		}
	}
	return wit.MatchName(name, names, false)
}

// inferArg names the argument an inferred argument `id` satisfies, by
// LANGUAGE.md's rules in order: the value's package path, its import or
// export name, the only import path ending in /id, id itself.
func inferArg(imports []string, v *value, id string) string {
	if v.path != "" {
		if m := matchImport(imports, v.path); m != "" {
			return m
		}
	}
	if v.name != "" {
		if m := matchImport(imports, v.name); m != "" {
			return m
		}
	}
	if m := pathSuffix(imports, id); m != "" {
		return m
	}
	return id
}

// exportStmt: `export expr (as name)?;` and `export expr...;`.
func (r *resolver) exportStmt(s *Export) *diag.Diagnostic {
	if id, ok := s.Expr.Primary.(*Ident); ok && len(s.Expr.Postfix) == 0 {
		if b, ok := r.names[id.Name]; ok && b.decl != nil {
			return r.exportDecl(s, b.decl)
		}
	}
	v, d := r.expr(s.Expr)
	if d != nil {
		return d
	}
	if s.IsSpread() {
		if !r.isInstance(v) {
			return r.errorf(diag.WrongKind, s.Expr.Span, "an instance is required to perform a spread operation")
		}
		count := 0
		for _, e := range r.exportNames(v) {
			if _, ok := r.exports[e]; ok {
				continue
			}
			al, err := r.g.Alias(v.node, e)
			if err != nil {
				return r.errorf(diag.UndefinedName, s.Expr.Span, "%v", err)
			}
			if d := r.export(al, e, s.Expr.Span); d != nil {
				return d
			}
			count++
		}
		if count == 0 {
			return r.errorf(diag.DuplicateName, s.Expr.Span, "instance has no exports or all exports of the instance match previously exported names")
		}
		return nil
	}
	name, at := v.name, s.Expr.Span
	if s.As != nil {
		name, at = s.As.Value, s.As.Span
	}
	if name == "" {
		return r.errorf(diag.UndefinedName, s.Expr.Span, "export statement requires an `as` clause as the export name cannot be inferred")
	}
	return r.export(v.node, name, at)
}

// export exports node n as name, checking the name is free.
func (r *resolver) export(n compose.NodeID, name string, at diag.Span) *diag.Diagnostic {
	if prev, ok := r.exports[name]; ok {
		if prev.decl != nil {
			return r.errorf(diag.DuplicateName, at, "export `%s` conflicts with %s definition", name, prev.decl.kind).
				Notef(prev.span, "previous definition is here")
		}
		return r.errorf(diag.DuplicateName, at, "duplicate export `%s`", name).Notef(prev.span, "previous export here")
	}
	if d := r.checkExportName(name, at); d != nil {
		return d
	}
	if err := r.g.Export(n, name); err != nil {
		return r.errorf(diag.InvalidIdentifier, at, "%s", firstLine(err.Error(), "is not valid"))
	}
	r.exports[name] = &export{span: at, node: n}
	return nil
}

// exportDecl exports a declared type under another name (`export t as
// "name"`): its node takes that name.
func (r *resolver) exportDecl(s *Export, dc *decl) *diag.Diagnostic {
	if s.IsSpread() {
		return r.errorf(diag.WrongKind, s.Expr.Span, "an instance is required to perform a spread operation")
	}
	name, at := dc.name, s.Expr.Span
	if s.As != nil {
		name, at = s.As.Value, s.As.Span
	}
	if prev, ok := r.exports[name]; ok && prev.decl != dc {
		return r.errorf(diag.DuplicateName, at, "duplicate export `%s`", name).Notef(prev.span, "previous export here")
	}
	delete(r.exports, dc.name)
	dc.name = name
	r.g.SetNodeName(dc.node, name)
	r.exports[name] = &export{span: at, decl: dc}
	return nil
}

type importSpan struct {
	name string
	span diag.Span
}

func (r *resolver) importSpan(name string) diag.Span {
	for _, s := range r.importSpans {
		if s.name == name {
			return s.span
		}
	}
	return diag.Span{}
}

// kindOf describes a binding for messages: "interface", "u32", "instance".
func (r *resolver) kindOf(b *binding) string {
	if b.decl != nil {
		return b.decl.kind
	}
	k := r.g.Node(b.val.node).Item.Kind
	if k == component.ExternFunc {
		return "function"
	}
	return strings.ToLower(fmt.Sprint(k))
}

// firstLine puts what follows `after: ` in a message on a line of its
// own, so that the first line says what wac says.
func firstLine(msg, after string) string {
	if i := strings.Index(msg, after+": "); i >= 0 {
		j := i + len(after)
		return msg[:j] + "\n" + msg[j+2:]
	}
	return msg
}

// checkExportName rejects the names a component may import but not
// export: dependency, URL and hash names.
func (r *resolver) checkExportName(name string, at diag.Span) *diag.Diagnostic {
	for _, p := range []string{"locked-dep=<", "unlocked-dep=<", "url=<", "integrity=<", "relative-url=<"} {
		if strings.HasPrefix(name, p) {
			return r.errorf(diag.InvalidIdentifier, at, "export name `%s` is not valid\nan export cannot be named by a dependency, URL or hash", name)
		}
	}
	return nil
}
