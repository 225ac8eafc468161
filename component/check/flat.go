package check

import (
	"github.com/witc-dev/witc/canonabi"
	"github.com/witc-dev/witc/component"
)

// This file flattens value types into core value types, as the canonical
// ABI does (CanonicalABI.md, "Flattening"), for the checks of `canon
// lift` and `canon lower`. A function's core signature only needs to know
// whether the flattening fits in 16 values (MAX_FLAT_PARAMS), so each
// defined type keeps its flattening up to 17 values, computed once from
// those of its parts: checking a function costs the number of its
// parameters, not the expanded size of their types.

// maxFlat is the most flat values any signature takes directly.
const maxFlat = 16

// flatType is a value type's flattening, cut after maxFlat values.
type flatType struct {
	types []canonabi.CoreType
	// over says that the flattening has more than maxFlat values.
	over bool
	// ptr says that values of the type point into linear memory
	// (strings, lists, maps), wasmparser's contains_ptr.
	ptr bool
}

func (f *flatType) push(t canonabi.CoreType) {
	if len(f.types) == maxFlat {
		f.over = true
		return
	}
	f.types = append(f.types, t)
}

func (f *flatType) append(g *flatType) {
	f.ptr = f.ptr || g.ptr
	for _, t := range g.types {
		if f.over {
			return
		}
		f.push(t)
	}
	if g.over {
		f.over = true
	}
}

func ptrType(ptr64 bool) canonabi.CoreType {
	if ptr64 {
		return canonabi.I64
	}
	return canonabi.I32
}

// primFlat flattens a primitive type.
func primFlat(p component.PrimType, ptr64 bool) *flatType {
	f := &flatType{}
	switch p {
	case component.PrimS64, component.PrimU64:
		f.push(canonabi.I64)
	case component.PrimF32:
		f.push(canonabi.F32)
	case component.PrimF64:
		f.push(canonabi.F64)
	case component.PrimString:
		f.push(ptrType(ptr64))
		f.push(ptrType(ptr64))
		f.ptr = true
	default:
		f.push(canonabi.I32)
	}
	return f
}

// flatOf is the flattening of v (shared: do not modify it).
func flatOf(v valT, ptr64 bool) *flatType {
	if v.prim != 0 {
		return primFlat(v.prim, ptr64)
	}
	return defFlat(v.id.asDef(), ptr64)
}

func defFlat(d *defType, ptr64 bool) *flatType {
	i := 0
	if ptr64 {
		i = 1
	}
	if f := d.flat[i]; f != nil {
		return f
	}
	f := &flatType{}
	switch d.kind {
	case component.DefPrim:
		f = primFlat(d.prim, ptr64)
	case component.DefRecord:
		for _, x := range d.fields {
			f.append(flatOf(x.t, ptr64))
		}
	case component.DefTuple:
		for _, x := range d.types {
			f.append(flatOf(x, ptr64))
		}
	case component.DefVariant:
		var cases []valT
		for _, cs := range d.cases {
			if cs.has {
				cases = append(cases, cs.t)
			}
		}
		f = variantFlat(cases, ptr64)
	case component.DefOption:
		f = variantFlat([]valT{d.elem}, ptr64)
	case component.DefResult:
		var cases []valT
		if d.hasElem {
			cases = append(cases, d.elem)
		}
		if d.hasErr {
			cases = append(cases, d.err)
		}
		f = variantFlat(cases, ptr64)
	case component.DefList, component.DefMap:
		f.push(ptrType(ptr64))
		f.push(ptrType(ptr64))
		f.ptr = true
	case component.DefFixedList:
		e := flatOf(d.elem, ptr64)
		f.ptr = e.ptr
		for n := uint32(0); n < d.length && !f.over; n++ {
			f.append(e)
		}
	case component.DefFlags:
		for n := 0; n < (len(d.labels)+31)/32; n++ {
			f.push(canonabi.I32)
		}
	default: // enum, own, borrow, future, stream
		f.push(canonabi.I32)
	}
	d.flat[i] = f
	return f
}

// variantFlat is a discriminant followed by the cases' flattenings
// joined position by position.
func variantFlat(cases []valT, ptr64 bool) *flatType {
	f := &flatType{}
	f.push(canonabi.I32)
	for _, c := range cases {
		cf := flatOf(c, ptr64)
		f.ptr = f.ptr || cf.ptr
		if cf.over {
			f.over = true
		}
		for j, t := range cf.types {
			if 1+j < len(f.types) {
				f.types[1+j] = join(f.types[1+j], t)
			} else {
				f.push(t)
			}
		}
	}
	return f
}

func join(a, b canonabi.CoreType) canonabi.CoreType {
	switch {
	case a == b:
		return a
	case a == canonabi.I32 && b == canonabi.F32, a == canonabi.F32 && b == canonabi.I32:
		return canonabi.I32
	}
	return canonabi.I64
}

// maxValueBytes bounds the size of a value in linear memory: Binary.md
// requires elem_size(t, i64) < 2^28 for every defined value type (the
// size in memory of a value with 64-bit pointers, CanonicalABI.md
// "Element size").
const maxValueBytes = 1 << 28

// primLayout is the size and alignment of a primitive type with 64-bit
// pointers.
func primLayout(p component.PrimType) (size, align uint64) {
	switch p {
	case component.PrimBool, component.PrimS8, component.PrimU8:
		return 1, 1
	case component.PrimS16, component.PrimU16:
		return 2, 2
	case component.PrimS64, component.PrimU64, component.PrimF64:
		return 8, 8
	case component.PrimString:
		return 16, 8
	}
	return 4, 4
}

func layoutOf(v valT) (size, align uint64) {
	if v.prim != 0 {
		return primLayout(v.prim)
	}
	return v.id.asDef().memSize, uint64(v.id.asDef().memAlign)
}

func alignTo(n, a uint64) uint64 { return (n + a - 1) / a * a }

// capped saturates sizes past the limit (which rejects them anyway), so
// that fixed-length lists of fixed-length lists cannot overflow.
func capped(n uint64) uint64 {
	if n > maxValueBytes {
		return maxValueBytes
	}
	return n
}

// layout computes a defined type's size and alignment in memory with
// 64-bit pointers (CanonicalABI.md elem_size and alignment, despecialized:
// tuples are records, enums, options and results variants, maps lists).
func (d *defType) layout() {
	record := func(ts []valT) (uint64, uint64) {
		var s, a uint64 = 0, 1
		for _, t := range ts {
			ts, ta := layoutOf(t)
			s = capped(alignTo(s, ta) + ts)
			a = max(a, ta)
		}
		return capped(alignTo(s, a)), a
	}
	variant := func(n int, cases []valT) (uint64, uint64) {
		disc := uint64(1)
		switch {
		case n > 1<<16:
			disc = 4
		case n > 1<<8:
			disc = 2
		}
		var cs, ca uint64 = 0, 1
		for _, t := range cases {
			ts, ta := layoutOf(t)
			cs, ca = max(cs, ts), max(ca, ta)
		}
		a := max(disc, ca)
		return capped(alignTo(alignTo(disc, ca)+cs, a)), a
	}
	var size, align uint64
	switch d.kind {
	case component.DefPrim:
		size, align = primLayout(d.prim)
	case component.DefRecord:
		ts := make([]valT, len(d.fields))
		for i, f := range d.fields {
			ts[i] = f.t
		}
		size, align = record(ts)
	case component.DefTuple:
		size, align = record(d.types)
	case component.DefVariant:
		var cases []valT
		for _, c := range d.cases {
			if c.has {
				cases = append(cases, c.t)
			}
		}
		size, align = variant(len(d.cases), cases)
	case component.DefEnum:
		size, align = variant(len(d.labels), nil)
	case component.DefOption:
		size, align = variant(2, []valT{d.elem})
	case component.DefResult:
		var cases []valT
		if d.hasElem {
			cases = append(cases, d.elem)
		}
		if d.hasErr {
			cases = append(cases, d.err)
		}
		size, align = variant(2, cases)
	case component.DefList, component.DefMap:
		size, align = 16, 8
	case component.DefFixedList:
		es, ea := layoutOf(d.elem)
		size, align = capped(es*uint64(d.length)), ea
		if es != 0 && es*uint64(d.length)/es != uint64(d.length) {
			size = maxValueBytes
		}
	case component.DefFlags:
		switch n := len(d.labels); {
		case n <= 8:
			size, align = 1, 1
		case n <= 16:
			size, align = 2, 2
		default:
			size, align = 4, 4
		}
	default: // own, borrow, stream, future
		size, align = 4, 4
	}
	d.memSize, d.memAlign = size, uint8(align)
}
