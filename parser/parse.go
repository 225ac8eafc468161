package parser

import (
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unsafe"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
	"github.com/witc-dev/witc/diag"
	"github.com/witc-dev/witc/parser/ast"
)

// grammar is built on first use, which is the first file the fast descent
// (fast.go) gives up on: only input with a syntax error needs it, so
// neither commands that never parse WIT nor the parse of valid WIT pay
// for building it; participle parsers are safe for concurrent use.
var grammar = sync.OnceValue(func() *participle.Parser[gFile] {
	return participle.MustBuild[gFile](
		participle.Lexer(definition{}),
		participle.UseLookahead(0), // the grammar is LL(1): a branch that consumed a token commits
	)
})

// Prepare builds the grammar now. ParseFile builds it itself when it
// first needs it, on a syntax error.
func Prepare() { grammar() }

// ParseFile parses one WIT source file. It always returns a tree (empty when
// nothing could be parsed) and reports syntax errors to r.
func ParseFile(f *diag.File, r *diag.Report) *ast.File {
	return parseFile(f, string(f.Content), r)
}

// ParseOwnedFile is ParseFile for a file whose content is never changed
// afterwards: the names, strings and comments of the tree (and of what is
// resolved from it) are not copied but share f.Content's memory, which the
// tree's spans keep alive anyway.
func ParseOwnedFile(f *diag.File, r *diag.Report) *ast.File {
	return parseFile(f, unsafe.String(unsafe.SliceData(f.Content), len(f.Content)), r)
}

func parseFile(f *diag.File, text string, r *diag.Report) *ast.File {
	out := &ast.File{Source: f}
	lx, ok := lexText(f, text, r)
	if !ok {
		return out
	}
	// The grammar only sees the tokens before the first one nested too
	// deeply; wit-parser stops at the first error, so a syntax error
	// before that token is reported instead.
	cut, what := nestingLimit(lx.toks)
	if cut < 0 {
		// Valid input is parsed without participle's reflection; the
		// grammar runs only when this fails, to report the error.
		if fastParse(f, lx, out, r) {
			return out
		}
	}
	toks := lx.participle()
	lx.toks = nil
	var cutTok lexer.Token
	if cut >= 0 {
		cutTok = toks[cut]
		toks = append(toks[:cut:cut], lexer.Token{Type: tokEOF, Pos: cutTok.Pos})
	}
	starts := make([]int, len(toks))
	for i, t := range toks {
		starts[i] = t.Pos.Offset
	}
	// participle copies the tokens: this copy can go during the parse.
	plex, err := lexer.Upgrade(&sliceLexer{toks: toks})
	toks = nil
	if err != nil {
		r.Errorf(diag.Syntax, f.Span(0, 0), "%v", err)
		return out
	}
	g, err := grammar().ParseFromLexer(plex)
	if cut >= 0 && (err == nil || errorOffset(err) >= cutTok.Pos.Offset) {
		t := cutTok
		end := t.Pos.Offset
		if t.Type != tokEOF {
			end = rawEnd(f.Content, t.Pos.Offset)
		}
		r.Errorf(diag.TooDeep, f.Span(t.Pos.Offset, end), "%s nesting too deep", what)
		return out
	}
	if err != nil {
		reportSyntax(f, lx, err, r)
		return out
	}
	l := &lowerer{f: f, r: r, lx: lx, starts: starts}
	l.file(g, out)
	return out
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
	return &sliceLexer{toks: lx.participle()}, nil
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

// grammarNames says in words what a grammar production starts with.
var grammarNames = map[string]string{
	"GType": "a type", "GSize": "fixed-length", "GSemi": "';'",
	"GAttrArg": "an identifier or string", "GParam": "an identifier", "GFuncType": "keyword `func`",
	"GUsePath": "an identifier", "GUseName": "an identifier", "GPackageName": "an identifier",
	"GVersion": "a version", "GField": "an identifier", "GCase": "an identifier", "GLabel": "an identifier",
	"GIncludeName": "an identifier", "GExtern": "an identifier", "GInlineIface": "keyword `interface`",
}

// expectation turns the first element of participle's "(expected EBNF)"
// into words, as wit-parser phrases what it expected: "'>'", "keyword
// `func`", "a type". It returns "" when there is nothing usable.
func expectation(msg string) string {
	i := strings.LastIndex(msg, "(expected ")
	if i < 0 {
		return ""
	}
	e := strings.TrimLeft(msg[i+len("(expected "):], "( ")
	one := func(e string) string {
		switch {
		case strings.HasPrefix(e, `"`):
			end := strings.IndexByte(e[1:], '"')
			if end < 0 {
				return ""
			}
			lit := e[1 : 1+end]
			if keywords[lit] {
				return "keyword `" + lit + "`"
			}
			return "'" + lit + "'"
		case strings.HasPrefix(e, "<ident>"):
			return "an identifier or string"
		case strings.HasPrefix(e, "<string>"):
			return "a string"
		}
		name := e
		if j := strings.IndexAny(e, " )|*?+"); j >= 0 {
			name = e[:j]
		}
		return grammarNames[name]
	}
	first := one(e)
	// An alternation at the start: "A | B" → "A or B".
	if j := strings.Index(e, " | "); j >= 0 && !strings.ContainsAny(e[:j], "\"") {
		if second := one(strings.TrimLeft(e[j+3:], "( ")); first != "" && second != "" && second != first {
			return first + " or " + second
		}
	}
	return first
}

func describe(t lexer.Token) string {
	switch t.Type {
	case tokEOF:
		return "eof"
	case tokKeyword:
		return "keyword `" + t.Value + "`"
	case tokIdent:
		return "an identifier"
	case tokInt:
		return "an integer"
	case tokVersion:
		return "a version"
	case tokString:
		return "a string"
	}
	return "'" + t.Value + "'"
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

func reportSyntax(f *diag.File, lx *lexed, err error, r *diag.Report) {
	var ute *participle.UnexpectedTokenError
	if errors.As(err, &ute) {
		t := ute.Unexpected
		end := t.Pos.Offset + len(t.Value)
		if t.Type == tokEOF {
			end = t.Pos.Offset
		}
		msg := "unexpected " + describe(t)
		if exp := expectation(ute.Message()); exp != "" {
			msg = fmt.Sprintf("expected %s, found %s", exp, describe(t))
		}
		r.Errorf(diag.Syntax, f.Span(t.Pos.Offset, end), "%s", msg)
		return
	}
	var pe participle.Error
	if errors.As(err, &pe) {
		off := pe.Position().Offset
		r.Errorf(diag.Syntax, f.Span(off, off), "%s", pe.Message())
		return
	}
	r.Errorf(diag.Syntax, f.Span(0, 0), "%v", err)
}

type lowerer struct {
	f      *diag.File
	r      *diag.Report
	lx     *lexed
	starts []int // token start offsets, sorted
}

// tokenEnd returns the end offset of the token starting at off.
func (l *lowerer) tokenEnd(off int) int {
	i := sort.SearchInts(l.starts, off)
	if i >= len(l.starts) || l.starts[i] != off {
		return off
	}
	if i+1 < len(l.starts) {
		// The raw token ends before the next token's start; trim whitespace
		// and comments by scanning the source for the token's extent.
		return rawEnd(l.f.Content, off)
	}
	return off
}

// rawEnd returns the end of the token that starts at off, by rescanning it.
func rawEnd(src []byte, off int) int {
	i := off
	if i >= len(src) {
		return i
	}
	c := src[i]
	switch {
	case c == '%' || isIdentStart(c):
		i++
		for i < len(src) && isIdentCont(src[i]) {
			i++
		}
	case c >= '0' && c <= '9':
		for i < len(src) && src[i] >= '0' && src[i] <= '9' {
			i++
		}
		if i+1 < len(src) && src[i] == '.' && src[i+1] >= '0' && src[i+1] <= '9' {
			i = ScanVersion(src, i)
		}
	case c == '"':
		i++
		for i < len(src) && src[i] != '"' {
			i++
		}
		i++
	case c == '-' && i+1 < len(src) && src[i+1] == '>':
		i += 2
	default:
		i++
	}
	return i
}

// span returns the span from pos to the end of the last token before endPos.
func (l *lowerer) span(pos, endPos lexer.Position) diag.Span {
	i := sort.SearchInts(l.starts, endPos.Offset)
	end := pos.Offset
	if i > 0 {
		end = l.tokenEnd(l.starts[i-1])
	}
	if end < pos.Offset {
		end = pos.Offset
	}
	return l.f.Span(pos.Offset, end)
}

// present reports whether an optional token was captured.
func present(t lexer.Token) bool { return t.Type != 0 }

func (l *lowerer) ident(g lexer.Token) ast.Ident {
	if !present(g) {
		return ast.Ident{}
	}
	return ast.Ident{Span: l.f.Span(g.Pos.Offset, l.tokenEnd(g.Pos.Offset)), Name: g.Value}
}

func (l *lowerer) identPtr(g lexer.Token) *ast.Ident {
	if !present(g) {
		return nil
	}
	id := l.ident(g)
	return &id
}

func (l *lowerer) docs(pos lexer.Position) ast.Docs {
	return ast.Docs{Comments: l.lx.comments[pos.Offset]}
}

func (l *lowerer) version(g *gVersion) *ast.Version {
	if g == nil {
		return nil
	}
	return &ast.Version{Span: l.f.Span(g.Pos.Offset, g.Pos.Offset+len(g.Text)), Text: g.Text}
}

func (l *lowerer) packageName(g *gPackageName) ast.PackageName {
	return ast.PackageName{
		Span:      l.span(g.Pos, g.EndPos),
		Namespace: l.ident(g.Namespace),
		Name:      l.ident(g.Name),
		Version:   l.version(g.Version),
	}
}

func (l *lowerer) file(g *gFile, out *ast.File) {
	for i, it := range g.Items {
		if it.Package != nil && it.Package.Semi != nil {
			if i != 0 {
				s := it.Package.Semi.Pos.Offset
				l.r.Errorf(diag.Syntax, l.f.Span(s, s+1), "expected '{', found ';'")
				continue
			}
			l.attrsNotAllowed(it.Attrs, "package declarations")
			out.Package = &ast.PackageDecl{
				Span: l.span(it.Package.Pos, it.Package.EndPos),
				Docs: l.docs(it.Pos),
				Name: l.packageName(it.Package.Name),
			}
			continue
		}
		if item := l.topItem(it); item != nil {
			out.Items = append(out.Items, item)
		}
	}
}

func (l *lowerer) attrsNotAllowed(as []*gAttr, what string) {
	if len(as) > 0 {
		l.r.Errorf(diag.MisplacedAttribute, l.span(as[0].Pos, as[0].EndPos), "attributes are not allowed on %s", what)
	}
}

func (l *lowerer) topItem(it *gTopItem) ast.Item {
	switch {
	case it.Package != nil:
		p := it.Package
		if p.Semi != nil {
			s := p.Semi.Pos.Offset
			l.r.Errorf(diag.Syntax, l.f.Span(s, s+1), "expected '{', found ';'")
			return nil
		}
		l.attrsNotAllowed(it.Attrs, "package declarations")
		n := &ast.NestedPackage{
			Span: l.span(it.Pos, it.EndPos),
			Decl: ast.PackageDecl{Span: l.span(p.Pos, p.Name.EndPos), Docs: l.docs(it.Pos), Name: l.packageName(p.Name)},
		}
		for _, sub := range p.Items {
			if sub.Package != nil && sub.Package.Semi == nil {
				l.r.Errorf(diag.NestedPackage, l.packageName(sub.Package.Name).Span, "nested packages must be placed at the top-level")
				continue
			}
			if item := l.topItem(sub); item != nil {
				n.Items = append(n.Items, item)
			}
		}
		return n
	case it.Use != nil:
		u := it.Use
		return &ast.TopLevelUse{
			Span:  l.span(it.Pos, it.EndPos),
			Docs:  l.docs(it.Pos),
			Attrs: l.attrs(it.Attrs),
			Path:  l.usePath(u.Path),
			As:    l.identPtr(u.As),
		}
	case it.Interface != nil:
		g := it.Interface
		return &ast.Interface{
			Span:  l.span(it.Pos, it.EndPos),
			Docs:  l.docs(it.Pos),
			Attrs: l.attrs(it.Attrs),
			Name:  l.ident(g.Name),
			Items: l.ifaceItems(g.Items),
		}
	case it.World != nil:
		g := it.World
		w := &ast.World{
			Span:  l.span(it.Pos, it.EndPos),
			Docs:  l.docs(it.Pos),
			Attrs: l.attrs(it.Attrs),
			Name:  l.ident(g.Name),
		}
		for _, wi := range g.Items {
			if item := l.worldItem(wi); item != nil {
				w.Items = append(w.Items, item)
			}
		}
		return w
	}
	return nil
}

func (l *lowerer) usePath(g *gUsePath) ast.UsePath {
	u := ast.UsePath{Span: l.span(g.Pos, g.EndPos)}
	if !present(g.Pkg) {
		u.Name = l.ident(g.First)
		return u
	}
	pn := &ast.PackageName{
		Namespace: l.ident(g.First),
		Name:      l.ident(g.Pkg),
		Version:   l.version(g.Version),
	}
	pn.Span = l.f.Span(g.First.Pos.Offset, l.tokenEnd(g.Pkg.Pos.Offset))
	if pn.Version != nil {
		pn.Span.End = pn.Version.Span.End
	}
	u.Package = pn
	u.Name = l.ident(g.Iface)
	return u
}

func (l *lowerer) attrs(gs []*gAttr) []ast.Attr {
	var out []ast.Attr
	for _, g := range gs {
		a := ast.Attr{Span: l.span(g.Pos, g.EndPos)}
		name := g.Name.Value
		want := map[string]string{"since": "version", "deprecated": "version", "unstable": "feature"}[name]
		switch {
		case name == "external-id":
			if g.Str == nil {
				l.r.Errorf(diag.InvalidAttribute, a.Span, "expected `@external-id(\"...\")`")
				continue
			}
			a.Kind, a.Value = ast.AttrExternalID, *g.Str
		case want == "":
			l.r.Errorf(diag.UnknownAttribute, l.ident(g.Name).Span, "unknown attribute `@%s`", name)
			continue
		case len(g.Args) == 0:
			l.r.Errorf(diag.InvalidAttribute, a.Span, "expected `@%s(%s = ...)`", name, want)
			continue
		default:
			arg := g.Args[0]
			if arg.Key.Value != want {
				l.r.Errorf(diag.InvalidAttribute, l.ident(arg.Key).Span, "expected `%s`, found `%s`", want, arg.Key.Value)
				continue
			}
			if len(g.Args) > 1 {
				l.r.Errorf(diag.InvalidAttribute, l.ident(g.Args[1].Key).Span, "expected ')', found ','")
				continue
			}
			switch {
			case want == "version" && arg.Version != nil:
				a.Version = l.version(arg.Version)
				a.Kind = ast.AttrSince
				if name == "deprecated" {
					a.Kind = ast.AttrDeprecated
				}
			case want == "feature" && present(arg.Feature):
				a.Kind, a.Feature = ast.AttrUnstable, l.ident(arg.Feature)
			default:
				l.r.Errorf(diag.InvalidAttribute, l.span(arg.Pos, arg.EndPos), "expected a %s after `%s =`", map[string]string{"version": "version", "feature": "feature name"}[want], want)
				continue
			}
		}
		out = append(out, a)
	}
	return out
}

func (l *lowerer) ifaceItems(gs []*gIfaceItem) []ast.InterfaceItem {
	var out []ast.InterfaceItem
	for _, it := range gs {
		span := l.span(it.Pos, it.EndPos)
		docs, attrs := l.docs(it.Pos), l.attrs(it.Attrs)
		switch {
		case it.Use != nil:
			out = append(out, l.use(it.Use, span, docs, attrs))
		case it.TypeDef != nil:
			if td := l.typeDef(it.TypeDef, span, docs, attrs); td != nil {
				out = append(out, td)
			}
		case it.Func != nil:
			out = append(out, &ast.FuncDecl{Span: span, Docs: docs, Attrs: attrs, Name: l.ident(it.Func.Name), Func: l.funcType(it.Func.Func)})
		}
	}
	return out
}

func (l *lowerer) use(g *gUse, span diag.Span, docs ast.Docs, attrs []ast.Attr) *ast.Use {
	u := &ast.Use{Span: span, Docs: docs, Attrs: attrs, From: l.usePath(g.Path)}
	for _, n := range g.Names {
		u.Names = append(u.Names, ast.UseName{Name: l.ident(n.Name), As: l.identPtr(n.As)})
	}
	return u
}

func (l *lowerer) worldItem(it *gWorldItem) ast.WorldItem {
	span := l.span(it.Pos, it.EndPos)
	docs, attrs := l.docs(it.Pos), l.attrs(it.Attrs)
	switch {
	case it.Import != nil:
		return l.extern(it.Import, ast.Import, span, docs, attrs)
	case it.Export != nil:
		return l.extern(it.Export, ast.Export, span, docs, attrs)
	case it.Use != nil:
		return l.use(it.Use, span, docs, attrs)
	case it.Include != nil:
		g := it.Include
		inc := &ast.Include{Span: span, Docs: docs, Attrs: attrs, From: l.usePath(g.Path)}
		for _, n := range g.Names {
			inc.With = append(inc.With, ast.IncludeName{Name: l.ident(n.Name), As: l.ident(n.As)})
		}
		return inc
	case it.TypeDef != nil:
		if td := l.typeDef(it.TypeDef, span, docs, attrs); td != nil {
			return td
		}
	}
	return nil
}

func (l *lowerer) extern(g *gExtern, dir ast.ExternDir, span diag.Span, docs ast.Docs, attrs []ast.Attr) *ast.Extern {
	e := &ast.Extern{Span: span, Docs: docs, Attrs: attrs, Dir: dir}
	switch {
	case !g.Colon:
		// `import iface;`
		e.Path = &ast.UsePath{Span: l.ident(g.First).Span, Name: l.ident(g.First)}
	case g.Func != nil:
		e.Name, e.Func = l.identPtr(g.First), l.funcType(g.Func)
	case g.Inline != nil:
		e.Name = l.identPtr(g.First)
		e.Inline = &ast.InlineInterface{Span: l.span(g.Inline.Pos, g.Inline.EndPos), Items: l.ifaceItems(g.Inline.Items)}
	case present(g.Slash):
		// `import ns:pkg/iface@v;`
		pn := &ast.PackageName{Namespace: l.ident(g.First), Name: l.ident(g.Second), Version: l.version(g.SlashV)}
		pn.Span = l.f.Span(g.First.Pos.Offset, l.tokenEnd(g.Second.Pos.Offset))
		end := l.tokenEnd(g.Slash.Pos.Offset)
		if pn.Version != nil {
			pn.Span.End = pn.Version.Span.End
			end = pn.Version.Span.End
		}
		e.Path = &ast.UsePath{Span: l.f.Span(g.First.Pos.Offset, end), Package: pn, Name: l.ident(g.Slash)}
	case present(g.Colon2):
		// `import label: ns:pkg/iface@v;`
		e.Name = l.identPtr(g.First)
		pn := &ast.PackageName{Namespace: l.ident(g.Second), Name: l.ident(g.Colon2), Version: l.version(g.Version)}
		pn.Span = l.f.Span(g.Second.Pos.Offset, l.tokenEnd(g.Colon2.Pos.Offset))
		end := l.tokenEnd(g.Iface2.Pos.Offset)
		if pn.Version != nil {
			pn.Span.End = pn.Version.Span.End
			end = pn.Version.Span.End
		}
		e.Path = &ast.UsePath{Span: l.f.Span(g.Second.Pos.Offset, end), Package: pn, Name: l.ident(g.Iface2)}
	case present(g.Second):
		// `import label: iface;`
		e.Name = l.identPtr(g.First)
		e.Path = &ast.UsePath{Span: l.ident(g.Second).Span, Name: l.ident(g.Second)}
	}
	return e
}

func (l *lowerer) typeDef(g *gTypeDef, span diag.Span, docs ast.Docs, attrs []ast.Attr) ast.TypeDecl {
	switch {
	case g.Alias != nil:
		return &ast.TypeAlias{Span: span, Docs: docs, Attrs: attrs, Name: l.ident(g.Alias.Name), Type: l.typ(g.Alias.Type)}
	case g.Record != nil:
		d := &ast.RecordDecl{Span: span, Docs: docs, Attrs: attrs, Name: l.ident(g.Record.Name)}
		for _, f := range g.Record.Fields {
			d.Fields = append(d.Fields, ast.Field{Docs: l.docs(f.Pos), Name: l.ident(f.Name), Type: l.typ(f.Type)})
		}
		return d
	case g.Variant != nil:
		d := &ast.VariantDecl{Span: span, Docs: docs, Attrs: attrs, Name: l.ident(g.Variant.Name)}
		for _, c := range g.Variant.Cases {
			var t ast.Type
			if c.Type != nil {
				t = l.typ(c.Type)
			}
			d.Cases = append(d.Cases, ast.Case{Docs: l.docs(c.Pos), Name: l.ident(c.Name), Type: t})
		}
		return d
	case g.Enum != nil:
		d := &ast.EnumDecl{Span: span, Docs: docs, Attrs: attrs, Name: l.ident(g.Enum.Name)}
		for _, c := range g.Enum.Cases {
			d.Cases = append(d.Cases, ast.EnumCase{Docs: l.docs(c.Pos), Name: l.ident(c.Name)})
		}
		return d
	case g.Flags != nil:
		d := &ast.FlagsDecl{Span: span, Docs: docs, Attrs: attrs, Name: l.ident(g.Flags.Name)}
		for _, c := range g.Flags.Flags {
			d.Flags = append(d.Flags, ast.EnumCase{Docs: l.docs(c.Pos), Name: l.ident(c.Name)})
		}
		return d
	case g.Resource != nil:
		d := &ast.ResourceDecl{Span: span, Docs: docs, Attrs: attrs, Name: l.ident(g.Resource.Name)}
		for _, rf := range g.Resource.Funcs {
			f := &ast.ResourceFunc{Span: l.span(rf.Pos, rf.EndPos), Docs: l.docs(rf.Pos), Attrs: l.attrs(rf.Attrs)}
			if rf.Constructor != nil {
				c := rf.Constructor
				f.Kind = ast.ResourceConstructor
				f.Name = ast.Ident{Span: l.f.Span(c.Pos.Offset, c.Pos.Offset+len("constructor")), Name: "constructor"}
				f.Func = &ast.FuncType{Span: l.span(c.Pos, c.EndPos), Params: l.params(c.Params)}
				if c.Result != nil {
					f.Func.Result = l.typ(c.Result)
				}
			} else {
				f.Kind = ast.ResourceMethod
				if rf.Static {
					f.Kind = ast.ResourceStatic
				}
				f.Name = l.ident(rf.Name)
				f.Func = l.funcType(rf.Func)
			}
			d.Funcs = append(d.Funcs, f)
		}
		return d
	}
	return nil
}

func (l *lowerer) params(gs []*gParam) []ast.Param {
	out := make([]ast.Param, 0, len(gs))
	for _, p := range gs {
		out = append(out, ast.Param{Name: l.ident(p.Name), Type: l.typ(p.Type)})
	}
	return out
}

func (l *lowerer) funcType(g *gFuncType) *ast.FuncType {
	ft := &ast.FuncType{Span: l.span(g.Pos, g.EndPos), Async: g.Async, Params: l.params(g.Params)}
	if g.Result != nil {
		ft.Result = l.typ(g.Result)
	}
	return ft
}

var primitives = map[string]ast.Primitive{
	"bool": ast.Bool, "u8": ast.U8, "u16": ast.U16, "u32": ast.U32, "u64": ast.U64,
	"s8": ast.S8, "s16": ast.S16, "s32": ast.S32, "s64": ast.S64, "f32": ast.F32, "f64": ast.F64,
	"char": ast.Char, "string": ast.String, "error-context": ast.ErrorContext,
}

func (l *lowerer) typ(g *gType) ast.Type {
	span := l.span(g.Pos, g.EndPos)
	switch {
	case present(g.Simple):
		if g.Simple.Type == tokKeyword {
			return &ast.PrimitiveType{Span: span, Kind: primitives[g.Simple.Value]}
		}
		return &ast.NamedType{Name: l.ident(g.Simple)}
	case g.List != nil:
		lt := &ast.ListType{Span: span, Elem: l.typ(g.List.Elem)}
		if sz := g.List.Size; sz != nil {
			n, err := strconv.ParseUint(sz.Text, 10, 32)
			s := l.f.Span(sz.Pos.Offset, sz.Pos.Offset+len(sz.Text))
			switch {
			case err != nil:
				l.r.Errorf(diag.InvalidListSize, s, "fixed-length list size is too large")
			case n == 0:
				l.r.Errorf(diag.InvalidListSize, s, "invalid fixed-length list size: must be greater than zero")
			default:
				v := uint32(n)
				lt.Size, lt.SizeSpan = &v, s
			}
		}
		return lt
	case g.Map != nil:
		return &ast.MapType{Span: span, Key: l.typ(g.Map.Key), Value: l.typ(g.Map.Value)}
	case g.Option != nil:
		return &ast.OptionType{Span: span, Elem: l.typ(g.Option)}
	case g.Result != nil:
		rt := &ast.ResultType{Span: span}
		r := g.Result
		switch {
		case r.NoOK:
			rt.Err = l.typ(r.Err0)
		case r.OK != nil:
			rt.Ok = l.typ(r.OK)
			if r.Err != nil {
				rt.Err = l.typ(r.Err)
			}
		}
		return rt
	case g.Tuple != nil:
		tt := &ast.TupleType{Span: span}
		for _, e := range g.Tuple.Elems {
			tt.Elems = append(tt.Elems, l.typ(e))
		}
		return tt
	case present(g.Own):
		return &ast.HandleType{Span: span, Resource: l.ident(g.Own)}
	case present(g.Borrow):
		return &ast.HandleType{Span: span, Borrow: true, Resource: l.ident(g.Borrow)}
	case g.Future != nil:
		ft := &ast.FutureType{Span: span}
		if g.Future.Elem != nil {
			ft.Elem = l.typ(g.Future.Elem)
		}
		return ft
	case g.Stream != nil:
		st := &ast.StreamType{Span: span}
		if g.Stream.Elem != nil {
			st.Elem = l.typ(g.Stream.Elem)
		}
		return st
	}
	return &ast.PrimitiveType{Span: span, Kind: ast.Bool}
}
