package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/witc-dev/witc/canonabi"
	"github.com/witc-dev/witc/host"
	"github.com/witc-dev/witc/wasi"
	"github.com/witc-dev/witc/wit"
)

// jsShow renders a value the way the corpus driver's `show` renders what
// jco's JS bindings return for it (exercise.js), so the transcript can be
// compared with expected/kitchen-lib.stdout.
type jsShow struct {
	ctx context.Context
	in  *host.Instance
	t   *testing.T
}

func camel(s string) string {
	parts := strings.Split(s, "-")
	for i := 1; i < len(parts); i++ {
		if parts[i] != "" {
			parts[i] = string(unicode.ToUpper(rune(parts[i][0]))) + parts[i][1:]
		}
	}
	return strings.Join(parts, "")
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func jsNumber(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

func (s *jsShow) show(t wit.Type, v canonabi.Value) string {
	switch p := wit.Resolved(t).(type) {
	case wit.Primitive:
		switch p {
		case wit.Bool:
			return strconv.FormatBool(v.(bool))
		case wit.U64:
			return fmt.Sprintf("%dn", v)
		case wit.S64:
			return fmt.Sprintf("%dn", v)
		case wit.F32:
			return jsNumber(float64(v.(float32)))
		case wit.F64:
			return jsNumber(v.(float64))
		case wit.Char:
			return jsString(string(rune(v.(canonabi.Char))))
		case wit.String:
			return jsString(v.(string))
		}
		return fmt.Sprint(v)
	case *wit.TypeDef:
		switch k := p.Kind.(type) {
		case *wit.List:
			l := v.(canonabi.List)
			if k.Elem == wit.U8 {
				var parts []string
				for _, x := range l {
					parts = append(parts, fmt.Sprint(x))
				}
				return "bytes[" + strings.Join(parts, " ") + "]"
			}
			var parts []string
			for _, x := range l {
				parts = append(parts, s.show(k.Elem, x))
			}
			return "[" + strings.Join(parts, ", ") + "]"
		case *wit.Tuple:
			var parts []string
			for i, x := range v.(canonabi.Tuple) {
				parts = append(parts, s.show(k.Types[i], x))
			}
			return "[" + strings.Join(parts, ", ") + "]"
		case *wit.Record:
			var parts []string
			for i, x := range v.(canonabi.Record) {
				parts = append(parts, camel(k.Fields[i].Name)+": "+s.show(k.Fields[i].Type, x))
			}
			return "{" + strings.Join(parts, ", ") + "}"
		case *wit.Enum:
			return jsString(k.Cases[v.(canonabi.Variant).Case].Name)
		case *wit.Flags:
			f := v.(canonabi.Flags)
			var parts []string
			for i, fl := range k.Flags {
				parts = append(parts, camel(fl.Name)+": "+strconv.FormatBool(f.Has(i)))
			}
			return "{" + strings.Join(parts, ", ") + "}"
		case *wit.Variant:
			vv := v.(canonabi.Variant)
			c := k.Cases[vv.Case]
			if c.Type == nil {
				return "{tag: " + jsString(c.Name) + "}"
			}
			return "{tag: " + jsString(c.Name) + ", val: " + s.show(c.Type, vv.Payload) + "}"
		case *wit.Option:
			vv := v.(canonabi.Variant)
			if inner, ok := wit.Resolved(k.Type).(*wit.TypeDef); ok {
				if _, nested := inner.Kind.(*wit.Option); nested {
					// jco writes an option of an option as {tag, val}.
					if vv.Case == 0 {
						return `{tag: "none"}`
					}
					return `{tag: "some", val: ` + s.show(k.Type, vv.Payload) + "}"
				}
			}
			if vv.Case == 0 {
				return "none"
			}
			return s.show(k.Type, vv.Payload)
		case *wit.Handle:
			r := v.(host.Resource)
			borrowed := r
			borrowed.Own = false
			name := s.call("corpus:kitchen/api#[method]counter.name", borrowed)
			got := s.call("corpus:kitchen/api#[method]counter.get", borrowed)
			return fmt.Sprintf("counter(%s=%dn)", jsString(name.(string)), got)
		}
	}
	return fmt.Sprint(v)
}

func (s *jsShow) call(path string, args ...canonabi.Value) canonabi.Value {
	f, err := s.in.Func(path)
	if err != nil {
		s.t.Fatal(err)
	}
	res, err := f.Call(s.ctx, args...)
	if err != nil {
		s.t.Fatalf("%s: %v", path, err)
	}
	if len(res) == 0 {
		return nil
	}
	return res[0]
}

// line calls fn of the api and renders its result as exercise.js does,
// results as their ok value or err(payload).
func (s *jsShow) line(label, fn string, args ...canonabi.Value) string {
	f, err := s.in.Func("corpus:kitchen/api#" + fn)
	if err != nil {
		s.t.Fatal(err)
	}
	res, err := f.Call(s.ctx, args...)
	if err != nil {
		s.t.Fatalf("%s: %v", fn, err)
	}
	var v canonabi.Value
	if len(res) > 0 {
		v = res[0]
	}
	return s.render(label, f.Type().Result, v)
}

// render renders a function's result as exercise.js does.
func (s *jsShow) render(label string, typ wit.Type, v canonabi.Value) string {
	if typ == nil {
		return label + " -> none"
	}
	if td, ok := wit.Resolved(typ).(*wit.TypeDef); ok {
		if r, ok := td.Kind.(*wit.Result); ok {
			vv := v.(canonabi.Variant)
			if vv.Case == 0 {
				if r.OK == nil {
					return label + " -> none"
				}
				return label + " -> " + s.show(r.OK, vv.Payload)
			}
			if r.Err == nil {
				return label + " -> err(none)"
			}
			return label + " -> err(" + s.show(r.Err, vv.Payload) + ")"
		}
	}
	return label + " -> " + s.show(typ, v)
}

func chars(ss ...string) canonabi.List {
	var l canonabi.List
	for _, x := range ss {
		l = append(l, x)
	}
	return l
}

func bytesList(bs ...byte) canonabi.List {
	l := canonabi.List{}
	for _, b := range bs {
		l = append(l, b)
	}
	return l
}

func some(v canonabi.Value) canonabi.Variant { return canonabi.Variant{Case: 1, Payload: v} }

// TestKitchenLibExports calls every export of kitchen-lib through the
// dynamic API with the values exercise.js uses, and compares the transcript
// with what jco's bindings gave.
func TestKitchenLibExports(t *testing.T) {
	rt, ctx := newRuntime(t)
	l := host.NewLinker()
	if err := wasi.Register(l, wasi.Config{}); err != nil {
		t.Fatal(err)
	}
	// kitchen-lib imports corpus:kitchen/types, an interface of types only.
	in, err := rt.Instantiate(ctx, l, corpus(t, "kitchen-lib.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	s := &jsShow{ctx: ctx, in: in, t: t}
	point := func(x, y int32) canonabi.Record { return canonabi.Record{x, y} }
	perms := func(read, write, exec bool) canonabi.Flags {
		var f uint32
		for i, b := range []bool{read, write, exec} {
			if b {
				f |= 1 << i
			}
		}
		return canonabi.Flags{f}
	}
	ada := canonabi.Record{"Ada", uint8(36), chars("math", "engines"), some(point(3, -4)),
		canonabi.Variant{Case: 1}, perms(true, false, true)}
	bob := canonabi.Record{"Bob", uint8(255), chars(), canonabi.Variant{Case: 0},
		canonabi.Variant{Case: 2}, perms(false, false, false)}
	shape := func(c uint32, p canonabi.Value) canonabi.Variant { return canonabi.Variant{Case: c, Payload: p} }
	polygon := func(ps ...canonabi.Value) canonabi.List { return canonabi.List(ps) }

	var lines []string
	add := func(s string) { lines = append(lines, s) }
	add(s.line("invert(true)", "invert", true))
	add(s.line("bump-all(255,127,65535,32767,2147483647,2147483647,max,max)", "bump-all",
		uint8(255), int8(127), uint16(65535), int16(32767), uint32(2147483647), int32(2147483647),
		uint64(18446744073709551615), int64(9223372036854775807)))
	add(s.line("bump-all(1,-2,3,-4,5,-6,7,8)", "bump-all", uint8(1), int8(-2), uint16(3), int16(-4),
		uint32(5), int32(-6), uint64(7), int64(8)))
	add(s.line("scale(1.5,10)", "scale", float32(1.5), float64(10)))
	add(s.line("next-char('a')", "next-char", canonabi.Char('a')))
	add(s.line("next-char('\\u{1F600}')", "next-char", canonabi.Char(0x1F600)))
	add(s.line(`greet("wörld")`, "greet", "wörld"))
	add(s.line("reverse-bytes([1,2,3,250])", "reverse-bytes", bytesList(1, 2, 3, 250)))
	add(s.line("reverse-bytes([])", "reverse-bytes", bytesList()))
	add(s.line(`join(["a","bc","","d"],"-")`, "join", chars("a", "bc", "", "d"), "-"))
	add(s.line(`split("x::y:z",":")`, "split", "x::y:z", canonabi.Char(':')))
	add(s.line("sum-wide", "sum-wide", canonabi.Record{uint8(1), int8(-2), uint16(3), int16(-4), uint32(5), int32(-6),
		uint64(7), int64(-8), float32(0.5), float64(0.25), canonabi.Char('A'), true, uint8(9), uint16(10), uint32(11),
		uint64(12), int64(-13)}))
	add(s.line("describe(ada)", "describe", ada))
	add(s.line("describe(bob)", "describe", bob))
	add(s.line("birthday(ada)", "birthday", ada))
	add(s.line("birthday(bob)", "birthday", bob))
	add(s.line("next-color(blue)", "next-color", canonabi.Variant{Case: 2}))
	add(s.line("toggle({read},{read,exec})", "toggle", perms(true, false, false), perms(true, false, true)))
	add(s.line("area(circle 2)", "area", shape(0, float64(2))))
	add(s.line("area(rect 1.5x4)", "area", shape(1, canonabi.Tuple{float32(1.5), float32(4)})))
	add(s.line("area(polygon)", "area", shape(2, polygon(point(0, 0), point(4, 0), point(4, 3)))))
	add(s.line("area(dot)", "area", shape(3, nil)))
	add(s.line("mirror", "mirror", canonabi.List{shape(0, float64(1.25)), shape(1, canonabi.Tuple{float32(2), float32(3)}),
		shape(2, polygon(point(1, 2), point(-3, 4))), shape(3, nil)}))
	add(s.line(`find(["a","b","c"],"c")`, "find", chars("a", "b", "c"), "c"))
	add(s.line(`find(["a"],"z")`, "find", chars("a"), "z"))
	add(s.line("maybe-maybe(0)", "maybe-maybe", uint8(0)))
	add(s.line("maybe-maybe(1)", "maybe-maybe", uint8(1)))
	add(s.line("maybe-maybe(2)", "maybe-maybe", uint8(2)))
	add(s.line("safe-div(7,2)", "safe-div", int32(7), int32(2)))
	add(s.line("safe-div(1,0)", "safe-div", int32(1), int32(0)))
	add(s.line(`parse-point("3, -9")`, "parse-point", "3, -9"))
	add(s.line(`parse-point("")`, "parse-point", ""))
	add(s.line(`parse-point("1;2")`, "parse-point", "1;2"))
	add(s.line(`parse-point("a,2")`, "parse-point", "a,2"))
	add(s.line("check(true)", "check", true))
	add(s.line("check(false)", "check", false))
	add(s.line(`swap((42,"x"))`, "swap", canonabi.Tuple{uint64(42), "x"}))
	add(s.line("min-max([5,-3,9,0])", "min-max", canonabi.List{int64(5), int64(-3), int64(9), int64(0)}))
	add(s.line("min-max([])", "min-max", canonabi.List{}))

	const api = "corpus:kitchen/api#"
	a := s.call(api+"[constructor]counter", "a", int64(1)).(host.Resource)
	b := s.call(api+"[constructor]counter", "b", int64(100)).(host.Resource)
	borrow := func(r host.Resource) host.Resource { r.Own = false; return r }
	add(s.line("a.increment(5)", "[method]counter.increment", borrow(a), int64(5)))
	add(s.line("a.increment(2)", "[method]counter.increment", borrow(a), int64(2)))
	add(s.line("b.get()", "[method]counter.get", borrow(b)))
	add(s.line("a.name()", "[method]counter.name", borrow(a)))
	merged := s.call(api+"[static]counter.merge", borrow(a), borrow(b)).(host.Resource)
	f, _ := in.Func(api + "[static]counter.merge")
	add("merge(a,b) -> " + s.show(f.Type().Result, merged))
	add(s.line("total([a,b,merged])", "total", canonabi.List{borrow(a), borrow(b), borrow(merged)}))
	add(s.line(`make-counters(["x","y","z"])`, "make-counters", chars("x", "y", "z")))

	got := strings.Join(lines, "\n") + "\n"
	if want := expected(t, "kitchen-lib.stdout"); got != want {
		t.Errorf("kitchen-lib transcript differs:\n%s", firstDiff(want, got))
	}
}
