package canonabi

import (
	"unsafe"

	"github.com/witc-dev/witc/wit"
)

// Boxing without an allocation per value. Converting a Go value to an
// interface (a Value) copies it to the heap unless it is pointer-shaped
// or a small integer: lifting a list of 256 records of two s32 fields
// would allocate each record's field slice, its slice header and every
// field. A Cx instead takes them from chunks of typed slabs (boxes),
// allocated a few hundred values at a time, and makes each Value point
// into its chunk: the Values keep the types the dynamic API documents
// (Record, int32, ...), only where their data lives changes.
//
// A slab element is written once, before its Value is made, and never
// again; a chunk stays alive while any Value points into it.

// eface is the layout of an empty interface (a Value): its type and a
// pointer to its data, for the types boxed here (none pointer-shaped).
type eface struct {
	typ  unsafe.Pointer
	data unsafe.Pointer
}

// Bounds of the length of a chunk: the length of the list being lifted,
// within them.
const (
	minChunk = 16
	maxChunk = 4096
)

// boxes are the slabs of a Cx.
type boxes struct {
	i32  []int32
	u32  []uint32
	i64  []int64
	u64  []uint64
	i16  []int16
	u16  []uint16
	f32  []float32
	f64  []float64
	strs []string
	recs []Record
	tups []Tuple
	vars []Variant
	vals []Value // the fields of records and tuples
	// n is the length of a new chunk.
	n int
}

// box returns x as a Value of dynamic type typ (the type word of a T,
// see types) whose data is the next element of slab s. T must not be
// pointer-shaped (a pointer, map, chan, func, or a struct or array of
// one such), whose Value holds the pointer itself.
func box[T any](b *boxes, s *[]T, typ unsafe.Pointer, x T) Value {
	if len(*s) == cap(*s) {
		*s = make([]T, 0, b.n)
	}
	*s = append(*s, x)
	var v Value
	e := (*eface)(unsafe.Pointer(&v))
	e.typ, e.data = typ, unsafe.Pointer(&(*s)[len(*s)-1])
	return v
}

// typeWord is the type word of v's dynamic type.
func typeWord(v Value) unsafe.Pointer { return (*eface)(unsafe.Pointer(&v)).typ }

// The type words of the boxed types.
var (
	tI16, tU16    = typeWord(int16(0)), typeWord(uint16(0))
	tI32, tU32    = typeWord(int32(0)), typeWord(uint32(0))
	tI64, tU64    = typeWord(int64(0)), typeWord(uint64(0))
	tF32, tF64    = typeWord(float32(0)), typeWord(float64(0))
	tString       = typeWord("")
	tRecord, tTup = typeWord(Record(nil)), typeWord(Tuple(nil))
	tVariant      = typeWord(Variant{})
)

// values returns n Values for the fields of a record or tuple, from one
// chunk, with no room to append into the next record's.
func (b *boxes) values(n int) []Value {
	if cap(b.vals)-len(b.vals) < n {
		b.vals = make([]Value, 0, max(b.n, n))
	}
	l := len(b.vals)
	b.vals = b.vals[:l+n]
	return b.vals[l : l+n : l+n]
}

// scalar boxes the scalars whose conversion to a Value would allocate
// (bools and bytes do not: Go keeps them all).
func (b *boxes) scalar(p wit.Primitive, m []byte) (Value, bool) {
	switch p {
	case wit.U16:
		return box(b, &b.u16, tU16, uint16(le(m, 2))), true
	case wit.S16:
		return box(b, &b.i16, tI16, int16(le(m, 2))), true
	case wit.U32:
		return box(b, &b.u32, tU32, uint32(le(m, 4))), true
	case wit.S32:
		return box(b, &b.i32, tI32, int32(le(m, 4))), true
	case wit.U64:
		return box(b, &b.u64, tU64, le(m, 8)), true
	case wit.S64:
		return box(b, &b.i64, tI64, int64(le(m, 8))), true
	case wit.F32:
		return box(b, &b.f32, tF32, liftF32(uint32(le(m, 4)))), true
	case wit.F64:
		return box(b, &b.f64, tF64, liftF64(le(m, 8))), true
	}
	return nil, false
}

// slab makes the lifting of a list of n elements box from slabs (for
// the rest of the call) when the list is long enough to pay for them.
func (cx *Cx) slab(n uint32) {
	if n < minChunk {
		return
	}
	if cx.bx == nil {
		cx.bx = &boxes{}
	}
	cx.bx.n = max(cx.bx.n, min(int(n), maxChunk))
}
