package canonabi

import (
	"encoding/binary"
	"math"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"

	"github.com/witc-dev/witc/wit"
)

// payloads returns the case payload types of a variant-like type (variant,
// enum, option, result) after despecialization, appended to buf (a
// caller's array keeps them off the heap).
func payloads(k wit.TypeDefKind, buf []wit.Type) ([]wit.Type, bool) {
	switch k := k.(type) {
	case *wit.Variant:
		for _, c := range k.Cases {
			buf = append(buf, c.Type)
		}
		return buf, true
	case *wit.Enum:
		for range k.Cases {
			buf = append(buf, nil)
		}
		return buf, true
	case *wit.Option:
		return append(buf, nil, k.Type), true
	case *wit.Result:
		return append(buf, k.OK, k.Err), true
	}
	return nil, false
}

// fields returns the field types of a record-like type (record, tuple),
// a record's appended to buf.
func fields(k wit.TypeDefKind, buf []wit.Type) ([]wit.Type, bool) {
	switch k := k.(type) {
	case *wit.Record:
		for _, f := range k.Fields {
			buf = append(buf, f.Type)
		}
		return buf, true
	case *wit.Tuple:
		return k.Types, true
	}
	return nil, false
}

// listElem returns the element type of a list or of a map (a list of
// key-value tuples).
func listElem(k wit.TypeDefKind) (wit.Type, bool) {
	switch k := k.(type) {
	case *wit.List:
		return k.Elem, true
	case *wit.Map:
		return &wit.TypeDef{Kind: &wit.Tuple{Types: []wit.Type{k.Key, k.Value}}}, true
	}
	return nil, false
}

func le(b []byte, n uint32) uint64 {
	switch n {
	case 1:
		return uint64(b[0])
	case 2:
		return uint64(binary.LittleEndian.Uint16(b))
	case 4:
		return uint64(binary.LittleEndian.Uint32(b))
	}
	return binary.LittleEndian.Uint64(b)
}

// Load reads a value of type t from memory at ptr.
//
// Spec: CanonicalABI.md#loading.
func (cx *Cx) Load(t wit.Type, ptr uint32) (Value, error) {
	return cx.load(t, ptr, 0)
}

func (cx *Cx) load(t wit.Type, ptr uint32, depth int) (Value, error) {
	if depth > maxDepth {
		return nil, trapf("type nesting too deep")
	}
	l := LayoutOf(t)
	if ptr != AlignTo(ptr, l.Align) {
		return nil, trapf("misaligned pointer %#x for a value of alignment %d", ptr, l.Align)
	}
	b, err := cx.read(ptr, l.Size)
	if err != nil {
		return nil, err
	}
	switch t := wit.Resolved(t).(type) {
	case wit.Primitive:
		if t == wit.ErrorContext {
			return cx.liftErrorContext(uint32(le(b, 4)))
		}
		if t != wit.String {
			return cx.loadScalar(t, b)
		}
		s, err := cx.loadString(uint32(le(b, 4)), uint32(le(b[4:], 4)))
		if err != nil {
			return nil, err
		}
		if cx.bx != nil {
			return box(cx.bx, &cx.bx.strs, tString, s), nil
		}
		return s, nil
	case *wit.TypeDef:
		var tb [16]wit.Type
		if ps, ok := payloads(t.Kind, tb[:0]); ok {
			return cx.loadVariant(ps, ptr, b, depth)
		}
		if fs, ok := fields(t.Kind, tb[:0]); ok {
			var out []Value
			if cx.bx != nil {
				out = cx.bx.values(len(fs))
			} else {
				out = make([]Value, len(fs))
			}
			var off uint32
			for i, f := range fs {
				fl := LayoutOf(f)
				off = AlignTo(off, fl.Align)
				v, err := cx.load(f, ptr+off, depth+1)
				if err != nil {
					return nil, err
				}
				out[i] = v
				off += fl.Size
			}
			_, isTuple := t.Kind.(*wit.Tuple)
			switch {
			case isTuple && cx.bx != nil:
				return box(cx.bx, &cx.bx.tups, tTup, Tuple(out)), nil
			case isTuple:
				return Tuple(out), nil
			case cx.bx != nil:
				return box(cx.bx, &cx.bx.recs, tRecord, Record(out)), nil
			}
			return Record(out), nil
		}
		if elem, ok := listElem(t.Kind); ok {
			return cx.loadList(elem, uint32(le(b, 4)), uint32(le(b[4:], 4)), depth)
		}
		switch k := t.Kind.(type) {
		case *wit.FixedList:
			return cx.loadElems(k.Elem, ptr, k.Len, depth)
		case *wit.Flags:
			return loadFlags(b, len(k.Flags)), nil
		case *wit.Handle:
			return cx.liftHandle(k, uint32(le(b, 4)))
		case *wit.Future, *wit.Stream:
			return cx.liftAsync(k, uint32(le(b, 4)))
		}
	}
	return nil, trapf("cannot load a value of an invalid type")
}

// loadScalar lifts a value of a primitive type other than string from
// its bytes b.
func (cx *Cx) loadScalar(t wit.Primitive, b []byte) (Value, error) {
	if cx.bx != nil {
		if v, ok := cx.bx.scalar(t, b); ok {
			return v, nil
		}
	}
	switch t {
	case wit.Bool:
		return b[0] != 0, nil
	case wit.U8:
		return b[0], nil
	case wit.S8:
		return int8(b[0]), nil
	case wit.U16:
		return uint16(le(b, 2)), nil
	case wit.S16:
		return int16(le(b, 2)), nil
	case wit.U32:
		return uint32(le(b, 4)), nil
	case wit.S32:
		return int32(le(b, 4)), nil
	case wit.U64:
		return le(b, 8), nil
	case wit.S64:
		return int64(le(b, 8)), nil
	case wit.F32:
		return liftF32(uint32(le(b, 4))), nil
	case wit.F64:
		return liftF64(le(b, 8)), nil
	case wit.Char:
		return liftChar(uint32(le(b, 4)))
	case wit.ErrorContext:
		return Handle(le(b, 4)), nil
	}
	return nil, trapf("cannot load a value of an invalid type")
}

// scalarField is a field of a record or tuple of scalars: its type and
// where it is.
type scalarField struct {
	p         wit.Primitive
	off, size uint32
}

// scalarFields returns the fields of a record or tuple type whose fields
// are all scalars other than strings and error-contexts, appended to buf:
// lists of them are lifted and lowered with one read of memory and no
// recursion.
func scalarFields(t wit.Type, buf []scalarField) ([]scalarField, bool) {
	td, ok := wit.Resolved(t).(*wit.TypeDef)
	if !ok {
		return nil, false
	}
	var tb [16]wit.Type
	fs, ok := fields(td.Kind, tb[:0])
	if !ok || len(fs) == 0 {
		return nil, false
	}
	var off uint32
	for _, f := range fs {
		p, ok := wit.Resolved(f).(wit.Primitive)
		if !ok || p == wit.String || p == wit.ErrorContext || p == 0 {
			return nil, false
		}
		l := primitiveLayout(p)
		off = AlignTo(off, l.Align)
		buf = append(buf, scalarField{p: p, off: off, size: l.Size})
		off += l.Size
	}
	return buf, true
}

// loadScalarRecords lifts len(out) records or tuples (of type elem) of
// the scalar fields fs, size bytes apart from ptr, into out.
func (cx *Cx) loadScalarRecords(elem wit.Type, fs []scalarField, out List, ptr, size uint32) (Value, error) {
	b, err := cx.read(ptr, uint32(len(out))*size)
	if err != nil {
		return nil, err
	}
	_, isTuple := wit.Resolved(elem).(*wit.TypeDef).Kind.(*wit.Tuple)
	bx := cx.bx
	for i := range out {
		e := b[uint32(i)*size:]
		var vs []Value
		if bx != nil {
			vs = bx.values(len(fs))
		} else {
			vs = make([]Value, len(fs))
		}
		for j, f := range fs {
			if vs[j], err = cx.loadScalar(f.p, e[f.off:f.off+f.size]); err != nil {
				return nil, err
			}
		}
		switch {
		case isTuple && bx != nil:
			out[i] = box(bx, &bx.tups, tTup, Tuple(vs))
		case isTuple:
			out[i] = Tuple(vs)
		case bx != nil:
			out[i] = box(bx, &bx.recs, tRecord, Record(vs))
		default:
			out[i] = Record(vs)
		}
	}
	return out, nil
}

func loadFlags(b []byte, n int) Flags {
	f := make(Flags, (n+31)/32)
	for i := range f {
		switch {
		case len(b) >= 4*(i+1):
			f[i] = binary.LittleEndian.Uint32(b[4*i:])
		case len(b) == 2:
			f[i] = uint32(binary.LittleEndian.Uint16(b))
		case len(b) == 1:
			f[i] = uint32(b[0])
		}
	}
	if n%32 != 0 && len(f) > 0 {
		f[len(f)-1] &= 1<<(n%32) - 1 // bits beyond the labels are ignored
	}
	return f
}

func (cx *Cx) liftHandle(h *wit.Handle, i uint32) (Value, error) {
	if cx.Handles == nil {
		return Handle(i), nil
	}
	return cx.Handles.LiftHandle(h, i)
}

func (cx *Cx) loadVariant(ps []wit.Type, ptr uint32, b []byte, depth int) (Value, error) {
	disc := LayoutOf(Discriminant(len(ps))).Size
	c := uint32(le(b, disc))
	if c >= uint32(len(ps)) {
		return nil, trapf("discriminant %d out of range (%d cases)", c, len(ps))
	}
	var v Value
	if ps[c] != nil {
		var err error
		if v, err = cx.load(ps[c], ptr+PayloadOffset(ps), depth+1); err != nil {
			return nil, err
		}
	}
	if cx.bx != nil {
		return box(cx.bx, &cx.bx.vars, tVariant, Variant{Case: c, Payload: v}), nil
	}
	return Variant{Case: c, Payload: v}, nil
}

func (cx *Cx) loadList(elem wit.Type, ptr, n uint32, depth int) (Value, error) {
	if err := cx.checkList(ptr, n, LayoutOf(elem)); err != nil {
		return nil, err
	}
	return cx.loadElems(elem, ptr, n, depth)
}

// checkList checks a lifted list of n elements of layout l at ptr: the
// size limit, alignment, bounds, and the call's lifting budget. Zero-size
// elements count as one byte, so that a guest cannot make the host
// allocate billions of empty values.
func (cx *Cx) checkList(ptr, n uint32, l Layout) error {
	counted := uint64(n) * uint64(max(l.Size, 1))
	if counted > MaxListByteLength {
		return trapf("list of %d elements of %d bytes exceeds the maximum list size", n, l.Size)
	}
	if ptr != AlignTo(ptr, l.Align) {
		return trapf("misaligned list pointer %#x (alignment %d)", ptr, l.Align)
	}
	if _, err := cx.read(ptr, n*l.Size); err != nil {
		return err
	}
	return cx.charge(counted)
}

func (cx *Cx) loadElems(elem wit.Type, ptr, n uint32, depth int) (Value, error) {
	size := LayoutOf(elem).Size
	if uint64(n)*uint64(size) > MaxListByteLength {
		return nil, trapf("list of %d elements of %d bytes exceeds the maximum list size", n, size)
	}
	out := make(List, n)
	if wit.Resolved(elem) == wit.U8 { // bytes: one read
		b, err := cx.read(ptr, n)
		if err != nil {
			return nil, err
		}
		for i, c := range b {
			out[i] = c
		}
		return out, nil
	}
	cx.slab(n)
	var fb [16]scalarField
	if fs, ok := scalarFields(elem, fb[:0]); ok && n > 0 {
		return cx.loadScalarRecords(elem, fs, out, ptr, size)
	}
	for i := uint32(0); i < n; i++ {
		v, err := cx.load(elem, ptr+i*size, depth+1)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

func liftF32(bits uint32) float32 {
	f := math.Float32frombits(bits)
	if f != f {
		return math.Float32frombits(0x7fc00000) // canonical NaN
	}
	return f
}

func liftF64(bits uint64) float64 {
	f := math.Float64frombits(bits)
	if f != f {
		return math.Float64frombits(0x7ff8000000000000)
	}
	return f
}

// validChar reports whether c is a Unicode scalar value: not a surrogate,
// not beyond U+10FFFF.
func validChar(c int64) bool {
	return c >= 0 && c < 0x110000 && (c < 0xD800 || c > 0xDFFF)
}

func liftChar(i uint32) (Value, error) {
	if !validChar(int64(i)) {
		return nil, trapf("invalid char %#x", i)
	}
	return Char(i), nil
}

func (cx *Cx) loadString(ptr, tagged uint32) (string, error) {
	var align, n uint32 = 1, tagged
	enc := cx.Encoding
	switch cx.Encoding {
	case UTF16:
		align, n = 2, 2*uint32(min(uint64(tagged), MaxStringByteLength+1))
	case Latin1UTF16:
		align = 2
		if tagged&utf16Tag != 0 {
			n, enc = 2*(tagged^utf16Tag), UTF16
		} else {
			enc = Latin1UTF16 // latin1 bytes
		}
	}
	if n > MaxStringByteLength {
		return "", trapf("string of %d bytes exceeds the maximum string size", n)
	}
	if ptr != AlignTo(ptr, align) {
		return "", trapf("misaligned string pointer %#x (alignment %d)", ptr, align)
	}
	b, err := cx.read(ptr, n)
	if err != nil {
		return "", err
	}
	if err := cx.charge(uint64(n)); err != nil {
		return "", err
	}
	switch enc {
	case UTF8:
		if !utf8.Valid(b) {
			return "", trapf("string at %#x is not valid UTF-8", ptr)
		}
		return string(b), nil
	case UTF16:
		u := make([]uint16, len(b)/2)
		for i := range u {
			u[i] = binary.LittleEndian.Uint16(b[2*i:])
		}
		for i := 0; i < len(u); i++ { // lone surrogates are invalid
			switch {
			case u[i] >= 0xD800 && u[i] < 0xDC00:
				if i+1 >= len(u) || u[i+1] < 0xDC00 || u[i+1] > 0xDFFF {
					return "", trapf("string at %#x is not valid UTF-16", ptr)
				}
				i++
			case u[i] >= 0xDC00 && u[i] <= 0xDFFF:
				return "", trapf("string at %#x is not valid UTF-16", ptr)
			}
		}
		str := string(utf16.Decode(u))
		if cx.Encoding == Latin1UTF16 && len(str) > 0 {
			if cx.utf16 == nil {
				cx.utf16 = map[*byte]bool{}
			}
			cx.utf16[unsafe.StringData(str)] = true
		}
		return str, nil
	}
	r := make([]rune, len(b)) // latin1
	for i, c := range b {
		r[i] = rune(c)
	}
	return string(r), nil
}
