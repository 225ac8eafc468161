package check

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/witc-dev/witc/component"
)

// Inspection is a readable description of a component: its structure, and
// the types of its imports and exports. It marshals to JSON as is (`witc
// inspect --json`): lists are [] when empty, never null, and every item is
// an object with fields, not a pre-formatted string — but for the types of
// functions and values, written in a WIT-like notation.
type Inspection struct {
	Size    int          `json:"size"`
	Imports []ExternInfo `json:"imports"`
	Exports []ExternInfo `json:"exports"`
	Root    *NodeInfo    `json:"component"`
}

// ExternInfo is a top-level import or export with its type, or an item of
// an instance or component type. Type is the type in a WIT-like notation
// on one line (`func(a: u32) -> u32`, `resource`, `type = record { … }`,
// `instance { add: func(…) -> u32; … }`); an instance's items are also in
// Exports one by one, a component type's in Imports and Exports. In JSON
// the type of an instance is just "instance" (and "component"), its items
// being listed.
type ExternInfo struct {
	Name    string       `json:"name"`
	Kind    string       `json:"kind"`
	Type    string       `json:"type"`
	Imports []ExternInfo `json:"imports,omitempty"`
	Exports []ExternInfo `json:"exports,omitempty"`
}

// NodeInfo describes one component (the root or a nested one): its
// sections' items, each list in index order.
type NodeInfo struct {
	Offset         int                `json:"offset"`
	Size           int                `json:"size"`
	Modules        []ModuleNode       `json:"modules"`
	CoreInstances  []CoreInstanceNode `json:"core_instances"`
	Components     []*NodeInfo        `json:"components"`
	Instances      []InstanceNode     `json:"instances"`
	Canon          []CanonNode        `json:"canon"`
	Imports        []ImportNode       `json:"imports"`
	Exports        []ItemRef          `json:"exports"`
	CustomSections []CustomNode       `json:"custom_sections"`
}

// ModuleNode describes a core module.
type ModuleNode struct {
	Index    int          `json:"index"`
	Offset   int          `json:"offset"`
	Size     int          `json:"size"`
	Imports  []CoreImport `json:"imports"`
	Exports  []CoreExport `json:"exports"`
	Funcs    int          `json:"funcs"`
	Memories int          `json:"memories"`
}

// CoreImport is an import of a core module.
type CoreImport struct {
	Module string `json:"module"`
	Name   string `json:"name"`
	Kind   string `json:"kind"` // func, table, memory, global, tag
}

// CoreExport is an export of a core module.
type CoreExport struct {
	Name  string `json:"name"`
	Kind  string `json:"kind"`
	Index uint32 `json:"index"`
}

// CoreInstanceNode is a core instance: a module instantiated with other
// core instances as its imports (Kind "instantiate", Module, Args), or a
// bundle of core items (Kind "exports", Exports).
type CoreInstanceNode struct {
	Index   int       `json:"index"`
	Kind    string    `json:"kind"`
	Module  *uint32   `json:"module,omitempty"`
	Args    []CoreArg `json:"args,omitempty"`
	Exports []ItemRef `json:"exports,omitempty"`
}

// CoreArg is an argument of a module's instantiation: the core instance
// given for one import module name.
type CoreArg struct {
	Name     string `json:"name"`
	Instance uint32 `json:"instance"`
}

// InstanceNode is a component instance: a component instantiated with
// arguments (Kind "instantiate", Component, Args), or a bundle of items
// (Kind "exports", Exports).
type InstanceNode struct {
	Index     int       `json:"index"`
	Kind      string    `json:"kind"`
	Component *uint32   `json:"component,omitempty"`
	Args      []ItemRef `json:"args,omitempty"`
	Exports   []ItemRef `json:"exports,omitempty"`
}

// ItemRef is a name given to an item of an index space: an export, or an
// argument of an instantiation. Sort is "func", "instance", "core func"…
type ItemRef struct {
	Name  string `json:"name"`
	Sort  string `json:"sort"`
	Index uint32 `json:"index"`
}

// ImportNode is an import of a component: its name and the type it is
// given by index (for a type import, the type it equals unless
// SubResource).
type ImportNode struct {
	Name        string `json:"name"`
	Kind        string `json:"kind"`
	Type        uint32 `json:"type"`
	SubResource bool   `json:"sub_resource,omitempty"`
}

// CanonNode is a canonical function: Op ("lift", "lower",
// "resource.drop"…) with the function it lifts (CoreFunc) or lowers
// (Func), its type, and its options.
type CanonNode struct {
	Index    int          `json:"index"`
	Op       string       `json:"op"`
	CoreFunc *uint32      `json:"core_func,omitempty"`
	Func     *uint32      `json:"func,omitempty"`
	Type     *uint32      `json:"type,omitempty"`
	Options  CanonOptions `json:"options"`
}

// CanonOptions are the options of a canonical function; absent ones are
// left out of the JSON.
type CanonOptions struct {
	StringEncoding string  `json:"string_encoding,omitempty"` // utf8, utf16, latin1+utf16
	Memory         *uint32 `json:"memory,omitempty"`
	Realloc        *uint32 `json:"realloc,omitempty"`
	PostReturn     *uint32 `json:"post_return,omitempty"`
	Async          bool    `json:"async,omitempty"`
	Callback       *uint32 `json:"callback,omitempty"`
}

// MarshalJSON writes the fields of the node's kind, lists as [] when
// empty: args for "instantiate", exports for "exports".
func (n CoreInstanceNode) MarshalJSON() ([]byte, error) {
	if n.Kind == "instantiate" {
		return marshal(struct {
			Index  int       `json:"index"`
			Kind   string    `json:"kind"`
			Module *uint32   `json:"module"`
			Args   []CoreArg `json:"args"`
		}{n.Index, n.Kind, n.Module, nonNil(n.Args)})
	}
	return marshal(struct {
		Index   int       `json:"index"`
		Kind    string    `json:"kind"`
		Exports []ItemRef `json:"exports"`
	}{n.Index, n.Kind, nonNil(n.Exports)})
}

// MarshalJSON writes the fields of the node's kind, lists as [] when
// empty: args for "instantiate", exports for "exports".
func (n InstanceNode) MarshalJSON() ([]byte, error) {
	if n.Kind == "instantiate" {
		return marshal(struct {
			Index     int       `json:"index"`
			Kind      string    `json:"kind"`
			Component *uint32   `json:"component"`
			Args      []ItemRef `json:"args"`
		}{n.Index, n.Kind, n.Component, nonNil(n.Args)})
	}
	return marshal(struct {
		Index   int       `json:"index"`
		Kind    string    `json:"kind"`
		Exports []ItemRef `json:"exports"`
	}{n.Index, n.Kind, nonNil(n.Exports)})
}

// MarshalJSON writes exports for an instance, imports and exports for a
// component, as [] when empty, and neither for other kinds.
func (x ExternInfo) MarshalJSON() ([]byte, error) {
	type plain struct {
		Name string `json:"name"`
		Kind string `json:"kind"`
		Type string `json:"type"`
	}
	p := plain{x.Name, x.Kind, x.Type}
	switch x.Kind {
	case "instance":
		p.Type = "instance"
		return marshal(struct {
			plain
			Exports []ExternInfo `json:"exports"`
		}{p, nonNil(x.Exports)})
	case "component":
		p.Type = "component"
		return marshal(struct {
			plain
			Imports []ExternInfo `json:"imports"`
			Exports []ExternInfo `json:"exports"`
		}{p, nonNil(x.Imports), nonNil(x.Exports)})
	}
	return marshal(p)
}

// marshal is json.Marshal without escaping <, > and & (types have ->).
func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// CustomNode is a custom section.
type CustomNode struct {
	Name string `json:"name"`
	Size int    `json:"size"`
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
	in := &Inspection{Size: len(b), Imports: []ExternInfo{}, Exports: []ExternInfo{}, Root: describe(c, 0, len(b))}
	for _, x := range t.top.imports {
		in.Imports = append(in.Imports, externInfo(x.name, x.e, 0, nil))
	}
	for _, x := range t.top.exports {
		in.Exports = append(in.Exports, externInfo(x.name, x.e, 0, nil))
	}
	return in, nil
}

// externInfo describes an import or export of type e, with the items of
// an instance or component type one by one; the types an instance exports
// are named in its other items.
func externInfo(name string, e entity, depth int, names typeNames) ExternInfo {
	x := ExternInfo{Name: name, Kind: externKindName(e.kind)}
	switch {
	case depth > 8:
		x.Type = "…"
	case e.kind == component.ExternInstance:
		x.Type = entityString(e, depth, names)
		inner := instanceNames(e.id.asInst().exports)
		for _, it := range e.id.asInst().exports {
			x.Exports = append(x.Exports, externInfo(it.name, it.e, depth+1, inner))
		}
	case e.kind == component.ExternComponent:
		x.Type = entityString(e, depth, names)
		for _, it := range e.id.asComp().imports {
			x.Imports = append(x.Imports, externInfo(it.name, it.e, depth+1, nil))
		}
		for _, it := range e.id.asComp().exports {
			x.Exports = append(x.Exports, externInfo(it.name, it.e, depth+1, nil))
		}
	default:
		x.Type = entityString(e, depth, names)
	}
	return x
}

func itemRef(name string, si component.SortIdx) ItemRef {
	return ItemRef{Name: name, Sort: si.Sort.String(), Index: si.Index}
}

func describe(c *component.Component, offset, size int) *NodeInfo {
	n := &NodeInfo{Offset: offset, Size: size, Modules: []ModuleNode{}, CoreInstances: []CoreInstanceNode{},
		Components: []*NodeInfo{}, Instances: []InstanceNode{}, Canon: []CanonNode{}, Imports: []ImportNode{},
		Exports: []ItemRef{}, CustomSections: []CustomNode{}}
	for _, s := range c.Sections {
		switch s := s.(type) {
		case *component.CustomSection:
			n.CustomSections = append(n.CustomSections, CustomNode{s.Name, len(s.Data)})
		case *component.ModuleSection:
			m := ModuleNode{Index: len(n.Modules), Offset: s.Offset, Size: len(s.Bytes), Imports: []CoreImport{}, Exports: []CoreExport{}}
			if info, err := component.ParseModule(s.Bytes); err == nil {
				for _, im := range info.Imports {
					m.Imports = append(m.Imports, CoreImport{im.Module, im.Name, coreKindName(im.Kind)})
				}
				for _, ex := range info.Exports {
					m.Exports = append(m.Exports, CoreExport{ex.Name, coreKindName(ex.Kind), ex.Index})
				}
				m.Funcs, m.Memories = len(info.Funcs), info.Memories
			}
			n.Modules = append(n.Modules, m)
		case *component.ComponentSection:
			n.Components = append(n.Components, describe(s.Component, s.Offset, s.Size))
		case *component.CoreInstanceSection:
			for _, ci := range s.Instances {
				node := CoreInstanceNode{Index: len(n.CoreInstances), Kind: "exports"}
				if ci.Instantiate {
					node.Kind, node.Module = "instantiate", &ci.Module
					for _, a := range ci.Args {
						node.Args = append(node.Args, CoreArg{a.Name, a.Instance})
					}
				} else {
					for _, x := range ci.Exports {
						node.Exports = append(node.Exports, itemRef(x.Name, x.Item))
					}
				}
				n.CoreInstances = append(n.CoreInstances, node)
			}
		case *component.InstanceSection:
			for _, in := range s.Instances {
				node := InstanceNode{Index: len(n.Instances), Kind: "exports"}
				if in.Instantiate {
					node.Kind, node.Component = "instantiate", &in.Component
					for _, a := range in.Args {
						node.Args = append(node.Args, itemRef(a.Name, a.Item))
					}
				} else {
					for _, x := range in.Exports {
						node.Exports = append(node.Exports, itemRef(x.Name.Name, x.Item))
					}
				}
				n.Instances = append(n.Instances, node)
			}
		case *component.CanonSection:
			for _, f := range s.Funcs {
				n.Canon = append(n.Canon, canonNode(len(n.Canon), f))
			}
		case *component.ImportSection:
			for _, im := range s.Imports {
				n.Imports = append(n.Imports, ImportNode{Name: im.Name.Name, Kind: externKindName(im.Type.Kind),
					Type: im.Type.Index, SubResource: im.Type.Kind == component.ExternType && im.Type.SubResource})
			}
		case *component.ExportSection:
			for _, ex := range s.Exports {
				n.Exports = append(n.Exports, itemRef(ex.Name.Name, ex.Item))
			}
		}
	}
	return n
}

func coreKindName(k byte) string {
	return [...]string{"func", "table", "memory", "global", "tag"}[k%5]
}

// importString writes the type of a component's import as the text
// format does: (instance (type 3)), (type (sub resource)).
func importString(im ImportNode) string {
	switch {
	case im.SubResource:
		return "(type (sub resource))"
	case im.Kind == "type":
		return fmt.Sprintf("(type (eq %d))", im.Type)
	case im.Kind == "value":
		return "(value)"
	}
	return fmt.Sprintf("(%s (type %d))", im.Kind, im.Type)
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

func canonNode(index int, f component.Canon) CanonNode {
	n := CanonNode{Index: index, Op: canonNames[f.Op]}
	fn, typ := f.Func, f.Type
	switch f.Op {
	case component.CanonLift:
		n.CoreFunc, n.Type = &fn, &typ
	case component.CanonLower:
		n.Func = &fn
	case component.CanonResourceNew, component.CanonResourceDrop, component.CanonResourceRep:
		n.Type = &typ
	}
	for _, o := range f.Opts {
		idx := o.Index
		switch o.Kind {
		case component.OptUTF8:
			n.Options.StringEncoding = "utf8"
		case component.OptUTF16:
			n.Options.StringEncoding = "utf16"
		case component.OptLatin1:
			n.Options.StringEncoding = "latin1+utf16"
		case component.OptMemory:
			n.Options.Memory = &idx
		case component.OptRealloc:
			n.Options.Realloc = &idx
		case component.OptPostReturn:
			n.Options.PostReturn = &idx
		case component.OptAsync:
			n.Options.Async = true
		case component.OptCallback:
			n.Options.Callback = &idx
		}
	}
	return n
}

// String writes a canonical function as `lift (core func 0) (type 0)
// (memory 0) (realloc 1)`.
func (c CanonNode) String() string {
	var b strings.Builder
	b.WriteString(c.Op)
	if c.CoreFunc != nil {
		fmt.Fprintf(&b, " (core func %d)", *c.CoreFunc)
	}
	if c.Func != nil {
		fmt.Fprintf(&b, " (func %d)", *c.Func)
	}
	if c.Type != nil {
		fmt.Fprintf(&b, " (type %d)", *c.Type)
	}
	o := c.Options
	if o.StringEncoding != "" {
		b.WriteString(" string-encoding=" + o.StringEncoding)
	}
	for _, x := range []struct {
		name string
		idx  *uint32
	}{{"memory", o.Memory}, {"realloc", o.Realloc}, {"post-return", o.PostReturn}} {
		if x.idx != nil {
			fmt.Fprintf(&b, " (%s %d)", x.name, *x.idx)
		}
	}
	if o.Async {
		b.WriteString(" async")
	}
	if o.Callback != nil {
		fmt.Fprintf(&b, " (callback %d)", *o.Callback)
	}
	return b.String()
}

// typeNames names the types of an instance type (by *defType or
// *resource), so that its functions and types refer to them by name, as
// WIT does, instead of spelling them out.
type typeNames map[any]string

// instanceNames names the types an instance type exports.
func instanceNames(items []item) typeNames {
	names := typeNames{}
	for _, it := range items {
		if it.e.kind != component.ExternType {
			continue
		}
		for _, id := range []typeID{it.e.referenced, it.e.created} {
			switch {
			case id.kind == kResource && id.asRes() != nil:
				if _, ok := names[id.asRes()]; !ok {
					names[id.asRes()] = it.name
				}
			case id.kind == kDefined && id.asDef() != nil:
				if _, ok := names[id.asDef()]; !ok {
					names[id.asDef()] = it.name
				}
			}
		}
	}
	return names
}

// entityString renders the type of an entity in a WIT-like notation, the
// types names knows by their names.
func entityString(e entity, depth int, names typeNames) string {
	if depth > 8 {
		return "…"
	}
	switch e.kind {
	case component.ExternFunc:
		return funcString(e.id.asFn(), names)
	case component.ExternInstance:
		var parts []string
		inner := instanceNames(e.id.asInst().exports)
		for _, x := range e.id.asInst().exports {
			parts = append(parts, x.name+": "+entityString(x.e, depth+1, inner))
		}
		return "instance { " + strings.Join(parts, "; ") + " }"
	case component.ExternComponent:
		var parts []string
		for _, x := range e.id.asComp().imports {
			parts = append(parts, "import "+x.name+": "+entityString(x.e, depth+1, nil))
		}
		for _, x := range e.id.asComp().exports {
			parts = append(parts, "export "+x.name+": "+entityString(x.e, depth+1, nil))
		}
		return "component { " + strings.Join(parts, "; ") + " }"
	case component.ExternType:
		if e.referenced.kind == kResource {
			return "resource"
		}
		if e.referenced.kind == kDefined {
			return "type = " + defString(e.referenced.asDef(), depth+1, names)
		}
		return "type"
	case component.ExternValue:
		return "value " + valString(e.val, depth+1, names)
	case component.ExternModule:
		return "core module"
	}
	return "?"
}

func funcString(f *funcType, names typeNames) string {
	var ps []string
	for _, p := range f.params {
		ps = append(ps, p.name+": "+valString(p.t, 0, names))
	}
	s := "func(" + strings.Join(ps, ", ") + ")"
	if f.async {
		s = "async " + s
	}
	if f.hasResult {
		s += " -> " + valString(f.result, 0, names)
	}
	return s
}

func valString(v valT, depth int, names typeNames) string {
	if v.prim != 0 {
		return primName(v.prim)
	}
	if n, ok := names[v.id.asDef()]; ok && v.id.asDef() != nil {
		return n
	}
	return defString(v.id.asDef(), depth, names)
}

// resourceString names a resource type: its name where names has it, else
// its number in the component (resource #4).
func resourceString(id typeID, names typeNames) string {
	if n, ok := names[id.asRes()]; ok && id.asRes() != nil {
		return n
	}
	return fmt.Sprintf("resource #%d", id.asRes().n)
}

func defString(d *defType, depth int, names typeNames) string {
	if depth > 8 {
		return "…"
	}
	list := func(vs []valT) string {
		var out []string
		for _, v := range vs {
			out = append(out, valString(v, depth+1, names))
		}
		return strings.Join(out, ", ")
	}
	opt := func(v valT, has bool) string {
		if !has {
			return "_"
		}
		return valString(v, depth+1, names)
	}
	switch d.kind {
	case component.DefPrim:
		return primName(d.prim)
	case component.DefRecord:
		var fs []string
		for _, f := range d.fields {
			fs = append(fs, f.name+": "+valString(f.t, depth+1, names))
		}
		return "record { " + strings.Join(fs, ", ") + " }"
	case component.DefVariant:
		var cs []string
		for _, c := range d.cases {
			if c.has {
				cs = append(cs, c.name+"("+valString(c.t, depth+1, names)+")")
			} else {
				cs = append(cs, c.name)
			}
		}
		return "variant { " + strings.Join(cs, ", ") + " }"
	case component.DefList:
		return "list<" + valString(d.elem, depth+1, names) + ">"
	case component.DefFixedList:
		return fmt.Sprintf("list<%s, %d>", valString(d.elem, depth+1, names), d.length)
	case component.DefMap:
		return "map<" + valString(d.elem, depth+1, names) + ", " + valString(d.err, depth+1, names) + ">"
	case component.DefTuple:
		return "tuple<" + list(d.types) + ">"
	case component.DefFlags:
		return "flags { " + strings.Join(d.labels, ", ") + " }"
	case component.DefEnum:
		return "enum { " + strings.Join(d.labels, ", ") + " }"
	case component.DefOption:
		return "option<" + valString(d.elem, depth+1, names) + ">"
	case component.DefResult:
		return "result<" + opt(d.elem, d.hasElem) + ", " + opt(d.err, d.hasErr) + ">"
	case component.DefOwn:
		return "own<" + resourceString(d.res, names) + ">"
	case component.DefBorrow:
		return "borrow<" + resourceString(d.res, names) + ">"
	case component.DefFuture:
		return "future<" + opt(d.elem, d.hasElem) + ">"
	case component.DefStream:
		return "stream<" + opt(d.elem, d.hasElem) + ">"
	}
	return "?"
}

// Text renders the inspection as an indented tree, one item per line: the
// items of an instance type below it, and a list that would make a line
// longer than textWidth one element per line.
func (in *Inspection) Text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "component (%d bytes)\n", in.Size)
	b.WriteString("  imports:\n")
	for _, x := range in.Imports {
		externText(&b, x, "    ")
	}
	b.WriteString("  exports:\n")
	for _, x := range in.Exports {
		externText(&b, x, "    ")
	}
	nodeText(&b, in.Root, "  ")
	return b.String()
}

// textWidth is where Text breaks a list over several lines.
const textWidth = 100

func externText(b *strings.Builder, x ExternInfo, ind string) {
	typ := x.Type
	if x.Kind == "instance" || x.Kind == "component" {
		typ = x.Kind
	}
	fmt.Fprintf(b, "%s%s: %s\n", ind, x.Name, typ)
	for _, it := range x.Imports {
		externText(b, ExternInfo{Name: "import " + it.Name, Kind: it.Kind, Type: it.Type, Imports: it.Imports, Exports: it.Exports}, ind+"  ")
	}
	for _, it := range x.Exports {
		prefix := ""
		if x.Kind == "component" {
			prefix = "export "
		}
		externText(b, ExternInfo{Name: prefix + it.Name, Kind: it.Kind, Type: it.Type, Imports: it.Imports, Exports: it.Exports}, ind+"  ")
	}
}

// list writes `head {a, b}`, or when that is longer than textWidth, head
// and one element per line below it.
func list(b *strings.Builder, ind, head string, items []string) {
	line := ind + head + " {" + strings.Join(items, ", ") + "}"
	if len(line) <= textWidth || len(items) < 2 {
		b.WriteString(line + "\n")
		return
	}
	b.WriteString(ind + head + " {\n")
	for _, it := range items {
		b.WriteString(ind + "    " + it + ",\n")
	}
	b.WriteString(ind + "}\n")
}

func refStrings(rs []ItemRef) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = fmt.Sprintf("%q (%s %d)", r.Name, r.Sort, r.Index)
	}
	return out
}

func nodeText(b *strings.Builder, n *NodeInfo, ind string) {
	for _, m := range n.Modules {
		fmt.Fprintf(b, "%score module %d: %d bytes at %#x, %d funcs, %d memories, %d imports, %d exports\n",
			ind, m.Index, m.Size, m.Offset, m.Funcs, m.Memories, len(m.Imports), len(m.Exports))
	}
	for _, ci := range n.CoreInstances {
		head := fmt.Sprintf("core instance %d: exports", ci.Index)
		items := refStrings(ci.Exports)
		if ci.Kind == "instantiate" {
			head = fmt.Sprintf("core instance %d: instantiate module %d", ci.Index, *ci.Module)
			items = nil
			for _, a := range ci.Args {
				items = append(items, fmt.Sprintf("%q: core instance %d", a.Name, a.Instance))
			}
		}
		list(b, ind, head, items)
	}
	for _, c := range n.Canon {
		fmt.Fprintf(b, "%scanon %d: %s\n", ind, c.Index, c)
	}
	for i, c := range n.Components {
		fmt.Fprintf(b, "%scomponent %d: %d bytes at %#x\n", ind, i, c.Size, c.Offset)
		for _, im := range c.Imports {
			fmt.Fprintf(b, "%s  import %q %s\n", ind, im.Name, importString(im))
		}
		for _, ex := range c.Exports {
			fmt.Fprintf(b, "%s  export %q (%s %d)\n", ind, ex.Name, ex.Sort, ex.Index)
		}
		nodeText(b, c, ind+"  ")
	}
	for _, in := range n.Instances {
		head := fmt.Sprintf("instance %d: exports", in.Index)
		items := refStrings(in.Exports)
		if in.Kind == "instantiate" {
			head = fmt.Sprintf("instance %d: instantiate component %d", in.Index, *in.Component)
			items = refStrings(in.Args)
			for i, a := range in.Args {
				items[i] = fmt.Sprintf("%q: (%s %d)", a.Name, a.Sort, a.Index)
			}
		}
		list(b, ind, head, items)
	}
	for _, c := range n.CustomSections {
		fmt.Fprintf(b, "%scustom section %q: %d bytes\n", ind, c.Name, c.Size)
	}
}
