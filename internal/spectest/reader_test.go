package spectest

import (
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/witc-dev/witc/canonabi"
	"github.com/witc-dev/witc/wit"
)

const reader = `;;! component_model_async = true
;;! hogs_memory = true
;; a comment (; with a block ;) inside
(; a block comment (; nested ;) ;)
(component $A
  (core module $M (func (export "f") (result i32) i32.const 1))
)
(component definition $C (type (func)))
(component instance $i $C)
(component quote "(type " "(func))")
(component binary "\00asm" "\0d\00\01\00")
(invoke "go")
(assert_return (invoke $i "f" (u32.const 0xffff_ffff) (str.const "a\n\u{1F600}\41"))
  (record.const (field "s" str.const "v=") (field "xs" list.const (u32.const 1)) (field "c" (char.const "λ"))))
(assert_trap (invoke "t") "unreachable")
(assert_trap (component) "start trapped")
(assert_invalid (component (type (func))) "bad")
(assert_malformed (component binary "\00") "malformed")
(assert_unlinkable (component (import "x" (func))) "not found")
(register "r" $A)
(thread $T)
`

func TestParseScript(t *testing.T) {
	s, err := ParseScript("x.wast", reader)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, c := range s.Commands {
		kinds = append(kinds, c.Kind.String())
	}
	want := "module module instance module module action assert_return assert_trap assert_trap assert_invalid assert_malformed assert_unlinkable register other"
	if got := strings.Join(kinds, " "); got != want {
		t.Fatalf("kinds:\n got %s\nwant %s", got, want)
	}
	c := s.Commands
	if m := c[0].Module; m.Name != "$A" || m.Definition || m.Line != 5 || !strings.HasPrefix(m.Text, "(component $A\n  (core module") || !strings.HasSuffix(m.Text, ")\n)") {
		t.Errorf("component $A: %+v", m)
	}
	if m := c[1].Module; !m.Definition || m.Name != "$C" || m.Text != "(component            $C (type (func)))" {
		t.Errorf("definition: %q", m.Text)
	}
	if c[2].Instance != "$i" || c[2].Def != "$C" {
		t.Errorf("instance: %+v", c[2])
	}
	if m := c[3].Module; !m.Quote || m.Text != "(component (type (func)))" {
		t.Errorf("quote: %q", m.Text)
	}
	if m := c[4].Module; string(m.Binary) != "\x00asm\x0d\x00\x01\x00" {
		t.Errorf("binary: %q", m.Binary)
	}
	inv := c[6].Invoke
	if inv.Instance != "$i" || inv.Name != "f" || len(inv.Args) != 2 || inv.Args[0].Atom != "0xffff_ffff" || inv.Args[1].Str != "a\n😀A" {
		t.Errorf("invoke: %+v", inv)
	}
	if got := c[6].Expected[0].String(); got != `(record.const (field "s" (str.const "v=")) (field "xs" (list.const (u32.const 1))) (field "c" (char.const "λ")))` {
		t.Errorf("expected: %s", got)
	}
	if c[7].Text != "unreachable" || c[8].Module == nil || c[8].Invoke != nil {
		t.Errorf("assert_trap: %+v %+v", c[7], c[8])
	}
	if c[12].As != "r" || c[12].Instance != "$A" || c[13].Head != "thread" {
		t.Errorf("register/other: %+v %+v", c[12], c[13])
	}
	if s.Flags["component_model_async"] != "true" || s.Flags["hogs_memory"] != "true" {
		t.Errorf("flags: %v", s.Flags)
	}
	if got := len(s.Modules()); got != 8 {
		t.Errorf("%d modules, want 8", got)
	}
	if a, b := c[1].Module.Hash(), c[3].Module.Hash(); a == b || len(a) != 32 {
		t.Errorf("hashes %s %s", a, b)
	}
}

func TestParseErrors(t *testing.T) {
	for _, src := range []string{
		"(component", ")", "(component (; x", `(invoke "f`, "atom", `(invoke "\q")`,
		`(assert_return (invoke "f") (u32 1))`, `(assert_return (invoke "f") (variant.const 1))`,
		`(assert_trap (invoke "f"))`, `(assert_invalid (invoke "f") "x")`, `(component instance $i)`,
		`(assert_return (invoke "f") (record.const (field "a")))`, `(assert_return (invoke "f") (option.some))`,
		`(assert_return (invoke "f") (char.const "ab"))`, `(invoke)`,
	} {
		if _, err := ParseScript("x.wast", src); err == nil {
			t.Errorf("%s: parsed", src)
		}
	}
}

// TestParseReserved reads the text format's reserved tokens, which may
// hold a `;` that starts no comment (the core testsuite's annotations.wast
// has one; the lexer once looped on it).
func TestParseReserved(t *testing.T) {
	top, err := parseSexprs("(module (@a , ; ] [ }} ;x a;;comment\n b))")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, k := range top[0].kids[1].kids {
		got = append(got, k.text)
	}
	if want := "@a , ; ] [ }} ;x a b"; strings.Join(got, " ") != want {
		t.Errorf("atoms %q, want %q", got, want)
	}
}

func td(k wit.TypeDefKind) *wit.TypeDef { return &wit.TypeDef{Kind: k} }

func parseOne(t *testing.T, src string) *Const {
	t.Helper()
	s, err := ParseScript("x.wast", `(assert_return (invoke "f") `+src+`)`)
	if err != nil {
		t.Fatal(err)
	}
	return s.Commands[0].Expected[0]
}

func TestToValue(t *testing.T) {
	rec := td(&wit.Record{Fields: []wit.Field{{Name: "a", Type: wit.U8}, {Name: "b", Type: td(&wit.List{Elem: wit.String})}}})
	variant := td(&wit.Variant{Cases: []wit.Case{{Name: "x"}, {Name: "y", Type: wit.S16}}})
	flags := td(&wit.Flags{Flags: []wit.Flag{{Name: "p"}, {Name: "q"}, {Name: "r"}}})
	alias := td(&wit.Alias{Type: wit.U32})
	for _, c := range []struct {
		typ  wit.Type
		src  string
		want canonabi.Value
	}{
		{wit.Bool, "(bool.const true)", true},
		{wit.U8, "(u8.const 255)", uint8(255)},
		{wit.U8, "(u8.const -1)", uint8(255)},
		{wit.S8, "(s8.const -128)", int8(-128)},
		{wit.S8, "(s8.const 0xff)", int8(-1)},
		{wit.U16, "(u16.const 0xffff)", uint16(0xffff)},
		{wit.S16, "(s16.const -1)", int16(-1)},
		{wit.U32, "(u32.const 0xffff_ffff)", uint32(math.MaxUint32)},
		{wit.S32, "(s32.const -2147483648)", int32(math.MinInt32)},
		{wit.U64, "(u64.const 18446744073709551615)", uint64(math.MaxUint64)},
		{wit.S64, "(s64.const -9223372036854775808)", int64(math.MinInt64)},
		{wit.F32, "(f32.const -3.3)", float32(-3.3)},
		{wit.F32, "(f32.const 0x1.8p1)", float32(3)},
		{wit.F32, "(f32.const 0x10)", float32(16)},
		{wit.F32, "(f32.const -inf)", float32(math.Inf(-1))},
		{wit.F64, "(f64.const 1_000.5)", 1000.5},
		{wit.F64, "(f64.const -0)", math.Copysign(0, -1)},
		{wit.Char, `(char.const "λ")`, canonabi.Char('λ')},
		{wit.String, `(str.const "hi")`, "hi"},
		{alias, "(u32.const 7)", uint32(7)},
		{rec, `(record.const (field "a" u8.const 1) (field "b" list.const (str.const "x")))`, canonabi.Record{uint8(1), canonabi.List{"x"}}},
		{td(&wit.Tuple{Types: []wit.Type{wit.U8, wit.String}}), `(tuple.const (u8.const 1) (str.const "s"))`, canonabi.Tuple{uint8(1), "s"}},
		{variant, `(variant.const "x")`, canonabi.Variant{Case: 0}},
		{variant, `(variant.const "y" (s16.const -2))`, canonabi.Variant{Case: 1, Payload: int16(-2)}},
		{td(&wit.Enum{Cases: []wit.EnumCase{{Name: "a"}, {Name: "b"}}}), `(enum.const "b")`, canonabi.Variant{Case: 1}},
		{flags, `(flags.const "p" "r")`, canonabi.Flags{5}},
		{flags, `(flags.const)`, canonabi.Flags{0}},
		{td(&wit.Option{Type: wit.U32}), `(option.none)`, canonabi.Variant{Case: 0}},
		{td(&wit.Option{Type: wit.U32}), `(option.some (u32.const 5))`, canonabi.Variant{Case: 1, Payload: uint32(5)}},
		{td(&wit.Result{OK: wit.String}), `(result.ok (str.const "yo"))`, canonabi.Variant{Case: 0, Payload: "yo"}},
		{td(&wit.Result{OK: wit.String}), `(result.err)`, canonabi.Variant{Case: 1}},
		{td(&wit.Result{Err: wit.U32}), `(variant.const "err" (u32.const 4))`, canonabi.Variant{Case: 1, Payload: uint32(4)}},
		{td(&wit.FixedList{Elem: wit.U8, Len: 2}), `(list.const (u8.const 1) (u8.const 2))`, canonabi.List{uint8(1), uint8(2)}},
		{td(&wit.Map{Key: wit.String, Value: wit.U8}), `(map.const (tuple.const (str.const "k") (u8.const 1)))`, canonabi.List{canonabi.Tuple{"k", uint8(1)}}},
	} {
		got, err := ToValue(c.typ, parseOne(t, c.src))
		if err != nil {
			t.Errorf("%s: %v", c.src, err)
			continue
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s = %#v, want %#v", c.src, got, c.want)
		}
		if err := Match(c.typ, parseOne(t, c.src), c.want); err != nil {
			t.Errorf("Match %s: %v", c.src, err)
		}
	}
}

func TestToValueErrors(t *testing.T) {
	rec := td(&wit.Record{Fields: []wit.Field{{Name: "a", Type: wit.U8}}})
	for _, c := range []struct {
		typ wit.Type
		src string
	}{
		{wit.U8, "(u8.const 256)"},
		{wit.S8, "(s8.const -129)"},
		{wit.U8, "(u32.const 1)"},
		{wit.U32, "(u32.const x)"},
		{wit.Bool, "(bool.const 1)"},
		{wit.F32, "(f32.const 1e99)"},
		{wit.F64, "(f64.const nan:0x0)"},
		{rec, `(record.const (field "b" u8.const 1))`},
		{rec, `(record.const)`},
		{td(&wit.Enum{Cases: []wit.EnumCase{{Name: "a"}}}), `(enum.const "z")`},
		{td(&wit.Flags{Flags: []wit.Flag{{Name: "p"}}}), `(flags.const "z")`},
		{td(&wit.Variant{Cases: []wit.Case{{Name: "x"}}}), `(variant.const "x" (u8.const 1))`},
		{td(&wit.Variant{Cases: []wit.Case{{Name: "x", Type: wit.U8}}}), `(variant.const "x")`},
		{td(&wit.Tuple{Types: []wit.Type{wit.U8}}), `(tuple.const)`},
		{td(&wit.FixedList{Elem: wit.U8, Len: 2}), `(list.const (u8.const 1))`},
		{td(&wit.Option{Type: wit.U8}), `(result.ok)`},
	} {
		if v, err := ToValue(c.typ, parseOne(t, c.src)); err == nil {
			t.Errorf("%s as %s = %#v, want an error", c.src, wit.TypeString(c.typ), v)
		}
	}
}

func TestMatch(t *testing.T) {
	nan32 := math.Float32frombits(0x7fc00001)
	for _, c := range []struct {
		typ  wit.Type
		src  string
		got  canonabi.Value
		ok   bool
		want string
	}{
		{wit.F32, "(f32.const nan:canonical)", nan32, true, ""},
		{wit.F64, "(f64.const nan:arithmetic)", math.NaN(), true, ""},
		{wit.F64, "(f64.const nan)", 1.0, false, "got 1, want nan"},
		{wit.F64, "(f64.const 0)", math.Copysign(0, -1), false, "got -0, want 0"},
		{wit.U32, "(u32.const 1)", int32(1), false, "got int32(1), want 1"},
		{wit.String, `(str.const "a")`, "b", false, `got "b", want "a"`},
		{td(&wit.List{Elem: wit.U8}), `(list.const (u8.const 1))`, []byte{1}, true, ""},
		{td(&wit.List{Elem: wit.U8}), `(list.const (u8.const 1))`, canonabi.List{}, false, "got [], want [1]"},
		{td(&wit.Flags{Flags: []wit.Flag{{Name: "p"}}}), `(flags.const "p")`, canonabi.Flags{1}, true, ""},
		{td(&wit.Variant{Cases: []wit.Case{{Name: "x"}, {Name: "y", Type: wit.U8}}}), `(variant.const "y" (u8.const 1))`, canonabi.Variant{Case: 1, Payload: uint8(2)}, false, "got y(2), want y(1)"},
		{td(&wit.Tuple{Types: []wit.Type{wit.U8}}), `(tuple.const (u8.const 1))`, canonabi.Tuple{uint8(1)}, true, ""},
	} {
		err := Match(c.typ, parseOne(t, c.src), c.got)
		switch {
		case c.ok && err != nil:
			t.Errorf("%s vs %#v: %v", c.src, c.got, err)
		case !c.ok && err == nil:
			t.Errorf("%s matches %#v", c.src, c.got)
		case !c.ok && err.Error() != c.want:
			t.Errorf("%s vs %#v: %q, want %q", c.src, c.got, err, c.want)
		}
	}
}

func TestScope(t *testing.T) {
	for _, c := range []struct {
		path, flags, want string
	}{
		{"spec/async/x.wast", "", "async"},
		{"wasmtime/component-model-threading/x.wast", "", "threads"},
		{"wasmtime/component-model/resources.wast", ";;! component_model_async = true\n", ""},
		{"wasmtime/component-model/x.wast", ";;! gc = true\n;;! memory64 = true\n;;! exceptions = true\n", "gc,memory64,exceptions"},
		{"spec/linking/tags.wast", "", "exceptions"},
	} {
		s, err := ParseScript(c.path, c.flags+"(component)")
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(s.Scope(), ","); got != c.want {
			t.Errorf("%s: scope %q, want %q", c.path, got, c.want)
		}
	}
}
