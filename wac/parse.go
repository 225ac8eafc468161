package wac

import (
	"errors"
	"fmt"
	"io"
	"sort"
	"sync"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
	"github.com/witc-dev/witc/diag"
	"github.com/witc-dev/witc/wit"
)

// grammar is built on first use; participle parsers are safe for
// concurrent use.
var grammar = sync.OnceValue(func() *participle.Parser[gDocument] {
	return participle.MustBuild[gDocument](
		participle.Lexer(definition{}),
		participle.UseLookahead(0), // every alternative starts with its own token
	)
})

// maxDepth bounds how deeply brackets may nest, so that the recursive
// descent never runs out of stack on hostile input.
const maxDepth = 200

// Parse parses the WAC document src, read from path (the name diagnostics
// show). It returns the tree, or nil and the diagnostics as a [diag.List].
func Parse(path string, src []byte) (*Document, error) {
	var r diag.Report
	d := ParseFile(diag.NewFile(path, src), &r)
	if err := r.Err(); err != nil {
		return nil, err
	}
	return d, nil
}

// ParseFile parses one WAC document. It always returns a tree (with no
// statements when nothing could be parsed) and reports every error it finds
// to r: the first syntax error, or, when the syntax is right, every
// invalid version and every empty record, variant, flags or enum.
func ParseFile(f *diag.File, r *diag.Report) *Document {
	out := &Document{Source: f}
	lx, ok := lex(f, r)
	if !ok {
		return out
	}
	toks := lx.tokens
	cut := depthLimit(toks)
	if cut >= 0 {
		toks = append(toks[:cut:cut], lexer.Token{Type: tokEOF, Pos: lx.tokens[cut].Pos})
	}
	g, err := grammar().ParseFromLexer(mustUpgrade(&sliceLexer{toks: toks}))
	if cut >= 0 && (err == nil || errorOffset(err) >= lx.tokens[cut].Pos.Offset) {
		off := lx.tokens[cut].Pos.Offset
		r.Errorf(diag.TooDeep, f.Span(off, lx.ends[cut]), "brackets nested too deeply (more than %d)", maxDepth)
		return out
	}
	l := &lowerer{f: f, r: r, lx: lx}
	if err != nil {
		l.syntaxError(err)
		return out
	}
	l.document(g, out)
	return out
}

func mustUpgrade(l lexer.Lexer) *lexer.PeekingLexer {
	p, err := lexer.Upgrade(l)
	if err != nil {
		panic(err) // sliceLexer never fails
	}
	return p
}

// depthLimit returns the index of the first token nested more than
// maxDepth brackets deep, or -1.
func depthLimit(toks []lexer.Token) int {
	depth := 0
	for i, t := range toks {
		if t.Type != tokPunct {
			continue
		}
		switch t.Value {
		case "(", "[", "{", "<":
			depth++
			if depth > maxDepth {
				return i
			}
		case ")", "]", "}", ">":
			if depth > 0 {
				depth--
			}
		}
	}
	return -1
}

// definition tells participle the token types; ParseFile hands it tokens
// lexed by lex, so Lex is only used by participle's own tooling.
type definition struct{}

func (definition) Symbols() map[string]lexer.TokenType { return symbols }

func (definition) Lex(filename string, r io.Reader) (lexer.Lexer, error) {
	src, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	var rep diag.Report
	lx, ok := lex(diag.NewFile(filename, src), &rep)
	if !ok {
		return nil, rep.Err()
	}
	return &sliceLexer{toks: lx.tokens}, nil
}

type sliceLexer struct {
	toks []lexer.Token
	i    int
}

func (s *sliceLexer) Next() (lexer.Token, error) {
	if s.i >= len(s.toks) {
		return s.toks[len(s.toks)-1], nil
	}
	t := s.toks[s.i]
	s.i++
	return t, nil
}

// errorOffset is the byte offset at which participle reports err.
func errorOffset(err error) int {
	var ute *participle.UnexpectedTokenError
	if errors.As(err, &ute) {
		return ute.Unexpected.Pos.Offset
	}
	var pe participle.Error
	if errors.As(err, &pe) {
		return pe.Position().Offset
	}
	return 0
}

type lowerer struct {
	f  *diag.File
	r  *diag.Report
	lx *lexed
}

// index returns the index of the token that starts at off, or of the first
// one after it.
func (l *lowerer) index(off int) int {
	return sort.Search(len(l.lx.tokens), func(i int) bool { return l.lx.tokens[i].Pos.Offset >= off })
}

// tokSpan returns the span of token t.
func (l *lowerer) tokSpan(t lexer.Token) diag.Span {
	i := l.index(t.Pos.Offset)
	end := t.Pos.Offset
	if i < len(l.lx.ends) {
		end = l.lx.ends[i]
	}
	return l.f.Span(t.Pos.Offset, end)
}

// span returns the span from pos to the end of the last token before
// endPos (participle's EndPos is where the next token starts).
func (l *lowerer) span(pos, endPos lexer.Position) diag.Span {
	end := pos.Offset
	if i := l.index(endPos.Offset); i > 0 && l.lx.ends[i-1] > end {
		end = l.lx.ends[i-1]
	}
	return l.f.Span(pos.Offset, end)
}

func (l *lowerer) docs(pos lexer.Position) Docs { return l.lx.docs[pos.Offset] }

func present(t lexer.Token) bool { return t.Type != 0 }

func (l *lowerer) ident(t lexer.Token) Ident {
	if !present(t) {
		return Ident{}
	}
	return Ident{Span: l.tokSpan(t), Name: t.Value}
}

func (l *lowerer) idents(ts []lexer.Token) []Ident {
	out := make([]Ident, len(ts))
	for i, t := range ts {
		out[i] = l.ident(t)
	}
	return out
}

func (l *lowerer) str(t lexer.Token) String { return String{Span: l.tokSpan(t), Value: t.Value} }

// name lowers an `as` name or argument name: an identifier or a string.
func (l *lowerer) name(id, s lexer.Token) *Name {
	switch {
	case present(id):
		return &Name{Span: l.tokSpan(id), Value: id.Value}
	case present(s):
		return &Name{Span: l.tokSpan(s), Value: s.Value, Quoted: true}
	}
	return nil
}

func (l *lowerer) version(g *gVersion) *Version {
	if g == nil {
		return nil
	}
	v := &Version{Span: l.tokSpan(g.Tok), Text: g.Tok.Value}
	if _, err := wit.ParseVersion(v.Text); err != nil {
		l.r.Errorf(diag.InvalidVersion, v.Span, "`%s` is not a valid semantic version", v.Text)
	}
	return v
}

func (l *lowerer) packageName(g *gPackageName) PackageName {
	return PackageName{Span: l.span(g.Pos, g.EndPos), Names: append([]Ident{l.ident(g.First)}, l.idents(g.Names)...), Version: l.version(g.Version)}
}

// ref lowers `id` or a package path.
func (l *lowerer) ref(g *gRef) ItemRef {
	if len(g.Names) == 0 {
		id := l.ident(g.First)
		return &id
	}
	return &PackagePath{
		Span:     l.span(g.Pos, g.EndPos),
		Names:    append([]Ident{l.ident(g.First)}, l.idents(g.Names)...),
		Segments: l.idents(g.Segments),
		Version:  l.version(g.Version),
	}
}

func (l *lowerer) document(g *gDocument, out *Document) {
	d := g.Directive
	out.Docs = l.docs(d.Pos)
	out.Span = l.span(d.Pos, d.EndPos)
	out.Name = l.packageName(d.Name)
	if d.Targets != nil {
		if p, ok := l.ref(d.Targets).(*PackagePath); ok {
			out.Targets = p
		} else {
			// The grammar allows `targets id` only to report it here.
			t := d.Targets.EndPos.Offset
			l.r.Errorf(diag.Syntax, l.f.Span(t, t+1), "expected `:`, found %s", l.describeAt(t))
		}
	}
	for _, s := range g.Stmts {
		if st := l.statement(s); st != nil {
			out.Statements = append(out.Statements, st)
		}
	}
}

// describeAt describes the token at offset off, as syntax errors do.
func (l *lowerer) describeAt(off int) string {
	i := l.index(off)
	if i >= len(l.lx.tokens) {
		return "end of input"
	}
	return describe(l.lx.tokens[i])
}

func (l *lowerer) statement(g *gStatement) Statement {
	span, docs := l.span(g.Pos, g.EndPos), l.docs(g.Pos)
	switch {
	case g.Import != nil:
		i := g.Import
		imp := &Import{Span: span, Docs: docs, ID: l.ident(i.ID), As: l.name(i.AsID, i.AsStr)}
		switch {
		case i.Func != nil:
			imp.Type = l.funcType(i.Func)
		case i.Inline != nil:
			imp.Type = l.inline(i.Inline)
		default:
			imp.Type = l.ref(i.Ref).(ImportType)
		}
		return imp
	case g.Let != nil:
		return &Let{Span: span, Docs: docs, ID: l.ident(g.Let.ID), Expr: l.expr(g.Let.Expr)}
	case g.Export != nil:
		e := g.Export
		ex := &Export{Span: span, Docs: docs, Expr: l.expr(e.Expr), As: l.name(e.AsID, e.AsStr)}
		if present(e.Spread) {
			ex.Spread = l.tokSpan(e.Spread)
		}
		return ex
	case g.Interface != nil:
		return &InterfaceDecl{Span: span, Docs: docs, ID: l.ident(g.Interface.ID), Items: l.ifaceItems(g.Interface.Items)}
	case g.World != nil:
		w := &WorldDecl{Span: span, Docs: docs, ID: l.ident(g.World.ID)}
		for _, it := range g.World.Items {
			w.Items = append(w.Items, l.worldItem(it))
		}
		return w
	case g.Type != nil:
		return l.typeDecl(g.Type, span, docs).(Statement)
	}
	return nil
}

func (l *lowerer) expr(g *gExpr) *Expr {
	e := &Expr{Span: l.span(g.Pos, g.EndPos)}
	switch {
	case g.New != nil:
		n := &NewExpr{Span: l.span(g.Pos, g.New.EndPos), Package: l.packageName(g.New.Name)}
		for _, a := range g.New.Args {
			n.Args = append(n.Args, l.arg(a))
		}
		e.Primary = n
	case g.Nested != nil:
		e.Primary = &NestedExpr{Span: l.span(g.Nested.Pos, g.Nested.EndPos), Inner: l.expr(g.Nested.Inner)}
	default:
		id := l.ident(g.Ident)
		e.Primary = &id
	}
	for _, p := range g.Postfix {
		span := l.span(p.Pos, p.EndPos)
		if present(p.Access) {
			e.Postfix = append(e.Postfix, &AccessExpr{Span: span, ID: l.ident(p.Access)})
		} else {
			e.Postfix = append(e.Postfix, &NamedAccessExpr{Span: span, Name: l.str(p.Named)})
		}
	}
	return e
}

func (l *lowerer) arg(g *gArg) Arg {
	span := l.span(g.Pos, g.EndPos)
	switch {
	case g.Dots && present(g.Spread):
		return &SpreadArg{Span: span, ID: l.ident(g.Spread)}
	case g.Dots:
		return &FillArg{Span: span}
	case g.IdentEx != nil:
		return &NamedArg{Span: span, Name: *l.name(g.Ident, lexer.Token{}), Expr: l.expr(g.IdentEx)}
	case present(g.Ident):
		return &InferredArg{ID: l.ident(g.Ident)}
	default:
		return &NamedArg{Span: span, Name: *l.name(lexer.Token{}, g.Str), Expr: l.expr(g.StrEx)}
	}
}

func (l *lowerer) inline(g *gInline) *InlineInterface {
	return &InlineInterface{Span: l.span(g.Pos, g.EndPos), Items: l.ifaceItems(g.Items)}
}

func (l *lowerer) ifaceItems(gs []*gIfaceItem) []InterfaceItem {
	out := make([]InterfaceItem, 0, len(gs))
	for _, g := range gs {
		span, docs := l.span(g.Pos, g.EndPos), l.docs(g.Pos)
		switch {
		case g.Use != nil:
			out = append(out, l.use(g.Use, span, docs))
		case g.Resource != nil:
			out = append(out, l.resource(g.Resource, span, docs))
		case g.Type != nil:
			out = append(out, l.typeDecl(g.Type, span, docs))
		default:
			ex := &InterfaceExport{Span: span, Docs: docs, ID: l.ident(g.ID)}
			if g.Func != nil {
				ex.Type = l.funcType(g.Func)
			} else {
				id := l.ident(g.FuncRef)
				ex.Type = &id
			}
			out = append(out, ex)
		}
	}
	return out
}

func (l *lowerer) use(g *gUse, span diag.Span, docs Docs) *Use {
	u := &Use{Span: span, Docs: docs, Path: l.ref(g.Path)}
	for _, it := range g.Items {
		ui := UseItem{Span: l.span(it.Pos, it.EndPos), ID: l.ident(it.ID)}
		if present(it.As) {
			as := l.ident(it.As)
			ui.As = &as
		}
		u.Items = append(u.Items, ui)
	}
	return u
}

func (l *lowerer) worldItem(g *gWorldItem) WorldItem {
	span, docs := l.span(g.Pos, g.EndPos), l.docs(g.Pos)
	switch {
	case g.Use != nil:
		return l.use(g.Use, span, docs)
	case g.Resource != nil:
		return l.resource(g.Resource, span, docs)
	case g.Type != nil:
		return l.typeDecl(g.Type, span, docs)
	case g.Import != nil:
		return &WorldImport{Span: span, Docs: docs, Path: l.worldPath(g.Import)}
	case g.Export != nil:
		return &WorldExport{Span: span, Docs: docs, Path: l.worldPath(g.Export)}
	default:
		inc := &Include{Span: span, Docs: docs, World: l.ref(g.Include.World)}
		for _, w := range g.Include.With {
			inc.With = append(inc.With, IncludeName{Span: l.span(w.Pos, w.EndPos), ID: l.ident(w.ID), As: l.ident(w.As)})
		}
		return inc
	}
}

func (l *lowerer) worldPath(g *gWorldPath) WorldItemPath {
	first := l.ident(g.First)
	// The path ends before the `;` that ends the world item.
	end := func(n Node) diag.Span { return l.f.Span(first.Span.Start, n.Pos().End) }
	switch {
	case !g.Colon:
		return &first
	case g.Func != nil:
		ft := l.funcType(g.Func)
		return &NamedWorldItem{Span: end(ft), ID: first, Type: ft}
	case g.Inline != nil:
		in := l.inline(g.Inline)
		return &NamedWorldItem{Span: end(in), ID: first, Type: in}
	case len(g.Segments) == 0:
		second := l.ident(g.Second)
		return &NamedWorldItem{Span: end(&second), ID: first, Type: &second}
	}
	p := &PackagePath{
		Names:    append([]Ident{first, l.ident(g.Second)}, l.idents(g.Names)...),
		Segments: l.idents(g.Segments),
		Version:  l.version(g.Version),
	}
	last := p.Segments[len(p.Segments)-1].Span
	if p.Version != nil {
		last = p.Version.Span
	}
	p.Span = l.f.Span(first.Span.Start, last.End)
	return p
}

func (l *lowerer) resource(g *gResource, span diag.Span, docs Docs) *ResourceDecl {
	d := &ResourceDecl{Span: span, Docs: docs, ID: l.ident(g.ID)}
	for _, m := range g.Methods {
		rm := &ResourceMethod{Span: l.span(m.Pos, m.EndPos), Docs: l.docs(m.Pos)}
		if m.Ctor != nil {
			rm.Kind = Constructor
			rm.Func = &FuncType{Span: l.span(m.Pos, m.Ctor.EndPos), Params: l.namedTypes(m.Ctor.Params)}
		} else {
			rm.Kind = Method
			if m.Static {
				rm.Kind = Static
			}
			rm.ID = l.ident(m.ID)
			rm.Func = l.funcType(m.Func)
		}
		d.Methods = append(d.Methods, rm)
	}
	return d
}

func (l *lowerer) typeDecl(g *gTypeDecl, span diag.Span, docs Docs) TypeDecl {
	empty := func(close lexer.Token, what string) {
		l.r.Errorf(diag.EmptyType, l.tokSpan(close), "%s", what)
	}
	switch {
	case g.Variant != nil:
		d := &VariantDecl{Span: span, Docs: docs, ID: l.ident(g.Variant.ID)}
		for _, c := range g.Variant.Cases {
			vc := VariantCase{Span: l.span(c.Pos, c.EndPos), Docs: l.docs(c.Pos), ID: l.ident(c.ID)}
			if c.Type != nil {
				vc.Type = l.typ(c.Type)
			}
			d.Cases = append(d.Cases, vc)
		}
		if len(d.Cases) == 0 {
			empty(g.Variant.Close, "variant must contain at least one case")
		}
		return d
	case g.Record != nil:
		d := &RecordDecl{Span: span, Docs: docs, ID: l.ident(g.Record.ID)}
		for _, f := range g.Record.Fields {
			nt := l.namedType(f)
			d.Fields = append(d.Fields, Field{Span: nt.Span, Docs: l.docs(f.Pos), ID: nt.ID, Type: nt.Type})
		}
		if len(d.Fields) == 0 {
			empty(g.Record.Close, "record must contain at least one field")
		}
		return d
	case g.Flags != nil:
		d := &FlagsDecl{Span: span, Docs: docs, ID: l.ident(g.Flags.ID), Flags: l.labels(g.Flags.Flags)}
		if len(d.Flags) == 0 {
			empty(g.Flags.Close, "flags must contain at least one flag")
		}
		return d
	case g.Enum != nil:
		d := &EnumDecl{Span: span, Docs: docs, ID: l.ident(g.Enum.ID), Cases: l.labels(g.Enum.Cases)}
		if len(d.Cases) == 0 {
			empty(g.Enum.Close, "enum must contain at least one case")
		}
		return d
	default:
		a := &TypeAlias{Span: span, Docs: docs, ID: l.ident(g.Alias.ID)}
		if g.Alias.Func != nil {
			a.Func = l.funcType(g.Alias.Func)
		} else {
			a.Type = l.typ(g.Alias.Type)
		}
		return a
	}
}

func (l *lowerer) labels(gs []*gLabel) []Label {
	out := make([]Label, len(gs))
	for i, g := range gs {
		id := l.ident(g.ID)
		out[i] = Label{Span: id.Span, Docs: l.docs(g.ID.Pos), ID: id}
	}
	return out
}

func (l *lowerer) namedType(g *gNamedType) NamedType {
	return NamedType{Span: l.span(g.Pos, g.EndPos), ID: l.ident(g.ID), Type: l.typ(g.Type)}
}

func (l *lowerer) namedTypes(gs []*gNamedType) []NamedType {
	out := make([]NamedType, len(gs))
	for i, g := range gs {
		out[i] = l.namedType(g)
	}
	return out
}

// funcType lowers what follows `func`; its span starts at the keyword.
func (l *lowerer) funcType(g *gFuncType) *FuncType {
	i := l.index(g.Pos.Offset)
	start := g.Pos
	if i > 0 {
		start = l.lx.tokens[i-1].Pos // the `func` keyword
	}
	ft := &FuncType{Span: l.span(start, g.EndPos), Params: l.namedTypes(g.Params)}
	switch {
	case g.Results != nil:
		ft.Results = l.namedTypes(g.Results)
	case g.Result != nil:
		ft.Result = l.typ(g.Result)
	}
	return ft
}

var primitives = map[string]Primitive{
	"u8": U8, "s8": S8, "u16": U16, "s16": S16, "u32": U32, "s32": S32, "u64": U64, "s64": S64,
	"f32": F32, "f64": F64, "char": Char, "bool": Bool, "string": StringType,
}

func (l *lowerer) typ(g *gType) Type {
	span := l.span(g.Pos, g.EndPos)
	switch {
	case present(g.Primitive):
		return &PrimitiveType{Span: span, Kind: primitives[g.Primitive.Value]}
	case g.Tuple != nil:
		t := &TupleType{Span: span}
		for _, e := range g.Tuple {
			t.Types = append(t.Types, l.typ(e))
		}
		return t
	case g.List != nil:
		return &ListType{Span: span, Elem: l.typ(g.List)}
	case g.Option != nil:
		return &OptionType{Span: span, Elem: l.typ(g.Option)}
	case g.Result != nil:
		t := &ResultType{Span: span}
		switch r := g.Result; {
		case r.NoOK && r.Err0 != nil:
			t.Err = l.typ(r.Err0)
		case r.OK != nil:
			t.Ok = l.typ(r.OK)
			if r.Err != nil {
				t.Err = l.typ(r.Err)
			}
		}
		return t
	case present(g.Borrow):
		return &BorrowType{Span: span, Resource: l.ident(g.Borrow)}
	default:
		return &TypeName{ID: l.ident(g.Name)}
	}
}

// syntaxError reports participle's error in wac's words: "expected `;`,
// found end of input", at the unexpected token (at the last character of
// the last token when the input ended too soon, as wac does).
func (l *lowerer) syntaxError(err error) {
	var ute *participle.UnexpectedTokenError
	if errors.As(err, &ute) {
		t := ute.Unexpected
		span := l.tokSpan(t)
		if t.Type == tokEOF {
			span = l.eofSpan()
		}
		msg := "unexpected " + describe(t)
		if exp := expected(l.lx.tokens, l.index(t.Pos.Offset)); exp != "" {
			msg = fmt.Sprintf("expected %s, found %s", exp, describe(t))
		}
		l.r.Errorf(diag.Syntax, span, "%s", msg)
		return
	}
	off := errorOffset(err)
	msg := err.Error()
	var pe participle.Error
	if errors.As(err, &pe) {
		msg = pe.Message()
	}
	l.r.Errorf(diag.Syntax, l.f.Span(off, off), "%s", msg)
}

// eofSpan is where an unexpected end of input is reported: the last
// character of the last token.
func (l *lowerer) eofSpan() diag.Span {
	n := len(l.lx.tokens) - 1 // the EOF token
	if n == 0 {
		return l.f.Span(0, 0)
	}
	end := l.lx.ends[n-1]
	return l.f.Span(end-1, end)
}

func describe(t lexer.Token) string {
	switch t.Type {
	case tokEOF:
		return "end of input"
	case tokKeyword:
		return "`" + t.Value + "` keyword"
	case tokIdent:
		return "identifier"
	case tokString:
		return "string"
	case tokInt, tokVersion:
		return "version"
	}
	return "`" + t.Value + "`"
}
