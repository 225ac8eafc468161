package parser

import "github.com/alecthomas/participle/v2/lexer"

// fastParse builds the same tree as the participle grammar (grammar.go)
// from the token stream, by recursive descent on one token of lookahead,
// without reflection or backtracking. It only handles valid input: at the
// first token it does not expect it gives up (ok is false), and ParseFile
// runs the participle grammar instead, which reports the error. The two
// are kept equal by TestFastParseMatchesGrammar.
//
// The grammar is LL(1) with ordered choice (UseLookahead(0): a branch that
// consumed a token commits), so each choice below takes the first
// alternative whose first token matches, in the grammar's order.
func fastParse(toks []lexer.Token) (g *gFile, ok bool) {
	p := &fastParser{toks: toks}
	defer func() {
		if r := recover(); r != nil {
			if r != errFallback {
				panic(r)
			}
			g, ok = nil, false
		}
	}()
	return p.file(), true
}

type fallback struct{}

var errFallback any = fallback{}

type fastParser struct {
	toks []lexer.Token
	i    int
}

func (p *fastParser) fail() { panic(errFallback) }

func (p *fastParser) tok() *lexer.Token { return &p.toks[p.i] }
func (p *fastParser) pos() lexer.Position {
	return p.toks[p.i].Pos
}

func (p *fastParser) isP(v string) bool {
	t := &p.toks[p.i]
	return t.Type == tokPunct && t.Value == v
}

func (p *fastParser) isK(v string) bool {
	t := &p.toks[p.i]
	return t.Type == tokKeyword && t.Value == v
}

func (p *fastParser) isIdent() bool { return p.toks[p.i].Type == tokIdent }

// next consumes the current token.
func (p *fastParser) next() lexer.Token {
	t := p.toks[p.i]
	if t.Type == tokEOF {
		p.fail()
	}
	p.i++
	return t
}

func (p *fastParser) punct(v string) lexer.Token {
	if !p.isP(v) {
		p.fail()
	}
	return p.next()
}

func (p *fastParser) keyword(v string) {
	if !p.isK(v) {
		p.fail()
	}
	p.i++
}

func (p *fastParser) ident() lexer.Token {
	if !p.isIdent() {
		p.fail()
	}
	return p.next()
}

func (p *fastParser) file() *gFile {
	g := &gFile{}
	for p.startsTopItem() {
		g.Items = append(g.Items, p.topItem())
	}
	if p.tok().Type != tokEOF {
		p.fail()
	}
	return g
}

func (p *fastParser) startsTopItem() bool {
	return p.isP("@") || p.isK("package") || p.isK("use") || p.isK("interface") || p.isK("world")
}

func (p *fastParser) topItem() *gTopItem {
	it := &gTopItem{Pos: p.pos()}
	it.Attrs = p.attrs()
	switch {
	case p.isK("package"):
		it.Package = p.pkg()
	case p.isK("use"):
		it.Use = p.topUse()
	case p.isK("interface"):
		it.Interface = p.iface()
	case p.isK("world"):
		it.World = p.world()
	default:
		p.fail()
	}
	it.EndPos = p.pos()
	return it
}

func (p *fastParser) attrs() []*gAttr {
	var out []*gAttr
	for p.isP("@") {
		out = append(out, p.attr())
	}
	return out
}

func (p *fastParser) attr() *gAttr {
	a := &gAttr{Pos: p.pos()}
	p.punct("@")
	a.Name = p.ident()
	p.punct("(")
	switch {
	case p.isIdent():
		a.Args = append(a.Args, p.attrArg())
		for p.isP(",") {
			p.i++
			a.Args = append(a.Args, p.attrArg())
		}
	case p.tok().Type == tokString:
		s := p.next().Value
		a.Str = &s
	default:
		p.fail()
	}
	p.punct(")")
	a.EndPos = p.pos()
	return a
}

func (p *fastParser) attrArg() *gAttrArg {
	a := &gAttrArg{Pos: p.pos()}
	a.Key = p.ident()
	p.punct("=")
	switch {
	case p.isVersion():
		a.Version = p.version()
	case p.isIdent():
		a.Feature = p.next()
	default:
		p.fail()
	}
	a.EndPos = p.pos()
	return a
}

func (p *fastParser) isVersion() bool {
	t := p.tok().Type
	return t == tokVersion || t == tokInt
}

func (p *fastParser) version() *gVersion {
	if !p.isVersion() {
		p.fail()
	}
	v := &gVersion{Pos: p.pos()}
	v.Text = p.next().Value
	v.EndPos = p.pos()
	return v
}

func (p *fastParser) optVersion() *gVersion {
	if p.isP("@") {
		p.i++
		return p.version()
	}
	return nil
}

func (p *fastParser) pkg() *gPackage {
	g := &gPackage{Pos: p.pos()}
	p.keyword("package")
	g.Name = p.packageName()
	switch {
	case p.isP(";"):
		s := &gSemi{Pos: p.pos()}
		s.X = p.next().Value
		g.Semi = s
	case p.isP("{"):
		p.i++
		for p.startsTopItem() {
			g.Items = append(g.Items, p.topItem())
		}
		p.punct("}")
	default:
		p.fail()
	}
	g.EndPos = p.pos()
	return g
}

func (p *fastParser) packageName() *gPackageName {
	n := &gPackageName{Pos: p.pos()}
	n.Namespace = p.ident()
	p.punct(":")
	n.Name = p.ident()
	n.Version = p.optVersion()
	n.EndPos = p.pos()
	return n
}

func (p *fastParser) usePath() *gUsePath {
	u := &gUsePath{Pos: p.pos()}
	u.First = p.ident()
	if p.isP(":") {
		p.i++
		u.Pkg = p.ident()
		p.punct("/")
		u.Iface = p.ident()
		u.Version = p.optVersion()
	}
	u.EndPos = p.pos()
	return u
}

func (p *fastParser) topUse() *gTopUse {
	u := &gTopUse{Pos: p.pos()}
	p.keyword("use")
	u.Path = p.usePath()
	if p.isK("as") {
		p.i++
		u.As = p.ident()
	}
	p.punct(";")
	u.EndPos = p.pos()
	return u
}

func (p *fastParser) iface() *gInterface {
	g := &gInterface{Pos: p.pos()}
	p.keyword("interface")
	g.Name = p.ident()
	p.punct("{")
	g.Items = p.ifaceItems()
	p.punct("}")
	g.EndPos = p.pos()
	return g
}

func (p *fastParser) startsTypeDef() bool {
	t := p.tok()
	if t.Type != tokKeyword {
		return false
	}
	switch t.Value {
	case "type", "record", "variant", "enum", "flags", "resource":
		return true
	}
	return false
}

func (p *fastParser) ifaceItems() []*gIfaceItem {
	var out []*gIfaceItem
	for p.isP("@") || p.isIdent() || p.isK("use") || p.startsTypeDef() {
		it := &gIfaceItem{Pos: p.pos()}
		it.Attrs = p.attrs()
		switch {
		case p.isIdent():
			f := &gFuncDecl{Pos: p.pos()}
			f.Name = p.ident()
			p.punct(":")
			f.Func = p.funcType()
			p.punct(";")
			f.EndPos = p.pos()
			it.Func = f
		case p.startsTypeDef():
			it.TypeDef = p.typeDef()
		case p.isK("use"):
			it.Use = p.use()
		default:
			p.fail()
		}
		it.EndPos = p.pos()
		out = append(out, it)
	}
	return out
}

func (p *fastParser) use() *gUse {
	u := &gUse{Pos: p.pos()}
	p.keyword("use")
	u.Path = p.usePath()
	p.punct(".")
	p.punct("{")
	if p.isIdent() {
		u.Names = append(u.Names, p.useName())
		for p.isP(",") {
			p.i++
			u.Names = append(u.Names, p.useName())
		}
	}
	p.punct("}")
	p.punct(";")
	u.EndPos = p.pos()
	return u
}

func (p *fastParser) useName() *gUseName {
	n := &gUseName{Name: p.ident()}
	if p.isK("as") {
		p.i++
		n.As = p.ident()
	}
	return n
}

func (p *fastParser) funcType() *gFuncType {
	f := &gFuncType{Pos: p.pos()}
	if p.isK("async") {
		p.i++
		f.Async = true
	}
	p.keyword("func")
	f.Params = p.params()
	if p.isP("->") {
		p.i++
		f.Result = p.typ()
	}
	f.EndPos = p.pos()
	return f
}

// params parses `"(" ( param ( "," param )* )? ")"`.
func (p *fastParser) params() []*gParam {
	p.punct("(")
	var out []*gParam
	if p.isIdent() {
		for {
			pr := &gParam{Name: p.ident()}
			p.punct(":")
			pr.Type = p.typ()
			out = append(out, pr)
			if !p.isP(",") {
				break
			}
			p.i++
		}
	}
	p.punct(")")
	return out
}

func (p *fastParser) world() *gWorld {
	w := &gWorld{Pos: p.pos()}
	p.keyword("world")
	w.Name = p.ident()
	p.punct("{")
	for p.isP("@") || p.isK("import") || p.isK("export") || p.isK("use") || p.isK("include") || p.startsTypeDef() {
		it := &gWorldItem{Pos: p.pos()}
		it.Attrs = p.attrs()
		switch {
		case p.isK("import"):
			p.i++
			it.Import = p.extern()
		case p.isK("export"):
			p.i++
			it.Export = p.extern()
		case p.isK("use"):
			it.Use = p.use()
		case p.isK("include"):
			it.Include = p.include()
		case p.startsTypeDef():
			it.TypeDef = p.typeDef()
		default:
			p.fail()
		}
		it.EndPos = p.pos()
		w.Items = append(w.Items, it)
	}
	p.punct("}")
	w.EndPos = p.pos()
	return w
}

func (p *fastParser) extern() *gExtern {
	e := &gExtern{Pos: p.pos()}
	e.First = p.ident()
	switch {
	case p.isP(":"):
		p.i++
		e.Colon = true
		switch {
		case p.isK("async") || p.isK("func"):
			e.Func = p.funcType()
			p.punct(";")
		case p.isK("interface"):
			in := &gInlineIface{Pos: p.pos()}
			p.i++
			p.punct("{")
			in.Items = p.ifaceItems()
			p.punct("}")
			in.EndPos = p.pos()
			e.Inline = in
		case p.isIdent():
			e.Second = p.next()
			switch {
			case p.isP("/"):
				p.i++
				e.Slash = p.ident()
				e.SlashV = p.optVersion()
			case p.isP(":"):
				p.i++
				e.Colon2 = p.ident()
				p.punct("/")
				e.Iface2 = p.ident()
				e.Version = p.optVersion()
			}
			p.punct(";")
		default:
			p.fail()
		}
	case p.isP(";"):
		p.i++
	default:
		p.fail()
	}
	e.EndPos = p.pos()
	return e
}

func (p *fastParser) include() *gInclude {
	g := &gInclude{Pos: p.pos()}
	p.keyword("include")
	g.Path = p.usePath()
	switch {
	case p.isK("with"):
		p.i++
		g.With = true
		p.punct("{")
		if p.isIdent() {
			for {
				n := &gIncludeName{Name: p.ident()}
				p.keyword("as")
				n.As = p.ident()
				g.Names = append(g.Names, n)
				if !p.isP(",") {
					break
				}
				p.i++
			}
		}
		p.punct("}")
	case p.isP(";"):
		p.i++
	default:
		p.fail()
	}
	g.EndPos = p.pos()
	return g
}

func (p *fastParser) typeDef() *gTypeDef {
	d := &gTypeDef{Pos: p.pos()}
	kw := p.tok().Value
	p.i++
	switch kw {
	case "type":
		a := &gAlias{Name: p.ident()}
		p.punct("=")
		a.Type = p.typ()
		p.punct(";")
		d.Alias = a
	case "record":
		r := &gRecord{Name: p.ident()}
		p.punct("{")
		if p.isIdent() {
			for {
				f := &gField{Pos: p.pos()}
				f.Name = p.ident()
				p.punct(":")
				f.Type = p.typ()
				r.Fields = append(r.Fields, f)
				if !p.isP(",") {
					break
				}
				p.i++
			}
		}
		p.punct("}")
		d.Record = r
	case "variant":
		v := &gVariant{Name: p.ident()}
		p.punct("{")
		if p.isIdent() {
			for {
				c := &gCase{Pos: p.pos()}
				c.Name = p.ident()
				if p.isP("(") {
					p.i++
					c.Type = p.typ()
					p.punct(")")
				}
				v.Cases = append(v.Cases, c)
				if !p.isP(",") {
					break
				}
				p.i++
			}
		}
		p.punct("}")
		d.Variant = v
	case "enum":
		e := &gEnum{Name: p.ident()}
		e.Cases = p.labels()
		d.Enum = e
	case "flags":
		f := &gFlags{Name: p.ident()}
		f.Flags = p.labels()
		d.Flags = f
	case "resource":
		r := &gResource{Name: p.ident()}
		switch {
		case p.isP("{"):
			p.i++
			r.Body = true
			for p.isP("@") || p.isIdent() || p.isK("constructor") {
				r.Funcs = append(r.Funcs, p.resourceFunc())
			}
			p.punct("}")
		case p.isP(";"):
			p.i++
		default:
			p.fail()
		}
		d.Resource = r
	default:
		p.fail()
	}
	d.EndPos = p.pos()
	return d
}

// labels parses `"{" ( label ( "," label )* )? "}"`.
func (p *fastParser) labels() []*gLabel {
	p.punct("{")
	var out []*gLabel
	if p.isIdent() {
		for {
			l := &gLabel{Pos: p.pos()}
			l.Name = p.ident()
			out = append(out, l)
			if !p.isP(",") {
				break
			}
			p.i++
		}
	}
	p.punct("}")
	return out
}

func (p *fastParser) resourceFunc() *gResourceFunc {
	f := &gResourceFunc{Pos: p.pos()}
	f.Attrs = p.attrs()
	switch {
	case p.isIdent():
		f.Name = p.ident()
		p.punct(":")
		if p.isK("static") {
			p.i++
			f.Static = true
		}
		f.Func = p.funcType()
	case p.isK("constructor"):
		c := &gCtor{Pos: p.pos()}
		p.i++
		c.Params = p.params()
		if p.isP("->") {
			p.i++
			c.Result = p.typ()
		}
		c.EndPos = p.pos()
		f.Constructor = c
	default:
		p.fail()
	}
	p.punct(";")
	f.EndPos = p.pos()
	return f
}

func (p *fastParser) angleIdent() lexer.Token {
	p.punct("<")
	t := p.ident()
	p.punct(">")
	return t
}

func (p *fastParser) typ() *gType {
	g := &gType{Pos: p.pos()}
	t := p.tok()
	switch t.Type {
	case tokIdent:
		g.Simple = p.next()
	case tokKeyword:
		p.i++
		switch t.Value {
		case "bool", "u8", "u16", "u32", "u64", "s8", "s16", "s32", "s64", "f32", "f64", "char", "string", "error-context":
			g.Simple = *t
		case "list":
			l := &gList{}
			p.punct("<")
			l.Elem = p.typ()
			if p.isP(",") {
				p.i++
				if p.tok().Type != tokInt {
					p.fail()
				}
				s := &gSize{Pos: p.pos()}
				s.Text = p.next().Value
				s.EndPos = p.pos()
				l.Size = s
			}
			p.punct(">")
			g.List = l
		case "map":
			m := &gMap{}
			p.punct("<")
			m.Key = p.typ()
			p.punct(",")
			m.Value = p.typ()
			p.punct(">")
			g.Map = m
		case "option":
			p.punct("<")
			g.Option = p.typ()
			p.punct(">")
		case "result":
			r := &gResult{Keyword: true}
			if p.isP("<") {
				p.i++
				r.Open = true
				if p.isK("_") {
					p.i++
					r.NoOK = true
					p.punct(",")
					r.Err0 = p.typ()
				} else {
					r.OK = p.typ()
					if p.isP(",") {
						p.i++
						r.Err = p.typ()
					}
				}
				p.punct(">")
			}
			g.Result = r
		case "tuple":
			tt := &gTuple{}
			p.punct("<")
			if !p.isP(">") {
				for {
					tt.Elems = append(tt.Elems, p.typ())
					if !p.isP(",") {
						break
					}
					p.i++
				}
			}
			p.punct(">")
			g.Tuple = tt
		case "own":
			g.Own = p.angleIdent()
		case "borrow":
			g.Borrow = p.angleIdent()
		case "future", "stream":
			o := &gOptParam{}
			if p.isP("<") {
				p.i++
				o.Elem = p.typ()
				p.punct(">")
			}
			if t.Value == "future" {
				g.Future = o
			} else {
				g.Stream = o
			}
		default:
			p.fail()
		}
	default:
		p.fail()
	}
	g.EndPos = p.pos()
	return g
}
