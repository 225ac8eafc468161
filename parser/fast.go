package parser

import (
	"strconv"

	"github.com/witc-dev/witc/diag"
	"github.com/witc-dev/witc/parser/ast"
)

// fastParse parses valid input straight into the syntax tree, by recursive
// descent on one token of lookahead over the compact tokens, without
// reflection, backtracking or the participle grammar's intermediate tree.
// It builds exactly what the grammar (grammar.go) followed by the lowerer
// (parse.go) builds, diagnostics included: the lowerer's checks are done
// here at the same points of the walk. It only handles input the grammar
// accepts: at the first token it does not expect it gives up (false, with
// out and r untouched) and ParseFile runs the grammar instead, which
// reports the error. TestFastParseMatchesGrammar keeps the two equal.
//
// The grammar is LL(1) with ordered choice (UseLookahead(0): a branch that
// consumed a token commits), so each choice below takes the first
// alternative whose first token matches, in the grammar's order.
func fastParse(f *diag.File, lx *lexed, out *ast.File, r *diag.Report) (ok bool) {
	p := &fastParser{f: f, lx: lx, toks: lx.toks, text: lx.text}
	defer func() {
		if rec := recover(); rec != nil {
			if rec != errFallback {
				panic(rec)
			}
			ok = false
		}
	}()
	g := p.file()
	out.Package, out.Items = g.Package, g.Items
	r.Add(p.diags.Diagnostics...)
	return true
}

type fallback struct{}

var errFallback any = fallback{}

type fastParser struct {
	f     *diag.File
	lx    *lexed
	toks  []token
	text  string
	i     int
	diags diag.Report // the lowerer's diagnostics, reported on success
}

func (p *fastParser) fail() { panic(errFallback) }

func (p *fastParser) isP(c byte) bool {
	t := &p.toks[p.i]
	return t.kind == kPunct && t.op == c
}

func (p *fastParser) isK(kw uint8) bool {
	t := &p.toks[p.i]
	return t.kind == kKeyword && t.op == kw
}

func (p *fastParser) isIdent() bool { return p.toks[p.i].kind == kIdent }

// next consumes the current token and returns its index.
func (p *fastParser) next() int {
	if p.toks[p.i].kind == kEOF {
		p.fail()
	}
	p.i++
	return p.i - 1
}

func (p *fastParser) punct(c byte) int {
	if !p.isP(c) {
		p.fail()
	}
	return p.next()
}

func (p *fastParser) keyword(kw uint8) {
	if !p.isK(kw) {
		p.fail()
	}
	p.i++
}

func (p *fastParser) ident() int {
	if !p.isIdent() {
		p.fail()
	}
	return p.next()
}

// tokSpan is the span of token i.
func (p *fastParser) tokSpan(i int) diag.Span {
	t := p.toks[i]
	return p.f.Span(int(t.start), int(p.lx.end(t)))
}

// spanRange is the span from the start of token s to the end of token
// e-1 (the lowerer's span of a production from s up to e).
func (p *fastParser) spanRange(s, e int) diag.Span {
	start := int(p.toks[s].start)
	end := start
	if e > 0 && e-1 >= s {
		end = max(int(p.end(e-1)), start)
	}
	return p.f.Span(start, end)
}

// end is the offset where token i ends.
func (p *fastParser) end(i int) int32 { return p.lx.end(p.toks[i]) }

// span is the span of the production that started at token s and ends
// before the current token.
func (p *fastParser) span(s int) diag.Span { return p.spanRange(s, p.i) }

func (p *fastParser) identAt(i int) ast.Ident {
	t := p.toks[i]
	end := p.lx.end(t)
	name := p.text[t.start:end]
	if name[0] == '%' {
		name = name[1:]
	}
	return ast.Ident{Span: p.f.Span(int(t.start), int(end)), Name: name}
}

func (p *fastParser) identPtr(i int) *ast.Ident {
	id := p.identAt(i)
	return &id
}

func (p *fastParser) docs(i int) ast.Docs {
	if p.lx.comments == nil {
		return ast.Docs{}
	}
	return ast.Docs{Comments: p.lx.comments[int(p.toks[i].start)]}
}

func (p *fastParser) file() *ast.File {
	out := &ast.File{}
	for n := 0; p.startsTopItem(); n++ {
		if item := p.topItem(false, n == 0, out); item != nil {
			out.Items = append(out.Items, item)
		}
	}
	if p.toks[p.i].kind != kEOF {
		p.fail()
	}
	return out
}

func (p *fastParser) startsTopItem() bool {
	t := &p.toks[p.i]
	switch t.kind {
	case kPunct:
		return t.op == '@'
	case kKeyword:
		return t.op == kwPackage || t.op == kwUse || t.op == kwInterface || t.op == kwWorld
	}
	return false
}

// topItem parses one item of a file (nested false; first when it is the
// file's first item, whose `package ns:name;` is the file's header, set in
// hdr) or of a nested package.
func (p *fastParser) topItem(nested, first bool, hdr *ast.File) ast.Item {
	s := p.i
	attrs := p.rawAttrs()
	switch {
	case p.isK(kwPackage):
		ps := p.i
		p.i++
		name := p.packageName()
		nameEnd := p.i
		switch {
		case p.isP(';'):
			semi := p.next()
			if nested || !first {
				p.diags.Errorf(diag.Syntax, p.tokSpan(semi), "expected '{', found ';'")
				return nil
			}
			p.attrsNotAllowed(attrs, "package declarations")
			hdr.Package = &ast.PackageDecl{Span: p.span(ps), Docs: p.docs(s), Name: name}
			return nil
		case p.isP('{'):
			p.i++
			if nested {
				p.diags.Errorf(diag.NestedPackage, name.Span, "nested packages must be placed at the top-level")
				mark := len(p.diags.Diagnostics)
				for p.startsTopItem() {
					p.topItem(true, false, nil)
				}
				p.punct('}')
				p.diags.Diagnostics = p.diags.Diagnostics[:mark]
				return nil
			}
			p.attrsNotAllowed(attrs, "package declarations")
			n := &ast.NestedPackage{Decl: ast.PackageDecl{Span: p.spanRange(ps, nameEnd), Docs: p.docs(s), Name: name}}
			for p.startsTopItem() {
				if item := p.topItem(true, false, nil); item != nil {
					n.Items = append(n.Items, item)
				}
			}
			p.punct('}')
			n.Span = p.span(s)
			return n
		}
		p.fail()
	case p.isK(kwUse):
		u := &ast.TopLevelUse{Docs: p.docs(s), Attrs: p.lowerAttrs(attrs)}
		p.i++
		u.Path = p.usePath()
		if p.isK(kwAs) {
			p.i++
			u.As = p.identPtr(p.ident())
		}
		p.punct(';')
		u.Span = p.span(s)
		return u
	case p.isK(kwInterface):
		in := &ast.Interface{Docs: p.docs(s), Attrs: p.lowerAttrs(attrs)}
		p.i++
		in.Name = p.identAt(p.ident())
		p.punct('{')
		in.Items = p.ifaceItems()
		p.punct('}')
		in.Span = p.span(s)
		return in
	case p.isK(kwWorld):
		return p.world(s, attrs)
	}
	p.fail()
	return nil
}

// rawAttr is a parsed attribute, lowered by lowerAttrs; token indices,
// -1 for an absent one.
type rawAttr struct {
	s, e int // its tokens
	name int
	args []rawAttrArg
	str  int
}

type rawAttrArg struct {
	s, e             int
	key              int
	version, feature int
}

func (p *fastParser) rawAttrs() []rawAttr {
	var out []rawAttr
	for p.isP('@') {
		a := rawAttr{s: p.i, str: -1}
		p.i++
		a.name = p.ident()
		p.punct('(')
		switch {
		case p.isIdent():
			a.args = append(a.args, p.attrArg())
			for p.isP(',') {
				p.i++
				a.args = append(a.args, p.attrArg())
			}
		case p.toks[p.i].kind == kString:
			a.str = p.next()
		default:
			p.fail()
		}
		p.punct(')')
		a.e = p.i
		out = append(out, a)
	}
	return out
}

func (p *fastParser) attrArg() rawAttrArg {
	a := rawAttrArg{s: p.i, version: -1, feature: -1}
	a.key = p.ident()
	p.punct('=')
	switch {
	case p.isVersion():
		a.version = p.next()
	case p.isIdent():
		a.feature = p.next()
	default:
		p.fail()
	}
	a.e = p.i
	return a
}

func (p *fastParser) attrsNotAllowed(as []rawAttr, what string) {
	if len(as) > 0 {
		p.diags.Errorf(diag.MisplacedAttribute, p.spanRange(as[0].s, as[0].e), "attributes are not allowed on %s", what)
	}
}

// lowerAttrs checks and lowers attributes as the lowerer's attrs does.
func (p *fastParser) lowerAttrs(gs []rawAttr) []ast.Attr {
	var out []ast.Attr
	for _, g := range gs {
		a := ast.Attr{Span: p.spanRange(g.s, g.e)}
		nameID := p.identAt(g.name)
		name := nameID.Name
		want := ""
		switch name {
		case "since", "deprecated":
			want = "version"
		case "unstable":
			want = "feature"
		}
		switch {
		case name == "external-id":
			if g.str < 0 {
				p.diags.Errorf(diag.InvalidAttribute, a.Span, "expected `@external-id(\"...\")`")
				continue
			}
			a.Kind, a.Value = ast.AttrExternalID, p.lx.value(p.toks[g.str])
		case want == "":
			p.diags.Errorf(diag.UnknownAttribute, nameID.Span, "unknown attribute `@%s`", name)
			continue
		case len(g.args) == 0:
			p.diags.Errorf(diag.InvalidAttribute, a.Span, "expected `@%s(%s = ...)`", name, want)
			continue
		default:
			arg := g.args[0]
			key := p.identAt(arg.key)
			if key.Name != want {
				p.diags.Errorf(diag.InvalidAttribute, key.Span, "expected `%s`, found `%s`", want, key.Name)
				continue
			}
			if len(g.args) > 1 {
				p.diags.Errorf(diag.InvalidAttribute, p.identAt(g.args[1].key).Span, "expected ')', found ','")
				continue
			}
			switch {
			case want == "version" && arg.version >= 0:
				a.Version = p.versionAt(arg.version)
				a.Kind = ast.AttrSince
				if name == "deprecated" {
					a.Kind = ast.AttrDeprecated
				}
			case want == "feature" && arg.feature >= 0:
				a.Kind, a.Feature = ast.AttrUnstable, p.identAt(arg.feature)
			default:
				what := "version"
				if want == "feature" {
					what = "feature name"
				}
				p.diags.Errorf(diag.InvalidAttribute, p.spanRange(arg.s, arg.e), "expected a %s after `%s =`", what, want)
				continue
			}
		}
		out = append(out, a)
	}
	return out
}

func (p *fastParser) isVersion() bool {
	k := p.toks[p.i].kind
	return k == kVersion || k == kInt
}

func (p *fastParser) versionAt(i int) *ast.Version {
	t := p.toks[i]
	end := p.lx.end(t)
	return &ast.Version{Span: p.f.Span(int(t.start), int(end)), Text: p.text[t.start:end]}
}

func (p *fastParser) optVersion() *ast.Version {
	if p.isP('@') {
		p.i++
		if !p.isVersion() {
			p.fail()
		}
		return p.versionAt(p.next())
	}
	return nil
}

func (p *fastParser) packageName() ast.PackageName {
	s := p.i
	n := ast.PackageName{Namespace: p.identAt(p.ident())}
	p.punct(':')
	n.Name = p.identAt(p.ident())
	n.Version = p.optVersion()
	n.Span = p.span(s)
	return n
}

func (p *fastParser) usePath() ast.UsePath {
	s := p.i
	first := p.ident()
	var u ast.UsePath
	if p.isP(':') {
		p.i++
		pkg := p.ident()
		p.punct('/')
		iface := p.ident()
		pn := &ast.PackageName{Namespace: p.identAt(first), Name: p.identAt(pkg), Version: p.optVersion()}
		pn.Span = p.f.Span(int(p.toks[first].start), int(p.end(pkg)))
		if pn.Version != nil {
			pn.Span.End = pn.Version.Span.End
		}
		u.Package = pn
		u.Name = p.identAt(iface)
	} else {
		u.Name = p.identAt(first)
	}
	u.Span = p.span(s)
	return u
}

func (p *fastParser) startsTypeDef() bool {
	t := &p.toks[p.i]
	if t.kind != kKeyword {
		return false
	}
	switch t.op {
	case kwType, kwRecord, kwVariant, kwEnum, kwFlags, kwResource:
		return true
	}
	return false
}

func (p *fastParser) ifaceItems() []ast.InterfaceItem {
	var out []ast.InterfaceItem
	if n := p.itemCount(); n > 0 {
		out = make([]ast.InterfaceItem, 0, n)
	}
	for p.isP('@') || p.isIdent() || p.isK(kwUse) || p.startsTypeDef() {
		s := p.i
		docs, attrs := p.docs(s), p.lowerAttrs(p.rawAttrs())
		switch {
		case p.isIdent():
			fd := &ast.FuncDecl{Docs: docs, Attrs: attrs, Name: p.identAt(p.ident())}
			p.punct(':')
			fd.Func = p.funcType()
			p.punct(';')
			fd.Span = p.span(s)
			out = append(out, fd)
		case p.startsTypeDef():
			out = append(out, p.typeDef(s, docs, attrs))
		case p.isK(kwUse):
			out = append(out, p.use(s, docs, attrs))
		default:
			p.fail()
		}
	}
	return out
}

func (p *fastParser) use(s int, docs ast.Docs, attrs []ast.Attr) *ast.Use {
	u := &ast.Use{Docs: docs, Attrs: attrs}
	p.keyword(kwUse)
	u.From = p.usePath()
	p.punct('.')
	p.punct('{')
	if p.isIdent() {
		u.Names = make([]ast.UseName, 0, p.listLen())
		u.Names = append(u.Names, p.useName())
		for p.isP(',') {
			p.i++
			u.Names = append(u.Names, p.useName())
		}
	}
	p.punct('}')
	p.punct(';')
	u.Span = p.span(s)
	return u
}

func (p *fastParser) useName() ast.UseName {
	n := ast.UseName{Name: p.identAt(p.ident())}
	if p.isK(kwAs) {
		p.i++
		n.As = p.identPtr(p.ident())
	}
	return n
}

func (p *fastParser) funcType() *ast.FuncType {
	s := p.i
	f := &ast.FuncType{}
	if p.isK(kwAsync) {
		p.i++
		f.Async = true
	}
	p.keyword(kwFunc)
	f.Params = p.params()
	if p.isP(opArrow) {
		p.i++
		f.Result = p.typ()
	}
	f.Span = p.span(s)
	return f
}

// listLen returns the number of items of the comma-separated list that
// starts at the current token, up to the bracket that closes it (one more
// with a trailing comma): the capacity to give the list.
func (p *fastParser) listLen() int {
	n, depth := 1, 0
	for _, t := range p.toks[p.i:] {
		if t.kind == kEOF {
			break
		}
		if t.kind != kPunct {
			continue
		}
		switch t.op {
		case '(', '<', '{':
			depth++
		case ')', '>', '}':
			if depth == 0 {
				return n
			}
			depth--
		case ',':
			if depth == 0 {
				n++
			}
		}
	}
	return n
}

// itemCount returns about the number of items of the body that starts at
// the current token, up to the brace that closes it: the items that end
// with a semicolon or a braced body of their own.
func (p *fastParser) itemCount() int {
	n, depth := 0, 0
	for _, t := range p.toks[p.i:] {
		if t.kind == kEOF {
			break
		}
		if t.kind != kPunct {
			continue
		}
		switch t.op {
		case '(', '<', '{':
			depth++
		case ')', '>', '}':
			if depth == 0 {
				return n
			}
			depth--
			if depth == 0 && t.op == '}' {
				n++
			}
		case ';':
			if depth == 0 {
				n++
			}
		}
	}
	return n
}

// params parses `"(" ( param ( "," param )* )? ")"`; like the lowerer, it
// returns a non-nil slice.
func (p *fastParser) params() []ast.Param {
	p.punct('(')
	out := []ast.Param{}
	if p.isIdent() {
		out = make([]ast.Param, 0, p.listLen())
		for {
			pr := ast.Param{Name: p.identAt(p.ident())}
			p.punct(':')
			pr.Type = p.typ()
			out = append(out, pr)
			if !p.isP(',') {
				break
			}
			p.i++
		}
	}
	p.punct(')')
	return out
}

func (p *fastParser) world(s int, raw []rawAttr) *ast.World {
	w := &ast.World{Docs: p.docs(s), Attrs: p.lowerAttrs(raw)}
	p.keyword(kwWorld)
	w.Name = p.identAt(p.ident())
	p.punct('{')
	for p.isP('@') || p.isK(kwImport) || p.isK(kwExport) || p.isK(kwUse) || p.isK(kwInclude) || p.startsTypeDef() {
		is := p.i
		docs, attrs := p.docs(is), p.lowerAttrs(p.rawAttrs())
		var item ast.WorldItem
		switch {
		case p.isK(kwImport):
			p.i++
			item = p.extern(is, ast.Import, docs, attrs)
		case p.isK(kwExport):
			p.i++
			item = p.extern(is, ast.Export, docs, attrs)
		case p.isK(kwUse):
			item = p.use(is, docs, attrs)
		case p.isK(kwInclude):
			item = p.include(is, docs, attrs)
		case p.startsTypeDef():
			item = p.typeDef(is, docs, attrs)
		default:
			p.fail()
		}
		w.Items = append(w.Items, item)
	}
	p.punct('}')
	w.Span = p.span(s)
	return w
}

func (p *fastParser) extern(s int, dir ast.ExternDir, docs ast.Docs, attrs []ast.Attr) *ast.Extern {
	e := &ast.Extern{Docs: docs, Attrs: attrs, Dir: dir}
	first := p.ident()
	switch {
	case p.isP(':'):
		p.i++
		switch {
		case p.isK(kwAsync) || p.isK(kwFunc):
			e.Name, e.Func = p.identPtr(first), p.funcType()
			p.punct(';')
		case p.isK(kwInterface):
			is := p.i
			p.i++
			p.punct('{')
			in := &ast.InlineInterface{Items: p.ifaceItems()}
			p.punct('}')
			in.Span = p.span(is)
			e.Name, e.Inline = p.identPtr(first), in
		case p.isIdent():
			second := p.next()
			switch {
			case p.isP('/'):
				// `import ns:pkg/iface@v;`
				p.i++
				iface := p.ident()
				pn := &ast.PackageName{Namespace: p.identAt(first), Name: p.identAt(second), Version: p.optVersion()}
				pn.Span = p.f.Span(int(p.toks[first].start), int(p.end(second)))
				end := int(p.end(iface))
				if pn.Version != nil {
					pn.Span.End = pn.Version.Span.End
					end = pn.Version.Span.End
				}
				e.Path = &ast.UsePath{Span: p.f.Span(int(p.toks[first].start), end), Package: pn, Name: p.identAt(iface)}
			case p.isP(':'):
				// `import label: ns:pkg/iface@v;`
				p.i++
				pkg := p.ident()
				p.punct('/')
				iface := p.ident()
				e.Name = p.identPtr(first)
				pn := &ast.PackageName{Namespace: p.identAt(second), Name: p.identAt(pkg), Version: p.optVersion()}
				pn.Span = p.f.Span(int(p.toks[second].start), int(p.end(pkg)))
				end := int(p.end(iface))
				if pn.Version != nil {
					pn.Span.End = pn.Version.Span.End
					end = pn.Version.Span.End
				}
				e.Path = &ast.UsePath{Span: p.f.Span(int(p.toks[second].start), end), Package: pn, Name: p.identAt(iface)}
			default:
				// `import label: iface;`
				e.Name = p.identPtr(first)
				id := p.identAt(second)
				e.Path = &ast.UsePath{Span: id.Span, Name: id}
			}
			p.punct(';')
		default:
			p.fail()
		}
	case p.isP(';'):
		// `import iface;`
		p.i++
		id := p.identAt(first)
		e.Path = &ast.UsePath{Span: id.Span, Name: id}
	default:
		p.fail()
	}
	e.Span = p.span(s)
	return e
}

func (p *fastParser) include(s int, docs ast.Docs, attrs []ast.Attr) *ast.Include {
	inc := &ast.Include{Docs: docs, Attrs: attrs}
	p.keyword(kwInclude)
	inc.From = p.usePath()
	switch {
	case p.isK(kwWith):
		p.i++
		p.punct('{')
		if p.isIdent() {
			for {
				n := ast.IncludeName{Name: p.identAt(p.ident())}
				p.keyword(kwAs)
				n.As = p.identAt(p.ident())
				inc.With = append(inc.With, n)
				if !p.isP(',') {
					break
				}
				p.i++
			}
		}
		p.punct('}')
	case p.isP(';'):
		p.i++
	default:
		p.fail()
	}
	inc.Span = p.span(s)
	return inc
}

func (p *fastParser) typeDef(s int, docs ast.Docs, attrs []ast.Attr) ast.TypeDecl {
	kw := p.toks[p.i].op
	p.i++
	switch kw {
	case kwType:
		a := &ast.TypeAlias{Docs: docs, Attrs: attrs, Name: p.identAt(p.ident())}
		p.punct('=')
		a.Type = p.typ()
		p.punct(';')
		a.Span = p.span(s)
		return a
	case kwRecord:
		d := &ast.RecordDecl{Docs: docs, Attrs: attrs, Name: p.identAt(p.ident())}
		p.punct('{')
		if p.isIdent() {
			d.Fields = make([]ast.Field, 0, p.listLen())
			for {
				f := ast.Field{Docs: p.docs(p.i), Name: p.identAt(p.ident())}
				p.punct(':')
				f.Type = p.typ()
				d.Fields = append(d.Fields, f)
				if !p.isP(',') {
					break
				}
				p.i++
			}
		}
		p.punct('}')
		d.Span = p.span(s)
		return d
	case kwVariant:
		d := &ast.VariantDecl{Docs: docs, Attrs: attrs, Name: p.identAt(p.ident())}
		p.punct('{')
		if p.isIdent() {
			d.Cases = make([]ast.Case, 0, p.listLen())
			for {
				c := ast.Case{Docs: p.docs(p.i), Name: p.identAt(p.ident())}
				if p.isP('(') {
					p.i++
					c.Type = p.typ()
					p.punct(')')
				}
				d.Cases = append(d.Cases, c)
				if !p.isP(',') {
					break
				}
				p.i++
			}
		}
		p.punct('}')
		d.Span = p.span(s)
		return d
	case kwEnum:
		d := &ast.EnumDecl{Docs: docs, Attrs: attrs, Name: p.identAt(p.ident())}
		d.Cases = p.labels()
		d.Span = p.span(s)
		return d
	case kwFlags:
		d := &ast.FlagsDecl{Docs: docs, Attrs: attrs, Name: p.identAt(p.ident())}
		d.Flags = p.labels()
		d.Span = p.span(s)
		return d
	case kwResource:
		d := &ast.ResourceDecl{Docs: docs, Attrs: attrs, Name: p.identAt(p.ident())}
		switch {
		case p.isP('{'):
			p.i++
			if n := p.itemCount(); n > 0 {
				d.Funcs = make([]*ast.ResourceFunc, 0, n)
			}
			for p.isP('@') || p.isIdent() || p.isK(kwConstructor) {
				d.Funcs = append(d.Funcs, p.resourceFunc())
			}
			p.punct('}')
		case p.isP(';'):
			p.i++
		default:
			p.fail()
		}
		d.Span = p.span(s)
		return d
	}
	p.fail()
	return nil
}

// labels parses `"{" ( label ( "," label )* )? "}"`.
func (p *fastParser) labels() []ast.EnumCase {
	p.punct('{')
	var out []ast.EnumCase
	if p.isIdent() {
		out = make([]ast.EnumCase, 0, p.listLen())
		for {
			out = append(out, ast.EnumCase{Docs: p.docs(p.i), Name: p.identAt(p.ident())})
			if !p.isP(',') {
				break
			}
			p.i++
		}
	}
	p.punct('}')
	return out
}

func (p *fastParser) resourceFunc() *ast.ResourceFunc {
	s := p.i
	f := &ast.ResourceFunc{Docs: p.docs(s), Attrs: p.lowerAttrs(p.rawAttrs())}
	switch {
	case p.isIdent():
		f.Kind = ast.ResourceMethod
		f.Name = p.identAt(p.ident())
		p.punct(':')
		if p.isK(kwStatic) {
			p.i++
			f.Kind = ast.ResourceStatic
		}
		f.Func = p.funcType()
	case p.isK(kwConstructor):
		cs := p.i
		p.i++
		f.Kind = ast.ResourceConstructor
		f.Name = ast.Ident{Span: p.tokSpan(cs), Name: "constructor"}
		f.Func = &ast.FuncType{Params: p.params()}
		if p.isP(opArrow) {
			p.i++
			f.Func.Result = p.typ()
		}
		f.Func.Span = p.span(cs)
	default:
		p.fail()
	}
	p.punct(';')
	f.Span = p.span(s)
	return f
}

func (p *fastParser) angleIdent() ast.Ident {
	p.punct('<')
	id := p.identAt(p.ident())
	p.punct('>')
	return id
}

// primitiveKinds maps the keywords of primitive types to their kinds.
var primitiveKinds = [numKeywords]ast.Primitive{
	kwBool: ast.Bool, kwU8: ast.U8, kwU16: ast.U16, kwU32: ast.U32, kwU64: ast.U64,
	kwS8: ast.S8, kwS16: ast.S16, kwS32: ast.S32, kwS64: ast.S64, kwF32: ast.F32, kwF64: ast.F64,
	kwChar: ast.Char, kwString: ast.String, kwErrorContext: ast.ErrorContext,
}

func (p *fastParser) typ() ast.Type {
	s := p.i
	t := p.toks[p.i]
	switch t.kind {
	case kIdent:
		return &ast.NamedType{Name: p.identAt(p.next())}
	case kKeyword:
		p.i++
		if k := primitiveKinds[t.op]; k != 0 {
			return &ast.PrimitiveType{Span: p.tokSpan(s), Kind: k}
		}
		switch t.op {
		case kwList:
			lt := &ast.ListType{}
			p.punct('<')
			lt.Elem = p.typ()
			if p.isP(',') {
				p.i++
				if p.toks[p.i].kind != kInt {
					p.fail()
				}
				st := p.toks[p.next()]
				stEnd := p.lx.end(st)
				sz := p.text[st.start:stEnd]
				n, err := strconv.ParseUint(sz, 10, 32)
				sp := p.f.Span(int(st.start), int(stEnd))
				switch {
				case err != nil:
					p.diags.Errorf(diag.InvalidListSize, sp, "fixed-length list size is too large")
				case n == 0:
					p.diags.Errorf(diag.InvalidListSize, sp, "invalid fixed-length list size: must be greater than zero")
				default:
					v := uint32(n)
					lt.Size, lt.SizeSpan = &v, sp
				}
			}
			p.punct('>')
			lt.Span = p.span(s)
			return lt
		case kwMap:
			m := &ast.MapType{}
			p.punct('<')
			m.Key = p.typ()
			p.punct(',')
			m.Value = p.typ()
			p.punct('>')
			m.Span = p.span(s)
			return m
		case kwOption:
			o := &ast.OptionType{}
			p.punct('<')
			o.Elem = p.typ()
			p.punct('>')
			o.Span = p.span(s)
			return o
		case kwResult:
			rt := &ast.ResultType{}
			if p.isP('<') {
				p.i++
				if p.isK(kwUnderscore) {
					p.i++
					p.punct(',')
					rt.Err = p.typ()
				} else {
					rt.Ok = p.typ()
					if p.isP(',') {
						p.i++
						rt.Err = p.typ()
					}
				}
				p.punct('>')
			}
			rt.Span = p.span(s)
			return rt
		case kwTuple:
			tt := &ast.TupleType{}
			p.punct('<')
			if !p.isP('>') {
				for {
					tt.Elems = append(tt.Elems, p.typ())
					if !p.isP(',') {
						break
					}
					p.i++
				}
			}
			p.punct('>')
			tt.Span = p.span(s)
			return tt
		case kwOwn, kwBorrow:
			h := &ast.HandleType{Borrow: t.op == kwBorrow, Resource: p.angleIdent()}
			h.Span = p.span(s)
			return h
		case kwFuture:
			ft := &ast.FutureType{}
			if p.isP('<') {
				p.i++
				ft.Elem = p.typ()
				p.punct('>')
			}
			ft.Span = p.span(s)
			return ft
		case kwStream:
			st := &ast.StreamType{}
			if p.isP('<') {
				p.i++
				st.Elem = p.typ()
				p.punct('>')
			}
			st.Span = p.span(s)
			return st
		}
	}
	p.fail()
	return nil
}
