package host

import (
	"context"
	"errors"
	"fmt"

	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/sys"
	"github.com/witc-dev/witc/canonabi"
	"github.com/witc-dev/witc/component"
	"github.com/witc-dev/witc/wit"
)

func (st *state) resolveOpts(ctx context.Context, opts []component.CanonOpt) (resolvedOpts, error) {
	var o resolvedOpts
	for _, op := range opts {
		switch op.Kind {
		case component.OptUTF16:
			o.enc = canonabi.UTF16
		case component.OptLatin1:
			o.enc = canonabi.Latin1UTF16
		case component.OptMemory:
			r := st.coreMems[op.Index]
			o.memory = &r
		case component.OptRealloc, component.OptPostReturn, component.OptCallback:
			r, err := st.callable(ctx, st.coreFuncs[op.Index])
			if err != nil {
				return o, err
			}
			switch op.Kind {
			case component.OptRealloc:
				o.realloc = &r
			case component.OptPostReturn:
				o.post = &r
			default:
				o.callback = &r
			}
		}
	}
	return o, nil
}

// callable returns core function r as the host can call it: a function
// of a guest's module as it is; one the host made (a lowered function, a
// built-in), which wazero lets no one call from outside its module,
// re-exported by a shim module (a component may lift a built-in as it is:
// `(canon lift (core func $resource.new))`).
func (st *state) callable(ctx context.Context, r coreRef) (coreRef, error) {
	r.fn = nil
	if !r.host {
		return r, nil
	}
	m, err := st.module(ctx, &coreInst{names: []string{"f"}, bundle: map[string]coreRef{"f": r}})
	if err != nil {
		return coreRef{}, err
	}
	return coreRef{mod: m, name: "f"}, nil
}

func (r *coreRef) function() api.Function {
	if r == nil || r.mod == nil || r.host {
		return nil
	}
	if r.fn == nil {
		f := r.mod.ExportedFunction(r.name)
		r.fn = &f
	}
	return *r.fn
}

// memory returns the memory a ref points to, cached like functions.
func (r *coreRef) memory() api.Memory {
	if r == nil || r.mod == nil {
		return nil
	}
	return r.mod.ExportedMemory(r.name)
}

// cx builds the canonical ABI context of a component instance's side of a
// call.
func (st *state) cx(ctx context.Context, o resolvedOpts, h *handles) *canonabi.Cx {
	cx := &canonabi.Cx{Encoding: o.enc, Handles: h}
	if m := o.memory.memory(); m != nil {
		cx.Memory = m
	}
	if fn := o.realloc.function(); fn != nil {
		var stack [4]uint64
		cx.Realloc = func(oldPtr, oldSize, align, newSize uint32) (uint32, error) {
			return st.callRealloc(ctx, fn, &stack, oldPtr, oldSize, align, newSize)
		}
	}
	return cx
}

func resultTypes(f *wit.Function) []wit.Type {
	if f.Result == nil {
		return nil
	}
	return []wit.Type{f.Result}
}

func paramTypes(f *wit.Function) []wit.Type {
	ts := make([]wit.Type, len(f.Params))
	for i, p := range f.Params {
		ts[i] = p.Type
	}
	return ts
}

// scalarSig says whether a function passes only scalars (no memory, no
// handles), and their types.
func scalarSig(f *wit.Function) (params []wit.Primitive, result wit.Primitive, ok bool) {
	for _, p := range f.Params {
		prim, ok := canonabi.IsScalar(p.Type)
		if !ok {
			return nil, 0, false
		}
		params = append(params, prim)
	}
	if f.Result != nil {
		prim, ok := canonabi.IsScalar(f.Result)
		if !ok {
			return nil, 0, false
		}
		result = prim
	}
	return params, result, len(params) <= canonabi.MaxFlatParams
}

// callScalar is the fast path of call for functions of scalars: values go
// straight to and from wazero's stack, without allocating (the stack is
// the function's own: an instance is never entered twice at once). The
// result goes to out[0] when out has room, else into a new slice.
func (f *compFunc) callScalar(ctx context.Context, lf *liftedFunc, args, out []canonabi.Value, resolve resolver) ([]canonabi.Value, error) {
	fn := lf.core.function()
	if fn == nil {
		return nil, fmt.Errorf("%s: core function `%s` not found", f.name, lf.core.name)
	}
	stack := lf.stack
	for i, p := range lf.scalarParams {
		x, err := canonabi.LowerScalar(p, args[i])
		if err != nil {
			return nil, &TrapError{Func: f.name, Err: err}
		}
		stack[i] = x
	}
	if err := fn.CallWithStack(ctx, stack); err != nil {
		if _, exited := ExitCode(err); exited {
			return nil, err
		}
		return nil, &TrapError{Func: f.name, Err: err}
	}
	if f.typ.Result != nil {
		v, err := canonabi.LiftScalar(lf.scalarResult, stack[0])
		if err != nil {
			return nil, &TrapError{Func: f.name, Err: err}
		}
		if cap(out) > 0 {
			out = append(out[:0], v)
		} else {
			out = []canonabi.Value{v}
		}
	} else {
		out = out[:0]
	}
	if resolve != nil {
		if err := resolve(out, nil); err != nil {
			return nil, err
		}
	}
	if post := lf.opts.post.function(); post != nil {
		if err := lf.st.postReturn(ctx, post, stack); err != nil {
			return nil, &TrapError{Func: f.name + " (post-return)", Err: err}
		}
	}
	return out, nil
}

// call calls a component function with Go values. A component instance
// cannot be entered again while it is running (it is not reentrant), and
// after a trap it cannot be used at all.
func (f *compFunc) call(ctx context.Context, args []canonabi.Value) ([]canonabi.Value, error) {
	return f.callInto(ctx, args, nil, nil, nil)
}

// resolver receives the results of a call before the callee's
// post-return runs: a call from another component lowers them into the
// caller there, as CanonicalABI.md's canon_lift does (task.return_ calls
// the caller's on_resolve, which lowers the results, then post-return
// runs). src is the context the results were lifted in (nil for the
// host's). An error of the resolver ends the call with that error.
type resolver func(res []canonabi.Value, src *canonabi.Cx) error

// callInto is call with the results appended to out[:0] and handed to
// resolve (when set); from is the context the arguments were lifted in,
// in a call from another component (nil: the host's).
func (f *compFunc) callInto(ctx context.Context, args, out []canonabi.Value, from *canonabi.Cx, resolve resolver) ([]canonabi.Value, error) {
	if f.host != nil {
		res, err := f.callHost(ctx, args)
		if err == nil && resolve != nil {
			err = resolve(res, nil)
		}
		return res, err
	}
	if f.lifted.async {
		return f.callAsync(ctx, args, out, from, resolve)
	}
	st := f.lifted.st
	if st.backpressure > 0 && f.typ.Kind.IsAsync() {
		// An async-typed function waits while its instance has
		// backpressure (Task.enter_implicit_thread).
		ok, err := st.store.runUntil(ctx, func() bool { return st.backpressure == 0 })
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, deadlock(f.name + " (waiting for the instance's backpressure)")
		}
	}
	if err := st.enter(f.name); err != nil {
		return nil, err
	}
	st.tls = [2]uint64{} // the call runs in a thread of its own
	res, err := f.callLifted(ctx, args, out, from, resolve)
	st.leave(err)
	return res, err
}

// callHost runs a host function; a failure of canonabi's static helpers
// in it (a panic they raise: Table.Add past its limit) is its error.
func (f *compFunc) callHost(ctx context.Context, args []canonabi.Value) (res []canonabi.Value, err error) {
	defer canonabi.Catch(&err)
	return f.host(ctx, args)
}

// enter starts a call into the instance: a component instance cannot be
// entered again while it is running, nor at all after a trap.
func (st *state) enter(fn string) error {
	switch {
	case st.lock.closed:
		return fmt.Errorf("%s: %w", fn, ErrClosed)
	case st.poisoned != nil:
		return &TrapError{Func: fn, Err: fmt.Errorf("the component instance trapped earlier (%w) and cannot be used again", st.poisoned)}
	case st.entered:
		return &TrapError{Func: fn, Err: errors.New("cannot enter a component instance that is already running (components are not reentrant)")}
	}
	st.entered = true
	return nil
}

// leave ends a call into the instance; a failure other than the guest's
// exit leaves the instance unusable.
func (st *state) leave(err error) {
	st.entered = false
	if err != nil {
		if _, exited := ExitCode(err); !exited {
			st.poisoned = err
		}
	}
}

// callRealloc calls the instance's realloc with stack as its parameters
// and result. While it runs the instance may not call out of itself
// (CanonicalABI.md, LiftLowerContext.reallocate clears may_leave).
func (st *state) callRealloc(ctx context.Context, fn api.Function, stack *[4]uint64, oldPtr, oldSize, align, newSize uint32) (uint32, error) {
	stack[0], stack[1], stack[2], stack[3] = uint64(oldPtr), uint64(oldSize), uint64(align), uint64(newSize)
	prev, tls := st.noLeave, st.tls
	st.noLeave, st.tls = "realloc", [2]uint64{} // realloc runs in a thread of its own
	err := fn.CallWithStack(ctx, stack[:])
	st.noLeave, st.tls = prev, tls
	if err != nil {
		return 0, err
	}
	return uint32(stack[0]), nil
}

// postReturn runs a post-return function with the core results in stack;
// it may not call out of the instance either (canon_lift clears
// may_leave around it).
func (st *state) postReturn(ctx context.Context, post api.Function, stack []uint64) error {
	prev := st.noLeave
	st.noLeave = "post-return"
	err := post.CallWithStack(ctx, stack)
	st.noLeave = prev
	return err
}

// mayLeave traps when the instance may not call out of itself (its
// realloc or post-return runs): what canon lower and the resource
// built-ins check first (trap_if(not inst.may_leave)).
func (st *state) mayLeave(what string) {
	if st.noLeave != "" {
		trap(&TrapError{Func: what, Err: fmt.Errorf("called during %s, when a component instance may not leave itself (CanonicalABI.md: may_leave)", st.noLeave)})
	}
}

func (f *compFunc) callLifted(ctx context.Context, args, out []canonabi.Value, from *canonabi.Cx, resolve resolver) ([]canonabi.Value, error) {
	lf := f.lifted
	if lf.scalar {
		return f.callScalar(ctx, lf, args, out, resolve)
	}
	c, err := f.prepared()
	if err != nil {
		return nil, err
	}
	// The function's Call, reused: its context, handles and stack.
	c.ctx = ctx
	cx, h := &c.Cx, &c.h
	cx.Reset()
	cx.Source = from
	defer func() {
		h.endCall()
		h.borrowed, h.lent = h.borrowed[:0], h.lent[:0]
	}()
	flat, err := cx.LowerValuesInto(c.Stack[:0], c.ptypes, args, canonabi.MaxFlatParams)
	if err != nil {
		return nil, &TrapError{Func: f.name, Err: err}
	}
	copy(c.Stack, flat)
	if err := c.fn.CallWithStack(ctx, c.Stack); err != nil {
		var exit *sys.ExitError
		if errors.As(err, &exit) {
			return nil, exit
		}
		return nil, &TrapError{Func: f.name, Err: err}
	}
	lifted, err := cx.LiftValues(c.rtypes, c.Stack[:c.nres], canonabi.MaxFlatResults)
	if err != nil {
		return nil, &TrapError{Func: f.name, Err: err}
	}
	if out == nil {
		out = lifted
	} else {
		out = append(out[:0], lifted...)
	}
	// canon_lift: task.return_ traps when a borrow lent for the call is
	// still held, then hands the results to the caller; post-return runs
	// after.
	if err := h.undropped(); err != nil {
		return nil, &TrapError{Func: f.name, Err: err}
	}
	if resolve != nil {
		if err := resolve(out, cx); err != nil {
			return nil, err
		}
	}
	if c.post != nil {
		if err := lf.st.postReturn(ctx, c.post, c.Stack); err != nil {
			return nil, &TrapError{Func: f.name + " (post-return)", Err: err}
		}
	}
	return out, nil
}

var apiTypes = map[canonabi.CoreType]api.ValueType{
	canonabi.I32: api.ValueTypeI32, canonabi.I64: api.ValueTypeI64,
	canonabi.F32: api.ValueTypeF32, canonabi.F64: api.ValueTypeF64,
}

func toAPI(ts []canonabi.CoreType) []api.ValueType {
	out := make([]api.ValueType, len(ts))
	for i, t := range ts {
		out[i] = apiTypes[t]
	}
	return out
}

// trap aborts the guest's call with err.
func trap(err error) { panic(err) }

func (st *state) canon(ctx context.Context, f component.Canon) error {
	switch f.Op {
	case component.CanonLift:
		if err := gcOption("canon lift", f.Opts); err != nil {
			return err
		}
		typ := st.spaces.Func(uint32(len(st.funcs)))
		core, err := st.callable(ctx, st.coreFuncs[f.Func])
		if err != nil {
			return err
		}
		opts, err := st.resolveOpts(ctx, f.Opts)
		if err != nil {
			return err
		}
		lf := &liftedFunc{st: st, core: &core, opts: opts, async: hasOpt(f.Opts, component.OptAsync)}
		lf.scalarParams, lf.scalarResult, lf.scalar = scalarSig(typ)
		lf.scalar = lf.scalar && !lf.async
		if lf.scalar {
			lf.stack = make([]uint64, max(1, len(lf.scalarParams)))
		}
		cf := &compFunc{name: fmt.Sprintf("%s func %d", st.name, len(st.funcs)), typ: typ, lifted: lf}
		st.funcs = append(st.funcs, cf)
	case component.CanonLower:
		if err := gcOption("canon lower", f.Opts); err != nil {
			return err
		}
		return st.lower(ctx, f)
	case component.CanonResourceNew, component.CanonResourceRep, component.CanonResourceDrop:
		rt := st.types[f.Type]
		i32 := []api.ValueType{api.ValueTypeI32}
		var fn api.GoModuleFunc
		var results []api.ValueType
		switch f.Op {
		case component.CanonResourceNew:
			results = i32
			fn = func(ctx context.Context, m api.Module, stack []uint64) {
				st.mayLeave("resource.new")
				i, err := st.table.add(handleEntry{typ: rt, rep: uint32(stack[0]), own: true})
				if err != nil {
					trap(err)
				}
				stack[0] = uint64(i)
			}
		case component.CanonResourceRep:
			results = i32
			fn = func(ctx context.Context, m api.Module, stack []uint64) {
				e, err := st.table.get(uint32(stack[0]), rt)
				if err != nil {
					trap(err)
				}
				stack[0] = uint64(e.rep)
			}
		default:
			fn = func(ctx context.Context, m api.Module, stack []uint64) {
				st.mayLeave("resource.drop")
				e, err := st.table.remove(uint32(stack[0]), rt)
				if err != nil {
					trap(err)
				}
				if e.own {
					if err := destroy(ctx, e.typ, e.rep); err != nil {
						trap(err)
					}
				}
			}
		}
		ref, err := st.hostFunc(ctx, i32, results, fn)
		if err != nil {
			return err
		}
		st.coreFuncs = append(st.coreFuncs, ref)
	case component.CanonContextGet, component.CanonContextSet, component.CanonBackpressureInc, component.CanonBackpressureDec:
		return st.syncBuiltin(ctx, f)
	default:
		if ok, err := st.asyncBuiltin(ctx, f); ok {
			return err
		}
		// The other async built-ins (streams, futures, cancellation), the
		// thread and error-context built-ins are not supported yet:
		// calling one traps.
		return st.unsupportedBuiltin(ctx, f)
	}
	return nil
}

// destroy runs the destructor of a resource whose last owning handle was
// dropped.
func destroy(ctx context.Context, rt *ResourceType, rep uint32) error {
	if rt == nil {
		return nil
	}
	if rt.impl == nil {
		if rt.Drop != nil {
			rt.Drop(rep)
		}
		return nil
	}
	if fn := rt.dtor.function(); fn != nil {
		st := rt.impl
		tls := st.tls
		st.tls = [2]uint64{} // the destructor runs in a thread of its own
		_, err := fn.Call(ctx, uint64(rep))
		st.tls = tls
		if err != nil {
			return &TrapError{Func: "destructor of " + rt.Name, Err: err}
		}
	}
	return nil
}
