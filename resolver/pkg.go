package resolver

import (
	"fmt"
	"sort"

	"github.com/witc-dev/witc/diag"
	"github.com/witc-dev/witc/parser/ast"
	"github.com/witc-dev/witc/wit"
)

// errAbort is returned inside the package phase after an error has been
// reported: the current item is abandoned and resolution goes on with the
// next one.
var errAbort = fmt.Errorf("resolution error reported")

// pkgState resolves one package: the analogue of wit-parser's per-package
// resolver producing an "unresolved package", except that references to
// other packages point directly at their resolved items.
type pkgState struct {
	st  *state
	src *source

	cur       int                // index of the decl list being resolved
	fileItems []map[string]*item // per decl list: top-level names in scope
	pkgItems  map[string]*item   // interfaces and worlds of the package

	foreignPkgs []*foreignPkg // in order of first mention
	foreignIdx  map[string]*foreignPkg
	foreignAll  []*foreignItem // in order of creation

	ifaces []*uiface // local interfaces, in allocation order
	worlds []*uworld // local worlds, in allocation order
	types  []*wit.TypeDef

	anon      map[string]*wit.TypeDef // anonymous types by wit.TypeKeys key
	anonSmall map[anonKey]*wit.TypeDef
	keys      wit.TypeKeys // interning of anonymous types
	lookup    *scope       // names of the interface or world being resolved
	poisoned  map[*wit.TypeDef]bool

	// requiredResources are names used in handles that lead to a type of
	// another package, checked when the package is pushed.
	requiredResources []requiredResource
	failed            bool
	// missing holds the unknown names the last toposort reported.
	missing []ast.Ident
}

type requiredResource struct {
	ty   *wit.TypeDef
	span diag.Span
}

// item is an interface or a world, local or foreign.
type item struct {
	iface *uiface
	world *uworld
}

type foreignPkg struct {
	name  wit.PackageName
	span  diag.Span // first mention
	pkg   *wit.Package
	items []*foreignItem
	byKey map[string]*foreignItem
}

type foreignItem struct {
	pkg   *foreignPkg
	name  string
	span  diag.Span
	stabs []wit.Stability
	world bool
	it    *item
}

type uiface struct {
	it      *wit.Interface
	foreign *foreignItem
	lookup  *scope
	// placeholders lists the names used from a foreign interface, in order
	// of first use, with the span of that use.
	placeholders []placeholder
}

type placeholder struct {
	name string
	span diag.Span
	stab wit.Stability
	ty   *wit.TypeDef // nil when the interface has no such type
}

type uworld struct {
	w        *wit.World
	foreign  *foreignItem
	includes []uinclude
	spans    map[string]diag.Span
}

type uinclude struct {
	stab  wit.Stability
	from  *uworld
	names []ast.IncludeName
	span  diag.Span
}

// nameList is a list of distinct names with their indices. Most lists are
// short: those are searched by a scan, and a map is built only for long
// ones.
type nameList struct {
	names []string
	idx   map[string]int32
}

// smallNames is the length up to which names are searched by a scan.
const smallNames = 16

func newNameList(n int) *nameList { return &nameList{names: make([]string, 0, n)} }

// find returns the index of name, or -1.
func (l *nameList) find(name string) int {
	if l.idx != nil {
		if i, ok := l.idx[name]; ok {
			return int(i)
		}
		return -1
	}
	for i, n := range l.names {
		if n == name {
			return i
		}
	}
	return -1
}

// add appends name, which must not be in the list yet.
func (l *nameList) add(name string) {
	l.names = append(l.names, name)
	if l.idx != nil {
		l.idx[name] = int32(len(l.names) - 1)
	} else if len(l.names) > smallNames {
		l.idx = make(map[string]int32, 2*len(l.names))
		for i, n := range l.names {
			l.idx[n] = int32(i)
		}
	}
}

// scope is an ordered name → type-or-function map (wit-parser's type_lookup).
type scope struct {
	nameList
	entries []scopeEntry // parallel to names
}

type scopeEntry struct {
	ty   *wit.TypeDef
	fn   bool // a function name, not a type
	span diag.Span
}

func newScope() *scope { return &scope{} }

// newScopeSize returns a scope for about n names.
func newScopeSize(n int) *scope {
	return &scope{nameList: nameList{names: make([]string, 0, n)}, entries: make([]scopeEntry, 0, n)}
}

// get returns the entry of name.
func (s *scope) get(name string) (scopeEntry, bool) {
	if i := s.find(name); i >= 0 {
		return s.entries[i], true
	}
	return scopeEntry{}, false
}

// entry returns the entry of name, or the zero entry.
func (s *scope) entry(name string) scopeEntry {
	e, _ := s.get(name)
	return e
}

func (s *scope) has(name string) bool { return s.find(name) >= 0 }

func (s *scope) define(name string, e scopeEntry) bool {
	if s.find(name) >= 0 {
		return false
	}
	s.add(name)
	s.entries = append(s.entries, e)
	return true
}

func (p *pkgState) fail(code diag.Code, at diag.Span, format string, args ...any) error {
	p.failed = true
	p.st.errorf(code, at, format, args...)
	return errAbort
}

// failSuggest is fail for an undefined name, with a "did you mean" help
// when one of the candidates is close to name.
func (p *pkgState) failSuggest(name string, candidates []string, at diag.Span, format string, args ...any) error {
	p.failed = true
	p.st.errorf(diag.UndefinedName, at, format, args...).Suggestf(name, candidates)
	return errAbort
}

// typeNames lists the types (not functions) of a scope in definition order.
func (s *scope) typeNames() []string {
	var out []string
	for i, n := range s.names {
		if !s.entries[i].fn {
			out = append(out, n)
		}
	}
	return out
}

// itemNames lists the interfaces and worlds that a use path without a
// package may name in the current file, sorted.
func (p *pkgState) itemNames() []string {
	var out []string
	for n := range p.pkgItems {
		out = append(out, n)
	}
	if p.cur < len(p.fileItems) {
		for n := range p.fileItems[p.cur] {
			if p.pkgItems[n] == nil {
				out = append(out, n)
			}
		}
	}
	sort.Strings(out)
	return out
}

// forEachPath visits every path of a decl list in wit-parser's order: per
// item; within a world, uses and includes in order, then the paths of
// imports, then those of exports. owner is the interface name for
// interface-level uses and the world name for includes.
func forEachPath(items []ast.Item, fn func(owner *ast.Ident, attrs []ast.Attr, path *ast.UsePath, names []ast.UseName, world bool)) {
	inlineUses := func(ii []ast.InterfaceItem) {
		for _, x := range ii {
			if u, ok := x.(*ast.Use); ok {
				fn(nil, u.Attrs, &u.From, u.Names, false)
			}
		}
	}
	for _, it := range items {
		switch it := it.(type) {
		case *ast.World:
			var imports, exports []*ast.Extern
			for _, wi := range it.Items {
				switch wi := wi.(type) {
				case *ast.Use:
					fn(nil, wi.Attrs, &wi.From, wi.Names, false)
				case *ast.Include:
					fn(&it.Name, wi.Attrs, &wi.From, nil, true)
				case *ast.Extern:
					if wi.Dir == ast.Import {
						imports = append(imports, wi)
					} else {
						exports = append(exports, wi)
					}
				}
			}
			for _, e := range append(imports, exports...) {
				switch {
				case e.Inline != nil:
					inlineUses(e.Inline.Items)
				case e.Path != nil:
					fn(nil, e.Attrs, e.Path, nil, false)
				}
			}
		case *ast.Interface:
			for _, x := range it.Items {
				if u, ok := x.(*ast.Use); ok {
					fn(&it.Name, u.Attrs, &u.From, u.Names, false)
				}
			}
		case *ast.TopLevelUse:
			fn(nil, it.Attrs, &it.Path, nil, false)
		}
	}
}

// populateForeign records every item of another package that the source
// mentions, in wit-parser's order.
func (p *pkgState) populateForeign() {
	for _, dl := range p.src.lists {
		forEachPath(dl.items, func(_ *ast.Ident, attrs []ast.Attr, path *ast.UsePath, _ []ast.UseName, world bool) {
			if path.Package == nil {
				return
			}
			key := pathPkgKey(path.Package)
			fp := p.foreignIdx[key]
			if fp == nil {
				name, _ := p.st.pkgNameQuiet(path.Package)
				fp = &foreignPkg{name: name, span: path.Package.Span, byKey: map[string]*foreignItem{}}
				fp.pkg = p.st.byName[name.String()]
				p.foreignIdx[key] = fp
				p.foreignPkgs = append(p.foreignPkgs, fp)
			}
			fi := fp.byKey[path.Name.Name]
			if fi == nil {
				fi = &foreignItem{pkg: fp, name: path.Name.Name, span: path.Name.Span, world: world}
				fp.byKey[path.Name.Name] = fi
				fp.items = append(fp.items, fi)
				p.foreignAll = append(p.foreignAll, fi)
				if world {
					uw := &uworld{foreign: fi}
					if fp.pkg != nil {
						uw.w = fp.pkg.World(fi.name)
					}
					fi.it = &item{world: uw}
				} else {
					ui := &uiface{foreign: fi, lookup: newScope()}
					if fp.pkg != nil {
						ui.it = fp.pkg.Interface(fi.name)
					}
					fi.it = &item{iface: ui}
				}
			}
			stab, _ := p.stabilityQuiet(attrs)
			fi.stabs = append(fi.stabs, stab)
		})
	}
}

// populateItems checks names, orders interfaces and worlds topologically and
// creates them, and builds each file's namespace.
func (p *pkgState) populateItems() ([]*ast.Interface, []*ast.World, []int, []int, error) {
	type named struct {
		span  diag.Span
		iface *ast.Interface
		world *ast.World
		list  int
	}
	nitems := 0
	for _, dl := range p.src.lists {
		nitems += len(dl.items)
	}
	keys := make([]string, 0, nitems)
	defs := make(map[string]*named, nitems)
	deps := make(map[string][]ast.Ident, nitems)
	for li, dl := range p.src.lists {
		for _, it := range dl.items {
			var n *named
			var name ast.Ident
			switch it := it.(type) {
			case *ast.Interface:
				name, n = it.Name, &named{span: it.Name.Span, iface: it, list: li}
			case *ast.World:
				name, n = it.Name, &named{span: it.Name.Span, world: it, list: li}
			default:
				continue
			}
			if _, dup := defs[name.Name]; dup {
				return nil, nil, nil, nil, p.fail(diag.DuplicateName, name.Span, "duplicate item named `%s`", name.Name)
			}
			defs[name.Name] = n
			keys = append(keys, name.Name)
			deps[name.Name] = nil
		}
	}
	type nsEntry struct {
		local   *ast.Ident
		foreign bool
	}
	for _, dl := range p.src.lists {
		ns := make(map[string]nsEntry, len(dl.items))
		for _, it := range dl.items {
			var name ast.Ident
			var e nsEntry
			switch it := it.(type) {
			case *ast.TopLevelUse:
				name = it.Path.Name
				if it.As != nil {
					name = *it.As
				}
				if it.Path.Package == nil {
					e.local = &it.Path.Name
				} else {
					e.foreign = true
				}
			case *ast.Interface:
				name, e.local = it.Name, &it.Name
			case *ast.World:
				name, e.local = it.Name, &it.Name
			default:
				continue
			}
			if _, dup := ns[name.Name]; dup {
				return nil, nil, nil, nil, p.fail(diag.DuplicateName, name.Span, "duplicate name `%s` in this file", name.Name)
			}
			ns[name.Name] = e
		}
		var err error
		forEachPath(dl.items, func(owner *ast.Ident, _ []ast.Attr, path *ast.UsePath, _ []ast.UseName, _ bool) {
			if err != nil || owner == nil || path.Package != nil {
				return
			}
			used := path.Name
			if e, ok := ns[used.Name]; ok {
				if e.foreign {
					return
				}
				deps[owner.Name] = append(deps[owner.Name], *e.local)
				return
			}
			if _, ok := defs[used.Name]; ok {
				deps[owner.Name] = append(deps[owner.Name], used)
				return
			}
			cands := append([]string(nil), keys...)
			for n := range ns {
				cands = append(cands, n)
			}
			sort.Strings(cands[len(keys):])
			err = p.failSuggest(used.Name, cands, used.Span, "interface or world `%s` does not exist", used.Name)
		})
		if err != nil {
			return nil, nil, nil, nil, err
		}
	}
	ks := newNameList(len(keys))
	kdeps := make([][]ast.Ident, len(keys))
	for i, k := range keys {
		ks.add(k)
		kdeps[i] = deps[k]
	}
	order, err := p.toposort("interface or world", ks, kdeps)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	var ifaceOrder []*ast.Interface
	var worldOrder []*ast.World
	var ifaceLists, worldLists []int
	p.pkgItems = make(map[string]*item, len(order))
	ntypes := 0 // about two types per item of an interface: its own and anonymous ones
	for _, n := range defs {
		if n.iface != nil {
			ntypes += 2 * len(n.iface.Items)
		}
	}
	p.types = make([]*wit.TypeDef, 0, ntypes)
	// About one anonymous type in four; a large package's map grows as
	// the syntax it replaces is dropped, rather than at once.
	p.anonSmall = make(map[anonKey]*wit.TypeDef, min(ntypes/4, 1<<10))
	for _, i := range order {
		name := keys[i]
		n := defs[name]
		if n.iface != nil {
			ui := &uiface{it: &wit.Interface{Name: name, Span: n.span}, lookup: newScope()}
			p.ifaces = append(p.ifaces, ui)
			p.pkgItems[name] = &item{iface: ui}
			ifaceOrder = append(ifaceOrder, n.iface)
			ifaceLists = append(ifaceLists, n.list)
		} else {
			uw := &uworld{w: &wit.World{Name: name, Span: n.span}, spans: map[string]diag.Span{}}
			p.worlds = append(p.worlds, uw)
			p.pkgItems[name] = &item{world: uw}
			worldOrder = append(worldOrder, n.world)
			worldLists = append(worldLists, n.list)
		}
	}
	for _, dl := range p.src.lists {
		items := make(map[string]*item, len(dl.items))
		for _, it := range dl.items {
			switch it := it.(type) {
			case *ast.TopLevelUse:
				if len(it.Attrs) > 0 {
					return nil, nil, nil, nil, p.fail(diag.MisplacedAttribute, it.Span, "attributes not allowed on top-level use")
				}
				name := it.Path.Name.Name
				if it.As != nil {
					name = it.As.Name
				}
				if it.Path.Package == nil {
					target := p.pkgItems[it.Path.Name.Name]
					if target == nil {
						return nil, nil, nil, nil, p.failSuggest(it.Path.Name.Name, p.itemNames(), it.Path.Name.Span, "interface or world `%s` does not exist", it.Path.Name.Name)
					}
					items[name] = target
				} else {
					items[name] = p.foreignIdx[pathPkgKey(it.Path.Package)].byKey[it.Path.Name.Name].it
				}
			case *ast.Interface:
				items[it.Name.Name] = p.pkgItems[it.Name.Name]
			case *ast.World:
				items[it.Name.Name] = p.pkgItems[it.Name.Name]
			}
		}
		p.fileItems = append(p.fileItems, items)
	}
	return ifaceOrder, worldOrder, ifaceLists, worldLists, nil
}

// toposort orders keys so that each comes after its deps (deps[i] are the
// names keys.names[i] refers to), taking the earliest available key first;
// it returns the order as indices of keys and reports unknown names and
// cycles as wit-parser does.
func (p *pkgState) toposort(kind string, keys *nameList, deps [][]ast.Ident) ([]int, error) {
	n := len(keys.names)
	// depIdx holds the index of every dependency, -1 when it is unknown;
	// inOrder says whether each key only depends on earlier ones, when
	// the definition order is the answer.
	total := 0
	for _, ds := range deps {
		total += len(ds)
	}
	depIdx := make([]int32, 0, total)
	inOrder := true
	var missing []ast.Ident
	for i := range n {
		for _, d := range deps[i] {
			j := keys.find(d.Name)
			depIdx = append(depIdx, int32(j))
			if j >= i {
				inOrder = false
			}
			if j >= 0 {
				continue
			}
			msg := fmt.Sprintf("%s `%s` does not exist", kind, d.Name)
			switch d.Name {
			case "float32", "float64":
				msg += fmt.Sprintf("\nthe `%s` type has been renamed to `f%s` and is no longer accepted, but the `WIT_REQUIRE_F32_F64=0` environment variable can be used to temporarily disable this error", d.Name, d.Name[5:])
			}
			cands := keys.names
			switch {
			case msg != fmt.Sprintf("%s `%s` does not exist", kind, d.Name):
				cands = nil // the message says what to write instead
			case kind == "type":
				cands = append(append([]string(nil), keys.names...), primitiveNames...)
			}
			p.failSuggest(d.Name, cands, d.Span, "%s", msg)
			missing = append(missing, d)
			// reported; the edge is dropped so that resolution goes on
		}
	}
	p.missing = missing
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	if inOrder {
		return order, nil
	}
	order = order[:0]
	remaining := make([]int32, n)
	// reverse[revAt[j]:revAt[j+1]] are the keys that depend on key j.
	revAt := make([]int32, n+1)
	for _, j := range depIdx {
		if j >= 0 {
			revAt[j+1]++
		}
	}
	for j := range n {
		revAt[j+1] += revAt[j]
	}
	reverse := make([]int32, revAt[n])
	fill := append([]int32(nil), revAt[:n]...)
	k := 0
	for i := range n {
		for range deps[i] {
			if j := depIdx[k]; j >= 0 {
				remaining[i]++
				reverse[fill[j]] = int32(i)
				fill[j]++
			}
			k++
		}
	}
	// The keys that are ready, smallest index first (a heap: an interface
	// may define tens of thousands of independent types).
	var ready minHeap
	for i := range n {
		if remaining[i] == 0 {
			ready.push(int32(i))
		}
	}
	for len(ready) > 0 {
		i := ready.pop()
		order = append(order, int(i))
		for _, r := range reverse[revAt[i]:revAt[i+1]] {
			remaining[r]--
			if remaining[r] == 0 {
				ready.push(r)
			}
		}
	}
	if len(order) == n {
		return order, nil
	}
	for i := range n {
		if remaining[i] == 0 {
			continue
		}
		for _, d := range deps[i] {
			j := keys.find(d.Name)
			if j < 0 || remaining[j] == 0 {
				continue
			}
			return nil, p.fail(diag.Cycle, d.Span, "%s `%s` depends on itself", kind, d.Name)
		}
	}
	return nil, p.fail(diag.Cycle, diag.Span{}, "%s cycle", kind)
}

// minHeap is a min-heap of indices.
type minHeap []int32

func (h *minHeap) push(x int32) {
	a := append(*h, x)
	i := len(a) - 1
	for i > 0 {
		up := (i - 1) / 2
		if a[up] <= a[i] {
			break
		}
		a[up], a[i] = a[i], a[up]
		i = up
	}
	*h = a
}

func (h *minHeap) pop() int32 {
	a := *h
	x := a[0]
	last := len(a) - 1
	a[0] = a[last]
	a = a[:last]
	i := 0
	for {
		l := 2*i + 1
		if l >= len(a) {
			break
		}
		if r := l + 1; r < len(a) && a[r] < a[l] {
			l = r
		}
		if a[i] <= a[l] {
			break
		}
		a[i], a[l] = a[l], a[i]
		i = l
	}
	*h = a
	return x
}

// populateForeignTypes creates, for every name used from a foreign
// interface, its placeholder (bound to the resolved type when it exists).
func (p *pkgState) populateForeignTypes() error {
	for li, dl := range p.src.lists {
		p.cur = li
		var err error
		forEachPath(dl.items, func(_ *ast.Ident, attrs []ast.Attr, path *ast.UsePath, names []ast.UseName, _ bool) {
			if err != nil || names == nil {
				return
			}
			stab, e := p.stability(attrs)
			if e != nil {
				err = e
				return
			}
			it, name, span, e := p.itemPath(path)
			if e != nil {
				err = e
				return
			}
			ui, e := p.ifaceOf(it, name, span)
			if e != nil {
				err = e
				return
			}
			if ui.foreign == nil {
				return
			}
			for _, n := range names {
				if ui.lookup.has(n.Name.Name) {
					continue
				}
				ph := placeholder{name: n.Name.Name, span: n.Name.Span, stab: stab}
				if ui.it != nil {
					ph.ty = ui.it.Type(n.Name.Name)
				}
				ty := ph.ty
				if ty == nil {
					ty = &wit.TypeDef{Name: n.Name.Name, Kind: &wit.Alias{}}
					p.poisoned[ty] = true
				}
				ui.placeholders = append(ui.placeholders, ph)
				ui.lookup.define(n.Name.Name, scopeEntry{ty: ty, span: n.Name.Span})
			}
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// itemPath resolves a use path to an interface or world of this package
// (through the current file's namespace) or of another one.
func (p *pkgState) itemPath(path *ast.UsePath) (*item, string, diag.Span, error) {
	if path.Package == nil {
		it := p.fileItems[p.cur][path.Name.Name]
		if it == nil {
			it = p.pkgItems[path.Name.Name]
		}
		if it == nil {
			return nil, "", diag.Span{}, p.failSuggest(path.Name.Name, p.itemNames(), path.Name.Span, "interface or world `%s` does not exist", path.Name.Name)
		}
		return it, path.Name.Name, path.Name.Span, nil
	}
	fi := p.foreignIdx[pathPkgKey(path.Package)].byKey[path.Name.Name]
	return fi.it, path.Name.Name, path.Name.Span, nil
}

func (p *pkgState) ifaceOf(it *item, name string, span diag.Span) (*uiface, error) {
	if it.iface == nil {
		return nil, p.fail(diag.WrongKind, span, "name `%s` is defined as a world, not an interface", name)
	}
	return it.iface, nil
}

func (p *pkgState) worldOf(it *item, name string, span diag.Span) (*uworld, error) {
	if it.world == nil {
		return nil, p.fail(diag.WrongKind, span, "name `%s` is defined as an interface, not a world", name)
	}
	return it.world, nil
}

func (p *pkgState) stabilityQuiet(attrs []ast.Attr) (wit.Stability, bool) {
	var s wit.Stability
	var since, dep *ast.Version
	var feature *ast.Ident
	for i := range attrs {
		a := &attrs[i]
		switch a.Kind {
		case ast.AttrSince:
			if since != nil {
				return s, false
			}
			since = a.Version
		case ast.AttrDeprecated:
			if dep != nil {
				return s, false
			}
			dep = a.Version
		case ast.AttrUnstable:
			if feature != nil {
				return s, false
			}
			feature = &a.Feature
		}
	}
	parse := func(v *ast.Version) *wit.Version {
		if v == nil {
			return nil
		}
		out, err := wit.ParseVersion(v.Text)
		if err != nil {
			return nil
		}
		return out
	}
	switch {
	case since != nil && feature == nil:
		s = wit.Stability{Kind: wit.Stable, Since: parse(since), Deprecated: parse(dep)}
	case since == nil && feature != nil:
		s = wit.Stability{Kind: wit.Unstable, Feature: feature.Name, Deprecated: parse(dep)}
	case since == nil && feature == nil && dep == nil:
	default:
		return s, false
	}
	return s, true
}

// stability converts the gate attributes of an item, reporting misuse.
func (p *pkgState) stability(attrs []ast.Attr) (wit.Stability, error) {
	var sinceAttr, depAttr *ast.Attr
	var seenUnstable bool
	for i := range attrs {
		a := &attrs[i]
		switch a.Kind {
		case ast.AttrSince:
			if sinceAttr != nil {
				return wit.Stability{}, p.fail(diag.AttributeConflict, a.Span, "cannot specify @since twice")
			}
			sinceAttr = a
		case ast.AttrDeprecated:
			if depAttr != nil {
				return wit.Stability{}, p.fail(diag.AttributeConflict, a.Span, "cannot specify @deprecated twice")
			}
			depAttr = a
		case ast.AttrUnstable:
			if seenUnstable {
				return wit.Stability{}, p.fail(diag.AttributeConflict, a.Span, "cannot specify @unstable twice")
			}
			seenUnstable = true
		}
	}
	for _, a := range []*ast.Attr{sinceAttr, depAttr} {
		if a != nil && a.Version != nil {
			if _, err := wit.ParseVersion(a.Version.Text); err != nil {
				return wit.Stability{}, p.fail(diag.InvalidVersion, a.Version.Span, "invalid version `%s`: %v", a.Version.Text, err)
			}
		}
	}
	if sinceAttr != nil && seenUnstable {
		return wit.Stability{}, p.fail(diag.AttributeConflict, sinceAttr.Span, "cannot specify both @since and @unstable")
	}
	if depAttr != nil && sinceAttr == nil && !seenUnstable {
		return wit.Stability{}, p.fail(diag.AttributeConflict, depAttr.Span, "cannot specify both @deprecated without @since or @unstable")
	}
	s, _ := p.stabilityQuiet(attrs)
	return s, nil
}

func (p *pkgState) externalID(attrs []ast.Attr) (string, error) {
	var id string
	seen := false
	for i := range attrs {
		if attrs[i].Kind == ast.AttrExternalID {
			if seen {
				return "", p.fail(diag.AttributeConflict, attrs[i].Span, "cannot specify @external-id twice")
			}
			seen, id = true, attrs[i].Value
		}
	}
	return id, nil
}

// pkgNameQuiet converts a package reference without reporting errors (the
// version was validated by the parser).
func (st *state) pkgNameQuiet(n *ast.PackageName) (wit.PackageName, bool) {
	out := wit.PackageName{Namespace: n.Namespace.Name, Name: n.Name.Name}
	if n.Version != nil {
		v, err := wit.ParseVersion(n.Version.Text)
		if err != nil {
			return out, false
		}
		out.Version = v
	}
	return out, true
}
