package check

import (
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
// the proposals of feats.
func ValidateFeatures(b []byte, feats Features) error {
	c, err := component.Decode(b)
	if err != nil {
		return err
	}
	_, err = componentFeatures(c, feats)
	return err
}

// coreSig is a core function type as canonabi sees it.
type coreSig struct {
	params, results []canonabi.CoreType
}

func (s *coreSig) String() string {
	return canonabi.Signature{Params: s.params, Results: s.results}.String()
}

func (s *coreSig) equal(o *coreSig) bool {
	if len(s.params) != len(o.params) || len(s.results) != len(o.results) {
		return false
	}
	for i := range s.params {
		if s.params[i] != o.params[i] {
			return false
		}
	}
	for i := range s.results {
		if s.results[i] != o.results[i] {
			return false
		}
	}
	return true
}

// sigOf converts a core function type; nil when it uses types the
// canonical ABI never produces (references, v128).
func sigOf(f *component.CoreFuncType) *coreSig {
	conv := func(vs []component.CoreValType) ([]canonabi.CoreType, bool) {
		out := make([]canonabi.CoreType, 0, len(vs))
		for _, v := range vs {
			switch v.Code {
			case 0x7f:
				out = append(out, canonabi.I32)
			case 0x7e:
				out = append(out, canonabi.I64)
			case 0x7d:
				out = append(out, canonabi.F32)
			case 0x7c:
				out = append(out, canonabi.F64)
			default:
				return nil, false
			}
		}
		return out, true
	}
	p, ok1 := conv(f.Params)
	r, ok2 := conv(f.Results)
	if !ok1 || !ok2 {
		return &coreSig{params: []canonabi.CoreType{0}} // never equal to an ABI signature
	}
	return &coreSig{params: p, results: r}
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
	return w.def(v.id.def)
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
		r := w.resource(d.res.res)
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

// canonOpts are the decoded canonical options of one definition.
type canonOpts struct {
	encodingSet      bool
	memory, realloc  int // -1 when absent
	post, callback   int // -1 when absent
	coreType         int // -1 when absent
	ptr64, async, gc bool
}

func (c *checker) readOpts(opts []component.CanonOpt) (canonOpts, error) {
	o := canonOpts{memory: -1, realloc: -1, post: -1, callback: -1, coreType: -1}
	s := c.cur()
	once := func(set bool, name string) error {
		if set {
			return c.errf("canonical option `%s` is specified more than once", name)
		}
		return nil
	}
	for _, op := range opts {
		switch op.Kind {
		case component.OptUTF8, component.OptUTF16, component.OptLatin1:
			if o.encodingSet {
				return o, c.errf("canonical encoding option conflicts with a previous one")
			}
			o.encodingSet = true
		case component.OptMemory:
			if err := once(o.memory >= 0, "memory"); err != nil {
				return o, err
			}
			if int(op.Index) >= s.coreMems {
				return o, c.errf("unknown memory %d: memory index out of bounds", op.Index)
			}
			o.memory = int(op.Index)
		case component.OptRealloc:
			if err := once(o.realloc >= 0, "realloc"); err != nil {
				return o, err
			}
			o.realloc = int(op.Index)
		case component.OptPostReturn:
			if err := once(o.post >= 0, "post-return"); err != nil {
				return o, err
			}
			o.post = int(op.Index)
		case component.OptAsync:
			if err := once(o.async, "async"); err != nil {
				return o, err
			}
			if !c.feats.Has(FeatureCMAsync) {
				return o, c.errf("canonical option `async` requires the component model async feature")
			}
			o.async = true
		case component.OptCallback:
			if err := once(o.callback >= 0, "callback"); err != nil {
				return o, err
			}
			o.callback = int(op.Index)
		case component.OptCoreType:
			if err := once(o.coreType >= 0, "core type"); err != nil {
				return o, err
			}
			if !c.feats.Has(FeatureCMGC) {
				return o, c.errf("canonical option `core type` requires the component model gc feature")
			}
			o.coreType = int(op.Index)
		case component.OptGC:
			if err := once(o.gc, "gc"); err != nil {
				return o, err
			}
			if !c.feats.Has(FeatureCMGC) {
				return o, c.errf("canonical option `gc` requires the `cm-gc` feature")
			}
			o.gc = true
		}
	}
	switch {
	case !o.async && o.callback >= 0:
		return o, c.errf("cannot specify callback without async")
	case o.async && o.post >= 0:
		return o, c.errf("cannot specify post-return function in async")
	case !o.gc && o.coreType >= 0:
		return o, c.errf("cannot specify `core-type` without `gc`")
	}
	if o.realloc >= 0 {
		if o.memory < 0 {
			return o, c.errf("canonical option `realloc` requires `memory` to also be specified")
		}
		p := ptrType(o.ptr64)
		if err := c.coreFuncIs(uint32(o.realloc), &coreSig{params: []canonabi.CoreType{p, p, p, p}, results: []canonabi.CoreType{p}},
			"canonical option `realloc` uses a core function with an incorrect signature"); err != nil {
			return o, err
		}
	}
	return o, nil
}

// coreFuncIs checks that core function i exists and, when its type is
// known, has signature want (else the error is msg).
func (c *checker) coreFuncIs(i uint32, want *coreSig, msg string) error {
	s := c.cur()
	if int(i) >= len(s.coreFuncTypes) {
		return c.errf("unknown core function %d: function index out of bounds", i)
	}
	if got := s.coreFuncTypes[i]; got != nil && want != nil && !got.equal(want) {
		return c.errf("%s", msg)
	}
	return nil
}

func (c *checker) requireMemory(o canonOpts) error {
	if o.memory < 0 {
		return c.errf("canonical option `memory` is required")
	}
	return nil
}

func (c *checker) requireRealloc(o canonOpts) error {
	if err := c.requireMemory(o); err != nil {
		return err
	}
	if o.realloc < 0 {
		return c.errf("canonical option `realloc` is required")
	}
	return nil
}

// lowerSig is the core signature of function type ft lifted (lift) or
// lowered with options o, checking the options the signature needs
// (wasmparser's ComponentFuncType::lower; CanonicalABI.md,
// flatten_functype).
func (c *checker) lowerSig(ft *funcType, o canonOpts, lift bool) (*coreSig, error) {
	ptr := ptrType(o.ptr64)
	sig := &coreSig{}
	max := maxFlat
	if !lift && o.async {
		max = 4 // MAX_FLAT_ASYNC_PARAMS
	}
	for _, p := range ft.params {
		f := flatOf(p.t, o.ptr64)
		if f.ptr {
			var err error
			if lift {
				err = c.requireRealloc(o)
			} else {
				err = c.requireMemory(o)
			}
			if err != nil {
				return nil, err
			}
		}
		if f.over || len(sig.params)+len(f.types) > max {
			sig.params = []canonabi.CoreType{ptr}
			if err := c.requireMemory(o); err != nil {
				return nil, err
			}
			if lift {
				if err := c.requireRealloc(o); err != nil {
					return nil, err
				}
			}
			break
		}
		sig.params = append(sig.params, f.types...)
	}
	if ft.hasResult && !lift && flatOf(ft.result, o.ptr64).ptr {
		if err := c.requireRealloc(o); err != nil {
			return nil, err
		}
	}
	switch {
	case !o.async:
		if ft.hasResult {
			f := flatOf(ft.result, o.ptr64)
			if f.over || len(f.types) > 1 {
				if err := c.requireMemory(o); err != nil {
					return nil, err
				}
				if lift {
					sig.results = []canonabi.CoreType{ptr}
				} else {
					sig.params = append(sig.params, ptr)
				}
			} else {
				sig.results = f.types
			}
		}
	case !lift:
		if ft.hasResult {
			sig.params = append(sig.params, canonabi.I32)
			if err := c.requireMemory(o); err != nil {
				return nil, err
			}
		}
		sig.results = []canonabi.CoreType{canonabi.I32}
	default:
		if ft.hasResult {
			f := flatOf(ft.result, o.ptr64)
			if f.over || f.ptr {
				if err := c.requireMemory(o); err != nil {
					return nil, err
				}
			}
		}
		if o.callback >= 0 {
			sig.results = []canonabi.CoreType{canonabi.I32}
		}
	}
	return sig, nil
}

// liftChecks validates `canon lift` of core function f to function type ft.
func (c *checker) liftChecks(f component.Canon, ft *funcType) error {
	s := c.cur()
	if int(f.Func) >= len(s.coreFuncTypes) {
		return c.errf("unknown core function %d: function index out of bounds", f.Func)
	}
	o, err := c.readOpts(f.Opts)
	if err != nil {
		return err
	}
	core := s.coreFuncTypes[f.Func]
	if o.post >= 0 {
		var want *coreSig
		if core != nil {
			want = &coreSig{params: core.results}
		}
		if err := c.coreFuncIs(uint32(o.post), want, "canonical option `post-return` uses a core function with an incorrect signature"); err != nil {
			return err
		}
	}
	if o.async {
		if o.callback < 0 {
			if !c.feats.Has(FeatureCMAsyncStackful) {
				return c.errf("requires the component model async stackful feature")
			}
		} else {
			if err := c.coreFuncIs(uint32(o.callback), nil, ""); err != nil {
				return err
			}
			if cb := s.coreFuncTypes[o.callback]; cb != nil {
				i32 := canonabi.I32
				if !(&coreSig{params: cb.params}).equal(&coreSig{params: []canonabi.CoreType{i32, i32, i32}}) &&
					!(&coreSig{params: cb.params}).equal(&coreSig{params: []canonabi.CoreType{i32}}) {
					return c.errf("canonical option `callback` uses a core function with an incorrect signature")
				}
			}
		}
	}
	if o.coreType >= 0 {
		return c.errf("canonical option `core-type` is not allowed in `canon lift`")
	}
	if o.async && !ft.async {
		return c.errf("the `async` canonical option requires an async function type")
	}
	want, err := c.lowerSig(ft, o, true)
	if err != nil {
		return err
	}
	if core != nil && !core.equal(want) {
		return c.errf("lowered function type `%s` does not match type `%s` of core function %d", want, core, f.Func)
	}
	return nil
}

// lowerChecks validates `canon lower` of function type ft and returns the
// core signature of the function it defines.
func (c *checker) lowerChecks(f component.Canon, ft *funcType) (*coreSig, error) {
	o, err := c.readOpts(f.Opts)
	if err != nil {
		return nil, err
	}
	switch {
	case o.post >= 0:
		return nil, c.errf("canonical option `post-return` cannot be specified for lowerings")
	case o.callback >= 0:
		return nil, c.errf("canonical option `callback` cannot be specified for lowerings")
	case o.gc && o.coreType < 0:
		return nil, c.errf("cannot specify `gc` without also specifying a `core-type` for lowerings")
	case o.async && !ft.async:
		return nil, c.errf("the `async` canonical option requires an async function type")
	}
	return c.lowerSig(ft, o, false)
}
