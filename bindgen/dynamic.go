package bindgen

import (
	"fmt"
	"strings"

	"github.com/dave/jennifer/jen"
	"github.com/witc-dev/witc/canonabi"
	"github.com/witc-dev/witc/wit"
)

// Functions the flat API cannot call — async functions, which the runtime
// runs as tasks, and functions whose values hold streams, futures or
// error-contexts, whose Go ends the runtime gives as canonabi values —
// go through the dynamic API: an export is called with host.CallTyped
// (Func.Call), an import is registered with ImportedTypes.Link
// (Linker.AsyncFunc for an async function or one with streams or
// futures, Linker.Func otherwise). Their values are converted between
// their Go types and canonabi.Value by two helper methods of Instance
// per type, toV<key> and fromV<key>, generated on first use.
//
// Go types: a stream<u8> is a *host.ByteStream (an io.ReadCloser; Go
// passes one made by host.NewByteStream from an io.Reader), any other
// stream<T> a *host.Stream[T] (All, an iter.Seq2[T, error]; Go passes
// one made by host.StreamOf, StreamFrom or NewStreamPipe), a future<T> a
// *host.Future[T] (Get(ctx); host.FutureOf, FutureFunc), an
// error-context a host.ErrorContext (an error with the guest's debug
// message).

const vRes = "res_" // the results of a dynamic call

// dynamic reports whether f goes through the dynamic API: an async
// function, or one whose values hold streams, futures or error-contexts.
func (g *gen) dynamic(f *wit.Function) bool { return g.asyncFunc(f, true) }

// blocking reports whether the host function of an imported f may block:
// an async function, or one whose values hold streams or futures.
func (g *gen) blocking(f *wit.Function) bool { return g.asyncFunc(f, false) }

// asyncFunc reports whether f is async or its values hold a stream or a
// future (or, with errCtx, an error-context).
func (g *gen) asyncFunc(f *wit.Function, errCtx bool) bool {
	if f.Kind.IsAsync() {
		return true
	}
	for _, p := range f.Params {
		if g.reachesAsync(p.Type, 0, errCtx) {
			return true
		}
	}
	return f.Result != nil && g.reachesAsync(f.Result, 0, errCtx)
}

// reachesAsync reports whether t holds a stream or future (or, with
// errCtx, an error-context).
func (g *gen) reachesAsync(t wit.Type, depth int, errCtx bool) bool {
	switch t := wit.Resolved(t).(type) {
	case wit.Primitive:
		return errCtx && t == wit.ErrorContext
	case *wit.TypeDef:
		if depth > maxDepth {
			return false
		}
		memo := g.asyncs
		if errCtx {
			memo = g.asyncsEC
		}
		if v, ok := memo[t]; ok {
			return v
		}
		v := false
		switch t.Kind.(type) {
		case *wit.Stream, *wit.Future:
			v = true
		default:
			for _, c := range t.Children() {
				if g.reachesAsync(c, depth+1, errCtx) {
					v = true
					break
				}
			}
		}
		memo[t] = v
		return v
	}
	return false
}

// asyncGoType is the Go type of a stream or future type definition.
func (g *gen) asyncGoType(t *wit.TypeDef) jen.Code {
	switch k := t.Kind.(type) {
	case *wit.Stream:
		if k.Type == wit.U8 {
			return jen.Op("*").Qual(hostPkg, "ByteStream")
		}
		return jen.Op("*").Qual(hostPkg, "Stream").Types(g.goTypeOrUnit(k.Type))
	case *wit.Future:
		return jen.Op("*").Qual(hostPkg, "Future").Types(g.goTypeOrUnit(k.Type))
	}
	return nil
}

// toV is an expression converting x, of type t, to a canonabi.Value.
func (g *gen) toV(t wit.Type, x jen.Code) jen.Code {
	switch t := wit.Resolved(t).(type) {
	case wit.Primitive:
		switch t {
		case wit.Char:
			return jen.Qual(canonabiPkg, "Char").Call(x)
		case wit.ErrorContext:
			return jen.Add(x).Dot("Value").Call()
		}
		return x
	case *wit.TypeDef:
		return jen.Id(vIn).Dot("toV" + g.convs(t)).Call(x)
	}
	panic("bindgen: toV")
}

// fromV is an expression converting x, a canonabi.Value of type t, to
// its Go type.
func (g *gen) fromV(t wit.Type, x jen.Code) jen.Code {
	switch t := wit.Resolved(t).(type) {
	case wit.Primitive:
		switch t {
		case wit.Char:
			return jen.Rune().Call(jen.Add(x).Assert(jen.Qual(canonabiPkg, "Char")))
		case wit.ErrorContext:
			return jen.Qual(hostPkg, "ErrorContextOf").Call(x)
		}
		return jen.Add(x).Assert(jen.Id(primitiveGo[t]))
	case *wit.TypeDef:
		return jen.Id(vIn).Dot("fromV" + g.convs(t)).Call(x)
	}
	panic("bindgen: fromV")
}

// convs makes sure the two converters of t exist and returns their key.
func (g *gen) convs(t *wit.TypeDef) string {
	k := g.key(t)
	if g.done["V"+k] {
		return k
	}
	g.done["V"+k] = true
	g.pending = append(g.pending, func() { g.genConvs(t, k) })
	return k
}

var valueType = jen.Qual(canonabiPkg, "Value")

func (g *gen) genConvs(t *wit.TypeDef, k string) {
	goT := g.goType(t)
	v := jen.Id("v")
	var to, from []jen.Code
	switch kind := t.Kind.(type) {
	case *wit.Record:
		var vals, fields []jen.Code
		from = append(from, jen.Id("r").Op(":=").Add(v).Assert(jen.Qual(canonabiPkg, "Record")))
		for i, f := range kind.Fields {
			n := exported(f.Name)
			vals = append(vals, g.toV(f.Type, jen.Id("v").Dot(n)))
			fields = append(fields, jen.Id(n).Op(":").Add(g.fromV(f.Type, jen.Id("r").Index(jen.Lit(i)))))
		}
		to = []jen.Code{jen.Return(jen.Qual(canonabiPkg, "Record").Values(vals...))}
		if len(kind.Fields) == 0 {
			from = nil
		}
		from = append(from, jen.Return(jen.Add(goT).Values(fields...)))
	case *wit.Tuple:
		var vals, fields []jen.Code
		from = append(from, jen.Id("r").Op(":=").Add(v).Assert(jen.Qual(canonabiPkg, "Tuple")))
		for i, e := range kind.Types {
			n := fmt.Sprintf("F%d", i)
			vals = append(vals, g.toV(e, jen.Id("v").Dot(n)))
			fields = append(fields, jen.Id(n).Op(":").Add(g.fromV(e, jen.Id("r").Index(jen.Lit(i)))))
		}
		to = []jen.Code{jen.Return(jen.Qual(canonabiPkg, "Tuple").Values(vals...))}
		if len(kind.Types) == 0 {
			from = nil
		}
		from = append(from, jen.Return(jen.Add(goT).Values(fields...)))
	case *wit.Flags:
		n := len(kind.Flags)
		switch {
		case n == 0:
			to = []jen.Code{jen.Return(jen.Qual(canonabiPkg, "Flags").Values())}
			from = []jen.Code{jen.Return(jen.Lit(0))}
		case n <= 32:
			to = []jen.Code{jen.Return(jen.Qual(canonabiPkg, "Flags").Values(jen.Uint32().Call(v)))}
			from = []jen.Code{
				jen.Id("f").Op(":=").Add(v).Assert(jen.Qual(canonabiPkg, "Flags")),
				jen.If(jen.Len(jen.Id("f")).Op("==").Lit(0)).Block(jen.Return(jen.Lit(0))),
				jen.Return(jen.Add(goT).Call(jen.Id("f").Index(jen.Lit(0)))),
			}
		default:
			to = []jen.Code{jen.Return(jen.Qual(canonabiPkg, "Flags").Values(jen.Uint32().Call(v), jen.Uint32().Call(jen.Id("v").Op(">>").Lit(32))))}
			from = []jen.Code{
				jen.Id("f").Op(":=").Add(v).Assert(jen.Qual(canonabiPkg, "Flags")),
				jen.Var().Id("x").Add(goT),
				jen.For(jen.List(jen.Id("i"), jen.Id("w")).Op(":=").Range().Id("f")).Block(
					jen.If(jen.Id("i").Op("<").Lit(2)).Block(jen.Id("x").Op("|=").Add(goT).Call(jen.Id("w")).Op("<<").Parens(jen.Lit(32).Op("*").Id("i")))),
				jen.Return(jen.Id("x")),
			}
		}
	case *wit.Enum:
		to = []jen.Code{jen.Return(jen.Qual(canonabiPkg, "Variant").Values(jen.Id("Case").Op(":").Uint32().Call(v)))}
		from = []jen.Code{jen.Return(jen.Add(goT).Call(jen.Add(v).Assert(jen.Qual(canonabiPkg, "Variant")).Dot("Case")))}
	case *wit.Variant, *wit.Option, *wit.Result:
		to = []jen.Code{g.match(t, func(i int, payload jen.Code) []jen.Code {
			vals := []jen.Code{jen.Id("Case").Op(":").Lit(i)}
			if c := cases(t)[i]; c != nil && payload != nil {
				vals = append(vals, jen.Id("Payload").Op(":").Add(g.toV(c, payload)))
			}
			return []jen.Code{jen.Return(jen.Qual(canonabiPkg, "Variant").Values(vals...))}
		})}
		if _, ok := kind.(*wit.Variant); ok {
			to = append(to, jen.Return(jen.Nil()))
		}
		var clauses []jen.Code
		for i, c := range cases(t) {
			var x jen.Code
			if c != nil {
				x = g.fromV(c, jen.Id("x").Dot("Payload"))
			}
			clauses = append(clauses, jen.Case(jen.Lit(i)).Block(g.build(t, goT, i, x)...))
		}
		from = []jen.Code{
			jen.Id("x").Op(":=").Add(v).Assert(jen.Qual(canonabiPkg, "Variant")),
			jen.Switch(jen.Id("x").Dot("Case")).Block(clauses...),
			jen.Panic(jen.Qual(canonabiPkg, "BadCase").Call(jen.Lit(typeLabel(t)), jen.Id("x").Dot("Case"))),
		}
	case *wit.List, *wit.FixedList:
		var elem wit.Type
		if l, ok := kind.(*wit.List); ok {
			elem = l.Elem
		} else {
			elem = kind.(*wit.FixedList).Elem
		}
		_, isList := kind.(*wit.List)
		if isList && elem == wit.U8 {
			to = []jen.Code{jen.Return(v)}
			from = []jen.Code{
				jen.If(jen.List(jen.Id("b"), jen.Id("ok")).Op(":=").Add(v).Assert(jen.Index().Byte()), jen.Id("ok")).Block(jen.Return(jen.Id("b"))),
				jen.Id("l").Op(":=").Add(v).Assert(jen.Qual(canonabiPkg, "List")),
				jen.Id("out").Op(":=").Make(jen.Index().Byte(), jen.Len(jen.Id("l"))),
				jen.For(jen.List(jen.Id("i"), jen.Id("e")).Op(":=").Range().Id("l")).Block(jen.Id("out").Index(jen.Id("i")).Op("=").Id("e").Assert(jen.Uint8())),
				jen.Return(jen.Id("out")),
			}
			break
		}
		to = []jen.Code{
			jen.Id("out").Op(":=").Make(jen.Qual(canonabiPkg, "List"), jen.Len(v)),
			jen.For(jen.List(jen.Id("i"), jen.Id("e")).Op(":=").Range().Add(v)).Block(jen.Id("out").Index(jen.Id("i")).Op("=").Add(g.toV(elem, jen.Id("e")))),
			jen.Return(jen.Id("out")),
		}
		var out jen.Code = jen.Id("out").Op(":=").Make(goT, jen.Len(jen.Id("l")))
		elems := jen.Id("l")
		if !isList {
			out = jen.Var().Id("out").Add(goT)
			elems = jen.Id("l").Index(jen.Op(":").Id("min").Call(jen.Len(jen.Id("l")), jen.Len(jen.Id("out"))))
		}
		from = []jen.Code{
			jen.Id("l").Op(":=").Add(v).Assert(jen.Qual(canonabiPkg, "List")),
			out,
			jen.For(jen.List(jen.Id("i"), jen.Id("e")).Op(":=").Range().Add(elems)).Block(jen.Id("out").Index(jen.Id("i")).Op("=").Add(g.fromV(elem, jen.Id("e")))),
			jen.Return(jen.Id("out")),
		}
	case *wit.Map:
		to = []jen.Code{
			jen.Id("out").Op(":=").Make(jen.Qual(canonabiPkg, "List"), jen.Lit(0), jen.Len(v)),
			jen.For(jen.List(jen.Id("k"), jen.Id("e")).Op(":=").Range().Add(v)).Block(
				jen.Id("out").Op("=").Append(jen.Id("out"), jen.Qual(canonabiPkg, "Tuple").Values(g.toV(kind.Key, jen.Id("k")), g.toV(kind.Value, jen.Id("e"))))),
			jen.Return(jen.Id("out")),
		}
		from = []jen.Code{
			jen.Id("l").Op(":=").Add(v).Assert(jen.Qual(canonabiPkg, "List")),
			jen.Id("out").Op(":=").Make(goT, jen.Len(jen.Id("l"))),
			jen.For(jen.List(jen.Id("_"), jen.Id("e")).Op(":=").Range().Id("l")).Block(
				jen.Id("kv").Op(":=").Id("e").Assert(jen.Qual(canonabiPkg, "Tuple")),
				jen.Id("out").Index(g.fromV(kind.Key, jen.Id("kv").Index(jen.Lit(0)))).Op("=").Add(g.fromV(kind.Value, jen.Id("kv").Index(jen.Lit(1))))),
			jen.Return(jen.Id("out")),
		}
	case *wit.Handle:
		to, from = g.dynHandle(kind)
	case *wit.Stream, *wit.Future:
		var elem wit.Type
		ctor, val := "StreamOfValue", "StreamValue"
		if s, ok := kind.(*wit.Stream); ok {
			elem = s.Type
			if elem == wit.U8 {
				to = []jen.Code{jen.Return(jen.Add(v).Dot("Value").Call())}
				from = []jen.Code{jen.Return(jen.Qual(hostPkg, "ByteStreamOf").Call(v))}
				break
			}
		} else {
			elem = kind.(*wit.Future).Type
			ctor, val = "FutureOfValue", "FutureValue"
		}
		et := g.goTypeOrUnit(elem)
		var toE, fromE jen.Code = jen.Nil(), jen.Struct().Values()
		if elem != nil {
			toE, fromE = g.toV(elem, jen.Id("e")), g.fromV(elem, jen.Id("e"))
		}
		to = []jen.Code{jen.Return(jen.Qual(hostPkg, val).Call(v, jen.Func().Params(jen.Id("e").Add(et)).Add(valueType).Block(jen.Return(toE))))}
		from = []jen.Code{jen.Return(jen.Qual(hostPkg, ctor).Call(v, jen.Func().Params(jen.Id("e").Add(valueType)).Add(et).Block(jen.Return(fromE))))}
	default:
		panic(fmt.Sprintf("bindgen: no converters for %T", t.Kind))
	}
	g.method(nil, "toV"+k, []jen.Code{jen.Id("v").Add(goT)}, valueType, to...)
	g.method(nil, "fromV"+k, []jen.Code{jen.Id("v").Add(valueType)}, goT, from...)
}

// dynHandle converts a handle: a resource the component implements is a
// *R holding its host.Resource, one the host implements the Go value in
// the instance's table, a WASI one a host.Resource.
func (g *gen) dynHandle(h *wit.Handle) (to, from []jen.Code) {
	res := wit.Resolved(h.Resource).(*wit.TypeDef)
	name := g.names[res]
	own := h.Kind == wit.Own
	r := jen.Id("v").Assert(jen.Qual(hostPkg, "Resource"))
	switch g.sides[res] {
	case guestSide:
		method := "borrow"
		if own {
			method = "own"
		}
		to = []jen.Code{jen.Return(jen.Id("v").Dot(method).Call())}
		from = []jen.Code{jen.Return(jen.Op("&").Id(name).Values(
			jen.Id("in").Op(":").Id(vIn), jen.Id("res").Op(":").Add(r), jen.Id("borrowed").Op(":").Lit(!own)))}
	case hostSide:
		tab := jen.Id(vIn).Dot("tab" + name)
		g.hostResourceHelper(res, name)
		to = []jen.Code{jen.Return(jen.Id(vIn).Dot("hostResource"+name).Call(jen.Id("v"), jen.Lit(own)))}
		if own {
			from = []jen.Code{jen.List(jen.Id("x"), jen.Id("_")).Op(":=").Add(tab).Dot("Remove").Call(jen.Add(r).Dot("Rep")), jen.Return(jen.Id("x"))}
		} else {
			from = []jen.Code{jen.Return(jen.Add(tab).Dot("Get").Call(jen.Add(r).Dot("Rep")))}
		}
	default:
		to = []jen.Code{jen.Return(jen.Id("v"))}
		from = []jen.Code{jen.Return(r)}
	}
	return
}

// dynExportBody is the body of a Go method that calls an exported
// function through the dynamic API (see exportBody).
func (g *gen) dynExportBody(f *wit.Function, fn, inst, self jen.Code) []jen.Code {
	body := []jen.Code{jen.Defer().Qual(canonabiPkg, "Catch").Call(jen.Op("&").Id("err"))}
	for _, p := range f.Params {
		if g.lendsHostBorrow(p.Type, 0) {
			body = append(body, jen.Defer().Id(vIn).Dot("releaseLent").Call())
			break
		}
	}
	args := []jen.Code{jen.Id("ctx"), fn}
	for i, p := range f.Params {
		if i == 0 && isMethod(f) {
			args = append(args, jen.Add(self).Dot("borrow").Call())
			continue
		}
		args = append(args, g.toV(p.Type, jen.Id(local(p.Name))))
	}
	res, op := jen.Id("_"), "="
	if f.Result != nil {
		res, op = jen.Id(vRes), ":="
	}
	body = append(body,
		jen.List(res, jen.Id("err")).Op(op).Qual(hostPkg, "CallTyped").Call(args...),
		jen.If(jen.Id("err").Op("!=").Nil()).Block(jen.Return(namedResults(f, jen.Id("err"))...)))
	if f.Result != nil {
		body = append(body, jen.Id("r0").Op("=").Add(g.fromV(f.Result, jen.Id(vRes).Index(jen.Lit(0)))))
	}
	body = append(body, jen.Return(namedResults(f, jen.Nil())...))
	decls := map[string]jen.Code{}
	if inst != nil {
		decls[vIn] = inst
	}
	return prelude(body, decls)
}

// dynImport registers the host's implementation of an imported function
// through the dynamic API: a statement returning the error of
// ImportedTypes.Link.
func (g *gen) dynImport(iface string, f *wit.Function, call func(args []jen.Code) jen.Code) jen.Code {
	var args, body []jen.Code
	for i, p := range f.Params {
		a := fmt.Sprintf("a%d", i)
		body = append(body, jen.Id(a).Op(":=").Add(g.fromV(p.Type, jen.Id("args").Index(jen.Lit(i)))))
		args = append(args, jen.Id(a))
	}
	if f.Result == nil {
		body = append(body, jen.Return(jen.Nil(), call(args)))
	} else {
		body = append(body,
			jen.List(jen.Id("r0"), jen.Id("err")).Op(":=").Add(call(args)),
			jen.If(jen.Id("err").Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Id("err"))),
			jen.Return(jen.Index().Add(valueType).Values(g.toV(f.Result, jen.Id("r0"))), jen.Nil()))
	}
	fn := jen.Func().Params(ctxParam.Clone(), jen.Id("args").Index().Add(valueType)).Params(jen.Index().Add(valueType), jen.Error()).Block(body...)
	return jen.If(jen.Id("err").Op(":=").Id("it").Dot("Link").Call(jen.Id("l"), jen.Lit(iface), jen.Lit(f.Name), jen.Lit(canonabi.Shape(f)), jen.Lit(g.blocking(f)), fn),
		jen.Id("err").Op("!=").Nil()).Block(jen.Return(jen.Id("err")))
}

// exportBodyOf is the body of a Go method calling exported function f:
// through the flat API, or the dynamic one (dynamic).
func (g *gen) exportBodyOf(f *wit.Function, fn, inst, self jen.Code) []jen.Code {
	if g.dynamic(f) {
		return g.dynExportBody(f, fn, inst, self)
	}
	return g.exportBody(f, fn, inst, self)
}

// exportDocs is the doc comment of a Go method calling exported function
// f; an async function's says what its context does.
func exportDocs(name string, f *wit.Function, fallback string) jen.Code {
	d := docs(name, f.Docs, fallback)
	if !f.Kind.IsAsync() {
		return d
	}
	return jen.Add(d).Line().Comment("").Line().Comment("The function is async: the call waits for the component's task to return. " +
		"When ctx is done first, the runtime asks the task to cancel (task.cancel) and the call returns ctx.Err().")
}

// importDocs is the doc comment of the Go method implementing imported
// function f; one that may block says how it runs.
func (g *gen) importDocs(name string, f *wit.Function) jen.Code {
	d := docs(name, f.Docs, "")
	if !g.blocking(f) {
		return d
	}
	note := name + " may block: each call runs on a goroutine of its own while the component's other tasks go on. " +
		"ctx is cancelled when the component cancels the call (subtask.cancel)."
	if strings.TrimSpace(f.Docs.Contents) == "" {
		return jen.Comment(note)
	}
	return jen.Add(d).Line().Comment("").Line().Comment(note)
}
