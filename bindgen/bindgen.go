// Package bindgen generates typed Go host bindings for a WIT world: Go types
// for the world's WIT types, a Go interface per imported interface that the
// host implements, and an instance type with a method per exported function.
// The generated code runs on package host and lifts and lowers every value
// with code specialized for its type (canonabi's static helpers), so no
// value is boxed on the way — except for async functions and functions
// whose values hold streams, futures or error-contexts, which go through
// host's dynamic API with generated conversions (dynamic.go): an async
// export is a blocking Go method whose ctx cancels its task, a stream<u8>
// a *host.ByteStream (an io.Reader), a stream<T> a *host.Stream[T]
// (All), a future<T> a *host.Future[T] (Get), an error-context a
// host.ErrorContext.
//
// Code is generated with dave/jennifer, which stays inside this package.
package bindgen

import (
	"bytes"
	"fmt"
	"go/token"
	"path/filepath"
	"slices"
	"strings"

	"github.com/dave/jennifer/jen"
	"github.com/witc-dev/witc/canonabi"
	"github.com/witc-dev/witc/wit"
)

const (
	hostPkg     = "github.com/witc-dev/witc/host"
	canonabiPkg = "github.com/witc-dev/witc/canonabi"
	wasiPkg     = "github.com/witc-dev/witc/wasi"
)

// Options configure generation.
type Options struct {
	// Package is the Go package name; default: the world's name, or for a
	// component's own world (root:component/root, as wasm-tools names it)
	// the name of the file in Input.
	Package string
	// Input is the path the world was loaded from, or "".
	Input string
}

// packageName is the default Go package name of world w loaded from input:
// the world's name without dashes, or for a component's own world the
// file's name without its extension, reduced to lower-case letters and
// digits (calc.wasm → calc, my-app.v2.wasm → myapp).
func packageName(w *wit.World, input string) string {
	name := w.Name
	if input != "" && w.Name == "root" && w.Package != nil && w.Package.Name.String() == "root:component" {
		base := filepath.Base(input)
		if i := strings.IndexByte(base, '.'); i > 0 {
			base = base[:i]
		}
		name = base
	}
	name = strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			return r
		case r >= 'A' && r <= 'Z':
			return r + 'a' - 'A'
		}
		return -1
	}, name)
	if name == "" || name[0] >= '0' && name[0] <= '9' || token.IsKeyword(name) {
		name = "bindings" + name
	}
	return name
}

// UnsupportedError says which part of a world bindgen cannot generate
// bindings for yet.
type UnsupportedError struct {
	Item, What string
}

func (e *UnsupportedError) Error() string {
	return fmt.Sprintf("%s: %s is not supported by witc bindgen yet", e.Item, e.What)
}

// side says who implements a resource.
type side uint8

const (
	guestSide side = iota + 1 // exported by the component: a Go struct wrapping the handle
	hostSide                  // imported: a Go interface the host implements
	wasiSide                  // imported from WASI, served by package wasi: host.Resource
)

type gen struct {
	w *wit.World
	f *jen.File

	names    map[*wit.TypeDef]string   // Go names of named types
	cases    map[*wit.TypeDef][]string // Go names of enum, flags and variant cases
	taken    map[string]bool           // top-level Go names in use
	sides    map[*wit.TypeDef]side
	done     map[string]bool // helper methods generated
	pending  []func()
	tuples   map[int]bool
	result   bool
	decls    []jen.Code
	helpers  []jen.Code
	imported []*wit.Interface
	exported []*wit.Interface
	dual     map[*wit.Interface]bool // both imported and exported
	sizes    map[*wit.TypeDef]uint64 // effective sizes of the types checked
	heights  map[*wit.TypeDef]int    // levels of the types checked, the type itself included
	world    uint64                  // effective size of the world's functions, in all
	model    uint64                  // size of what was checked: type definitions, functions and their parts
	keys     map[*wit.TypeDef]string // memo of key
	longKeys map[string]string       // numbered keys of long structures
	spells   map[*wit.TypeDef]int    // memo of spelled
	aliases  map[*wit.TypeDef]string // Go aliases of anonymous types too long to spell
	flats    map[*wit.TypeDef]int    // memo of flatLen
	lends    map[*wit.TypeDef]bool   // memo of lendsHostBorrow
	inst     map[*wit.TypeDef]bool   // memo of usesInstance
	asyncs   map[*wit.TypeDef]bool   // memo of reachesAsync
	asyncsEC map[*wit.TypeDef]bool   // memo of reachesAsync with error-contexts
	item     string                  // what is being generated, for errors
}

// Generate generates the bindings of world w of r as one gofmt'd Go file.
func Generate(r *wit.Resolve, w *wit.World, opts Options) (out []byte, err error) {
	pkg := opts.Package
	if pkg == "" {
		pkg = packageName(w, opts.Input)
	}
	g := &gen{w: w, f: jen.NewFile(pkg), names: map[*wit.TypeDef]string{}, cases: map[*wit.TypeDef][]string{}, dual: map[*wit.Interface]bool{}, sizes: map[*wit.TypeDef]uint64{}, lends: map[*wit.TypeDef]bool{}, inst: map[*wit.TypeDef]bool{}, taken: map[string]bool{},
		sides: map[*wit.TypeDef]side{}, done: map[string]bool{}, tuples: map[int]bool{},
		heights: map[*wit.TypeDef]int{}, keys: map[*wit.TypeDef]string{}, longKeys: map[string]string{},
		spells: map[*wit.TypeDef]int{}, aliases: map[*wit.TypeDef]string{}, flats: map[*wit.TypeDef]int{}, asyncs: map[*wit.TypeDef]bool{}, asyncsEC: map[*wit.TypeDef]bool{}}
	defer func() {
		if r := recover(); r != nil {
			u, ok := r.(*UnsupportedError)
			if !ok {
				panic(r)
			}
			out, err = nil, u
		}
	}()
	g.f.HeaderComment("Code generated by witc. DO NOT EDIT.")
	g.f.ImportName(hostPkg, "host")
	g.f.ImportName(canonabiPkg, "canonabi")
	g.f.ImportName(wasiPkg, "wasi")
	g.f.PackageComment(fmt.Sprintf("Package %s holds Go host bindings for the WIT world `%s`.", pkg, w.QualifiedName()))
	for _, n := range []string{"Instance", "Imports", "Instantiate", "Result", "OK", "Err", "Close"} {
		g.taken[n] = true
	}
	for i := 0; i <= 64; i++ {
		g.taken[fmt.Sprintf("Tuple%d", i)] = true
	}
	g.plan()
	g.typeDecls()
	g.instance()
	for len(g.pending) > 0 {
		p := g.pending[0]
		g.pending = g.pending[1:]
		p()
	}
	g.genericDecls()
	for _, d := range g.decls {
		g.f.Add(d)
		g.f.Line()
	}
	for _, d := range g.helpers {
		g.f.Add(d)
		g.f.Line()
	}
	var buf bytes.Buffer
	if err := g.f.Render(&buf); err != nil {
		return nil, fmt.Errorf("bindgen: rendering the bindings of %s: %v", w.QualifiedName(), err)
	}
	return groupImports(buf.Bytes()), nil
}

// groupImports puts the standard library's imports first and the others
// in a second group, as goimports does.
func groupImports(src []byte) []byte {
	start := bytes.Index(src, []byte("\nimport (\n"))
	if start < 0 {
		return src
	}
	body := start + len("\nimport (\n")
	end := bytes.Index(src[body:], []byte("\n)\n"))
	if end < 0 {
		return src
	}
	var std, other []string
	for _, line := range strings.Split(string(src[body:body+end]), "\n") {
		path := strings.Trim(strings.TrimSpace(line), `"`)
		if first, _, _ := strings.Cut(path, "/"); strings.Contains(first, ".") {
			other = append(other, line)
		} else {
			std = append(std, line)
		}
	}
	block := strings.Join(std, "\n")
	if len(std) > 0 && len(other) > 0 {
		block += "\n\n"
	}
	block += strings.Join(other, "\n")
	out := append([]byte(nil), src[:body]...)
	out = append(out, block...)
	return append(out, src[body+end:]...)
}

func (g *gen) unsupported(what string) {
	panic(&UnsupportedError{Item: g.item, What: what})
}

func isWASI(i *wit.Interface) bool {
	return i != nil && i.Package != nil && i.Package.Name.Namespace == "wasi"
}

// servedByWASI reports whether package wasi implements interface i for
// the bindings: a WASI interface the world imports and does not export.
// The bindings generate no code for its functions.
func (g *gen) servedByWASI(i *wit.Interface) bool {
	return isWASI(i) && slices.Contains(g.imported, i) && !slices.Contains(g.exported, i)
}

// neededTypes is the set of named types the generated API shows: those
// that the functions with Go code (of the interfaces not served by package
// wasi and of the world) and the types of those interfaces and of the
// world (all, less the ones served by package wasi) reach.
func (g *gen) neededTypes(all []*wit.TypeDef) map[*wit.TypeDef]bool {
	needed := map[*wit.TypeDef]bool{}
	var visit func(t wit.Type)
	visit = func(t wit.Type) {
		td, ok := t.(*wit.TypeDef)
		if !ok || needed[td] {
			return
		}
		needed[td] = true
		if h, ok := td.Kind.(*wit.Handle); ok {
			visit(h.Resource)
		}
		for _, c := range td.Children() {
			visit(c)
		}
	}
	fn := func(f *wit.Function) {
		for _, p := range f.Params {
			visit(p.Type)
		}
		if f.Result != nil {
			visit(f.Result)
		}
	}
	for _, i := range slices.Concat(g.imported, g.exported) {
		if g.servedByWASI(i) {
			continue
		}
		for _, f := range i.Functions {
			fn(f)
		}
	}
	for _, f := range slices.Concat(worldFuncs(g.w.Imports), worldFuncs(g.w.Exports)) {
		fn(f)
	}
	for _, td := range all {
		if oi := td.Owner.Interface; oi == nil || !g.servedByWASI(oi) {
			visit(td)
		}
	}
	return needed
}

// plan sorts the world's interfaces into imported and exported, decides who
// implements each resource and names every named type.
func (g *gen) plan() {
	// Interfaces and the world's own functions, imported then exported.
	sides := []struct {
		entries []wit.WorldEntry
		into    *[]*wit.Interface
		verb    string
	}{{g.w.Imports, &g.imported, "importing"}, {g.w.Exports, &g.exported, "exporting"}}
	for _, side := range sides {
		for _, e := range side.entries {
			switch it := e.Item.(type) {
			case *wit.WorldInterface:
				if slices.Contains(*side.into, it.Interface) {
					g.item = "interface " + ifaceLabel(it.Interface)
					g.unsupported(side.verb + " one interface under several names")
				}
				*side.into = append(*side.into, it.Interface)
			case *wit.Function:
				g.item = "function `" + it.Name + "`"
				g.checkFunc(it)
			}
		}
	}
	// An interface both imported and exported (a middleware) is two
	// instances at run time. Their plain types are the same and share Go
	// types; their resources would need two Go types each.
	for _, i := range g.exported {
		if !slices.Contains(g.imported, i) {
			continue
		}
		g.dual[i] = true
		for _, td := range i.Types {
			if _, ok := td.Kind.(*wit.Resource); ok && td.Owner.Interface == i {
				g.item = "interface " + ifaceLabel(i)
				g.unsupported("importing and exporting an interface that defines resources")
			}
		}
	}
	for _, i := range slices.Concat(g.imported, g.exported) {
		for _, f := range i.Functions {
			g.item = "function `" + f.Name + "` of " + ifaceLabel(i)
			g.checkFunc(f)
		}
	}
	// The bindings spell out each function's type, expanded: that must
	// stay within a bound linear in what the types are written with.
	g.item = "world `" + g.w.Name + "`"
	if limit := maxExpansion*g.model + minExpansion; g.world > limit {
		g.unsupported(fmt.Sprintf("functions whose types expand to %d parts, written with %d (the limit is %d)", g.world, g.model, limit))
	}
	// Named types: those of every interface involved, then world-level ones.
	var all []*wit.TypeDef
	for _, i := range slices.Concat(g.imported, g.exported) {
		for _, td := range i.Types {
			if td.Owner.Interface == i && !slices.Contains(all, td) {
				all = append(all, td)
			}
		}
	}
	for _, e := range g.w.Imports {
		if td, ok := e.Item.(*wit.TypeDef); ok && td.Owner.World == g.w {
			all = append(all, td)
		}
	}
	needed := g.neededTypes(all)
	for _, td := range all {
		if _, ok := td.Kind.(*wit.Alias); ok {
			continue
		}
		if oi := td.Owner.Interface; oi != nil && g.servedByWASI(oi) && !needed[td] {
			continue // package wasi has it; the generated API does not show it
		}
		base := exported(td.Name)
		name := base
		if g.taken[name] && td.Owner.Interface != nil {
			oi := td.Owner.Interface
			owner := localName(g.w.Imports, oi)
			if owner == "" {
				owner = localName(g.w.Exports, oi)
			}
			name = exported(owner) + base
		}
		for n := 2; g.taken[name]; n++ {
			name = fmt.Sprintf("%s%d", base, n)
		}
		g.taken[name] = true
		g.names[td] = name
		g.item = "type `" + td.Name + "`"
		g.checkType(td, 0)
		if _, ok := td.Kind.(*wit.Resource); ok {
			switch oi := td.Owner.Interface; {
			case oi == nil:
				g.sides[td] = hostSide
			case slices.Contains(g.exported, oi):
				g.sides[td] = guestSide
			case isWASI(oi):
				g.sides[td] = wasiSide
			default:
				g.sides[td] = hostSide
			}
		}
	}
	// Case constants and case types, after every type has its name.
	for _, td := range all {
		name, ok := g.names[td]
		if !ok {
			continue
		}
		var labels []string
		switch k := td.Kind.(type) {
		case *wit.Enum:
			for _, c := range k.Cases {
				labels = append(labels, c.Name)
			}
		case *wit.Flags:
			for _, f := range k.Flags {
				labels = append(labels, f.Name)
			}
		case *wit.Variant:
			for _, c := range k.Cases {
				labels = append(labels, c.Name)
			}
		default:
			continue
		}
		for _, l := range labels {
			base := name + exported(l)
			n := base
			for i := 2; g.taken[n]; i++ {
				n = fmt.Sprintf("%s%d", base, i)
			}
			g.taken[n] = true
			g.cases[td] = append(g.cases[td], n)
		}
	}
}

func ifaceLabel(i *wit.Interface) string {
	if n := i.QualifiedName(); n != "" {
		return "`" + n + "`"
	}
	return "an inline interface"
}

// checkFunc rejects what bindgen cannot generate yet, and worlds whose
// functions' types expand beyond the component model's limit in all: the
// bindings spell each function's type out (canonabi.Shape) to check it
// against the component's. It adds the function's expanded size to g.world
// and what it is written with to g.model.
func (g *gen) checkFunc(f *wit.Function) {
	size := uint64(1)
	g.model += 2 + uint64(len(f.Params))
	for _, p := range f.Params {
		size += g.checkType(p.Type, 0)
	}
	if f.Result != nil {
		size += g.checkType(f.Result, 0)
	}
	if g.world += size; g.world > maxTypeSize {
		g.unsupported(fmt.Sprintf("a world whose functions' types expand past %d in all", maxTypeSize))
	}
}

// checkType rejects what bindgen cannot generate in t, reached at depth
// levels below a function or type, and returns its effective size: as in
// component validation, a type nested more than 100 levels deep, or
// whose expansion (each use of another type counting that type's size)
// exceeds maxTypeSize, is refused — a type that refers to another twice,
// which refers to another twice… would make the generated code (and any
// lifting) exponential. Sizes and levels are kept per type definition, so
// each is checked once.
func (g *gen) checkType(t wit.Type, depth int) uint64 {
	if depth > maxDepth {
		g.unsupported(fmt.Sprintf("a type nested more than %d levels deep", maxDepth))
	}
	switch t := wit.Resolved(t).(type) {
	case *wit.TypeDef:
		if size, seen := g.sizes[t]; seen {
			if depth+g.heights[t]-1 > maxDepth {
				g.unsupported(fmt.Sprintf("a type nested more than %d levels deep", maxDepth))
			}
			return size
		}
		switch k := t.Kind.(type) {
		case *wit.Flags:
			if len(k.Flags) > 64 {
				g.unsupported("flags with more than 64 labels")
			}
		case *wit.Alias: // wit.Resolved follows 1000 aliases
			g.unsupported("a chain of more than 1000 aliases")
		}
		size, height := uint64(1), 1
		g.model += 1 + uint64(len(t.Children()))
		for _, c := range t.Children() {
			size += g.checkType(c, depth+1)
			h := 1
			if td, ok := wit.Resolved(c).(*wit.TypeDef); ok {
				h = g.heights[td]
			}
			height = max(height, 1+h)
		}
		if size > maxTypeSize {
			g.unsupported(fmt.Sprintf("a type whose expanded size exceeds %d", maxTypeSize))
		}
		g.sizes[t], g.heights[t] = size, height
		return size
	}
	return 1
}

// Limits of the component model on types (wasmparser's
// MAX_WASM_TYPE_SIZE and MAX_WASM_COMPONENT_TYPE_DEPTH): the effective size
// of a type, and of a component's imports and exports in all; the levels
// of nesting.
const (
	maxTypeSize = 1_000_000
	maxDepth    = 100
)

// The spelled-out types of a world's functions may have at most
// maxExpansion times as many parts as the types and functions they are
// written with, plus minExpansion: far above real worlds (in the
// conformance worlds at most 3 times, and 875 parts in all), far below a
// type that doubles with each level.
const (
	maxExpansion = 64
	minExpansion = 4096
)

// docs turns WIT docs into a Go comment, prefixed with the Go name as Go
// doc comments are.
func docs(name string, d wit.Docs, fallback string) jen.Code {
	text := strings.TrimSpace(d.Contents)
	switch {
	case text == "" && fallback == "":
		return jen.Null()
	case text == "":
		text = name + " " + fallback
	case !strings.HasPrefix(text, name+" "):
		text = name + ": " + text
	}
	return jen.Comment(text)
}

// flatLen is the number of flat core values of t, as canonabi.Flatten
// counts them, but summed from the counts of t's parts, each type
// definition counted once (flattening a type whose parts share parts takes
// time in its expansion). Counts stop at maxFlat: past MaxFlatParams a
// value goes through memory, and only whether it does matters.
func (g *gen) flatLen(t wit.Type) int {
	td, ok := wit.Resolved(t).(*wit.TypeDef)
	if !ok {
		return len(canonabi.Flatten(t))
	}
	if n, ok := g.flats[td]; ok {
		return n
	}
	var n int
	switch k := td.Kind.(type) {
	case *wit.Record, *wit.Tuple:
		for _, c := range td.Children() {
			n = min(n+g.flatLen(c), maxFlat)
		}
	case *wit.Variant, *wit.Option, *wit.Result:
		for _, c := range cases(td) {
			if c != nil {
				n = max(n, g.flatLen(c))
			}
		}
		n++
	case *wit.FixedList:
		if e := g.flatLen(k.Elem); e > 0 {
			n = int(min(uint64(k.Len), uint64(maxFlat/e+1))) * e
			n = min(n, maxFlat)
		}
	default: // no parts of their own in the flat values
		n = len(canonabi.Flatten(td))
	}
	g.flats[td] = n
	return n
}

// maxFlat bounds flatLen, far above MaxFlatParams.
const maxFlat = 1 << 20
