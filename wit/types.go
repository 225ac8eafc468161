package wit

import "github.com/witc-dev/witc/diag"

// Type is a reference to a type: a [Primitive] or a *[TypeDef]. A nil Type
// means "no type" (a variant case without payload, a function without result,
// `result<_, E>`).
type Type interface{ isType() }

// Primitive is a built-in scalar type.
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

// String returns the WIT spelling of p.
func (p Primitive) String() string {
	if int(p) < len(primitiveNames) && primitiveNames[p] != "" {
		return primitiveNames[p]
	}
	return "invalid"
}

// ParsePrimitive returns the primitive with WIT spelling s.
func ParsePrimitive(s string) (Primitive, bool) {
	for i, n := range primitiveNames {
		if n != "" && n == s {
			return Primitive(i), true
		}
	}
	return 0, false
}

func (Primitive) isType() {}
func (*TypeDef) isType()  {}

// TypeDef is a type definition: named (`record point {...}`, `type a = b`,
// every name brought in by `use`) or anonymous (`list<u8>`, `own<r>`, ...;
// Name is "" and Owner is zero).
type TypeDef struct {
	ID         int
	Name       string
	Kind       TypeDefKind
	Owner      Owner
	Docs       Docs
	Stability  Stability
	ExternalID string
	Span       diag.Span
}

// Owner is the interface or world a named type belongs to; both nil for an
// anonymous type.
type Owner struct {
	Interface *Interface
	World     *World
}

// TypeDefKind is the shape of a TypeDef: *Record, *Resource, *Handle, *Flags,
// *Tuple, *Variant, *Enum, *Option, *Result, *List, *FixedList, *Map,
// *Future, *Stream or *Alias.
type TypeDefKind interface{ typeDefKind() }

// Record is `record { fields }`.
type Record struct{ Fields []Field }

// Field is one record field.
type Field struct {
	Name string
	Type Type
	Docs Docs
	Span diag.Span // of the name, when resolved from source
}

// Resource is `resource`; its functions live in the owning interface or world.
type Resource struct{}

// HandleKind distinguishes own and borrow handles.
type HandleKind uint8

const (
	Own HandleKind = iota + 1
	Borrow
)

// Handle is `own<r>` or `borrow<r>`. Resource is the referenced type: a
// resource, or an alias that leads to one.
type Handle struct {
	Kind     HandleKind
	Resource *TypeDef
}

// Flags is `flags { names }`.
type Flags struct{ Flags []Flag }

// Flag is one flag.
type Flag struct {
	Name string
	Docs Docs
}

// Tuple is `tuple<types>`.
type Tuple struct{ Types []Type }

// Variant is `variant { cases }`.
type Variant struct{ Cases []Case }

// Case is one variant case; Type is nil when it has no payload.
type Case struct {
	Name string
	Type Type
	Docs Docs
}

// Enum is `enum { cases }`.
type Enum struct{ Cases []EnumCase }

// EnumCase is one enum case.
type EnumCase struct {
	Name string
	Docs Docs
}

// Option is `option<T>`.
type Option struct{ Type Type }

// Result is `result<OK, Err>`; either may be nil.
type Result struct{ OK, Err Type }

// List is `list<T>`.
type List struct{ Elem Type }

// FixedList is the fixed-length `list<T, N>`.
type FixedList struct {
	Elem Type
	Len  uint32
}

// Map is `map<K, V>`.
type Map struct{ Key, Value Type }

// Future is `future<T>`; Type may be nil.
type Future struct{ Type Type }

// Stream is `stream<T>`; Type may be nil.
type Stream struct{ Type Type }

// Alias is `type name = T` and every name imported by `use` (JSON kind "type").
type Alias struct{ Type Type }

func (*Record) typeDefKind()    {}
func (*Resource) typeDefKind()  {}
func (*Handle) typeDefKind()    {}
func (*Flags) typeDefKind()     {}
func (*Tuple) typeDefKind()     {}
func (*Variant) typeDefKind()   {}
func (*Enum) typeDefKind()      {}
func (*Option) typeDefKind()    {}
func (*Result) typeDefKind()    {}
func (*List) typeDefKind()      {}
func (*FixedList) typeDefKind() {}
func (*Map) typeDefKind()       {}
func (*Future) typeDefKind()    {}
func (*Stream) typeDefKind()    {}
func (*Alias) typeDefKind()     {}

// Resolved follows aliases from t to the TypeDef that is not an alias (or to a
// primitive).
func Resolved(t Type) Type {
	for i := 0; i < 1000; i++ { // bounded: alias chains are acyclic after resolution
		td, ok := t.(*TypeDef)
		if !ok {
			return t
		}
		a, ok := td.Kind.(*Alias)
		if !ok {
			return t
		}
		t = a.Type
	}
	return t
}

// FunctionKind is the kind of a function.
type FunctionKind uint8

const (
	Freestanding FunctionKind = iota + 1
	AsyncFreestanding
	Method
	AsyncMethod
	Static
	AsyncStatic
	Constructor
)

// IsAsync reports whether k is one of the async kinds.
func (k FunctionKind) IsAsync() bool {
	return k == AsyncFreestanding || k == AsyncMethod || k == AsyncStatic
}

// Function is a function of an interface or world, or of a resource
// (Resource set; Name is then "[method]r.m", "[static]r.s" or "[constructor]r").
type Function struct {
	Name       string
	Kind       FunctionKind
	Resource   *TypeDef // for methods, statics and constructors
	Params     []Param
	Result     Type // nil when nothing is returned
	Docs       Docs
	Stability  Stability
	ExternalID string
	Span       diag.Span
}

// Param is one named parameter.
type Param struct {
	Name string
	Type Type
}

// Children lists the types a type definition is made of: fields, cases,
// elements, payloads, the aliased type (nil ones left out).
func (t *TypeDef) Children() []Type {
	var out []Type
	add := func(ts ...Type) {
		for _, t := range ts {
			if t != nil {
				out = append(out, t)
			}
		}
	}
	switch k := t.Kind.(type) {
	case *Record:
		for _, f := range k.Fields {
			add(f.Type)
		}
	case *Tuple:
		add(k.Types...)
	case *Variant:
		for _, c := range k.Cases {
			add(c.Type)
		}
	case *Option:
		add(k.Type)
	case *Result:
		add(k.OK, k.Err)
	case *List:
		add(k.Elem)
	case *FixedList:
		add(k.Elem)
	case *Map:
		add(k.Key, k.Value)
	case *Alias:
		add(k.Type)
	case *Stream:
		add(k.Type)
	case *Future:
		add(k.Type)
	}
	return out
}

// StreamOrFuture tells stream and future types from the others: whether
// t is a stream<T> or a future<T> (aliases followed), and T (nil for a
// stream or future without elements).
func StreamOrFuture(t Type) (stream, future bool, elem Type) {
	td, ok := Resolved(t).(*TypeDef)
	if !ok {
		return false, false, nil
	}
	switch k := td.Kind.(type) {
	case *Stream:
		return true, false, k.Type
	case *Future:
		return false, true, k.Type
	}
	return false, false, nil
}
