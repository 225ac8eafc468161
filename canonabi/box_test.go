package canonabi

import (
	"reflect"
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
