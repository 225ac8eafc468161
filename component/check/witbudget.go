package check

import (
	"fmt"

	"github.com/witc-dev/witc/wit"
)

// encodeBudget bounds the work of EncodeWIT before it is done. As
// wit-component does, an interface is encoded as a component type that
// imports every interface it uses, directly or not, with all their types:
// a chain of n interfaces, each using a type of the one before, encodes
// n²/2 instance types, and a world including the one before as many
// imports. The budget adds up a lower bound of the effective type size
// the package's component will have (the check computes the exact one)
// and stops at the limit the check enforces, so that the encoding never
// builds what the check is bound to reject: every size counted here is
// counted at least as much by the check.
type encodeBudget struct {
	total uint64
	sizes map[*wit.TypeDef]uint64 // witSize's memo
	seen  map[*wit.Interface]int  // the stamp of the last liveInterfaces that reached it
	stamp int
}

func newEncodeBudget() *encodeBudget {
	return &encodeBudget{sizes: map[*wit.TypeDef]uint64{}, seen: map[*wit.Interface]int{}}
}

func (b *encodeBudget) add(n uint64) error {
	b.total += n
	if b.total >= maxTypeSize {
		return errTypeSize
	}
	return nil
}

// witSize is a lower bound of the effective size of a value type once
// encoded: 1 per type, plus the sizes of the types it contains (the check
// expands every type it refers to). Past maxValueDepth it counts 1, which
// is still a lower bound, so that it recurses no deeper.
func (b *encodeBudget) witSize(t wit.Type, depth int) uint64 {
	td, ok := t.(*wit.TypeDef)
	if !ok || depth > maxValueDepth {
		return 1
	}
	if n, ok := b.sizes[td]; ok {
		return n
	}
	n := uint64(1)
	sum := func(ts ...wit.Type) {
		for _, x := range ts {
			if x != nil && n < maxTypeSize {
				n += b.witSize(x, depth+1)
			}
		}
	}
	switch k := td.Kind.(type) {
	case *wit.Record:
		for _, f := range k.Fields {
			sum(f.Type)
		}
	case *wit.Tuple:
		sum(k.Types...)
	case *wit.Variant:
		for _, c := range k.Cases {
			sum(c.Type)
		}
	case *wit.Option:
		sum(k.Type)
	case *wit.Result:
		sum(k.OK, k.Err)
	case *wit.List:
		sum(k.Elem)
	case *wit.FixedList:
		sum(k.Elem)
	case *wit.Map:
		sum(k.Key, k.Value)
	case *wit.Future:
		sum(k.Type)
	case *wit.Stream:
		sum(k.Type)
	}
	n = min(n, maxTypeSize)
	b.sizes[td] = n
	return n
}

// iface counts an interface's instance type: its types, and its functions
// when it is encoded with them (at least 1 each).
func (b *encodeBudget) iface(it *wit.Interface, funcs bool) error {
	n := uint64(1)
	for _, td := range it.Types {
		n += b.witSize(td, 0)
	}
	if funcs {
		n += uint64(len(it.Functions))
	}
	return b.add(n)
}

// world counts a world's imports and exports.
func (b *encodeBudget) world(w *wit.World) error {
	for _, entries := range [][]wit.WorldEntry{w.Imports, w.Exports} {
		for _, entry := range entries {
			var err error
			switch it := entry.Item.(type) {
			case *wit.WorldInterface:
				err = b.iface(it.Interface, true)
			case *wit.TypeDef:
				err = b.add(b.witSize(it, 0))
			default:
				err = b.add(1)
			}
			if err != nil {
				return fmt.Errorf("world `%s`: %w", w.Name, err)
			}
		}
	}
	return nil
}

// liveInterfaces lists it and the interfaces it uses, dependencies first
// (depth first, without recursion: chains of interfaces may be long),
// counting each in the budget: it with its functions, the others with
// their types only, as encodeInterfacePackage encodes them. It stops as
// soon as the budget is spent; its work is proportional to what it
// counts.
func (b *encodeBudget) liveInterfaces(it *wit.Interface) ([]*wit.Interface, error) {
	type frame struct {
		it   *wit.Interface
		next int // the next type of it to look at
	}
	b.stamp++
	b.seen[it] = b.stamp
	var out []*wit.Interface
	stack := []frame{{it: it}}
	for len(stack) > 0 {
		f := &stack[len(stack)-1]
		if f.next == len(f.it.Types) {
			if err := b.iface(f.it, f.it == it); err != nil {
				return nil, fmt.Errorf("interface `%s`: %w", it.Name, err)
			}
			out = append(out, f.it)
			stack = stack[:len(stack)-1]
			continue
		}
		td := f.it.Types[f.next]
		f.next++
		if a, ok := td.Kind.(*wit.Alias); ok {
			if dep, ok := a.Type.(*wit.TypeDef); ok && dep.Owner.Interface != nil && dep.Owner != td.Owner && b.seen[dep.Owner.Interface] != b.stamp {
				b.seen[dep.Owner.Interface] = b.stamp
				stack = append(stack, frame{it: dep.Owner.Interface})
			}
		}
	}
	return out, nil
}
