package bindgen

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/dave/jennifer/jen"
	"github.com/witc-dev/witc/canonabi"
	"github.com/witc-dev/witc/wit"
)

var primitiveGo = map[wit.Primitive]string{
	wit.Bool: "bool", wit.U8: "uint8", wit.U16: "uint16", wit.U32: "uint32", wit.U64: "uint64",
	wit.S8: "int8", wit.S16: "int16", wit.S32: "int32", wit.S64: "int64",
	wit.F32: "float32", wit.F64: "float64", wit.Char: "rune", wit.String: "string",
}

// goType is the Go type of a WIT type.
func (g *gen) goType(t wit.Type) jen.Code {
	switch t := wit.Resolved(t).(type) {
	case wit.Primitive:
		if t == wit.ErrorContext {
			return jen.Qual(hostPkg, "ErrorContext")
		}
		return jen.Id(primitiveGo[t])
	case *wit.TypeDef:
		if name, ok := g.names[t]; ok {
			return jen.Id(name)
		}
		if g.spelled(t) > maxSpelled {
			return jen.Id(g.alias(t))
		}
		return g.structural(t)
	}
	panic(fmt.Sprintf("bindgen: unexpected type %T", t))
}

// maxSpelled bounds the Go spelling of an anonymous type, in types named
// (Tuple2[Tuple2[uint32, uint32], []byte] names six); a longer one is
// declared once as an alias. The spelling of a type whose parts share
// parts doubles with each level.
const maxSpelled = 32

// spelled is the number of types the Go spelling of anonymous type t
// names, with its parts longer than maxSpelled written as their aliases.
func (g *gen) spelled(t *wit.TypeDef) int {
	if n, ok := g.spells[t]; ok {
		return n
	}
	n := 1
	for _, c := range t.Children() {
		switch c := wit.Resolved(c).(type) {
		case *wit.TypeDef:
			if _, named := g.names[c]; !named {
				if m := g.spelled(c); m <= maxSpelled {
					n += m
					continue
				}
			}
		}
		n++
	}
	g.spells[t] = n
	return n
}

// alias returns the name of the Go alias that stands for anonymous type t,
// declaring it on first use.
func (g *gen) alias(t *wit.TypeDef) string {
	if name, ok := g.aliases[t]; ok {
		return name
	}
	name := fmt.Sprintf("Anon%d", len(g.aliases)+1)
	for i := 2; g.taken[name]; i++ {
		name = fmt.Sprintf("Anon%d_%d", len(g.aliases)+1, i)
	}
	g.taken[name] = true
	g.aliases[t] = name
	g.decl(jen.Comment(name+" stands for an anonymous WIT type whose Go type is too long to spell out."),
		jen.Type().Id(name).Op("=").Add(g.structural(t)))
	return name
}

// structural is the Go type of an anonymous type definition.
func (g *gen) structural(t *wit.TypeDef) jen.Code {
	switch k := t.Kind.(type) {
	case *wit.List:
		if k.Elem == wit.U8 {
			return jen.Index().Byte()
		}
		return jen.Index().Add(g.goType(k.Elem))
	case *wit.FixedList:
		return jen.Index(jen.Lit(int(k.Len))).Add(g.goType(k.Elem))
	case *wit.Map:
		return jen.Map(g.goType(k.Key)).Add(g.goType(k.Value))
	case *wit.Option:
		return jen.Op("*").Add(g.goType(k.Type))
	case *wit.Result:
		g.result = true
		return jen.Id("Result").Types(g.goTypeOrUnit(k.OK), g.goTypeOrUnit(k.Err))
	case *wit.Tuple:
		g.tuples[len(k.Types)] = true
		var ts []jen.Code
		for _, e := range k.Types {
			ts = append(ts, g.goType(e))
		}
		return jen.Id(fmt.Sprintf("Tuple%d", len(k.Types))).Types(ts...)
	case *wit.Stream, *wit.Future:
		return g.asyncGoType(t)
	case *wit.Handle:
		res := wit.Resolved(k.Resource).(*wit.TypeDef)
		switch g.sides[res] {
		case guestSide:
			return jen.Op("*").Id(g.names[res])
		case hostSide:
			return jen.Id(g.names[res])
		default:
			return jen.Qual(hostPkg, "Resource")
		}
	}
	g.unsupported(fmt.Sprintf("the type %T", t.Kind))
	return nil
}

func (g *gen) goTypeOrUnit(t wit.Type) jen.Code {
	if t == nil {
		return jen.Struct()
	}
	return g.goType(t)
}

// sortedNamed lists the named types in a stable order: by interface,
// then definition.
func (g *gen) sortedNamed() []*wit.TypeDef {
	var out []*wit.TypeDef
	seen := map[*wit.TypeDef]bool{}
	add := func(td *wit.TypeDef) {
		if seen[td] {
			return
		}
		seen[td] = true
		if _, ok := g.names[td]; ok {
			out = append(out, td)
		}
	}
	for _, i := range slices.Concat(g.imported, g.exported) {
		for _, td := range i.Types {
			add(td)
		}
	}
	for _, e := range g.w.Imports {
		if td, ok := e.Item.(*wit.TypeDef); ok {
			add(td)
		}
	}
	return out
}

// typeDecls declares the Go type of every named WIT type.
func (g *gen) typeDecls() {
	for _, td := range g.sortedNamed() {
		name := g.names[td]
		g.item = "type `" + td.Name + "`"
		switch k := td.Kind.(type) {
		case *wit.Record:
			var fields []jen.Code
			for _, f := range k.Fields {
				fields = append(fields, docs(exported(f.Name), f.Docs, ""), jen.Id(exported(f.Name)).Add(g.goType(f.Type)))
			}
			g.decl(docs(name, td.Docs, "is the WIT record `"+td.Name+"`."), jen.Type().Id(name).Struct(fields...))
		case *wit.Enum:
			under := primitiveGo[canonabi.Discriminant(len(k.Cases))]
			g.decl(docs(name, td.Docs, "is the WIT enum `"+td.Name+"`."), jen.Type().Id(name).Id(under))
			var consts []jen.Code
			var names []jen.Code
			for i, c := range k.Cases {
				cn := g.cases[td][i]
				consts = append(consts, docs(cn, c.Docs, ""), jen.Id(cn).Id(name).Op("=").Lit(i))
				names = append(names, jen.Lit(c.Name))
			}
			g.decl(jen.Const().Defs(consts...))
			g.decl(jen.Comment("String returns the WIT name of the case."),
				jen.Func().Params(jen.Id("v").Id(name)).Id("String").Params().String().Block(
					jen.Id("names").Op(":=").Index(jen.Op("...")).String().Values(names...),
					jen.If(jen.Int().Call(jen.Id("v")).Op("<").Len(jen.Id("names"))).Block(jen.Return(jen.Id("names").Index(jen.Id("v")))),
					jen.Return(jen.Qual("fmt", "Sprintf").Call(jen.Lit(td.Name+"(%d)"), jen.Id("v"))),
				))
		case *wit.Flags:
			under := flagsGo(len(k.Flags))
			g.decl(docs(name, td.Docs, "is the WIT flags `"+td.Name+"`: a set of bits."), jen.Type().Id(name).Id(under))
			var consts []jen.Code
			var names []jen.Code
			for i, f := range k.Flags {
				cn := g.cases[td][i]
				consts = append(consts, docs(cn, f.Docs, ""), jen.Id(cn).Id(name).Op("=").Lit(1).Op("<<").Lit(i))
				names = append(names, jen.Lit(f.Name))
			}
			if len(consts) > 0 {
				g.decl(jen.Const().Defs(consts...))
			}
			g.decl(jen.Comment("Has reports whether every flag of f is set."),
				jen.Func().Params(jen.Id("v").Id(name)).Id("Has").Params(jen.Id("f").Id(name)).Bool().Block(
					jen.Return(jen.Id("v").Op("&").Id("f").Op("==").Id("f"))))
			g.decl(jen.Comment("String lists the flags that are set, as WIT names separated by `|`."),
				jen.Func().Params(jen.Id("v").Id(name)).Id("String").Params().String().Block(
					jen.Id("names").Op(":=").Index(jen.Op("...")).String().Values(names...),
					jen.Var().Id("out").Index().String(),
					jen.For(jen.List(jen.Id("i"), jen.Id("n")).Op(":=").Range().Id("names")).Block(
						jen.If(jen.Id("v").Op("&").Parens(jen.Lit(1).Op("<<").Id("i")).Op("!=").Lit(0)).Block(
							jen.Id("out").Op("=").Append(jen.Id("out"), jen.Id("n")))),
					jen.Return(jen.Qual("strings", "Join").Call(jen.Id("out"), jen.Lit("|"))),
				))
		case *wit.Variant:
			marker := "is" + name
			g.decl(docs(name, td.Docs, "is the WIT variant `"+td.Name+"`: one of the types "+strings.Join(g.cases[td], ", ")+"."),
				jen.Type().Id(name).Interface(jen.Id(marker).Params()))
			for i, c := range k.Cases {
				cn := g.cases[td][i]
				var fields []jen.Code
				if c.Type != nil {
					fields = append(fields, jen.Id("Value").Add(g.goType(c.Type)))
				}
				g.decl(docs(cn, c.Docs, "is the case `"+c.Name+"` of "+name+"."), jen.Type().Id(cn).Struct(fields...))
				g.decl(jen.Func().Params(jen.Id(cn)).Id(marker).Params().Block())
			}
		case *wit.Resource:
			g.resourceDecl(td, name)
		default:
			// list, option, result, tuple, handle… under a name: a Go alias.
			g.decl(docs(name, td.Docs, "is the WIT type `"+td.Name+"`."), jen.Type().Id(name).Op("=").Add(g.structural(td)))
		}
	}
}

func flagsGo(n int) string {
	switch {
	case n <= 8:
		return "uint8"
	case n <= 16:
		return "uint16"
	case n <= 32:
		return "uint32"
	}
	return "uint64"
}

func (g *gen) decl(cs ...jen.Code) {
	s := jen.Null()
	for i, c := range cs {
		if i > 0 {
			s.Line()
		}
		s.Add(c)
	}
	g.decls = append(g.decls, s)
}

// genericDecls declares the generic types that anonymous results and
// tuples use.
func (g *gen) genericDecls() {
	if g.result {
		g.decl(jen.Comment("Result is a WIT result<T, E>: OK holds the value when IsErr is false, Err when it is true.\n"+
			"A result without a value or error type uses struct{}."),
			jen.Type().Id("Result").Types(jen.Id("T").Any(), jen.Id("E").Any()).Struct(
				jen.Id("OK").Id("T"), jen.Id("Err").Id("E"), jen.Id("IsErr").Bool()))
		g.decl(jen.Comment("OK returns a successful result."),
			jen.Func().Id("OK").Types(jen.Id("T").Any(), jen.Id("E").Any()).Params(jen.Id("v").Id("T")).Id("Result").Types(jen.Id("T"), jen.Id("E")).Block(
				jen.Return(jen.Id("Result").Types(jen.Id("T"), jen.Id("E")).Values(jen.Id("OK").Op(":").Id("v")))))
		g.decl(jen.Comment("Err returns a failed result."),
			jen.Func().Id("Err").Types(jen.Id("T").Any(), jen.Id("E").Any()).Params(jen.Id("e").Id("E")).Id("Result").Types(jen.Id("T"), jen.Id("E")).Block(
				jen.Return(jen.Id("Result").Types(jen.Id("T"), jen.Id("E")).Values(jen.Id("Err").Op(":").Id("e"), jen.Id("IsErr").Op(":").True()))))
	}
	for _, n := range slices.Sorted(maps.Keys(g.tuples)) {
		var params, fields []jen.Code
		for i := 0; i < n; i++ {
			params = append(params, jen.Id(fmt.Sprintf("T%d", i)).Any())
			fields = append(fields, jen.Id(fmt.Sprintf("F%d", i)).Id(fmt.Sprintf("T%d", i)))
		}
		g.decl(jen.Comment(fmt.Sprintf("Tuple%d is a WIT tuple of %d values.", n, n)),
			jen.Type().Id(fmt.Sprintf("Tuple%d", n)).Types(params...).Struct(fields...))
	}
}
