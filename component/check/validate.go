package check

import (
	"errors"
	"github.com/witc-dev/witc/canonabi"
	"github.com/witc-dev/witc/component"
	"github.com/witc-dev/witc/wit"
)

// This file holds the checks that go beyond index spaces and types: core
// function signatures of canonical functions and core instantiations, the
// canonical options a function needs, and the grammar of names.

// Validate decodes and validates a component binary with the proposals
// wasmparser enables by default (DefaultFeatures).
func Validate(b []byte) error { return ValidateFeatures(b, DefaultFeatures) }

// ValidateFeatures decodes and validates a component binary, accepting
// the proposals of feats: the component and everything in it, the code
// of its core modules' functions included.
func ValidateFeatures(b []byte, feats Features) error {
	c, err := component.Decode(b)
	if err != nil {
		return err
	}
	_, err = componentFeatures(c, feats, true)
	return err
}

// ValidateCoreModule validates a core WebAssembly module binary, the code
// of its functions included, accepting the proposals of feats (its
// component-model features do not matter). It is the validator that
// ValidateFeatures runs on a component's core modules.
func ValidateCoreModule(b []byte, feats Features) error {
	_, err := validateModule(newCoreTypes(), feats, b, true)
	return err
}

// coreSig is a core function type as canonabi sees it.
type coreSig struct {
	params, results []canonabi.CoreType
}

func (s *coreSig) String() string {
	return canonabi.Signature{Params: s.params, Results: s.results}.String()
}

// witConv turns component value types into wit types so that canonabi can
// flatten them. Resources become resource type definitions of their own.
type witConv struct {
	defs map[*defType]*wit.TypeDef
	res  map[*resource]*wit.TypeDef
}

func newWITConv() *witConv {
	return &witConv{defs: map[*defType]*wit.TypeDef{}, res: map[*resource]*wit.TypeDef{}}
}

func (w *witConv) val(v valT) wit.Type {
	if v.prim != 0 {
		return primToWIT[v.prim]
	}
	return w.def(v.id.asDef())
}

func (w *witConv) opt(v valT, has bool) wit.Type {
	if !has {
		return nil
	}
	return w.val(v)
}

func (w *witConv) def(d *defType) wit.Type {
	if td, ok := w.defs[d]; ok {
		return td
	}
	td := &wit.TypeDef{}
	w.defs[d] = td
	switch d.kind {
	case component.DefPrim:
		td.Kind = &wit.Alias{Type: primToWIT[d.prim]}
	case component.DefRecord:
		r := &wit.Record{}
		for _, f := range d.fields {
			r.Fields = append(r.Fields, wit.Field{Name: f.name, Type: w.val(f.t)})
		}
		td.Kind = r
	case component.DefVariant:
		v := &wit.Variant{}
		for _, c := range d.cases {
			v.Cases = append(v.Cases, wit.Case{Name: c.name, Type: w.opt(c.t, c.has)})
		}
		td.Kind = v
	case component.DefList:
		td.Kind = &wit.List{Elem: w.val(d.elem)}
	case component.DefFixedList:
		td.Kind = &wit.FixedList{Elem: w.val(d.elem), Len: d.length}
	case component.DefMap:
		td.Kind = &wit.Map{Key: w.val(d.elem), Value: w.val(d.err)}
	case component.DefTuple:
		t := &wit.Tuple{}
		for _, x := range d.types {
			t.Types = append(t.Types, w.val(x))
		}
		td.Kind = t
	case component.DefFlags:
		f := &wit.Flags{}
		for _, l := range d.labels {
			f.Flags = append(f.Flags, wit.Flag{Name: l})
		}
		td.Kind = f
	case component.DefEnum:
		e := &wit.Enum{}
		for _, l := range d.labels {
			e.Cases = append(e.Cases, wit.EnumCase{Name: l})
		}
		td.Kind = e
	case component.DefOption:
		td.Kind = &wit.Option{Type: w.val(d.elem)}
	case component.DefResult:
		td.Kind = &wit.Result{OK: w.opt(d.elem, d.hasElem), Err: w.opt(d.err, d.hasErr)}
	case component.DefOwn, component.DefBorrow:
		r := w.resource(d.res.asRes())
		k := wit.Own
		if d.kind == component.DefBorrow {
			k = wit.Borrow
		}
		td.Kind = &wit.Handle{Kind: k, Resource: r}
	case component.DefFuture:
		td.Kind = &wit.Future{Type: w.opt(d.elem, d.hasElem)}
	case component.DefStream:
		td.Kind = &wit.Stream{Type: w.opt(d.elem, d.hasElem)}
	}
	return td
}

func (w *witConv) function(f *funcType) *wit.Function {
	out := &wit.Function{Name: "f", Kind: wit.Freestanding}
	if f.async {
		out.Kind = wit.AsyncFreestanding
	}
	for _, p := range f.params {
		out.Params = append(out.Params, wit.Param{Name: p.name, Type: w.val(p.t)})
	}
	if f.hasResult {
		out.Result = w.val(f.result)
	}
	return out
}

// Offset is the byte offset in the component of the problem err reports,
// when err says where it is: a decoding error (component.Error) or an
// invalid instruction or section of a core module.
func Offset(err error) (int, bool) {
	var de *component.Error
	if errors.As(err, &de) {
		return de.Offset, true
	}
	var te *typeError
	if errors.As(err, &te) {
		return te.Offset()
	}
	return 0, false
}
