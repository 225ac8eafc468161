package wit

import "github.com/witc-dev/witc/diag"

// Resolve is a set of resolved packages and everything they define. The
// position of an item in its arena is its ID.
type Resolve struct {
	Worlds     []*World
	Interfaces []*Interface
	Types      []*TypeDef
	Packages   []*Package
}

// AddPackage appends p to the arena and sets its ID.
func (r *Resolve) AddPackage(p *Package) *Package {
	p.ID = len(r.Packages)
	r.Packages = append(r.Packages, p)
	return p
}

// AddInterface appends i to the arena and sets its ID.
func (r *Resolve) AddInterface(i *Interface) *Interface {
	i.ID = len(r.Interfaces)
	r.Interfaces = append(r.Interfaces, i)
	return i
}

// AddWorld appends w to the arena and sets its ID.
// InterfacesByName maps the named interfaces of r by their qualified
// names (`wasi:io/streams@0.2.12`).
func (r *Resolve) InterfacesByName() map[string]*Interface {
	out := make(map[string]*Interface, len(r.Interfaces))
	for _, it := range r.Interfaces {
		if it.Name != "" {
			out[it.QualifiedName()] = it
		}
	}
	return out
}

func (r *Resolve) AddWorld(w *World) *World {
	w.ID = len(r.Worlds)
	r.Worlds = append(r.Worlds, w)
	return w
}

// AddType appends t to the arena and sets its ID.
func (r *Resolve) AddType(t *TypeDef) *TypeDef {
	t.ID = len(r.Types)
	r.Types = append(r.Types, t)
	return t
}

// Package is one WIT package: `ns:name@version`.
type Package struct {
	ID         int
	Name       PackageName
	Docs       Docs
	Interfaces []*Interface // named interfaces, in ID order
	Worlds     []*World     // in ID order
}

// Interface returns the named interface of p, or nil.
func (p *Package) Interface(name string) *Interface {
	for _, i := range p.Interfaces {
		if i.Name == name {
			return i
		}
	}
	return nil
}

// World returns the named world of p, or nil.
func (p *Package) World(name string) *World {
	for _, w := range p.Worlds {
		if w.Name == name {
			return w
		}
	}
	return nil
}

// Interface is a named interface of a package, or an anonymous one written
// inline in a world (`import x: interface { ... }`; Name is then "").
type Interface struct {
	ID        int
	Name      string
	Types     []*TypeDef // every name defined or used in the interface, keyed by TypeDef.Name
	Functions []*Function
	Docs      Docs
	Stability Stability
	Package   *Package
	CloneOf   *Interface // set only by nominal-type-id cloning
	Span      diag.Span  // of the name, when resolved from source
}

// Type returns the type with the given name in i, or nil.
func (i *Interface) Type(name string) *TypeDef {
	for _, t := range i.Types {
		if t.Name == name {
			return t
		}
	}
	return nil
}

// Function returns the function with the given name in i, or nil.
func (i *Interface) Function(name string) *Function {
	for _, f := range i.Functions {
		if f.Name == name {
			return f
		}
	}
	return nil
}

// QualifiedName returns `ns:pkg/name@version` for a named interface of a
// package, the bare name when it has no package, and "" for an anonymous one.
func (i *Interface) QualifiedName() string {
	if i.Name == "" {
		return ""
	}
	return qualified(i.Package, i.Name)
}

// QualifiedName returns `ns:pkg/name@version` for a world of a package, the
// bare name when it has no package.
func (w *World) QualifiedName() string { return qualified(w.Package, w.Name) }

func qualified(p *Package, name string) string {
	if p == nil {
		return name
	}
	n := p.Name
	s := n.Namespace + ":" + n.Name + "/" + name
	if n.Version != nil {
		s += "@" + n.Version.String()
	}
	return s
}

// World is a world of a package: what a component imports and exports.
type World struct {
	ID        int
	Name      string
	Imports   []WorldEntry
	Exports   []WorldEntry
	Package   *Package
	Docs      Docs
	Stability Stability
	Span      diag.Span
}

// WorldKey names an import or export: either a plain name or an interface
// imported by path (printed by wit-parser as "interface-<ID>").
type WorldKey struct {
	Name      string     // set for named items
	Interface *Interface // set for interfaces imported or exported by path
}

// String returns the key as wit-parser's JSON writes it.
func (k WorldKey) String() string {
	if k.Interface != nil {
		return "interface-" + itoa(k.Interface.ID)
	}
	return k.Name
}

// Equal reports whether two keys name the same thing.
func (k WorldKey) Equal(o WorldKey) bool {
	if k.Interface != nil || o.Interface != nil {
		return k.Interface == o.Interface
	}
	return k.Name == o.Name
}

// WorldEntry is one import or export of a world.
type WorldEntry struct {
	Key  WorldKey
	Item WorldItem
}

// WorldItem is what a world imports or exports: *WorldInterface, *Function,
// or (imports only) *TypeDef.
type WorldItem interface{ worldItem() }

// WorldInterface is an interface imported or exported by a world, with the
// gate and docs written on the import/export itself.
type WorldInterface struct {
	Interface  *Interface
	Stability  Stability
	ExternalID string
	Docs       Docs
}

func (*WorldInterface) worldItem() {}
func (*Function) worldItem()       {}
func (*TypeDef) worldItem()        {}

// Docs are documentation comments. The zero value means "no docs".
type Docs struct {
	Contents string
}

// StabilityKind says whether an item is gated.
type StabilityKind uint8

const (
	Unknown  StabilityKind = iota // no @since/@unstable: always present
	Stable                        // @since(version = Since)
	Unstable                      // @unstable(feature = Feature)
)

// Stability is the feature gate of an item.
type Stability struct {
	Kind       StabilityKind
	Since      *Version // Stable
	Feature    string   // Unstable
	Deprecated *Version // optional, with either kind
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	neg := n < 0
	if neg {
		n = -n
	}
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}

// StripDocs removes every documentation comment from the resolve: what
// remains is the types and names alone.
func (r *Resolve) StripDocs() {
	for _, p := range r.Packages {
		p.Docs = Docs{}
	}
	for _, w := range r.Worlds {
		w.Docs = Docs{}
		for _, es := range [][]WorldEntry{w.Imports, w.Exports} {
			for _, e := range es {
				switch it := e.Item.(type) {
				case *WorldInterface:
					it.Docs = Docs{}
				case *Function:
					it.Docs = Docs{}
				}
			}
		}
	}
	for _, i := range r.Interfaces {
		i.Docs = Docs{}
		for _, f := range i.Functions {
			f.Docs = Docs{}
		}
	}
	for _, t := range r.Types {
		t.Docs = Docs{}
		switch k := t.Kind.(type) {
		case *Record:
			for i := range k.Fields {
				k.Fields[i].Docs = Docs{}
			}
		case *Flags:
			for i := range k.Flags {
				k.Flags[i].Docs = Docs{}
			}
		case *Variant:
			for i := range k.Cases {
				k.Cases[i].Docs = Docs{}
			}
		case *Enum:
			for i := range k.Cases {
				k.Cases[i].Docs = Docs{}
			}
		}
	}
}
