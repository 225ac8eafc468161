package canonabi

import (
	"encoding/binary"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/witc-dev/witc/wit"
)

// Store writes v, a value of type t, to memory at ptr, allocating strings and
// lists through cx.Realloc.
//
// Spec: CanonicalABI.md#storing. Strings are encoded in Go and allocated with
// one realloc call of their exact size.
func (cx *Cx) Store(t wit.Type, ptr uint32, v Value) error {
	return cx.store(t, ptr, v, 0)
}

func (cx *Cx) store(t wit.Type, ptr uint32, v Value, depth int) error {
	if depth > maxDepth {
		return trapf("type nesting too deep")
	}
	l := LayoutOf(t)
	if ptr != AlignTo(ptr, l.Align) {
		return trapf("misaligned pointer %#x for a value of alignment %d", ptr, l.Align)
	}
	var buf [8]byte
	switch t := wit.Resolved(t).(type) {
	case wit.Primitive:
		if t == wit.String {
			s, ok := v.(string)
			if !ok {
				return typeError("string", v)
			}
			p, n, err := cx.storeString(s)
			if err != nil {
				return err
			}
			binary.LittleEndian.PutUint32(buf[:], p)
			binary.LittleEndian.PutUint32(buf[4:], n)
			return cx.write(ptr, buf[:8])
		}
		bits, err := primitiveBits(t, v)
		if err != nil {
			return err
		}
		binary.LittleEndian.PutUint64(buf[:], bits)
		return cx.write(ptr, buf[:l.Size])
	case *wit.TypeDef:
		if ps, ok := payloads(t.Kind); ok {
			vv, ok := v.(Variant)
			if !ok {
				return typeError("variant", v)
			}
			if vv.Case >= uint32(len(ps)) {
				return typeError("variant case out of range", v)
			}
			disc := LayoutOf(Discriminant(len(ps))).Size
			binary.LittleEndian.PutUint32(buf[:], vv.Case)
			if err := cx.write(ptr, buf[:disc]); err != nil {
				return err
			}
			if ps[vv.Case] == nil {
				return nil
			}
			return cx.store(ps[vv.Case], ptr+PayloadOffset(ps), vv.Payload, depth+1)
		}
		if fs, ok := fields(t.Kind); ok {
			vs, ok := asSlice(v)
			if !ok || len(vs) != len(fs) {
				return typeError("record or tuple of "+itoaU(uint64(len(fs)))+" fields", v)
			}
			offs := FieldOffsets(fs)
			for i, f := range fs {
				if err := cx.store(f, ptr+offs[i], vs[i], depth+1); err != nil {
					return err
				}
			}
			return nil
		}
		if elem, ok := listElem(t.Kind); ok {
			p, n, err := cx.storeList(elem, v, depth)
			if err != nil {
				return err
			}
			binary.LittleEndian.PutUint32(buf[:], p)
			binary.LittleEndian.PutUint32(buf[4:], n)
			return cx.write(ptr, buf[:8])
		}
		switch k := t.Kind.(type) {
		case *wit.FixedList:
			vs, ok := v.(List)
			if !ok || uint32(len(vs)) != k.Len {
				return typeError("list of "+itoaU(uint64(k.Len))+" elements", v)
			}
			return cx.storeElems(k.Elem, ptr, vs, depth)
		case *wit.Flags:
			f, ok := v.(Flags)
			if !ok {
				return typeError("flags", v)
			}
			b := make([]byte, l.Size)
			for i := range f {
				var w [4]byte
				binary.LittleEndian.PutUint32(w[:], f[i])
				copy(b[min(len(b), 4*i):], w[:])
			}
			return cx.write(ptr, b)
		case *wit.Handle:
			h, err := cx.lowerHandle(k, v)
			if err != nil {
				return err
			}
			binary.LittleEndian.PutUint32(buf[:], h)
			return cx.write(ptr, buf[:4])
		case *wit.Future, *wit.Stream:
			h, ok := v.(Handle)
			if !ok {
				return typeError("handle", v)
			}
			binary.LittleEndian.PutUint32(buf[:], uint32(h))
			return cx.write(ptr, buf[:4])
		}
	}
	return typeError("an invalid type", v)
}

func asSlice(v Value) ([]Value, bool) {
	switch v := v.(type) {
	case Record:
		return v, true
	case Tuple:
		return v, true
	case List:
		return v, true
	}
	return nil, false
}

func (cx *Cx) lowerHandle(h *wit.Handle, v Value) (uint32, error) {
	if cx.Handles != nil {
		return cx.Handles.LowerHandle(h, v)
	}
	hv, ok := v.(Handle)
	if !ok {
		return 0, typeError("handle", v)
	}
	return uint32(hv), nil
}

// primitiveBits returns the little-endian bits of a scalar value, as stored
// in memory and (zero-extended) as a flat core value.
func primitiveBits(p wit.Primitive, v Value) (uint64, error) {
	switch p {
	case wit.Bool:
		if b, ok := v.(bool); ok {
			if b {
				return 1, nil
			}
			return 0, nil
		}
	case wit.U8:
		if x, ok := v.(uint8); ok {
			return uint64(x), nil
		}
	case wit.S8:
		if x, ok := v.(int8); ok {
			return uint64(uint8(x)), nil
		}
	case wit.U16:
		if x, ok := v.(uint16); ok {
			return uint64(x), nil
		}
	case wit.S16:
		if x, ok := v.(int16); ok {
			return uint64(uint16(x)), nil
		}
	case wit.U32:
		if x, ok := v.(uint32); ok {
			return uint64(x), nil
		}
	case wit.S32:
		if x, ok := v.(int32); ok {
			return uint64(uint32(x)), nil
		}
	case wit.U64:
		if x, ok := v.(uint64); ok {
			return x, nil
		}
	case wit.S64:
		if x, ok := v.(int64); ok {
			return uint64(x), nil
		}
	case wit.F32:
		if x, ok := v.(float32); ok {
			return uint64(LowerF32(x)), nil
		}
	case wit.F64:
		if x, ok := v.(float64); ok {
			return LowerF64(x), nil
		}
	case wit.Char:
		if x, ok := v.(Char); ok {
			if !validChar(int64(x)) {
				return 0, typeError("char (not a Unicode scalar value)", v)
			}
			return uint64(x), nil
		}
	case wit.ErrorContext:
		if x, ok := v.(Handle); ok {
			return uint64(x), nil
		}
	}
	return 0, typeError(p.String(), v)
}

// storeString encodes s in cx.Encoding, allocates it in guest memory and
// returns the pointer and the (tagged) code unit count.
func (cx *Cx) storeString(s string) (uint32, uint32, error) {
	if !utf8.ValidString(s) {
		return 0, 0, typeError("string (invalid UTF-8)", s)
	}
	// b is the encoded string; nil for UTF-8, which goes from s into guest
	// memory without an intermediate copy.
	var b []byte
	n, units, align := len(s), uint32(len(s)), uint32(1)
	switch cx.Encoding {
	case UTF16:
		b, units = encodeUTF16(s)
		n, align = len(b), 2
	case Latin1UTF16:
		latin1 := true
		for _, r := range s {
			if r > 0xFF {
				latin1 = false
				break
			}
		}
		if latin1 {
			for _, r := range s {
				b = append(b, byte(r))
			}
			units = uint32(len(b))
		} else {
			b, units = encodeUTF16(s)
			units |= utf16Tag
		}
		n, align = len(b), 2
	}
	if n > MaxStringByteLength {
		return 0, 0, trapf("string of %d bytes exceeds the maximum string size", n)
	}
	// An empty string still gets an allocation call of size 0, as in the
	// specification; the pointer is not dereferenced.
	p, err := cx.allocate(align, uint32(n))
	if err != nil || n == 0 {
		return p, units, err
	}
	dst, err := cx.read(p, uint32(n))
	if err != nil {
		return 0, 0, err
	}
	if b == nil {
		copy(dst, s)
	} else {
		copy(dst, b)
	}
	return p, units, nil
}

func encodeUTF16(s string) ([]byte, uint32) {
	u := utf16.Encode([]rune(s))
	b := make([]byte, 2*len(u))
	for i, c := range u {
		binary.LittleEndian.PutUint16(b[2*i:], c)
	}
	return b, uint32(len(u))
}

func (cx *Cx) storeList(elem wit.Type, v Value, depth int) (uint32, uint32, error) {
	if b, ok := v.([]byte); ok && wit.Resolved(elem) == wit.U8 {
		p, err := cx.allocList(len(b), Layout{Size: 1, Align: 1})
		if err != nil {
			return 0, 0, err
		}
		return p, uint32(len(b)), cx.write(p, b)
	}
	vs, ok := v.(List)
	if !ok {
		return 0, 0, typeError("list", v)
	}
	p, err := cx.allocList(len(vs), LayoutOf(elem))
	if err != nil {
		return 0, 0, err
	}
	return p, uint32(len(vs)), cx.storeElems(elem, p, vs, depth)
}

// allocList allocates a lowered list of n elements of layout l, checking
// the list size limit.
func (cx *Cx) allocList(n int, l Layout) (uint32, error) {
	if uint64(n)*uint64(l.Size) > MaxListByteLength {
		return 0, trapf("list of %d elements of %d bytes exceeds the maximum list size", n, l.Size)
	}
	return cx.allocate(l.Align, uint32(n)*l.Size)
}

func (cx *Cx) storeElems(elem wit.Type, ptr uint32, vs []Value, depth int) error {
	size := LayoutOf(elem).Size
	for i, e := range vs {
		if err := cx.store(elem, ptr+uint32(i)*size, e, depth+1); err != nil {
			return err
		}
	}
	return nil
}
