package wit

import (
	"fmt"
	"io"
	"strings"
)

// Print returns the WIT text of main followed by every other package of res
// (in ID order) as nested `package ... { }` blocks, formatted exactly as
// `wasm-tools component wit` prints them. main may be nil to print every
// package nested.
func Print(res *Resolve, main *Package) string {
	p := &printer{}
	p.resolve(res, main)
	return p.b.String()
}

// Fprint writes the text of Print to w as it goes, never holding it
// whole; it returns the first error of w.
func Fprint(w io.Writer, res *Resolve, main *Package) error {
	p := &printer{w: w}
	p.resolve(res, main)
	p.flush()
	return p.err
}

// printChunk is how much text Fprint gathers before it writes.
const printChunk = 64 << 10

func (p *printer) resolve(res *Resolve, main *Package) {
	if main != nil {
		p.pkg(main, true)
	}
	nested := 0
	for _, pk := range res.Packages {
		if pk == main {
			continue
		}
		if nested > 0 {
			p.newline()
			p.newline()
		}
		p.pkg(pk, false)
		nested++
	}
}

// PrintPackage returns the WIT text of one package on its own, as the main
// package of a file.
func PrintPackage(pkg *Package) string {
	p := &printer{}
	p.pkg(pkg, true)
	return p.b.String()
}

type printer struct {
	b           strings.Builder
	indent      int
	needsIndent bool
	anyItems    bool
	// w, when set, receives b at a line's end once it has grown past
	// printChunk; err is its first error, after which nothing more is
	// written.
	w   io.Writer
	err error
}

// flush writes out what b holds, when there is a writer.
func (p *printer) flush() {
	if p.w == nil {
		return
	}
	if p.err == nil {
		_, p.err = io.WriteString(p.w, p.b.String())
	}
	p.b.Reset()
}

func (p *printer) indentIfNeeded() {
	if p.needsIndent {
		for i := 0; i < p.indent; i++ {
			p.b.WriteString("  ")
		}
		p.needsIndent = false
	}
}

func (p *printer) str(s string) {
	p.indentIfNeeded()
	p.b.WriteString(s)
}

func (p *printer) newline() {
	p.b.WriteByte('\n')
	p.needsIndent = true
	if p.w != nil && p.b.Len() >= printChunk {
		p.flush()
	}
}

func (p *printer) semicolon() {
	p.b.WriteByte(';')
	p.newline()
}

func (p *printer) open() {
	p.b.WriteString(" {")
	p.indent++
	p.newline()
}

func (p *printer) close() {
	if p.indent > 0 {
		p.indent--
	}
	p.indentIfNeeded()
	p.b.WriteByte('}')
	p.newline()
}

func (p *printer) newItem() {
	if p.anyItems {
		p.newline()
	}
	p.anyItems = true
}

func (p *printer) name(n string) { p.str(escapeName(n)) }

func (p *printer) docs(d Docs) {
	for _, line := range docLines(d.Contents) {
		p.indentIfNeeded()
		p.b.WriteString("///")
		if line != "" {
			p.b.WriteString(" ")
			p.b.WriteString(line)
		}
		p.newline()
	}
}

// docLines splits like Rust's str::lines: on \n, dropping one trailing
// empty line and a \r before each \n.
func docLines(s string) []string {
	if s == "" {
		return nil
	}
	lines := strings.Split(s, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	for i, l := range lines {
		lines[i] = strings.TrimSuffix(l, "\r")
	}
	return lines
}

func (p *printer) stability(s Stability) {
	switch s.Kind {
	case Stable:
		p.str("@since(version = " + s.Since.String() + ")")
		p.newline()
	case Unstable:
		p.str("@unstable(feature = " + s.Feature + ")")
		p.newline()
	default:
		return
	}
	if s.Deprecated != nil {
		p.str("@deprecated(version = " + s.Deprecated.String() + ")")
		p.newline()
	}
}

func (p *printer) externalID(id string) {
	if id == "" {
		return
	}
	p.str(`@external-id("`)
	for _, c := range id {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9',
			c == '-', c == '_', c == '.', c == '/', c == ':', c == ' ':
			p.b.WriteRune(c)
		case c == '\\':
			p.b.WriteString(`\\`)
		case c == '"':
			p.b.WriteString(`\"`)
		case c == '\n':
			p.b.WriteString(`\n`)
		case c == '\r':
			p.b.WriteString(`\r`)
		case c == '\t':
			p.b.WriteString(`\t`)
		default:
			fmt.Fprintf(&p.b, `\u{%x}`, c)
		}
	}
	p.b.WriteString(`")`)
	p.newline()
}

func (p *printer) pkg(pk *Package, main bool) {
	p.docs(pk.Docs)
	p.str("package ")
	p.name(pk.Name.Namespace)
	p.str(":")
	p.name(pk.Name.Name)
	if pk.Name.Version != nil {
		p.str("@" + pk.Name.Version.String())
	}
	if main {
		p.semicolon()
		p.newline()
	} else {
		p.open()
	}
	for _, it := range pk.Interfaces {
		p.docs(it.Docs)
		p.stability(it.Stability)
		p.str("interface ")
		p.name(it.Name)
		p.open()
		p.iface(it)
		p.close()
		if main {
			p.newline()
		}
	}
	for _, w := range pk.Worlds {
		p.docs(w.Docs)
		p.stability(w.Stability)
		p.str("world ")
		p.name(w.Name)
		p.open()
		p.world(w)
		p.close()
	}
	if !main {
		p.close()
	}
}

type namedType struct {
	name string
	td   *TypeDef
}

func (p *printer) iface(it *Interface) {
	prev := p.anyItems
	p.anyItems = false
	resFuncs := map[*TypeDef][]*Function{}
	var free []*Function
	for _, f := range it.Functions {
		if f.Resource != nil {
			resFuncs[f.Resource] = append(resFuncs[f.Resource], f)
		} else {
			free = append(free, f)
		}
	}
	types := make([]namedType, len(it.Types))
	for i, td := range it.Types {
		types[i] = namedType{td.Name, td}
	}
	p.types(Owner{Interface: it}, it.Package, types, resFuncs)
	for _, f := range free {
		p.newItem()
		p.docs(f.Docs)
		p.stability(f.Stability)
		p.externalID(f.ExternalID)
		p.name(f.ItemName())
		p.str(": ")
		p.function(f)
		p.semicolon()
	}
	p.anyItems = prev
}

// ItemName is the name a function is declared with inside its interface or
// resource: "m" for "[method]r.m", "constructor" for constructors.
func (f *Function) ItemName() string {
	switch f.Kind {
	case Method, AsyncMethod, Static, AsyncStatic:
		if i := strings.IndexByte(f.Name, '.'); i >= 0 {
			return f.Name[i+1:]
		}
	case Constructor:
		return "constructor"
	}
	return f.Name
}

func (p *printer) types(owner Owner, myPkg *Package, types []namedType, resFuncs map[*TypeDef][]*Function) {
	type useGroup struct {
		from  *Interface
		ty    *TypeDef
		names [][2]string // local, original
	}
	var declare []*TypeDef
	var uses []*useGroup
	for _, nt := range types {
		td := nt.td
		if a, ok := td.Kind.(*Alias); ok {
			if other, ok := a.Type.(*TypeDef); ok && other.Owner != (Owner{}) && other.Owner != owner && other.Owner.Interface != nil {
				if n := len(uses); n > 0 {
					last := uses[n-1]
					if last.from == other.Owner.Interface && last.ty.Stability.Equal(td.Stability) && last.ty.ExternalID == td.ExternalID {
						last.names = append(last.names, [2]string{nt.name, other.Name})
						continue
					}
				}
				uses = append(uses, &useGroup{from: other.Owner.Interface, ty: td, names: [][2]string{{nt.name, other.Name}}})
				continue
			}
		}
		declare = append(declare, td)
	}
	for _, u := range uses {
		p.anyItems = true
		p.stability(u.ty.Stability)
		p.externalID(u.ty.ExternalID)
		p.str("use ")
		p.ifacePath(u.from, myPkg)
		p.str(".{")
		for i, n := range u.names {
			if i > 0 {
				p.str(", ")
			}
			if n[0] == n[1] {
				p.name(n[0])
			} else {
				p.name(n[1])
				p.str(" as ")
				p.name(n[0])
			}
		}
		p.str("}")
		p.semicolon()
	}
	for _, td := range declare {
		p.newItem()
		p.docs(td.Docs)
		p.stability(td.Stability)
		p.externalID(td.ExternalID)
		if _, ok := td.Kind.(*Resource); ok {
			p.resource(td, resFuncs[td])
			continue
		}
		p.declare(td)
	}
}

// Equal reports whether s and o are the same gate: the same kind, feature
// and versions (compared as written, so 1.0.0+a and 1.0.0+b differ).
func (s Stability) Equal(o Stability) bool {
	if s.Kind != o.Kind || s.Feature != o.Feature {
		return false
	}
	eq := func(x, y *Version) bool {
		if x == nil || y == nil {
			return x == y
		}
		return x.String() == y.String()
	}
	return eq(s.Since, o.Since) && eq(s.Deprecated, o.Deprecated)
}

func (p *printer) ifacePath(it *Interface, cur *Package) {
	if it.Package == cur {
		p.name(it.Name)
		return
	}
	n := it.Package.Name
	p.name(n.Namespace)
	p.str(":")
	p.name(n.Name)
	p.str("/")
	p.name(it.Name)
	if n.Version != nil {
		p.str("@" + n.Version.String())
	}
}

func (p *printer) resource(td *TypeDef, funcs []*Function) {
	p.str("resource ")
	p.name(td.Name)
	if len(funcs) == 0 {
		p.semicolon()
		return
	}
	p.open()
	for _, f := range funcs {
		p.docs(f.Docs)
		p.stability(f.Stability)
		p.externalID(f.ExternalID)
		switch f.Kind {
		case Method, AsyncMethod:
			p.name(f.ItemName())
			p.str(": ")
		case Static, AsyncStatic:
			p.name(f.ItemName())
			p.str(": static ")
		}
		p.function(f)
		p.semicolon()
	}
	p.close()
}

func (p *printer) function(f *Function) {
	if f.Kind.IsAsync() {
		p.str("async ")
	}
	if f.Kind == Constructor {
		p.str("constructor(")
	} else {
		p.str("func(")
	}
	params := f.Params
	if f.Kind == Method || f.Kind == AsyncMethod {
		params = params[min(1, len(params)):]
	}
	for i, prm := range params {
		if i > 0 {
			p.str(", ")
		}
		p.name(prm.Name)
		p.str(": ")
		p.typeName(prm.Type)
	}
	p.str(")")
	if f.constructorShorthand() {
		return
	}
	if f.Result != nil {
		p.str(" -> ")
		p.typeName(f.Result)
	}
}

// constructorShorthand reports whether a constructor returns plain
// own<resource>, which WIT writes without a result.
func (f *Function) constructorShorthand() bool {
	if f.Kind != Constructor {
		return false
	}
	td, ok := f.Result.(*TypeDef)
	if !ok {
		return false
	}
	h, ok := td.Kind.(*Handle)
	return ok && h.Kind == Own && h.Resource == f.Resource
}

func (p *printer) world(w *World) {
	prev := p.anyItems
	p.anyItems = false
	var types []namedType
	resFuncs := map[*TypeDef][]*Function{}
	var funcs []WorldEntry
	for _, e := range w.Imports {
		switch it := e.Item.(type) {
		case *TypeDef:
			types = append(types, namedType{e.Key.Name, it})
		case *Function:
			if it.Resource != nil {
				resFuncs[it.Resource] = append(resFuncs[it.Resource], it)
				continue
			}
			funcs = append(funcs, e)
		default:
			p.worldItem(e, w.Package, "import")
			p.anyItems = true
		}
	}
	p.types(Owner{World: w}, w.Package, types, resFuncs)
	for _, e := range funcs {
		p.worldItem(e, w.Package, "import")
		p.anyItems = true
	}
	if len(w.Exports) > 0 {
		p.newItem()
	}
	for _, e := range w.Exports {
		p.worldItem(e, w.Package, "export")
	}
	p.anyItems = prev
}

func (p *printer) worldItem(e WorldEntry, cur *Package, dir string) {
	var stab Stability
	var ext string
	switch it := e.Item.(type) {
	case *WorldInterface:
		switch {
		case it.Docs.Contents != "":
			p.docs(it.Docs)
		case e.Key.Interface == nil:
			p.docs(it.Interface.Docs)
		}
		stab, ext = it.Stability, it.ExternalID
	case *Function:
		p.docs(it.Docs)
		stab, ext = it.Stability, it.ExternalID
	}
	p.stability(stab)
	p.externalID(ext)
	p.str(dir + " ")
	if e.Key.Interface != nil {
		p.ifacePath(e.Key.Interface, cur)
		p.semicolon()
		return
	}
	switch it := e.Item.(type) {
	case *WorldInterface:
		p.name(e.Key.Name)
		p.str(": ")
		if it.Interface.Name == "" {
			p.str("interface")
			p.open()
			p.iface(it.Interface)
			p.close()
		} else {
			p.ifacePath(it.Interface, cur)
			p.semicolon()
		}
	case *Function:
		p.name(it.Name)
		p.str(": ")
		p.function(it)
		p.semicolon()
	}
}

// TypeString is a reference to t in WIT syntax, as the printer writes it
// inside a declaration: a named type by its name, an anonymous one spelled
// out (`list<u8>`, `result<_, error-code>`).
func TypeString(t Type) string {
	p := &printer{}
	p.typeName(t)
	return p.b.String()
}

// FuncTypeString is the type of f in WIT syntax, as the printer writes it
// after the function's name: `func(len: u64) -> result<list<u8>, stream-error>`
// (a method without its self parameter, a constructor as `constructor(...)`).
func FuncTypeString(f *Function) string {
	p := &printer{}
	p.function(f)
	return p.b.String()
}

// typeName prints a reference to a type.
func (p *printer) typeName(t Type) {
	switch t := t.(type) {
	case Primitive:
		p.str(t.String())
	case *TypeDef:
		if t.Name != "" {
			p.name(t.Name)
			return
		}
		p.anonType(t.Kind)
	}
}

func (p *printer) anonType(k TypeDefKind) {
	switch k := k.(type) {
	case *Handle:
		p.handle(k, false)
	case *Tuple:
		p.str("tuple<")
		for i, t := range k.Types {
			if i > 0 {
				p.str(", ")
			}
			p.typeName(t)
		}
		p.str(">")
	case *Option:
		p.str("option<")
		p.typeName(k.Type)
		p.str(">")
	case *Result:
		p.result(k)
	case *List:
		p.str("list<")
		p.typeName(k.Elem)
		p.str(">")
	case *Map:
		p.str("map<")
		p.typeName(k.Key)
		p.str(", ")
		p.typeName(k.Value)
		p.str(">")
	case *FixedList:
		p.str("list<")
		p.typeName(k.Elem)
		p.str(fmt.Sprintf(", %d>", k.Len))
	case *Alias:
		p.typeName(k.Type)
	case *Future:
		p.str("future")
		if k.Type != nil {
			p.str("<")
			p.typeName(k.Type)
			p.str(">")
		}
	case *Stream:
		p.str("stream")
		if k.Type != nil {
			p.str("<")
			p.typeName(k.Type)
			p.str(">")
		}
	default:
		// records, variants, enums, flags and resources are always named
		// in a valid resolve
		p.str("<unnamed type>")
	}
}

func (p *printer) handle(h *Handle, forceOwn bool) {
	if h.Kind == Borrow {
		p.str("borrow<")
		p.name(h.Resource.Name)
		p.str(">")
		return
	}
	if forceOwn {
		p.str("own<")
	}
	p.name(h.Resource.Name)
	if forceOwn {
		p.str(">")
	}
}

func (p *printer) result(r *Result) {
	switch {
	case r.OK != nil && r.Err != nil:
		p.str("result<")
		p.typeName(r.OK)
		p.str(", ")
		p.typeName(r.Err)
		p.str(">")
	case r.Err != nil:
		p.str("result<_, ")
		p.typeName(r.Err)
		p.str(">")
	case r.OK != nil:
		p.str("result<")
		p.typeName(r.OK)
		p.str(">")
	default:
		p.str("result")
	}
}

// declare prints a named type definition.
func (p *printer) declare(td *TypeDef) {
	alias := func(body func()) {
		p.str("type ")
		p.name(td.Name)
		p.str(" = ")
		body()
		p.semicolon()
	}
	switch k := td.Kind.(type) {
	case *Handle:
		alias(func() { p.handle(k, true) })
	case *Record:
		p.str("record ")
		p.name(td.Name)
		p.open()
		for _, f := range k.Fields {
			p.docs(f.Docs)
			p.name(f.Name)
			p.str(": ")
			p.typeName(f.Type)
			p.str(",")
			p.newline()
		}
		p.close()
	case *Flags:
		p.str("flags ")
		p.name(td.Name)
		p.open()
		for _, f := range k.Flags {
			p.docs(f.Docs)
			p.name(f.Name)
			p.str(",")
			p.newline()
		}
		p.close()
	case *Variant:
		p.str("variant ")
		p.name(td.Name)
		p.open()
		for _, c := range k.Cases {
			p.docs(c.Docs)
			p.name(c.Name)
			if c.Type != nil {
				p.str("(")
				p.typeName(c.Type)
				p.str(")")
			}
			p.str(",")
			p.newline()
		}
		p.close()
	case *Enum:
		p.str("enum ")
		p.name(td.Name)
		p.open()
		for _, c := range k.Cases {
			p.docs(c.Docs)
			p.name(c.Name)
			p.str(",")
			p.newline()
		}
		p.close()
	case *Alias:
		alias(func() { p.typeName(k.Type) })
	default:
		alias(func() { p.anonType(k) })
	}
}

func escapeName(n string) string {
	if keywords[n] {
		return "%" + n
	}
	return n
}

var keywords = map[string]bool{}

func init() {
	for _, k := range strings.Fields(`use type func u8 u16 u32 u64 s8 s16 s32 s64 f32 f64 float32 float64
		char resource record flags variant enum bool string option result future stream list own borrow _
		as from static interface tuple world import export package with include constructor error-context async map`) {
		keywords[k] = true
	}
}
