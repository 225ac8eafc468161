package canonabi

import (
	"math"

	"github.com/witc-dev/witc/wit"
)

// Flat values are core WebAssembly values as wazero passes them: uint64 bit
// patterns, i32 and f32 in the low 32 bits. In this representation the
// coercions between a variant case's flat types and the variant's joined flat
// types (CanonicalABI.md lift_flat_variant / lower_flat_variant) are the
// identity, provided the upper half of i32/f32 values is ignored on lifting
// and zero on lowering.

// LiftFlat lifts a value of type t from the front of flat and returns it with
// the flat values that remain.
//
// Spec: CanonicalABI.md#flat-lifting.
func (cx *Cx) LiftFlat(t wit.Type, flat []uint64) (Value, []uint64, error) {
	return cx.liftFlat(t, flat, 0)
}

func (cx *Cx) liftFlat(t wit.Type, flat []uint64, depth int) (Value, []uint64, error) {
	if depth > maxDepth {
		return nil, nil, trapf("type nesting too deep")
	}
	n := len(Flatten(t))
	if len(flat) < n {
		return nil, nil, trapf("missing flat values: need %d, have %d", n, len(flat))
	}
	rest := flat[n:]
	switch t := wit.Resolved(t).(type) {
	case wit.Primitive:
		x := flat[0]
		switch t {
		case wit.Bool:
			return uint32(x) != 0, rest, nil
		case wit.U8:
			return uint8(x), rest, nil
		case wit.S8:
			return int8(x), rest, nil
		case wit.U16:
			return uint16(x), rest, nil
		case wit.S16:
			return int16(x), rest, nil
		case wit.U32:
			return uint32(x), rest, nil
		case wit.S32:
			return int32(x), rest, nil
		case wit.U64:
			return x, rest, nil
		case wit.S64:
			return int64(x), rest, nil
		case wit.F32:
			return liftF32(uint32(x)), rest, nil
		case wit.F64:
			return liftF64(x), rest, nil
		case wit.Char:
			v, err := liftChar(uint32(x))
			return v, rest, err
		case wit.String:
			s, err := cx.loadString(uint32(flat[0]), uint32(flat[1]))
			if err != nil {
				return nil, rest, err
			}
			return s, rest, nil
		case wit.ErrorContext:
			v, err := cx.liftErrorContext(uint32(x))
			return v, rest, err
		}
	case *wit.TypeDef:
		var tb [16]wit.Type
		if ps, ok := payloads(t.Kind, tb[:0]); ok {
			c := uint32(flat[0])
			if c >= uint32(len(ps)) {
				return nil, nil, trapf("discriminant %d out of range (%d cases)", c, len(ps))
			}
			if ps[c] == nil {
				return Variant{Case: c}, rest, nil
			}
			v, _, err := cx.liftFlat(ps[c], flat[1:n], depth+1)
			if err != nil {
				return nil, nil, err
			}
			return Variant{Case: c, Payload: v}, rest, nil
		}
		if fs, ok := fields(t.Kind, tb[:0]); ok {
			out := make([]Value, len(fs))
			cur := flat[:n]
			for i, f := range fs {
				v, r, err := cx.liftFlat(f, cur, depth+1)
				if err != nil {
					return nil, nil, err
				}
				out[i], cur = v, r
			}
			if _, isTuple := t.Kind.(*wit.Tuple); isTuple {
				return Tuple(out), rest, nil
			}
			return Record(out), rest, nil
		}
		if elem, ok := listElem(t.Kind); ok {
			v, err := cx.loadList(elem, uint32(flat[0]), uint32(flat[1]), depth)
			return v, rest, err
		}
		switch k := t.Kind.(type) {
		case *wit.FixedList:
			out := make(List, k.Len)
			cur := flat[:n]
			for i := range out {
				v, r, err := cx.liftFlat(k.Elem, cur, depth+1)
				if err != nil {
					return nil, nil, err
				}
				out[i], cur = v, r
			}
			return out, rest, nil
		case *wit.Flags:
			f := make(Flags, n)
			for i := range f {
				f[i] = uint32(flat[i])
			}
			if m := len(k.Flags) % 32; m != 0 && n > 0 {
				f[n-1] &= 1<<m - 1
			}
			return f, rest, nil
		case *wit.Handle:
			v, err := cx.liftHandle(k, uint32(flat[0]))
			return v, rest, err
		case *wit.Future, *wit.Stream:
			v, err := cx.liftAsync(k, uint32(flat[0]))
			return v, rest, err
		}
	}
	return nil, nil, trapf("cannot lift a value of an invalid type")
}

// LowerFlat appends the flat representation of v, a value of type t, to dst.
//
// Spec: CanonicalABI.md#flat-lowering.
func (cx *Cx) LowerFlat(dst []uint64, t wit.Type, v Value) ([]uint64, error) {
	return cx.lowerFlat(dst, t, v, 0)
}

func (cx *Cx) lowerFlat(dst []uint64, t wit.Type, v Value, depth int) ([]uint64, error) {
	if depth > maxDepth {
		return nil, trapf("type nesting too deep")
	}
	switch t := wit.Resolved(t).(type) {
	case wit.Primitive:
		if t == wit.String {
			s, ok := v.(string)
			if !ok {
				return nil, typeError("string", v)
			}
			p, n, err := cx.storeString(s)
			return append(dst, uint64(p), uint64(n)), err
		}
		if t == wit.ErrorContext {
			h, err := cx.lowerErrorContext(v)
			return append(dst, uint64(h)), err
		}
		bits, err := primitiveBits(t, v)
		if err != nil {
			return nil, err
		}
		switch t {
		case wit.F32:
			bits = uint64(math.Float32bits(liftF32(uint32(bits))))
		case wit.S8:
			// A flat i32 holds the value itself, sign-extended (lower_flat_signed).
			bits = uint64(uint32(int32(int8(bits))))
		case wit.S16:
			bits = uint64(uint32(int32(int16(bits))))
		}
		return append(dst, bits), nil
	case *wit.TypeDef:
		var tb [16]wit.Type
		if ps, ok := payloads(t.Kind, tb[:0]); ok {
			vv, ok := v.(Variant)
			if !ok || vv.Case >= uint32(len(ps)) {
				return nil, typeError("variant", v)
			}
			start := len(dst)
			total := len(Flatten(t))
			dst = append(dst, uint64(vv.Case))
			if ps[vv.Case] != nil {
				var err error
				if dst, err = cx.lowerFlat(dst, ps[vv.Case], vv.Payload, depth+1); err != nil {
					return nil, err
				}
			}
			for len(dst)-start < total {
				dst = append(dst, 0) // padding up to the joined flat types
			}
			return dst, nil
		}
		if fs, ok := fields(t.Kind, tb[:0]); ok {
			vs, ok := asSlice(v)
			if !ok || len(vs) != len(fs) {
				return nil, typeError("record or tuple", v)
			}
			for i, f := range fs {
				var err error
				if dst, err = cx.lowerFlat(dst, f, vs[i], depth+1); err != nil {
					return nil, err
				}
			}
			return dst, nil
		}
		if elem, ok := listElem(t.Kind); ok {
			p, n, err := cx.storeList(elem, v, depth)
			return append(dst, uint64(p), uint64(n)), err
		}
		switch k := t.Kind.(type) {
		case *wit.FixedList:
			vs, ok := v.(List)
			if !ok || uint32(len(vs)) != k.Len {
				return nil, typeError("fixed-length list", v)
			}
			for _, e := range vs {
				var err error
				if dst, err = cx.lowerFlat(dst, k.Elem, e, depth+1); err != nil {
					return nil, err
				}
			}
			return dst, nil
		case *wit.Flags:
			f, ok := v.(Flags)
			if !ok {
				return nil, typeError("flags", v)
			}
			for i := 0; i < (len(k.Flags)+31)/32; i++ {
				var w uint32
				if i < len(f) {
					w = f[i]
				}
				dst = append(dst, uint64(w))
			}
			return dst, nil
		case *wit.Handle:
			h, err := cx.lowerHandle(k, v)
			return append(dst, uint64(h)), err
		case *wit.Future, *wit.Stream:
			h, err := cx.lowerAsync(k, v)
			return append(dst, uint64(h)), err
		}
	}
	return nil, typeError("an invalid type", v)
}

func tupleOf(ts []wit.Type) *wit.TypeDef {
	return &wit.TypeDef{Kind: &wit.Tuple{Types: ts}}
}

func flatLen(ts []wit.Type) int {
	n := 0
	for _, t := range ts {
		n += flatCount(t, 0)
	}
	return n
}

// flatCount is len(Flatten(t)) without making the list, bounded by
// flatCap as Flatten is.
func flatCount(t wit.Type, depth int) int {
	if depth > maxDepth {
		return 0
	}
	count := func(t wit.Type) int {
		if t == nil {
			return 0
		}
		return flatCount(t, depth+1)
	}
	switch t := wit.Resolved(t).(type) {
	case wit.Primitive:
		switch t {
		case wit.String:
			return 2
		case 0:
			return 0
		}
		return 1
	case *wit.TypeDef:
		switch k := t.Kind.(type) {
		case *wit.Record:
			n := 0
			for _, f := range k.Fields {
				n = min(n+count(f.Type), flatCap+1)
			}
			return n
		case *wit.Tuple:
			n := 0
			for _, e := range k.Types {
				n = min(n+count(e), flatCap+1)
			}
			return n
		case *wit.Flags:
			return (len(k.Flags) + 31) / 32
		case *wit.Variant:
			n := 0
			for _, c := range k.Cases {
				n = max(n, count(c.Type))
			}
			return 1 + n
		case *wit.Enum:
			return 1
		case *wit.Option:
			return 1 + count(k.Type)
		case *wit.Result:
			return 1 + max(count(k.OK), count(k.Err))
		case *wit.List, *wit.Map:
			return 2
		case *wit.FixedList:
			return int(min(uint64(k.Len)*uint64(count(k.Elem)), flatCap+1))
		case *wit.Handle, *wit.Resource, *wit.Future, *wit.Stream:
			return 1
		}
	}
	return 0
}

// tupleLayout is the layout of a tuple of ts.
func tupleLayout(ts []wit.Type) Layout {
	var size, align uint32 = 0, 1
	for _, t := range ts {
		size, align = fieldLayout(size, align, LayoutOf(t))
	}
	return Layout{Size: AlignTo(size, align), Align: align}
}

// LiftValues lifts values of types ts from flat core values. When the types
// flatten to more than maxFlat values, flat holds one pointer to them in
// memory instead (parameters beyond MaxFlatParams, results beyond
// MaxFlatResults).
//
// Spec: CanonicalABI.md lift_flat_values.
func (cx *Cx) LiftValues(ts []wit.Type, flat []uint64, maxFlat int) ([]Value, error) {
	if flatLen(ts) > maxFlat {
		if len(flat) < 1 {
			return nil, trapf("missing pointer to values in memory")
		}
		// cx.Load of a tuple of ts, without the tuple.
		ptr, l := uint32(flat[0]), tupleLayout(ts)
		if ptr != AlignTo(ptr, l.Align) {
			return nil, trapf("misaligned pointer %#x for a value of alignment %d", ptr, l.Align)
		}
		if _, err := cx.read(ptr, l.Size); err != nil {
			return nil, err
		}
		out := make([]Value, len(ts))
		var off uint32
		for i, t := range ts {
			fl := LayoutOf(t)
			off = AlignTo(off, fl.Align)
			v, err := cx.load(t, ptr+off, 1)
			if err != nil {
				return nil, err
			}
			out[i] = v
			off += fl.Size
		}
		return out, nil
	}
	out := make([]Value, len(ts))
	for i, t := range ts {
		var err error
		if out[i], flat, err = cx.LiftFlat(t, flat); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// LowerValues lowers vs, values of types ts, to flat core values; when they
// flatten to more than maxFlat values they are stored in memory allocated
// with realloc and the single flat value is the pointer.
//
// Spec: CanonicalABI.md lower_flat_values.
func (cx *Cx) LowerValues(ts []wit.Type, vs []Value, maxFlat int) ([]uint64, error) {
	return cx.LowerValuesInto(nil, ts, vs, maxFlat)
}

// LowerValuesInto is LowerValues with the flat values appended to dst.
func (cx *Cx) LowerValuesInto(dst []uint64, ts []wit.Type, vs []Value, maxFlat int) ([]uint64, error) {
	if len(vs) != len(ts) {
		return nil, typeError("a list of "+itoaU(uint64(len(ts)))+" values", vs)
	}
	if flatLen(ts) > maxFlat {
		tt := tupleOf(ts)
		l := LayoutOf(tt)
		p, err := cx.allocate(l.Align, l.Size)
		if err != nil {
			return nil, err
		}
		return append(dst, uint64(p)), cx.Store(tt, p, Tuple(vs))
	}
	for i, t := range ts {
		var err error
		if dst, err = cx.LowerFlat(dst, t, vs[i]); err != nil {
			return nil, err
		}
	}
	return dst, nil
}

// StoreValues stores vs, values of types ts, as a tuple at ptr: the results
// of a lowered function whose results do not fit in MaxFlatResults go to a
// pointer the caller passes as its last parameter.
func (cx *Cx) StoreValues(ts []wit.Type, vs []Value, ptr uint32) error {
	if len(vs) != len(ts) {
		return typeError("a list of "+itoaU(uint64(len(ts)))+" values", vs)
	}
	return cx.Store(tupleOf(ts), ptr, Tuple(vs))
}

func itoaU(n uint64) string {
	var b [20]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			return string(b[i:])
		}
	}
}

// IsScalar reports whether t is a primitive passed as a single flat value
// with no memory and no handle table involved (every primitive but
// string and error-context).
func IsScalar(t wit.Type) (wit.Primitive, bool) {
	p, ok := wit.Resolved(t).(wit.Primitive)
	return p, ok && p != wit.String && p != wit.ErrorContext && p != 0
}

// LowerScalar is LowerFlat for a scalar type (see IsScalar), without
// allocating.
func LowerScalar(p wit.Primitive, v Value) (uint64, error) {
	bits, err := primitiveBits(p, v)
	if err != nil {
		return 0, err
	}
	switch p {
	case wit.F32:
		bits = uint64(math.Float32bits(liftF32(uint32(bits))))
	case wit.S8:
		bits = uint64(uint32(int32(int8(bits))))
	case wit.S16:
		bits = uint64(uint32(int32(int16(bits))))
	}
	return bits, nil
}

// LiftScalar is LiftFlat for a scalar type (see IsScalar), without
// allocating beyond the interface value itself.
func LiftScalar(p wit.Primitive, x uint64) (Value, error) {
	switch p {
	case wit.Bool:
		return uint32(x) != 0, nil
	case wit.U8:
		return uint8(x), nil
	case wit.S8:
		return int8(x), nil
	case wit.U16:
		return uint16(x), nil
	case wit.S16:
		return int16(x), nil
	case wit.U32:
		return uint32(x), nil
	case wit.S32:
		return int32(x), nil
	case wit.U64:
		return x, nil
	case wit.S64:
		return int64(x), nil
	case wit.F32:
		return liftF32(uint32(x)), nil
	case wit.F64:
		return liftF64(x), nil
	case wit.Char:
		return liftChar(uint32(x))
	case wit.ErrorContext:
		return Handle(uint32(x)), nil
	}
	return nil, trapf("%s is not a scalar type", p)
}
