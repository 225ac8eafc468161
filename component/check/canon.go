package check

import (
	"slices"

	"github.com/witc-dev/witc/canonabi"
	"github.com/witc-dev/witc/component"
)

// This file checks canonical definitions (Binary.md "Canonical
// Definitions", CanonicalABI.md "Canonical definitions"): the options
// each takes, the core signature of lifted and lowered functions, and the
// core function every built-in defines, each behind its feature.

// canonOpts are the decoded canonical options of one definition.
type canonOpts struct {
	encodingSet      bool
	utf16            bool // string-encoding=utf16
	memory, realloc  int  // -1 when absent
	post, callback   int  // -1 when absent
	coreType         int  // -1 when absent
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
			o.utf16 = op.Kind == component.OptUTF16
		case component.OptMemory:
			if err := once(o.memory >= 0, "memory"); err != nil {
				return o, err
			}
			if int(op.Index) >= len(s.coreMems) {
				return o, c.errf("unknown memory %d: memory index out of bounds", op.Index)
			}
			m := s.coreMems[op.Index]
			if m.m64 {
				if !c.feats.Has(FeatureCM64) {
					return o, c.errf("64-bit memories require the `cm64` feature to be enabled")
				}
				o.ptr64 = true
			}
			if m.shared {
				return o, c.errf("mismatch in the shared flag for memories")
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
			if int(op.Index) >= len(s.coreTypes) {
				return o, c.errf("unknown type %d: type index out of bounds", op.Index)
			}
			if e := s.coreTypes[op.Index]; e.sub < 0 || c.ct.at(e.sub).comp.kind != cFunc {
				return o, c.errf("canonical option `core type` must reference a core function type")
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
		fn, err := c.coreFunc(uint32(o.realloc))
		if err != nil {
			return o, err
		}
		p := ptrVT(o.ptr64)
		if fn != c.ct.funcType([]vt{p, p, p, p}, []vt{p}) {
			return o, c.errf("canonical option `realloc` uses a core function with an incorrect signature")
		}
	}
	return o, nil
}

func ptrVT(ptr64 bool) vt {
	if ptr64 {
		return tI64
	}
	return tI32
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

// checkLower checks the options of a lowering (and of the built-ins that
// lower values).
func (c *checker) checkLower(o canonOpts) error {
	switch {
	case o.post >= 0:
		return c.errf("canonical option `post-return` cannot be specified for lowerings")
	case o.callback >= 0:
		return c.errf("canonical option `callback` cannot be specified for lowerings")
	case o.gc && o.coreType < 0:
		return c.errf("cannot specify `gc` without also specifying a `core-type` for lowerings")
	}
	return nil
}

// coreTypeOr is the function type the `core-type` option declares, which
// must be the one computed (else it is that one).
func (c *checker) coreTypeOr(o canonOpts, params, results []vt) (int32, error) {
	fn := c.ct.funcType(params, results)
	if o.coreType < 0 {
		return fn, nil
	}
	declared := c.cur().coreTypes[o.coreType].sub
	d := &c.ct.at(declared).comp
	if !slices.Equal(d.params, params) {
		return 0, c.errf("declared core type has `%s` parameter types, but actual lowering has `%s` parameter types", c.vtsString(d.params), c.vtsString(params))
	}
	if !slices.Equal(d.results, results) {
		return 0, c.errf("declared core type has `%s` result types, but actual lowering has `%s` result types", c.vtsString(d.results), c.vtsString(results))
	}
	return declared, nil
}

func (c *checker) vtsString(ts []vt) string {
	s := "["
	for i, t := range ts {
		if i > 0 {
			s += ", "
		}
		s += c.ct.vtString(t)
	}
	return s + "]"
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
	core, err := c.coreFunc(f.Func)
	if err != nil {
		return err
	}
	o, err := c.readOpts(f.Opts)
	if err != nil {
		return err
	}
	if o.post >= 0 {
		pr, err := c.coreFunc(uint32(o.post))
		if err != nil {
			return err
		}
		if pr != c.ct.funcType(c.ct.at(core).comp.results, nil) {
			return c.errf("canonical option `post-return` uses a core function with an incorrect signature")
		}
	}
	if o.async {
		if o.callback < 0 {
			if !c.feats.Has(FeatureCMAsyncStackful) {
				return c.errf("requires the component model async stackful feature")
			}
		} else {
			cb, err := c.coreFunc(uint32(o.callback))
			if err != nil {
				return err
			}
			p := c.ct.at(cb).comp.params
			if !slices.Equal(p, []vt{tI32, tI32, tI32}) && !slices.Equal(p, []vt{tI32}) {
				return c.errf("canonical option `callback` uses a core function with an incorrect signature")
			}
		}
	}
	if o.coreType >= 0 {
		return c.errf("canonical option `core-type` is not allowed in `canon lift`")
	}
	if o.async && !ft.async {
		return c.errf("the `async` canonical option requires an async function type")
	}
	if o.gc {
		_, err := c.lowerGC(ft, o, core)
		return err
	}
	sig, err := c.lowerSig(ft, o, true)
	if err != nil {
		return err
	}
	if want := c.sigID(sig); want != core {
		return c.errf("lowered function type `%s` does not match type `%s` of core function %d", c.ct.funcString(want), c.ct.funcString(core), f.Func)
	}
	_ = s
	return nil
}

// lowerChecks validates `canon lower` of function type ft and returns the
// core function type it defines.
func (c *checker) lowerChecks(f component.Canon, ft *funcType) (int32, error) {
	o, err := c.readOpts(f.Opts)
	if err != nil {
		return 0, err
	}
	if err := c.checkLower(o); err != nil {
		return 0, err
	}
	if o.async && !ft.async {
		return 0, c.errf("the `async` canonical option requires an async function type")
	}
	if o.gc {
		return c.lowerGC(ft, o, c.cur().coreTypes[o.coreType].sub)
	}
	sig, err := c.lowerSig(ft, o, false)
	if err != nil {
		return 0, err
	}
	return c.sigID(sig), nil
}

// lowerGC checks a function lifted or lowered with the GC ABI against
// its core type (declared by `core-type`, or the lifted function's).
func (c *checker) lowerGC(ft *funcType, o canonOpts, declared int32) (int32, error) {
	c.gcEncoding = o.utf16
	d := &c.ct.at(declared).comp
	if len(d.params) != len(ft.params) {
		return 0, c.errf("declared `core-type` has %d parameters, but component function has %d parameters", len(d.params), len(ft.params))
	}
	n := 0
	if ft.hasResult {
		n = 1
	}
	if len(d.results) != n {
		return 0, c.errf("declared `core-type` has %d results, but component function has %d results", len(d.results), n)
	}
	for i, p := range ft.params {
		if err := c.gcLowerCheck(p.t, d.params[i]); err != nil {
			return 0, c.errf("%v", err)
		}
	}
	if ft.hasResult {
		if err := c.gcLowerCheck(ft.result, d.results[0]); err != nil {
			return 0, c.errf("%v", err)
		}
	}
	return declared, nil
}

// canon checks a canonical definition and adds what it defines.
func (c *checker) canon(f component.Canon) error {
	s := c.cur()
	need := func(feat Features, msg string) error {
		if !c.feats.Has(feat) {
			return c.errf("%s", msg)
		}
		return nil
	}
	async := func(name string) error {
		return need(FeatureCMAsync, "`"+name+"` requires the component model async feature")
	}
	threading := func(name string) error {
		return need(FeatureCMThreading, "`"+name+"` requires the component model threading feature")
	}
	i32 := []vt{tI32}
	switch f.Op {
	case component.CanonLift:
		id, err := c.typeAt(f.Type)
		if err != nil {
			return err
		}
		if id.kind != kFunc {
			return c.errf("type index %d is not a function type", f.Type)
		}
		if err := c.liftChecks(f, id.asFn()); err != nil {
			return err
		}
		s.funcs = append(s.funcs, id)
		return nil
	case component.CanonLower:
		if int(f.Func) >= len(s.funcs) {
			return c.errf("unknown function %d: function index out of bounds", f.Func)
		}
		fn, err := c.lowerChecks(f, s.funcs[f.Func].asFn())
		if err != nil {
			return err
		}
		s.coreFuncs = append(s.coreFuncs, fn)
		return nil
	case component.CanonResourceNew, component.CanonResourceRep:
		rep, err := c.localResource(f.Type)
		if err != nil {
			return err
		}
		if f.Op == component.CanonResourceNew {
			c.pushFunc([]vt{rep}, i32)
		} else {
			c.pushFunc(i32, []vt{rep})
		}
		return nil
	case component.CanonResourceDrop:
		if _, err := c.resourceAt(f.Type); err != nil {
			return err
		}
		c.pushFunc(i32, nil)
		return nil
	case component.CanonBackpressureInc, component.CanonBackpressureDec, component.CanonTaskCancel:
		name := map[component.CanonOp]string{component.CanonBackpressureInc: "backpressure.inc",
			component.CanonBackpressureDec: "backpressure.dec", component.CanonTaskCancel: "task.cancel"}[f.Op]
		if err := async(name); err != nil {
			return err
		}
		c.pushFunc(nil, nil)
		return nil
	case component.CanonTaskReturn:
		return c.taskReturn(f)
	case component.CanonContextGet, component.CanonContextSet:
		return c.context(f)
	case component.CanonSubtaskDrop:
		if err := async("subtask.drop"); err != nil {
			return err
		}
		c.pushFunc(i32, nil)
		return nil
	case component.CanonSubtaskCancel:
		if err := async("subtask.cancel"); err != nil {
			return err
		}
		if f.Flag {
			if err := need(FeatureCMMoreAsyncBuiltins, "async `subtask.cancel` requires the component model more async builtins feature"); err != nil {
				return err
			}
		}
		c.pushFunc(i32, i32)
		return nil
	case component.CanonStreamNew, component.CanonStreamRead, component.CanonStreamWrite,
		component.CanonStreamCancelRead, component.CanonStreamCancelWrite,
		component.CanonStreamDropReadable, component.CanonStreamDropWritable,
		component.CanonFutureNew, component.CanonFutureRead, component.CanonFutureWrite,
		component.CanonFutureCancelRead, component.CanonFutureCancelWrite,
		component.CanonFutureDropReadable, component.CanonFutureDropWritable:
		return c.streamFuture(f)
	case component.CanonErrorContextNew, component.CanonErrorContextDebugMsg, component.CanonErrorContextDrop:
		name := map[component.CanonOp]string{component.CanonErrorContextNew: "error-context.new",
			component.CanonErrorContextDebugMsg: "error-context.debug-message", component.CanonErrorContextDrop: "error-context.drop"}[f.Op]
		if err := need(FeatureCMErrorContext, "`"+name+"` requires the component model error-context feature"); err != nil {
			return err
		}
		if f.Op == component.CanonErrorContextDrop {
			c.pushFunc(i32, nil)
			return nil
		}
		o, err := c.readOpts(f.Opts)
		if err != nil {
			return err
		}
		if err := c.requireMemory(o); err != nil {
			return err
		}
		if f.Op == component.CanonErrorContextDebugMsg {
			if err := c.requireRealloc(o); err != nil {
				return err
			}
		}
		if o.async {
			return c.errf("cannot specify `async` option on `%s`", name)
		}
		if err := c.checkLower(o); err != nil {
			return err
		}
		var fn int32
		if f.Op == component.CanonErrorContextNew {
			fn, err = c.coreTypeOr(o, []vt{tI32, tI32}, i32)
		} else {
			fn, err = c.coreTypeOr(o, []vt{tI32, tI32}, nil)
		}
		if err != nil {
			return err
		}
		s.coreFuncs = append(s.coreFuncs, fn)
		return nil
	case component.CanonWaitableSetNew:
		if err := async("waitable-set.new"); err != nil {
			return err
		}
		c.pushFunc(nil, i32)
		return nil
	case component.CanonWaitableSetWait, component.CanonWaitableSetPoll:
		name := "waitable-set.wait"
		if f.Op == component.CanonWaitableSetPoll {
			name = "waitable-set.poll"
		}
		if err := async(name); err != nil {
			return err
		}
		if int(f.Index) >= len(s.coreMems) {
			return c.errf("unknown memory %d: memory index out of bounds", f.Index)
		}
		c.pushFunc([]vt{tI32, ptrVT(s.coreMems[f.Index].m64)}, i32)
		return nil
	case component.CanonWaitableSetDrop:
		if err := async("waitable-set.drop"); err != nil {
			return err
		}
		c.pushFunc(i32, nil)
		return nil
	case component.CanonWaitableJoin:
		if err := async("waitable.join"); err != nil {
			return err
		}
		c.pushFunc([]vt{tI32, tI32}, nil)
		return nil
	case component.CanonThreadYield:
		if err := async("thread.yield"); err != nil {
			return err
		}
		c.pushFunc(nil, i32)
		return nil
	case component.CanonThreadIndex, component.CanonThreadSuspend:
		name := "thread.index"
		if f.Op == component.CanonThreadSuspend {
			name = "thread.suspend"
		}
		if err := threading(name); err != nil {
			return err
		}
		c.pushFunc(nil, i32)
		return nil
	case component.CanonThreadResumeLater:
		if err := threading("thread.resume-later"); err != nil {
			return err
		}
		c.pushFunc(i32, nil)
		return nil
	case component.CanonThreadSuspendResume, component.CanonThreadYieldResume,
		component.CanonThreadSuspendPromote, component.CanonThreadYieldPromote:
		name := map[component.CanonOp]string{component.CanonThreadSuspendResume: "thread.suspend-then-resume",
			component.CanonThreadYieldResume: "thread.yield-then-resume", component.CanonThreadSuspendPromote: "thread.suspend-then-promote",
			component.CanonThreadYieldPromote: "thread.yield-then-promote"}[f.Op]
		if err := threading(name); err != nil {
			return err
		}
		c.pushFunc(i32, i32)
		return nil
	case component.CanonThreadNewIndirect:
		return c.threadNewIndirect(f)
	case component.CanonThreadSpawnRef:
		return c.errf("`thread.spawn-ref` requires the shared-everything-threads proposal")
	case component.CanonThreadSpawnIndirect:
		return c.errf("`thread.spawn-indirect` requires the shared-everything-threads proposal")
	case component.CanonThreadAvailableParall:
		return c.errf("`thread.available_parallelism` requires the shared-everything-threads proposal")
	}
	return c.errf("unknown canonical function %#x", byte(f.Op))
}

// localResource checks that type i is a resource this component defines
// and returns its representation's type.
func (c *checker) localResource(i uint32) (vt, error) {
	id, err := c.resourceAt(i)
	if err != nil {
		return tBot, err
	}
	if id.asRes().rep == 0 || !c.cur().defines(id.asRes()) {
		return tBot, c.errf("type %d is not a local resource", i)
	}
	return repType(id.asRes().rep), nil
}

// defines reports whether resource r is defined by a resource type
// definition of the scope.
func (s *scope) defines(r *resource) bool {
	if s.localRes == nil {
		s.localRes = map[*resource]bool{}
		for _, d := range s.definedResources {
			s.localRes[d] = true
		}
	}
	if len(s.localRes) != len(s.definedResources) {
		for _, d := range s.definedResources {
			s.localRes[d] = true
		}
	}
	return s.localRes[r]
}

func (c *checker) taskReturn(f component.Canon) error {
	if !c.feats.Has(FeatureCMAsync) {
		return c.errf("`task.return` requires the component model async feature")
	}
	ft := &funcType{info: newInfo()}
	if f.HasResult {
		v, err := c.valType(f.Result)
		if err != nil {
			return err
		}
		ft.params = []namedVal{{"v", v}}
	}
	o, err := c.readOpts(f.Opts)
	if err != nil {
		return err
	}
	switch {
	case o.realloc >= 0:
		return c.errf("cannot specify `realloc` option on `task.return`")
	case o.post >= 0:
		return c.errf("cannot specify `post-return` option on `task.return`")
	}
	if err := c.checkLower(o); err != nil {
		return err
	}
	if o.async {
		return c.errf("cannot specify `async` option on `task.return`")
	}
	sig, err := c.lowerSig(ft, o, false)
	if err != nil {
		return err
	}
	c.cur().coreFuncs = append(c.cur().coreFuncs, c.sigID(sig))
	return nil
}

func (c *checker) context(f component.Canon) error {
	s := c.cur()
	name := "context.get"
	if f.Op == component.CanonContextSet {
		name = "context.set"
	}
	if !c.feats.Has(FeatureCMAsync) {
		return c.errf("`%s` requires the component model async feature", name)
	}
	var t vt
	switch f.ValType {
	case 0x7f:
		t = tI32
	case 0x7e:
		if !c.feats.Has(FeatureCM64) {
			return c.errf("64-bit `%s` requires the component model 64-bit feature", name)
		}
		t = tI64
	default:
		return c.errf("`%s` only supports `i32` or `i64`", name)
	}
	if s.contextType.k == vBot {
		s.contextType = t
	} else if s.contextType != t {
		return c.errf("`%s` type must match previous context type", name)
	}
	if f.Index > 0 {
		if !c.feats.Has(FeatureCMThreading) {
			return c.errf("`%s` immediate must be zero: %d", name, f.Index)
		}
		if f.Index > 1 {
			return c.errf("`%s` immediate must be zero or one: %d", name, f.Index)
		}
	}
	if f.Op == component.CanonContextGet {
		c.pushFunc(nil, []vt{t})
	} else {
		c.pushFunc([]vt{t}, nil)
	}
	return nil
}

// streamFuture checks the stream and future built-ins.
func (c *checker) streamFuture(f component.Canon) error {
	s := c.cur()
	names := map[component.CanonOp]string{
		component.CanonStreamNew: "stream.new", component.CanonStreamRead: "stream.read", component.CanonStreamWrite: "stream.write",
		component.CanonStreamCancelRead: "stream.cancel-read", component.CanonStreamCancelWrite: "stream.cancel-write",
		component.CanonStreamDropReadable: "stream.drop-readable", component.CanonStreamDropWritable: "stream.drop-writable",
		component.CanonFutureNew: "future.new", component.CanonFutureRead: "future.read", component.CanonFutureWrite: "future.write",
		component.CanonFutureCancelRead: "future.cancel-read", component.CanonFutureCancelWrite: "future.cancel-write",
		component.CanonFutureDropReadable: "future.drop-readable", component.CanonFutureDropWritable: "future.drop-writable",
	}
	name := names[f.Op]
	stream := f.Op <= component.CanonStreamDropWritable
	if !c.feats.Has(FeatureCMAsync) {
		return c.errf("`%s` requires the component model async feature", name)
	}
	more := func(what string) error {
		if !c.feats.Has(FeatureCMMoreAsyncBuiltins) {
			return c.errf("%s `%s` requires the component model more async builtins feature", what, name)
		}
		return nil
	}
	switch f.Op {
	case component.CanonStreamCancelRead, component.CanonStreamCancelWrite, component.CanonFutureCancelRead, component.CanonFutureCancelWrite:
		if f.Flag {
			if err := more("async"); err != nil {
				return err
			}
		}
	}
	id, err := c.typeAt(f.Type)
	if err != nil {
		return err
	}
	if id.kind != kDefined {
		return c.errf("type index %d is not a defined type", f.Type)
	}
	want := component.DefFuture
	if stream {
		want = component.DefStream
	}
	d := id.asDef()
	if d.kind != want {
		return c.errf("`%s` requires a %s type", name, defKindName(want))
	}
	i32 := []vt{tI32}
	switch f.Op {
	case component.CanonStreamNew, component.CanonFutureNew:
		c.pushFunc(nil, []vt{tI64})
	case component.CanonStreamRead, component.CanonStreamWrite, component.CanonFutureRead, component.CanonFutureWrite:
		o, err := c.readOpts(f.Opts)
		if err != nil {
			return err
		}
		if !o.async {
			if err := more("synchronous"); err != nil {
				return err
			}
		}
		if d.hasElem {
			if err := c.requireMemory(o); err != nil {
				return err
			}
			read := f.Op == component.CanonStreamRead || f.Op == component.CanonFutureRead
			if read && flatOf(d.elem, o.ptr64).ptr {
				if err := c.requireRealloc(o); err != nil {
					return err
				}
			}
		}
		if err := c.checkLower(o); err != nil {
			return err
		}
		params := []vt{tI32, tI32, tI32}
		if !stream {
			params = params[:2]
		}
		fn, err := c.coreTypeOr(o, params, i32)
		if err != nil {
			return err
		}
		s.coreFuncs = append(s.coreFuncs, fn)
	case component.CanonStreamCancelRead, component.CanonStreamCancelWrite, component.CanonFutureCancelRead, component.CanonFutureCancelWrite:
		c.pushFunc(i32, i32)
	default: // drop-readable, drop-writable
		c.pushFunc(i32, nil)
	}
	return nil
}

func (c *checker) threadNewIndirect(f component.Canon) error {
	s := c.cur()
	if !c.feats.Has(FeatureCMThreading) {
		return c.errf("`thread.new-indirect` requires the component model threading feature")
	}
	if int(f.Type) >= len(s.coreTypes) {
		return c.errf("unknown core type %d: type index out of bounds", f.Type)
	}
	e := s.coreTypes[f.Type]
	if e.sub < 0 {
		return c.errf("expected a core function type")
	}
	ft := &c.ct.at(e.sub).comp
	if ft.kind != cFunc {
		return c.errf("start type must be a function")
	}
	if !slices.Equal(ft.params, []vt{tI32}) {
		return c.errf("start function must take a single `i32` argument (currently)")
	}
	if len(ft.results) != 0 {
		return c.errf("start function must not return any values")
	}
	if int(f.Index) >= len(s.coreTables) {
		return c.errf("unknown table %d: table index out of bounds", f.Index)
	}
	t := s.coreTables[f.Index]
	if t.elem != tFuncref || t.shared || t.t64 {
		return c.errf("table is not a 32-bit table of (ref null (func))")
	}
	c.pushFunc([]vt{tI32, tI32}, []vt{tI32})
	return nil
}

var _ = canonabi.I32
