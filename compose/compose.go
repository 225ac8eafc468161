// Package compose links components: each import of each component is
// plugged with a matching export of another component of the set (exact
// name first, then a semver-compatible one, with a structural type check),
// unmatched imports become imports of the result (merged across components
// and versions), and the result nests every input verbatim, instantiates
// them in dependency order and re-exports the exports of the first one.
//
// Matching and merging work on the WIT each component implements
// (check.DecodeWIT); the output is checked by a check.Session that
// checked the inputs, which reuses their types.
//
// [Compose] takes the components, each an [Input], the root first, and
// returns a [Result]: the composed component ([Result.Bytes],
// [Result.Write]) and its [Plan], the wiring (which export plugs each
// import, the imports left to the result, the exports; [Plan.Text] is what
// `witc compose --dry-run` prints). [Options] choose the plug of an import
// that several inputs could provide, and accept plugs nothing uses. The
// error of a composition that fails names the components and WIT items
// involved and, for each near miss, the first difference.
//
// The examples compose app.wasm with calc.wasm (ExampleCompose), print
// the plan (ExamplePlan_Text) and show a mismatch (ExampleCompose_mismatch).
package compose

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/witc-dev/witc/component"
	"github.com/witc-dev/witc/component/check"
	"github.com/witc-dev/witc/wit"
)

// Input is one component to compose.
type Input struct {
	// Name identifies the input: usually its path, cleaned, with `/`
	// between directories. Errors and the plan name it by the shortest
	// end of the path that no other input's path ends with — its file
	// name when that is unique, else `d1/x.wasm`.
	Name  string
	Bytes []byte
}

// Options tune composition.
type Options struct {
	// Plugs picks, for an import name, the input that provides it when
	// several could: an input whose Name is the value or ends with it
	// (whole path elements: `x.wasm`, `d1/x.wasm`).
	Plugs map[string]string
	// AllowUnused accepts plugs none of whose exports is used.
	AllowUnused bool
}

// Plan says how a composition is wired.
type Plan struct {
	Order   []string `json:"instantiation_order"`
	Wires   []Wire   `json:"wires"`
	Imports []Merged `json:"imports"`
	Exports []string `json:"exports"`
}

// Wire is one import satisfied by another component's export.
type Wire struct {
	Component string `json:"component"`
	Import    string `json:"import"`
	Provider  string `json:"provider"`
	Export    string `json:"export"`
	Match     string `json:"match"` // "exact" or "semver"
}

// Merged is one import of the composed component and the component
// imports it stands for.
type Merged struct {
	Name string      `json:"name"`
	From []ImportRef `json:"from"`
}

// ImportRef is an import of one of the components.
type ImportRef struct {
	Component string `json:"component"`
	Import    string `json:"import"`
}

// Result is a composed component and its plan.
type Result struct {
	Component *component.Component
	Plan      *Plan
}

// Bytes encodes the composed component.
func (r *Result) Bytes() []byte { return component.Encode(r.Component) }

// Write streams the composed component to w; the inputs are written
// from memory without further copies.
func (r *Result) Write(w io.Writer) error { return component.EncodeTo(w, r.Component) }

// Error is a composition error. It names components and WIT items, never
// internal indices.
type Error struct{ Msg string }

func (e *Error) Error() string { return e.Msg }

func errorf(format string, args ...any) error { return &Error{Msg: fmt.Sprintf(format, args...)} }

// comp is one input, decoded.
type comp struct {
	idx     int
	name    string
	bytes   []byte
	decoded *component.Component
	res     *wit.Resolve
	world   *wit.World
	imports []extern
	exports []extern
}

// extern is a top-level import or export with its WIT.
type extern struct {
	name  string
	attrs component.Name
	kind  component.ExternKind
	iface *wit.Interface // instances
	fn    *wit.Function  // functions
}

// labels names each input by the shortest end of its Name, in whole path
// elements, that no other input's Name ends with; a Name that is the end
// of another's is named in full.
func labels(inputs []Input) []string {
	out := make([]string, len(inputs))
	for i, in := range inputs {
		elems := strings.Split(in.Name, "/")
		for k := 1; k <= len(elems); k++ {
			out[i] = strings.Join(elems[len(elems)-k:], "/")
			shared := false
			for j, other := range inputs {
				if j != i && (other.Name == out[i] || strings.HasSuffix(other.Name, "/"+out[i])) {
					shared = true
					break
				}
			}
			if !shared {
				break
			}
		}
	}
	return out
}

// checked decodes and checks a component, in sess when it is not nil
// (the composition nesting it is checked there too, reusing its type).
func checked(name string, wasm []byte, sess *check.Session) (*component.Component, *check.Types, error) {
	c, err := component.Decode(wasm)
	if err != nil {
		return nil, nil, errorf("%s: %v", name, err)
	}
	var types *check.Types
	if sess != nil {
		types, err = sess.Component(c)
	} else {
		types, err = check.Component(c)
	}
	if err != nil {
		return nil, nil, errorf("%s: invalid component: %v", name, err)
	}
	return c, types, nil
}

// load decodes and checks an input and reads its WIT.
func load(in Input, name string, idx int, sess *check.Session) (*comp, error) {
	c, types, err := checked(name, in.Bytes, sess)
	if err != nil {
		return nil, err
	}
	return loadChecked(in, name, idx, c, types)
}

// loadChecked reads the WIT of a checked input.
func loadChecked(in Input, name string, idx int, c *component.Component, types *check.Types) (*comp, error) {
	res, pkg, err := types.WIT()
	if err != nil {
		return nil, errorf("%s: %v", name, err)
	}
	if pkg == nil || len(pkg.Worlds) != 1 {
		return nil, errorf("%s: is a WIT package, not a component", name)
	}
	cp := &comp{idx: idx, name: name, bytes: in.Bytes, decoded: c, res: res, world: pkg.Worlds[0]}
	byName := func(es []wit.WorldEntry) map[string]wit.WorldItem {
		m := map[string]wit.WorldItem{}
		for _, e := range es {
			n := e.Key.Name
			if e.Key.Interface != nil {
				n = e.Key.Interface.QualifiedName()
			}
			m[n] = e.Item
		}
		return m
	}
	wi, we := byName(cp.world.Imports), byName(cp.world.Exports)
	conv := func(x check.ExternItem, items map[string]wit.WorldItem) extern {
		e := extern{name: x.Name.Name, attrs: x.Name, kind: x.Kind}
		switch it := items[x.Name.Name].(type) {
		case *wit.WorldInterface:
			e.iface = it.Interface
		case *wit.Function:
			e.fn = it
		}
		return e
	}
	for _, x := range types.Imports() {
		cp.imports = append(cp.imports, conv(x, wi))
	}
	for _, x := range types.Exports() {
		cp.exports = append(cp.exports, conv(x, we))
	}
	return cp, nil
}

// Compose links the inputs; the first is the root whose exports the result
// exports.
func Compose(inputs []Input, opts Options) (*Result, error) {
	if len(inputs) < 2 {
		return nil, errorf("compose needs a root component and at least one component to plug into it")
	}
	var comps []*comp
	seen := map[string]bool{}
	for _, in := range inputs {
		if seen[in.Name] {
			return nil, errorf("component `%s` is given twice", in.Name)
		}
		seen[in.Name] = true
	}
	labels := labels(inputs)
	// The inputs are checked in a session that checks the composition
	// too: the inputs it nests are not checked a second time.
	sess := check.NewSession()
	for i, in := range inputs {
		c, err := load(in, labels[i], i, sess)
		if err != nil {
			return nil, err
		}
		comps = append(comps, c)
	}
	// The plugs name inputs by their labels, as the matching does.
	plugs := make(map[string]string, len(opts.Plugs))
	for imp, who := range opts.Plugs {
		var found []string
		for i, in := range inputs {
			if in.Name == who || strings.HasSuffix(in.Name, "/"+who) || labels[i] == who {
				found = append(found, labels[i])
			}
		}
		switch len(found) {
		case 0:
			return nil, errorf("--plug %s=%s: no input named `%s`", imp, who, who)
		case 1:
			plugs[imp] = found[0]
		default:
			return nil, errorf("--plug %s=%s: several inputs are named so (`%s`); give more of the path", imp, who, strings.Join(found, "`, `"))
		}
	}
	opts.Plugs = plugs
	w, err := wire(comps, opts)
	if err != nil {
		return nil, err
	}
	order, err := instantiationOrder(comps, w)
	if err != nil {
		return nil, err
	}
	if !opts.AllowUnused {
		if err := unusedError(comps, w); err != nil {
			return nil, err
		}
	}
	m, err := mergeImports(comps, w)
	if err != nil {
		return nil, err
	}
	out, err := emit(comps, order, w, m)
	if err != nil {
		return nil, err
	}
	// The result must be a valid component; a failure here is a bug in
	// witc, reported as such rather than as a broken output file.
	if _, err := sess.Component(out); err != nil {
		return nil, errorf("internal error: the composed component does not validate: %v", err)
	}
	// Lists are empty rather than nil, so that JSON has [] for them.
	plan := &Plan{Order: []string{}, Wires: []Wire{}, Imports: []Merged{}, Exports: []string{}}
	for _, c := range order {
		plan.Order = append(plan.Order, c.name)
	}
	for _, c := range comps {
		for i := range c.imports {
			if p, ok := w.plugs[importKey{c, i}]; ok {
				plan.Wires = append(plan.Wires, Wire{Component: c.name, Import: c.imports[i].name,
					Provider: p.comp.name, Export: p.comp.exports[p.export].name, Match: p.match})
			}
		}
	}
	for _, g := range m.groups {
		mg := Merged{Name: g.name, From: []ImportRef{}}
		for _, u := range g.users {
			mg.From = append(mg.From, ImportRef{Component: u.comp.name, Import: u.comp.imports[u.imp].name})
		}
		plan.Imports = append(plan.Imports, mg)
	}
	for _, e := range comps[0].exports {
		plan.Exports = append(plan.Exports, e.name)
	}
	return &Result{Component: out, Plan: plan}, nil
}

// Text renders a plan as a table.
func (p *Plan) Text() string {
	var b strings.Builder
	b.WriteString("instantiation order: " + strings.Join(p.Order, ", ") + "\n\nplugged imports:\n")
	if len(p.Wires) == 0 {
		b.WriteString("  (none)\n")
	}
	for _, w := range p.Wires {
		fmt.Fprintf(&b, "  %s: %s  <-  %s: %s  (%s)\n", w.Component, w.Import, w.Provider, w.Export, w.Match)
	}
	b.WriteString("\nimports of the composed component:\n")
	if len(p.Imports) == 0 {
		b.WriteString("  (none)\n")
	}
	for _, m := range p.Imports {
		fmt.Fprintf(&b, "  %s\n", m.Name)
		var from []string
		for _, f := range m.From {
			from = append(from, f.Component+": "+f.Import)
		}
		sort.Strings(from)
		for _, f := range from {
			fmt.Fprintf(&b, "      for %s\n", f)
		}
	}
	b.WriteString("\nexports:\n")
	for _, e := range p.Exports {
		fmt.Fprintf(&b, "  %s\n", e)
	}
	return b.String()
}
