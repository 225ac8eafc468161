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
}

// Package is a component registered in a graph under "ns:name[@version]".
type Package struct {
	Name    string
	Version *wit.Version
	c       *comp
	index   int
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
	NodeType                          // a type definition (DOT only)
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
	return &Graph{pkgByKey: map[string]*Package{}, imports: map[string]NodeID{}, exportsBy: map[string]NodeID{}}
}

// AddPackage decodes and checks a component and registers it as package
// name (`ns:name`) at version (nil for none). A name and version can be
// registered once.
func (g *Graph) AddPackage(name string, version *wit.Version, wasm []byte) (*Package, error) {
	p := &Package{Name: name, Version: version, index: len(g.pkgs)}
	if g.pkgByKey[p.String()] != nil {
		return nil, errorf("package `%s` has already been registered in the graph", p)
	}
	c, err := loadPackage(p.String(), wasm)
	if err != nil {
		return nil, err
	}
	p.c = c
	g.pkgs = append(g.pkgs, p)
	g.pkgByKey[p.String()] = p
	return p, nil
}

// loadPackage loads a component as load does; a component whose WIT
// cannot be extracted (one exporting a type, say) is still loaded, its
// imports and exports without WIT.
func loadPackage(name string, wasm []byte) (*comp, error) {
	cp, err := load(Input{Name: name, Bytes: wasm}, name, 0)
	if err == nil {
		return cp, nil
	}
	c, derr := component.Decode(wasm)
	if derr != nil {
		return nil, errorf("%s: %v", name, derr)
	}
	types, cerr := check.Component(c)
	if cerr != nil {
		return nil, errorf("%s: invalid component: %v", name, cerr)
	}
	cp = &comp{name: name, bytes: wasm, decoded: c}
	for _, x := range types.Imports() {
		cp.imports = append(cp.imports, extern{name: x.Name.Name, attrs: x.Name, kind: x.Kind})
	}
	for _, x := range types.Exports() {
		cp.exports = append(cp.exports, extern{name: x.Name.Name, attrs: x.Name, kind: x.Kind})
	}
	return cp, nil
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
// name, its kind as DOT prints it (`record`, `function type`, `u32`, …)
// and the type definitions it depends on. Type definitions appear in DOT
// only: Encode rejects a graph that exports one.
func (g *Graph) DefineType(name, kind string, deps ...NodeID) NodeID {
	id := g.add(&gnode{kind: NodeType, name: name, typeKind: kind, item: Item{Name: name, Kind: component.ExternType}})
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
