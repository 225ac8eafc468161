package canonabi

import (
	"reflect"
	"strings"
	"testing"

	"github.com/witc-dev/witc/wit"
)

// boxedList is a list of n records of every boxed scalar type, a string
// and an option, with values too large for Go's cache of small integers.
func boxedList(n int) (wit.Type, List) {
	rec := def(&wit.Record{Fields: []wit.Field{
		{Name: "a", Type: wit.S32}, {Name: "b", Type: wit.U32}, {Name: "c", Type: wit.S64}, {Name: "d", Type: wit.U64},
		{Name: "e", Type: wit.S16}, {Name: "f", Type: wit.U16}, {Name: "g", Type: wit.F32}, {Name: "h", Type: wit.F64},
		{Name: "s", Type: wit.String}, {Name: "o", Type: def(&wit.Option{Type: def(&wit.Tuple{Types: []wit.Type{wit.S32, wit.Bool}})})},
	}})
	l := make(List, n)
	for i := range l {
		x := 1000 + i
		l[i] = Record{int32(-x), uint32(x), int64(-x), uint64(x), int16(-x), uint16(x), float32(x) / 2, float64(x) / 4,
			"s" + itoaU(uint64(x)), Variant{Case: uint32(i % 2), Payload: map[bool]Value{true: Tuple{int32(x), true}}[i%2 == 1]}}
	}
	return def(&wit.List{Elem: rec}), l
}

// TestLiftedListFromSlabs: a long list's elements are boxed from slabs,
// with the documented Go types and values, and each record's fields
// cannot be appended into the next record's.
func TestLiftedListFromSlabs(t *testing.T) {
	typ, want := boxedList(300)
	m := newMem(1 << 20)
	cx := cxFor(m, UTF8)
	if err := cx.Store(typ, 0, want); err != nil {
		t.Fatal(err)
	}
	got, err := cxFor(m, UTF8).Load(typ, 0)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("lifted %v, want %v", got, want)
	}
	l := got.(List)
	r0 := l[0].(Record)
	r0 = append(r0, "extra")
	if len(l[1].(Record)) != 10 || r0[10] != "extra" {
		t.Error("appending to a record's fields changed the next record")
	}
}

// TestLiftedListAllocations: lifting a list of records allocates per list
// (and per chunk of slab), not per value.
func TestLiftedListAllocations(t *testing.T) {
	typ := def(&wit.List{Elem: def(&wit.Record{Fields: []wit.Field{{Name: "x", Type: wit.S32}, {Name: "y", Type: wit.S32}}})})
	l := make(List, 256)
	for i := range l {
		l[i] = Record{int32(1000 + i), int32(-1000 - i)}
	}
	m := newMem(1 << 16)
	if err := cxFor(m, UTF8).Store(typ, 0, l); err != nil {
		t.Fatal(err)
	}
	n := testing.AllocsPerRun(20, func() {
		if _, err := cxFor(m, UTF8).Load(typ, 0); err != nil {
			t.Fatal(err)
		}
	})
	if n > 10 {
		t.Errorf("lifting 256 records allocates %v times", n)
	}
	if n := testing.AllocsPerRun(20, func() { cxFor(m, UTF8).Store(typ, 8192, l) }); n > 2 {
		t.Errorf("storing 256 records allocates %v times", n)
	}
}

func BenchmarkLoadRecords(b *testing.B) {
	typ, l := boxedList(256)
	m := newMem(1 << 20)
	if err := cxFor(m, UTF8).Store(typ, 0, l); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := cxFor(m, UTF8).Load(typ, 0); err != nil {
			b.Fatal(err)
		}
	}
}

// TestScalarRecordList: lists of records of scalars take a path of their
// own (scalarFields): it stores and lifts what the value-by-value path
// does, and traps and fails as it does.
func TestScalarRecordList(t *testing.T) {
	rec := def(&wit.Record{Fields: []wit.Field{{Name: "a", Type: wit.U8}, {Name: "b", Type: wit.U64}, {Name: "c", Type: wit.Char},
		{Name: "d", Type: wit.Bool}, {Name: "e", Type: wit.F32}, {Name: "f", Type: wit.S16}}})
	tup := def(&wit.Tuple{Types: []wit.Type{wit.S8, wit.F64}})
	for _, n := range []int{1, 3, 40} {
		recs, tups := make(List, n), make(List, n)
		for i := range recs {
			recs[i] = Record{uint8(i), uint64(1) << (i % 64), Char('a' + i), i%2 == 0, float32(i) / 3, int16(-300 * i)}
			tups[i] = Tuple{int8(-i), float64(i) * 1e10}
		}
		for _, c := range []struct {
			elem wit.Type
			l    List
		}{{rec, recs}, {tup, tups}} {
			typ := def(&wit.List{Elem: c.elem})
			m := newMem(1 << 16)
			if err := cxFor(m, UTF8).Store(typ, 0, c.l); err != nil {
				t.Fatal(err)
			}
			got, err := cxFor(m, UTF8).Load(typ, 0)
			if err != nil || !reflect.DeepEqual(got, c.l) {
				t.Fatalf("%d elements: lifted %v, %v", n, got, err)
			}
			ptr, size := uint32(m.b[0])|uint32(m.b[1])<<8, LayoutOf(c.elem).Size
			for i := range c.l {
				v, err := cxFor(m, UTF8).Load(c.elem, ptr+uint32(i)*size)
				if err != nil || !reflect.DeepEqual(v, c.l[i]) {
					t.Fatalf("element %d is %v (%v), want %v", i, v, err, c.l[i])
				}
			}
		}
		typ := def(&wit.List{Elem: rec})
		bad := append(List{}, recs...)
		bad[n-1] = Record{uint8(0), uint64(0), Char(0xD800), true, float32(0), int16(0)}
		if err := cxFor(newMem(1<<16), UTF8).Store(typ, 0, bad); err == nil {
			t.Error("a surrogate char was lowered")
		}
		bad[n-1] = Record{uint8(0)}
		if err := cxFor(newMem(1<<16), UTF8).Store(typ, 0, bad); err == nil || !strings.Contains(err.Error(), "record or tuple of 6 fields") {
			t.Errorf("a record of one field lowered as six: %v", err)
		}
		m := newMem(1 << 16)
		if err := cxFor(m, UTF8).Store(typ, 0, recs); err != nil {
			t.Fatal(err)
		}
		ptr := uint32(m.b[0]) | uint32(m.b[1])<<8
		m.b[ptr+uint32(n-1)*LayoutOf(rec).Size+16] = 0xFF // char c of the last element: beyond U+10FFFF
		m.b[ptr+uint32(n-1)*LayoutOf(rec).Size+19] = 0xFF
		if _, err := cxFor(m, UTF8).Load(typ, 0); err == nil {
			t.Error("an invalid char was lifted")
		}
	}
}

func BenchmarkScalarRecords(b *testing.B) {
	typ := def(&wit.List{Elem: def(&wit.Record{Fields: []wit.Field{{Name: "x", Type: wit.S32}, {Name: "y", Type: wit.S32}}})})
	l := make(List, 256)
	for i := range l {
		l[i] = Record{int32(1000 + i), int32(-1000 - i)}
	}
	m := newMem(1 << 16)
	b.Run("store", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			m.next = 8
			if err := cxFor(m, UTF8).Store(typ, 0, l); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("load", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := cxFor(m, UTF8).Load(typ, 0); err != nil {
				b.Fatal(err)
			}
		}
	})
}
