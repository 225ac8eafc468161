package e2e

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/witc-dev/witc/bindgen"
	"github.com/witc-dev/witc/canonabi"
	"github.com/witc-dev/witc/diag"
	"github.com/witc-dev/witc/examples/bindings/calc"
	"github.com/witc-dev/witc/examples/bindings/kitchenlib"
	"github.com/witc-dev/witc/host"
	"github.com/witc-dev/witc/loader"
	"github.com/witc-dev/witc/wasi"
	"github.com/witc-dev/witc/wit"
)

// toValue converts a value of a generated Go type to its dynamic form, so
// the transcript renderer of kitchen_test.go can show it. It relies on the
// shapes bindgen documents: structs for records and tuples (fields in
// order), sealed interfaces of Value-carrying structs for variants,
// pointers for options, Result for results.
func toValue(t wit.Type, v reflect.Value) canonabi.Value {
	switch t := wit.Resolved(t).(type) {
	case wit.Primitive:
		switch t {
		case wit.Char:
			return canonabi.Char(v.Int())
		case wit.String:
			return v.String()
		}
		return v.Interface()
	case *wit.TypeDef:
		switch k := t.Kind.(type) {
		case *wit.Record:
			var r canonabi.Record
			for i, f := range k.Fields {
				r = append(r, toValue(f.Type, v.Field(i)))
			}
			return r
		case *wit.Tuple:
			var r canonabi.Tuple
			for i, e := range k.Types {
				r = append(r, toValue(e, v.Field(i)))
			}
			return r
		case *wit.List:
			l := canonabi.List{}
			for i := 0; i < v.Len(); i++ {
				l = append(l, toValue(k.Elem, v.Index(i)))
			}
			return l
		case *wit.Enum:
			return canonabi.Variant{Case: uint32(v.Uint())}
		case *wit.Flags:
			return canonabi.Flags{uint32(v.Uint())}
		case *wit.Option:
			if v.IsNil() {
				return canonabi.Variant{Case: 0}
			}
			return canonabi.Variant{Case: 1, Payload: toValue(k.Type, v.Elem())}
		case *wit.Result:
			if v.FieldByName("IsErr").Bool() {
				var p canonabi.Value
				if k.Err != nil {
					p = toValue(k.Err, v.FieldByName("Err"))
				}
				return canonabi.Variant{Case: 1, Payload: p}
			}
			var p canonabi.Value
			if k.OK != nil {
				p = toValue(k.OK, v.FieldByName("OK"))
			}
			return canonabi.Variant{Case: 0, Payload: p}
		case *wit.Variant:
			name := v.Elem().Type().Name()
			for i, c := range k.Cases {
				if strings.HasSuffix(strings.ToLower(name), strings.ReplaceAll(c.Name, "-", "")) {
					var p canonabi.Value
					if c.Type != nil {
						p = toValue(c.Type, v.Elem().Field(0))
					}
					return canonabi.Variant{Case: uint32(i), Payload: p}
				}
			}
			panic("unknown case type " + name + " of " + t.Name)
		case *wit.Handle:
			return v.Interface().(interface{ Handle() host.Resource }).Handle()
		}
	}
	panic("toValue: unsupported type")
}

// TestKitchenLibBindings calls every export of kitchen-lib through the
// committed generated bindings (examples/bindings/kitchenlib) with the
// values exercise.js uses, and compares the transcript with jco's.
func TestKitchenLibBindings(t *testing.T) {
	rt, ctx := newRuntime(t)
	l := host.NewLinker()
	if err := wasi.Register(l, wasi.Config{}); err != nil {
		t.Fatal(err)
	}
	in, err := kitchenlib.Instantiate(ctx, rt, l, corpus(t, "kitchen-lib.wasm"), kitchenlib.Imports{})
	if err != nil {
		t.Fatal(err)
	}
	api := in.API()
	s := &jsShow{ctx: ctx, in: in.Component(), t: t}
	var lines []string
	line := func(label, fn string) func(v any, err error) {
		return func(v any, err error) {
			t.Helper()
			if err != nil {
				t.Fatalf("%s: %v", fn, err)
			}
			f, ferr := in.Component().Func("corpus:kitchen/api#" + fn)
			if ferr != nil {
				t.Fatal(ferr)
			}
			typ := f.Type().Result
			var dv canonabi.Value
			if typ != nil {
				dv = toValue(typ, reflect.ValueOf(v))
			}
			lines = append(lines, s.render(label, typ, dv))
		}
	}
	type (
		P  = kitchenlib.Point
		T2 = kitchenlib.Tuple2[float32, float32]
	)
	ada := kitchenlib.Person{Name: "Ada", Age: 36, Tags: []string{"math", "engines"}, Home: &P{X: 3, Y: -4},
		Favourite: kitchenlib.ColorGreen, Access: kitchenlib.PermsRead | kitchenlib.PermsExec}
	bob := kitchenlib.Person{Name: "Bob", Age: 255, Tags: []string{}, Favourite: kitchenlib.ColorBlue}

	line("invert(true)", "invert")(api.Invert(ctx, true))
	line("bump-all(255,127,65535,32767,2147483647,2147483647,max,max)", "bump-all")(api.BumpAll(ctx, 255, 127, 65535, 32767, 2147483647, 2147483647, 18446744073709551615, 9223372036854775807))
	line("bump-all(1,-2,3,-4,5,-6,7,8)", "bump-all")(api.BumpAll(ctx, 1, -2, 3, -4, 5, -6, 7, 8))
	line("scale(1.5,10)", "scale")(api.Scale(ctx, 1.5, 10))
	line("next-char('a')", "next-char")(api.NextChar(ctx, 'a'))
	line("next-char('\\u{1F600}')", "next-char")(api.NextChar(ctx, 0x1F600))
	line(`greet("wörld")`, "greet")(api.Greet(ctx, "wörld"))
	line("reverse-bytes([1,2,3,250])", "reverse-bytes")(api.ReverseBytes(ctx, []byte{1, 2, 3, 250}))
	line("reverse-bytes([])", "reverse-bytes")(api.ReverseBytes(ctx, nil))
	line(`join(["a","bc","","d"],"-")`, "join")(api.Join(ctx, []string{"a", "bc", "", "d"}, "-"))
	line(`split("x::y:z",":")`, "split")(api.Split(ctx, "x::y:z", ':'))
	line("sum-wide", "sum-wide")(api.SumWide(ctx, kitchenlib.Wide{A: 1, B: -2, C: 3, D: -4, E: 5, F: -6, G: 7, H: -8,
		I: 0.5, J: 0.25, K: 'A', L: true, M: 9, N: 10, O: 11, P: 12, Q: -13}))
	line("describe(ada)", "describe")(api.Describe(ctx, ada))
	line("describe(bob)", "describe")(api.Describe(ctx, bob))
	line("birthday(ada)", "birthday")(api.Birthday(ctx, ada))
	line("birthday(bob)", "birthday")(api.Birthday(ctx, bob))
	line("next-color(blue)", "next-color")(api.NextColor(ctx, kitchenlib.ColorBlue))
	line("toggle({read},{read,exec})", "toggle")(api.Toggle(ctx, kitchenlib.PermsRead, kitchenlib.PermsRead|kitchenlib.PermsExec))
	line("area(circle 2)", "area")(api.Area(ctx, kitchenlib.ShapeCircle{Value: 2}))
	line("area(rect 1.5x4)", "area")(api.Area(ctx, kitchenlib.ShapeRect{Value: T2{F0: 1.5, F1: 4}}))
	line("area(polygon)", "area")(api.Area(ctx, kitchenlib.ShapePolygon{Value: []P{{X: 0, Y: 0}, {X: 4, Y: 0}, {X: 4, Y: 3}}}))
	line("area(dot)", "area")(api.Area(ctx, kitchenlib.ShapeDot{}))
	line("mirror", "mirror")(api.Mirror(ctx, []kitchenlib.Shape{kitchenlib.ShapeCircle{Value: 1.25}, kitchenlib.ShapeRect{Value: T2{F0: 2, F1: 3}},
		kitchenlib.ShapePolygon{Value: []P{{X: 1, Y: 2}, {X: -3, Y: 4}}}, kitchenlib.ShapeDot{}}))
	line(`find(["a","b","c"],"c")`, "find")(api.Find(ctx, []string{"a", "b", "c"}, "c"))
	line(`find(["a"],"z")`, "find")(api.Find(ctx, []string{"a"}, "z"))
	for d, label := range []string{"maybe-maybe(0)", "maybe-maybe(1)", "maybe-maybe(2)"} {
		line(label, "maybe-maybe")(api.MaybeMaybe(ctx, uint8(d)))
	}
	line("safe-div(7,2)", "safe-div")(api.SafeDiv(ctx, 7, 2))
	line("safe-div(1,0)", "safe-div")(api.SafeDiv(ctx, 1, 0))
	for _, c := range [][2]string{{"3, -9", `parse-point("3, -9")`}, {"", `parse-point("")`}, {"1;2", `parse-point("1;2")`}, {"a,2", `parse-point("a,2")`}} {
		line(c[1], "parse-point")(api.ParsePoint(ctx, c[0]))
	}
	line("check(true)", "check")(api.Check(ctx, true))
	line("check(false)", "check")(api.Check(ctx, false))
	line(`swap((42,"x"))`, "swap")(api.Swap(ctx, kitchenlib.Tuple2[uint64, string]{F0: 42, F1: "x"}))
	line("min-max([5,-3,9,0])", "min-max")(api.MinMax(ctx, []int64{5, -3, 9, 0}))
	line("min-max([])", "min-max")(api.MinMax(ctx, nil))

	a, err := api.NewCounter(ctx, "a", 1)
	if err != nil {
		t.Fatal(err)
	}
	b, err := api.NewCounter(ctx, "b", 100)
	if err != nil {
		t.Fatal(err)
	}
	line("a.increment(5)", "[method]counter.increment")(a.Increment(ctx, 5))
	line("a.increment(2)", "[method]counter.increment")(a.Increment(ctx, 2))
	line("b.get()", "[method]counter.get")(b.Get(ctx))
	line("a.name()", "[method]counter.name")(a.Name(ctx))
	merged, err := api.CounterMerge(ctx, a, b)
	if err != nil {
		t.Fatal(err)
	}
	lines = append(lines, "merge(a,b) -> "+s.show(&wit.TypeDef{Kind: &wit.Handle{Kind: wit.Own}}, merged.Handle()))
	line("total([a,b,merged])", "total")(api.Total(ctx, []*kitchenlib.Counter{a, b, merged}))
	line(`make-counters(["x","y","z"])`, "make-counters")(api.MakeCounters(ctx, []string{"x", "y", "z"}))
	for _, c := range []*kitchenlib.Counter{a, b, merged} {
		if err := c.Close(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := a.Get(ctx); err == nil || !strings.Contains(err.Error(), "closed") {
		t.Errorf("calling a closed counter: got %v, want an error saying it was closed", err)
	}

	got := strings.Join(lines, "\n") + "\n"
	if want := expected(t, "kitchen-lib.stdout"); got != want {
		t.Errorf("kitchen-lib transcript through the bindings differs:\n%s", firstDiff(want, got))
	}
}

// TestGoCalcBindings calls every function of go-calc through the committed
// generated bindings (examples/bindings/calc), as drivers/calc.mjs does
// with jco.
func TestGoCalcBindings(t *testing.T) {
	rt, ctx := newRuntime(t)
	in, err := calc.Instantiate(ctx, rt, nil, corpus(t, "go-calc.wasm"), calc.Imports{})
	if err != nil {
		t.Fatal(err)
	}
	m := in.Math()
	must := func(v any, err error) any {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	big := make([]byte, 100000)
	for i := range big {
		big[i] = byte(i * 7)
	}
	f64 := func(v any) string { return strconv.FormatFloat(v.(float64), 'g', -1, 64) }
	hex := func(v any) string { return fmt.Sprintf("0x%08x", v) }
	var b strings.Builder
	fmt.Fprintf(&b, "add(2, 3) = %v\n", must(m.Add(ctx, 2, 3)))
	fmt.Fprintf(&b, "add(4294967295, 2) = %v\n", must(m.Add(ctx, 4294967295, 2)))
	fmt.Fprintf(&b, "mul-add(-3, 4, 5) = %v\n", must(m.MulAdd(ctx, -3, 4, 5)))
	fmt.Fprintf(&b, "mul-add(3037000500, 3037000500, 0) = %v\n", must(m.MulAdd(ctx, 3037000500, 3037000500, 0)))
	fmt.Fprintf(&b, "hypot(3, 4) = %s\n", f64(must(m.Hypot(ctx, 3, 4))))
	fmt.Fprintf(&b, "hypot(1e300, 1e300) = %s\n", f64(must(m.Hypot(ctx, 1e300, 1e300))))
	fmt.Fprintf(&b, "shout(\"hello, wörld\") = %q\n", must(m.Shout(ctx, "hello, wörld")))
	fmt.Fprintf(&b, "shout(\"\") = %q\n", must(m.Shout(ctx, "")))
	fmt.Fprintf(&b, "checksum(\"Wikipedia\") = %s\n", hex(must(m.Checksum(ctx, []byte("Wikipedia")))))
	fmt.Fprintf(&b, "checksum([]) = %s\n", hex(must(m.Checksum(ctx, nil))))
	fmt.Fprintf(&b, "checksum(100000 bytes) = %s\n", hex(must(m.Checksum(ctx, big))))
	if want := expected(t, "go-calc.stdout"); b.String() != want {
		t.Errorf("go-calc transcript through the bindings differs:\n%s", firstDiff(want, b.String()))
	}
}

// TestBindingsFresh regenerates the committed bindings (scripts/bindings.sh
// does the same with the CLI) and fails on any difference.
func TestBindingsFresh(t *testing.T) {
	wit := filepath.Join(corpusDir, "src", "wit")
	if _, err := os.Stat(wit); err != nil {
		t.Skipf("corpus WIT not found: %v", err)
	}
	for _, c := range []struct{ dir, world, pkg string }{
		{"kitchen", "lib", "kitchenlib"},
		{"kitchen", "app", "kitchenapp"},
		{"calc", "calculator", "calc"},
		{"calc", "calc-app", "calcapp"},
	} {
		var r diag.Report
		res, main := loader.Load(filepath.Join(wit, c.dir), loader.Options{}, &r)
		if r.HasErrors() {
			t.Fatalf("%s: %s", c.dir, diag.Renderer{}.Render(r.Diagnostics))
		}
		got, err := bindgen.Generate(res, main.World(c.world), bindgen.Options{Package: c.pkg})
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join("..", "..", "examples", "bindings", c.pkg, "bindings.go")
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s is stale: run `make bindings`\n%s", path, firstDiff(string(want), string(got)))
		}
	}
}
