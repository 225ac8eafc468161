package check

import (
	"github.com/witc-dev/witc/canonabi"
	"github.com/witc-dev/witc/component"
	"github.com/witc-dev/witc/wit"
)

// Spaces are the index spaces of one component definition, as the check
// left them at the definition's end: what a runtime instantiating the
// definition section by section needs to know of what each index holds,
// without typing the component a second time. An index is the one the
// item gets in its space (imports, aliases and definitions, in order).
type Spaces struct {
	t *Types
	s *scope
}

// Spaces returns the index spaces of component definition c: the checked
// component or one nested in it (a component section's Component). It is
// nil when c was not checked as part of t.
func (t *Types) Spaces(c *component.Component) *Spaces {
	s, ok := t.defs[c]
	if !ok {
		return nil
	}
	return &Spaces{t: t, s: s}
}

// function converts a function type to WIT, sharing the type definitions
// of every earlier conversion.
func (t *Types) function(f *funcType) *wit.Function {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.conv == nil {
		t.conv = newWITConv()
	}
	return t.conv.function(f)
}

// convert runs f on the WIT converter shared by every conversion of t.
func (t *Types) convert(f func(w *witConv) wit.Type) wit.Type {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.conv == nil {
		t.conv = newWITConv()
	}
	return f(t.conv)
}

// resource is the WIT type definition of resource r in t's conversions.
func (w *witConv) resource(r *resource) *wit.TypeDef {
	td := w.res[r]
	if td == nil {
		td = &wit.TypeDef{Name: "resource", Kind: &wit.Resource{}}
		w.res[r] = td
	}
	return td
}

// ValType is the WIT type of value type v of the definition: a
// primitive, or the defined type at index v.Index of its type space (nil
// when that index holds no value type).
func (sp *Spaces) ValType(v component.ValType) wit.Type {
	if v.Prim != 0 {
		return primToWIT[v.Prim]
	}
	if int(v.Index) >= len(sp.s.types) || sp.s.types[v.Index].kind != kDefined {
		return nil
	}
	return sp.t.convert(func(w *witConv) wit.Type { return w.val(valT{id: sp.s.types[v.Index]}) })
}

// Resource is the WIT type definition that stands for the resource type
// at index i of the definition's type space: the Resource of the handles
// of it in the types Func, ValType and InstanceExports give. Indices that
// hold the same resource give the same definition; nil when type i is
// not a resource.
func (sp *Spaces) Resource(i uint32) *wit.TypeDef {
	if int(i) >= len(sp.s.types) || sp.s.types[i].kind != kResource {
		return nil
	}
	r := sp.s.types[i].asRes()
	td, _ := sp.t.convert(func(w *witConv) wit.Type { return w.resource(r) }).(*wit.TypeDef)
	return td
}

// Func is the type of component function i, as a WIT function named "f"
// (nil when i is out of range).
func (sp *Spaces) Func(i uint32) *wit.Function {
	if int(i) >= len(sp.s.funcs) {
		return nil
	}
	return sp.t.function(sp.s.funcs[i].asFn())
}

// CoreFunc is the signature of core function i (ok is false when it is
// out of range or has other than numeric types).
func (sp *Spaces) CoreFunc(i uint32) (params, results []canonabi.CoreType, ok bool) {
	if int(i) >= len(sp.s.coreFuncs) {
		return nil, nil, false
	}
	sig, ok := sp.t.ct.coreSigOf(sp.s.coreFuncs[i])
	if !ok {
		return nil, nil, false
	}
	return sig.params, sig.results, true
}

// InstanceExport is one export of a component instance.
type InstanceExport struct {
	Name     string
	Kind     component.ExternKind
	Func     *wit.Function // functions: the type
	Resource bool          // types: whether it is a resource type
	// ResourceDef is a resource's WIT definition, as Spaces.Resource
	// gives it.
	ResourceDef *wit.TypeDef
}

// InstanceExports lists the exports of component instance i, in order.
func (sp *Spaces) InstanceExports(i uint32) []InstanceExport {
	if int(i) >= len(sp.s.instances) {
		return nil
	}
	var out []InstanceExport
	for _, x := range sp.s.instances[i].asInst().exports {
		ex := InstanceExport{Name: x.name, Kind: x.e.kind}
		switch x.e.kind {
		case component.ExternFunc:
			ex.Func = sp.t.function(x.e.id.asFn())
		case component.ExternType:
			if x.e.referenced.kind == kResource {
				ex.Resource = true
				r := x.e.referenced.asRes()
				ex.ResourceDef, _ = sp.t.convert(func(w *witConv) wit.Type { return w.resource(r) }).(*wit.TypeDef)
			}
		}
		out = append(out, ex)
	}
	return out
}
