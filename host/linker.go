// Package host runs components on wazero: it instantiates a component's
// core modules and instances, implements the canonical built-ins (lift,
// lower, resource.new/rep/drop) between them, links the component's
// imports to Go implementations, and lets Go call its exports with values
// of their WIT types (canonabi.Value).
package host

import (
	"context"
	"fmt"
	"sort"

	"github.com/witc-dev/witc/canonabi"
	"github.com/witc-dev/witc/wit"
)

// HostFunc implements an imported function in Go. Resource handles arrive
// and leave as Resource values.
type HostFunc func(ctx context.Context, args []canonabi.Value) ([]canonabi.Value, error)

// ResourceType is a resource type at run time: defined by a component
// instance (with its destructor) or by the host.
type ResourceType struct {
	Name string
	// Drop is the destructor of a host resource (nil: nothing to do).
	Drop func(rep uint32)
	impl *state // the defining component instance; nil for host resources
	dtor *coreRef
}

// Resource is a resource handle's value as it crosses a boundary: its type
// and its representation.
type Resource struct {
	Type *ResourceType
	Rep  uint32
	Own  bool
}

// Linker holds the host's implementations of imports, by interface name
// (`ns:pkg/iface@version`) and item name; lookups accept any
// semver-compatible version.
type Linker struct {
	ifaces map[string]*hostInterface
	// trapUnknown: imports nothing provides link as functions that trap
	// (TrapUnknownImports).
	trapUnknown bool
}

type hostInterface struct {
	name      string
	funcs     map[string]hostFunc
	flats     map[string]flatFunc
	resources map[string]*ResourceType
}

// hostFunc is a host function with the WIT type it implements.
type hostFunc struct {
	typ *wit.Function
	fn  HostFunc
}

// NewLinker returns an empty linker.
func NewLinker() *Linker { return &Linker{ifaces: map[string]*hostInterface{}} }

func (l *Linker) iface(name string) *hostInterface {
	hi := l.ifaces[name]
	if hi == nil {
		hi = &hostInterface{name: name, funcs: map[string]hostFunc{}, flats: map[string]flatFunc{}, resources: map[string]*ResourceType{}}
		l.ifaces[name] = hi
	}
	return hi
}

// Func defines function name of interface iface (for a function imported
// directly by a world, iface is "") with typ, the WIT function type it
// implements: a component that imports the function with another type
// fails to instantiate with a LinkError naming both types. f receives
// and returns values of typ's parameter and result types (canonabi.Value),
// so on a linked component its type assertions cannot fail.
func (l *Linker) Func(iface, name string, typ *wit.Function, f HostFunc) {
	if typ == nil {
		panic(fmt.Sprintf("host: Linker.Func(%q, %q) without a type", iface, name))
	}
	l.iface(iface).funcs[name] = hostFunc{typ: typ, fn: f}
}

// Resource defines a host resource type of interface iface.
func (l *Linker) Resource(iface, name string, drop func(rep uint32)) *ResourceType {
	rt := &ResourceType{Name: name, Drop: drop}
	l.iface(iface).resources[name] = rt
	return rt
}

// lookup finds an interface by exact name, then by a semver-compatible
// one (the highest).
func (l *Linker) lookup(name string) *hostInterface {
	if hi, ok := l.ifaces[name]; ok {
		return hi
	}
	if n := wit.MatchName(name, l.Interfaces(), false); n != "" {
		return l.ifaces[n]
	}
	return nil
}

// Interfaces lists the names of the interfaces the linker defines.
func (l *Linker) Interfaces() []string {
	var out []string
	for n := range l.ifaces {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Funcs lists the functions the linker defines in interface iface (""
// for functions a world imports by themselves) with their WIT types; a
// function defined only with FlatFunc has a nil type (it has a shape).
func (l *Linker) Funcs(iface string) map[string]*wit.Function {
	hi := l.ifaces[iface]
	if hi == nil {
		return nil
	}
	out := map[string]*wit.Function{}
	for n := range hi.flats {
		out[n] = nil
	}
	for n, f := range hi.funcs {
		out[n] = f.typ
	}
	return out
}

// LinkError says which import could not be satisfied.
type LinkError struct {
	Import string
	Msg    string
}

func (e *LinkError) Error() string {
	return fmt.Sprintf("cannot link import `%s`: %s", e.Import, e.Msg)
}

// TrapError is a trap in a guest, with the function that was called.
type TrapError struct {
	Func string
	Err  error
}

func (e *TrapError) Error() string {
	if isStackOverflow(e.Err) {
		return fmt.Sprintf("%s: call stack exhausted (%v)", e.Func, e.Err)
	}
	return fmt.Sprintf("%s: %v", e.Func, e.Err)
}
func (e *TrapError) Unwrap() error { return e.Err }

// Alias makes an existing resource type available under another interface
// (for interfaces that `use` it): imports see one resource type either way.
func (l *Linker) Alias(iface, name string, rt *ResourceType) { l.iface(iface).resources[name] = rt }

// bind finds the host's implementation of function name of interface
// iface ("" for a function a world imports by itself) and checks it
// against the type the component imports it with: a flat function by the
// shape of typ (the function's type in the component), a dynamic one
// structurally against the import's WIT type. It returns a nil HostFunc
// when the host does not implement the function.
func (st *state) bind(hi *hostInterface, iface, name string, typ *wit.Function) (HostFunc, *flatFunc, error) {
	if hi == nil {
		return nil, nil, nil
	}
	imp, qualified := iface, iface+"#"+name
	if iface == "" {
		imp, qualified = name, name
	}
	var h HostFunc
	if hf, ok := hi.funcs[name]; ok {
		want, err := st.imports.function(iface, name)
		if err != nil {
			return nil, nil, &LinkError{Import: imp, Msg: err.Error()}
		}
		if err := wit.SameFunction(hf.typ, want, "`"+name+"`"); err != nil {
			return nil, nil, &LinkError{Import: imp, Msg: fmt.Sprintf("function `%s` is imported with the type `%s`, but the host implements `%s` (%v)",
				name, wit.FuncTypeString(want), wit.FuncTypeString(hf.typ), err)}
		}
		h = hf.fn
	}
	ff, ok := hi.flats[name]
	if !ok {
		return h, nil, nil
	}
	if err := checkFlat(imp, name, ff, typ); err != nil {
		return nil, nil, err
	}
	if h == nil {
		h = flatOnly(qualified)
	}
	return h, &ff, nil
}

// importTypes are the WIT types of a component's imports: those of the
// world it implements, extracted from its types when the first dynamic
// host function is linked.
type importTypes struct {
	decode func() (*wit.Resolve, *wit.Package, error)
	done   bool
	items  map[string]wit.WorldItem // by import name
	err    error
}

// function is the WIT type of function name of the imported interface
// iface, or of the function import name when iface is "".
func (it *importTypes) function(iface, name string) (*wit.Function, error) {
	if !it.done {
		it.done = true
		it.items, it.err = worldImports(it.decode)
	}
	if it.err != nil {
		return nil, it.err
	}
	if iface == "" {
		if f, ok := it.items[name].(*wit.Function); ok {
			return f, nil
		}
	} else if wi, ok := it.items[iface].(*wit.WorldInterface); ok {
		if f := wi.Interface.Function(name); f != nil {
			return f, nil
		}
	}
	return nil, fmt.Errorf("the component's WIT has no imported function `%s`", name)
}

func worldImports(decode func() (*wit.Resolve, *wit.Package, error)) (map[string]wit.WorldItem, error) {
	_, pkg, err := decode()
	if err != nil {
		return nil, fmt.Errorf("the types of the component's imports: %w", err)
	}
	w := pkg.World("root")
	if w == nil {
		return nil, fmt.Errorf("the component implements no world")
	}
	items := map[string]wit.WorldItem{}
	for _, e := range w.Imports {
		name := e.Key.Name
		if e.Key.Interface != nil {
			name = e.Key.Interface.QualifiedName()
		}
		items[name] = e.Item
	}
	return items, nil
}
