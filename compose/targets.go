package compose

import (
	"fmt"
	"strings"

	"github.com/witc-dev/witc/wit"
)

// TargetsError says how a component fails to conform to a world: each
// problem on a line of its own.
type TargetsError struct {
	World    string
	Problems []string
}

func (e *TargetsError) Error() string {
	return fmt.Sprintf("the component does not conform to world `%s`:\n  %s", e.World, strings.Join(e.Problems, "\n  "))
}

// Targets checks that a component conforms to world w, as `wasm-tools
// component targets` does: it may import only what w imports, each
// import with a type that w's import can stand for (a host of w can run
// it), and it must export everything w exports, each with a type that
// can stand for w's export. Imports and exports are matched by name, an
// interface's version by semver compatibility. It returns nil when the
// component conforms, a *TargetsError listing every problem otherwise,
// and another error when wasm is not a valid component.
func Targets(wasm []byte, w *wit.World) error {
	c, err := load(Input{Name: "component", Bytes: wasm}, "the component", 0, nil)
	if err != nil {
		return err
	}
	imports, exports := worldExterns(w.Imports), worldExterns(w.Exports)
	te := &TargetsError{World: w.Name}
	if w.Package != nil {
		te.World = w.QualifiedName()
	}
	for _, im := range c.imports {
		wi, ok := lookupExtern(imports, im.name)
		if !ok {
			if im.iface == nil && im.fn == nil {
				continue // a type import: what it names is checked where used
			}
			te.Problems = append(te.Problems, fmt.Sprintf("it imports %s `%s`, which the world does not import", kindName(im.kind), im.name))
			continue
		}
		if err := checkExtern(wi, im); err != nil {
			te.Problems = append(te.Problems, fmt.Sprintf("its import `%s` does not match the world's: %v", im.name, err))
		}
	}
	for _, we := range exports {
		if we.iface == nil && we.fn == nil {
			continue
		}
		ce, ok := lookupExtern(c.exports, we.name)
		if !ok {
			te.Problems = append(te.Problems, fmt.Sprintf("it does not export `%s`, which the world exports", we.name))
			continue
		}
		if err := checkExtern(ce, we); err != nil {
			te.Problems = append(te.Problems, fmt.Sprintf("its export `%s` does not match the world's: %v", we.name, err))
		}
	}
	if len(te.Problems) > 0 {
		return te
	}
	return nil
}

// worldExterns are a world's imports or exports as externs, named as a
// component names them.
func worldExterns(es []wit.WorldEntry) []extern {
	var out []extern
	for _, e := range es {
		x := extern{name: e.Key.Name}
		if e.Key.Interface != nil {
			x.name = e.Key.Interface.QualifiedName()
		}
		switch it := e.Item.(type) {
		case *wit.WorldInterface:
			x.iface = it.Interface
		case *wit.Function:
			x.fn = it
		default:
			continue // types
		}
		out = append(out, x)
	}
	return out
}

// lookupExtern finds the extern name refers to: the same name, else a
// semver-compatible one (the highest).
func lookupExtern(xs []extern, name string) (extern, bool) {
	names := make([]string, len(xs))
	for i, x := range xs {
		names[i] = x.name
	}
	m := wit.MatchName(name, names, false)
	for _, x := range xs {
		if m != "" && x.name == m {
			return x, true
		}
	}
	return extern{}, false
}
