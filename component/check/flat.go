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
	return defFlat(v.id.def, ptr64)
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
