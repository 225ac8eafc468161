package compose

import (
	"fmt"
	"strings"

	"github.com/witc-dev/witc/component"
	"github.com/witc-dev/witc/wit"
)

// group is one import of the composed component: every component import
// it stands for (same interface on one semver track, or the same name).
type group struct {
	key   string
	name  string // the highest version's name
	kind  component.ExternKind
	users []importKey
	iface *wit.Interface // merged interface (instance imports)
	fn    *wit.Function  // function imports
	td    *wit.TypeDef   // type imports (graph mode): the merged world-level type
}

// merged holds the imports of the composed component, in the WIT model.
type merged struct {
	res    *wit.Resolve
	groups []*group
	byUse  map[importKey]*group
	byKey  map[string]*group
	// entries are the imports in dependency order, for encoding.
	entries []wit.WorldEntry
	pkgs    map[string]*wit.Package
	types   map[*wit.TypeDef]*wit.TypeDef
	// graph is mergeOpen's graph mode; inline maps an inline instance
	// interface of an import to its merged interface.
	graph  bool
	inline map[*wit.Interface]*wit.Interface
	// world owns the merged world-level types (graph mode): the types the
	// components import by name (`use` in a world, resources, `type y = x`).
	world *wit.World
}

// mergeImports gathers the imports no component provides and merges them.
func mergeImports(comps []*comp, w *wiring) (*merged, error) {
	var open []openImport
	for _, c := range comps {
		for i, im := range c.imports {
			k := importKey{c, i}
			if _, plugged := w.plugs[k]; plugged {
				continue
			}
			open = append(open, openImport{who: "`" + c.name + "`", key: k, ext: im})
		}
	}
	return mergeOpen(open, false)
}

// openImport is an import left to the composed component: who imports it
// (for messages: a component's name in backticks, or a phrase such as
// "an instantiation of package `ns:name`"), the import it is and its WIT.
type openImport struct {
	who string
	key importKey
	ext extern
	// td is a type import's WIT (graph mode): the world-level type of the
	// importing component's world.
	td *wit.TypeDef
}

// mergeOpen merges imports left open into the imports of the composed
// component: one per name (semver-compatible names merge into the
// highest version), with the union of the interfaces' types and
// functions. In graph mode (the composition graph), an interface whose
// types an import uses becomes an import too, and instances without an
// interface name merge as inline interfaces, and world-level types
// (those with a WIT, openImport.td) merge by name as functions do.
func mergeOpen(open []openImport, graph bool) (*merged, error) {
	m := &merged{res: &wit.Resolve{}, byUse: map[importKey]*group{}, byKey: map[string]*group{},
		pkgs: map[string]*wit.Package{}, types: map[*wit.TypeDef]*wit.TypeDef{}, graph: graph,
		inline: map[*wit.Interface]*wit.Interface{}}
	if graph {
		m.world = m.res.AddWorld(&wit.World{Name: "root"})
	}
	first := map[*group]openImport{}
	for _, o := range open {
		im := o.ext
		switch {
		case im.kind == component.ExternInstance, im.kind == component.ExternFunc:
		case im.kind == component.ExternType && graph && o.td != nil:
		default:
			return nil, errorf("%s imports `%s`, a %s that no component provides; witc can only leave instance and function imports open", o.who, im.name, kindName(im.kind))
		}
		gk := wit.CompatKey(im.name)
		g := m.byKey[gk]
		if g == nil {
			g = &group{key: gk, name: im.name, kind: im.kind}
			m.byKey[gk] = g
			m.groups = append(m.groups, g)
			first[g] = o
		} else if _, v1 := wit.SplitVersion(im.name); v1 != nil {
			if _, v0 := wit.SplitVersion(g.name); v0 != nil && v1.Compare(v0) > 0 {
				g.name = im.name
			}
		}
		if prev, ok := first[g]; ok && prev.ext.kind != im.kind {
			return nil, errorf("%s imports `%s` as a %s but %s imports `%s` as a %s", prev.who,
				prev.ext.name, kindName(prev.ext.kind), o.who, im.name, kindName(im.kind))
		}
		g.users = append(g.users, o.key)
		m.byUse[o.key] = g
	}
	// Build the merged interfaces and functions.
	for _, o := range open {
		g, im := m.byKey[wit.CompatKey(o.ext.name)], o.ext
		var err error
		switch {
		case o.td != nil:
			_, err = m.worldType(g, o.td)
		case im.iface != nil:
			err = m.mergeInterface(g, im.iface)
		case im.fn != nil:
			if g.fn == nil {
				g.fn, err = m.cloneFunc(im.fn)
				if err == nil {
					g.fn.Name = g.name
				}
			} else {
				err = wit.SameFunction(g.fn, im.fn, "function `"+im.name+"`")
				if err != nil {
					err = fmt.Errorf("%s and another component import `%s` with different types: %v", o.who, im.name, err)
				}
			}
		}
		if err != nil {
			return nil, errorf("%v", err)
		}
	}
	m.order()
	return m, nil
}

// target is the merged interface for an interface qualified name.
func (m *merged) target(qname string) (*wit.Interface, error) {
	g := m.byKey[wit.CompatKey(qname)]
	if g == nil && m.graph {
		g = &group{key: wit.CompatKey(qname), name: qname, kind: component.ExternInstance}
		m.byKey[g.key] = g
		m.groups = append(m.groups, g)
	}
	if g == nil {
		return nil, fmt.Errorf("interface `%s` is used by an import of the composed component but is not itself imported by it (it is provided by a plug); witc cannot express this composition", qname)
	}
	if g.iface == nil {
		base, v := wit.SplitVersion(g.name)
		colon := -1
		for i := 0; i < len(base); i++ {
			if base[i] == ':' {
				colon = i
			}
		}
		slash := 0
		for i := 0; i < len(base); i++ {
			if base[i] == '/' {
				slash = i
				break
			}
		}
		pn := wit.PackageName{Namespace: base[:colon], Name: base[colon+1 : slash], Version: v}
		pkg := m.pkgs[pn.String()]
		if pkg == nil {
			pkg = m.res.AddPackage(&wit.Package{Name: pn})
			m.pkgs[pn.String()] = pkg
		}
		g.iface = m.res.AddInterface(&wit.Interface{Name: base[slash+1:], Package: pkg})
		pkg.Interfaces = append(pkg.Interfaces, g.iface)
	}
	return g.iface, nil
}

// isInterfaceName reports whether an import name is an interface's
// (`ns:pkg/iface`, with or without a version).
func isInterfaceName(n string) bool {
	colon, slash := strings.IndexByte(n, ':'), strings.IndexByte(n, '/')
	return colon >= 0 && slash > colon
}

func (m *merged) mergeInterface(g *group, src *wit.Interface) error {
	if !isInterfaceName(g.name) && m.graph {
		if g.iface == nil {
			g.iface = m.res.AddInterface(&wit.Interface{})
		}
		m.inline[src] = g.iface
		return m.mergeInto(g, src, g.iface)
	}
	if !isInterfaceName(g.name) {
		return fmt.Errorf("import `%s` is an instance without an interface name; witc can only leave interface imports open", g.name)
	}
	dst, err := m.target(src.QualifiedName())
	if err != nil {
		return err
	}
	return m.mergeInto(g, src, dst)
}

// mergeInto adds the types and functions of src to dst.
func (m *merged) mergeInto(g *group, src, dst *wit.Interface) error {
	for _, td := range src.Types {
		if _, err := m.cloneNamed(td, dst); err != nil {
			return err
		}
	}
	for _, f := range src.Functions {
		if prev := dst.Function(f.Name); prev != nil {
			if err := wit.SameFunction(prev, f, fmt.Sprintf("`%s` function `%s`", g.name, f.Name)); err != nil {
				return fmt.Errorf("components import `%s` with different types: %v", g.name, err)
			}
			continue
		}
		nf, err := m.cloneFunc(f)
		if err != nil {
			return err
		}
		dst.Functions = append(dst.Functions, nf)
	}
	return nil
}

// cloneNamed copies a named type of an interface into its merged
// interface (once).
func (m *merged) cloneNamed(td *wit.TypeDef, dst *wit.Interface) (*wit.TypeDef, error) {
	if n, ok := m.types[td]; ok {
		return n, nil
	}
	if prev := dst.Type(td.Name); prev != nil {
		if err := wit.SameType(prev, td, "type `"+td.Name+"`"); err != nil {
			return nil, fmt.Errorf("components import `%s` with different types: %v", dst.QualifiedName(), err)
		}
		m.types[td] = prev
		return prev, nil
	}
	n := &wit.TypeDef{Name: td.Name, Owner: wit.Owner{Interface: dst}}
	m.types[td] = n
	k, err := m.cloneKind(td.Kind)
	if err != nil {
		return nil, err
	}
	n.Kind = k
	dst.Types = append(dst.Types, m.res.AddType(n))
	return n, nil
}

// worldType merges world-level type src into group g's type: the first
// one defines it (a copy owned by the merged world), the others must be
// the same type.
func (m *merged) worldType(g *group, src *wit.TypeDef) (*wit.TypeDef, error) {
	if n, ok := m.types[src]; ok {
		return n, nil
	}
	if g.td != nil {
		if err := wit.SameType(g.td, src, "type `"+g.name+"`"); err != nil {
			return nil, fmt.Errorf("components import type `%s` with different types: %v", g.name, err)
		}
		m.types[src] = g.td
		return g.td, nil
	}
	n := &wit.TypeDef{Name: g.name, Owner: wit.Owner{World: m.world}}
	g.td = n
	m.types[src] = n
	k, err := m.cloneKind(src.Kind)
	if err != nil {
		return nil, err
	}
	n.Kind = k
	m.res.AddType(n)
	return n, nil
}

func (m *merged) cloneType(t wit.Type) (wit.Type, error) {
	td, ok := t.(*wit.TypeDef)
	if !ok {
		return t, nil
	}
	if n, ok := m.types[td]; ok {
		return n, nil
	}
	if td.Name != "" {
		owner := td.Owner.Interface
		if dst, ok := m.inline[owner]; ok && owner != nil {
			return m.cloneNamed(td, dst)
		}
		if td.Owner.World != nil && m.graph {
			if g := m.byKey[wit.CompatKey(td.Name)]; g != nil && g.kind == component.ExternType {
				return m.worldType(g, td)
			}
			return nil, fmt.Errorf("type `%s` of a world is used by an import of the composed component but is not itself imported by it; witc cannot re-import it", td.Name)
		}
		if owner == nil || owner.Name == "" {
			return nil, fmt.Errorf("type `%s` is defined in a world or inline interface; witc cannot re-import it", td.Name)
		}
		dst, err := m.target(owner.QualifiedName())
		if err != nil {
			return nil, err
		}
		return m.cloneNamed(td, dst)
	}
	k, err := m.cloneKind(td.Kind)
	if err != nil {
		return nil, err
	}
	n := m.res.AddType(&wit.TypeDef{Kind: k})
	m.types[td] = n
	return n, nil
}

func (m *merged) cloneKind(k wit.TypeDefKind) (wit.TypeDefKind, error) {
	var err error
	ct := func(t wit.Type) wit.Type {
		if err != nil || t == nil {
			return t
		}
		var n wit.Type
		n, err = m.cloneType(t)
		return n
	}
	var out wit.TypeDefKind
	switch k := k.(type) {
	case *wit.Record:
		r := &wit.Record{}
		for _, f := range k.Fields {
			r.Fields = append(r.Fields, wit.Field{Name: f.Name, Type: ct(f.Type)})
		}
		out = r
	case *wit.Variant:
		v := &wit.Variant{}
		for _, c := range k.Cases {
			v.Cases = append(v.Cases, wit.Case{Name: c.Name, Type: ct(c.Type)})
		}
		out = v
	case *wit.Enum:
		out = &wit.Enum{Cases: append([]wit.EnumCase(nil), k.Cases...)}
	case *wit.Flags:
		out = &wit.Flags{Flags: append([]wit.Flag(nil), k.Flags...)}
	case *wit.Tuple:
		t := &wit.Tuple{}
		for _, x := range k.Types {
			t.Types = append(t.Types, ct(x))
		}
		out = t
	case *wit.List:
		out = &wit.List{Elem: ct(k.Elem)}
	case *wit.FixedList:
		out = &wit.FixedList{Elem: ct(k.Elem), Len: k.Len}
	case *wit.Map:
		out = &wit.Map{Key: ct(k.Key), Value: ct(k.Value)}
	case *wit.Option:
		out = &wit.Option{Type: ct(k.Type)}
	case *wit.Result:
		out = &wit.Result{OK: ct(k.OK), Err: ct(k.Err)}
	case *wit.Future:
		out = &wit.Future{Type: ct(k.Type)}
	case *wit.Stream:
		out = &wit.Stream{Type: ct(k.Type)}
	case *wit.Alias:
		t := k.Type
		if m.graph {
			// As wac, whose resources are types by identity: a use of an
			// interface's alias of its resource is a use of the resource
			// (`use types.{headers}` where `type headers = fields` is `use
			// types.{fields as headers}`).
			t = aliasedResource(t)
		}
		out = &wit.Alias{Type: ct(t)}
	case *wit.Resource:
		out = &wit.Resource{}
	case *wit.Handle:
		r, _ := ct(k.Resource).(*wit.TypeDef)
		out = &wit.Handle{Kind: k.Kind, Resource: r}
	default:
		return nil, fmt.Errorf("unsupported type")
	}
	return out, err
}

// aliasedResource is, for t an alias in an interface of a resource of
// that interface (`type headers = fields`), the resource; else t.
func aliasedResource(t wit.Type) wit.Type {
	td, ok := t.(*wit.TypeDef)
	if !ok || td.Owner.Interface == nil {
		return t
	}
	a, ok := td.Kind.(*wit.Alias)
	for i := 0; ok && i < 100; i++ {
		next, isDef := a.Type.(*wit.TypeDef)
		if !isDef || next.Owner.Interface != td.Owner.Interface {
			return t
		}
		switch k := next.Kind.(type) {
		case *wit.Resource:
			return next
		case *wit.Alias:
			a = k
		default:
			return t
		}
	}
	return t
}

func (m *merged) cloneFunc(f *wit.Function) (*wit.Function, error) {
	n := &wit.Function{Name: f.Name, Kind: f.Kind, ExternalID: f.ExternalID}
	if f.Resource != nil {
		r, err := m.cloneType(f.Resource)
		if err != nil {
			return nil, err
		}
		n.Resource = r.(*wit.TypeDef)
	}
	for _, p := range f.Params {
		t, err := m.cloneType(p.Type)
		if err != nil {
			return nil, err
		}
		n.Params = append(n.Params, wit.Param{Name: p.Name, Type: t})
	}
	if f.Result != nil {
		t, err := m.cloneType(f.Result)
		if err != nil {
			return nil, err
		}
		n.Result = t
	}
	return n, nil
}

// order lists the imports so that an interface comes after the interfaces
// whose types it uses; functions come last.
func (m *merged) order() {
	done := map[*wit.Interface]bool{}
	var visit func(it *wit.Interface)
	visit = func(it *wit.Interface) {
		if done[it] {
			return
		}
		done[it] = true
		for _, td := range it.Types {
			if a, ok := td.Kind.(*wit.Alias); ok {
				if dep, ok := a.Type.(*wit.TypeDef); ok && dep.Owner.Interface != nil && dep.Owner.Interface != it {
					visit(dep.Owner.Interface)
				}
			}
		}
		m.entries = append(m.entries, wit.WorldEntry{Key: wit.WorldKey{Interface: it}, Item: &wit.WorldInterface{Interface: it}})
	}
	for _, g := range m.groups {
		if g.iface != nil && g.iface.Name == "" {
			// An inline instance: imported under its group's name, after
			// the interfaces its types use.
			for _, td := range g.iface.Types {
				if a, ok := td.Kind.(*wit.Alias); ok {
					if dep, ok := a.Type.(*wit.TypeDef); ok && dep.Owner.Interface != nil && dep.Owner.Interface != g.iface {
						visit(dep.Owner.Interface)
					}
				}
			}
			done[g.iface] = true
			m.entries = append(m.entries, wit.WorldEntry{Key: wit.WorldKey{Name: g.name}, Item: &wit.WorldInterface{Interface: g.iface}})
			continue
		}
		if g.iface != nil {
			visit(g.iface)
		}
	}
	// World-level types after the interfaces, each after the world types
	// it refers to.
	doneType := map[*wit.TypeDef]bool{}
	var visitType func(td *wit.TypeDef)
	visitType = func(td *wit.TypeDef) {
		if doneType[td] {
			return
		}
		doneType[td] = true
		for _, dep := range worldTypeDeps(td.Kind, nil) {
			visitType(dep)
		}
		m.entries = append(m.entries, wit.WorldEntry{Key: wit.WorldKey{Name: td.Name}, Item: td})
	}
	for _, g := range m.groups {
		if g.td != nil {
			visitType(g.td)
		}
	}
	for _, g := range m.groups {
		if g.fn != nil {
			m.entries = append(m.entries, wit.WorldEntry{Key: wit.WorldKey{Name: g.name}, Item: g.fn})
		}
	}
}

// worldTypeDeps adds to out the world-level types a type definition's
// kind refers to, looking through anonymous types.
func worldTypeDeps(k wit.TypeDefKind, out []*wit.TypeDef) []*wit.TypeDef {
	var ts []wit.Type
	switch k := k.(type) {
	case *wit.Record:
		for _, f := range k.Fields {
			ts = append(ts, f.Type)
		}
	case *wit.Variant:
		for _, c := range k.Cases {
			ts = append(ts, c.Type)
		}
	case *wit.Tuple:
		ts = k.Types
	case *wit.List:
		ts = []wit.Type{k.Elem}
	case *wit.FixedList:
		ts = []wit.Type{k.Elem}
	case *wit.Map:
		ts = []wit.Type{k.Key, k.Value}
	case *wit.Option:
		ts = []wit.Type{k.Type}
	case *wit.Result:
		ts = []wit.Type{k.OK, k.Err}
	case *wit.Future:
		ts = []wit.Type{k.Type}
	case *wit.Stream:
		ts = []wit.Type{k.Type}
	case *wit.Alias:
		ts = []wit.Type{k.Type}
	case *wit.Handle:
		ts = []wit.Type{k.Resource}
	}
	for _, t := range ts {
		td, ok := t.(*wit.TypeDef)
		switch {
		case !ok || td == nil:
		case td.Owner.World != nil && td.Name != "":
			out = append(out, td)
		case td.Name == "":
			out = worldTypeDeps(td.Kind, out)
		}
	}
	return out
}
