package wac

import (
	"strings"

	"github.com/witc-dev/witc/diag"
)

// Node is any node of the syntax tree. Pos returns the bytes it was parsed
// from.
type Node interface{ Pos() diag.Span }

// Ident is an identifier. Name has any leading '%' removed; Span covers the
// identifier as written (with its '%').
type Ident struct {
	Span diag.Span
	Name string
}

// String is a string literal. Value is the text between the quotes, as
// written (WAC strings have no escapes); Span covers the quotes.
type String struct {
	Span  diag.Span
	Value string
}

// Name is an import, export or argument name given either as an identifier
// or as a string: `as my-name`, `as "my:name"`, `{ name: x }`,
// `{ "name": x }`.
type Name struct {
	Span   diag.Span // the identifier or the string with its quotes
	Value  string    // the identifier (without '%') or the string's contents
	Quoted bool      // written as a string
}

// Comment is one `///` doc comment: Text is what follows the slashes,
// without surrounding white space; Span covers the whole comment.
type Comment struct {
	Span diag.Span
	Text string
}

// Docs are the `///` comments that immediately precede a node (other
// comments are not documentation in WAC), in source order.
type Docs []Comment

// Text returns the documentation as one string, one line per comment.
func (d Docs) Text() string {
	lines := make([]string, len(d))
	for i, c := range d {
		lines[i] = c.Text
	}
	return strings.Join(lines, "\n")
}

// Version is a semantic version as written after '@'. The parser has
// checked that it is valid semver.
type Version struct {
	Span diag.Span
	Text string
}

// PackageName is `ns:name` or `ns:name@version` (the package of a `package`
// directive or of a `new` expression). Names holds the colon-separated
// parts: namespace, then name (WAC allows further `:part`s, as in
// `a:b:c`).
type PackageName struct {
	Span    diag.Span // the whole name, version included
	Names   []Ident
	Version *Version // nil when unversioned
}

// Name returns the name without version: "ns:name".
func (p *PackageName) Name() string { return joinIdents(p.Names, ":") }

// String returns the name as written, without '%': "ns:name@1.0.0".
func (p *PackageName) String() string { return withVersion(p.Name(), p.Version) }

// PackagePath is `ns:name/iface` (or more segments, as
// `ns:name/iface/item`), with an optional version of the package after the
// last segment: `wasi:http/types@0.2.0`.
type PackagePath struct {
	Span     diag.Span // the whole path, version included
	Names    []Ident   // the package: namespace, name (and further parts)
	Segments []Ident   // the segments after '/', at least one
	Version  *Version  // nil when unversioned
}

// Package returns the package name without version: "ns:name".
func (p *PackagePath) Package() string { return joinIdents(p.Names, ":") }

// Path returns the segments joined by '/': "iface" or "iface/item".
func (p *PackagePath) Path() string { return joinIdents(p.Segments, "/") }

// String returns the path as written, without '%': "ns:name/iface@1.0.0".
func (p *PackagePath) String() string {
	return withVersion(p.Package()+"/"+p.Path(), p.Version)
}

func joinIdents(ids []Ident, sep string) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = id.Name
	}
	return strings.Join(s, sep)
}

func withVersion(s string, v *Version) string {
	if v != nil {
		return s + "@" + v.Text
	}
	return s
}

// Document is one parsed WAC document:
//
//	package ns:name@version targets ns:pkg/world;
//	statement*
type Document struct {
	Source *diag.File
	Docs   Docs        // doc comments before the `package` directive
	Span   diag.Span   // the `package` directive, `package` to `;`
	Name   PackageName // the package being defined
	// Targets is the world named by a `targets` clause, nil without one.
	Targets *PackagePath
	// Statements in source order: *Import, *Let, *Export, *InterfaceDecl,
	// *WorldDecl, *VariantDecl, *RecordDecl, *FlagsDecl, *EnumDecl,
	// *TypeAlias.
	Statements []Statement
}

// Statement is a statement of a document: an import, let or export
// statement, or a type statement (*InterfaceDecl, *WorldDecl or a
// TypeDecl other than *ResourceDecl).
type Statement interface {
	Node
	Documentation() Docs
	statement()
}

// ImportType is what an import statement imports: *PackagePath, *FuncType,
// *InlineInterface or *Ident (a type declared in the document).
type ImportType interface {
	Node
	importType()
}

// Import is `import id (as name)? : type;`.
type Import struct {
	Span diag.Span
	Docs Docs
	ID   Ident
	As   *Name // nil without an `as` clause
	Type ImportType
}

// Let is `let id = expr;`.
type Let struct {
	Span diag.Span
	Docs Docs
	ID   Ident
	Expr *Expr
}

// Export is `export expr;`, `export expr as name;` or `export expr...;`.
type Export struct {
	Span diag.Span
	Docs Docs
	Expr *Expr
	As   *Name // nil without an `as` clause
	// Spread is the span of the `...` of a spread export (the exports of the
	// instance become the composition's), the zero Span otherwise.
	Spread diag.Span
}

// IsSpread reports whether the statement is a spread export (`export i...;`).
func (e *Export) IsSpread() bool { return e.Spread.IsValid() }

// Expr is a primary expression followed by any number of postfix
// accesses: `new a:b { ... }.c["d"]`.
type Expr struct {
	Span    diag.Span
	Primary PrimaryExpr
	Postfix []Postfix
}

// PrimaryExpr is *NewExpr, *NestedExpr or *Ident (a local name).
type PrimaryExpr interface {
	Node
	primaryExpr()
}

// NewExpr is `new ns:name@version { args }`: an instantiation of a package.
type NewExpr struct {
	Span    diag.Span
	Package PackageName
	Args    []Arg
}

// HasFill reports whether the arguments include `...` (missing arguments
// are imported). The parser accepts `...` anywhere among the arguments;
// that it comes last is for resolution to check.
func (n *NewExpr) HasFill() bool {
	for _, a := range n.Args {
		if _, ok := a.(*FillArg); ok {
			return true
		}
	}
	return false
}

// NestedExpr is `(expr)`.
type NestedExpr struct {
	Span  diag.Span
	Inner *Expr
}

// Arg is an instantiation argument of a `new` expression: *InferredArg,
// *SpreadArg, *NamedArg or *FillArg.
type Arg interface {
	Node
	arg()
}

// InferredArg is an argument passed by local name, its argument name
// inferred: `{ c }`.
type InferredArg struct{ ID Ident }

// SpreadArg is `...id`: the exports of instance id as arguments.
type SpreadArg struct {
	Span diag.Span // `...` and the identifier
	ID   Ident
}

// NamedArg is `name: expr` or `"name": expr`.
type NamedArg struct {
	Span diag.Span
	Name Name
	Expr *Expr
}

// FillArg is `...` alone: missing arguments are imported.
type FillArg struct{ Span diag.Span }

// Postfix is *AccessExpr or *NamedAccessExpr.
type Postfix interface {
	Node
	postfix()
}

// AccessExpr is `.id`: an export of an instance, its name inferred.
type AccessExpr struct {
	Span diag.Span // the '.' and the identifier
	ID   Ident
}

// NamedAccessExpr is `["name"]`: the export of that exact name.
type NamedAccessExpr struct {
	Span diag.Span // the brackets and what is between them
	Name String
}

func (n *Ident) Pos() diag.Span           { return n.Span }
func (n *String) Pos() diag.Span          { return n.Span }
func (n *Name) Pos() diag.Span            { return n.Span }
func (n *PackageName) Pos() diag.Span     { return n.Span }
func (n *PackagePath) Pos() diag.Span     { return n.Span }
func (n *Document) Pos() diag.Span        { return n.Span }
func (n *Import) Pos() diag.Span          { return n.Span }
func (n *Let) Pos() diag.Span             { return n.Span }
func (n *Export) Pos() diag.Span          { return n.Span }
func (n *Expr) Pos() diag.Span            { return n.Span }
func (n *NewExpr) Pos() diag.Span         { return n.Span }
func (n *NestedExpr) Pos() diag.Span      { return n.Span }
func (n *InferredArg) Pos() diag.Span     { return n.ID.Span }
func (n *SpreadArg) Pos() diag.Span       { return n.Span }
func (n *NamedArg) Pos() diag.Span        { return n.Span }
func (n *FillArg) Pos() diag.Span         { return n.Span }
func (n *AccessExpr) Pos() diag.Span      { return n.Span }
func (n *NamedAccessExpr) Pos() diag.Span { return n.Span }

func (n *Import) Documentation() Docs { return n.Docs }
func (n *Let) Documentation() Docs    { return n.Docs }
func (n *Export) Documentation() Docs { return n.Docs }

func (*Import) statement() {}
func (*Let) statement()    {}
func (*Export) statement() {}

func (*PackagePath) importType()     {}
func (*FuncType) importType()        {}
func (*InlineInterface) importType() {}
func (*Ident) importType()           {}

func (*NewExpr) primaryExpr()    {}
func (*NestedExpr) primaryExpr() {}
func (*Ident) primaryExpr()      {}

func (*InferredArg) arg() {}
func (*SpreadArg) arg()   {}
func (*NamedArg) arg()    {}
func (*FillArg) arg()     {}

func (*AccessExpr) postfix()      {}
func (*NamedAccessExpr) postfix() {}
