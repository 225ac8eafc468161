package resolver

import (
	"fmt"
	"sort"
	"strings"

	"github.com/witc-dev/witc/diag"
	"github.com/witc-dev/witc/wit"
)

// includes merges the worlds a world includes into it, then checks that
// its names are unique regardless of case.
func (pu *pusher) includes(uw *uworld) error {
	imports, exports := indexEntries(&uw.w.Imports), indexEntries(&uw.w.Exports)
	for _, inc := range uw.includes {
		ok, err := pu.include(inc.stab, inc.span)
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		if err := pu.includeWorld(uw.w, inc, imports, exports); err != nil {
			return err
		}
	}
	for _, side := range []struct {
		es   []wit.WorldEntry
		desc string
	}{{uw.w.Imports, "import"}, {uw.w.Exports, "export"}} {
		seen := map[string]string{}
		for _, e := range side.es {
			if e.Key.Interface != nil {
				continue
			}
			low := strings.ToLower(e.Key.Name)
			if prev, ok := seen[low]; ok && prev != e.Key.Name {
				return pu.fail(diag.DuplicateExtern, uw.w.Span, "%s `%s` in world `%s` conflicts with %s `%s` (kebab-case identifiers are case-insensitive)",
					side.desc, e.Key.Name, uw.w.Name, side.desc, prev)
			}
			seen[low] = e.Key.Name
		}
	}
	return nil
}

// renamable lists the names that a `with { a as b }` entry may name to
// rename a world item: the item's name, and the resource of `[method]a.m`
// and `[constructor]a` style names.
func renamable(name string) []string {
	out := []string{name}
	if _, rest, ok := strings.Cut(name, "]"); ok {
		res, _, _ := strings.Cut(rest, ".")
		out = append(out, res)
	}
	return out
}

// rename applies one `with { a as b }` entry to a world item name, also
// to the resource part of `[method]a.m` style names.
func rename(name, from, to string) (string, bool) {
	if name == from {
		return to, true
	}
	kind, rest, ok := strings.Cut(name, "]")
	if !ok {
		return "", false
	}
	if res, m, ok := strings.Cut(rest, "."); ok && res == from {
		return kind + "]" + to + "." + m, true
	}
	if rest == from {
		return kind + "]" + to, true
	}
	return "", false
}

func (pu *pusher) includeWorld(w *wit.World, inc uinclude, imports, exports *entryIndex) error {
	from := inc.from.w
	if from == nil || pu.exWorld[from] {
		return pu.fail(diag.GatedReference, inc.span, "found a reference to a world which is excluded due to its feature not being activated")
	}
	fromImports := append([]wit.WorldEntry(nil), from.Imports...)
	fromExports := append([]wit.WorldEntry(nil), from.Exports...)
	// The first `with` entry of each name, and the names that rename an item.
	first := make(map[string]int, len(inc.names))
	for i, n := range inc.names {
		if _, ok := first[n.Name.Name]; !ok {
			first[n.Name.Name] = i
		}
	}
	used := map[string]bool{}
	for _, es := range [][]wit.WorldEntry{fromImports, fromExports} {
		for _, e := range es {
			if e.Key.Interface == nil {
				for _, n := range renamable(e.Key.Name) {
					used[n] = true
				}
			}
		}
	}
	for _, n := range inc.names {
		if !used[n.Name.Name] {
			return pu.fail(diag.IncludeRename, inc.span, "no import or export kebab-name `%s`. Note that an ID does not support renaming", n.Name.Name)
		}
	}
	external := from.Package != w.Package
	st := pu.p.st
	c := &cloner{res: pu.res, types: map[*wit.TypeDef]*wit.TypeDef{}, prev: wit.Owner{World: from}, next: wit.Owner{World: w}, pkg: pu.pkg, copied: &st.included}
	add := func(dst *entryIndex, e wit.WorldEntry, desc string) error {
		if st.included++; st.included > maxIncluded {
			return pu.fail(diag.TooLarge, inc.span, "world `%s` is too large: its includes, with those of the worlds before it, copy more than %d items", w.Name, maxIncluded)
		}
		if e.Key.Interface != nil {
			i := dst.find(e.Key)
			if i < 0 {
				dst.add(e)
				i = len(*dst.es) - 1
			}
			fromWI := e.Item.(*wit.WorldInterface)
			intoWI, ok := (*dst.es)[i].Item.(*wit.WorldInterface)
			if !ok {
				return nil
			}
			if i == len(*dst.es)-1 && intoWI == fromWI {
				cp := *fromWI
				intoWI = &cp
				(*dst.es)[i].Item = intoWI
			}
			return mergeIncludeStability(pu, fromWI.Stability, &intoWI.Stability, external, inc.span)
		}
		name := e.Key.Name
		with := -1 // the first `with` entry that renames the item
		for _, n := range renamable(name) {
			if i, ok := first[n]; ok && (with < 0 || i < with) {
				with = i
			}
		}
		if with >= 0 {
			name, _ = rename(name, inc.names[with].Name.Name, inc.names[with].As.Name)
		}
		key := wit.WorldKey{Name: name}
		var item wit.WorldItem
		switch it := e.Item.(type) {
		case *wit.Function:
			f := c.function(it)
			f.Name = name
			item = f
		case *wit.TypeDef:
			td := c.typeDef(it)
			td.Name = name
			item = td
		case *wit.WorldInterface:
			cp := *it
			if cp.Interface.Name == "" {
				cp.Interface = c.iface(cp.Interface)
			}
			item = &cp
		}
		if dst.find(key) >= 0 {
			return pu.fail(diag.IncludeShadow, inc.span, "%s of `%s` shadows previously %sed items", desc, name, desc)
		}
		dst.add(wit.WorldEntry{Key: key, Item: item})
		return nil
	}
	for _, e := range fromImports {
		if err := add(imports, e, "import"); err != nil {
			return err
		}
	}
	for _, e := range fromExports {
		if err := add(exports, e, "export"); err != nil {
			return err
		}
	}
	return nil
}

func mergeIncludeStability(pu *pusher, from wit.Stability, into *wit.Stability, external bool, at diag.Span) error {
	if external && from.Kind == wit.Stable {
		*into = wit.Stability{}
		return nil
	}
	if from.Equal(*into) || from.Kind == wit.Unknown {
		return nil
	}
	if into.Kind == wit.Unknown {
		*into = from
		return nil
	}
	return pu.fail(diag.StabilityMismatch, at, "mismatch in stability from '%s' to '%s'", stabilityDebug(from), stabilityDebug(*into))
}

// stabilityDebug writes s as wit-parser's messages do: Rust's Debug form
// of its Stability (and of semver's Version).
func stabilityDebug(s wit.Stability) string {
	deprecated := "None"
	if s.Deprecated != nil {
		deprecated = "Some(" + versionDebug(s.Deprecated) + ")"
	}
	switch s.Kind {
	case wit.Stable:
		return "Stable { since: " + versionDebug(s.Since) + ", deprecated: " + deprecated + " }"
	case wit.Unstable:
		return "Unstable { feature: \"" + s.Feature + "\", deprecated: " + deprecated + " }"
	}
	return "Unknown"
}

func versionDebug(v *wit.Version) string {
	if v == nil {
		return "None"
	}
	out := fmt.Sprintf("Version { major: %d, minor: %d, patch: %d", v.Major, v.Minor, v.Patch)
	if v.Pre != "" {
		out += fmt.Sprintf(", pre: Prerelease(%q)", v.Pre)
	}
	if v.Build != "" {
		out += fmt.Sprintf(", build: BuildMetadata(%q)", v.Build)
	}
	return out + " }"
}

// cloner copies the items of an included world that belong to it (its
// types, the anonymous types they use, inline interfaces) so that the
// including world owns copies: wit-parser's Cloner.
type cloner struct {
	res        *wit.Resolve
	types      map[*wit.TypeDef]*wit.TypeDef
	prev, next wit.Owner
	pkg        *wit.Package
	copied     *int // type definitions, functions and interfaces copied
}

func (c *cloner) typeDef(td *wit.TypeDef) *wit.TypeDef {
	if n, ok := c.types[td]; ok {
		return n
	}
	cp := *td
	if cp.Owner != (wit.Owner{}) && cp.Owner == c.prev {
		cp.Owner = c.next
	}
	cp.Kind = c.kind(td.Kind)
	*c.copied++
	n := c.res.AddType(&cp)
	c.types[td] = n
	return n
}

func (c *cloner) ty(t wit.Type) wit.Type {
	if td, ok := t.(*wit.TypeDef); ok {
		return c.typeDef(td)
	}
	return t
}

func (c *cloner) kind(k wit.TypeDefKind) wit.TypeDefKind {
	switch k := k.(type) {
	case *wit.Alias:
		td, ok := k.Type.(*wit.TypeDef)
		if !ok {
			return k
		}
		if td.Owner == c.prev {
			return &wit.Alias{Type: c.typeDef(td)}
		}
		if n, ok := c.types[td]; ok {
			return &wit.Alias{Type: n}
		}
		return k
	case *wit.Handle:
		return &wit.Handle{Kind: k.Kind, Resource: c.typeDef(k.Resource)}
	case *wit.Option:
		return &wit.Option{Type: c.ty(k.Type)}
	case *wit.List:
		return &wit.List{Elem: c.ty(k.Elem)}
	case *wit.FixedList:
		return &wit.FixedList{Elem: c.ty(k.Elem), Len: k.Len}
	case *wit.Map:
		return &wit.Map{Key: c.ty(k.Key), Value: c.ty(k.Value)}
	case *wit.Tuple:
		n := &wit.Tuple{}
		for _, t := range k.Types {
			n.Types = append(n.Types, c.ty(t))
		}
		return n
	case *wit.Record:
		n := &wit.Record{}
		for _, f := range k.Fields {
			f.Type = c.ty(f.Type)
			n.Fields = append(n.Fields, f)
		}
		return n
	case *wit.Variant:
		n := &wit.Variant{}
		for _, cs := range k.Cases {
			cs.Type = c.ty(cs.Type)
			n.Cases = append(n.Cases, cs)
		}
		return n
	case *wit.Result:
		return &wit.Result{OK: c.ty(k.OK), Err: c.ty(k.Err)}
	case *wit.Future:
		return &wit.Future{Type: c.ty(k.Type)}
	case *wit.Stream:
		return &wit.Stream{Type: c.ty(k.Type)}
	}
	return k
}

func (c *cloner) function(f *wit.Function) *wit.Function {
	*c.copied++
	n := *f
	if f.Resource != nil {
		n.Resource = c.typeDef(f.Resource)
	}
	n.Params = make([]wit.Param, len(f.Params))
	for i, p := range f.Params {
		n.Params[i] = wit.Param{Name: p.Name, Type: c.ty(p.Type)}
	}
	n.Result = c.ty(f.Result)
	return &n
}

// iface clones an anonymous interface with its types and functions.
func (c *cloner) iface(old *wit.Interface) *wit.Interface {
	n := *old
	n.ID = len(c.res.Interfaces)
	*c.copied++
	sub := &cloner{res: c.res, types: c.types, prev: wit.Owner{Interface: old}, next: wit.Owner{Interface: &n}, pkg: c.pkg, copied: c.copied}
	n.Types = make([]*wit.TypeDef, len(old.Types))
	for i, td := range old.Types {
		n.Types[i] = sub.typeDef(td)
	}
	n.Functions = make([]*wit.Function, len(old.Functions))
	for i, f := range old.Functions {
		n.Functions[i] = sub.function(f)
	}
	n.Package = c.pkg
	n.CloneOf = old
	return c.res.AddInterface(&n)
}

// typeInterfaceDep returns the interface a `use`-alias type refers to when
// it is not the type's own owner.
func typeInterfaceDep(td *wit.TypeDef) *wit.Interface {
	a, ok := td.Kind.(*wit.Alias)
	if !ok {
		return nil
	}
	dep, ok := a.Type.(*wit.TypeDef)
	if !ok || dep.Owner == td.Owner {
		return nil
	}
	return dep.Owner.Interface
}

func interfaceDirectDeps(it *wit.Interface) []*wit.Interface {
	var out []*wit.Interface
	for _, td := range it.Types {
		if d := typeInterfaceDep(td); d != nil {
			out = append(out, d)
		}
	}
	return out
}

func sortKey(e wit.WorldEntry) int {
	switch it := e.Item.(type) {
	case *wit.WorldInterface:
		return 0
	case *wit.TypeDef:
		if a, ok := it.Kind.(*wit.Alias); ok {
			if t, ok := a.Type.(*wit.TypeDef); ok && t.Owner != it.Owner {
				return 1
			}
		}
		return 2
	case *wit.Function:
		if it.Resource == nil {
			return 3
		}
		return 4
	}
	return 5
}

func stableSortEntries(es []wit.WorldEntry) {
	sort.SliceStable(es, func(i, j int) bool { return sortKey(es[i]) < sortKey(es[j]) })
}

// elaborate adds to a world every interface its imports and exports depend
// on, in dependency order (wit-parser's elaborate_world).
func (pu *pusher) elaborate(w *wit.World) error {
	imports := append([]wit.WorldEntry(nil), w.Imports...)
	stableSortEntries(imports)
	var out []wit.WorldEntry
	outIdx := indexEntries(&out)
	var addImport func(key wit.WorldKey, it *wit.Interface, stab wit.Stability, docs wit.Docs, ext string)
	addImport = func(key wit.WorldKey, it *wit.Interface, stab wit.Stability, docs wit.Docs, ext string) {
		if outIdx.find(key) >= 0 {
			return
		}
		for _, dep := range interfaceDirectDeps(it) {
			addImport(wit.WorldKey{Interface: dep}, dep, stab, wit.Docs{}, "")
		}
		outIdx.add(wit.WorldEntry{Key: key, Item: &wit.WorldInterface{Interface: it, Stability: stab, Docs: docs, ExternalID: ext}})
	}
	for _, e := range imports {
		switch it := e.Item.(type) {
		case *wit.WorldInterface:
			addImport(e.Key, it.Interface, it.Stability, it.Docs, it.ExternalID)
		case *wit.Function:
			outIdx.add(e)
		case *wit.TypeDef:
			if dep := typeInterfaceDep(it); dep != nil {
				addImport(wit.WorldKey{Interface: dep}, dep, it.Stability, wit.Docs{}, "")
			}
			outIdx.add(e)
		}
	}
	var exports, exportIfaces []wit.WorldEntry
	for _, e := range w.Exports {
		if _, ok := e.Item.(*wit.WorldInterface); ok {
			exportIfaces = append(exportIfaces, e)
		} else {
			exports = append(exports, e)
		}
	}
	exportsIdx, exportIfacesIdx := indexEntries(&exports), indexEntries(&exportIfaces)
	required := map[*wit.Interface]bool{}
	var addExport func(key wit.WorldKey, wi *wit.WorldInterface, asExport bool) bool
	addExport = func(key wit.WorldKey, wi *wit.WorldInterface, asExport bool) bool {
		if exportsIdx.find(key) >= 0 {
			return asExport
		}
		if !asExport && required[wi.Interface] {
			return true
		}
		for _, dep := range interfaceDirectDeps(wi.Interface) {
			dk := wit.WorldKey{Interface: dep}
			depItem := &wit.WorldInterface{Interface: dep, Stability: wi.Stability, ExternalID: wi.ExternalID}
			if !addExport(dk, depItem, asExport && exportIfacesIdx.find(dk) >= 0) {
				return false
			}
		}
		if asExport {
			if required[wi.Interface] {
				return false
			}
			exportsIdx.add(wit.WorldEntry{Key: key, Item: wi})
		} else {
			required[wi.Interface] = true
			if outIdx.find(key) < 0 {
				outIdx.add(wit.WorldEntry{Key: key, Item: wi})
			}
		}
		return true
	}
	for _, e := range exportIfaces {
		if !addExport(e.Key, e.Item.(*wit.WorldInterface), true) {
			name := e.Key.Name
			if e.Key.Interface != nil {
				name = e.Key.Interface.QualifiedName()
			}
			return pu.fail(diag.IncompatibleDeps, w.Span, "interface `%s` transitively depends on an interface in incompatible ways", name)
		}
	}
	stableSortEntries(out)
	w.Imports = out
	w.Exports = exports
	return nil
}
