package check

import (
	"encoding/binary"
	"fmt"
	"strings"
)

// This file is the type system of core WebAssembly (WebAssembly 3.0:
// numeric, vector and reference types, function, struct and array types
// in recursion groups with declared subtyping), as the validation of core
// modules and of the core definitions of components needs it. Types are
// canonicalized: two recursion groups with the same structure (Wasm 3.0,
// "type equivalence") get the same canonical indices, so that types of
// different modules compare with ==.

// vkind is the kind of a core value type.
type vkind uint8

const (
	vBot vkind = iota // unknown: the operand of unreachable code
	vI32
	vI64
	vF32
	vF64
	vV128
	vRef
)

// absHeap is an abstract heap type.
type absHeap uint8

const (
	hNone absHeap = iota + 1
	hFunc
	hExtern
	hAny
	hEq
	hI31
	hStruct
	hArray
	hNoFunc
	hNoExtern
	hExn
	hNoExn
	hCont
	hNoCont
	hBot // unknown: the heap type of unreachable code
)

var absNames = [...]string{hNone: "none", hFunc: "func", hExtern: "extern", hAny: "any", hEq: "eq", hI31: "i31",
	hStruct: "struct", hArray: "array", hNoFunc: "nofunc", hNoExtern: "noextern", hExn: "exn", hNoExn: "noexn",
	hCont: "cont", hNoCont: "nocont", hBot: "bot"}

// heapType is an abstract heap type (idx < 0) or a concrete one, by its
// canonical type index.
type heapType struct {
	abs    absHeap
	shared bool
	idx    int32
}

// vt is a core value type.
type vt struct {
	k    vkind
	null bool // references: nullable
	ht   heapType
}

var (
	tI32  = vt{k: vI32}
	tI64  = vt{k: vI64}
	tF32  = vt{k: vF32}
	tF64  = vt{k: vF64}
	tV128 = vt{k: vV128}
	tBot  = vt{k: vBot}
)

func absRef(null bool, a absHeap) vt { return vt{k: vRef, null: null, ht: heapType{abs: a, idx: -1}} }

var (
	tFuncref = absRef(true, hFunc)
	tExnref  = absRef(true, hExn)
)

// storage is the storage type of a field: a value type or a packed one.
type storage uint8

const (
	sVal storage = iota
	sI8
	sI16
)

type fieldT struct {
	st  storage
	t   vt // sVal
	mut bool
}

// unpacked is the value type a field is read as.
func (f fieldT) unpacked() vt {
	if f.st != sVal {
		return tI32
	}
	return f.t
}

type compKind uint8

const (
	cFunc compKind = iota + 1
	cStruct
	cArray
	cCont
)

// compT is a composite type.
type compT struct {
	kind            compKind
	shared          bool
	params, results []vt
	fields          []fieldT // struct
	elem            fieldT   // array
	cont            int32    // cont: its function type
}

// subT is a canonical type: its composite type, finality and supertype.
type subT struct {
	final bool
	super int32 // canonical index, -1 for none
	comp  compT
	depth int // the length of the supertype chain
	group int32
}

// coreTypes is the store of canonical types of one validation: every
// module and every component's core types share it.
type coreTypes struct {
	list   []subT
	groups map[string]int32 // canonical form of a recursion group → its first index
	// sigs are the function types made by the validator itself
	// (canonical functions, block types).
	sigs map[string]int32
	// key is the buffer of addGroup's keys.
	key []byte
}

func newCoreTypes() *coreTypes {
	return &coreTypes{groups: map[string]int32{}, sigs: map[string]int32{}}
}

func (ct *coreTypes) at(i int32) *subT { return &ct.list[i] }

// funcType returns the canonical index of the final function type params
// → results (a recursion group of its own).
func (ct *coreTypes) funcType(params, results []vt) int32 {
	st := subT{final: true, super: -1, comp: compT{kind: cFunc, params: params, results: results}}
	idx, _ := ct.addGroup([]subT{st}, -1)
	return idx
}

// addGroup adds a recursion group whose types refer to each other by
// local index (an idx of -2-i in a heap type is the group's type i) and
// to earlier types by canonical index; it returns the canonical index of
// the first type, and whether the group is new. base is the module index
// of the group's first type (for nothing but messages).
func (ct *coreTypes) addGroup(types []subT, base int) (int32, bool) {
	key := ct.key[:0]
	for _, t := range types {
		key = appendSub(key, t)
	}
	ct.key = key
	if first, ok := ct.groups[string(key)]; ok {
		return first, false
	}
	first := int32(len(ct.list))
	resolve := func(h *heapType) {
		if h.idx <= -2 {
			h.idx = first + (-2 - h.idx)
		}
	}
	fix := func(v *vt) {
		if v.k == vRef {
			resolve(&v.ht)
		}
	}
	for i, t := range types {
		t.group = first
		if t.super <= -2 {
			t.super = first + (-2 - t.super)
		}
		c := &t.comp
		c.params = append([]vt(nil), c.params...)
		c.results = append([]vt(nil), c.results...)
		c.fields = append([]fieldT(nil), c.fields...)
		for j := range c.params {
			fix(&c.params[j])
		}
		for j := range c.results {
			fix(&c.results[j])
		}
		for j := range c.fields {
			fix(&c.fields[j].t)
		}
		fix(&c.elem.t)
		if c.kind == cCont && c.cont <= -2 {
			c.cont = first + (-2 - c.cont)
		}
		types[i] = t
	}
	ct.list = append(ct.list, types...)
	for i := range types {
		t := &ct.list[first+int32(i)]
		if t.super >= 0 {
			t.depth = ct.list[t.super].depth + 1
		}
	}
	ct.groups[string(key)] = first
	return first, true
}

// appendSub appends the canonical form of a subtype (local references
// are negative, so they do not collide with canonical indices): every
// part in a fixed order, lists after their lengths.
func appendSub(b []byte, t subT) []byte {
	c := &t.comp
	b = append(b, boolByte(t.final), boolByte(c.shared), byte(c.kind))
	b = binary.AppendVarint(b, int64(t.super))
	switch c.kind {
	case cFunc:
		b = binary.AppendUvarint(b, uint64(len(c.params)))
		for _, p := range c.params {
			b = appendVT(b, p)
		}
		b = binary.AppendUvarint(b, uint64(len(c.results)))
		for _, r := range c.results {
			b = appendVT(b, r)
		}
	case cStruct:
		b = binary.AppendUvarint(b, uint64(len(c.fields)))
		for _, f := range c.fields {
			b = appendField(b, f)
		}
	case cArray:
		b = appendField(b, c.elem)
	case cCont:
		b = binary.AppendVarint(b, int64(c.cont))
	}
	return b
}

func appendField(b []byte, f fieldT) []byte {
	return appendVT(append(b, byte(f.st), boolByte(f.mut)), f.t)
}

func appendVT(b []byte, t vt) []byte {
	if t.k != vRef {
		return append(b, byte(t.k))
	}
	b = append(b, byte(t.k), boolByte(t.null), byte(t.ht.abs), boolByte(t.ht.shared))
	return binary.AppendVarint(b, int64(t.ht.idx))
}

func boolByte(v bool) byte {
	if v {
		return 1
	}
	return 0
}

// isSubIdx reports whether canonical type a is b or declares it as a
// supertype, directly or not.
func (ct *coreTypes) isSubIdx(a, b int32) bool {
	for a >= 0 {
		if a == b {
			return true
		}
		a = ct.list[a].super
	}
	return false
}

// topOf is the top of the hierarchy a heap type belongs to.
func (ct *coreTypes) topOf(h heapType) absHeap {
	a := h.abs
	if h.idx >= 0 {
		switch ct.list[h.idx].comp.kind {
		case cFunc:
			return hFunc
		case cCont:
			return hCont
		default:
			return hAny
		}
	}
	switch a {
	case hFunc, hNoFunc:
		return hFunc
	case hExtern, hNoExtern:
		return hExtern
	case hExn, hNoExn:
		return hExn
	case hCont, hNoCont:
		return hCont
	case hBot:
		return hBot
	}
	return hAny
}

// bottomOf is the bottom of the hierarchy of top.
func bottomOf(top absHeap) absHeap {
	switch top {
	case hFunc:
		return hNoFunc
	case hExtern:
		return hNoExtern
	case hExn:
		return hNoExn
	case hCont:
		return hNoCont
	}
	return hNone
}

func (ct *coreTypes) sharedOf(h heapType) bool {
	if h.idx >= 0 {
		return ct.list[h.idx].comp.shared
	}
	return h.shared
}

// heapSub: is heap type a a subtype of b?
func (ct *coreTypes) heapSub(a, b heapType) bool {
	if a.abs == hBot && a.idx < 0 {
		return true
	}
	if ct.sharedOf(a) != ct.sharedOf(b) {
		return false
	}
	if a.idx >= 0 && b.idx >= 0 {
		return ct.isSubIdx(a.idx, b.idx)
	}
	if b.idx >= 0 {
		// Only the bottom of b's hierarchy is below a concrete type.
		return a.abs == bottomOf(ct.topOf(b))
	}
	if a.idx >= 0 {
		k := ct.list[a.idx].comp.kind
		switch b.abs {
		case hFunc:
			return k == cFunc
		case hCont:
			return k == cCont
		case hAny, hEq:
			return k == cStruct || k == cArray
		case hStruct:
			return k == cStruct
		case hArray:
			return k == cArray
		}
		return false
	}
	if a.abs == b.abs {
		return true
	}
	switch a.abs {
	case hNone:
		return ct.topOf(b) == hAny
	case hNoFunc:
		return b.abs == hFunc
	case hNoExtern:
		return b.abs == hExtern
	case hNoExn:
		return b.abs == hExn
	case hNoCont:
		return b.abs == hCont
	case hI31, hStruct, hArray:
		return b.abs == hEq || b.abs == hAny
	case hEq:
		return b.abs == hAny
	}
	return false
}

// valSub: is value type a a subtype of b?
func (ct *coreTypes) valSub(a, b vt) bool {
	if a.k == vBot {
		return true
	}
	if a.k != b.k {
		return false
	}
	if a.k != vRef {
		return true
	}
	if a.null && !b.null {
		return false
	}
	return ct.heapSub(a.ht, b.ht)
}

// compMatches: does composite type a match b (a may declare b as a
// supertype)?
func (ct *coreTypes) compMatches(a, b *compT) bool {
	if a.shared != b.shared || a.kind != b.kind {
		return false
	}
	switch a.kind {
	case cFunc:
		if len(a.params) != len(b.params) || len(a.results) != len(b.results) {
			return false
		}
		for i := range a.params {
			if !ct.valSub(b.params[i], a.params[i]) {
				return false
			}
		}
		for i := range a.results {
			if !ct.valSub(a.results[i], b.results[i]) {
				return false
			}
		}
		return true
	case cStruct:
		if len(a.fields) < len(b.fields) {
			return false
		}
		for i := range b.fields {
			if !ct.fieldMatches(a.fields[i], b.fields[i]) {
				return false
			}
		}
		return true
	case cArray:
		return ct.fieldMatches(a.elem, b.elem)
	case cCont:
		return a.cont == b.cont || ct.isSubIdx(a.cont, b.cont)
	}
	return false
}

func (ct *coreTypes) fieldMatches(a, b fieldT) bool {
	if a.st != b.st {
		return false
	}
	if a.st == sVal && !ct.valSub(a.t, b.t) {
		return false
	}
	if !a.mut && !b.mut {
		return true
	}
	return a.mut && b.mut && (a.st != sVal || ct.valSub(b.t, a.t))
}

// String renders a value type in the text format.
func (ct *coreTypes) vtString(t vt) string {
	switch t.k {
	case vBot:
		return "bot"
	case vI32:
		return "i32"
	case vI64:
		return "i64"
	case vF32:
		return "f32"
	case vF64:
		return "f64"
	case vV128:
		return "v128"
	}
	h := ""
	if t.ht.idx >= 0 {
		h = fmt.Sprintf("%d", t.ht.idx)
	} else {
		h = absNames[t.ht.abs]
		if t.null && !t.ht.shared {
			switch t.ht.abs {
			case hFunc, hExtern, hAny, hEq, hI31, hStruct, hArray, hExn, hNone, hNoFunc, hNoExtern, hNoExn:
				return h + "ref"
			}
		}
		if t.ht.shared {
			h = "(shared " + h + ")"
		}
	}
	if t.null {
		return "(ref null " + h + ")"
	}
	return "(ref " + h + ")"
}

// funcString renders a canonical function type.
func (ct *coreTypes) funcString(i int32) string {
	c := &ct.list[i].comp
	var b strings.Builder
	b.WriteString("(func")
	for _, p := range c.params {
		b.WriteString(" (param " + ct.vtString(p) + ")")
	}
	for _, r := range c.results {
		b.WriteString(" (result " + ct.vtString(r) + ")")
	}
	b.WriteString(")")
	return b.String()
}
