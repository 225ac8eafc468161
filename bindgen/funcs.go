package bindgen

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/dave/jennifer/jen"
	"github.com/witc-dev/witc/canonabi"
	"github.com/witc-dev/witc/wit"
)

var ctxParam = jen.Id("ctx").Qual("context", "Context")

// methodSet hands out Go method names without collisions.
type methodSet map[string]bool

func (m methodSet) name(n string) string {
	out := n
	for i := 2; m[out]; i++ {
		out = fmt.Sprintf("%s%d", n, i)
	}
	m[out] = true
	return out
}

// funcName is the Go name of a function: on its interface for freestanding
// functions, constructors (NewR) and statics (RName); on its resource for
// methods.
func (g *gen) funcName(f *wit.Function) string {
	short := f.Name
	if i := strings.IndexByte(short, '.'); i >= 0 && f.Resource != nil {
		short = short[i+1:]
	}
	switch f.Kind {
	case wit.Method, wit.AsyncMethod:
		return exported(short)
	case wit.Static, wit.AsyncStatic:
		return g.names[wit.Resolved(f.Resource).(*wit.TypeDef)] + exported(short)
	case wit.Constructor:
		return "New" + g.names[wit.Resolved(f.Resource).(*wit.TypeDef)]
	}
	return exported(f.Name)
}

func isMethod(f *wit.Function) bool { return f.Kind == wit.Method || f.Kind == wit.AsyncMethod }

func resourceOf(f *wit.Function) *wit.TypeDef {
	if f.Resource == nil {
		return nil
	}
	return wit.Resolved(f.Resource).(*wit.TypeDef)
}

// params are the Go parameters of a function (without a method's self).
func (g *gen) params(f *wit.Function) []jen.Code {
	out := []jen.Code{ctxParam.Clone()}
	for i, p := range f.Params {
		if i == 0 && isMethod(f) {
			continue
		}
		out = append(out, jen.Id(local(p.Name)).Add(g.goType(p.Type)))
	}
	return out
}

func (g *gen) results(f *wit.Function, named bool) jen.Code {
	if f.Result == nil {
		if named {
			return jen.Params(jen.Id("err").Error())
		}
		return jen.Error()
	}
	if named {
		return jen.Params(jen.Id("r0").Add(g.goType(f.Result)), jen.Id("err").Error())
	}
	return jen.Params(g.goType(f.Result), jen.Error())
}

// namedResults returns the named results of an export method (see
// results) with err as the error: they are named only so that the deferred
// Recover can set err, and every return names them.
func namedResults(f *wit.Function, err jen.Code) []jen.Code {
	if f.Result == nil {
		return []jen.Code{err}
	}
	return []jen.Code{jen.Id("r0"), err}
}

func paramTypes(f *wit.Function) []wit.Type {
	var ts []wit.Type
	for _, p := range f.Params {
		ts = append(ts, p.Type)
	}
	return ts
}

func tupleLayout(ts []wit.Type) (canonabi.Layout, []uint32) {
	return canonabi.LayoutOf(&wit.TypeDef{Kind: &wit.Tuple{Types: ts}}), canonabi.FieldOffsets(ts)
}

// usesVar finds the variables prelude may declare, as whole words (a
// parameter may well be called `acx`).
var usesVar = map[string]*regexp.Regexp{
	vIn: regexp.MustCompile(`\b` + vIn + `\b`), vCx: regexp.MustCompile(`\b` + vCx + `\b`), vStack: regexp.MustCompile(`\b` + vStack + `\b`),
}

// prelude declares the variables a body uses.
func prelude(body []jen.Code, decls map[string]jen.Code) []jen.Code {
	text := jen.Block(body...).GoString()
	var out []jen.Code
	for _, n := range []string{vIn, vCx, vStack} {
		if d, ok := decls[n]; ok && usesVar[n].MatchString(text) {
			out = append(out, jen.Id(n).Op(":=").Add(d))
		}
	}
	return append(out, body...)
}

// exportBody is the body of a Go method that calls an exported function
// through the flat API: fn is the *host.Func, self the receiver handle of a
// method.
func (g *gen) exportBody(f *wit.Function, fn, inst, self jen.Code) []jen.Code {
	sig := canonabi.SignatureOf(f, canonabi.Lift, canonabi.Options{})
	var body []jen.Code
	args := make([]jen.Code, len(f.Params))
	for i, p := range f.Params {
		args[i] = jen.Id(local(p.Name))
		if i == 0 && isMethod(f) {
			args[i] = self
		}
	}
	if !sig.ParamsIndirect {
		idx := 0
		for i, p := range f.Params {
			body = append(body, g.lower(p.Type, vStack, idx, args[i]))
			idx += g.flatLen(p.Type)
		}
	} else {
		l, offs := tupleLayout(paramTypes(f))
		body = append(body, jen.Id(vPtr).Op(":=").Add(cxID).Dot("Alloc").Call(jen.Lit(int(l.Align)), jen.Lit(int(l.Size))))
		for i, p := range f.Params {
			body = append(body, g.store(p.Type, add(jen.Id(vPtr), offs[i]), args[i]))
		}
		body = append(body, jen.Id(vStack).Index(jen.Lit(0)).Op("=").Uint64().Call(jen.Id(vPtr)))
	}
	// A function of plain scalars lifts and lowers nothing that can fail:
	// it needs no deferred Recover, and Run and Return report a trap.
	plain := !sig.ParamsIndirect && plainScalars(f)
	if plain {
		body = append(body, jen.If(jen.Id("err").Op("=").Id(vCall).Dot("Run").Call(), jen.Id("err").Op("!=").Nil()).Block(
			jen.Return(namedResults(f, jen.Id("err"))...)))
	} else {
		body = append(body, jen.Id(vCall).Dot("Invoke").Call())
	}
	if f.Result != nil {
		if !sig.ResultsIndirect {
			body = append(body, jen.Id("r0").Op("=").Add(g.lift(f.Result, vStack, 0)))
		} else {
			body = append(body, jen.Id("r0").Op("=").Add(g.load(f.Result, jen.Uint32().Call(jen.Id(vStack).Index(jen.Lit(0))))))
		}
	}
	if plain {
		body = append(body, jen.Return(namedResults(f, jen.Id(vCall).Dot("Return").Call())...))
	} else {
		body = append(body, jen.Id(vCall).Dot("End").Call(), jen.Return(namedResults(f, jen.Nil())...))
	}
	decls := map[string]jen.Code{vCx: jen.Op("&").Id(vCall).Dot("Cx"), vStack: jen.Id(vCall).Dot("Stack")}
	if inst != nil {
		decls[vIn] = inst
	}
	body = prelude(body, decls)
	head := []jen.Code{
		jen.List(jen.Id(vCall), jen.Id("err")).Op(":=").Add(fn).Dot("Begin").Call(jen.Id("ctx")),
		jen.If(jen.Id("err").Op("!=").Nil()).Block(jen.Return(namedResults(f, jen.Id("err"))...)),
	}
	if !plain {
		head = append(head, jen.Defer().Id(vCall).Dot("Recover").Call(jen.Op("&").Id("err")))
	}
	for _, p := range f.Params {
		if g.lendsHostBorrow(p.Type, 0) {
			in := inst
			if in == nil {
				in = jen.Id(vIn)
			}
			head = append(head, jen.Defer().Add(in).Dot("releaseLent").Call())
			break
		}
	}
	return append(head, body...)
}

// plainScalars reports whether a function passes only numbers and
// bools, whose lifting and lowering cannot fail (a char can be invalid).
func plainScalars(f *wit.Function) bool {
	plain := func(t wit.Type) bool {
		p, ok := wit.Resolved(t).(wit.Primitive)
		return ok && p != wit.Char && p != wit.String
	}
	for _, p := range f.Params {
		if !plain(p.Type) {
			return false
		}
	}
	return f.Result == nil || plain(f.Result)
}

// importBody is the body of the flat host function that serves an imported
// function by calling call (which gets the lifted arguments).
func (g *gen) importBody(f *wit.Function, call func(args []jen.Code) jen.Code) []jen.Code {
	sig := canonabi.SignatureOf(f, canonabi.Lower, canonabi.Options{})
	var body []jen.Code
	var args []jen.Code
	if !sig.ParamsIndirect {
		idx := 0
		for i, p := range f.Params {
			a := fmt.Sprintf("a%d", i)
			body = append(body, jen.Id(a).Op(":=").Add(g.lift(p.Type, "stack", idx)))
			args = append(args, jen.Id(a))
			idx += g.flatLen(p.Type)
		}
	} else {
		_, offs := tupleLayout(paramTypes(f))
		body = append(body, jen.Id("p").Op(":=").Uint32().Call(jen.Id("stack").Index(jen.Lit(0))))
		for i, p := range f.Params {
			a := fmt.Sprintf("a%d", i)
			body = append(body, jen.Id(a).Op(":=").Add(g.load(p.Type, add(jen.Id("p"), offs[i]))))
			args = append(args, jen.Id(a))
		}
	}
	if f.Result == nil {
		body = append(body, jen.Return(call(args)))
		return prelude(body, map[string]jen.Code{})
	}
	body = append(body,
		jen.List(jen.Id("r0"), jen.Id("err")).Op(":=").Add(call(args)),
		jen.If(jen.Id("err").Op("!=").Nil()).Block(jen.Return(jen.Id("err"))))
	if !sig.ResultsIndirect {
		body = append(body, g.lower(f.Result, "stack", 0, jen.Id("r0")))
	} else {
		ret := len(sig.Params) - 1
		body = append(body, g.store(f.Result, jen.Uint32().Call(jen.Id("stack").Index(jen.Lit(ret))), jen.Id("r0")))
	}
	return append(body, jen.Return(jen.Nil()))
}

// resourceDecl declares the Go type of a resource.
func (g *gen) resourceDecl(td *wit.TypeDef, name string) {
	switch g.sides[td] {
	case guestSide:
		g.decl(docs(name, td.Docs, "is a handle to the resource `"+td.Name+"`, which the component implements. Close drops it."),
			jen.Type().Id(name).Struct(
				jen.Id("in").Op("*").Id("Instance"),
				jen.Id("res").Qual(hostPkg, "Resource"),
				jen.Id("borrowed").Bool(),
				jen.Id("gone").Bool(),
			))
		g.decl(jen.Comment("Close drops the handle, running the resource's destructor in the component. A borrowed handle is not dropped."),
			jen.Func().Params(jen.Id("r").Op("*").Id(name)).Id("Close").Params(ctxParam.Clone()).Error().Block(
				jen.If(jen.Id("r").Op("==").Nil().Op("||").Id("r").Dot("gone").Op("||").Id("r").Dot("borrowed")).Block(jen.Return(jen.Nil())),
				jen.Id("r").Dot("gone").Op("=").True(),
				jen.Return(jen.Id("r").Dot("in").Dot("inst").Dot("Drop").Call(jen.Id("ctx"), jen.Id("r").Dot("res"))),
			))
		g.decl(jen.Comment("Handle returns the resource for the dynamic API of package host."),
			jen.Func().Params(jen.Id("r").Op("*").Id(name)).Id("Handle").Params().Qual(hostPkg, "Resource").Block(
				jen.Return(jen.Id("r").Dot("res"))))
		g.decl(jen.Comment("own moves the handle into the component."),
			jen.Func().Params(jen.Id("r").Op("*").Id(name)).Id("own").Params().Qual(hostPkg, "Resource").Block(
				jen.Id("res").Op(":=").Id("r").Dot("borrow").Call(),
				jen.If(jen.Id("r").Dot("borrowed")).Block(jen.Qual(canonabiPkg, "Fail").Call(jen.Lit("a borrowed `"+td.Name+"` cannot be passed as owned"))),
				jen.Id("r").Dot("gone").Op("=").True(),
				jen.Return(jen.Id("res")),
			))
		g.decl(jen.Func().Params(jen.Id("r").Op("*").Id(name)).Id("borrow").Params().Qual(hostPkg, "Resource").Block(
			jen.If(jen.Id("r").Op("==").Nil().Op("||").Id("r").Dot("gone")).Block(
				jen.Qual(canonabiPkg, "Fail").Call(jen.Lit("the `"+td.Name+"` handle was closed or moved"))),
			jen.Return(jen.Id("r").Dot("res")),
		))
	case hostSide:
		var methods []jen.Code
		ms := methodSet{}
		for _, f := range g.resourceFuncs(td) {
			if !isMethod(f) {
				continue
			}
			n := ms.name(g.funcName(f))
			methods = append(methods, g.importDocs(n, f), jen.Id(n).Params(g.params(f)...).Add(g.results(f, false)))
		}
		g.decl(docs(name, td.Docs, "is the resource `"+td.Name+"`, implemented by the host. When the component drops its last handle, the value is forgotten (and its Drop method, if it has one, is called)."),
			jen.Type().Id(name).Interface(methods...))
	default:
		g.decl(docs(name, td.Docs, "is a handle to the WASI resource `"+td.Name+"`, served by package wasi."),
			jen.Type().Id(name).Op("=").Qual(hostPkg, "Resource"))
	}
}

// resourceFuncs lists the functions of a resource.
func (g *gen) resourceFuncs(td *wit.TypeDef) []*wit.Function {
	var out []*wit.Function
	var fs []*wit.Function
	if i := td.Owner.Interface; i != nil {
		fs = i.Functions
	} else {
		for _, e := range g.w.Imports {
			if f, ok := e.Item.(*wit.Function); ok {
				fs = append(fs, f)
			}
		}
	}
	for _, f := range fs {
		if resourceOf(f) == td {
			out = append(out, f)
		}
	}
	return out
}

// ifaceFuncs are the functions of an interface that belong on its Go
// interface or struct: all but resource methods.
func ifaceFuncs(fs []*wit.Function) []*wit.Function {
	var out []*wit.Function
	for _, f := range fs {
		if !isMethod(f) {
			out = append(out, f)
		}
	}
	return out
}

func worldFuncs(es []wit.WorldEntry) []*wit.Function {
	var out []*wit.Function
	for _, e := range es {
		if f, ok := e.Item.(*wit.Function); ok {
			out = append(out, f)
		}
	}
	return out
}

// entryName is the name an interface is exported or imported under.
func entryName(es []wit.WorldEntry, i *wit.Interface) string {
	for _, e := range es {
		if wi, ok := e.Item.(*wit.WorldInterface); ok && wi.Interface == i {
			if e.Key.Interface != nil {
				return i.QualifiedName()
			}
			return e.Key.Name
		}
	}
	return i.QualifiedName()
}
