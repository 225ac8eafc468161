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
	imBase, _ := wit.SplitVersion(im.name)
	for _, p := range comps {
		// The root's exports are the composition's: they satisfy no
		// plug's import (which would make a cycle, the root importing
		// the plug), and the plug's import stays open, as in wac plug.
		if p == c || p == comps[0] {
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
			case wit.Compatible(ex.name, im.name):
				match = "semver"
			default:
				if b1, _ := wit.SplitVersion(ex.name); b1 == imBase {
					near = append(near, fmt.Sprintf("`%s` exports `%s`: the version is not compatible with `%s`", p.name, ex.name, im.name))
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
			_, v := wit.SplitVersion(ex.name)
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
		return wit.SameFunction(ex.fn, im.fn, "function `"+im.name+"`")
	}
	return nil
}

func checkInterface(got, want *wit.Interface, name string) error {
	for _, t := range want.Types {
		g := got.Type(t.Name)
		if g == nil {
			return fmt.Errorf("`%s` has no type `%s`", name, t.Name)
		}
		if err := wit.SameType(g, t, fmt.Sprintf("`%s` type `%s`", name, t.Name)); err != nil {
			return err
		}
	}
	for _, f := range want.Functions {
		g := got.Function(f.Name)
		if g == nil {
			return fmt.Errorf("`%s` has no function `%s`", name, f.Name)
		}
		if err := wit.SameFunction(g, f, fmt.Sprintf("`%s` function `%s`", name, f.Name)); err != nil {
			return err
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
