package ast

import "github.com/witc-dev/witc/diag"

// Node is any syntax tree node.
type Node interface{ Pos() diag.Span }

// Ident is an identifier; Name has any leading '%' removed.
type Ident struct {
	Span diag.Span
	Name string
}

func (i Ident) Pos() diag.Span { return i.Span }

// Comment is one comment token that precedes an item, as written in the source
// (with its `//`, `///`, `/*` or `/**` markers).
type Comment struct {
	Span diag.Span
	Text string
}

// Docs are the comments immediately preceding an item. wit-parser turns every
// such comment into documentation, not only `///`; see [Docs.Contents].
type Docs struct {
	Comments []Comment
}

// Version is a semantic version as written (after `@` or in a gate).
type Version struct {
	Span diag.Span
	Text string
}

// PackageName is `ns:name` or `ns:name@version`.
type PackageName struct {
	Span      diag.Span
	Namespace Ident
	Name      Ident
	Version   *Version // nil when unversioned
}

func (p *PackageName) Pos() diag.Span { return p.Span }

// AttrKind is the kind of a gate or annotation preceding an item.
type AttrKind uint8

const (
	AttrSince      AttrKind = iota + 1 // @since(version = X)
	AttrUnstable                       // @unstable(feature = F)
	AttrDeprecated                     // @deprecated(version = X)
	AttrExternalID                     // @external-id("...")
)

// Attr is one `@since`, `@unstable`, `@deprecated` or `@external-id` annotation.
type Attr struct {
	Span    diag.Span
	Kind    AttrKind
	Version *Version // AttrSince, AttrDeprecated
	Feature Ident    // AttrUnstable
	Value   string   // AttrExternalID: the unquoted string
}

// File is one parsed .wit file.
type File struct {
	Source  *diag.File
	Package *PackageDecl // `package ns:name;` at the top, or nil
	// Items in source order: *TopLevelUse, *Interface, *World, *NestedPackage.
	Items []Item
}

// Item is a top-level item of a file or of a nested package.
type Item interface {
	Node
	item()
}

// PackageDecl is a `package ns:name@v;` header (or the head of a nested package).
type PackageDecl struct {
	Span diag.Span
	Docs Docs
	Name PackageName
}

// NestedPackage is `package ns:name@v { items }`.
type NestedPackage struct {
	Span  diag.Span
	Decl  PackageDecl
	Items []Item // *TopLevelUse, *Interface, *World (never another *NestedPackage)
}

// UsePath names an interface or world: `name` (same package) or
// `ns:pkg/name@version` (Package set).
type UsePath struct {
	Span    diag.Span
	Package *PackageName // nil for a local name
	Name    Ident
}

func (u *UsePath) Pos() diag.Span { return u.Span }

// TopLevelUse is `use path as name;` at file or nested-package level.
type TopLevelUse struct {
	Span  diag.Span
	Docs  Docs
	Attrs []Attr
	Path  UsePath
	As    *Ident // nil when there is no `as`
}

// Interface is `interface name { items }`.
type Interface struct {
	Span  diag.Span
	Docs  Docs
	Attrs []Attr
	Name  Ident
	Items []InterfaceItem // *Use, *FuncDecl, or a TypeDecl
}

// World is `world name { items }`.
type World struct {
	Span  diag.Span
	Docs  Docs
	Attrs []Attr
	Name  Ident
	Items []WorldItem // *Extern, *Use, *Include, or a TypeDecl
}

func (n *TopLevelUse) Pos() diag.Span   { return n.Span }
func (n *Interface) Pos() diag.Span     { return n.Span }
func (n *World) Pos() diag.Span         { return n.Span }
func (n *NestedPackage) Pos() diag.Span { return n.Span }
func (*TopLevelUse) item()              {}
func (*Interface) item()                {}
func (*World) item()                    {}
func (*NestedPackage) item()            {}

// InterfaceItem is an item inside an interface body.
type InterfaceItem interface {
	Node
	interfaceItem()
}

// WorldItem is an item inside a world body.
type WorldItem interface {
	Node
	worldItem()
}

// UseName is one `name` or `name as alias` in a use list.
type UseName struct {
	Name Ident
	As   *Ident // nil when there is no `as`
}

// Use is `use path.{a, b as c};` inside an interface or world.
type Use struct {
	Span  diag.Span
	Docs  Docs
	Attrs []Attr
	From  UsePath
	Names []UseName
}

// FuncDecl is `name: func(...) -> T;` (or `async func`).
type FuncDecl struct {
	Span  diag.Span
	Docs  Docs
	Attrs []Attr
	Name  Ident
	Func  *FuncType
}

// Param is one named function parameter.
type Param struct {
	Name Ident
	Type Type
}

// FuncType is `async? func(params) (-> T)?`.
type FuncType struct {
	Span   diag.Span
	Async  bool
	Params []Param
	Result Type // nil when the function returns nothing
}

// ExternDir says whether an extern is an import or an export.
type ExternDir uint8

const (
	Import ExternDir = iota + 1
	Export
)

func (d ExternDir) String() string {
	if d == Export {
		return "export"
	}
	return "import"
}

// Extern is an `import` or `export` in a world. Exactly one form is set:
//
//	import name: func(...);          Name + Func
//	import name: interface { ... }   Name + Inline
//	import ns:pkg/iface@v;           Path (Name nil)
//	import label: ns:pkg/iface;      Name + Path (a named import, "implements")
type Extern struct {
	Span   diag.Span
	Docs   Docs
	Attrs  []Attr
	Dir    ExternDir
	Name   *Ident
	Func   *FuncType
	Inline *InlineInterface
	Path   *UsePath
}

// InlineInterface is the body of `import name: interface { ... }`.
type InlineInterface struct {
	Span  diag.Span
	Items []InterfaceItem
}

// IncludeName is one `a as b` in an include's `with` list.
type IncludeName struct {
	Name Ident
	As   Ident
}

// Include is `include path;` or `include path with { a as b, ... }`.
type Include struct {
	Span  diag.Span
	Docs  Docs
	Attrs []Attr
	From  UsePath
	With  []IncludeName
}

func (n *Use) Pos() diag.Span      { return n.Span }
func (n *FuncDecl) Pos() diag.Span { return n.Span }
func (n *Extern) Pos() diag.Span   { return n.Span }
func (n *Include) Pos() diag.Span  { return n.Span }
func (*Use) interfaceItem()        {}
func (*FuncDecl) interfaceItem()   {}
func (*Use) worldItem()            {}
func (*Extern) worldItem()         {}
func (*Include) worldItem()        {}
