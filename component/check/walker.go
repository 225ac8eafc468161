package check

import (
	"github.com/witc-dev/witc/canonabi"
	"github.com/witc-dev/witc/component"
	"github.com/witc-dev/witc/wit"
)

// Walker types the sections of a component one at a time, as a runtime
// instantiates them, and answers what the runtime needs to know about the
// index spaces: the WIT type of each function and the core signature of
// each core function.
type Walker struct {
	c    *checker
	conv *witConv
}

// NewWalker starts typing a top-level component.
func NewWalker() *Walker {
	c := &checker{ts: newTypeStore()}
	c.scopes = []*scope{{kind: scopeComponent}}
	return &Walker{c: c, conv: newWITConv()}
}

// Nested returns a walker for a component defined inside the one w is
// typing (its outer aliases see w's index spaces).
func (w *Walker) Nested() *Walker {
	c := &checker{ts: w.c.ts, scopes: append(append([]*scope(nil), w.c.scopes...), &scope{kind: scopeComponent})}
	return &Walker{c: c, conv: w.conv}
}

// Section types one section of the component.
func (w *Walker) Section(s component.Section) error { return w.c.section(s, "component") }

// FuncType is the WIT type of component function i.
func (w *Walker) FuncType(i uint32) *wit.Function {
	s := w.c.cur()
	if int(i) >= len(s.funcs) {
		return nil
	}
	return w.conv.function(s.funcs[i].fn)
}

// CoreFuncSig is the core signature of core function i, when known.
func (w *Walker) CoreFuncSig(i uint32) (params, results []canonabi.CoreType, ok bool) {
	s := w.c.cur()
	if int(i) >= len(s.coreFuncTypes) || s.coreFuncTypes[i] == nil {
		return nil, nil, false
	}
	sig := s.coreFuncTypes[i]
	return sig.params, sig.results, true
}

// ExportInfo describes one export of an instance type.
type ExportInfo struct {
	Name     string
	Kind     component.ExternKind
	Func     *wit.Function // functions
	Resource bool          // types: a resource type
}

// InstanceExports lists the exports of component instance i.
func (w *Walker) InstanceExports(i uint32) []ExportInfo {
	s := w.c.cur()
	if int(i) >= len(s.instances) {
		return nil
	}
	var out []ExportInfo
	for _, x := range s.instances[i].inst.exports {
		ei := ExportInfo{Name: x.name, Kind: x.e.kind}
		switch x.e.kind {
		case component.ExternFunc:
			ei.Func = w.conv.function(x.e.id.fn)
		case component.ExternType:
			ei.Resource = x.e.referenced.kind == kResource
		}
		out = append(out, ei)
	}
	return out
}

// TypeIsResource reports whether type index i is a resource type.
func (w *Walker) TypeIsResource(i uint32) bool {
	s := w.c.cur()
	return int(i) < len(s.types) && s.types[i].kind == kResource
}
