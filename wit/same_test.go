package wit

import "testing"

// resourceIn makes resource name of interface iface in package pkg
// (`ns:name@version`).
func resourceIn(ns, pkg, version, iface, name string) *TypeDef {
	p := &Package{Name: PackageName{Namespace: ns, Name: pkg}}
	if version != "" {
		v, err := ParseVersion(version)
		if err != nil {
			panic(err)
		}
		p.Name.Version = v
	}
	it := &Interface{Name: iface, Package: p}
	return &TypeDef{Name: name, Kind: &Resource{}, Owner: Owner{Interface: it}}
}

func anon(k TypeDefKind) *TypeDef { return &TypeDef{Kind: k} }

func borrow(r *TypeDef) *TypeDef { return anon(&Handle{Kind: Borrow, Resource: r}) }

func TestSameType(t *testing.T) {
	point := func(y Type) *TypeDef {
		return &TypeDef{Name: "point", Kind: &Record{Fields: []Field{{Name: "x", Type: U32}, {Name: "y", Type: y}}}}
	}
	instant := &TypeDef{Name: "instant", Kind: &Alias{Type: U64}}
	stream := resourceIn("wasi", "io", "0.2.0", "streams", "output-stream")
	for _, c := range []struct {
		name      string
		got, want Type
		err       string
	}{
		{"same record", point(U32), point(U32), ""},
		{"field type", point(S32), point(U32), "x field `y`: expected u32, found s32"},
		{"aliases are transparent", U64, instant, ""},
		{"alias against another primitive", U32, instant, "x: expected instant, found u32"},
		{"resource of a compatible version", borrow(resourceIn("wasi", "io", "0.2.12", "streams", "output-stream")), borrow(stream), ""},
		{"resource of another track", borrow(resourceIn("wasi", "io", "0.3.0", "streams", "output-stream")), borrow(stream),
			"x: resource `output-stream` from `wasi:io/streams@0.3.0` is not the same resource as `output-stream` from `wasi:io/streams@0.2.0`"},
		{"resource of another name", borrow(resourceIn("wasi", "io", "0.2.0", "streams", "input-stream")), borrow(stream),
			"x: resource `input-stream` from `wasi:io/streams@0.2.0` is not the same resource as `output-stream` from `wasi:io/streams@0.2.0`"},
		{"own against borrow", anon(&Handle{Kind: Own, Resource: stream}), borrow(stream), "x: expected borrow<output-stream>, found own<output-stream>"},
		{"list element", anon(&List{Elem: U8}), anon(&List{Elem: U16}), "x element: expected u16, found u8"},
		{"result without error", anon(&Result{OK: U8}), anon(&Result{OK: U8, Err: String}), "x: expected result<u8, string>, found result<u8, nothing>"},
		{"enum case", anon(&Enum{Cases: []EnumCase{{Name: "a"}, {Name: "c"}}}), anon(&Enum{Cases: []EnumCase{{Name: "a"}, {Name: "b"}}}),
			"x: expected case `b`, found `c`"},
		{"variant payload", anon(&Variant{Cases: []Case{{Name: "a", Type: U8}}}), anon(&Variant{Cases: []Case{{Name: "a", Type: U16}}}),
			"x case `a`: expected u16, found u8"},
		{"tuple element", anon(&Tuple{Types: []Type{U8, U8}}), anon(&Tuple{Types: []Type{U8, Bool}}), "x element 1: expected bool, found u8"},
		{"flags", anon(&Flags{Flags: []Flag{{Name: "r"}}}), anon(&Flags{Flags: []Flag{{Name: "w"}}}), "x: expected flag `w`, found `r`"},
		{"option against list", anon(&Option{Type: U8}), anon(&List{Elem: U8}), "x: expected list<u8>, found option<u8>"},
	} {
		err := SameType(c.got, c.want, "x")
		switch {
		case c.err == "" && err != nil:
			t.Errorf("%s: %v", c.name, err)
		case c.err != "" && (err == nil || err.Error() != c.err):
			t.Errorf("%s: got %v, want %q", c.name, err, c.err)
		}
	}
}

func TestSameFunction(t *testing.T) {
	f := func(kind FunctionKind, result Type, params ...Param) *Function {
		return &Function{Name: "f", Kind: kind, Params: params, Result: result}
	}
	want := f(Freestanding, U32, Param{"a", U32}, Param{"b", String})
	for _, c := range []struct {
		got *Function
		err string
	}{
		{f(Freestanding, U32, Param{"a", U32}, Param{"b", String}), ""},
		{f(AsyncFreestanding, U32, Param{"a", U32}, Param{"b", String}), "function `f`: one is async and the other is not"},
		{f(Freestanding, U32, Param{"a", U32}), "function `f`: expected 2 parameters, found 1"},
		{f(Freestanding, U32, Param{"a", U32}, Param{"c", String}), "function `f`: expected parameter `b`, found `c`"},
		{f(Freestanding, U32, Param{"a", U32}, Param{"b", Char}), "function `f` param `b`: expected string, found char"},
		{f(Freestanding, nil, Param{"a", U32}, Param{"b", String}), "function `f`: the result differs (u32 expected, nothing found)"},
		{f(Freestanding, U64, Param{"a", U32}, Param{"b", String}), "function `f` result: expected u32, found u64"},
	} {
		err := SameFunction(c.got, want, "function `f`")
		switch {
		case c.err == "" && err != nil:
			t.Errorf("%s: %v", FuncTypeString(c.got), err)
		case c.err != "" && (err == nil || err.Error() != c.err):
			t.Errorf("%s: got %v, want %q", FuncTypeString(c.got), err, c.err)
		}
	}
}

func TestTypeString(t *testing.T) {
	stream := resourceIn("wasi", "io", "0.2.0", "streams", "output-stream")
	errCode := &TypeDef{Name: "error-code", Kind: &Enum{Cases: []EnumCase{{Name: "access"}}}}
	for _, c := range []struct {
		t    Type
		want string
	}{
		{U8, "u8"},
		{anon(&List{Elem: U8}), "list<u8>"},
		{anon(&Result{Err: errCode}), "result<_, error-code>"},
		{borrow(stream), "borrow<output-stream>"},
		{anon(&Handle{Kind: Own, Resource: stream}), "output-stream"},
		{&TypeDef{Name: "type", Kind: &Alias{Type: U8}}, "%type"},
	} {
		if got := TypeString(c.t); got != c.want {
			t.Errorf("TypeString = %q, want %q", got, c.want)
		}
	}
	m := &Function{Name: "[method]output-stream.write", Kind: Method, Resource: stream,
		Params: []Param{{"self", borrow(stream)}, {"contents", anon(&List{Elem: U8})}}, Result: anon(&Result{Err: errCode})}
	if got, want := FuncTypeString(m), "func(contents: list<u8>) -> result<_, error-code>"; got != want {
		t.Errorf("FuncTypeString = %q, want %q", got, want)
	}
	if got, want := FuncTypeString(&Function{Name: "now", Kind: Freestanding}), "func()"; got != want {
		t.Errorf("FuncTypeString = %q, want %q", got, want)
	}
}
