package host

import (
	"fmt"

	"github.com/witc-dev/witc/component"
	"github.com/witc-dev/witc/internal/leb128"
)

// The counts of one instantiation. A component is small, but what it
// instantiates is not bounded by its size: a component nesting 30 levels,
// each instantiating the one below twice, is 618 bytes and 2^30 core
// instances. Like wasmtime's store limits (10 000 instances, tables and
// memories by default), one instantiation may create at most so many
// core and component instances together (Options.MaxInstances), and its
// core instances may define at most so many tables and memories
// (Options.MaxTables, Options.MaxMemories).
//
// Before anything runs, the counts are planned from the component's
// structure (plan: each definition counted once, whatever the number of
// times it is instantiated, so the 2^30 bomb is refused in microseconds).
// What the structure does not show — a component or module imported by a
// nested component and given by its instantiation, or one aliased from
// an instance's exports — counts nothing in the plan, which is a lower
// bound; each instantiation is counted again as it happens (budget), and
// the first past a limit fails.

// Defaults of the limits of Options, wasmtime's store defaults.
const (
	DefaultMaxInstances = 10000
	DefaultMaxTables    = 10000
	DefaultMaxMemories  = 10000
)

// LimitError is the failure of an instantiation that would create more
// instances, tables or memories than the runtime's limits allow.
type LimitError struct {
	What  string // "instances", "tables" or "memories"
	Limit uint32
}

func (e *LimitError) Error() string {
	switch e.What {
	case "instances":
		return fmt.Sprintf("the component creates more than %d instances (core and component instances together), the limit of one instantiation", e.Limit)
	}
	return fmt.Sprintf("the component's core instances define more than %d %s, the limit of one instantiation", e.Limit, e.What)
}

// counts are what instantiations create.
type counts struct{ instances, tables, memories uint64 }

// add adds o to c, each count saturating at 1<<62.
func (c *counts) add(o counts) {
	const most = 1 << 62
	c.instances = min(c.instances+o.instances, most)
	c.tables = min(c.tables+o.tables, most)
	c.memories = min(c.memories+o.memories, most)
}

// limits are a runtime's limits of one instantiation.
type limits struct{ instances, tables, memories uint32 }

// check returns the LimitError of the first count past its limit.
func (l limits) check(c counts) error {
	switch {
	case c.instances > uint64(l.instances):
		return &LimitError{What: "instances", Limit: l.instances}
	case c.tables > uint64(l.tables):
		return &LimitError{What: "tables", Limit: l.tables}
	case c.memories > uint64(l.memories):
		return &LimitError{What: "memories", Limit: l.memories}
	}
	return nil
}

// budget counts the instantiations of one component instantiation, all
// its nested component instances included, as they happen.
type budget struct {
	limits
	used counts
}

// take counts one more instantiation creating c, if the limits allow it.
func (b *budget) take(c counts) error {
	used := b.used
	used.add(c)
	if err := b.check(used); err != nil {
		return err
	}
	b.used = used
	return nil
}

// moduleCounts are the tables and memories a core module defines (not
// those it imports), from its table and memory sections; a module that
// cannot be read counts nothing (wazero reports what is wrong with it).
func moduleCounts(b []byte) counts {
	var c counts
	for pos := 8; pos < len(b); {
		id := b[pos]
		size, n, err := leb128.Uint32(b[pos+1:])
		start := pos + 1 + n
		if err != nil || uint64(start)+uint64(size) > uint64(len(b)) {
			return c
		}
		if id == 4 || id == 5 {
			if count, _, err := leb128.Uint32(b[start:]); err == nil {
				if id == 4 {
					c.tables += uint64(count)
				} else {
					c.memories += uint64(count)
				}
			}
		}
		pos = start + int(size)
	}
	return c
}

// planScope is what the plan knows of a component definition's index
// spaces of components and core modules: each entry the definition it
// stands for, nil when unknown (an import, an alias of an instance's
// export).
type planScope struct {
	comps   []*component.Component
	modules [][]byte
}

// planner counts the instantiations of component definitions, each once.
type planner struct {
	memo map[*component.Component]counts
}

// plan is what one instantiation of component c creates, as far as its
// structure shows (a lower bound).
func plan(c *component.Component) counts {
	p := &planner{memo: map[*component.Component]counts{}}
	return p.count(c, nil)
}

// count counts an instantiation of c, whose enclosing definitions'
// scopes are outer (innermost last). A definition's count does not depend
// on how it is instantiated: what it gets from its instantiation is
// unknown to the plan.
func (p *planner) count(c *component.Component, outer []*planScope) counts {
	if n, ok := p.memo[c]; ok {
		return n
	}
	p.memo[c] = counts{} // a definition cannot contain itself; this only guards
	sc := &planScope{}
	var total counts
	scopes := append(outer[:len(outer):len(outer)], sc)
	for _, sec := range c.Sections {
		switch sec := sec.(type) {
		case *component.ModuleSection:
			sc.modules = append(sc.modules, sec.Bytes)
		case *component.ComponentSection:
			sc.comps = append(sc.comps, sec.Component)
		case *component.ImportSection:
			for _, im := range sec.Imports {
				switch im.Type.Kind {
				case component.ExternComponent:
					sc.comps = append(sc.comps, nil)
				case component.ExternModule:
					sc.modules = append(sc.modules, nil)
				}
			}
		case *component.AliasSection:
			for _, a := range sec.Aliases {
				switch {
				case a.Kind == component.AliasOuter && int(a.Count) < len(scopes):
					o := scopes[len(scopes)-1-int(a.Count)]
					switch {
					case a.Sort == component.SortComponent && int(a.Index) < len(o.comps):
						sc.comps = append(sc.comps, o.comps[a.Index])
					case a.Sort == component.SortCoreModule && int(a.Index) < len(o.modules):
						sc.modules = append(sc.modules, o.modules[a.Index])
					}
				case a.Sort == component.SortComponent:
					sc.comps = append(sc.comps, nil)
				case a.Sort == component.SortCoreModule:
					sc.modules = append(sc.modules, nil)
				}
			}
		case *component.ExportSection:
			for _, ex := range sec.Exports {
				switch ex.Item.Sort {
				case component.SortComponent:
					sc.comps = append(sc.comps, at(sc.comps, ex.Item.Index))
				case component.SortCoreModule:
					sc.modules = append(sc.modules, at(sc.modules, ex.Item.Index))
				}
			}
		case *component.CoreInstanceSection:
			for _, ci := range sec.Instances {
				if ci.Instantiate {
					n := moduleCounts(at(sc.modules, ci.Module))
					n.instances = 1
					total.add(n)
				}
			}
		case *component.InstanceSection:
			for _, in := range sec.Instances {
				if in.Instantiate {
					total.add(counts{instances: 1})
					if def := at(sc.comps, in.Component); def != nil {
						total.add(p.count(def, scopes))
					}
				}
			}
		}
	}
	p.memo[c] = total
	return total
}

// at is s[i], or the zero value when i is out of range (the validator
// has checked the indices; the plan does not rely on it).
func at[T any](s []T, i uint32) T {
	if int(i) < len(s) {
		return s[i]
	}
	var zero T
	return zero
}
