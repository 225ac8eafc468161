package check

import (
	"fmt"
	"strings"

	"github.com/witc-dev/witc/canonabi"
	"github.com/witc-dev/witc/component"
	"github.com/witc-dev/witc/wit"
)

// This file holds the checks that go beyond index spaces and types: core
// function signatures of canonical functions and core instantiations, the
// canonical options a function needs, and the grammar of names.

// Validate decodes and validates a component binary.
func Validate(b []byte) error {
	c, err := component.Decode(b)
	if err != nil {
		return err
	}
	_, err = Component(c)
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

// needs says whether values of t travel through linear memory (strings,
// lists) and so need `memory` (and, when they are received, `realloc`).
func needsMemory(t wit.Type, depth int) bool {
	if depth > 100 {
		return false
	}
	switch t := t.(type) {
	case wit.Primitive:
		return t == wit.String
	case *wit.TypeDef:
		switch k := t.Kind.(type) {
		case *wit.Alias:
			return needsMemory(k.Type, depth+1)
		case *wit.List, *wit.Map:
			return true
		case *wit.FixedList:
			return needsMemory(k.Elem, depth+1)
		case *wit.Record:
			for _, f := range k.Fields {
				if needsMemory(f.Type, depth+1) {
					return true
				}
			}
		case *wit.Tuple:
			for _, x := range k.Types {
				if needsMemory(x, depth+1) {
					return true
				}
			}
		case *wit.Variant:
			for _, c := range k.Cases {
				if c.Type != nil && needsMemory(c.Type, depth+1) {
					return true
				}
			}
		case *wit.Option:
			return needsMemory(k.Type, depth+1)
		case *wit.Result:
			return (k.OK != nil && needsMemory(k.OK, depth+1)) || (k.Err != nil && needsMemory(k.Err, depth+1))
		}
	}
	return false
}

func containsBorrow(t wit.Type, depth int) bool {
	td, ok := t.(*wit.TypeDef)
	if !ok || depth > 100 {
		return false
	}
	switch k := td.Kind.(type) {
	case *wit.Handle:
		return k.Kind == wit.Borrow
	case *wit.Alias:
		return containsBorrow(k.Type, depth+1)
	case *wit.List:
		return containsBorrow(k.Elem, depth+1)
	case *wit.FixedList:
		return containsBorrow(k.Elem, depth+1)
	case *wit.Map:
		return containsBorrow(k.Key, depth+1) || containsBorrow(k.Value, depth+1)
	case *wit.Record:
		for _, f := range k.Fields {
			if containsBorrow(f.Type, depth+1) {
				return true
			}
		}
	case *wit.Tuple:
		for _, x := range k.Types {
			if containsBorrow(x, depth+1) {
				return true
			}
		}
	case *wit.Variant:
		for _, c := range k.Cases {
			if c.Type != nil && containsBorrow(c.Type, depth+1) {
				return true
			}
		}
	case *wit.Option:
		return containsBorrow(k.Type, depth+1)
	case *wit.Result:
		return (k.OK != nil && containsBorrow(k.OK, depth+1)) || (k.Err != nil && containsBorrow(k.Err, depth+1))
	}
	return false
}

// canonOpts are the decoded canonical options of one definition.
type canonOpts struct {
	encodingSet             bool
	memory, realloc, post   int // -1 when absent
	async, callback, gcOpts bool
	callbackIdx             uint32
}

func (c *checker) readOpts(opts []component.CanonOpt) (canonOpts, error) {
	o := canonOpts{memory: -1, realloc: -1, post: -1}
	s := c.cur()
	for _, op := range opts {
		switch op.Kind {
		case component.OptUTF8, component.OptUTF16, component.OptLatin1:
			if o.encodingSet {
				return o, c.errf("canonical encoding option conflicts with a previous one")
			}
			o.encodingSet = true
		case component.OptMemory:
			if o.memory >= 0 {
				return o, c.errf("`memory` is specified more than once")
			}
			if int(op.Index) >= s.coreMems {
				return o, c.errf("memory index %d out of range", op.Index)
			}
			o.memory = int(op.Index)
		case component.OptRealloc:
			if o.realloc >= 0 {
				return o, c.errf("`realloc` is specified more than once")
			}
			if err := c.coreFuncIs(op.Index, "realloc", &coreSig{
				params:  []canonabi.CoreType{canonabi.I32, canonabi.I32, canonabi.I32, canonabi.I32},
				results: []canonabi.CoreType{canonabi.I32}}); err != nil {
				return o, err
			}
			o.realloc = int(op.Index)
		case component.OptPostReturn:
			if o.post >= 0 {
				return o, c.errf("`post-return` is specified more than once")
			}
			if int(op.Index) >= len(s.coreFuncTypes) {
				return o, c.errf("post-return: core func index %d out of range", op.Index)
			}
			o.post = int(op.Index)
		case component.OptAsync:
			if o.async {
				return o, c.errf("`async` is specified more than once")
			}
			o.async = true
		case component.OptCallback:
			if o.callback {
				return o, c.errf("`callback` is specified more than once")
			}
			if int(op.Index) >= len(s.coreFuncTypes) {
				return o, c.errf("callback: core func index %d out of range", op.Index)
			}
			o.callback, o.callbackIdx = true, op.Index
		case component.OptCoreType, component.OptGC:
			o.gcOpts = true
		}
	}
	return o, nil
}

// coreFuncIs checks that core function i exists and, when its type is
// known, has signature want.
func (c *checker) coreFuncIs(i uint32, what string, want *coreSig) error {
	s := c.cur()
	if int(i) >= len(s.coreFuncTypes) {
		return c.errf("%s: core func index %d out of range (%d core funcs)", what, i, len(s.coreFuncTypes))
	}
	if got := s.coreFuncTypes[i]; got != nil && want != nil && !got.equal(want) {
		return c.errf("%s: core func %d has type %s, expected %s", what, i, got, want)
	}
	return nil
}

// liftChecks validates `canon lift` of core function f to function type ft.
func (c *checker) liftChecks(f component.Canon, ft *funcType) error {
	o, err := c.readOpts(f.Opts)
	if err != nil {
		return err
	}
	wf := newWITConv().function(ft)
	if wf.Result != nil && containsBorrow(wf.Result, 0) {
		return c.errf("canon lift: function type returns a borrow, which is not allowed")
	}
	sig := canonabi.SignatureOf(wf, canonabi.Lift, canonabi.Options{Async: o.async, Callback: o.callback})
	want := &coreSig{params: sig.Params, results: sig.Results}
	if err := c.coreFuncIs(f.Func, "canon lift", want); err != nil {
		return err
	}
	paramsMem := sig.ParamsIndirect
	for _, p := range wf.Params {
		paramsMem = paramsMem || needsMemory(p.Type, 0)
	}
	resultsMem := sig.ResultsIndirect || (wf.Result != nil && needsMemory(wf.Result, 0))
	if (paramsMem || resultsMem) && o.memory < 0 {
		return c.errf("canon lift: canonical option `memory` is required (the function passes strings, lists or more values than fit in registers)")
	}
	if paramsMem && o.realloc < 0 {
		return c.errf("canon lift: canonical option `realloc` is required (the parameters are passed in memory)")
	}
	if o.post >= 0 {
		pr := &coreSig{params: sig.Results}
		if o.async {
			return c.errf("canon lift: `post-return` cannot be used with `async`")
		}
		if err := c.coreFuncIs(uint32(o.post), "post-return", pr); err != nil {
			return err
		}
	}
	if o.callback && !o.async {
		return c.errf("canon lift: `callback` requires `async`")
	}
	return nil
}

// lowerSig validates `canon lower` of function type ft and returns the
// core signature of the function it defines.
func (c *checker) lowerChecks(f component.Canon, ft *funcType) (*coreSig, error) {
	o, err := c.readOpts(f.Opts)
	if err != nil {
		return nil, err
	}
	wf := newWITConv().function(ft)
	sig := canonabi.SignatureOf(wf, canonabi.Lower, canonabi.Options{Async: o.async})
	paramsMem := sig.ParamsIndirect
	for _, p := range wf.Params {
		paramsMem = paramsMem || needsMemory(p.Type, 0)
	}
	resultsMem := sig.ResultsIndirect || (wf.Result != nil && needsMemory(wf.Result, 0))
	if (paramsMem || resultsMem) && o.memory < 0 {
		return nil, c.errf("canon lower: canonical option `memory` is required (the function passes strings, lists or more values than fit in registers)")
	}
	if wf.Result != nil && needsMemory(wf.Result, 0) && o.realloc < 0 && !o.async {
		return nil, c.errf("canon lower: canonical option `realloc` is required (the results are returned in memory)")
	}
	if o.post >= 0 {
		return nil, c.errf("canon lower: `post-return` is only allowed on lifted functions")
	}
	return &coreSig{params: sig.Params, results: sig.Results}, nil
}

// validName checks the grammar of an import or export name.
func validName(name string, export bool) error {
	k, n := parseName(name)
	switch k {
	case nameLabel:
		return validLabel(name)
	case nameConstructor:
		return validLabel(n.resource)
	case nameMethod, nameStatic:
		if err := validLabel(n.resource); err != nil {
			return err
		}
		return validLabel(n.item)
	case nameInterface:
		for _, part := range strings.Split(name[:strings.IndexByte(name, ':')], ":") {
			if err := validLabel(part); err != nil {
				return fmt.Errorf("namespace: %v", err)
			}
		}
		if err := validLabel(n.pkg); err != nil {
			return fmt.Errorf("package name: %v", err)
		}
		if err := validLabel(n.iface); err != nil {
			return fmt.Errorf("interface name: %v", err)
		}
		if n.version != "" {
			if _, err := wit.ParseVersion(n.version); err != nil {
				return fmt.Errorf("version: %v", err)
			}
		}
		return nil
	case nameOther:
		if export {
			return fmt.Errorf("`%s` is not a valid export name", name)
		}
		return nil
	}
	return nil
}

// validLabel checks the kebab-case grammar: words of lowercase letters and
// digits, or of uppercase letters and digits, starting with a letter,
// separated by single dashes.
func validLabel(s string) error {
	if s == "" {
		return fmt.Errorf("name is empty")
	}
	for _, w := range strings.Split(s, "-") {
		if w == "" {
			return fmt.Errorf("`%s` is not in kebab case", s)
		}
		if !(w[0] >= 'a' && w[0] <= 'z' || w[0] >= 'A' && w[0] <= 'Z') {
			return fmt.Errorf("`%s` is not in kebab case: the word `%s` does not start with a letter", s, w)
		}
		lower, upper := false, false
		for i := 0; i < len(w); i++ {
			c := w[i]
			switch {
			case c >= 'a' && c <= 'z':
				lower = true
			case c >= 'A' && c <= 'Z':
				upper = true
			case c >= '0' && c <= '9':
			default:
				return fmt.Errorf("`%s` is not in kebab case: invalid character %q", s, c)
			}
		}
		if lower && upper {
			return fmt.Errorf("`%s` is not in kebab case: the word `%s` mixes upper and lower case", s, w)
		}
	}
	return nil
}
