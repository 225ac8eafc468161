package canonabi

import "github.com/witc-dev/witc/wit"

// Layout is the size and alignment of a value in linear memory.
type Layout struct {
	Size, Align uint32
}

// maxDepth bounds recursion over type structure. Resolved WIT is acyclic and
// at most 100 levels deep; the bound only protects against hand-built models.
const maxDepth = 1000

// LayoutOf returns the memory layout of t.
//
// Spec: CanonicalABI.md#alignment and #element-size.
func LayoutOf(t wit.Type) Layout {
	return layoutOf(t, 0)
}

func layoutOf(t wit.Type, depth int) Layout {
	if depth > maxDepth {
		return Layout{Size: 0, Align: 1}
	}
	switch t := wit.Resolved(t).(type) {
	case wit.Primitive:
		return primitiveLayout(t)
	case *wit.TypeDef:
		switch k := t.Kind.(type) {
		case *wit.Record:
			var size, align uint32 = 0, 1
			for _, f := range k.Fields {
				size, align = fieldLayout(size, align, layoutOf(f.Type, depth+1))
			}
			return Layout{Size: AlignTo(size, align), Align: align}
		case *wit.Tuple:
			var size, align uint32 = 0, 1
			for _, e := range k.Types {
				size, align = fieldLayout(size, align, layoutOf(e, depth+1))
			}
			return Layout{Size: AlignTo(size, align), Align: align}
		case *wit.Flags:
			return flagsLayout(len(k.Flags))
		case *wit.Variant, *wit.Enum, *wit.Option, *wit.Result:
			var buf [16]wit.Type
			ps, _ := payloads(k, buf[:0])
			return variantLayout(ps, depth)
		case *wit.List, *wit.Map:
			return Layout{Size: 8, Align: 4}
		case *wit.FixedList:
			e := layoutOf(k.Elem, depth+1)
			return Layout{Size: e.Size * k.Len, Align: e.Align}
		case *wit.Handle, *wit.Resource, *wit.Future, *wit.Stream:
			return Layout{Size: 4, Align: 4}
		}
	}
	return Layout{Size: 0, Align: 1}
}

func primitiveLayout(p wit.Primitive) Layout {
	switch p {
	case wit.Bool, wit.U8, wit.S8:
		return Layout{1, 1}
	case wit.U16, wit.S16:
		return Layout{2, 2}
	case wit.U32, wit.S32, wit.F32, wit.Char, wit.ErrorContext:
		return Layout{4, 4}
	case wit.U64, wit.S64, wit.F64:
		return Layout{8, 8}
	case wit.String:
		return Layout{8, 4}
	}
	return Layout{0, 1}
}

// AlignTo rounds off up to a multiple of align (a power of two).
func AlignTo(off, align uint32) uint32 {
	return (off + align - 1) &^ (align - 1)
}

// fieldLayout adds a field of layout f to a record of size size and
// alignment align so far.
func fieldLayout(size, align uint32, f Layout) (uint32, uint32) {
	return AlignTo(size, f.Align) + f.Size, max(align, f.Align)
}

// FieldOffsets returns the offset of each field of a record or tuple whose
// field types are ts.
func FieldOffsets(ts []wit.Type) []uint32 {
	offs := make([]uint32, len(ts))
	var off uint32
	for i, t := range ts {
		l := LayoutOf(t)
		off = AlignTo(off, l.Align)
		offs[i] = off
		off += l.Size
	}
	return offs
}

func flagsLayout(n int) Layout {
	switch {
	case n == 0:
		return Layout{0, 1}
	case n <= 8:
		return Layout{1, 1}
	case n <= 16:
		return Layout{2, 2}
	}
	return Layout{Size: 4 * uint32((n+31)/32), Align: 4}
}

// Discriminant returns the integer type holding the case index of a variant
// with n cases: u8 up to 256 cases, u16 up to 65536, u32 beyond.
func Discriminant(n int) wit.Primitive {
	switch {
	case n <= 1<<8:
		return wit.U8
	case n <= 1<<16:
		return wit.U16
	}
	return wit.U32
}

func variantLayout(payloads []wit.Type, depth int) Layout {
	disc := primitiveLayout(Discriminant(len(payloads)))
	var caseAlign, caseSize uint32 = 1, 0
	for _, p := range payloads {
		if p == nil {
			continue
		}
		l := layoutOf(p, depth+1)
		caseAlign = max(caseAlign, l.Align)
		caseSize = max(caseSize, l.Size)
	}
	align := max(disc.Align, caseAlign)
	size := AlignTo(disc.Size, caseAlign) + caseSize
	return Layout{Size: AlignTo(size, align), Align: align}
}

// PayloadOffset returns the offset of the payload of a variant-like type
// (variant, enum, option, result) whose case payloads are payloads.
func PayloadOffset(payloads []wit.Type) uint32 {
	disc := primitiveLayout(Discriminant(len(payloads)))
	var caseAlign uint32 = 1
	for _, p := range payloads {
		if p != nil {
			caseAlign = max(caseAlign, LayoutOf(p).Align)
		}
	}
	return AlignTo(disc.Size, caseAlign)
}
