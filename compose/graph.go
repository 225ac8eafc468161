package compose

import (
	"fmt"
	"strings"

	"github.com/witc-dev/witc/component"
	"github.com/witc-dev/witc/component/check"
	"github.com/witc-dev/witc/wit"
)

// Graph is a composition graph: registered packages (components), and
// nodes that import items, instantiate packages with arguments and alias
// exports of instances, some of them exported. WAC documents lower to a
// Graph; [Graph.Encode] writes the composed component.
//
// Every import of an instantiation that is given no argument becomes an
// implicit import of the composition, merged by name with the same import
// of other instantiations (the union of an interface's functions and
// types; semver-compatible names merge into the highest version).
//
// The methods check what they can when they are called (names, kinds and
// types of arguments, aliased exports); Encode checks the rest (cycles,
// implicit imports that conflict).
type Graph struct {
	pkgs      []*Package
	pkgByKey  map[string]*Package
	nodes     []*gnode
	edges     []gedge
	imports   map[string]NodeID // explicit import names
	exports   []gexport
	exportsBy map[string]NodeID
	// sess checks the packages, then the composition that nests them.
	sess *check.Session
}

// Package is a component registered in a graph under "ns:name[@version]".
type Package struct {
	Name    string
	Version *wit.Version
	c       *comp
	index   int
	// instExports are the exports (names and kinds) of the instance
	// imports that have no WIT, by import name.
	instExports map[string][]Item
}

// String is the package's name with its version, `ns:name@1.0.0`.
func (p *Package) String() string {
	if p.Version != nil {
		return p.Name + "@" + p.Version.String()
	}
	return p.Name
}

// Imports lists the package's imports in order.
func (p *Package) Imports() []Item { return items(p.c.imports) }

// Exports lists the package's exports in order.
func (p *Package) Exports() []Item { return items(p.c.exports) }

// Bytes is the package's component binary.
func (p *Package) Bytes() []byte { return p.c.bytes }

// importType is the WIT of the package's type import name: a type of its
// world (nil when there is none or witc cannot read the WIT).
func (p *Package) importType(name string) *wit.TypeDef {
	if p.c.world == nil {
		return nil
	}
	for _, e := range p.c.world.Imports {
		if td, ok := e.Item.(*wit.TypeDef); ok && e.Key.Name == name {
			return td
		}
	}
	return nil
}

func items(es []extern) []Item {
	out := make([]Item, len(es))
	for i, e := range es {
		out[i] = itemOf(e)
	}
	return out
}

// Item is the type of an import, an export or a node: a kind and, for
// functions and for instances of interfaces, their WIT. Func and
// Interface are nil when the WIT is unknown (an item of a component whose
// WIT cannot be extracted, an instantiation or a type).
type Item struct {
	Name      string
	Kind      component.ExternKind
	Func      *wit.Function
	Interface *wit.Interface // instance types
	// Exports are the exports of an instance that is an instantiation.
	Exports []Item
}

func itemOf(e extern) Item {
	return Item{Name: e.name, Kind: e.kind, Func: e.fn, Interface: e.iface}
}

func (it Item) extern(name string) extern {
	return extern{name: name, attrs: component.Name{Name: name}, kind: it.Kind, iface: it.Interface, fn: it.Func}
}

// NodeID identifies a node of a graph: its index, in the order nodes are
// added.
type NodeID int

// NodeKind is what a node is.
type NodeKind int

// The kinds of nodes.
const (
	NodeImport        NodeKind = iota // an explicit import of the composition
	NodeInstantiation                 // an instantiation of a package
	NodeAlias                         // an export of an instance
	NodeType                          // a type definition
)

// NodeInfo describes a node.
type NodeInfo struct {
	Kind NodeKind
	// Item is the node's type; an instantiation's is an instance whose
	// Exports are the package's.
	Item Item
	// Package is the package instantiated, or the one whose export types
	// an import made with ImportExport.
	Package *Package
	// Name is the name given by SetNodeName.
	Name string
	// Import is an import node's name; Export the name of the export an
	// alias node aliases (Source is its instance); Exports the names the
	// node is exported under.
	Import  string
	Export  string
	Source  NodeID
	Exports []string
	// Arguments are an instantiation's arguments by import name.
	Arguments map[string]NodeID
}

type gnode struct {
	kind     NodeKind
	item     Item
	pkg      *Package
	name     string
	imp      string
	src      NodeID
	export   string
	typeKind string         // NodeType: its kind in DOT
	def      TypeDef        // NodeType: its WIT
	args     map[int]NodeID // instantiation: import index → argument
	exports  []string
}

type gedge struct {
	from, to NodeID
	label    string
}

type gexport struct {
	node NodeID
	name string
}

// NewGraph returns an empty graph.
func NewGraph() *Graph {
	return &Graph{pkgByKey: map[string]*Package{}, imports: map[string]NodeID{}, exportsBy: map[string]NodeID{},
		sess: check.NewSession()}
}

// WIT is the WIT the package's component implements, as check.DecodeWIT
// gives it (nil when it cannot be extracted: a component exporting a
// type).
func (p *Package) WIT() *wit.Resolve { return p.c.res }

// AddPackage decodes and checks a component and registers it as package
// name (`ns:name`) at version (nil for none). A name and version can be
// registered once. The graph keeps wasm and nests it as it is: it must
// not change until the graph is encoded.
func (g *Graph) AddPackage(name string, version *wit.Version, wasm []byte) (*Package, error) {
	p := &Package{Name: name, Version: version, index: len(g.pkgs)}
	if g.pkgByKey[p.String()] != nil {
		return nil, errorf("package `%s` has already been registered in the graph", p)
	}
	c, instExports, err := loadPackage(p.String(), wasm, g.sess)
	if err != nil {
		return nil, err
	}
	p.c, p.instExports = c, instExports
	g.pkgs = append(g.pkgs, p)
	g.pkgByKey[p.String()] = p
	return p, nil
}

// loadPackage loads a component as load does; a component whose WIT
// cannot be extracted (one exporting a type, say) is still loaded, its
// imports and exports with the WIT the index spaces give (functions,
// instances of functions) and, for instance imports without WIT, the
// names and kinds of their exports.
func loadPackage(name string, wasm []byte, sess *check.Session) (*comp, map[string][]Item, error) {
	c, types, err := checked(name, wasm, sess)
	if err != nil {
		return nil, nil, err
	}
	cp, err := loadChecked(Input{Name: name, Bytes: wasm}, name, 0, c, types)
	if err == nil {
		return cp, nil, nil
	}
	instExports := map[string][]Item{}
	cp = &comp{name: name, bytes: wasm, decoded: c}
	// Item by item, what the index spaces say: functions, instances of
	// functions (inline interfaces), exported function types.
	sp := types.Spaces(c)
	imps, exps, typeDefs := sortIndices(c)
	for i, x := range types.Imports() {
		e := extern{name: x.Name.Name, attrs: x.Name, kind: x.Kind}
		if i < len(imps) {
			describe(sp, &e, imps[i])
			if e.kind == component.ExternInstance && e.iface == nil && sp != nil {
				for _, x := range sp.InstanceExports(imps[i].Index) {
					instExports[e.name] = append(instExports[e.name], Item{Name: x.Name, Kind: x.Kind})
				}
			}
		}
		cp.imports = append(cp.imports, e)
	}
	for i, x := range types.Exports() {
		e := extern{name: x.Name.Name, attrs: x.Name, kind: x.Kind}
		if i < len(exps) {
			describe(sp, &e, exps[i])
			if x.Kind == component.ExternType {
				if ft, ok := typeDefs[exps[i].Index].(*component.FuncType); ok {
					e.fn = funcOfType(sp, ft, e.name)
				}
			}
		}
		cp.exports = append(cp.exports, e)
	}
	cp.res, cp.world = partialWorld(cp)
	return cp, instExports, nil
}

// partialWorld is the world of a component whose WIT cannot be extracted
// as a whole, from the WIT of its items (its type exports left out: a
// component type with fewer exports is a supertype of the component's);
// nil when an import or another export has no WIT.
func partialWorld(cp *comp) (*wit.Resolve, *wit.World) {
	res := &wit.Resolve{}
	w := res.AddWorld(&wit.World{Name: "root"})
	entry := func(e extern) (wit.WorldEntry, bool) {
		switch {
		case e.fn != nil:
			return wit.WorldEntry{Key: wit.WorldKey{Name: e.name}, Item: e.fn}, true
		case e.iface != nil && e.kind == component.ExternInstance:
			return wit.WorldEntry{Key: wit.WorldKey{Name: e.name}, Item: &wit.WorldInterface{Interface: res.AddInterface(e.iface)}}, true
		}
		return wit.WorldEntry{}, false
	}
	for _, e := range cp.imports {
		x, ok := entry(e)
		if !ok {
			return nil, nil
		}
		w.Imports = append(w.Imports, x)
	}
	for _, e := range cp.exports {
		if e.kind == component.ExternType {
			continue
		}
		x, ok := entry(e)
		if !ok {
			return nil, nil
		}
		w.Exports = append(w.Exports, x)
	}
	return res, w
}

// describe fills in the WIT of an item from the index spaces: a function,
// or an instance whose exports are all functions (as an inline
// interface).
func describe(sp *check.Spaces, e *extern, at component.SortIdx) {
	switch {
	case sp == nil:
	case e.kind == component.ExternFunc && at.Sort == component.SortFunc:
		if f := sp.Func(at.Index); f != nil {
			f.Name = e.name
			e.fn = f
		}
	case e.kind == component.ExternInstance && at.Sort == component.SortInstance:
		iface := &wit.Interface{}
		for _, x := range sp.InstanceExports(at.Index) {
			if x.Kind != component.ExternFunc || x.Func == nil {
				return
			}
			f := *x.Func
			f.Name = x.Name
			iface.Functions = append(iface.Functions, &f)
		}
		e.iface = iface
	}
}

// funcOfType is the WIT function of a function type definition (nil when
// a type has no WIT).
func funcOfType(sp *check.Spaces, ft *component.FuncType, name string) *wit.Function {
	if sp == nil {
		return nil
	}
	f := &wit.Function{Name: name, Kind: wit.Freestanding}
	if ft.Async {
		f.Kind = wit.AsyncFreestanding
	}
	for _, p := range ft.Params {
		t := sp.ValType(p.Type)
		if t == nil {
			return nil
		}
		f.Params = append(f.Params, wit.Param{Name: p.Name, Type: t})
	}
	if ft.HasResult {
		if f.Result = sp.ValType(ft.Result); f.Result == nil {
			return nil
		}
	}
	return f
}

// sortIndices walks a component's sections and says where each import
// and export is in its index space, and which type definitions the type
// indices hold (those a type section defines, and their exports).
func sortIndices(c *component.Component) (imps, exps []component.SortIdx, typeDefs map[uint32]component.Type) {
	n := map[component.Sort]uint32{}
	typeDefs = map[uint32]component.Type{}
	sortOf := map[component.ExternKind]component.Sort{component.ExternFunc: component.SortFunc,
		component.ExternInstance: component.SortInstance, component.ExternType: component.SortType,
		component.ExternComponent: component.SortComponent, component.ExternValue: component.SortValue,
		component.ExternModule: component.SortCoreModule}
	for _, s := range c.Sections {
		switch s := s.(type) {
		case *component.ImportSection:
			for _, im := range s.Imports {
				sort := sortOf[im.Type.Kind]
				imps = append(imps, component.SortIdx{Sort: sort, Index: n[sort]})
				n[sort]++
			}
		case *component.ExportSection:
			for _, ex := range s.Exports {
				exps = append(exps, ex.Item)
				if ex.Item.Sort == component.SortType {
					if t, ok := typeDefs[ex.Item.Index]; ok {
						typeDefs[n[component.SortType]] = t
					}
				}
				n[ex.Item.Sort]++
			}
		case *component.AliasSection:
			for _, a := range s.Aliases {
				n[a.Sort]++
			}
		case *component.TypeSection:
			for _, t := range s.Types {
				typeDefs[n[component.SortType]] = t
				n[component.SortType]++
			}
		case *component.InstanceSection:
			n[component.SortInstance] += uint32(len(s.Instances))
		case *component.ComponentSection:
			n[component.SortComponent]++
		case *component.ModuleSection:
			n[component.SortCoreModule]++
		case *component.CanonSection:
			for _, f := range s.Funcs {
				if f.Op == component.CanonLift {
					n[component.SortFunc]++
				}
			}
		}
	}
	return imps, exps, typeDefs
}

func (g *Graph) add(n *gnode) NodeID {
	g.nodes = append(g.nodes, n)
	return NodeID(len(g.nodes) - 1)
}

func (g *Graph) node(n NodeID) (*gnode, error) {
	if n < 0 || int(n) >= len(g.nodes) {
		return nil, errorf("node %d does not exist in the graph", n)
	}
	return g.nodes[n], nil
}

// validName checks an import or export name with the component model's
// name grammar (check's, through a one-import component).
func validName(what, name string) error {
	c := &component.Component{Sections: []component.Section{
		&component.TypeSection{Types: []component.Type{&component.FuncType{}}},
		&component.ImportSection{Imports: []component.Import{{Name: component.Name{Name: name},
			Type: component.Extern{Kind: component.ExternFunc, Index: 0}}}},
	}}
	_, err := check.Component(c)
	if err == nil {
		return nil
	}
	msg := err.Error()
	if i := strings.Index(msg, "is not a valid extern name: "); i >= 0 {
		msg = msg[i+len("is not a valid extern name: "):]
	}
	return errorf("%s name `%s` is not valid: %s", what, name, msg)
}

// Import adds an explicit import of the composition named name, of type
// it (it.Name is not used).
func (g *Graph) Import(name string, it Item) (NodeID, error) {
	if err := validName("import", name); err != nil {
		return 0, err
	}
	if _, ok := g.imports[name]; ok {
		return 0, errorf("import name `%s` already exists in the graph", name)
	}
	it.Name = name
	id := g.add(&gnode{kind: NodeImport, item: it, imp: name})
	g.imports[name] = id
	return id, nil
}

// ImportExport adds an explicit import named name whose type is that of
// export `export` of package p. An export that is a type imports an item
// of that type: a function for a function type (witc reads the WIT of
// such packages only in part, so the function's WIT is unknown).
func (g *Graph) ImportExport(name string, p *Package, export string) (NodeID, error) {
	var it *Item
	for _, e := range p.c.exports {
		if e.name == export {
			x := itemOf(e)
			it = &x
			break
		}
	}
	if it == nil {
		return 0, errorf("package `%s` does not export an item named `%s`", p, export)
	}
	if it.Kind == component.ExternType {
		it.Kind = component.ExternFunc
	}
	id, err := g.Import(name, *it)
	if err != nil {
		return 0, err
	}
	g.nodes[id].pkg = p
	return id, nil
}

// Instantiate adds an instantiation of package p.
func (g *Graph) Instantiate(p *Package) NodeID {
	return g.add(&gnode{kind: NodeInstantiation, pkg: p, args: map[int]NodeID{},
		item: Item{Kind: component.ExternInstance, Exports: p.Exports()}})
}

// DefineType adds a type definition node, as WAC documents declare:
// name, its kind as DOT prints it (`record`, `function type`, `u32`, …),
// its WIT and the type definitions it depends on. Encode exports the
// exported ones as types (a value, function, instance or component type);
// one without WIT (the zero TypeDef) appears in DOT only.
func (g *Graph) DefineType(name, kind string, def TypeDef, deps ...NodeID) NodeID {
	id := g.add(&gnode{kind: NodeType, name: name, typeKind: kind, def: def, item: Item{Name: name, Kind: component.ExternType}})
	for _, d := range deps {
		g.edges = append(g.edges, gedge{d, id, "dependency of"})
	}
	return id
}

// SetArgument passes node src as argument arg of instantiation inst: the
// import of inst's package named arg (or, when no import has that name, a
// semver-compatible one). src's type must be a subtype of the import's.
func (g *Graph) SetArgument(inst NodeID, arg string, src NodeID) error {
	in, err := g.node(inst)
	if err != nil {
		return err
	}
	s, err := g.node(src)
	if err != nil {
		return err
	}
	if in.kind != NodeInstantiation {
		return errorf("the specified node is not an instantiation")
	}
	idx := -1
	for i, im := range in.pkg.c.imports {
		if im.name == arg {
			idx = i
			break
		}
	}
	if idx < 0 {
		for i, im := range in.pkg.c.imports {
			if wit.Compatible(im.name, arg) {
				idx = i
				break
			}
		}
	}
	if idx < 0 {
		return errorf("argument name `%s` is not an import of package `%s`", arg, in.pkg)
	}
	if _, ok := in.args[idx]; ok {
		return errorf("argument `%s` has already been passed to the instantiation", arg)
	}
	if err := subtype(s.item, in.pkg.c.imports[idx]); err != nil {
		return errorf("mismatched instantiation argument `%s`: %v", arg, err)
	}
	in.args[idx] = src
	g.edges = append(g.edges, gedge{src, inst, "argument to"})
	return nil
}

func kindWord(k component.ExternKind) string {
	if k == component.ExternFunc {
		return "function"
	}
	return kindName(k)
}

// subtype checks that an item can stand for an import, explaining the
// first difference.
func subtype(got Item, want extern) error {
	if got.Kind != want.kind {
		return fmt.Errorf("expected %s, found %s", kindWord(want.kind), kindWord(got.Kind))
	}
	switch {
	case got.Exports != nil && want.iface != nil:
		for _, f := range want.iface.Functions {
			var ex *Item
			for i := range got.Exports {
				if got.Exports[i].Name == f.Name {
					ex = &got.Exports[i]
				}
			}
			if ex == nil {
				return fmt.Errorf("instance has no export named `%s`", f.Name)
			}
			if ex.Kind != component.ExternFunc {
				return fmt.Errorf("mismatched type for export `%s`: expected function, found %s", f.Name, kindWord(ex.Kind))
			}
			if ex.Func != nil {
				if err := wit.SameFunction(ex.Func, f, fmt.Sprintf("`%s` function `%s`", want.name, f.Name)); err != nil {
					return err
				}
			}
		}
		return nil
	}
	return checkExtern(got.extern(want.name), want)
}

// Alias adds a node for export `export` of src, an instantiation or an
// instance (an imported or aliased one).
func (g *Graph) Alias(src NodeID, export string) (NodeID, error) {
	s, err := g.node(src)
	if err != nil {
		return 0, err
	}
	if s.item.Kind != component.ExternInstance || s.kind == NodeType {
		return 0, errorf("expected source node to be an instance, but the node is a %s", kindWord(s.item.Kind))
	}
	var it *Item
	switch {
	case s.item.Exports != nil:
		for _, e := range s.item.Exports {
			if e.Name == export {
				e := e
				it = &e
				break
			}
		}
	case s.item.Interface != nil:
		if f := s.item.Interface.Function(export); f != nil {
			it = &Item{Name: export, Kind: component.ExternFunc, Func: f}
		} else if t := s.item.Interface.Type(export); t != nil {
			it = &Item{Name: export, Kind: component.ExternType}
		}
	}
	if it == nil {
		return 0, errorf("instance does not have an export named `%s`", export)
	}
	id := g.add(&gnode{kind: NodeAlias, item: *it, src: src, export: export})
	g.edges = append(g.edges, gedge{src, id, "aliased export"})
	return id, nil
}

// Export exports node n as name. A name is exported once.
func (g *Graph) Export(n NodeID, name string) error {
	nd, err := g.node(n)
	if err != nil {
		return err
	}
	if err := validName("export", name); err != nil {
		return err
	}
	if _, ok := g.exportsBy[name]; ok {
		return errorf("an export with the name `%s` already exists", name)
	}
	g.exportsBy[name] = n
	g.exports = append(g.exports, gexport{n, name})
	nd.exports = append(nd.exports, name)
	return nil
}

// SetNodeName names a node (DOT's and the encoding's name of it).
func (g *Graph) SetNodeName(n NodeID, name string) {
	if nd, err := g.node(n); err == nil {
		nd.name = name
	}
}

// Node describes node n (the zero NodeInfo for a node that does not
// exist).
func (g *Graph) Node(n NodeID) NodeInfo {
	nd, err := g.node(n)
	if err != nil {
		return NodeInfo{}
	}
	info := NodeInfo{Kind: nd.kind, Item: nd.item, Package: nd.pkg, Name: nd.name, Import: nd.imp,
		Export: nd.export, Source: nd.src, Exports: append([]string(nil), nd.exports...)}
	if nd.kind == NodeInstantiation {
		info.Arguments = map[string]NodeID{}
		for i, a := range nd.args {
			info.Arguments[nd.pkg.c.imports[i].name] = a
		}
	}
	return info
}

// Len is the number of nodes.
func (g *Graph) Len() int { return len(g.nodes) }

// DOT renders the graph in Graphviz's format, as wac prints its
// resolution graphs: one line per node in node order, then the edges in
// the order they were added.
func (g *Graph) DOT() string {
	var b strings.Builder
	b.WriteString("digraph {\n")
	for i, n := range g.nodes {
		var label, kind string
		switch n.kind {
		case NodeImport:
			label = fmt.Sprintf("import %q", n.imp)
		case NodeInstantiation:
			label = fmt.Sprintf("instantiation of package %q", n.pkg.Name)
		case NodeAlias:
			label = fmt.Sprintf("alias of export %q", n.export)
		case NodeType:
			label = fmt.Sprintf("type definition %q", n.name)
		}
		kind = kindWord(n.item.Kind)
		if n.kind == NodeType {
			kind = n.typeKind
		}
		fmt.Fprintf(&b, "    %d [ label = %q; kind = %q", i, label, kind)
		if len(n.exports) > 0 {
			fmt.Fprintf(&b, "; export = %q", n.exports[0])
		}
		b.WriteString("]\n")
	}
	for _, e := range g.edges {
		fmt.Fprintf(&b, "    %d -> %d [ label = %q ]\n", e.from, e.to, e.label)
	}
	b.WriteString("}\n")
	return b.String()
}
