package bindgen

import (
	"fmt"
	"strings"

	"github.com/dave/jennifer/jen"
	"github.com/witc-dev/witc/canonabi"
	"github.com/witc-dev/witc/wit"
)

// exportIface is an exported interface and the Go names of its struct and
// its functions.
type exportIface struct {
	i     *wit.Interface
	name  string // Go struct and accessor
	field string // field of Instance
	wit   string // export name
}

// importIface is an imported interface the host implements.
type importIface struct {
	i     *wit.Interface // nil: the world's own imported functions
	name  string         // Go interface and field of Imports
	wit   string         // import name ("" for world functions)
	funcs []*wit.Function
	names map[*wit.Function]string
}

func (g *gen) instance() {
	var fields []jen.Code
	var exps []*exportIface
	instMethods := methodSet{"Component": true}
	for _, i := range g.exported {
		base := exported(localName(g.w.Exports, i))
		if g.dual[i] {
			base += "Export" // the imported side is the Go interface of that name
		}
		name := instMethods.name(g.uniqueTop(base))
		e := &exportIface{i: i, name: name, field: "x" + name, wit: entryName(g.w.Exports, i)}
		exps = append(exps, e)
		fields = append(fields, jen.Id(e.field).Op("*").Id(name))
	}
	worldExports := map[*wit.Function]string{}
	for _, f := range worldFuncs(g.w.Exports) {
		n := instMethods.name(exported(f.Name))
		worldExports[f] = n
		fields = append(fields, jen.Id("f"+n).Op("*").Qual(hostPkg, "Func"))
	}
	var imps []*importIface
	var hostRes []*wit.TypeDef
	for _, i := range g.imported {
		if isWASI(i) {
			continue
		}
		if len(i.Functions) > 0 {
			imp := &importIface{i: i, name: g.uniqueTop(exported(localName(g.w.Imports, i))), wit: entryName(g.w.Imports, i), names: map[*wit.Function]string{}}
			imp.funcs = i.Functions
			imps = append(imps, imp)
		}
		for _, td := range i.Types {
			if td.Owner.Interface == i && g.sides[td] == hostSide {
				hostRes = append(hostRes, td)
			}
		}
	}
	if fs := worldFuncs(g.w.Imports); len(fs) > 0 {
		imps = append(imps, &importIface{name: g.uniqueTop("Funcs"), funcs: fs, names: map[*wit.Function]string{}})
	}
	for _, e := range g.w.Imports {
		if td, ok := e.Item.(*wit.TypeDef); ok && g.sides[td] == hostSide && td.Owner.World == g.w {
			hostRes = append(hostRes, td)
		}
	}
	for _, td := range hostRes {
		n := g.names[td]
		fields = append(fields, jen.Id("rt"+n).Op("*").Qual(hostPkg, "ResourceType"), jen.Id("tab"+n).Qual(hostPkg, "Table").Types(jen.Id(n)))
	}

	// Imports: one Go interface per imported interface.
	var impFields []jen.Code
	for _, imp := range imps {
		var methods []jen.Code
		ms := methodSet{}
		for _, f := range ifaceFuncs(imp.funcs) {
			g.item = "function `" + f.Name + "`"
			n := ms.name(g.funcName(f))
			imp.names[f] = n
			methods = append(methods, g.importDocs(n, f), jen.Id(n).Params(g.params(f)...).Add(g.results(f, false)))
		}
		what := "the functions the world imports"
		if imp.i != nil {
			what = "the imported interface `" + imp.wit + "`"
		}
		g.decl(docs(imp.name, wit.Docs{}, "is implemented by the host: "+what+"."), jen.Type().Id(imp.name).Interface(methods...))
		impFields = append(impFields, jen.Id(imp.name).Id(imp.name))
	}
	g.decl(jen.Comment("Imports are the host's implementations of the world's imports. An import left nil traps when the component calls it."),
		jen.Type().Id("Imports").Struct(impFields...))

	if len(hostRes) > 0 {
		fields = append(fields, jen.Id("lent").Index().Func().Params())
		g.decl(jen.Comment("releaseLent takes the host resources lent to the component for a call out of their tables."),
			jen.Func().Params(jen.Id(vIn).Op("*").Id("Instance")).Id("releaseLent").Params().Block(
				jen.For(jen.List(jen.Id("_"), jen.Id("release")).Op(":=").Range().Id(vIn).Dot("lent")).Block(jen.Id("release").Call()),
				jen.Id(vIn).Dot("lent").Op("=").Id(vIn).Dot("lent").Index(jen.Op(":").Lit(0))))
	}
	fields = append([]jen.Code{jen.Id("inst").Op("*").Qual(hostPkg, "Instance"), jen.Id("imp").Id("Imports")}, fields...)
	g.decl(jen.Comment("Instance is an instance of a component that targets the world `"+g.w.QualifiedName()+"`."),
		jen.Type().Id("Instance").Struct(fields...))
	g.decl(jen.Comment("Component returns the instance for the dynamic API of package host."),
		jen.Func().Params(jen.Id(vIn).Op("*").Id("Instance")).Id("Component").Params().Op("*").Qual(hostPkg, "Instance").Block(jen.Return(jen.Id(vIn).Dot("inst"))))

	// Exports.
	var lookups []jen.Code
	lookup := func(dst *jen.Statement, path string, f *wit.Function) {
		lookups = append(lookups,
			jen.If(jen.List(dst, jen.Id("err")).Op("=").Id("inst").Dot("Func").Call(jen.Lit(path)), jen.Id("err").Op("!=").Nil()).Block(
				jen.Return(jen.Nil(), jen.Id("err"))),
			jen.If(jen.Id("err").Op(":=").Add(dst.Clone()).Dot("Check").Call(jen.Lit(canonabi.Shape(f))), jen.Id("err").Op("!=").Nil()).Block(
				jen.Return(jen.Nil(), jen.Id("err"))))
	}
	for _, e := range exps {
		var efields []jen.Code
		ms := methodSet{}
		mark := len(g.decls)
		lookups = append(lookups, jen.Id(vIn).Dot(e.field).Op("=").Op("&").Id(e.name).Values(jen.Id("in").Op(":").Id(vIn)))
		for _, f := range e.i.Functions {
			field := funcField(f)
			efields = append(efields, jen.Id(field).Op("*").Qual(hostPkg, "Func"))
			lookup(jen.Id(vIn).Dot(e.field).Dot(field), e.wit+"#"+f.Name, f)
			g.item = "function `" + f.Name + "` of " + ifaceLabel(e.i)
			fn := jen.Id(vRecv).Dot(field)
			if isMethod(f) {
				continue
			}
			n := ms.name(g.funcName(f))
			g.decl(exportDocs(n, f, "calls `"+f.Name+"` of `"+e.wit+"`."),
				jen.Func().Params(jen.Id(vRecv).Op("*").Id(e.name)).Id(n).Params(g.params(f)...).Add(g.results(f, true)).Block(
					g.exportBodyOf(f, fn, jen.Id(vRecv).Dot("in"), nil)...))
		}
		methods := append([]jen.Code(nil), g.decls[mark:]...)
		g.decls = g.decls[:mark]
		g.decl(jen.Comment(e.name+" calls the functions of the exported interface `"+e.wit+"`."),
			jen.Type().Id(e.name).Struct(append([]jen.Code{jen.Id("in").Op("*").Id("Instance")}, efields...)...))
		g.decl(jen.Comment(e.name+" returns the exported interface `"+e.wit+"`."),
			jen.Func().Params(jen.Id(vIn).Op("*").Id("Instance")).Id(e.name).Params().Op("*").Id(e.name).Block(jen.Return(jen.Id(vIn).Dot(e.field))))
		g.decls = append(g.decls, methods...)
		// Methods of the interface's resources.
		for _, td := range e.i.Types {
			if td.Owner.Interface != e.i || g.sides[td] != guestSide {
				continue
			}
			rms := methodSet{"Close": true, "Handle": true, "own": true, "borrow": true}
			for _, f := range g.resourceFuncs(td) {
				if !isMethod(f) {
					continue
				}
				g.item = "function `" + f.Name + "` of " + ifaceLabel(e.i)
				n := rms.name(g.funcName(f))
				fn := jen.Id(vRecv).Dot("in").Dot(e.field).Dot(funcField(f))
				g.decl(exportDocs(n, f, "calls `"+f.Name+"` of `"+e.wit+"`."),
					jen.Func().Params(jen.Id(vRecv).Op("*").Id(g.names[td])).Id(n).Params(g.params(f)...).Add(g.results(f, true)).Block(
						g.exportBodyOf(f, fn, jen.Id(vRecv).Dot("in"), jen.Id(vRecv))...))
			}
		}
	}
	for _, f := range worldFuncs(g.w.Exports) {
		n := worldExports[f]
		g.item = "function `" + f.Name + "`"
		lookup(jen.Id(vIn).Dot("f"+n), f.Name, f)
		g.decl(exportDocs(n, f, "calls the exported function `"+f.Name+"`."),
			jen.Func().Params(jen.Id(vIn).Op("*").Id("Instance")).Id(n).Params(g.params(f)...).Add(g.results(f, true)).Block(
				g.exportBodyOf(f, jen.Id(vIn).Dot("f"+n), nil, nil)...))
	}

	// Linking the imports.
	var link []jen.Code
	for _, td := range hostRes {
		n := g.names[td]
		iface := ""
		if td.Owner.Interface != nil {
			iface = entryName(g.w.Imports, td.Owner.Interface)
		}
		link = append(link, jen.Id(vIn).Dot("rt"+n).Op("=").Id("l").Dot("Resource").Call(jen.Lit(iface), jen.Lit(td.Name),
			jen.Func().Params(jen.Id("rep").Uint32()).Block(
				jen.If(jen.List(jen.Id("v"), jen.Id("ok")).Op(":=").Id(vIn).Dot("tab"+n).Dot("Remove").Call(jen.Id("rep")), jen.Id("ok")).Block(
					jen.If(jen.List(jen.Id("d"), jen.Id("ok")).Op(":=").Id("v").Assert(jen.Interface(jen.Id("Drop").Params())), jen.Id("ok")).Block(
						jen.Id("d").Dot("Drop").Call())))))
	}
	var typed []jen.Code
	for _, imp := range imps {
		var regs, dyns []jen.Code
		for _, f := range imp.funcs {
			g.item = "function `" + f.Name + "`"
			impl := jen.Id(vIn).Dot("imp").Dot(imp.name)
			var call func(args []jen.Code) jen.Code
			if isMethod(f) {
				n := g.funcName(f)
				call = func(args []jen.Code) jen.Code {
					return jen.Id("a0").Dot(n).Call(append([]jen.Code{jen.Id("ctx")}, args[1:]...)...)
				}
			} else {
				n := imp.names[f]
				call = func(args []jen.Code) jen.Code {
					return impl.Clone().Dot(n).Call(append([]jen.Code{jen.Id("ctx")}, args...)...)
				}
			}
			if g.dynamic(f) {
				dyns = append(dyns, g.dynImport(imp.wit, f, call))
				continue
			}
			regs = append(regs, jen.Id("l").Dot("FlatFunc").Call(jen.Lit(imp.wit), jen.Lit(f.Name), jen.Lit(canonabi.Shape(f)),
				jen.Func().Params(ctxParam.Clone(), cxParam(), jen.Id("stack").Index().Uint64()).Error().Block(g.importBody(f, call)...)))
		}
		if len(regs) > 0 {
			link = append(link, jen.If(jen.Id(vIn).Dot("imp").Dot(imp.name).Op("!=").Nil()).Block(regs...))
		}
		if len(dyns) > 0 {
			typed = append(typed, jen.If(jen.Id(vIn).Dot("imp").Dot(imp.name).Op("!=").Nil()).Block(dyns...))
		}
	}
	if len(typed) > 0 {
		g.decl(jen.Comment("linkTyped registers the host's implementations that go through the dynamic API (async functions, streams, futures, error-contexts) with l, with the types the component imports them with."),
			jen.Func().Params(jen.Id(vIn).Op("*").Id("Instance")).Id("linkTyped").Params(jen.Id("l").Op("*").Qual(hostPkg, "Linker"), jen.Id("it").Op("*").Qual(hostPkg, "ImportedTypes")).Error().Block(
				append(typed, jen.Return(jen.Nil()))...))
	}
	g.decl(jen.Comment("link registers the host's implementations with l."),
		jen.Func().Params(jen.Id(vIn).Op("*").Id("Instance")).Id("link").Params(jen.Id("l").Op("*").Qual(hostPkg, "Linker")).Block(link...))

	// Components built by today's toolchains import WASI even when their
	// world does not (the preview1 adapter, language runtimes), so a
	// default linker serves it.
	newLinker := []jen.Code{
		jen.Id("l").Op("=").Qual(hostPkg, "NewLinker").Call(),
		jen.If(jen.Id("err").Op(":=").Qual(wasiPkg, "Register").Call(jen.Id("l"), jen.Qual(wasiPkg, "Config").Values()), jen.Id("err").Op("!=").Nil()).Block(
			jen.Return(jen.Nil(), jen.Id("err"))),
	}
	doc := "Instantiate instantiates a component that targets the world `" + g.w.QualifiedName() + "` on rt. The world's imports are served by imp and then by l, where more host interfaces can be registered (WASI with package wasi). A nil l is a new linker with WASI registered: no arguments, environment, standard streams or directories"
	instantiate := jen.List(jen.Id("inst"), jen.Id("err")).Op(":=").Id("rt").Dot("Instantiate").Call(jen.Id("ctx"), jen.Id("l"), jen.Id("wasm"))
	if len(typed) > 0 {
		instantiate = jen.List(jen.Id("inst"), jen.Id("err")).Op(":=").Id("rt").Dot("InstantiateTyped").Call(jen.Id("ctx"), jen.Id("l"), jen.Id("wasm"),
			jen.Func().Params(jen.Id("it").Op("*").Qual(hostPkg, "ImportedTypes")).Error().Block(jen.Return(jen.Id(vIn).Dot("linkTyped").Call(jen.Id("l"), jen.Id("it")))))
	}
	body := append([]jen.Code{jen.If(jen.Id("l").Op("==").Nil()).Block(newLinker...),
		jen.Id(vIn).Op(":=").Op("&").Id("Instance").Values(jen.Id("imp").Op(":").Id("imp")),
		jen.Id(vIn).Dot("link").Call(jen.Id("l")),
		instantiate,
		jen.If(jen.Id("err").Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Id("err"))),
		jen.Id(vIn).Dot("inst").Op("=").Id("inst"),
	}, lookups...)
	body = append(body, jen.Return(jen.Id(vIn), jen.Nil()))
	g.decl(jen.Comment(doc+"."),
		jen.Func().Id("Instantiate").Params(ctxParam.Clone(), jen.Id("rt").Op("*").Qual(hostPkg, "Runtime"), jen.Id("l").Op("*").Qual(hostPkg, "Linker"),
			jen.Id("wasm").Index().Byte(), jen.Id("imp").Id("Imports")).Params(jen.Op("*").Id("Instance"), jen.Error()).Block(body...))
}

// uniqueTop reserves a top-level Go name.
func (g *gen) uniqueTop(n string) string {
	out := n
	for i := 2; g.taken[out]; i++ {
		out = fmt.Sprintf("%s%d", n, i)
	}
	g.taken[out] = true
	return out
}

// funcField is the field holding an exported function: `[method]r.m` →
// fMethodRM.
func funcField(f *wit.Function) string {
	return "f" + exported(strings.NewReplacer("[", "", "]", "-", ".", "-").Replace(f.Name))
}

// localName is an interface's own name, or the name a world gives an
// inline interface.
func localName(es []wit.WorldEntry, i *wit.Interface) string {
	if i.Name != "" {
		return i.Name
	}
	return entryName(es, i)
}
