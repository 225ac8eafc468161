package ast

import "github.com/witc-dev/witc/diag"

// TypeDecl is a named type definition: *RecordDecl, *VariantDecl, *EnumDecl,
// *FlagsDecl, *ResourceDecl or *TypeAlias. It may appear in interfaces and
// worlds.
type TypeDecl interface {
	InterfaceItem
	WorldItem
	DeclName() Ident
	typeDecl()
}

// Field is one record field.
type Field struct {
	Docs Docs
	Name Ident
	Type Type
}

// RecordDecl is `record name { fields }`.
type RecordDecl struct {
	Span   diag.Span
	Docs   Docs
	Attrs  []Attr
	Name   Ident
	Fields []Field
}

// Case is one variant case; Type is nil for a case without payload.
type Case struct {
	Docs Docs
	Name Ident
	Type Type
}

// VariantDecl is `variant name { cases }`.
type VariantDecl struct {
	Span  diag.Span
	Docs  Docs
	Attrs []Attr
	Name  Ident
	Cases []Case
}

// EnumCase is one enum case or one flag.
type EnumCase struct {
	Docs Docs
	Name Ident
}

// EnumDecl is `enum name { cases }`.
type EnumDecl struct {
	Span  diag.Span
	Docs  Docs
	Attrs []Attr
	Name  Ident
	Cases []EnumCase
}

// FlagsDecl is `flags name { flags }`.
type FlagsDecl struct {
	Span  diag.Span
	Docs  Docs
	Attrs []Attr
	Name  Ident
	Flags []EnumCase
}

// ResourceFuncKind is the kind of a function declared inside a resource.
type ResourceFuncKind uint8

const (
	ResourceMethod      ResourceFuncKind = iota + 1 // name: func(...)
	ResourceStatic                                  // name: static func(...)
	ResourceConstructor                             // constructor(...)
)

// ResourceFunc is a method, static function or constructor of a resource.
// For a constructor, Name is the `constructor` keyword ("constructor").
type ResourceFunc struct {
	Span  diag.Span
	Docs  Docs
	Attrs []Attr
	Kind  ResourceFuncKind
	Name  Ident
	Func  *FuncType
}

// ResourceDecl is `resource name;` or `resource name { funcs }`.
type ResourceDecl struct {
	Span  diag.Span
	Docs  Docs
	Attrs []Attr
	Name  Ident
	Funcs []*ResourceFunc
}

// TypeAlias is `type name = T;`.
type TypeAlias struct {
	Span  diag.Span
	Docs  Docs
	Attrs []Attr
	Name  Ident
	Type  Type
}

func (n *RecordDecl) Pos() diag.Span   { return n.Span }
func (n *VariantDecl) Pos() diag.Span  { return n.Span }
func (n *EnumDecl) Pos() diag.Span     { return n.Span }
func (n *FlagsDecl) Pos() diag.Span    { return n.Span }
func (n *ResourceDecl) Pos() diag.Span { return n.Span }
func (n *TypeAlias) Pos() diag.Span    { return n.Span }

func (n *RecordDecl) DeclName() Ident   { return n.Name }
func (n *VariantDecl) DeclName() Ident  { return n.Name }
func (n *EnumDecl) DeclName() Ident     { return n.Name }
func (n *FlagsDecl) DeclName() Ident    { return n.Name }
func (n *ResourceDecl) DeclName() Ident { return n.Name }
func (n *TypeAlias) DeclName() Ident    { return n.Name }

func (*RecordDecl) typeDecl()        {}
func (*VariantDecl) typeDecl()       {}
func (*EnumDecl) typeDecl()          {}
func (*FlagsDecl) typeDecl()         {}
func (*ResourceDecl) typeDecl()      {}
func (*TypeAlias) typeDecl()         {}
func (*RecordDecl) interfaceItem()   {}
func (*VariantDecl) interfaceItem()  {}
func (*EnumDecl) interfaceItem()     {}
func (*FlagsDecl) interfaceItem()    {}
func (*ResourceDecl) interfaceItem() {}
func (*TypeAlias) interfaceItem()    {}
func (*RecordDecl) worldItem()       {}
func (*VariantDecl) worldItem()      {}
func (*EnumDecl) worldItem()         {}
func (*FlagsDecl) worldItem()        {}
func (*ResourceDecl) worldItem()     {}
func (*TypeAlias) worldItem()        {}

// Type is a type expression: *PrimitiveType, *NamedType, *ListType, *MapType,
// *OptionType, *ResultType, *TupleType, *HandleType, *FutureType or
// *StreamType.
type Type interface {
	Node
	typeExpr()
}

// Primitive is a built-in scalar type keyword.
type Primitive uint8

const (
	Bool Primitive = iota + 1
	U8
	U16
	U32
	U64
	S8
	S16
	S32
	S64
	F32
	F64
	Char
	String
	ErrorContext
)

var primitiveNames = [...]string{
	Bool: "bool", U8: "u8", U16: "u16", U32: "u32", U64: "u64",
	S8: "s8", S16: "s16", S32: "s32", S64: "s64", F32: "f32", F64: "f64",
	Char: "char", String: "string", ErrorContext: "error-context",
}

func (p Primitive) String() string {
	if int(p) < len(primitiveNames) && primitiveNames[p] != "" {
		return primitiveNames[p]
	}
	return "invalid"
}

// PrimitiveType is a use of a built-in scalar type.
type PrimitiveType struct {
	Span diag.Span
	Kind Primitive
}

// NamedType is a reference to a type by name.
type NamedType struct {
	Name Ident
}

// ListType is `list<T>` or, with Size set, the fixed-length `list<T, N>`.
type ListType struct {
	Span     diag.Span
	Elem     Type
	Size     *uint32   // nil for a variable-length list
	SizeSpan diag.Span // span of N when Size is set
}

// MapType is `map<K, V>`.
type MapType struct {
	Span       diag.Span
	Key, Value Type
}

// OptionType is `option<T>`.
type OptionType struct {
	Span diag.Span
	Elem Type
}

// ResultType is `result`, `result<T>`, `result<_, E>` or `result<T, E>`;
// absent parts are nil.
type ResultType struct {
	Span    diag.Span
	Ok, Err Type
}

// TupleType is `tuple<A, B, ...>`.
type TupleType struct {
	Span  diag.Span
	Elems []Type
}

// HandleType is `own<r>` or `borrow<r>`.
type HandleType struct {
	Span     diag.Span
	Borrow   bool
	Resource Ident
}

// FutureType is `future` or `future<T>` (Elem nil when absent).
type FutureType struct {
	Span diag.Span
	Elem Type
}

// StreamType is `stream` or `stream<T>` (Elem nil when absent).
type StreamType struct {
	Span diag.Span
	Elem Type
}

func (n *PrimitiveType) Pos() diag.Span { return n.Span }
func (n *NamedType) Pos() diag.Span     { return n.Name.Span }
func (n *ListType) Pos() diag.Span      { return n.Span }
func (n *MapType) Pos() diag.Span       { return n.Span }
func (n *OptionType) Pos() diag.Span    { return n.Span }
func (n *ResultType) Pos() diag.Span    { return n.Span }
func (n *TupleType) Pos() diag.Span     { return n.Span }
func (n *HandleType) Pos() diag.Span    { return n.Span }
func (n *FutureType) Pos() diag.Span    { return n.Span }
func (n *StreamType) Pos() diag.Span    { return n.Span }
func (*PrimitiveType) typeExpr()        {}
func (*NamedType) typeExpr()            {}
func (*ListType) typeExpr()             {}
func (*MapType) typeExpr()              {}
func (*OptionType) typeExpr()           {}
func (*ResultType) typeExpr()           {}
func (*TupleType) typeExpr()            {}
func (*HandleType) typeExpr()           {}
func (*FutureType) typeExpr()           {}
func (*StreamType) typeExpr()           {}
