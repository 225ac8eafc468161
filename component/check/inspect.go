package check

import (
	"fmt"
	"strings"

	"github.com/witc-dev/witc/component"
)

// Inspection is a readable description of a component: its structure, and
// the types of its imports and exports. It marshals to JSON as is.
type Inspection struct {
	Size    int          `json:"size"`
	Root    *NodeInfo    `json:"component"`
	Imports []ExternInfo `json:"imports"`
	Exports []ExternInfo `json:"exports"`
}

// NodeInfo describes one component (the root or a nested one).
type NodeInfo struct {
	Offset         int          `json:"offset"`
	Size           int          `json:"size"`
	Modules        []ModuleNode `json:"modules"`
	CoreInstances  []string     `json:"core_instances"`
	Components     []*NodeInfo  `json:"components"`
	Instances      []string     `json:"instances"`
	Canon          []string     `json:"canon"`
	Imports        []string     `json:"imports"`
	Exports        []string     `json:"exports"`
	CustomSections []CustomNode `json:"custom_sections"`
}

// ModuleNode describes a core module.
type ModuleNode struct {
	Index    int      `json:"index"`
	Offset   int      `json:"offset"`
	Size     int      `json:"size"`
	Imports  []string `json:"imports"`
	Exports  []string `json:"exports"`
	Funcs    int      `json:"funcs"`
	Memories int      `json:"memories"`
}

// CustomNode is a custom section.
type CustomNode struct {
	Name string `json:"name"`
	Size int    `json:"size"`
}

// ExternInfo is a top-level import or export with its type.
type ExternInfo struct {
	Name string `json:"name"`
	Kind string `json:"kind"`
	Type string `json:"type"`
}

// Inspect decodes, checks and describes a component binary.
func Inspect(b []byte) (*Inspection, error) {
	c, err := component.Decode(b)
	if err != nil {
		return nil, err
	}
	t, err := Component(c)
	if err != nil {
		return nil, err
	}
	in := &Inspection{Size: len(b), Root: describe(c, 0, len(b))}
	for _, x := range t.top.imports {
		in.Imports = append(in.Imports, ExternInfo{x.name, externKindName(x.e.kind), entityString(x.e, 0)})
	}
	for _, x := range t.top.exports {
		in.Exports = append(in.Exports, ExternInfo{x.name, externKindName(x.e.kind), entityString(x.e, 0)})
	}
	return in, nil
}

func sortIdxString(si component.SortIdx) string { return fmt.Sprintf("(%s %d)", si.Sort, si.Index) }

func describe(c *component.Component, offset, size int) *NodeInfo {
	n := &NodeInfo{Offset: offset, Size: size}
	for _, s := range c.Sections {
		switch s := s.(type) {
		case *component.CustomSection:
			n.CustomSections = append(n.CustomSections, CustomNode{s.Name, len(s.Data)})
		case *component.ModuleSection:
			m := ModuleNode{Index: len(n.Modules), Offset: s.Offset, Size: len(s.Bytes)}
			if info, err := component.ParseModule(s.Bytes); err == nil {
				for _, im := range info.Imports {
					m.Imports = append(m.Imports, fmt.Sprintf("%s %s (%s)", im.Module, im.Name, coreKindName(im.Kind)))
				}
				for _, ex := range info.Exports {
					m.Exports = append(m.Exports, fmt.Sprintf("%s (%s %d)", ex.Name, coreKindName(ex.Kind), ex.Index))
				}
				m.Funcs, m.Memories = len(info.Funcs), info.Memories
			}
			n.Modules = append(n.Modules, m)
		case *component.ComponentSection:
			n.Components = append(n.Components, describe(s.Component, s.Offset, s.Size))
		case *component.CoreInstanceSection:
			for _, ci := range s.Instances {
				if ci.Instantiate {
					var args []string
					for _, a := range ci.Args {
						args = append(args, fmt.Sprintf("%q: core instance %d", a.Name, a.Instance))
					}
					n.CoreInstances = append(n.CoreInstances, fmt.Sprintf("instantiate module %d {%s}", ci.Module, strings.Join(args, ", ")))
					continue
				}
				var ex []string
				for _, x := range ci.Exports {
					ex = append(ex, fmt.Sprintf("%q %s", x.Name, sortIdxString(x.Item)))
				}
				n.CoreInstances = append(n.CoreInstances, "exports {"+strings.Join(ex, ", ")+"}")
			}
		case *component.InstanceSection:
			for _, in := range s.Instances {
				if in.Instantiate {
					var args []string
					for _, a := range in.Args {
						args = append(args, fmt.Sprintf("%q: %s", a.Name, sortIdxString(a.Item)))
					}
					n.Instances = append(n.Instances, fmt.Sprintf("instantiate component %d {%s}", in.Component, strings.Join(args, ", ")))
					continue
				}
				var ex []string
				for _, x := range in.Exports {
					ex = append(ex, fmt.Sprintf("%q %s", x.Name.Name, sortIdxString(x.Item)))
				}
				n.Instances = append(n.Instances, "exports {"+strings.Join(ex, ", ")+"}")
			}
		case *component.CanonSection:
			for _, f := range s.Funcs {
				n.Canon = append(n.Canon, canonString(f))
			}
		case *component.ImportSection:
			for _, im := range s.Imports {
				n.Imports = append(n.Imports, fmt.Sprintf("%q %s", im.Name.Name, externString(im.Type)))
			}
		case *component.ExportSection:
			for _, ex := range s.Exports {
				n.Exports = append(n.Exports, fmt.Sprintf("%q %s", ex.Name.Name, sortIdxString(ex.Item)))
			}
		}
	}
	return n
}

func coreKindName(k byte) string {
	return [...]string{"func", "table", "memory", "global", "tag"}[k%5]
}

func externString(x component.Extern) string {
	switch x.Kind {
	case component.ExternType:
		if x.SubResource {
			return "(type (sub resource))"
		}
		return fmt.Sprintf("(type (eq %d))", x.Index)
	case component.ExternValue:
		return "(value)"
	}
	return fmt.Sprintf("(%s (type %d))", externKindName(x.Kind), x.Index)
}

var canonNames = map[component.CanonOp]string{
	component.CanonLift: "lift", component.CanonLower: "lower", component.CanonResourceNew: "resource.new", component.CanonResourceDrop: "resource.drop",
	component.CanonResourceRep: "resource.rep", component.CanonTaskReturn: "task.return", component.CanonTaskCancel: "task.cancel",
	component.CanonContextGet: "context.get", component.CanonContextSet: "context.set", component.CanonSubtaskCancel: "subtask.cancel",
	component.CanonSubtaskDrop: "subtask.drop", component.CanonStreamNew: "stream.new", component.CanonStreamRead: "stream.read",
	component.CanonStreamWrite: "stream.write", component.CanonStreamCancelRead: "stream.cancel-read", component.CanonStreamCancelWrite: "stream.cancel-write",
	component.CanonStreamDropReadable: "stream.drop-readable", component.CanonStreamDropWritable: "stream.drop-writable",
	component.CanonFutureNew: "future.new", component.CanonFutureRead: "future.read", component.CanonFutureWrite: "future.write",
	component.CanonFutureCancelRead: "future.cancel-read", component.CanonFutureCancelWrite: "future.cancel-write",
	component.CanonFutureDropReadable: "future.drop-readable", component.CanonFutureDropWritable: "future.drop-writable",
	component.CanonErrorContextNew: "error-context.new", component.CanonErrorContextDebugMsg: "error-context.debug-message",
	component.CanonErrorContextDrop: "error-context.drop", component.CanonWaitableSetNew: "waitable-set.new",
	component.CanonWaitableSetWait: "waitable-set.wait", component.CanonWaitableSetPoll: "waitable-set.poll",
	component.CanonWaitableSetDrop: "waitable-set.drop", component.CanonWaitableJoin: "waitable.join",
	component.CanonBackpressureInc: "backpressure.inc", component.CanonBackpressureDec: "backpressure.dec",
	component.CanonThreadIndex: "thread.index", component.CanonThreadNewIndirect: "thread.new-indirect",
	component.CanonThreadResumeLater: "thread.resume-later", component.CanonThreadSuspend: "thread.suspend", component.CanonThreadYield: "thread.yield",
	component.CanonThreadSuspendResume: "thread.suspend-then-resume", component.CanonThreadYieldResume: "thread.yield-then-resume",
	component.CanonThreadSuspendPromote: "thread.suspend-then-promote", component.CanonThreadYieldPromote: "thread.yield-then-promote",
	component.CanonThreadSpawnRef: "thread.spawn-ref", component.CanonThreadSpawnIndirect: "thread.spawn-indirect",
	component.CanonThreadAvailableParall: "thread.available-parallelism",
}

func canonString(f component.Canon) string {
	var b strings.Builder
	b.WriteString(canonNames[f.Op])
	switch f.Op {
	case component.CanonLift:
		fmt.Fprintf(&b, " (core func %d) (type %d)", f.Func, f.Type)
	case component.CanonLower:
		fmt.Fprintf(&b, " (func %d)", f.Func)
	case component.CanonResourceNew, component.CanonResourceDrop, component.CanonResourceRep:
		fmt.Fprintf(&b, " (type %d)", f.Type)
	}
	for _, o := range f.Opts {
		switch o.Kind {
		case component.OptUTF8:
			b.WriteString(" string-encoding=utf8")
		case component.OptUTF16:
			b.WriteString(" string-encoding=utf16")
		case component.OptLatin1:
			b.WriteString(" string-encoding=latin1+utf16")
		case component.OptMemory:
			fmt.Fprintf(&b, " (memory %d)", o.Index)
		case component.OptRealloc:
			fmt.Fprintf(&b, " (realloc %d)", o.Index)
		case component.OptPostReturn:
			fmt.Fprintf(&b, " (post-return %d)", o.Index)
		case component.OptAsync:
			b.WriteString(" async")
		case component.OptCallback:
			fmt.Fprintf(&b, " (callback %d)", o.Index)
		}
	}
	return b.String()
}

// entityString renders the type of an entity in a WIT-like notation.
func entityString(e entity, depth int) string {
	if depth > 8 {
		return "…"
	}
	switch e.kind {
	case component.ExternFunc:
		return funcString(e.id.fn)
	case component.ExternInstance:
		var parts []string
		for _, x := range e.id.inst.exports {
			parts = append(parts, x.name+": "+entityString(x.e, depth+1))
		}
		return "instance { " + strings.Join(parts, "; ") + " }"
	case component.ExternComponent:
		var parts []string
		for _, x := range e.id.comp.imports {
			parts = append(parts, "import "+x.name+": "+entityString(x.e, depth+1))
		}
		for _, x := range e.id.comp.exports {
			parts = append(parts, "export "+x.name+": "+entityString(x.e, depth+1))
		}
		return "component { " + strings.Join(parts, "; ") + " }"
	case component.ExternType:
		if e.referenced.kind == kResource {
			return "resource"
		}
		if e.referenced.kind == kDefined {
			return "type = " + defString(e.referenced.def, depth+1)
		}
		return "type"
	case component.ExternValue:
		return "value " + valString(e.val, depth+1)
	case component.ExternModule:
		return "core module"
	}
	return "?"
}

func funcString(f *funcType) string {
	var ps []string
	for _, p := range f.params {
		ps = append(ps, p.name+": "+valString(p.t, 0))
	}
	s := "func(" + strings.Join(ps, ", ") + ")"
	if f.async {
		s = "async " + s
	}
	if f.hasResult {
		s += " -> " + valString(f.result, 0)
	}
	return s
}

func valString(v valT, depth int) string {
	if v.prim != 0 {
		return primName(v.prim)
	}
	return defString(v.id.def, depth)
}

func defString(d *defType, depth int) string {
	if depth > 8 {
		return "…"
	}
	list := func(vs []valT) string {
		var out []string
		for _, v := range vs {
			out = append(out, valString(v, depth+1))
		}
		return strings.Join(out, ", ")
	}
	opt := func(v valT, has bool) string {
		if !has {
			return "_"
		}
		return valString(v, depth+1)
	}
	switch d.kind {
	case component.DefPrim:
		return primName(d.prim)
	case component.DefRecord:
		var fs []string
		for _, f := range d.fields {
			fs = append(fs, f.name+": "+valString(f.t, depth+1))
		}
		return "record { " + strings.Join(fs, ", ") + " }"
	case component.DefVariant:
		var cs []string
		for _, c := range d.cases {
			if c.has {
				cs = append(cs, c.name+"("+valString(c.t, depth+1)+")")
			} else {
				cs = append(cs, c.name)
			}
		}
		return "variant { " + strings.Join(cs, ", ") + " }"
	case component.DefList:
		return "list<" + valString(d.elem, depth+1) + ">"
	case component.DefFixedList:
		return fmt.Sprintf("list<%s, %d>", valString(d.elem, depth+1), d.length)
	case component.DefMap:
		return "map<" + valString(d.elem, depth+1) + ", " + valString(d.err, depth+1) + ">"
	case component.DefTuple:
		return "tuple<" + list(d.types) + ">"
	case component.DefFlags:
		return "flags { " + strings.Join(d.labels, ", ") + " }"
	case component.DefEnum:
		return "enum { " + strings.Join(d.labels, ", ") + " }"
	case component.DefOption:
		return "option<" + valString(d.elem, depth+1) + ">"
	case component.DefResult:
		return "result<" + opt(d.elem, d.hasElem) + ", " + opt(d.err, d.hasErr) + ">"
	case component.DefOwn:
		return fmt.Sprintf("own<resource #%d>", d.res.res.n)
	case component.DefBorrow:
		return fmt.Sprintf("borrow<resource #%d>", d.res.res.n)
	case component.DefFuture:
		return "future<" + opt(d.elem, d.hasElem) + ">"
	case component.DefStream:
		return "stream<" + opt(d.elem, d.hasElem) + ">"
	}
	return "?"
}

// Text renders the inspection as an indented tree.
func (in *Inspection) Text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "component (%d bytes)\n", in.Size)
	b.WriteString("  imports:\n")
	for _, x := range in.Imports {
		fmt.Fprintf(&b, "    %s: %s\n", x.Name, x.Type)
	}
	b.WriteString("  exports:\n")
	for _, x := range in.Exports {
		fmt.Fprintf(&b, "    %s: %s\n", x.Name, x.Type)
	}
	nodeText(&b, in.Root, "  ")
	return b.String()
}

func nodeText(b *strings.Builder, n *NodeInfo, ind string) {
	for _, m := range n.Modules {
		fmt.Fprintf(b, "%score module %d: %d bytes at %#x, %d funcs, %d memories, %d imports, %d exports\n",
			ind, m.Index, m.Size, m.Offset, m.Funcs, m.Memories, len(m.Imports), len(m.Exports))
	}
	for i, s := range n.CoreInstances {
		fmt.Fprintf(b, "%score instance %d: %s\n", ind, i, s)
	}
	for i, s := range n.Canon {
		fmt.Fprintf(b, "%scanon %d: %s\n", ind, i, s)
	}
	for i, c := range n.Components {
		fmt.Fprintf(b, "%scomponent %d: %d bytes at %#x\n", ind, i, c.Size, c.Offset)
		for _, s := range c.Imports {
			fmt.Fprintf(b, "%s  import %s\n", ind, s)
		}
		for _, s := range c.Exports {
			fmt.Fprintf(b, "%s  export %s\n", ind, s)
		}
		nodeText(b, c, ind+"  ")
	}
	for i, s := range n.Instances {
		fmt.Fprintf(b, "%sinstance %d: %s\n", ind, i, s)
	}
	for _, c := range n.CustomSections {
		fmt.Fprintf(b, "%scustom section %q: %d bytes\n", ind, c.Name, c.Size)
	}
}
