package host

import (
	"fmt"

	"github.com/witc-dev/witc/canonabi"
	"github.com/witc-dev/witc/wit"
)

// DefaultMaxResourceHandles is the most handles a component instance's
// table holds, and the most values a Table holds, when no other limit is
// set: 2^20 (24 MiB of handles; wasmtime allows 2^28).
const DefaultMaxResourceHandles = 1 << 20

// handleTable is a component instance's table of resource handles.
// Index 0 is never used, as in the canonical ABI. It holds max handles at
// most (Options.MaxResourceHandles): without a bound a guest calling
// resource.new in a loop makes the host allocate until the process dies
// (24 bytes a handle), and the uint32 index wraps at 2^32.
type handleTable struct {
	entries []handleEntry
	free    []uint32
	max     uint32
}

type handleEntry struct {
	typ   *ResourceType
	rep   uint32
	lends uint32
	own   bool
	live  bool
	// obj is set for the entries that are not resource handles: waitable
	// sets and waitables (async.go), which share the table's index space
	// (CanonicalABI.md: ComponentInstance.handles).
	obj any
}

func (t *handleTable) add(e handleEntry) (uint32, error) {
	e.live = true
	if n := len(t.free); n > 0 {
		i := t.free[n-1]
		t.free = t.free[:n-1]
		t.entries[i] = e
		return i, nil
	}
	if len(t.entries) == 0 {
		t.entries = append(t.entries, handleEntry{}) // index 0 is reserved
	}
	if uint64(len(t.entries)) > uint64(t.max) {
		return 0, &canonabi.Trap{Reason: fmt.Sprintf("the component instance's table of resource handles is full: it holds %d handles, the limit", t.max)}
	}
	t.entries = append(t.entries, e)
	return uint32(len(t.entries) - 1), nil
}

func (t *handleTable) get(i uint32, rt *ResourceType) (*handleEntry, error) {
	if i == 0 || int(i) >= len(t.entries) || !t.entries[i].live {
		return nil, &canonabi.Trap{Reason: fmt.Sprintf("unknown handle index %d", i)}
	}
	e := &t.entries[i]
	if e.obj != nil {
		return nil, &canonabi.Trap{Reason: fmt.Sprintf("handle %d is a %s, not a resource handle", i, objName(e.obj))}
	}
	if rt != nil && e.typ != rt {
		return nil, wrongType(i, e.typ, rt)
	}
	return e, nil
}

// wrongType is the trap of a handle used as a handle of another resource
// type (canon_resource_rep, canon_resource_drop, lift_own, lift_borrow:
// trap_if(h.rt is not rt)).
func wrongType(i uint32, got, want *ResourceType) error {
	if name(got) == name(want) {
		return &canonabi.Trap{Reason: fmt.Sprintf("handle %d is of another resource type than the `%s` expected", i, name(want))}
	}
	return &canonabi.Trap{Reason: fmt.Sprintf("handle %d is a `%s`, not a `%s`", i, name(got), name(want))}
}

func (t *handleTable) remove(i uint32, rt *ResourceType) (handleEntry, error) {
	e, err := t.get(i, rt)
	if err != nil {
		return handleEntry{}, err
	}
	if e.lends > 0 {
		return handleEntry{}, &canonabi.Trap{Reason: fmt.Sprintf("handle %d is still lent out", i)}
	}
	out := *e
	t.entries[i] = handleEntry{}
	t.free = append(t.free, i)
	return out, nil
}

func name(rt *ResourceType) string {
	if rt == nil || rt.Name == "" {
		return "resource"
	}
	return rt.Name
}

// handles implements canonabi.HandleOps for one side of one call: it
// moves handles in and out of the instance's table. Borrowed handles
// created for the call are removed when the call returns.
type handles struct {
	st       *state
	borrowed []uint32
	lent     []uint32
}

func (h *handles) LiftHandle(wh *wit.Handle, i uint32) (canonabi.Value, error) {
	r, err := h.lift(wh.Kind, i, h.st.resourceType(wh.Resource))
	if err != nil {
		return nil, err
	}
	return r, nil
}

// lift is LiftHandle without the boxing, for the flat API: it takes
// handle i of resource type rt (nil: of any type) out of the instance's
// table (lift_own) or lends it for the call (lift_borrow).
func (h *handles) lift(kind wit.HandleKind, i uint32, rt *ResourceType) (Resource, error) {
	t := &h.st.table
	if kind == wit.Own {
		e, err := t.get(i, rt)
		if err != nil {
			return Resource{}, err
		}
		if !e.own {
			return Resource{}, &canonabi.Trap{Reason: fmt.Sprintf("handle %d is borrowed and cannot be passed as owned", i)}
		}
		out, err := t.remove(i, rt)
		if err != nil {
			return Resource{}, err
		}
		return Resource{Type: out.typ, Rep: out.rep, Own: true}, nil
	}
	e, err := t.get(i, rt)
	if err != nil {
		return Resource{}, err
	}
	e.lends++
	h.lent = append(h.lent, i)
	return Resource{Type: e.typ, Rep: e.rep}, nil
}

func (h *handles) LowerHandle(wh *wit.Handle, v canonabi.Value) (uint32, error) {
	r, ok := v.(Resource)
	if !ok {
		return 0, fmt.Errorf("expected a resource, got %T", v)
	}
	return h.lower(wh.Kind, r, h.st.resourceType(wh.Resource))
}

// lower is LowerHandle without the boxing, for the flat API: it adds a
// handle of resource type rt (nil: r's own type) to the instance's table
// (lower_own, lower_borrow).
func (h *handles) lower(kind wit.HandleKind, r Resource, rt *ResourceType) (uint32, error) {
	if rt == nil {
		rt = r.Type
	} else if r.Type != nil && r.Type != rt {
		return 0, fmt.Errorf("a `%s` resource cannot be passed as a `%s`", name(r.Type), name(rt))
	}
	if kind == wit.Own {
		return h.st.table.add(handleEntry{typ: rt, rep: r.Rep, own: true})
	}
	// A borrow of a resource this instance implements is its rep.
	if rt != nil && rt.impl == h.st {
		return r.Rep, nil
	}
	i, err := h.st.table.add(handleEntry{typ: rt, rep: r.Rep})
	if err != nil {
		return 0, err
	}
	h.borrowed = append(h.borrowed, i)
	return i, nil
}

// undropped reports a borrowed handle that the callee did not drop before
// returning, which the canonical ABI makes a trap (Task.exit: num_borrows
// must be 0).
func (h *handles) undropped() error {
	t := &h.st.table
	for _, i := range h.borrowed {
		if int(i) < len(t.entries) && t.entries[i].live && !t.entries[i].own && t.entries[i].obj == nil {
			return &canonabi.Trap{Reason: fmt.Sprintf("the borrowed `%s` handle %d was not dropped before the call returned", name(t.entries[i].typ), i)}
		}
	}
	return nil
}

// endCall drops the borrows lent for the call and returns lent handles.
func (h *handles) endCall() {
	t := &h.st.table
	for _, i := range h.borrowed {
		if int(i) < len(t.entries) && t.entries[i].live && !t.entries[i].own && t.entries[i].obj == nil {
			t.entries[i] = handleEntry{}
			t.free = append(t.free, i)
		}
	}
	for _, i := range h.lent {
		if int(i) < len(t.entries) && t.entries[i].live && t.entries[i].lends > 0 {
			t.entries[i].lends--
		}
	}
}

// addType adds a type to the instance's type space: a resource (rt) is
// bound to the WIT definition standing for it in the instance's function
// types. A definition bound earlier keeps its type: two indices holding
// the same resource (an `eq` bound) are one type.
func (st *state) addType(rt *ResourceType) {
	if rt != nil && st.spaces != nil {
		if td := st.spaces.Resource(uint32(len(st.types))); td != nil {
			rt = st.bindResource(td, rt)
		}
	}
	st.types = append(st.types, rt)
}

// bindResource binds WIT definition td to run-time type rt, unless it is
// bound already, and returns the type td stands for.
func (st *state) bindResource(td *wit.TypeDef, rt *ResourceType) *ResourceType {
	if prev := st.resTypes[td]; prev != nil {
		return prev
	}
	if st.resTypes == nil {
		st.resTypes = map[*wit.TypeDef]*ResourceType{}
	}
	st.resTypes[td] = rt
	return rt
}

// resourceType is the run-time type of the resource of a handle in the
// instance's function types (nil when it is not known).
func (st *state) resourceType(td *wit.TypeDef) *ResourceType {
	return st.resTypes[td]
}
