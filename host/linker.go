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
	"strings"

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
}

type hostInterface struct {
	name      string
	funcs     map[string]HostFunc
	flats     map[string]flatFunc
	resources map[string]*ResourceType
}

// NewLinker returns an empty linker.
func NewLinker() *Linker { return &Linker{ifaces: map[string]*hostInterface{}} }

func (l *Linker) iface(name string) *hostInterface {
	hi := l.ifaces[name]
	if hi == nil {
		hi = &hostInterface{name: name, funcs: map[string]HostFunc{}, flats: map[string]flatFunc{}, resources: map[string]*ResourceType{}}
		l.ifaces[name] = hi
	}
	return hi
}

// Func defines function name of interface iface (for a function imported
// directly by a world, iface is "").
func (l *Linker) Func(iface, name string, f HostFunc) { l.iface(iface).funcs[name] = f }

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
	base, v := splitVersion(name)
	var best *hostInterface
	var bestV *wit.Version
	for n, hi := range l.ifaces {
		b, hv := splitVersion(n)
		if b != base || v == nil || hv == nil || hv.CompatTrack() != v.CompatTrack() {
			continue
		}
		if best == nil || hv.Compare(bestV) > 0 {
			best, bestV = hi, hv
		}
	}
	return best
}

func splitVersion(name string) (string, *wit.Version) {
	at := strings.LastIndexByte(name, '@')
	if at < 0 {
		return name, nil
	}
	v, err := wit.ParseVersion(name[at+1:])
	if err != nil {
		return name, nil
	}
	return name[:at], v
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

func (e *TrapError) Error() string { return fmt.Sprintf("%s: %v", e.Func, e.Err) }
func (e *TrapError) Unwrap() error { return e.Err }

// Alias makes an existing resource type available under another interface
// (for interfaces that `use` it): imports see one resource type either way.
func (l *Linker) Alias(iface, name string, rt *ResourceType) { l.iface(iface).resources[name] = rt }
