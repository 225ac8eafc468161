package canonabi

import (
	"slices"
	"testing"

	"github.com/witc-dev/witc/wit"
)

func def(k wit.TypeDefKind) *wit.TypeDef { return &wit.TypeDef{Kind: k} }

func names(n int) []wit.Flag {
	fs := make([]wit.Flag, n)
	for i := range fs {
		fs[i].Name = string(rune('a' + i%26))
	}
	return fs
}

func TestLayoutAndFlatten(t *testing.T) {
	res := def(&wit.Resource{})
	tests := []struct {
		name string
		t    wit.Type
		want Layout
		flat []CoreType
	}{
		{"bool", wit.Bool, Layout{1, 1}, []CoreType{I32}},
		{"u16", wit.U16, Layout{2, 2}, []CoreType{I32}},
		{"s64", wit.S64, Layout{8, 8}, []CoreType{I64}},
		{"f32", wit.F32, Layout{4, 4}, []CoreType{F32}},
		{"f64", wit.F64, Layout{8, 8}, []CoreType{F64}},
		{"char", wit.Char, Layout{4, 4}, []CoreType{I32}},
		{"string", wit.String, Layout{8, 4}, []CoreType{I32, I32}},
		{"error-context", wit.ErrorContext, Layout{4, 4}, []CoreType{I32}},
		{"list<u8>", def(&wit.List{Elem: wit.U8}), Layout{8, 4}, []CoreType{I32, I32}},
		{"map<string,u64>", def(&wit.Map{Key: wit.String, Value: wit.U64}), Layout{8, 4}, []CoreType{I32, I32}},
		// record { a: u8, b: u32, c: u16 }: a@0, b@4, c@8, size 10 → 12.
		{"record", def(&wit.Record{Fields: []wit.Field{{Name: "a", Type: wit.U8}, {Name: "b", Type: wit.U32}, {Name: "c", Type: wit.U16}}}),
			Layout{12, 4}, []CoreType{I32, I32, I32}},
		{"tuple<u8,u64>", def(&wit.Tuple{Types: []wit.Type{wit.U8, wit.U64}}), Layout{16, 8}, []CoreType{I32, I64}},
		{"option<u8>", def(&wit.Option{Type: wit.U8}), Layout{2, 1}, []CoreType{I32, I32}},
		{"option<f64>", def(&wit.Option{Type: wit.F64}), Layout{16, 8}, []CoreType{I32, F64}},
		// result<u32, f32>: payloads join to i32; result<_, string>: i32 i32 i32.
		{"result<u32,f32>", def(&wit.Result{OK: wit.U32, Err: wit.F32}), Layout{8, 4}, []CoreType{I32, I32}},
		{"result<f32,f64>", def(&wit.Result{OK: wit.F32, Err: wit.F64}), Layout{16, 8}, []CoreType{I32, I64}},
		{"result<_,string>", def(&wit.Result{Err: wit.String}), Layout{12, 4}, []CoreType{I32, I32, I32}},
		{"result", def(&wit.Result{}), Layout{1, 1}, []CoreType{I32}},
		{"enum(3)", def(&wit.Enum{Cases: make([]wit.EnumCase, 3)}), Layout{1, 1}, []CoreType{I32}},
		{"enum(257)", def(&wit.Enum{Cases: make([]wit.EnumCase, 257)}), Layout{2, 2}, []CoreType{I32}},
		{"variant{u8,u64,f32}", def(&wit.Variant{Cases: []wit.Case{{Type: wit.U8}, {Type: wit.U64}, {Type: wit.F32}, {}}}),
			Layout{16, 8}, []CoreType{I32, I64}},
		{"flags(1)", def(&wit.Flags{Flags: names(1)}), Layout{1, 1}, []CoreType{I32}},
		{"flags(9)", def(&wit.Flags{Flags: names(9)}), Layout{2, 2}, []CoreType{I32}},
		{"flags(17)", def(&wit.Flags{Flags: names(17)}), Layout{4, 4}, []CoreType{I32}},
		{"flags(33)", def(&wit.Flags{Flags: names(33)}), Layout{8, 4}, []CoreType{I32, I32}},
		{"list<u16,3>", def(&wit.FixedList{Elem: wit.U16, Len: 3}), Layout{6, 2}, []CoreType{I32, I32, I32}},
		{"own<r>", def(&wit.Handle{Kind: wit.Own, Resource: res}), Layout{4, 4}, []CoreType{I32}},
		{"borrow<r>", def(&wit.Handle{Kind: wit.Borrow, Resource: res}), Layout{4, 4}, []CoreType{I32}},
		{"future<u8>", def(&wit.Future{Type: wit.U8}), Layout{4, 4}, []CoreType{I32}},
		{"stream", def(&wit.Stream{}), Layout{4, 4}, []CoreType{I32}},
		{"alias of u64", def(&wit.Alias{Type: wit.U64}), Layout{8, 8}, []CoreType{I64}},
	}
	for _, tt := range tests {
		if got := LayoutOf(tt.t); got != tt.want {
			t.Errorf("LayoutOf(%s) = %+v, want %+v", tt.name, got, tt.want)
		}
		if got := Flatten(tt.t); !slices.Equal(got, tt.flat) {
			t.Errorf("Flatten(%s) = %v, want %v", tt.name, got, tt.flat)
		}
	}
}

func TestOffsets(t *testing.T) {
	if got := FieldOffsets([]wit.Type{wit.U8, wit.U32, wit.U16, wit.U64}); !slices.Equal(got, []uint32{0, 4, 8, 16}) {
		t.Errorf("FieldOffsets = %v", got)
	}
	if got := PayloadOffset([]wit.Type{nil, wit.U64}); got != 8 {
		t.Errorf("PayloadOffset(option<u64>) = %d, want 8", got)
	}
	if got := PayloadOffset(make([]wit.Type, 300)); got != 2 {
		t.Errorf("PayloadOffset(300 empty cases) = %d, want 2", got)
	}
}

func params(ts ...wit.Type) []wit.Param {
	ps := make([]wit.Param, len(ts))
	for i, t := range ts {
		ps[i] = wit.Param{Name: "p", Type: t}
	}
	return ps
}

func TestSignature(t *testing.T) {
	u32s := make([]wit.Type, 17)
	for i := range u32s {
		u32s[i] = wit.U32
	}
	add := &wit.Function{Params: params(wit.U32, wit.U32), Result: wit.U32}
	greet := &wit.Function{Params: params(wit.String), Result: wit.String}
	many := &wit.Function{Params: params(u32s...)}
	tests := []struct {
		name string
		f    *wit.Function
		ctx  Context
		opts Options
		want string
		pi   bool
		ri   bool
	}{
		{"add lift", add, Lift, Options{}, "(func (param i32) (param i32) (result i32))", false, false},
		{"add lower", add, Lower, Options{}, "(func (param i32) (param i32) (result i32))", false, false},
		{"greet lift", greet, Lift, Options{}, "(func (param i32) (param i32) (result i32))", false, true},
		{"greet lower", greet, Lower, Options{}, "(func (param i32) (param i32) (param i32))", false, true},
		{"17 params lift", many, Lift, Options{}, "(func (param i32))", true, false},
		{"add async lower", add, Lower, Options{Async: true}, "(func (param i32) (param i32) (param i32) (result i32))", false, true},
		{"add async lift callback", add, Lift, Options{Async: true, Callback: true}, "(func (param i32) (param i32) (result i32))", false, false},
		{"add async lift", add, Lift, Options{Async: true}, "(func (param i32) (param i32))", false, false},
		{"greet async lower 5 flat", &wit.Function{Params: params(wit.String, wit.String, wit.U8)}, Lower, Options{Async: true}, "(func (param i32) (result i32))", true, false},
	}
	for _, tt := range tests {
		s := SignatureOf(tt.f, tt.ctx, tt.opts)
		if s.String() != tt.want || s.ParamsIndirect != tt.pi || s.ResultsIndirect != tt.ri {
			t.Errorf("%s: got %s (params indirect %v, results indirect %v), want %s (%v, %v)",
				tt.name, s, s.ParamsIndirect, s.ResultsIndirect, tt.want, tt.pi, tt.ri)
		}
	}
}

func TestHugeFixedListIsBounded(t *testing.T) {
	big := def(&wit.FixedList{Elem: def(&wit.FixedList{Elem: wit.U64, Len: 1 << 20}), Len: 1 << 20})
	if n := len(Flatten(big)); n > 1<<17 {
		t.Fatalf("Flatten of a huge fixed-length list produced %d values", n)
	}
}

func TestLowerFlatSignedExtends(t *testing.T) {
	var cx Cx
	for _, tc := range []struct {
		t    wit.Primitive
		v    Value
		want uint64
	}{
		{wit.S8, int8(-2), 0xFFFFFFFE},
		{wit.S16, int16(-3), 0xFFFFFFFD},
		{wit.S32, int32(-4), 0xFFFFFFFC},
		{wit.S8, int8(5), 5},
		{wit.U8, uint8(250), 250},
	} {
		got, err := cx.LowerFlat(nil, tc.t, tc.v)
		if err != nil || len(got) != 1 || got[0] != tc.want {
			t.Errorf("%s %v: got %x, %v; want %x", tc.t, tc.v, got, err, tc.want)
		}
		back, _, err := cx.LiftFlat(tc.t, got)
		if err != nil || back != tc.v {
			t.Errorf("%s %v: lifted back as %v, %v", tc.t, tc.v, back, err)
		}
	}
}

func TestScalarHelpersMatchFlat(t *testing.T) {
	var cx Cx
	for _, tc := range []struct {
		p wit.Primitive
		v Value
	}{
		{wit.Bool, true}, {wit.U8, uint8(200)}, {wit.S8, int8(-100)}, {wit.U16, uint16(60000)},
		{wit.S16, int16(-30000)}, {wit.U32, uint32(4000000000)}, {wit.S32, int32(-7)},
		{wit.U64, uint64(1 << 63)}, {wit.S64, int64(-1)}, {wit.F32, float32(1.5)},
		{wit.F64, -2.25}, {wit.Char, Char('😀')},
	} {
		want, err := cx.LowerFlat(nil, tc.p, tc.v)
		if err != nil {
			t.Fatal(err)
		}
		got, err := LowerScalar(tc.p, tc.v)
		if err != nil || got != want[0] {
			t.Errorf("LowerScalar(%s, %v) = %x, %v; LowerFlat gives %x", tc.p, tc.v, got, err, want[0])
		}
		back, err := LiftScalar(tc.p, got)
		if err != nil || back != tc.v {
			t.Errorf("LiftScalar(%s, %x) = %v, %v; want %v", tc.p, got, back, err, tc.v)
		}
	}
	if _, err := LiftScalar(wit.Char, 0xD800); err == nil {
		t.Error("a surrogate was lifted as a char")
	}
}

// TestFlatCount: flatCount counts what Flatten makes.
func TestFlatCount(t *testing.T) {
	rec := &wit.TypeDef{Kind: &wit.Record{Fields: []wit.Field{{Name: "a", Type: wit.String}, {Name: "b", Type: wit.U64}}}}
	ts := []wit.Type{wit.Bool, wit.String, wit.F64, rec,
		&wit.TypeDef{Kind: &wit.Variant{Cases: []wit.Case{{Name: "a"}, {Name: "b", Type: rec}, {Name: "c", Type: wit.F32}}}},
		&wit.TypeDef{Kind: &wit.Option{Type: rec}}, &wit.TypeDef{Kind: &wit.Result{OK: wit.U8}},
		&wit.TypeDef{Kind: &wit.Result{}}, &wit.TypeDef{Kind: &wit.Enum{Cases: make([]wit.EnumCase, 1)}},
		&wit.TypeDef{Kind: &wit.Flags{Flags: names(40)}}, &wit.TypeDef{Kind: &wit.FixedList{Elem: rec, Len: 3}},
		&wit.TypeDef{Kind: &wit.Tuple{Types: []wit.Type{rec, wit.Char}}}, &wit.TypeDef{Kind: &wit.List{Elem: rec}},
	}
	for _, typ := range ts {
		if got, want := flatCount(typ, 0), len(Flatten(typ)); got != want {
			t.Errorf("flatCount(%v) = %d, Flatten has %d", typ, got, want)
		}
	}
}
