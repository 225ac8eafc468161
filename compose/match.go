package compose

import (
	"fmt"
	"strings"

	"github.com/witc-dev/witc/component"
	"github.com/witc-dev/witc/wit"
)

type importKey struct {
	comp *comp
	imp  int
}

type provider struct {
	comp   *comp
	export int
	match  string
}

type wiring struct {
	plugs map[importKey]provider
	used  map[*comp]bool
}

// interfaceName splits `ns:pkg/iface@version` into its unversioned part
// and version.
func interfaceName(n string) (base string, v *wit.Version, ok bool) {
	colon, slash := strings.IndexByte(n, ':'), strings.IndexByte(n, '/')
	if colon < 0 || slash < colon {
		return "", nil, false
	}
	base = n
	if at := strings.IndexByte(n, '@'); at >= 0 {
		base = n[:at]
		var err error
		if v, err = wit.ParseVersion(n[at+1:]); err != nil {
			return "", nil, false
		}
	}
	return base, v, true
}

// semverCompatible reports whether two interface names may stand for each
// other: same interface, versions on the same compatibility track.
func semverCompatible(a, b string) bool {
	ba, va, ok1 := interfaceName(a)
	bb, vb, ok2 := interfaceName(b)
	if !ok1 || !ok2 || ba != bb {
		return false
	}
	if va == nil || vb == nil {
		return va == nil && vb == nil
	}
	return va.CompatTrack() == vb.CompatTrack()
}

func kindName(k component.ExternKind) string {
	return [...]string{"core module", "function", "value", "type", "component", "instance"}[k]
}

// wire finds, for every import, the export that satisfies it.
func wire(comps []*comp, opts Options) (*wiring, error) {
	w := &wiring{plugs: map[importKey]provider{}, used: map[*comp]bool{}}
	var problems []string
	for _, c := range comps {
		for i, im := range c.imports {
			p, near, err := findProvider(comps, c, im, opts)
			if err != nil {
				problems = append(problems, err.Error())
				continue
			}
			if p == nil {
				if len(near) > 0 {
					problems = append(problems, fmt.Sprintf("`%s` imports `%s`, and no component provides a matching %s:\n    %s",
						c.name, im.name, kindName(im.kind), strings.Join(near, "\n    ")))
				}
				continue
			}
			w.plugs[importKey{c, i}] = *p
			w.used[p.comp] = true
		}
	}
	if len(problems) > 0 {
		return nil, errorf("%s", strings.Join(problems, "\n"))
	}
	return w, nil
}

// findProvider looks for the export that satisfies import im of c. It
// returns nil and the near misses (explained) when there is none.
func findProvider(comps []*comp, c *comp, im extern, opts Options) (*provider, []string, error) {
	type cand struct {
		p   provider
		ver *wit.Version
	}
	var exact, compat []cand
	var near []string
	for _, p := range comps {
		if p == c {
			continue
		}
		if who, ok := opts.Plugs[im.name]; ok && who != p.name {
			continue
		}
		for j, ex := range p.exports {
			match := ""
			switch {
			case ex.name == im.name:
				match = "exact"
			case semverCompatible(ex.name, im.name):
				match = "semver"
			default:
				if b1, _, ok1 := interfaceName(ex.name); ok1 {
					if b2, _, ok2 := interfaceName(im.name); ok2 && b1 == b2 {
						near = append(near, fmt.Sprintf("`%s` exports `%s`: the version is not compatible with `%s`", p.name, ex.name, im.name))
					}
				}
				continue
			}
			if ex.kind != im.kind {
				near = append(near, fmt.Sprintf("`%s` exports `%s` as a %s, but it is imported as a %s", p.name, ex.name, kindName(ex.kind), kindName(im.kind)))
				continue
			}
			if err := checkExtern(ex, im); err != nil {
				near = append(near, fmt.Sprintf("`%s` exports `%s`, but %v", p.name, ex.name, err))
				continue
			}
			_, v, _ := interfaceName(ex.name)
			cd := cand{provider{p, j, match}, v}
			if match == "exact" {
				exact = append(exact, cd)
			} else {
				compat = append(compat, cd)
			}
		}
	}
	pick := func(cs []cand) (*provider, []string, error) {
		if len(cs) == 1 {
			return &cs[0].p, nil, nil
		}
		var who []string
		for _, cd := range cs {
			who = append(who, fmt.Sprintf("`%s` (as `%s`)", cd.p.comp.name, cd.p.comp.exports[cd.p.export].name))
		}
		return nil, nil, errorf("`%s` imports `%s`, which several components provide: %s; choose one with --plug %s=COMPONENT",
			c.name, im.name, strings.Join(who, ", "), im.name)
	}
	if len(exact) > 0 {
		return pick(exact)
	}
	if len(compat) > 0 {
		// Prefer the highest version; equal versions from several
		// components are ambiguous.
		best := compat[:1]
		for _, cd := range compat[1:] {
			switch cmp := versionCmp(cd.ver, best[0].ver); {
			case cmp > 0:
				best = []cand{cd}
			case cmp == 0:
				best = append(best, cd)
			}
		}
		return pick(best)
	}
	return nil, near, nil
}

func versionCmp(a, b *wit.Version) int {
	if a == nil || b == nil {
		return 0
	}
	return a.Compare(b)
}

// checkExtern checks that an export can stand for an import, explaining
// the first difference.
func checkExtern(ex, im extern) error {
	switch {
	case im.iface != nil && ex.iface != nil:
		return checkInterface(ex.iface, im.iface, im.name)
	case im.fn != nil && ex.fn != nil:
		return checkFunction(ex.fn, im.fn, "function `"+im.name+"`")
	}
	return nil
}

func checkInterface(got, want *wit.Interface, name string) error {
	for _, t := range want.Types {
		g := got.Type(t.Name)
		if g == nil {
			return fmt.Errorf("`%s` has no type `%s`", name, t.Name)
		}
		if err := sameType(g, t, fmt.Sprintf("`%s` type `%s`", name, t.Name), 0); err != nil {
			return err
		}
	}
	for _, f := range want.Functions {
		g := got.Function(f.Name)
		if g == nil {
			return fmt.Errorf("`%s` has no function `%s`", name, f.Name)
		}
		if err := checkFunction(g, f, fmt.Sprintf("`%s` function `%s`", name, f.Name)); err != nil {
			return err
		}
	}
	return nil
}

func checkFunction(got, want *wit.Function, path string) error {
	if got.Kind.IsAsync() != want.Kind.IsAsync() {
		return fmt.Errorf("%s: one is async and the other is not", path)
	}
	if len(got.Params) != len(want.Params) {
		return fmt.Errorf("%s: expected %d parameters, found %d", path, len(want.Params), len(got.Params))
	}
	for i := range want.Params {
		if got.Params[i].Name != want.Params[i].Name {
			return fmt.Errorf("%s: expected parameter `%s`, found `%s`", path, want.Params[i].Name, got.Params[i].Name)
		}
		if err := sameType(got.Params[i].Type, want.Params[i].Type, fmt.Sprintf("%s param `%s`", path, want.Params[i].Name), 0); err != nil {
			return err
		}
	}
	if (got.Result == nil) != (want.Result == nil) {
		return fmt.Errorf("%s: the result differs (%s expected, %s found)", path, typeName(want.Result), typeName(got.Result))
	}
	if want.Result != nil {
		return sameType(got.Result, want.Result, path+" result", 0)
	}
	return nil
}

// unalias follows `type a = b` and use-aliases.
func unalias(t wit.Type) wit.Type { return wit.Resolved(t) }

func typeName(t wit.Type) string {
	switch t := t.(type) {
	case nil:
		return "nothing"
	case wit.Primitive:
		return t.String()
	case *wit.TypeDef:
		if t.Name != "" {
			return t.Name
		}
		switch k := t.Kind.(type) {
		case *wit.List:
			return "list<" + typeName(k.Elem) + ">"
		case *wit.Option:
			return "option<" + typeName(k.Type) + ">"
		case *wit.Result:
			return "result<" + typeName(k.OK) + ", " + typeName(k.Err) + ">"
		case *wit.Tuple:
			var ps []string
			for _, x := range k.Types {
				ps = append(ps, typeName(x))
			}
			return "tuple<" + strings.Join(ps, ", ") + ">"
		case *wit.Handle:
			if k.Kind == wit.Borrow {
				return "borrow<" + typeName(k.Resource) + ">"
			}
			return "own<" + typeName(k.Resource) + ">"
		case *wit.Alias:
			return typeName(k.Type)
		}
		return "an anonymous type"
	}
	return "?"
}

// ownerName is where a named type is defined, for messages.
func ownerName(td *wit.TypeDef) string {
	if it := td.Owner.Interface; it != nil {
		if it.Name == "" {
			return "an inline interface"
		}
		return it.QualifiedName()
	}
	if w := td.Owner.World; w != nil {
		return "world " + w.Name
	}
	return "an anonymous type"
}

// sameType compares types of two components structurally; resources are
// the same when they have the same name in the same (or a semver-
// compatible) interface.
func sameType(got, want wit.Type, path string, depth int) error {
	if depth > 100 {
		return fmt.Errorf("%s: types nested too deeply", path)
	}
	g, w := unalias(got), unalias(want)
	gp, gIsPrim := g.(wit.Primitive)
	wp, wIsPrim := w.(wit.Primitive)
	if gIsPrim || wIsPrim {
		if gIsPrim && wIsPrim && gp == wp {
			return nil
		}
		return fmt.Errorf("%s: expected %s, found %s", path, typeName(want), typeName(got))
	}
	gt, wt := g.(*wit.TypeDef), w.(*wit.TypeDef)
	if gt == nil || wt == nil {
		return fmt.Errorf("%s: expected %s, found %s", path, typeName(want), typeName(got))
	}
	mismatch := func() error {
		return fmt.Errorf("%s: expected %s, found %s", path, typeName(want), typeName(got))
	}
	switch wk := wt.Kind.(type) {
	case *wit.Resource:
		if _, ok := gt.Kind.(*wit.Resource); !ok {
			return mismatch()
		}
		gn, wn := ownerName(gt), ownerName(wt)
		if gt.Name != wt.Name || !(gn == wn || semverCompatible(gn, wn)) {
			return fmt.Errorf("%s: resource `%s` from `%s` is not the same resource as `%s` from `%s`", path, gt.Name, gn, wt.Name, wn)
		}
	case *wit.Handle:
		gk, ok := gt.Kind.(*wit.Handle)
		if !ok || gk.Kind != wk.Kind {
			return mismatch()
		}
		return sameType(gk.Resource, wk.Resource, path, depth+1)
	case *wit.Record:
		gk, ok := gt.Kind.(*wit.Record)
		if !ok || len(gk.Fields) != len(wk.Fields) {
			return mismatch()
		}
		for i := range wk.Fields {
			if gk.Fields[i].Name != wk.Fields[i].Name {
				return fmt.Errorf("%s: expected field `%s`, found `%s`", path, wk.Fields[i].Name, gk.Fields[i].Name)
			}
			if err := sameType(gk.Fields[i].Type, wk.Fields[i].Type, path+" field `"+wk.Fields[i].Name+"`", depth+1); err != nil {
				return err
			}
		}
	case *wit.Variant:
		gk, ok := gt.Kind.(*wit.Variant)
		if !ok || len(gk.Cases) != len(wk.Cases) {
			return mismatch()
		}
		for i := range wk.Cases {
			if gk.Cases[i].Name != wk.Cases[i].Name || (gk.Cases[i].Type == nil) != (wk.Cases[i].Type == nil) {
				return fmt.Errorf("%s: case `%s` differs", path, wk.Cases[i].Name)
			}
			if wk.Cases[i].Type != nil {
				if err := sameType(gk.Cases[i].Type, wk.Cases[i].Type, path+" case `"+wk.Cases[i].Name+"`", depth+1); err != nil {
					return err
				}
			}
		}
	case *wit.Enum:
		gk, ok := gt.Kind.(*wit.Enum)
		if !ok || len(gk.Cases) != len(wk.Cases) {
			return mismatch()
		}
		for i := range wk.Cases {
			if gk.Cases[i].Name != wk.Cases[i].Name {
				return fmt.Errorf("%s: expected case `%s`, found `%s`", path, wk.Cases[i].Name, gk.Cases[i].Name)
			}
		}
	case *wit.Flags:
		gk, ok := gt.Kind.(*wit.Flags)
		if !ok || len(gk.Flags) != len(wk.Flags) {
			return mismatch()
		}
		for i := range wk.Flags {
			if gk.Flags[i].Name != wk.Flags[i].Name {
				return fmt.Errorf("%s: expected flag `%s`, found `%s`", path, wk.Flags[i].Name, gk.Flags[i].Name)
			}
		}
	case *wit.Tuple:
		gk, ok := gt.Kind.(*wit.Tuple)
		if !ok || len(gk.Types) != len(wk.Types) {
			return mismatch()
		}
		for i := range wk.Types {
			if err := sameType(gk.Types[i], wk.Types[i], fmt.Sprintf("%s element %d", path, i), depth+1); err != nil {
				return err
			}
		}
	case *wit.List:
		gk, ok := gt.Kind.(*wit.List)
		if !ok {
			return mismatch()
		}
		return sameType(gk.Elem, wk.Elem, path+" element", depth+1)
	case *wit.FixedList:
		gk, ok := gt.Kind.(*wit.FixedList)
		if !ok || gk.Len != wk.Len {
			return mismatch()
		}
		return sameType(gk.Elem, wk.Elem, path+" element", depth+1)
	case *wit.Map:
		gk, ok := gt.Kind.(*wit.Map)
		if !ok {
			return mismatch()
		}
		if err := sameType(gk.Key, wk.Key, path+" key", depth+1); err != nil {
			return err
		}
		return sameType(gk.Value, wk.Value, path+" value", depth+1)
	case *wit.Option:
		gk, ok := gt.Kind.(*wit.Option)
		if !ok {
			return mismatch()
		}
		return sameType(gk.Type, wk.Type, path+" payload", depth+1)
	case *wit.Result:
		gk, ok := gt.Kind.(*wit.Result)
		if !ok || (gk.OK == nil) != (wk.OK == nil) || (gk.Err == nil) != (wk.Err == nil) {
			return mismatch()
		}
		if wk.OK != nil {
			if err := sameType(gk.OK, wk.OK, path+" ok", depth+1); err != nil {
				return err
			}
		}
		if wk.Err != nil {
			return sameType(gk.Err, wk.Err, path+" error", depth+1)
		}
	case *wit.Future:
		gk, ok := gt.Kind.(*wit.Future)
		if !ok || (gk.Type == nil) != (wk.Type == nil) {
			return mismatch()
		}
		if wk.Type != nil {
			return sameType(gk.Type, wk.Type, path+" payload", depth+1)
		}
	case *wit.Stream:
		gk, ok := gt.Kind.(*wit.Stream)
		if !ok || (gk.Type == nil) != (wk.Type == nil) {
			return mismatch()
		}
		if wk.Type != nil {
			return sameType(gk.Type, wk.Type, path+" payload", depth+1)
		}
	}
	return nil
}

// instantiationOrder orders components so that providers come before the
// components they are plugged into.
func instantiationOrder(comps []*comp, w *wiring) ([]*comp, error) {
	deps := map[*comp][]*comp{}
	for k, p := range w.plugs {
		deps[k.comp] = append(deps[k.comp], p.comp)
	}
	var order []*comp
	state := map[*comp]int{}
	var visit func(c *comp, path []string) error
	visit = func(c *comp, path []string) error {
		switch state[c] {
		case 1:
			return errorf("the components depend on each other in a cycle: %s", strings.Join(append(path, c.name), " → "))
		case 2:
			return nil
		}
		state[c] = 1
		// Visit providers in input order for a deterministic result.
		ps := deps[c]
		for _, other := range comps {
			for _, p := range ps {
				if p == other {
					if err := visit(p, append(path, c.name)); err != nil {
						return err
					}
					break
				}
			}
		}
		state[c] = 2
		order = append(order, c)
		return nil
	}
	for _, c := range comps {
		if err := visit(c, nil); err != nil {
			return nil, err
		}
	}
	return order, nil
}
