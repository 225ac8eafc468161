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

// Func is the type of component function i, as a WIT function named "f"
// (nil when i is out of range).
func (sp *Spaces) Func(i uint32) *wit.Function {
	if int(i) >= len(sp.s.funcs) {
		return nil
	}
	return sp.t.function(sp.s.funcs[i].fn)
}

// CoreFunc is the signature of core function i, when the check knows it:
// lowered functions, resource built-ins and exports of instantiated
// modules (not the async built-ins yet).
func (sp *Spaces) CoreFunc(i uint32) (params, results []canonabi.CoreType, ok bool) {
	if int(i) >= len(sp.s.coreFuncTypes) || sp.s.coreFuncTypes[i] == nil {
		return nil, nil, false
	}
	sig := sp.s.coreFuncTypes[i]
	return sig.params, sig.results, true
}

// InstanceExport is one export of a component instance.
type InstanceExport struct {
	Name     string
	Kind     component.ExternKind
	Func     *wit.Function // functions: the type
	Resource bool          // types: whether it is a resource type
}

// InstanceExports lists the exports of component instance i, in order.
func (sp *Spaces) InstanceExports(i uint32) []InstanceExport {
	if int(i) >= len(sp.s.instances) {
		return nil
	}
	var out []InstanceExport
	for _, x := range sp.s.instances[i].inst.exports {
		ex := InstanceExport{Name: x.name, Kind: x.e.kind}
		switch x.e.kind {
		case component.ExternFunc:
			ex.Func = sp.t.function(x.e.id.fn)
		case component.ExternType:
			ex.Resource = x.e.referenced.kind == kResource
		}
		out = append(out, ex)
	}
	return out
}
