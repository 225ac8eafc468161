package canonabi

import (
	"encoding/binary"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"

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
			return cx.putPair(ptr, p, n)
		}
		if t == wit.ErrorContext {
			h, err := cx.lowerErrorContext(v)
			if err != nil {
				return err
			}
			return cx.putU32(ptr, h)
		}
		bits, err := primitiveBits(t, v)
		if err != nil {
			return err
		}
		dst, err := cx.dst(ptr, l.Size)
		if err != nil {
			return err
		}
		putLE(dst, bits)
		return nil
	case *wit.TypeDef:
		var tb [16]wit.Type
		if ps, ok := payloads(t.Kind, tb[:0]); ok {
			vv, ok := v.(Variant)
			if !ok {
				return typeError("variant", v)
			}
			if vv.Case >= uint32(len(ps)) {
				return typeError("variant case out of range", v)
			}
			disc := LayoutOf(Discriminant(len(ps))).Size
			dst, err := cx.dst(ptr, disc)
			if err != nil {
				return err
			}
			putLE(dst, uint64(vv.Case))
			if ps[vv.Case] == nil {
				return nil
			}
			return cx.store(ps[vv.Case], ptr+PayloadOffset(ps), vv.Payload, depth+1)
		}
		if fs, ok := fields(t.Kind, tb[:0]); ok {
			vs, ok := asSlice(v)
			if !ok || len(vs) != len(fs) {
				return typeError("record or tuple of "+itoaU(uint64(len(fs)))+" fields", v)
			}
			var off uint32
			for i, f := range fs {
				fl := LayoutOf(f)
				off = AlignTo(off, fl.Align)
				if err := cx.store(f, ptr+off, vs[i], depth+1); err != nil {
					return err
				}
				off += fl.Size
			}
			return nil
		}
		if elem, ok := listElem(t.Kind); ok {
			p, n, err := cx.storeList(elem, v, depth)
			if err != nil {
				return err
			}
			return cx.putPair(ptr, p, n)
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
			b, err := cx.dst(ptr, l.Size)
			if err != nil {
				return err
			}
			clear(b)
			for i := range f {
				var w [4]byte
				binary.LittleEndian.PutUint32(w[:], f[i])
				copy(b[min(len(b), 4*i):], w[:])
			}
			return nil
		case *wit.Handle:
			h, err := cx.lowerHandle(k, v)
			if err != nil {
				return err
			}
			return cx.putU32(ptr, h)
		case *wit.Future, *wit.Stream:
			h, err := cx.lowerAsync(k, v)
			if err != nil {
				return err
			}
			return cx.putU32(ptr, h)
		}
	}
	return typeError("an invalid type", v)
}

// dst returns the n bytes of guest memory at ptr, to write a value into
// in place (Memory.Read returns a view): no buffer on the heap per value.
func (cx *Cx) dst(ptr, n uint32) ([]byte, error) {
	if cx.Memory == nil {
		return nil, trapf("no memory to write %d bytes at %#x to", n, ptr)
	}
	b, ok := cx.Memory.Read(ptr, n)
	if !ok {
		return nil, trapf("out-of-bounds write of %d bytes at %#x (memory size %#x)", n, ptr, cx.Memory.Size())
	}
	return b, nil
}

// putLE writes the len(b) low bytes of x, little-endian.
func putLE(b []byte, x uint64) {
	for i := range b {
		b[i] = byte(x >> (8 * i))
	}
}

func (cx *Cx) putU32(ptr, x uint32) error {
	b, err := cx.dst(ptr, 4)
	if err != nil {
		return err
	}
	binary.LittleEndian.PutUint32(b, x)
	return nil
}

// putPair writes a pointer and a length (of a string or list).
func (cx *Cx) putPair(ptr, p, n uint32) error {
	b, err := cx.dst(ptr, 8)
	if err != nil {
		return err
	}
	binary.LittleEndian.PutUint32(b, p)
	binary.LittleEndian.PutUint32(b[4:], n)
	return nil
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
// returns the pointer and the (tagged) code unit count. It calls realloc
// as CanonicalABI.md's store_string_into_range does for the string's
// source encoding (cx.Source's, UTF-8 for the host's strings): how many
// times, with which sizes and in which order is visible to the guest,
// and a realloc that returns a misaligned pointer on its second call
// must trap as it does there.
func (cx *Cx) storeString(s string) (uint32, uint32, error) {
	if !utf8.ValidString(s) {
		return 0, 0, typeError("string (invalid UTF-8)", s)
	}
	src := cx.source(s)
	units := src.units(s)
	switch cx.Encoding {
	case UTF16:
		if src == srcUTF8 {
			return cx.storeUTF8ToUTF16(s, units)
		}
		return cx.storeStringCopy(s, units, UTF16)
	case Latin1UTF16:
		switch src {
		case srcUTF8, srcUTF16:
			return cx.storeToLatin1OrUTF16(s, units)
		case srcLatin1:
			return cx.storeStringCopy(s, units, Latin1UTF16)
		}
		return cx.storeProbablyUTF16ToLatin1OrUTF16(s, units)
	}
	switch src {
	case srcUTF16, srcTaggedUTF16:
		return cx.storeToUTF8(s, units, 3*units)
	case srcLatin1:
		return cx.storeToUTF8(s, units, 2*units)
	}
	return cx.storeStringCopy(s, units, UTF8)
}

// srcEncoding is how a string was encoded where it came from.
type srcEncoding uint8

const (
	srcUTF8        srcEncoding = iota
	srcUTF16                   // utf16
	srcLatin1                  // latin1+utf16 without the UTF-16 tag
	srcTaggedUTF16             // latin1+utf16 with the UTF-16 tag
)

// units is the number of code units of s in encoding e.
func (e srcEncoding) units(s string) uint64 {
	switch e {
	case srcUTF8:
		return uint64(len(s))
	case srcLatin1:
		return uint64(utf8.RuneCountInString(s))
	}
	n := uint64(0)
	for _, r := range s {
		n++
		if r > 0xFFFF {
			n++
		}
	}
	return n
}

// source is how s was encoded where it came from: in cx.Source, the
// context it was lifted in, or (without one) UTF-8, the host's.
func (cx *Cx) source(s string) srcEncoding {
	if cx.Source == nil {
		return srcUTF8
	}
	switch cx.Source.Encoding {
	case UTF16:
		return srcUTF16
	case Latin1UTF16:
		if len(s) > 0 && cx.Source.utf16[unsafe.StringData(s)] {
			return srcTaggedUTF16
		}
		return srcLatin1
	}
	return srcUTF8
}

// checkStringSize traps for a string of n bytes larger than the
// specification allows.
func checkStringSize(n uint64) error {
	if n > MaxStringByteLength {
		return trapf("string of %d bytes exceeds the maximum string size", n)
	}
	return nil
}

// storeStringCopy is store_string_copy: one allocation of the exact size
// (the destination's code units are the source's), s written in enc
// (Latin1UTF16: as Latin-1).
func (cx *Cx) storeStringCopy(s string, units uint64, enc StringEncoding) (uint32, uint32, error) {
	var b []byte // nil: s itself (UTF-8)
	align := uint32(2)
	switch enc {
	case UTF8:
		align = 1
	case UTF16:
		b, _ = encodeUTF16(s)
	case Latin1UTF16:
		b = make([]byte, 0, units)
		for _, r := range s {
			b = append(b, byte(r))
		}
	}
	n := uint64(len(s))
	if b != nil {
		n = uint64(len(b))
	}
	if err := checkStringSize(n); err != nil {
		return 0, 0, err
	}
	// An empty string still gets an allocation call of size 0, as in the
	// specification; the pointer is not dereferenced.
	p, err := cx.allocate(align, uint32(n))
	if err != nil || n == 0 {
		return p, uint32(units), err
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
	return p, uint32(units), nil
}

// storeToUTF8 is store_string_to_utf8 (from UTF-16 or Latin-1): one byte
// per code unit while they are ASCII, then a reallocation to the worst
// case, the rest, and a shrinking reallocation.
func (cx *Cx) storeToUTF8(s string, units, worst uint64) (uint32, uint32, error) {
	if err := checkStringSize(worst); err != nil {
		return 0, 0, err
	}
	p, err := cx.allocate(1, uint32(units))
	if err != nil {
		return 0, 0, err
	}
	ascii := 0
	for ascii < len(s) && s[ascii] < utf8.RuneSelf {
		ascii++
	}
	if ascii == len(s) {
		if err := cx.write(p, []byte(s)); err != nil {
			return 0, 0, err
		}
		return p, uint32(units), nil
	}
	if err := cx.write(p, []byte(s[:ascii])); err != nil {
		return 0, 0, err
	}
	if p, err = cx.reallocate(p, uint32(units), 1, uint32(worst)); err != nil {
		return 0, 0, err
	}
	if err := cx.write(p+uint32(ascii), []byte(s[ascii:])); err != nil {
		return 0, 0, err
	}
	if worst > uint64(len(s)) {
		if p, err = cx.reallocate(p, uint32(worst), 1, uint32(len(s))); err != nil {
			return 0, 0, err
		}
	}
	return p, uint32(len(s)), nil
}

// storeUTF8ToUTF16 is store_utf8_to_utf16: a worst-case allocation (two
// bytes per UTF-8 byte), then a shrinking reallocation.
func (cx *Cx) storeUTF8ToUTF16(s string, units uint64) (uint32, uint32, error) {
	worst := 2 * units
	if err := checkStringSize(worst); err != nil {
		return 0, 0, err
	}
	p, err := cx.allocate(2, uint32(worst))
	if err != nil {
		return 0, 0, err
	}
	b, n := encodeUTF16(s)
	if err := cx.write(p, b); err != nil {
		return 0, 0, err
	}
	if uint64(len(b)) < worst {
		if p, err = cx.reallocate(p, uint32(worst), 2, uint32(len(b))); err != nil {
			return 0, 0, err
		}
	}
	return p, n, nil
}

// storeToLatin1OrUTF16 is store_string_to_latin1_or_utf16 (from UTF-8 or
// UTF-16): Latin-1 while the characters fit, else a reallocation to the
// worst case, the Latin-1 bytes inflated in place, the rest in UTF-16 and
// a shrinking reallocation; a Latin-1 string shorter than the source is
// shrunk too.
func (cx *Cx) storeToLatin1OrUTF16(s string, units uint64) (uint32, uint32, error) {
	if err := checkStringSize(units); err != nil {
		return 0, 0, err
	}
	p, err := cx.allocate(2, uint32(units))
	if err != nil {
		return 0, 0, err
	}
	latin1 := make([]byte, 0, units)
	for i, r := range s {
		if r < 0x100 {
			latin1 = append(latin1, byte(r))
			continue
		}
		if err := cx.write(p, latin1); err != nil {
			return 0, 0, err
		}
		worst := 2 * units
		if err := checkStringSize(worst); err != nil {
			return 0, 0, err
		}
		if p, err = cx.reallocate(p, uint32(units), 2, uint32(worst)); err != nil {
			return 0, 0, err
		}
		// Inflate the Latin-1 bytes where realloc left them.
		n := uint32(len(latin1))
		dst, err := cx.read(p, 2*n)
		if err != nil {
			return 0, 0, err
		}
		for j := int(n) - 1; j >= 0; j-- {
			dst[2*j], dst[2*j+1] = dst[j], 0
		}
		rest, restUnits := encodeUTF16(s[i:])
		if err := cx.write(p+2*n, rest); err != nil {
			return 0, 0, err
		}
		size := 2 * (uint64(n) + uint64(restUnits))
		if worst > size {
			if p, err = cx.reallocate(p, uint32(worst), 2, uint32(size)); err != nil {
				return 0, 0, err
			}
		}
		return p, uint32(size/2) | utf16Tag, nil
	}
	if err := cx.write(p, latin1); err != nil {
		return 0, 0, err
	}
	if uint64(len(latin1)) < units {
		if p, err = cx.reallocate(p, uint32(units), 2, uint32(len(latin1))); err != nil {
			return 0, 0, err
		}
	}
	return p, uint32(len(latin1)), nil
}

// storeProbablyUTF16ToLatin1OrUTF16 is
// store_probably_utf16_to_latin1_or_utf16 (from latin1+utf16's UTF-16):
// UTF-16 in an allocation of the source's size, deflated to Latin-1 with
// a shrinking reallocation when every character fits.
func (cx *Cx) storeProbablyUTF16ToLatin1OrUTF16(s string, units uint64) (uint32, uint32, error) {
	size := 2 * units
	if err := checkStringSize(size); err != nil {
		return 0, 0, err
	}
	p, err := cx.allocate(2, uint32(size))
	if err != nil {
		return 0, 0, err
	}
	b, n := encodeUTF16(s)
	if err := cx.write(p, b); err != nil {
		return 0, 0, err
	}
	for _, r := range s {
		if r >= 0x100 {
			return p, n | utf16Tag, nil
		}
	}
	dst, err := cx.read(p, 2*n)
	if err != nil {
		return 0, 0, err
	}
	for i := range n {
		dst[i] = dst[2*i]
	}
	if p, err = cx.reallocate(p, uint32(size), 1, n); err != nil {
		return 0, 0, err
	}
	return p, n, nil
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
	var fb [16]scalarField
	if fs, ok := scalarFields(elem, fb[:0]); ok && len(vs) > 0 {
		return cx.storeScalarRecords(fs, ptr, size, vs)
	}
	for i, e := range vs {
		if err := cx.store(elem, ptr+uint32(i)*size, e, depth+1); err != nil {
			return err
		}
	}
	return nil
}

// storeScalarRecords stores records or tuples of the scalar fields fs,
// size bytes apart from ptr: one view of memory for the whole list, no
// recursion per value.
func (cx *Cx) storeScalarRecords(fs []scalarField, ptr, size uint32, vs []Value) error {
	dst, err := cx.dst(ptr, uint32(len(vs))*size)
	if err != nil {
		return err
	}
	for i, v := range vs {
		rec, ok := asSlice(v)
		if !ok || len(rec) != len(fs) {
			return typeError("record or tuple of "+itoaU(uint64(len(fs)))+" fields", v)
		}
		e := dst[uint32(i)*size:]
		for j, f := range fs {
			bits, err := primitiveBits(f.p, rec[j])
			if err != nil {
				return err
			}
			putLE(e[f.off:f.off+f.size], bits)
		}
	}
	return nil
}
