package host

import (
	"context"
	"fmt"
	"strings"

	"github.com/witc-dev/witc/canonabi"
	"github.com/witc-dev/witc/component"
)

// Linking comes before running, as in wasmtime: every import of the
// component is resolved against the linker before any core module is
// instantiated (before any guest code runs), and the imports nothing
// provides are reported together, each with what would provide it.
//
// Two kinds of import link without a provider, as functions that trap
// when called (and resource types of their own):
//
//   - WASI interfaces the linker lacks, when it provides WASI at all:
//     toolchains import interfaces they never call (Go and Rust commands
//     import wasi:sockets), so refusing them would refuse most commands.
//     witc's WASI host does not implement wasi:sockets or wasi:http yet.
//   - with Linker.TrapUnknownImports, every import nothing provides.

// TrapUnknownImports makes the imports that the linker does not provide
// link as functions that trap when called (and resource types of their
// own) instead of failing the instantiation, like wasmtime's
// define_unknown_imports_as_traps. Imports the linker provides with
// another type still fail.
func (l *Linker) TrapUnknownImports() { l.trapUnknown = true }

// MissingImportsError is the failure to instantiate a component some of
// whose imports nothing provides: it lists them all. Each is also a
// *LinkError (errors.As finds the first).
type MissingImportsError struct {
	Missing []MissingImport
}

// MissingImport is one import nothing provides.
type MissingImport struct {
	// Name is the import (an interface, a function or resource of an
	// interface as "iface#name", or a name imported by itself).
	Name string
	// Hint says what would provide it.
	Hint string
}

func (e *MissingImportsError) Error() string {
	var b strings.Builder
	b.WriteString("component imports what nothing provides:")
	for _, m := range e.Missing {
		fmt.Fprintf(&b, "\n  %s (%s)", m.Name, m.Hint)
	}
	return b.String()
}

// Unwrap returns a *LinkError for each missing import.
func (e *MissingImportsError) Unwrap() []error {
	out := make([]error, len(e.Missing))
	for i, m := range e.Missing {
		out[i] = &LinkError{Import: m.Name, Msg: m.Hint}
	}
	return out
}

// isWASI says whether an import name is a WASI interface.
func isWASI(name string) bool { return strings.HasPrefix(name, "wasi:") }

// providesWASI says whether the linker defines any WASI interface.
func (l *Linker) providesWASI() bool {
	for n := range l.ifaces {
		if isWASI(n) {
			return true
		}
	}
	return false
}

// hasFunc says whether the linker defines a function name by itself (not
// in an interface).
func (l *Linker) hasFunc(name string) bool {
	hi := l.ifaces[""]
	if hi == nil {
		return false
	}
	_, dyn := hi.funcs[name]
	_, flat := hi.flats[name]
	return dyn || flat
}

// linkRun is what the link step decided for the imports of a root
// component: the item of each, by import name.
type linkRun struct {
	items   map[string]item
	at      map[string]uint32 // functions and instances: their index
	missing []MissingImport
}

// link resolves the imports of root component c against the linker,
// before anything of c runs. The indices an import gets in the function
// and instance spaces (which its type in st.spaces is found by) are
// counted as run counts them: imports, instances, alias exports, lifts
// and exports add to them.
func (st *state) link(c *component.Component) error {
	lr := &linkRun{items: map[string]item{}, at: map[string]uint32{}}
	var nInst, nFunc uint32
	for _, sec := range c.Sections {
		switch sec := sec.(type) {
		case *component.ImportSection:
			for _, im := range sec.Imports {
				it, err := st.linkImport(lr, im, nInst, nFunc)
				if err != nil {
					return err
				}
				lr.items[im.Name.Name] = it
				switch im.Type.Kind {
				case component.ExternInstance:
					lr.at[im.Name.Name] = nInst
					nInst++
				case component.ExternFunc:
					lr.at[im.Name.Name] = nFunc
					nFunc++
				}
			}
		case *component.InstanceSection:
			nInst += uint32(len(sec.Instances))
		case *component.AliasSection:
			for _, a := range sec.Aliases {
				if a.Kind == component.AliasExport {
					nInst, nFunc = count(a.Sort, nInst, nFunc)
				}
			}
		case *component.CanonSection:
			for _, f := range sec.Funcs {
				if f.Op == component.CanonLift {
					nFunc++
				}
			}
		case *component.ExportSection:
			for _, ex := range sec.Exports {
				nInst, nFunc = count(ex.Item.Sort, nInst, nFunc)
			}
		}
	}
	if len(lr.missing) > 0 {
		return &MissingImportsError{Missing: lr.missing}
	}
	st.linked = lr.items
	st.linkedAt = lr.at
	return nil
}

// linkedItem is the item link chose for an import of the root, which
// run reaches with len(space) items in the import's index space.
func (st *state) linkedItem(name string, space int) (item, error) {
	if at, ok := st.linkedAt[name]; ok && int(at) != space {
		return item{}, fmt.Errorf("internal error: import `%s` was linked as item %d of its index space, but is item %d", name, at, space)
	}
	return st.linked[name], nil
}

func count(s component.Sort, nInst, nFunc uint32) (uint32, uint32) {
	switch s {
	case component.SortInstance:
		nInst++
	case component.SortFunc:
		nFunc++
	}
	return nInst, nFunc
}

// unknown says how an import nothing provides is linked: stub says that
// it links as functions that trap, why is the stubs' message or (when
// not stubbed) the hint of the MissingImport.
func (st *state) unknown(iface string) (stub bool, why string) {
	switch {
	case isWASI(iface) && st.linker.providesWASI():
		return true, fmt.Sprintf("the host does not provide %s: WASI interfaces it lacks are linked as functions that trap when called", iface)
	case st.linker.trapUnknown:
		return true, fmt.Sprintf("nothing provides %s: unknown imports are linked as functions that trap when called", iface)
	case isWASI(iface):
		return false, "the host provides no WASI: register witc's WASI host with wasi.Register"
	}
	return false, fmt.Sprintf("compose it with a component that exports %s: witc compose APP.wasm PROVIDER.wasm", iface)
}

// linkImport links one import of the root component; instIdx and funcIdx
// are the indices it gets if it is an instance or a function.
func (st *state) linkImport(lr *linkRun, im component.Import, instIdx, funcIdx uint32) (item, error) {
	name := im.Name.Name
	cannot := func(what string) {
		lr.missing = append(lr.missing, MissingImport{Name: name, Hint: "a host cannot provide " + what})
	}
	switch im.Type.Kind {
	case component.ExternInstance:
		return st.linkInstance(lr, name, instIdx)
	case component.ExternFunc:
		typ := st.spaces.Func(funcIdx)
		h, flat, gf, err := st.bind(st.linker.lookup(""), "", name, typ)
		if err != nil {
			return item{}, err
		}
		if h == nil && st.linker.ifaces[name] != nil {
			return item{}, &LinkError{Import: name, Msg: "it is imported as a function, but the host provides an interface of that name"}
		}
		if h == nil {
			stub, why := st.unknownItem(name, "function")
			if !stub {
				lr.missing = append(lr.missing, MissingImport{Name: name, Hint: why})
			}
			h = trapping(name, why)
		}
		return item{kind: component.ExternFunc, fn: &compFunc{name: name, host: h, flat: flat, typ: typ, goFunc: gf}}, nil
	case component.ExternType:
		if !im.Type.SubResource {
			return item{}, nil // an `eq` bound: the type it equals (importItem)
		}
		// A resource a world imports by itself (`resource r;` in a world).
		var rt *ResourceType
		if hi := st.linker.lookup(""); hi != nil {
			rt = hi.resources[name]
		}
		if rt == nil {
			if stub, why := st.unknownItem(name, "resource"); !stub {
				lr.missing = append(lr.missing, MissingImport{Name: name, Hint: why})
			}
			rt = &ResourceType{Name: name}
		}
		return item{kind: component.ExternType, res: rt}, nil
	case component.ExternModule:
		cannot("a core module")
	case component.ExternComponent:
		cannot("a component")
	case component.ExternValue:
		cannot("a value (value imports are not supported)")
	}
	return item{}, nil
}

// unknownItem is unknown for a function or resource (what) a component
// imports by itself, not from an interface.
func (st *state) unknownItem(name, what string) (bool, string) {
	if st.linker.trapUnknown {
		return true, fmt.Sprintf("nothing provides `%s`: unknown imports are linked as functions that trap when called", name)
	}
	return false, "the host does not provide this " + what
}

// linkInstance links an imported interface: the host's functions and
// resources for each of its exports. An interface the host does not
// define at all is missing when it has functions or resources (one that
// only defines types needs nothing); of an interface the host defines,
// each function or resource it lacks is missing.
func (st *state) linkInstance(lr *linkRun, iface string, idx uint32) (item, error) {
	hi := st.linker.lookup(iface)
	if hi == nil && st.linker.hasFunc(iface) {
		return item{}, &LinkError{Import: iface, Msg: "it is imported as an instance, but the host provides a function of that name"}
	}
	stub, why := st.unknown(iface)
	inst := &compInstance{}
	needed := false
	var lacks []MissingImport
	for _, ex := range st.spaces.InstanceExports(idx) {
		qualified := iface + "#" + ex.Name
		switch ex.Kind {
		case component.ExternFunc:
			needed = true
			f := &compFunc{name: qualified, typ: ex.Func}
			var err error
			if f.host, f.flat, f.goFunc, err = st.bind(hi, iface, ex.Name, ex.Func); err != nil {
				return item{}, err
			}
			if f.host == nil {
				msg := why
				if hi != nil {
					msg = fmt.Sprintf("the host's %s has no function `%s`", iface, ex.Name)
					lacks = append(lacks, MissingImport{Name: qualified, Hint: msg})
				}
				f.host = trapping(qualified, msg)
			}
			inst.add(ex.Name, item{kind: component.ExternFunc, fn: f})
		case component.ExternType:
			var rt *ResourceType
			if ex.Resource {
				needed = true
				if hi != nil {
					rt = hi.resources[ex.Name]
				}
				if prev := st.resourceType(ex.ResourceDef); prev != nil {
					// The same resource as one linked before (an `eq`
					// bound: an interface that `use`s another's).
					if rt != nil && rt != prev {
						return item{}, &LinkError{Import: iface, Msg: fmt.Sprintf("resource `%s` is imported as the same type as `%s`, but the host defines another", ex.Name, name(prev))}
					}
					rt = prev
				}
				if rt == nil {
					if hi != nil {
						lacks = append(lacks, MissingImport{Name: qualified, Hint: fmt.Sprintf("the host's %s has no resource `%s`", iface, ex.Name)})
					}
					rt = &ResourceType{Name: ex.Name}
				}
				st.bindResource(ex.ResourceDef, rt)
			}
			inst.add(ex.Name, item{kind: component.ExternType, res: rt})
		default:
			lr.missing = append(lr.missing, MissingImport{Name: qualified, Hint: fmt.Sprintf("a host cannot provide %s inside an interface", kindName(ex.Kind))})
		}
	}
	switch {
	case stub:
	case hi == nil && needed:
		lr.missing = append(lr.missing, MissingImport{Name: iface, Hint: why})
	default:
		lr.missing = append(lr.missing, lacks...)
	}
	return item{kind: component.ExternInstance, inst: inst}, nil
}

// trapping is a host function that fails with why when called.
func trapping(name, why string) HostFunc {
	return func(context.Context, []canonabi.Value) ([]canonabi.Value, error) {
		return nil, fmt.Errorf("`%s` is not implemented: %s", name, why)
	}
}

func kindName(k component.ExternKind) string {
	switch k {
	case component.ExternModule:
		return "a core module"
	case component.ExternFunc:
		return "a function"
	case component.ExternValue:
		return "a value"
	case component.ExternType:
		return "a type"
	case component.ExternComponent:
		return "a component"
	case component.ExternInstance:
		return "an instance"
	}
	return "an item"
}
