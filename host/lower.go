package host

import (
	"context"
	"errors"

	"github.com/tetratelabs/wazero/api"
	"github.com/witc-dev/witc/canonabi"
	"github.com/witc-dev/witc/component"
)

// subtaskReturned is Subtask.State.RETURNED, what an async-lowered call
// returns when its callee returned without blocking.
const subtaskReturned = 2

// lower defines the core function of `canon lower` of function f.Func
// (CanonicalABI.md canon_lower): it lifts the arguments from this
// instance, calls the callee, and lowers the results into this instance
// before the callee's post-return runs.
//
// With the async ABI the arguments are flat up to MaxFlatAsyncParams, the
// results are stored where the last argument points, and the function
// returns the state of the subtask. witc calls only callees that return
// without blocking — functions lifted without the async ABI and host
// functions — so the state is always RETURNED and no subtask is made; a
// callee lifted with the async ABI fails as it does when the host calls
// it (UnsupportedError).
func (st *state) lower(ctx context.Context, f component.Canon) error {
	callee := st.funcs[f.Func]
	async := hasOpt(f.Opts, component.OptAsync)
	opts, err := st.resolveOpts(ctx, f.Opts)
	if err != nil {
		return err
	}
	sig := canonabi.SignatureOf(callee.typ, canonabi.Lower, canonabi.Options{Async: async})
	nparams := len(sig.Params)
	if sig.ResultsIndirect {
		nparams--
	}
	maxFlat := canonabi.MaxFlatParams
	if async {
		maxFlat = canonabi.MaxFlatAsyncParams
	}
	ptypes, rtypes := paramTypes(callee.typ), resultTypes(callee.typ)
	self := callee.lifted != nil && callee.lifted.st == st
	// Streams and futures passed to a host function reach Go.
	toGo := callee.host != nil && hasAsyncValues(ptypes)
	// An async host function may block: it runs on a goroutine of its
	// own (async_go.go).
	goAsync := callee.host != nil && callee.blocking
	ref, err := st.hostFunc(ctx, toAPI(sig.Params), toAPI(sig.Results), func(ctx context.Context, m api.Module, stack []uint64) {
		st.mayLeave(callee.name)
		if self {
			// Wasmtime's adapters trap so (a lowered lift of the same
			// instance is a degenerate adapter).
			trap(&TrapError{Func: callee.name, Err: errors.New("cannot enter component instance: the instance calls a function it lifts itself")})
		}
		if callee.host != nil {
			// A host function calling back into the component goes on
			// without waiting for the call it is part of (callLock).
			var end func()
			ctx, end = st.lock.holding(ctx)
			defer end()
		}
		h := &handles{st: st}
		defer h.endCall()
		cx := st.cx(ctx, opts, h)
		if callee.flat != nil && !async {
			if err := callFlat(ctx, callee, cx, stack); err != nil {
				trap(err)
			}
			return
		}
		args, err := cx.LiftValues(ptypes, stack[:nparams], maxFlat)
		if err != nil {
			trap(&TrapError{Func: callee.name, Err: err})
		}
		// The results are lowered into this instance (with its realloc)
		// before the callee's post-return runs; src is where they were
		// lifted (strings are transcoded from its encoding).
		lower := func(res []canonabi.Value, src *canonabi.Cx) error {
			cx.Source = src
			if sig.ResultsIndirect {
				if err := cx.StoreValues(rtypes, res, uint32(stack[nparams])); err != nil {
					return &TrapError{Func: callee.name, Err: err}
				}
				return nil
			}
			flat, err := cx.LowerValues(rtypes, res, canonabi.MaxFlatResults)
			if err != nil {
				return &TrapError{Func: callee.name, Err: err}
			}
			copy(stack, flat)
			return nil
		}
		if toGo {
			holdValues(args)
		}
		if goAsync && callee.now != nil {
			if res, ok := callee.now(args); ok {
				if err := lower(res, nil); err != nil {
					trap(err)
				}
				if async {
					stack[0] = subtaskReturned
				}
				return
			}
		}
		if goAsync {
			if async {
				var retptr uint32
				if sig.ResultsIndirect {
					retptr = uint32(stack[nparams])
				}
				stack[0] = uint64(st.lowerGoAsync(ctx, callee, args, cx, rtypes, retptr))
				return
			}
			res, err := st.callGo(ctx, callee, args)
			if err == nil {
				err = lower(res, nil)
			}
			if err != nil {
				trap(err)
			}
			return
		}
		if async && callee.lifted != nil && callee.lifted.async {
			var retptr uint32
			if sig.ResultsIndirect {
				retptr = uint32(stack[nparams])
			}
			stack[0] = uint64(st.lowerAsync(ctx, callee, args, cx, sig.ResultsIndirect, rtypes, retptr))
			return
		}
		call := func() error {
			_, err := callee.callInto(ctx, args, nil, cx, lower)
			return err
		}
		if async {
			// The callee runs on this stack: were it to block, its async
			// caller could go on only by switching stacks.
			err = st.store.withCallerBelow(call)
		} else {
			err = call()
		}
		if err != nil {
			trap(err)
		}
		if async {
			stack[0] = subtaskReturned
		}
	})
	if err != nil {
		return err
	}
	st.coreFuncs = append(st.coreFuncs, ref)
	return nil
}
