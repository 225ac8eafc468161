package wave

import (
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/witc-dev/witc/canonabi"
	"github.com/witc-dev/witc/wit"
)

func def(k wit.TypeDefKind) *wit.TypeDef { return &wit.TypeDef{Kind: k} }

var (
	point = def(&wit.Record{Fields: []wit.Field{{Name: "x", Type: wit.S32}, {Name: "y", Type: wit.S32}, {Name: "label", Type: def(&wit.Option{Type: wit.String})}}})
	perms = def(&wit.Flags{Flags: []wit.Flag{{Name: "read"}, {Name: "write"}, {Name: "ok"}}})
	shape = def(&wit.Variant{Cases: []wit.Case{{Name: "circle", Type: wit.F64}, {Name: "none"}, {Name: "dot"}}})
	color = def(&wit.Enum{Cases: []wit.EnumCase{{Name: "red"}, {Name: "green"}}})
	optU8 = def(&wit.Option{Type: wit.U8})
	res   = def(&wit.Result{OK: wit.String, Err: wit.U32})
)

func TestFormatParse(t *testing.T) {
	tests := []struct {
		t    wit.Type
		v    canonabi.Value
		text string
	}{
		{wit.Bool, true, "true"},
		{wit.U8, uint8(255), "255"},
		{wit.S64, int64(-9), "-9"},
		{wit.F32, float32(1.5), "1.5"},
		{wit.F64, 6.022e+23, "6.022e+23"},
		{wit.F64, math.Inf(-1), "-inf"},
		{wit.Char, canonabi.Char('\''), `'\''`},
		{wit.Char, canonabi.Char('☃'), `'☃'`},
		{wit.String, "a\"b\\c\n\x01é", `"a\"b\\c\n\u{1}é"`},
		{def(&wit.List{Elem: wit.U32}), canonabi.List{uint32(1), uint32(2)}, "[1, 2]"},
		{def(&wit.List{Elem: wit.U32}), canonabi.List{}, "[]"},
		{def(&wit.Tuple{Types: []wit.Type{wit.String, wit.U8}}), canonabi.Tuple{"abc", uint8(123)}, `("abc", 123)`},
		{point, canonabi.Record{int32(1), int32(-2), canonabi.Variant{Case: 1, Payload: "p"}}, `{x: 1, y: -2, label: some("p")}`},
		{perms, canonabi.Flags{0b101}, "{read, %ok}"},
		{perms, canonabi.Flags{0}, "{}"},
		{shape, canonabi.Variant{Case: 0, Payload: 2.5}, "circle(2.5)"},
		{shape, canonabi.Variant{Case: 1}, "%none"},
		{color, canonabi.Variant{Case: 1}, "green"},
		{optU8, canonabi.Variant{Case: 0}, "none"},
		{optU8, canonabi.Variant{Case: 1, Payload: uint8(3)}, "some(3)"},
		{res, canonabi.Variant{Case: 0, Payload: "fine"}, `ok("fine")`},
		{res, canonabi.Variant{Case: 1, Payload: uint32(4)}, "err(4)"},
		{def(&wit.Result{}), canonabi.Variant{Case: 1}, "err"},
		{def(&wit.Map{Key: wit.String, Value: wit.U8}), canonabi.List{canonabi.Tuple{"a", uint8(1)}}, `{"a": 1}`},
		{def(&wit.Map{Key: wit.String, Value: wit.U8}), canonabi.List{}, "{:}"},
		{def(&wit.FixedList{Elem: wit.U8, Len: 2}), canonabi.List{uint8(1), uint8(2)}, "[1, 2]"},
	}
	for _, tt := range tests {
		got, err := Format(tt.t, tt.v)
		if err != nil || got != tt.text {
			t.Errorf("Format(%#v) = %q, %v; want %q", tt.v, got, err, tt.text)
		}
		v, err := Parse(tt.t, tt.text)
		if err != nil || !reflect.DeepEqual(v, tt.v) {
			t.Errorf("Parse(%q) = %#v, %v; want %#v", tt.text, v, err, tt.v)
		}
	}
}

func TestParseShorthands(t *testing.T) {
	tests := []struct {
		t    wit.Type
		text string
		v    canonabi.Value
	}{
		{optU8, "7", canonabi.Variant{Case: 1, Payload: uint8(7)}},
		{res, `"flat ok"`, canonabi.Variant{Case: 0, Payload: "flat ok"}},
		{point, "{y: 2, x: 1}", canonabi.Record{int32(1), int32(2), canonabi.Variant{Case: 0}}},
		{def(&wit.List{Elem: wit.U8}), " [ 1 , 2 , ] // trailing comment", canonabi.List{uint8(1), uint8(2)}},
		{wit.Char, `'\u{1F600}'`, canonabi.Char(0x1F600)},
	}
	for _, tt := range tests {
		v, err := Parse(tt.t, tt.text)
		if err != nil || !reflect.DeepEqual(v, tt.v) {
			t.Errorf("Parse(%q) = %#v, %v; want %#v", tt.text, v, err, tt.v)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		t    wit.Type
		text string
		want string
	}{
		{wit.U8, "256", "256 is out of range for u8 (0 to 255)"},
		{wit.U8, "-1", "-1 is out of range for u8 (0 to 255)"},
		{wit.S8, "x", "expected an s8 (an integer from -128 to 127), found `x`"},
		{wit.Bool, "yes", "true or false"},
		{wit.String, `"open`, "unterminated"},
		{wit.Char, `'\u{D800}'`, "invalid unicode escape"},
		{point, "{x: 1}", `missing record field "y"`},
		{point, "{x: 1, y: 2, z: 3}", `unknown record field "z"`},
		{point, "{x: 1, x: 2, y: 3}", `duplicate record field "x"`},
		{perms, "{read, read}", `duplicate flag "read"`},
		{perms, "{exec}", `unknown flag "exec"`},
		{color, "blue", "expected one of red, green"},
		{def(&wit.FixedList{Elem: wit.U8, Len: 3}), "[1]", "3 elements"},
		{wit.U32, "1 2", "after the value"},
	}
	for _, tt := range tests {
		_, err := Parse(tt.t, tt.text)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Parse(%q): got %v, want an error containing %q", tt.text, err, tt.want)
		}
	}
}

// TestErrorMessages: errors say what was expected and what was found, at
// the offset of what was found, as --invoke shows them.
func TestErrorMessages(t *testing.T) {
	list := def(&wit.List{Elem: wit.F64})
	tests := []struct {
		ts     []wit.Type
		args   string
		offset int
		msg    string
	}{
		{[]wit.Type{wit.F64}, `"x"`, 0, `expected an f64 (a number, nan, inf or -inf), found the string "x"`},
		{[]wit.Type{wit.F32}, `1e999`, 0, `1e999 is out of range for f32`},
		{[]wit.Type{wit.F64}, `0x1p-2`, 0, "expected an f64 (a number, nan, inf or -inf), found `0x1p-2`"},
		{[]wit.Type{wit.U32}, ` 1.5`, 1, "expected a u32 (an integer from 0 to 4294967295), found `1.5`"},
		{[]wit.Type{wit.S64}, `99999999999999999999`, 0, "99999999999999999999 is out of range for s64 (-9223372036854775808 to 9223372036854775807)"},
		{[]wit.Type{wit.U8, wit.U8}, `1, 'c'`, 3, "expected a u8 (an integer from 0 to 255), found the char 'c'"},
		{[]wit.Type{wit.Bool}, `maybe`, 0, "expected a bool (true or false), found `maybe`"},
		{[]wit.Type{wit.String}, `abc`, 0, "expected a string literal, found `abc`"},
		{[]wit.Type{wit.String}, `'a'`, 0, "expected a string literal, found the char 'a'"},
		{[]wit.Type{wit.Char}, `"ab"`, 0, `expected a char literal such as 'x', found the string "ab"`},
		{[]wit.Type{wit.U8, wit.U8}, `1`, 1, "expected 2 arguments, found 1"},
		{[]wit.Type{wit.U8, wit.U8}, `1,`, 2, "expected 2 arguments, found 1"},
		{[]wit.Type{wit.U8, wit.U8}, ``, 0, "expected 2 arguments, found 0"},
		{[]wit.Type{wit.U8}, `1, 2`, 3, "expected 1 arguments, found more"},
		{[]wit.Type{list}, `[1, "a very long string that goes on and on"]`, 4, `expected an f64 (a number, nan, inf or -inf), found the string "a very long string that goes on…`},
		{[]wit.Type{wit.F64}, `"ünïcödé strings are cut on a rune"`, 0, `expected an f64 (a number, nan, inf or -inf), found the string "ünïcödé strings are cut on …`},
	}
	for _, tt := range tests {
		_, err := ParseArgs(tt.ts, tt.args)
		se, ok := err.(*SyntaxError)
		if !ok || se.Offset != tt.offset || se.Msg != tt.msg {
			t.Errorf("ParseArgs(%q) = %v; want at offset %d: %s", tt.args, err, tt.offset, tt.msg)
		}
	}
}

func TestParseCall(t *testing.T) {
	name, args, err := ParseCall(` add(1, 2) `)
	if err != nil || name != "add" || args != "1, 2" {
		t.Fatalf("ParseCall = %q %q %v", name, args, err)
	}
	vs, err := ParseArgs([]wit.Type{wit.U32, wit.U32}, args)
	if err != nil || !reflect.DeepEqual(vs, []canonabi.Value{uint32(1), uint32(2)}) {
		t.Fatalf("ParseArgs = %v %v", vs, err)
	}
	if _, err := ParseArgs([]wit.Type{wit.U32, wit.U32}, "1"); err == nil {
		t.Error("too few arguments accepted")
	}
	if _, err := ParseArgs([]wit.Type{wit.U32}, "1, 2"); err == nil {
		t.Error("too many arguments accepted")
	}
	for _, bad := range []string{"add", "add(1", "(1)", "add(1) x"} {
		if _, _, err := ParseCall(bad); err == nil {
			t.Errorf("ParseCall(%q) succeeded", bad)
		}
	}
	if n, a, err := ParseCall("%record-thing()"); err != nil || n != "%record-thing" || a != "" {
		t.Errorf("ParseCall of an escaped name = %q %q %v", n, a, err)
	}
}

func FuzzParse(f *testing.F) {
	types := []wit.Type{point, perms, shape, optU8, res, wit.String, wit.Char, wit.F64,
		def(&wit.List{Elem: def(&wit.List{Elem: point})}), def(&wit.Map{Key: wit.String, Value: optU8})}
	for _, s := range []string{`{x: 1, y: 2}`, `[[{x:1,y:2,label:"a"}]]`, `circle(1.5)`, `"s\u{41}"`, `{"k": none}`} {
		f.Add(s, uint8(0))
	}
	f.Fuzz(func(t *testing.T, s string, which uint8) {
		typ := types[int(which)%len(types)]
		v, err := Parse(typ, s)
		if err != nil {
			return
		}
		// Whatever parses must format, and re-parse to the same value.
		text, err := Format(typ, v)
		if err != nil {
			t.Fatalf("Format after Parse(%q): %v", s, err)
		}
		v2, err := Parse(typ, text)
		if err != nil {
			t.Fatalf("re-Parse(%q) (from %q): %v", text, s, err)
		}
		if t2, _ := Format(typ, v2); t2 != text {
			t.Fatalf("format not stable: %q then %q", text, t2)
		}
	})
}
