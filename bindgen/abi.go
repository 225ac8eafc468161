package bindgen

import (
	"fmt"

	"github.com/dave/jennifer/jen"
	"github.com/witc-dev/witc/canonabi"
	"github.com/witc-dev/witc/wit"
)

// Every type that is not a primitive gets four methods on *Instance,
// generated on first use: load and store (linear memory at a pointer), lift
// and lower (a slice holding exactly its flat values). Primitives are
// inlined.

var cxID = jen.Id(vCx)

func cxParam() jen.Code { return jen.Id(vCx).Op("*").Qual(canonabiPkg, "Cx") }

// key is a unique Go identifier suffix for a type: the name of a named
// type, else its structure (_ListU32, _Tuple2U8String). Structurally equal
// types share a key, and so the helpers named after it. A structure that
// would be spelled with more than maxKey characters is named by a number
// instead (_T7): the spelled key of a type whose parts share parts (a
// tuple of two tuples of the same two tuples…) doubles with each level.
func (g *gen) key(t wit.Type) string {
	switch t := wit.Resolved(t).(type) {
	case wit.Primitive:
		return exported(t.String())
	case *wit.TypeDef:
		if n, ok := g.names[t]; ok {
			return n
		}
		if k, ok := g.keys[t]; ok {
			return k
		}
		var k string
		switch kind := t.Kind.(type) {
		case *wit.List:
			k = "_List" + g.key(kind.Elem)
		case *wit.FixedList:
			k = fmt.Sprintf("_Array%d%s", kind.Len, g.key(kind.Elem))
		case *wit.Map:
			k = "_Map" + g.key(kind.Key) + g.key(kind.Value)
		case *wit.Option:
			k = "_Option" + g.key(kind.Type)
		case *wit.Result:
			k = "_Result" + g.keyOrUnit(kind.OK) + g.keyOrUnit(kind.Err)
		case *wit.Tuple:
			k = fmt.Sprintf("_Tuple%d", len(kind.Types))
			for _, e := range kind.Types {
				k += g.key(e)
			}
		case *wit.Stream:
			k = "_Stream" + g.keyOrUnit(kind.Type)
		case *wit.Future:
			k = "_Future" + g.keyOrUnit(kind.Type)
		case *wit.Handle:
			res := wit.Resolved(kind.Resource).(*wit.TypeDef)
			if kind.Kind == wit.Own {
				k = "_Own" + g.names[res]
			} else {
				k = "_Borrow" + g.names[res]
			}
		default:
			panic("bindgen: no key")
		}
		if len(k) > maxKey {
			n, ok := g.longKeys[k]
			if !ok {
				n = fmt.Sprintf("_T%d", len(g.longKeys)+1)
				g.longKeys[k] = n
			}
			k = n
		}
		g.keys[t] = k
		return k
	}
	panic("bindgen: no key")
}

// maxKey bounds the length of a spelled key (the longest in the
// conformance worlds has 46 characters).
const maxKey = 64

func (g *gen) keyOrUnit(t wit.Type) string {
	if t == nil {
		return "_"
	}
	return g.key(t)
}

func add(p jen.Code, off uint32) jen.Code {
	if off == 0 {
		return p
	}
	return jen.Add(p).Op("+").Lit(int(off))
}

func fAt(f string, i int) *jen.Statement { return jen.Id(f).Index(jen.Lit(i)) }

// load is an expression loading a value of type t at pointer p.
func (g *gen) load(t wit.Type, p jen.Code) jen.Code {
	switch t := wit.Resolved(t).(type) {
	case wit.Primitive:
		u := func(m string) jen.Code { return cxID.Clone().Dot(m).Call(p) }
		switch t {
		case wit.Bool:
			return jen.Qual(canonabiPkg, "LiftBool").Call(jen.Uint32().Call(u("U8")))
		case wit.U8:
			return u("U8")
		case wit.S8:
			return jen.Int8().Call(u("U8"))
		case wit.U16:
			return u("U16")
		case wit.S16:
			return jen.Int16().Call(u("U16"))
		case wit.U32:
			return u("U32")
		case wit.S32:
			return jen.Int32().Call(u("U32"))
		case wit.U64:
			return u("U64")
		case wit.S64:
			return jen.Int64().Call(u("U64"))
		case wit.F32:
			return jen.Qual(canonabiPkg, "LiftF32").Call(u("U32"))
		case wit.F64:
			return jen.Qual(canonabiPkg, "LiftF64").Call(u("U64"))
		case wit.Char:
			return jen.Qual(canonabiPkg, "LiftChar").Call(u("U32"))
		case wit.String:
			return cxID.Clone().Dot("LiftString").Call(u("U32"), cxID.Clone().Dot("U32").Call(add(p, 4)))
		}
	case *wit.TypeDef:
		return g.helperRef(t, "load"+g.helpers4(t)).Call(cxID, p)
	}
	panic("bindgen: load")
}

// store is a statement storing v, of type t, at pointer p.
func (g *gen) store(t wit.Type, p, v jen.Code) jen.Code {
	switch t := wit.Resolved(t).(type) {
	case wit.Primitive:
		put := func(m string, x jen.Code) jen.Code { return cxID.Clone().Dot(m).Call(p, x) }
		switch t {
		case wit.Bool:
			return put("PutU8", jen.Uint8().Call(jen.Qual(canonabiPkg, "LowerBool").Call(v)))
		case wit.U8:
			return put("PutU8", v)
		case wit.S8:
			return put("PutU8", jen.Uint8().Call(v))
		case wit.U16:
			return put("PutU16", v)
		case wit.S16:
			return put("PutU16", jen.Uint16().Call(v))
		case wit.U32:
			return put("PutU32", v)
		case wit.S32:
			return put("PutU32", jen.Uint32().Call(v))
		case wit.U64:
			return put("PutU64", v)
		case wit.S64:
			return put("PutU64", jen.Uint64().Call(v))
		case wit.F32:
			return put("PutU32", jen.Qual(canonabiPkg, "LowerF32").Call(v))
		case wit.F64:
			return put("PutU64", jen.Qual(canonabiPkg, "LowerF64").Call(v))
		case wit.Char:
			return put("PutU32", jen.Qual(canonabiPkg, "LowerChar").Call(v))
		case wit.String:
			return cxID.Clone().Dot("StoreString").Call(p, v)
		}
	case *wit.TypeDef:
		return g.helperRef(t, "store"+g.helpers4(t)).Call(cxID, p, v)
	}
	panic("bindgen: store")
}

// lift is an expression lifting a value of type t from the flat values
// f[i:].
func (g *gen) lift(t wit.Type, f string, i int) jen.Code {
	switch t := wit.Resolved(t).(type) {
	case wit.Primitive:
		x := fAt(f, i)
		switch t {
		case wit.Bool:
			return jen.Qual(canonabiPkg, "LiftBool").Call(jen.Uint32().Call(x))
		case wit.U8:
			return jen.Uint8().Call(x)
		case wit.S8:
			return jen.Int8().Call(x)
		case wit.U16:
			return jen.Uint16().Call(x)
		case wit.S16:
			return jen.Int16().Call(x)
		case wit.U32:
			return jen.Uint32().Call(x)
		case wit.S32:
			return jen.Int32().Call(x)
		case wit.U64:
			return x
		case wit.S64:
			return jen.Int64().Call(x)
		case wit.F32:
			return jen.Qual(canonabiPkg, "LiftF32").Call(jen.Uint32().Call(x))
		case wit.F64:
			return jen.Qual(canonabiPkg, "LiftF64").Call(x)
		case wit.Char:
			return jen.Qual(canonabiPkg, "LiftChar").Call(jen.Uint32().Call(x))
		case wit.String:
			return cxID.Clone().Dot("LiftString").Call(jen.Uint32().Call(x), jen.Uint32().Call(fAt(f, i+1)))
		}
	case *wit.TypeDef:
		n := g.flatLen(t)
		return g.helperRef(t, "lift"+g.helpers4(t)).Call(cxID, jen.Id(f).Index(jen.Lit(i).Op(":").Lit(i+n)))
	}
	panic("bindgen: lift")
}

// lower is a statement lowering v, of type t, into the flat values f[i:].
func (g *gen) lower(t wit.Type, f string, i int, v jen.Code) jen.Code {
	switch t := wit.Resolved(t).(type) {
	case wit.Primitive:
		set := func(x jen.Code) jen.Code { return fAt(f, i).Op("=").Uint64().Call(x) }
		switch t {
		case wit.Bool:
			return set(jen.Qual(canonabiPkg, "LowerBool").Call(v))
		case wit.S8, wit.S16, wit.S32:
			return set(jen.Uint32().Call(v))
		case wit.F32:
			return set(jen.Qual(canonabiPkg, "LowerF32").Call(v))
		case wit.F64:
			return fAt(f, i).Op("=").Qual(canonabiPkg, "LowerF64").Call(v)
		case wit.Char:
			return set(jen.Qual(canonabiPkg, "LowerChar").Call(v))
		case wit.String:
			return jen.Block(
				jen.List(jen.Id("ptr"), jen.Id("n")).Op(":=").Add(cxID).Dot("LowerString").Call(v),
				jen.List(fAt(f, i), fAt(f, i+1)).Op("=").List(jen.Uint64().Call(jen.Id("ptr")), jen.Uint64().Call(jen.Id("n"))),
			)
		case wit.U64:
			return fAt(f, i).Op("=").Add(v)
		case wit.S64:
			return set(v)
		default:
			return set(v)
		}
	case *wit.TypeDef:
		n := g.flatLen(t)
		return g.helperRef(t, "lower"+g.helpers4(t)).Call(cxID, jen.Id(f).Index(jen.Lit(i).Op(":").Lit(i+n)), v)
	}
	panic("bindgen: lower")
}

// helpers4 makes sure the four helper methods of t exist and returns their
// key.
func (g *gen) helpers4(t *wit.TypeDef) string {
	k := g.key(t)
	if g.done[k] {
		return k
	}
	g.done[k] = true
	g.pending = append(g.pending, func() { g.genHelpers(t, k) })
	return k
}

// helperRef refers to helper name of type t: a method of Instance when
// the type needs it (usesInstance), else a function.
func (g *gen) helperRef(t *wit.TypeDef, name string) *jen.Statement {
	if t == nil || g.usesInstance(t) {
		return jen.Id(vIn).Dot(name)
	}
	return jen.Id(name)
}

// method adds helper name of type t (nil: one that always needs the
// instance), as a method of Instance or a function (see helperRef).
func (g *gen) method(t *wit.TypeDef, name string, params []jen.Code, result jen.Code, body ...jen.Code) {
	fn := jen.Func()
	if t == nil || g.usesInstance(t) {
		fn = fn.Params(jen.Id(vIn).Op("*").Id("Instance"))
	}
	fn = fn.Id(name).Params(params...)
	if result != nil {
		fn = fn.Add(result)
	}
	g.helpers = append(g.helpers, fn.Block(body...))
}

func (g *gen) genHelpers(t *wit.TypeDef, k string) {
	goT := g.goType(t)
	ptr := jen.Id("p").Uint32()
	flat := jen.Id("f").Index().Uint64()
	v := jen.Id("v").Add(goT)
	var load, store, lift, lower []jen.Code
	switch kind := t.Kind.(type) {
	case *wit.Record:
		var ts []wit.Type
		var names []string
		for _, f := range kind.Fields {
			ts, names = append(ts, f.Type), append(names, exported(f.Name))
		}
		load, store, lift, lower = g.product(goT, ts, names)
	case *wit.Tuple:
		var names []string
		for i := range kind.Types {
			names = append(names, fmt.Sprintf("F%d", i))
		}
		load, store, lift, lower = g.product(goT, kind.Types, names)
	case *wit.Flags:
		load, store, lift, lower = g.flags(t, goT, len(kind.Flags))
	case *wit.Enum:
		load, store, lift, lower = g.enum(t, goT, len(kind.Cases))
	case *wit.Variant, *wit.Option, *wit.Result:
		load, store, lift, lower = g.variant(t, goT)
	case *wit.List:
		load, store, lift, lower = g.list(t, k, kind.Elem)
	case *wit.Map:
		load, store, lift, lower = g.mapType(t, k, kind)
	case *wit.FixedList:
		load, store, lift, lower = g.array(t, goT, kind)
	case *wit.Handle:
		load, store, lift, lower = g.handle(kind)
	default:
		panic(fmt.Sprintf("bindgen: no helpers for %T", t.Kind))
	}
	g.method(t, "load"+k, []jen.Code{cxParam(), ptr}, goT, load...)
	g.method(t, "store"+k, []jen.Code{cxParam(), jen.Id("p").Uint32(), v}, nil, store...)
	g.method(t, "lift"+k, []jen.Code{cxParam(), flat}, goT, lift...)
	g.method(t, "lower"+k, []jen.Code{cxParam(), jen.Id("f").Index().Uint64(), jen.Id("v").Add(g.goType(t))}, nil, lower...)
}

// product: records and tuples.
func (g *gen) product(goT jen.Code, ts []wit.Type, names []string) (load, store, lift, lower []jen.Code) {
	offs := canonabi.FieldOffsets(ts)
	var ld, lf []jen.Code
	i := 0
	for j, ft := range ts {
		ld = append(ld, jen.Id(names[j]).Op(":").Add(g.load(ft, add(jen.Id("p"), offs[j]))))
		lf = append(lf, jen.Id(names[j]).Op(":").Add(g.lift(ft, "f", i)))
		store = append(store, g.store(ft, add(jen.Id("p"), offs[j]), jen.Id("v").Dot(names[j])))
		lower = append(lower, g.lower(ft, "f", i, jen.Id("v").Dot(names[j])))
		i += g.flatLen(ft)
	}
	load = []jen.Code{jen.Return(jen.Add(goT).Values(ld...))}
	lift = []jen.Code{jen.Return(jen.Add(goT).Values(lf...))}
	return
}

func (g *gen) flags(t *wit.TypeDef, goT jen.Code, n int) (load, store, lift, lower []jen.Code) {
	var mask uint64 = 1<<uint(n) - 1
	if n == 64 {
		mask = ^uint64(0)
	}
	m := jen.Add(goT).Call(jen.Lit(int(mask)))
	if n > 32 {
		m = jen.Add(goT).Call(jen.Lit(mask))
	}
	switch {
	case n == 0:
		load = []jen.Code{jen.Return(jen.Lit(0))}
		lift = load
	case n <= 8:
		load = []jen.Code{jen.Return(jen.Add(goT).Call(cxID.Clone().Dot("U8").Call(jen.Id("p"))).Op("&").Add(m))}
		store = []jen.Code{cxID.Clone().Dot("PutU8").Call(jen.Id("p"), jen.Uint8().Call(jen.Id("v").Op("&").Add(m)))}
	case n <= 16:
		load = []jen.Code{jen.Return(jen.Add(goT).Call(cxID.Clone().Dot("U16").Call(jen.Id("p"))).Op("&").Add(m))}
		store = []jen.Code{cxID.Clone().Dot("PutU16").Call(jen.Id("p"), jen.Uint16().Call(jen.Id("v").Op("&").Add(m)))}
	case n <= 32:
		load = []jen.Code{jen.Return(jen.Add(goT).Call(cxID.Clone().Dot("U32").Call(jen.Id("p"))).Op("&").Add(m))}
		store = []jen.Code{cxID.Clone().Dot("PutU32").Call(jen.Id("p"), jen.Uint32().Call(jen.Id("v").Op("&").Add(m)))}
	default:
		load = []jen.Code{jen.Return(jen.Parens(jen.Add(goT).Call(cxID.Clone().Dot("U32").Call(jen.Id("p"))).Op("|").Add(goT).Call(cxID.Clone().Dot("U32").Call(jen.Id("p").Op("+").Lit(4))).Op("<<").Lit(32)).Op("&").Add(m))}
		store = []jen.Code{
			cxID.Clone().Dot("PutU32").Call(jen.Id("p"), jen.Uint32().Call(jen.Id("v").Op("&").Add(m))),
			cxID.Clone().Dot("PutU32").Call(jen.Id("p").Op("+").Lit(4), jen.Uint32().Call(jen.Parens(jen.Id("v").Op("&").Add(m)).Op(">>").Lit(32))),
		}
		lift = []jen.Code{jen.Return(jen.Parens(jen.Add(goT).Call(jen.Uint32().Call(fAt("f", 0))).Op("|").Add(goT).Call(jen.Uint32().Call(fAt("f", 1))).Op("<<").Lit(32)).Op("&").Add(m))}
		lower = []jen.Code{
			fAt("f", 0).Op("=").Uint64().Call(jen.Uint32().Call(jen.Id("v").Op("&").Add(m))),
			fAt("f", 1).Op("=").Uint64().Call(jen.Parens(jen.Id("v").Op("&").Add(m)).Op(">>").Lit(32)),
		}
		return
	}
	if n > 0 {
		lift = []jen.Code{jen.Return(jen.Add(goT).Call(jen.Uint32().Call(fAt("f", 0))).Op("&").Add(m))}
		lower = []jen.Code{fAt("f", 0).Op("=").Uint64().Call(jen.Id("v").Op("&").Add(m))}
	}
	return
}

func discMethods(n int) (string, string, jen.Code) {
	switch canonabi.Discriminant(n) {
	case wit.U8:
		return "U8", "PutU8", jen.Uint8()
	case wit.U16:
		return "U16", "PutU16", jen.Uint16()
	}
	return "U32", "PutU32", jen.Uint32()
}

func (g *gen) enum(t *wit.TypeDef, goT jen.Code, n int) (load, store, lift, lower []jen.Code) {
	get, put, dt := discMethods(n)
	check := func(c jen.Code) jen.Code {
		return jen.If(jen.Add(c).Op(">=").Lit(n)).Block(jen.Panic(jen.Qual(canonabiPkg, "BadCase").Call(jen.Lit(typeLabel(t)), jen.Uint32().Call(c))))
	}
	load = []jen.Code{jen.Id("c").Op(":=").Add(cxID).Dot(get).Call(jen.Id("p")), check(jen.Id("c")), jen.Return(jen.Add(goT).Call(jen.Id("c")))}
	lift = []jen.Code{jen.Id("c").Op(":=").Uint32().Call(fAt("f", 0)), check(jen.Id("c")), jen.Return(jen.Add(goT).Call(jen.Id("c")))}
	badHost := jen.If(jen.Id("v").Op(">=").Lit(n)).Block(jen.Qual(canonabiPkg, "Abort").Call(
		jen.Qual("fmt", "Errorf").Call(jen.Lit(fmt.Sprintf("%%d is not a case of %s", typeLabel(t))), jen.Id("v"))))
	store = []jen.Code{badHost, cxID.Clone().Dot(put).Call(jen.Id("p"), jen.Add(dt).Call(jen.Id("v")))}
	lower = []jen.Code{badHost, fAt("f", 0).Op("=").Uint64().Call(jen.Id("v"))}
	return
}

func typeLabel(t *wit.TypeDef) string {
	if t.Name != "" {
		return "`" + t.Name + "`"
	}
	switch t.Kind.(type) {
	case *wit.Option:
		return "an option"
	case *wit.Result:
		return "a result"
	}
	return "a variant"
}

// cases lists the payload types of a variant-like type (nil: no payload).
func cases(t *wit.TypeDef) []wit.Type {
	switch k := t.Kind.(type) {
	case *wit.Variant:
		var out []wit.Type
		for _, c := range k.Cases {
			out = append(out, c.Type)
		}
		return out
	case *wit.Option:
		return []wit.Type{nil, k.Type}
	case *wit.Result:
		return []wit.Type{k.OK, k.Err}
	}
	return nil
}

// build returns the statements that return case i of t with payload x.
func (g *gen) build(t *wit.TypeDef, goT jen.Code, i int, x jen.Code) []jen.Code {
	switch t.Kind.(type) {
	case *wit.Variant:
		cn := g.cases[t][i]
		if x == nil {
			return []jen.Code{jen.Return(jen.Id(cn).Values())}
		}
		return []jen.Code{jen.Return(jen.Id(cn).Values(jen.Id("Value").Op(":").Add(x)))}
	case *wit.Option:
		if i == 0 {
			return []jen.Code{jen.Return(jen.Nil())}
		}
		return []jen.Code{jen.Id("x").Op(":=").Add(x), jen.Return(jen.Op("&").Id("x"))}
	case *wit.Result:
		field := "OK"
		if i == 1 {
			field = "Err"
		}
		var vals []jen.Code
		if x != nil {
			vals = append(vals, jen.Id(field).Op(":").Add(x))
		}
		if i == 1 {
			vals = append(vals, jen.Id("IsErr").Op(":").True())
		}
		return []jen.Code{jen.Return(jen.Add(goT).Values(vals...))}
	}
	return nil
}

// match returns a statement that runs body for the case v holds, with its
// payload.
func (g *gen) match(t *wit.TypeDef, body func(i int, payload jen.Code) []jen.Code) jen.Code {
	v := jen.Id("v")
	switch k := t.Kind.(type) {
	case *wit.Variant:
		var clauses []jen.Code
		used := false
		for i, c := range k.Cases {
			var payload jen.Code
			if c.Type != nil {
				payload, used = jen.Id("v").Dot("Value"), true
			}
			clauses = append(clauses, jen.Case(jen.Id(g.cases[t][i])).Block(body(i, payload)...))
		}
		clauses = append(clauses, jen.Default().Block(jen.Qual(canonabiPkg, "Abort").Call(jen.Qual(canonabiPkg, "ErrNilValue"))))
		if used {
			return jen.Switch(jen.Id("v").Op(":=").Add(v).Assert(jen.Type())).Block(clauses...)
		}
		return jen.Switch(jen.Add(v).Assert(jen.Type())).Block(clauses...)
	case *wit.Option:
		return jen.If(jen.Add(v).Op("==").Nil()).Block(body(0, nil)...).Else().Block(body(1, jen.Op("*").Add(v))...)
	case *wit.Result:
		var ok, bad jen.Code
		if k.OK != nil {
			ok = jen.Id("v").Dot("OK")
		}
		if k.Err != nil {
			bad = jen.Id("v").Dot("Err")
		}
		return jen.If(jen.Op("!").Add(v).Dot("IsErr")).Block(body(0, ok)...).Else().Block(body(1, bad)...)
	}
	return nil
}

func (g *gen) variant(t *wit.TypeDef, goT jen.Code) (load, store, lift, lower []jen.Code) {
	ps := cases(t)
	get, put, dt := discMethods(len(ps))
	off := canonabi.PayloadOffset(ps)
	n := g.flatLen(t)
	var lc, fc []jen.Code
	for i, pt := range ps {
		var lx, fx jen.Code
		if pt != nil {
			lx = g.load(pt, add(jen.Id("p"), off))
			fx = g.lift(pt, "f", 1)
		}
		lc = append(lc, jen.Case(jen.Lit(i)).Block(g.build(t, goT, i, lx)...))
		fc = append(fc, jen.Case(jen.Lit(i)).Block(g.build(t, goT, i, fx)...))
	}
	bad := jen.Panic(jen.Qual(canonabiPkg, "BadCase").Call(jen.Lit(typeLabel(t)), jen.Uint32().Call(jen.Id("c"))))
	load = []jen.Code{jen.Id("c").Op(":=").Add(cxID).Dot(get).Call(jen.Id("p")), jen.Switch(jen.Id("c")).Block(lc...), bad}
	lift = []jen.Code{jen.Id("c").Op(":=").Uint32().Call(fAt("f", 0)), jen.Switch(jen.Id("c")).Block(fc...), bad}
	store = []jen.Code{g.match(t, func(i int, x jen.Code) []jen.Code {
		out := []jen.Code{cxID.Clone().Dot(put).Call(jen.Id("p"), jen.Add(dt).Call(jen.Lit(i)))}
		if x != nil {
			out = append(out, g.store(ps[i], add(jen.Id("p"), off), x))
		}
		return out
	})}
	if n > 1 {
		lower = append(lower, jen.Clear(jen.Id("f").Index(jen.Lit(1).Op(":"))))
	}
	lower = append(lower, g.match(t, func(i int, x jen.Code) []jen.Code {
		out := []jen.Code{fAt("f", 0).Op("=").Lit(i)}
		if x != nil {
			out = append(out, g.lower(ps[i], "f", 1, x))
		}
		return out
	}))
	return
}

func (g *gen) list(t *wit.TypeDef, k string, elem wit.Type) (load, store, lift, lower []jen.Code) {
	l := canonabi.LayoutOf(elem)
	liftList, lowerList := "liftList"+k, "lowerList"+k
	if wit.Resolved(elem) == wit.U8 {
		g.method(t, liftList, []jen.Code{cxParam(), jen.Id("ptr"), jen.Id("n").Uint32()}, g.goType(t),
			jen.Return(cxID.Clone().Dot("LiftBytes").Call(jen.Id("ptr"), jen.Id("n"))))
		g.method(t, lowerList, []jen.Code{cxParam(), jen.Id("v").Add(g.goType(t))}, jen.Uint32(),
			jen.Return(cxID.Clone().Dot("LowerBytes").Call(jen.Id("v"))))
	} else {
		g.method(t, liftList, []jen.Code{cxParam(), jen.Id("ptr"), jen.Id("n").Uint32()}, g.goType(t),
			jen.Id("out").Op(":=").Make(g.goType(t), cxID.Clone().Dot("CheckList").Call(jen.Id("ptr"), jen.Id("n"), jen.Lit(int(l.Size)), jen.Lit(int(l.Align)))),
			jen.For(jen.Id("i").Op(":=").Range().Id("out")).Block(
				jen.Id("out").Index(jen.Id("i")).Op("=").Add(g.load(elem, jen.Id("ptr").Op("+").Uint32().Call(jen.Id("i")).Op("*").Lit(int(l.Size))))),
			jen.Return(jen.Id("out")))
		g.method(t, lowerList, []jen.Code{cxParam(), jen.Id("v").Add(g.goType(t))}, jen.Uint32(),
			jen.Id("ptr").Op(":=").Add(cxID).Dot("AllocList").Call(jen.Len(jen.Id("v")), jen.Lit(int(l.Size)), jen.Lit(int(l.Align))),
			jen.For(jen.List(jen.Id("i"), jen.Id("x")).Op(":=").Range().Id("v")).Block(
				g.store(elem, jen.Id("ptr").Op("+").Uint32().Call(jen.Id("i")).Op("*").Lit(int(l.Size)), jen.Id("x"))),
			jen.Return(jen.Id("ptr")))
	}
	return g.pointerPair(t, liftList, lowerList)
}

// pointerPair: the four helpers of a type passed as (pointer, length).
func (g *gen) pointerPair(t *wit.TypeDef, liftList, lowerList string) (load, store, lift, lower []jen.Code) {
	load = []jen.Code{jen.Return(g.helperRef(t, liftList).Call(cxID, cxID.Clone().Dot("U32").Call(jen.Id("p")), cxID.Clone().Dot("U32").Call(jen.Id("p").Op("+").Lit(4))))}
	lift = []jen.Code{jen.Return(g.helperRef(t, liftList).Call(cxID, jen.Uint32().Call(fAt("f", 0)), jen.Uint32().Call(fAt("f", 1))))}
	store = []jen.Code{
		jen.Id("ptr").Op(":=").Add(g.helperRef(t, lowerList)).Call(cxID, jen.Id("v")),
		cxID.Clone().Dot("PutU32").Call(jen.Id("p"), jen.Id("ptr")),
		cxID.Clone().Dot("PutU32").Call(jen.Id("p").Op("+").Lit(4), jen.Uint32().Call(jen.Len(jen.Id("v")))),
	}
	lower = []jen.Code{
		fAt("f", 0).Op("=").Uint64().Call(g.helperRef(t, lowerList).Call(cxID, jen.Id("v"))),
		fAt("f", 1).Op("=").Uint64().Call(jen.Len(jen.Id("v"))),
	}
	return
}

func (g *gen) mapType(t *wit.TypeDef, k string, m *wit.Map) (load, store, lift, lower []jen.Code) {
	ts := []wit.Type{m.Key, m.Value}
	offs := canonabi.FieldOffsets(ts)
	var size, align uint32 = 0, 1
	for _, e := range ts {
		l := canonabi.LayoutOf(e)
		size = canonabi.AlignTo(size, l.Align) + l.Size
		align = max(align, l.Align)
	}
	size = canonabi.AlignTo(size, align)
	liftList, lowerList := "liftMap"+k, "lowerMap"+k
	e := jen.Id("ptr").Op("+").Uint32().Call(jen.Id("i")).Op("*").Lit(int(size))
	g.method(t, liftList, []jen.Code{cxParam(), jen.Id("ptr"), jen.Id("n").Uint32()}, g.goType(t),
		jen.Id("count").Op(":=").Add(cxID).Dot("CheckList").Call(jen.Id("ptr"), jen.Id("n"), jen.Lit(int(size)), jen.Lit(int(align))),
		jen.Id("out").Op(":=").Make(g.goType(t), jen.Id("count")),
		jen.For(jen.Id("i").Op(":=").Lit(0), jen.Id("i").Op("<").Id("count"), jen.Id("i").Op("++")).Block(
			jen.Id("e").Op(":=").Add(e),
			jen.Id("out").Index(g.load(m.Key, jen.Id("e"))).Op("=").Add(g.load(m.Value, add(jen.Id("e"), offs[1])))),
		jen.Return(jen.Id("out")))
	// Entries go in key order, so that a lowering is deterministic.
	keys := jen.Qual("slices", "Sorted").Call(jen.Qual("maps", "Keys").Call(jen.Id("v")))
	if wit.Resolved(m.Key) == wit.Bool {
		keys = jen.Index().Bool().Values(jen.False(), jen.True())
	}
	g.method(t, lowerList, []jen.Code{cxParam(), jen.Id("v").Add(g.goType(t))}, jen.Uint32(),
		jen.Id("ptr").Op(":=").Add(cxID).Dot("AllocList").Call(jen.Len(jen.Id("v")), jen.Lit(int(size)), jen.Lit(int(align))),
		jen.Id("i").Op(":=").Lit(0),
		jen.For(jen.List(jen.Id("_"), jen.Id("key")).Op(":=").Range().Add(keys)).Block(
			jen.List(jen.Id("x"), jen.Id("ok")).Op(":=").Id("v").Index(jen.Id("key")),
			jen.If(jen.Op("!").Id("ok")).Block(jen.Continue()),
			jen.Id("e").Op(":=").Add(e),
			g.store(m.Key, jen.Id("e"), jen.Id("key")),
			g.store(m.Value, add(jen.Id("e"), offs[1]), jen.Id("x")),
			jen.Id("i").Op("++")),
		jen.Return(jen.Id("ptr")))
	return g.pointerPair(t, liftList, lowerList)
}

func (g *gen) array(t *wit.TypeDef, goT jen.Code, k *wit.FixedList) (load, store, lift, lower []jen.Code) {
	size := canonabi.LayoutOf(k.Elem).Size
	n := g.flatLen(k.Elem)
	at := jen.Id("p").Op("+").Uint32().Call(jen.Id("i")).Op("*").Lit(int(size))
	load = []jen.Code{
		jen.Var().Id("out").Add(goT),
		jen.For(jen.Id("i").Op(":=").Range().Id("out")).Block(jen.Id("out").Index(jen.Id("i")).Op("=").Add(g.load(k.Elem, at))),
		jen.Return(jen.Id("out")),
	}
	store = []jen.Code{jen.For(jen.List(jen.Id("i"), jen.Id("x")).Op(":=").Range().Id("v")).Block(g.store(k.Elem, at, jen.Id("x")))}
	lift = []jen.Code{
		jen.Var().Id("out").Add(goT),
		jen.For(jen.Id("i").Op(":=").Range().Id("out")).Block(
			jen.Id("g").Op(":=").Id("f").Index(jen.Id("i").Op("*").Lit(n).Op(":")),
			jen.Id("out").Index(jen.Id("i")).Op("=").Add(g.lift(k.Elem, "g", 0))),
		jen.Return(jen.Id("out")),
	}
	lower = []jen.Code{jen.For(jen.List(jen.Id("i"), jen.Id("x")).Op(":=").Range().Id("v")).Block(
		jen.Id("g").Op(":=").Id("f").Index(jen.Id("i").Op("*").Lit(n).Op(":")),
		g.lower(k.Elem, "g", 0, jen.Id("x")))}
	return
}

func (g *gen) handle(h *wit.Handle) (load, store, lift, lower []jen.Code) {
	res := wit.Resolved(h.Resource).(*wit.TypeDef)
	name := g.names[res]
	own := h.Kind == wit.Own
	liftFn, lowerFn := "LiftBorrow", "LowerBorrow"
	if own {
		liftFn, lowerFn = "LiftOwn", "LowerOwn"
	}
	var fromIdx func(idx jen.Code) []jen.Code
	var toIdx jen.Code
	switch g.sides[res] {
	case guestSide:
		fromIdx = func(idx jen.Code) []jen.Code {
			return []jen.Code{jen.Return(jen.Op("&").Id(name).Values(
				jen.Id("in").Op(":").Id(vIn),
				jen.Id("res").Op(":").Qual(hostPkg, liftFn).Call(cxID, idx, jen.Nil()),
				jen.Id("borrowed").Op(":").Lit(!own)))}
		}
		method := "borrow"
		if own {
			method = "own"
		}
		toIdx = jen.Qual(hostPkg, lowerFn).Call(cxID, jen.Id("v").Dot(method).Call())
	case hostSide:
		rt := jen.Id(vIn).Dot("rt" + name)
		tab := jen.Id(vIn).Dot("tab" + name)
		fromIdx = func(idx jen.Code) []jen.Code {
			r := jen.Qual(hostPkg, liftFn).Call(cxID, idx, rt)
			if own {
				return []jen.Code{
					jen.List(jen.Id("x"), jen.Id("_")).Op(":=").Add(tab).Dot("Remove").Call(jen.Add(r).Dot("Rep")),
					jen.Return(jen.Id("x"))}
			}
			return []jen.Code{jen.Return(jen.Add(tab).Dot("Get").Call(jen.Add(r).Dot("Rep")))}
		}
		toIdx = jen.Qual(hostPkg, lowerFn).Call(cxID, jen.Id(vIn).Dot("hostResource"+name).Call(jen.Id("v"), jen.Lit(own)))
		g.hostResourceHelper(res, name)
	default:
		fromIdx = func(idx jen.Code) []jen.Code {
			return []jen.Code{jen.Return(jen.Qual(hostPkg, liftFn).Call(cxID, idx, jen.Nil()))}
		}
		toIdx = jen.Qual(hostPkg, lowerFn).Call(cxID, jen.Id("v"))
	}
	load = fromIdx(cxID.Clone().Dot("U32").Call(jen.Id("p")))
	lift = fromIdx(jen.Uint32().Call(fAt("f", 0)))
	store = []jen.Code{cxID.Clone().Dot("PutU32").Call(jen.Id("p"), toIdx)}
	lower = []jen.Code{fAt("f", 0).Op("=").Uint64().Call(toIdx)}
	return
}

// hostResourceHelper generates the method that puts a host resource in
// the table and returns its handle value. A borrow is lent for one call:
// releaseLent, deferred by the calls that lend, takes it out again.
func (g *gen) hostResourceHelper(res *wit.TypeDef, name string) {
	k := "hostResource" + name
	if g.done[k] {
		return
	}
	g.done[k] = true
	tab := jen.Id(vIn).Dot("tab" + name)
	g.method(nil, k, []jen.Code{jen.Id("v").Id(name), jen.Id("own").Bool()}, jen.Qual(hostPkg, "Resource"),
		jen.If(jen.Id("v").Op("==").Nil()).Block(jen.Qual(canonabiPkg, "Abort").Call(jen.Qual(canonabiPkg, "ErrNilValue"))),
		jen.Id("rep").Op(":=").Add(tab).Dot("Add").Call(jen.Id("v")),
		jen.If(jen.Op("!").Id("own")).Block(
			jen.Id(vIn).Dot("lent").Op("=").Append(jen.Id(vIn).Dot("lent"), jen.Func().Params().Block(
				jen.Add(tab).Dot("Remove").Call(jen.Id("rep"))))),
		jen.Return(jen.Qual(hostPkg, "Resource").Values(
			jen.Id("Type").Op(":").Id(vIn).Dot("rt"+name),
			jen.Id("Rep").Op(":").Id("rep"),
			jen.Id("Own").Op(":").Id("own"))))
}

// lendsHostBorrow reports whether lowering t lends a host resource.
func (g *gen) lendsHostBorrow(t wit.Type, depth int) bool {
	return g.reachesHandle(g.lends, t, depth, func(h *wit.Handle) bool {
		return h.Kind == wit.Borrow && g.sides[wit.Resolved(h.Resource).(*wit.TypeDef)] == hostSide
	})
}

// usesInstance reports whether lifting or lowering t needs the instance:
// handles of the resources it defines or serves live in its tables. The
// helpers of other types are plain functions, not methods of Instance.
func (g *gen) usesInstance(t *wit.TypeDef) bool {
	return g.reachesHandle(g.inst, t, 0, func(h *wit.Handle) bool {
		side := g.sides[wit.Resolved(h.Resource).(*wit.TypeDef)]
		return side == guestSide || side == hostSide
	})
}

// reachesHandle reports whether t contains a handle for which pred holds;
// memo keeps the answer for each type (types form a DAG).
func (g *gen) reachesHandle(memo map[*wit.TypeDef]bool, t wit.Type, depth int, pred func(*wit.Handle) bool) bool {
	td, ok := wit.Resolved(t).(*wit.TypeDef)
	if !ok || depth > 100 {
		return false
	}
	if v, ok := memo[td]; ok {
		return v
	}
	v := false
	if h, ok := td.Kind.(*wit.Handle); ok {
		v = pred(h)
	}
	for _, c := range td.Children() {
		if !v && g.reachesHandle(memo, c, depth+1, pred) {
			v = true
		}
	}
	memo[td] = v
	return v
}
