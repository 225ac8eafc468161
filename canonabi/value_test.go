package canonabi

import (
	"encoding/binary"
	"errors"
	"math"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/witc-dev/witc/wit"
)

// fakeMemory is a linear memory with a bump allocator behind realloc.
type fakeMemory struct {
	b    []byte
	next uint32
}

func newMem(size int) *fakeMemory { return &fakeMemory{b: make([]byte, size), next: 8} }

func (m *fakeMemory) Read(off, n uint32) ([]byte, bool) {
	if uint64(off)+uint64(n) > uint64(len(m.b)) {
		return nil, false
	}
	return m.b[off : off+n], true
}

func (m *fakeMemory) Write(off uint32, v []byte) bool {
	if uint64(off)+uint64(len(v)) > uint64(len(m.b)) {
		return false
	}
	copy(m.b[off:], v)
	return true
}

func (m *fakeMemory) Size() uint32 { return uint32(len(m.b)) }

func (m *fakeMemory) realloc(old, oldSize, align, size uint32) (uint32, error) {
	p := AlignTo(m.next, align)
	m.next = p + size
	if old != 0 { // as realloc does: what was there moves along
		copy(m.b[p:p+min(oldSize, size)], m.b[old:old+oldSize])
	}
	return p, nil
}

func cxFor(m *fakeMemory, enc StringEncoding) *Cx {
	return &Cx{Memory: m, Encoding: enc, Realloc: m.realloc}
}

func TestRoundTrip(t *testing.T) {
	res := def(&wit.Resource{})
	point := def(&wit.Record{Fields: []wit.Field{{Name: "x", Type: wit.S32}, {Name: "y", Type: wit.F64}, {Name: "tag", Type: wit.Char}}})
	shape := def(&wit.Variant{Cases: []wit.Case{{Name: "none"}, {Name: "circle", Type: wit.F32}, {Name: "poly", Type: def(&wit.List{Elem: point})}, {Name: "big", Type: wit.U64}}})
	flags40 := def(&wit.Flags{Flags: names(40)})
	cases := []struct {
		name string
		t    wit.Type
		v    Value
	}{
		{"bool", wit.Bool, true},
		{"u8", wit.U8, uint8(200)},
		{"s8", wit.S8, int8(-5)},
		{"u16", wit.U16, uint16(65535)},
		{"s16", wit.S16, int16(-300)},
		{"u32", wit.U32, uint32(1 << 31)},
		{"s32", wit.S32, int32(-1)},
		{"u64", wit.U64, uint64(math.MaxUint64)},
		{"s64", wit.S64, int64(math.MinInt64)},
		{"f32", wit.F32, float32(1.5)},
		{"f64", wit.F64, -2.25},
		{"char", wit.Char, Char('λ')},
		{"string", wit.String, "héllo, 世界 🎉"},
		{"empty string", wit.String, ""},
		{"list<u8>", def(&wit.List{Elem: wit.U8}), List{uint8(1), uint8(2), uint8(3)}},
		{"empty list", def(&wit.List{Elem: wit.U64}), List{}},
		{"list<string>", def(&wit.List{Elem: wit.String}), List{"a", "", "ccc"}},
		{"record", point, Record{int32(-7), 3.5, Char('x')}},
		{"tuple", def(&wit.Tuple{Types: []wit.Type{wit.U8, wit.String, wit.U64}}), Tuple{uint8(1), "two", uint64(3)}},
		{"variant none", shape, Variant{Case: 0}},
		{"variant f32", shape, Variant{Case: 1, Payload: float32(2.5)}},
		{"variant list", shape, Variant{Case: 2, Payload: List{Record{int32(1), 2.0, Char('a')}}}},
		{"variant u64", shape, Variant{Case: 3, Payload: uint64(1) << 40}},
		{"enum", def(&wit.Enum{Cases: make([]wit.EnumCase, 300)}), Variant{Case: 299}},
		{"option some", def(&wit.Option{Type: wit.String}), Variant{Case: 1, Payload: "x"}},
		{"option none", def(&wit.Option{Type: wit.String}), Variant{Case: 0}},
		{"result ok", def(&wit.Result{OK: wit.U32, Err: wit.String}), Variant{Case: 0, Payload: uint32(9)}},
		{"result err", def(&wit.Result{OK: wit.U32, Err: wit.String}), Variant{Case: 1, Payload: "bad"}},
		{"result empty", def(&wit.Result{}), Variant{Case: 1}},
		{"flags40", flags40, Flags{0x80000001, 0xA5}},
		{"fixed list", def(&wit.FixedList{Elem: wit.U16, Len: 3}), List{uint16(1), uint16(2), uint16(3)}},
		{"map", def(&wit.Map{Key: wit.String, Value: wit.U32}), List{Tuple{"k", uint32(1)}, Tuple{"l", uint32(2)}}},
		{"own", def(&wit.Handle{Kind: wit.Own, Resource: res}), Handle(7)},
		{"borrow", def(&wit.Handle{Kind: wit.Borrow, Resource: res}), Handle(8)},
		{"stream", def(&wit.Stream{Type: wit.U8}), Handle(9)},
		{"alias", def(&wit.Alias{Type: wit.String}), "aliased"},
	}
	for _, enc := range []StringEncoding{UTF8, UTF16, Latin1UTF16} {
		for _, c := range cases {
			m := newMem(1 << 16)
			cx := cxFor(m, enc)
			// Memory.
			ptr := AlignTo(4096, LayoutOf(c.t).Align)
			if err := cx.Store(c.t, ptr, c.v); err != nil {
				t.Fatalf("%s/%s: Store: %v", enc, c.name, err)
			}
			got, err := cx.Load(c.t, ptr)
			if err != nil {
				t.Fatalf("%s/%s: Load: %v", enc, c.name, err)
			}
			if !reflect.DeepEqual(got, c.v) {
				t.Errorf("%s/%s: memory round trip = %#v, want %#v", enc, c.name, got, c.v)
			}
			// Flat.
			flat, err := cx.LowerFlat(nil, c.t, c.v)
			if err != nil {
				t.Fatalf("%s/%s: LowerFlat: %v", enc, c.name, err)
			}
			if len(flat) != len(Flatten(c.t)) {
				t.Errorf("%s/%s: LowerFlat gave %d values, Flatten says %d", enc, c.name, len(flat), len(Flatten(c.t)))
			}
			got, rest, err := cx.LiftFlat(c.t, flat)
			if err != nil {
				t.Fatalf("%s/%s: LiftFlat: %v", enc, c.name, err)
			}
			if len(rest) != 0 || !reflect.DeepEqual(got, c.v) {
				t.Errorf("%s/%s: flat round trip = %#v (rest %v), want %#v", enc, c.name, got, rest, c.v)
			}
		}
	}
}

func TestStringEncodings(t *testing.T) {
	tests := []struct {
		enc   StringEncoding
		s     string
		bytes []byte
		units uint32
	}{
		{UTF8, "aé", []byte{'a', 0xC3, 0xA9}, 3},
		{UTF16, "aé", []byte{'a', 0, 0xE9, 0}, 2},
		{UTF16, "🎉", []byte{0x3C, 0xD8, 0x89, 0xDF}, 2},
		{Latin1UTF16, "aé", []byte{'a', 0xE9}, 2},
		{Latin1UTF16, "a世", []byte{'a', 0, 0x16, 0x4E}, 2 | 1<<31},
	}
	for _, tt := range tests {
		m := newMem(1024)
		cx := cxFor(m, tt.enc)
		flat, err := cx.LowerFlat(nil, wit.String, tt.s)
		if err != nil {
			t.Fatal(err)
		}
		ptr, units := uint32(flat[0]), uint32(flat[1])
		if units != tt.units {
			t.Errorf("%s %q: code units %#x, want %#x", tt.enc, tt.s, units, tt.units)
		}
		if got := m.b[ptr : ptr+uint32(len(tt.bytes))]; string(got) != string(tt.bytes) {
			t.Errorf("%s %q: bytes % x, want % x", tt.enc, tt.s, got, tt.bytes)
		}
	}
}

func TestTraps(t *testing.T) {
	m := newMem(64)
	put32 := func(off, v uint32) { binary.LittleEndian.PutUint32(m.b[off:], v) }
	cx := cxFor(m, UTF8)
	enum3 := def(&wit.Enum{Cases: make([]wit.EnumCase, 3)})
	tests := []struct {
		name  string
		setup func()
		run   func() error
		want  string
	}{
		{"out of bounds load", nil, func() error { _, err := cx.Load(wit.U64, 64); return err }, "out-of-bounds"},
		{"misaligned load", nil, func() error { _, err := cx.Load(wit.U32, 2); return err }, "misaligned"},
		{"invalid char", nil, func() error { _, _, err := cx.LiftFlat(wit.Char, []uint64{0xD800}); return err }, "invalid char"},
		{"char too big", nil, func() error { _, _, err := cx.LiftFlat(wit.Char, []uint64{0x110000}); return err }, "invalid char"},
		{"invalid utf-8", func() { m.b[40] = 0xFF }, func() error { _, _, err := cx.LiftFlat(wit.String, []uint64{40, 1}); return err }, "not valid UTF-8"},
		{"string out of bounds", nil, func() error { _, _, err := cx.LiftFlat(wit.String, []uint64{60, 10}); return err }, "out-of-bounds"},
		{"string too long", nil, func() error { _, _, err := cx.LiftFlat(wit.String, []uint64{0, 1 << 29}); return err }, "maximum string size"},
		{"huge list", nil, func() error {
			_, _, err := cx.LiftFlat(def(&wit.List{Elem: wit.U64}), []uint64{0, 1 << 30})
			return err
		}, "maximum list size"},
		{"misaligned list", nil, func() error {
			_, _, err := cx.LiftFlat(def(&wit.List{Elem: wit.U32}), []uint64{2, 1})
			return err
		}, "misaligned"},
		{"bad discriminant flat", nil, func() error { _, _, err := cx.LiftFlat(enum3, []uint64{3}); return err }, "discriminant 3"},
		{"bad discriminant memory", func() { m.b[16] = 7 }, func() error { _, err := cx.Load(enum3, 16); return err }, "discriminant 7"},
		{"missing flat values", nil, func() error { _, _, err := cx.LiftFlat(wit.String, []uint64{1}); return err }, "missing flat values"},
		{"indirect pointer out of bounds", nil, func() error {
			ts := make([]wit.Type, 17)
			for i := range ts {
				ts[i] = wit.U32
			}
			_, err := cx.LiftValues(ts, []uint64{32}, MaxFlatParams)
			return err
		}, "out-of-bounds"},
	}
	for _, tt := range tests {
		if tt.setup != nil {
			tt.setup()
		}
		err := tt.run()
		var trap *Trap
		if !errors.As(err, &trap) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: got %v, want a trap containing %q", tt.name, err, tt.want)
		}
	}
	put32(0, 0)

	utf16cx := cxFor(m, UTF16)
	binary.LittleEndian.PutUint16(m.b[8:], 0xDC00) // lone low surrogate
	if _, _, err := utf16cx.LiftFlat(wit.String, []uint64{8, 1}); err == nil || !strings.Contains(err.Error(), "UTF-16") {
		t.Errorf("lone surrogate: got %v", err)
	}
	if _, _, err := utf16cx.LiftFlat(wit.String, []uint64{9, 1}); err == nil || !strings.Contains(err.Error(), "misaligned") {
		t.Errorf("misaligned utf16: got %v", err)
	}
}

func TestBadRealloc(t *testing.T) {
	m := newMem(64)
	cx := &Cx{Memory: m, Realloc: func(_, _, _, _ uint32) (uint32, error) { return 1 << 30, nil }}
	if _, err := cx.LowerFlat(nil, wit.String, "hello"); err == nil || !strings.Contains(err.Error(), "out of bounds") {
		t.Errorf("realloc out of bounds: got %v", err)
	}
	cx.Realloc = func(_, _, _, _ uint32) (uint32, error) { return 3, nil }
	if _, err := cx.LowerFlat(nil, def(&wit.List{Elem: wit.U32}), List{uint32(1)}); err == nil || !strings.Contains(err.Error(), "aligned") {
		t.Errorf("misaligned realloc: got %v", err)
	}
	cx.Realloc = nil
	if _, err := cx.LowerFlat(nil, wit.String, "x"); err == nil {
		t.Error("lowering a string without realloc succeeded")
	}
}

func TestNaNCanonicalized(t *testing.T) {
	cx := cxFor(newMem(64), UTF8)
	v, _, err := cx.LiftFlat(wit.F32, []uint64{0x7f800001})
	if err != nil || math.Float32bits(v.(float32)) != 0x7fc00000 {
		t.Errorf("f32 NaN lifted as %#x, %v", math.Float32bits(v.(float32)), err)
	}
	v, _, err = cx.LiftFlat(wit.F64, []uint64{0xfff0000000000001})
	if err != nil || math.Float64bits(v.(float64)) != 0x7ff8000000000000 {
		t.Errorf("f64 NaN lifted as %#x, %v", math.Float64bits(v.(float64)), err)
	}
}

func TestIndirectValues(t *testing.T) {
	m := newMem(1 << 12)
	cx := cxFor(m, UTF8)
	ts := make([]wit.Type, 17)
	vs := make([]Value, 17)
	for i := range ts {
		ts[i], vs[i] = wit.U32, uint32(i*i)
	}
	flat, err := cx.LowerValues(ts, vs, MaxFlatParams)
	if err != nil || len(flat) != 1 {
		t.Fatalf("LowerValues: %v %v", flat, err)
	}
	got, err := cx.LiftValues(ts, flat, MaxFlatParams)
	if err != nil || !reflect.DeepEqual([]Value(got), vs) {
		t.Fatalf("LiftValues = %v, %v", got, err)
	}
	// Results stored at a caller-provided pointer.
	rs := []wit.Type{wit.String}
	if err := cx.StoreValues(rs, []Value{"out"}, 1024); err != nil {
		t.Fatal(err)
	}
	got, err = cx.LiftValues(rs, []uint64{1024}, 1)
	if err != nil || got[0] != "out" {
		t.Fatalf("indirect result = %v, %v", got, err)
	}
}

func FuzzLoad(f *testing.F) {
	res := def(&wit.Resource{})
	types := []wit.Type{
		wit.String, wit.Char,
		def(&wit.List{Elem: def(&wit.List{Elem: wit.String})}),
		def(&wit.Variant{Cases: []wit.Case{{Type: wit.F64}, {Type: wit.String}, {}}}),
		def(&wit.Record{Fields: []wit.Field{{Type: wit.U8}, {Type: def(&wit.Option{Type: def(&wit.Handle{Kind: wit.Own, Resource: res})})}}}),
		def(&wit.Flags{Flags: names(40)}),
	}
	f.Add([]byte{8, 0, 0, 0, 4, 0, 0, 0, 'a', 'b', 'c', 'd'}, uint8(0), uint8(0))
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f}, uint8(2), uint8(1))
	f.Fuzz(func(t *testing.T, mem []byte, which, enc uint8) {
		m := &fakeMemory{b: mem}
		cx := &Cx{Memory: m, Encoding: StringEncoding(enc % 3)}
		_, _ = cx.Load(types[int(which)%len(types)], 0)
	})
}

func TestZeroSizeListLengthIsBounded(t *testing.T) {
	cx := cxFor(newMem(64), UTF8)
	empty := def(&wit.List{Elem: def(&wit.Tuple{})})
	if _, _, err := cx.LiftFlat(empty, []uint64{0, 1 << 31}); err == nil || !strings.Contains(err.Error(), "maximum list size") {
		t.Errorf("list of 2^31 empty tuples: got %v, want a trap", err)
	}
}

// TestAliasedListsAreBounded: 4096 lists that all point at the same 32 KiB
// would lift 128 MiB from a 64 KiB memory; the call traps instead, in the
// dynamic and in the static path.
func TestAliasedListsAreBounded(t *testing.T) {
	mem := newMem(64 << 10)
	const n = 4096
	for i := 0; i < n; i++ { // the outer list at 32 KiB: n × (ptr 0, len 32 KiB)
		binary.LittleEndian.PutUint32(mem.b[32<<10+8*i:], 0)
		binary.LittleEndian.PutUint32(mem.b[32<<10+8*i+4:], 32<<10)
	}
	cx := cxFor(mem, UTF8)
	bytes := def(&wit.List{Elem: wit.U8})
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	_, _, err := cx.LiftFlat(def(&wit.List{Elem: bytes}), []uint64{32 << 10, n})
	if err == nil || !strings.Contains(err.Error(), "8 times the guest's memory") {
		t.Errorf("dynamic: got %v, want a trap about the lifted size", err)
	}
	cx = cxFor(mem, UTF8)
	func() {
		defer Catch(&err)
		err = nil
		for i := 0; i < n; i++ {
			cx.LiftBytes(0, 32<<10)
		}
	}()
	if err == nil || !strings.Contains(err.Error(), "8 times the guest's memory") {
		t.Errorf("static: got %v, want a trap about the lifted size", err)
	}
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	// The budget counts bytes in guest memory (8 × 64 KiB + 1 MiB here).
	// Until the trap, the dynamic lifts spend a 16-byte Value on each byte
	// and the static ones a byte: 17 times the budget, and some room for the
	// rest — against 2 GiB without a budget.
	budget := uint64(8*64<<10 + 1<<20)
	if grown := after.TotalAlloc - before.TotalAlloc; grown > 24*budget {
		t.Errorf("lifting aliased lists allocated %d MiB", grown>>20)
	}
	cx.Reset()
	if b := cx.LiftBytes(0, 32<<10); len(b) != 32<<10 {
		t.Errorf("after Reset: %d bytes", len(b))
	}
}
