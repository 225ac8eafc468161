package wac

import "github.com/witc-dev/witc/diag"

// The WIT subset of WAC: interfaces, worlds and type declarations, as in
// WebAssembly/component-model design/mvp/WIT.md but declared before use.

// ItemRef names an interface or world: *PackagePath (in another package)
// or *Ident (declared in the document).
type ItemRef interface {
	Node
	itemRef()
}

// InterfaceDecl is `interface id { items }`.
type InterfaceDecl struct {
	Span  diag.Span
	Docs  Docs
	ID    Ident
	Items []InterfaceItem
}

// InlineInterface is `interface { items }` in an import.
type InlineInterface struct {
	Span  diag.Span
	Items []InterfaceItem
}

// InterfaceItem is an item of an interface: *Use, *InterfaceExport or a
// TypeDecl (resources included).
type InterfaceItem interface {
	Node
	interfaceItem()
}

// Use is `use path.{a, b as c};` in an interface or world.
type Use struct {
	Span  diag.Span
	Docs  Docs
	Path  ItemRef // the interface the types come from
	Items []UseItem
}

// UseItem is one `id` or `id as alias` of a use.
type UseItem struct {
	Span diag.Span
	ID   Ident
	As   *Ident // nil without `as`
}

// FuncTypeRef is a function type written out (*FuncType) or the name of a
// function type alias (*Ident).
type FuncTypeRef interface {
	Node
	funcTypeRef()
}

// InterfaceExport is `id: func(...);` or `id: alias;` in an interface.
type InterfaceExport struct {
	Span diag.Span
	Docs Docs
	ID   Ident
	Type FuncTypeRef
}

// WorldDecl is `world id { items }`.
type WorldDecl struct {
	Span  diag.Span
	Docs  Docs
	ID    Ident
	Items []WorldItem
}

// WorldItem is an item of a world: *Use, *WorldImport, *WorldExport,
// *Include or a TypeDecl (resources included).
type WorldItem interface {
	Node
	worldItem()
}

// WorldItemPath is what a world imports or exports: *NamedWorldItem
// (`id: type`), *PackagePath or *Ident (an interface).
type WorldItemPath interface {
	Node
	worldItemPath()
}

// ExternType is the type of a named world item: *FuncType,
// *InlineInterface or *Ident.
type ExternType interface {
	Node
	externType()
}

// NamedWorldItem is `id: type` in a world import or export.
type NamedWorldItem struct {
	Span diag.Span
	ID   Ident
	Type ExternType
}

// WorldImport is `import path;` in a world.
type WorldImport struct {
	Span diag.Span
	Docs Docs
	Path WorldItemPath
}

// WorldExport is `export path;` in a world.
type WorldExport struct {
	Span diag.Span
	Docs Docs
	Path WorldItemPath
}

// Include is `include world;` or `include world with { a as b, ... };`.
type Include struct {
	Span  diag.Span
	Docs  Docs
	World ItemRef
	With  []IncludeName
}

// IncludeName is one `id as id` of an include's `with` clause.
type IncludeName struct {
	Span diag.Span
	ID   Ident
	As   Ident
}

// TypeDecl is a named type declaration: *VariantDecl, *RecordDecl,
// *FlagsDecl, *EnumDecl, *TypeAlias, or *ResourceDecl (only in interfaces
// and worlds).
type TypeDecl interface {
	InterfaceItem
	WorldItem
	Name() Ident
	typeDecl()
}

// ResourceDecl is `resource id;` or `resource id { methods }`.
type ResourceDecl struct {
	Span    diag.Span
	Docs    Docs
	ID      Ident
	Methods []*ResourceMethod
}

// MethodKind is the kind of a resource function.
type MethodKind uint8

const (
	Constructor MethodKind = iota + 1 // constructor(params);
	Method                            // id: func(params) -> results;
	Static                            // id: static func(params) -> results;
)

// ResourceMethod is a constructor, method or static function of a
// resource. For a constructor, ID is the zero Ident and Func has no
// results; its span covers `constructor(...)`.
type ResourceMethod struct {
	Span diag.Span
	Docs Docs
	Kind MethodKind
	ID   Ident
	Func *FuncType
}

// VariantDecl is `variant id { cases }`.
type VariantDecl struct {
	Span  diag.Span
	Docs  Docs
	ID    Ident
	Cases []VariantCase
}

// VariantCase is one case; Type is nil for a case without payload.
type VariantCase struct {
	Span diag.Span
	Docs Docs
	ID   Ident
	Type Type
}

// RecordDecl is `record id { fields }`.
type RecordDecl struct {
	Span   diag.Span
	Docs   Docs
	ID     Ident
	Fields []Field
}

// Field is one record field.
type Field struct {
	Span diag.Span
	Docs Docs
	ID   Ident
	Type Type
}

// FlagsDecl is `flags id { flags }`.
type FlagsDecl struct {
	Span  diag.Span
	Docs  Docs
	ID    Ident
	Flags []Label
}

// EnumDecl is `enum id { cases }`.
type EnumDecl struct {
	Span  diag.Span
	Docs  Docs
	ID    Ident
	Cases []Label
}

// Label is a flag or an enum case.
type Label struct {
	Span diag.Span
	Docs Docs
	ID   Ident
}

// TypeAlias is `type id = func(...);` (Func set) or `type id = type;`
// (Type set).
type TypeAlias struct {
	Span diag.Span
	Docs Docs
	ID   Ident
	Func *FuncType
	Type Type
}

// FuncType is `func(params) -> results`. Results are either one unnamed
// type (Result) or a parenthesized list of named ones (Results), or none.
type FuncType struct {
	Span    diag.Span
	Params  []NamedType
	Result  Type        // `-> T`; nil otherwise
	Results []NamedType // `-> (a: T, b: U)`; nil otherwise
}

// NamedType is `id: type`: a parameter or named result.
type NamedType struct {
	Span diag.Span
	ID   Ident
	Type Type
}

// Type is a value type: *PrimitiveType, *TupleType, *ListType,
// *OptionType, *ResultType, *BorrowType or *TypeName.
type Type interface {
	Node
	valueType()
}

// Primitive is a primitive value type.
type Primitive uint8

const (
	U8 Primitive = iota + 1
	S8
	U16
	S16
	U32
	S32
	U64
	S64
	F32
	F64
	Char
	Bool
	StringType
)

var primitiveNames = [...]string{"", "u8", "s8", "u16", "s16", "u32", "s32", "u64", "s64", "f32", "f64", "char", "bool", "string"}

// String returns the keyword of p.
func (p Primitive) String() string {
	if int(p) < len(primitiveNames) {
		return primitiveNames[p]
	}
	return "invalid"
}

// PrimitiveType is one of the primitive keywords.
type PrimitiveType struct {
	Span diag.Span
	Kind Primitive
}

// TupleType is `tuple<T, ...>` (at least one type).
type TupleType struct {
	Span  diag.Span
	Types []Type
}

// ListType is `list<T>`.
type ListType struct {
	Span diag.Span
	Elem Type
}

// OptionType is `option<T>`.
type OptionType struct {
	Span diag.Span
	Elem Type
}

// ResultType is `result`, `result<T>`, `result<_, E>` or `result<T, E>`
// (wac also accepts `result<_>`, kept as `result`);
// Ok and Err are nil when absent.
type ResultType struct {
	Span diag.Span
	Ok   Type
	Err  Type
}

// BorrowType is `borrow<resource>`.
type BorrowType struct {
	Span     diag.Span
	Resource Ident
}

// TypeName refers to a type by name.
type TypeName struct {
	ID Ident
}

func (n *InterfaceDecl) Pos() diag.Span   { return n.Span }
func (n *InlineInterface) Pos() diag.Span { return n.Span }
func (n *Use) Pos() diag.Span             { return n.Span }
func (n *InterfaceExport) Pos() diag.Span { return n.Span }
func (n *WorldDecl) Pos() diag.Span       { return n.Span }
func (n *NamedWorldItem) Pos() diag.Span  { return n.Span }
func (n *WorldImport) Pos() diag.Span     { return n.Span }
func (n *WorldExport) Pos() diag.Span     { return n.Span }
func (n *Include) Pos() diag.Span         { return n.Span }
func (n *ResourceDecl) Pos() diag.Span    { return n.Span }
func (n *ResourceMethod) Pos() diag.Span  { return n.Span }
func (n *VariantDecl) Pos() diag.Span     { return n.Span }
func (n *RecordDecl) Pos() diag.Span      { return n.Span }
func (n *FlagsDecl) Pos() diag.Span       { return n.Span }
func (n *EnumDecl) Pos() diag.Span        { return n.Span }
func (n *TypeAlias) Pos() diag.Span       { return n.Span }
func (n *FuncType) Pos() diag.Span        { return n.Span }
func (n *PrimitiveType) Pos() diag.Span   { return n.Span }
func (n *TupleType) Pos() diag.Span       { return n.Span }
func (n *ListType) Pos() diag.Span        { return n.Span }
func (n *OptionType) Pos() diag.Span      { return n.Span }
func (n *ResultType) Pos() diag.Span      { return n.Span }
func (n *BorrowType) Pos() diag.Span      { return n.Span }
func (n *TypeName) Pos() diag.Span        { return n.ID.Span }

func (n *InterfaceDecl) Documentation() Docs { return n.Docs }
func (n *WorldDecl) Documentation() Docs     { return n.Docs }
func (n *VariantDecl) Documentation() Docs   { return n.Docs }
func (n *RecordDecl) Documentation() Docs    { return n.Docs }
func (n *FlagsDecl) Documentation() Docs     { return n.Docs }
func (n *EnumDecl) Documentation() Docs      { return n.Docs }
func (n *TypeAlias) Documentation() Docs     { return n.Docs }

func (*InterfaceDecl) statement() {}
func (*WorldDecl) statement()     {}
func (*VariantDecl) statement()   {}
func (*RecordDecl) statement()    {}
func (*FlagsDecl) statement()     {}
func (*EnumDecl) statement()      {}
func (*TypeAlias) statement()     {}

func (*PackagePath) itemRef() {}
func (*Ident) itemRef()       {}

func (*Use) interfaceItem()             {}
func (*InterfaceExport) interfaceItem() {}
func (*ResourceDecl) interfaceItem()    {}
func (*VariantDecl) interfaceItem()     {}
func (*RecordDecl) interfaceItem()      {}
func (*FlagsDecl) interfaceItem()       {}
func (*EnumDecl) interfaceItem()        {}
func (*TypeAlias) interfaceItem()       {}

func (*Use) worldItem()          {}
func (*WorldImport) worldItem()  {}
func (*WorldExport) worldItem()  {}
func (*Include) worldItem()      {}
func (*ResourceDecl) worldItem() {}
func (*VariantDecl) worldItem()  {}
func (*RecordDecl) worldItem()   {}
func (*FlagsDecl) worldItem()    {}
func (*EnumDecl) worldItem()     {}
func (*TypeAlias) worldItem()    {}

func (n *ResourceDecl) Name() Ident { return n.ID }
func (n *VariantDecl) Name() Ident  { return n.ID }
func (n *RecordDecl) Name() Ident   { return n.ID }
func (n *FlagsDecl) Name() Ident    { return n.ID }
func (n *EnumDecl) Name() Ident     { return n.ID }
func (n *TypeAlias) Name() Ident    { return n.ID }
func (*ResourceDecl) typeDecl()     {}
func (*VariantDecl) typeDecl()      {}
func (*RecordDecl) typeDecl()       {}
func (*FlagsDecl) typeDecl()        {}
func (*EnumDecl) typeDecl()         {}
func (*TypeAlias) typeDecl()        {}

func (*FuncType) funcTypeRef() {}
func (*Ident) funcTypeRef()    {}

func (*NamedWorldItem) worldItemPath() {}
func (*PackagePath) worldItemPath()    {}
func (*Ident) worldItemPath()          {}

func (*FuncType) externType()        {}
func (*InlineInterface) externType() {}
func (*Ident) externType()           {}

func (*PrimitiveType) valueType() {}
func (*TupleType) valueType()     {}
func (*ListType) valueType()      {}
func (*OptionType) valueType()    {}
func (*ResultType) valueType()    {}
func (*BorrowType) valueType()    {}
func (*TypeName) valueType()      {}
