package component

// Component is a decoded component binary: its sections in order. Core
// modules are kept as the bytes they were read from.
type Component struct {
	Sections []Section
}

// Section is one section of a component: *CustomSection, *ModuleSection,
// *CoreInstanceSection, *CoreTypeSection, *ComponentSection,
// *InstanceSection, *AliasSection, *TypeSection, *CanonSection,
// *StartSection, *ImportSection or *ExportSection.
type Section interface{ sectionID() byte }

// Section ids.
const (
	secCustom       = 0
	secModule       = 1
	secCoreInstance = 2
	secCoreType     = 3
	secComponent    = 4
	secInstance     = 5
	secAlias        = 6
	secType         = 7
	secCanon        = 8
	secStart        = 9
	secImport       = 10
	secExport       = 11
	secValue        = 12
)

// CustomSection is a named custom section, kept verbatim.
type CustomSection struct {
	Name string
	Data []byte
}

// ModuleSection is a core module, kept as its bytes (from the `\0asm`
// preamble on).
type ModuleSection struct {
	Bytes  []byte
	Offset int // of the module in the outermost input
}

// ComponentSection is a nested component. When Raw is set the encoder
// writes those bytes verbatim instead of encoding Component (composition
// nests its inputs this way).
type ComponentSection struct {
	Component *Component
	Raw       []byte
	Offset    int
	Size      int
}

// CoreInstanceSection defines core instances.
type CoreInstanceSection struct{ Instances []CoreInstance }

// CoreTypeSection defines core types (function and module types).
type CoreTypeSection struct{ Types []CoreType }

// InstanceSection defines component instances.
type InstanceSection struct{ Instances []Instance }

// AliasSection defines aliases.
type AliasSection struct{ Aliases []Alias }

// TypeSection defines component types.
type TypeSection struct{ Types []Type }

// CanonSection defines canonical functions.
type CanonSection struct{ Funcs []Canon }

// StartSection is a component start function.
type StartSection struct {
	Func    uint32
	Args    []uint32
	Results uint32
}

// ImportSection declares imports.
type ImportSection struct{ Imports []Import }

// ExportSection declares exports.
type ExportSection struct{ Exports []Export }

func (*CustomSection) sectionID() byte       { return secCustom }
func (*ModuleSection) sectionID() byte       { return secModule }
func (*CoreInstanceSection) sectionID() byte { return secCoreInstance }
func (*CoreTypeSection) sectionID() byte     { return secCoreType }
func (*ComponentSection) sectionID() byte    { return secComponent }
func (*InstanceSection) sectionID() byte     { return secInstance }
func (*AliasSection) sectionID() byte        { return secAlias }
func (*TypeSection) sectionID() byte         { return secType }
func (*CanonSection) sectionID() byte        { return secCanon }
func (*StartSection) sectionID() byte        { return secStart }
func (*ImportSection) sectionID() byte       { return secImport }
func (*ExportSection) sectionID() byte       { return secExport }

// Sort is what an index refers to. Core sorts are CoreFunc..CoreInstance;
// component sorts are Func..Instance.
type Sort uint8

// Sorts. The core ones carry their core:sort byte plus one so that the
// zero value is invalid.
const (
	SortCoreFunc Sort = iota + 1
	SortCoreTable
	SortCoreMemory
	SortCoreGlobal
	SortCoreTag
	SortCoreType
	SortCoreModule
	SortCoreInstance
	SortFunc
	SortValue
	SortType
	SortComponent
	SortInstance
)

var sortNames = [...]string{
	SortCoreFunc: "core func", SortCoreTable: "core table", SortCoreMemory: "core memory", SortCoreGlobal: "core global",
	SortCoreTag: "core tag", SortCoreType: "core type", SortCoreModule: "core module", SortCoreInstance: "core instance",
	SortFunc: "func", SortValue: "value", SortType: "type", SortComponent: "component", SortInstance: "instance",
}

func (s Sort) String() string {
	if int(s) < len(sortNames) && sortNames[s] != "" {
		return sortNames[s]
	}
	return "invalid sort"
}

// IsCore reports whether s is a core sort.
func (s Sort) IsCore() bool { return s >= SortCoreFunc && s <= SortCoreInstance }

// SortIdx is an index into the index space of a sort.
type SortIdx struct {
	Sort  Sort
	Index uint32
}

// CoreInstance is `(instantiate module args)` (Module set) or a bundle of
// inline exports.
type CoreInstance struct {
	Instantiate bool
	Module      uint32
	Args        []CoreInstantiateArg
	Exports     []CoreInlineExport
}

// CoreInstantiateArg is `(with name (instance i))`.
type CoreInstantiateArg struct {
	Name     string
	Instance uint32
}

// CoreInlineExport is `(export name (sort idx))` of a core instance bundle.
type CoreInlineExport struct {
	Name string
	Item SortIdx // a core sort
}

// Instance is `(instantiate component args)` or a bundle of inline exports.
type Instance struct {
	Instantiate bool
	Component   uint32
	Args        []InstantiateArg
	Exports     []InlineExport
}

// InstantiateArg is `(with name (sort idx))`.
type InstantiateArg struct {
	Name string
	Item SortIdx
}

// InlineExport is `(export name (sort idx))` of an instance bundle.
type InlineExport struct {
	Name Name
	Item SortIdx
}

// AliasKind says where an alias points.
type AliasKind uint8

const (
	AliasExport     AliasKind = iota // export of a component instance
	AliasCoreExport                  // export of a core instance
	AliasOuter                       // item of an enclosing component or type
)

// Alias is `(alias export i "n" (sort))`, `(alias core export i "n"
// (sort))` or `(alias outer count index (sort))`.
type Alias struct {
	Sort     Sort
	Kind     AliasKind
	Instance uint32 // export, core export
	Name     string // export, core export
	Count    uint32 // outer
	Index    uint32 // outer
}

// Name is an import or export name with its attributes.
type Name struct {
	Tag   byte // the nameattributes form: 0x00, 0x01 or 0x02 (with attributes)
	Name  string
	Attrs []NameAttr
}

// Name attribute kinds.
const (
	AttrImplements    = 0x00
	AttrVersionSuffix = 0x01
	AttrExternalID    = 0x02
)

// NameAttr is one attribute of a name.
type NameAttr struct {
	Kind  byte
	Value string
}

// Attr returns the value of the attribute of kind k.
func (n Name) Attr(k byte) (string, bool) {
	for _, a := range n.Attrs {
		if a.Kind == k {
			return a.Value, true
		}
	}
	return "", false
}

// ExternKind is the kind of an extern type.
type ExternKind uint8

const (
	ExternModule    ExternKind = iota // (core module (type i))
	ExternFunc                        // (func (type i))
	ExternValue                       // (value bound)
	ExternType                        // (type bound)
	ExternComponent                   // (component (type i))
	ExternInstance                    // (instance (type i))
)

// Extern is the type of an import or export.
type Extern struct {
	Kind ExternKind
	// Index is the type index; for ExternType with Eq, the type it equals.
	Index uint32
	// SubResource is set for `(type (sub resource))`.
	SubResource bool
	// For ExternValue: ValueEq means (eq Index), otherwise ValType.
	ValueEq bool
	ValType ValType
}

// Import is `(import name extern)`.
type Import struct {
	Name Name
	Type Extern
}

// Export is `(export name (sort idx) extern?)`.
type Export struct {
	Name Name
	Item SortIdx
	Type *Extern // optional type ascription
}

// PrimType is a primitive value type, by its binary opcode.
type PrimType byte

// Primitive value types.
const (
	PrimBool         PrimType = 0x7f
	PrimS8           PrimType = 0x7e
	PrimU8           PrimType = 0x7d
	PrimS16          PrimType = 0x7c
	PrimU16          PrimType = 0x7b
	PrimS32          PrimType = 0x7a
	PrimU32          PrimType = 0x79
	PrimS64          PrimType = 0x78
	PrimU64          PrimType = 0x77
	PrimF32          PrimType = 0x76
	PrimF64          PrimType = 0x75
	PrimChar         PrimType = 0x74
	PrimString       PrimType = 0x73
	PrimErrorContext PrimType = 0x64
)

func isPrim(b byte) bool { return (b >= 0x73 && b <= 0x7f) || b == 0x64 }

// ValType is a value type: a primitive (Prim != 0) or a type index.
type ValType struct {
	Prim  PrimType
	Index uint32
}

// Type is a component type definition: *DefinedType, *FuncType,
// *ComponentType, *InstanceType or *ResourceType.
type Type interface{ isType() }

// DefinedKind is the opcode of a defined value type.
type DefinedKind byte

// Defined value type opcodes.
const (
	DefPrim      DefinedKind = 0 // a primitive: see DefinedType.Prim
	DefRecord    DefinedKind = 0x72
	DefVariant   DefinedKind = 0x71
	DefList      DefinedKind = 0x70
	DefTuple     DefinedKind = 0x6f
	DefFlags     DefinedKind = 0x6e
	DefEnum      DefinedKind = 0x6d
	DefOption    DefinedKind = 0x6b
	DefResult    DefinedKind = 0x6a
	DefOwn       DefinedKind = 0x69
	DefBorrow    DefinedKind = 0x68
	DefFixedList DefinedKind = 0x67
	DefStream    DefinedKind = 0x66
	DefFuture    DefinedKind = 0x65
	DefMap       DefinedKind = 0x63
)

// DefinedType is a defined value type. Which fields are used depends on Kind.
type DefinedType struct {
	Kind   DefinedKind
	Prim   PrimType     // DefPrim
	Fields []LabeledVal // record fields
	Cases  []Case       // variant cases
	Types  []ValType    // tuple types
	Labels []string     // flags, enum
	// Elem is the element of list, fixed list, option, stream and future
	// (HasElem false for a stream or future without payload), the ok type
	// of a result (HasElem false when absent) and the key of a map.
	Elem    ValType
	HasElem bool
	// Err is the error type of a result (HasErr) and the value of a map.
	Err    ValType
	HasErr bool
	Len    uint32 // fixed list length
	Index  uint32 // own, borrow: the resource type index
}

// LabeledVal is a named value type: a record field or a parameter.
type LabeledVal struct {
	Name string
	Type ValType
}

// Case is a variant case.
type Case struct {
	Name    string
	Type    ValType
	HasType bool
}

// FuncType is a component function type.
type FuncType struct {
	Async     bool
	Params    []LabeledVal
	Result    ValType
	HasResult bool
}

// ComponentType is `(component decls)`.
type ComponentType struct{ Decls []Decl }

// InstanceType is `(instance decls)`.
type InstanceType struct{ Decls []Decl }

// ResourceType is `(resource (rep i32) (dtor f)?)`.
type ResourceType struct {
	Rep     byte // core value type; i32 (0x7f)
	Dtor    uint32
	HasDtor bool
}

func (*DefinedType) isType()   {}
func (*FuncType) isType()      {}
func (*ComponentType) isType() {}
func (*InstanceType) isType()  {}
func (*ResourceType) isType()  {}

// Decl is a declarator of a component or instance type: *CoreTypeDecl,
// *TypeDecl, *AliasDecl, *ImportDecl (component types only) or *ExportDecl.
type Decl interface{ isDecl() }

// CoreTypeDecl declares a core type.
type CoreTypeDecl struct{ Type CoreTypeDef }

// TypeDecl declares a type.
type TypeDecl struct{ Type Type }

// AliasDecl declares an alias.
type AliasDecl struct{ Alias Alias }

// ImportDecl declares an import of a component type.
type ImportDecl struct {
	Name Name
	Type Extern
}

// ExportDecl declares an export.
type ExportDecl struct {
	Name Name
	Type Extern
}

func (*CoreTypeDecl) isDecl() {}
func (*TypeDecl) isDecl()     {}
func (*AliasDecl) isDecl()    {}
func (*ImportDecl) isDecl()   {}
func (*ExportDecl) isDecl()   {}

// CoreType is an entry of a core type section.
type CoreType = CoreTypeDef

// CoreTypeDef is a core type: *CoreFuncType, *CoreModuleType or
// *CoreRecType.
type CoreTypeDef interface{ isCoreType() }

// CoreRecType is a core type of WebAssembly 3.0 other than a plain
// function type: a recursion group, a subtype or a struct or array type,
// kept as its encoding (which package check reads).
type CoreRecType struct{ Raw []byte }

// CoreValType is a core value type, kept as its encoding (one byte for
// numeric and abbreviated reference types; more for `(ref null? ht)`).
type CoreValType struct {
	Code byte  // 0x7f i32, 0x7e i64, 0x7d f32, 0x7c f64, 0x7b v128, 0x70.., 0x63/0x64 ref
	Heap int64 // heap type for 0x63 (ref null ht) and 0x64 (ref ht)
}

// CoreFuncType is a core function type.
type CoreFuncType struct {
	Params  []CoreValType
	Results []CoreValType
}

// CoreModuleType is a core module type.
type CoreModuleType struct{ Decls []ModuleDecl }

func (*CoreFuncType) isCoreType()   {}
func (*CoreModuleType) isCoreType() {}
func (*CoreRecType) isCoreType()    {}

// ModuleDecl is a declarator of a module type.
type ModuleDecl struct {
	Kind   byte // 0x00 import, 0x01 type, 0x02 alias, 0x03 export
	Module string
	Name   string
	Extern CoreExtern  // import, export
	Type   CoreTypeDef // type
	Count  uint32      // alias outer
	Index  uint32      // alias outer
}

// CoreExtern is a core extern type.
type CoreExtern struct {
	Kind byte // 0x00 func, 0x01 table, 0x02 memory, 0x03 global, 0x04 tag
	// Func, tag: the type index.
	Index uint32
	// Table: element type; global: value type.
	Val CoreValType
	// Table and memory limits; PageSizeLog2 when Flags has 0x08 (custom
	// page sizes).
	Flags        byte
	Min          uint64
	Max          uint64
	PageSizeLog2 uint32
	// Global mutability.
	Mutable bool
}

// CanonOp is the opcode of a canonical function definition.
type CanonOp byte

// Canonical function opcodes (Binary.md).
const (
	CanonLift                  CanonOp = 0x00
	CanonLower                 CanonOp = 0x01
	CanonResourceNew           CanonOp = 0x02
	CanonResourceDrop          CanonOp = 0x03
	CanonResourceRep           CanonOp = 0x04
	CanonTaskCancel            CanonOp = 0x05
	CanonSubtaskCancel         CanonOp = 0x06
	CanonTaskReturn            CanonOp = 0x09
	CanonContextGet            CanonOp = 0x0a
	CanonContextSet            CanonOp = 0x0b
	CanonThreadYield           CanonOp = 0x0c
	CanonSubtaskDrop           CanonOp = 0x0d
	CanonStreamNew             CanonOp = 0x0e
	CanonStreamRead            CanonOp = 0x0f
	CanonStreamWrite           CanonOp = 0x10
	CanonStreamCancelRead      CanonOp = 0x11
	CanonStreamCancelWrite     CanonOp = 0x12
	CanonStreamDropReadable    CanonOp = 0x13
	CanonStreamDropWritable    CanonOp = 0x14
	CanonFutureNew             CanonOp = 0x15
	CanonFutureRead            CanonOp = 0x16
	CanonFutureWrite           CanonOp = 0x17
	CanonFutureCancelRead      CanonOp = 0x18
	CanonFutureCancelWrite     CanonOp = 0x19
	CanonFutureDropReadable    CanonOp = 0x1a
	CanonFutureDropWritable    CanonOp = 0x1b
	CanonErrorContextNew       CanonOp = 0x1c
	CanonErrorContextDebugMsg  CanonOp = 0x1d
	CanonErrorContextDrop      CanonOp = 0x1e
	CanonWaitableSetNew        CanonOp = 0x1f
	CanonWaitableSetWait       CanonOp = 0x20
	CanonWaitableSetPoll       CanonOp = 0x21
	CanonWaitableSetDrop       CanonOp = 0x22
	CanonWaitableJoin          CanonOp = 0x23
	CanonBackpressureInc       CanonOp = 0x24
	CanonBackpressureDec       CanonOp = 0x25
	CanonThreadIndex           CanonOp = 0x26
	CanonThreadNewIndirect     CanonOp = 0x27
	CanonThreadResumeLater     CanonOp = 0x28
	CanonThreadSuspend         CanonOp = 0x29
	CanonThreadSuspendResume   CanonOp = 0x2a
	CanonThreadYieldResume     CanonOp = 0x2b
	CanonThreadSuspendPromote  CanonOp = 0x2c
	CanonThreadYieldPromote    CanonOp = 0x2d
	CanonThreadSpawnRef        CanonOp = 0x40
	CanonThreadSpawnIndirect   CanonOp = 0x41
	CanonThreadAvailableParall CanonOp = 0x42
)

// Canon is one canonical function definition. Which fields are used
// depends on Op.
type Canon struct {
	Op CanonOp
	// Func is the core function lifted (lift) or the function lowered
	// (lower).
	Func uint32
	// Type is the function type (lift), the resource type (resource.*), the
	// stream or future type, or the core function type (thread.*).
	Type uint32
	Opts []CanonOpt
	// Flag is the async?/cancel?/shared? immediate.
	Flag bool
	// ValType is the core value type of context.get/set.
	ValType byte
	// Index is the context slot (context.*), the memory (waitable-set.*) or
	// the table (thread.*-indirect).
	Index uint32
	// Result is task.return's result (HasResult false when none).
	Result    ValType
	HasResult bool
}

// CanonOptKind is a canonical option.
type CanonOptKind byte

// Canonical options.
const (
	OptUTF8       CanonOptKind = 0x00
	OptUTF16      CanonOptKind = 0x01
	OptLatin1     CanonOptKind = 0x02 // latin1+utf16
	OptMemory     CanonOptKind = 0x03
	OptRealloc    CanonOptKind = 0x04
	OptPostReturn CanonOptKind = 0x05
	OptAsync      CanonOptKind = 0x06
	OptCallback   CanonOptKind = 0x07
	OptCoreType   CanonOptKind = 0x08
	OptGC         CanonOptKind = 0x09
)

// CanonOpt is one canonical option; Index is the memory or function.
type CanonOpt struct {
	Kind  CanonOptKind
	Index uint32
}
