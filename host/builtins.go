package host

import (
	"context"
	"errors"
	"fmt"

	"github.com/tetratelabs/wazero/api"
	"github.com/witc-dev/witc/canonabi"
	"github.com/witc-dev/witc/component"
	"github.com/witc-dev/witc/wit"
)

// The canonical built-ins of the async ABI (🔀), of cooperative threads
// (🧵) and of error contexts (📝) are not run by witc yet. A component
// that merely imports them must still instantiate, so each is defined as
// a core function of the type CanonicalABI.md gives it (section
// "Canonical definitions", the `$f is given type` lines; the types
// wasmparser checks), which traps with the built-in's name when called.
// What cannot even be given a type — the shared-everything threads
// built-ins (🧵②), whose functions are `shared` or take typed function
// references — fails the instantiation.

var (
	coreI32 = api.ValueTypeI32
	coreI64 = api.ValueTypeI64
)

// UnsupportedError is the failure of a call that reached what witc's
// runtime does not run yet: a built-in of the async ABI, of threads or of
// error contexts, or a function lifted or lowered with the async ABI.
// The guest did nothing wrong, but a call out of a guest that fails so
// still ends it as a trap does (a *TrapError wrapping the
// UnsupportedError), and the instance cannot be used again.
type UnsupportedError struct{ Msg string }

func (e *UnsupportedError) Error() string { return e.Msg }

// builtin is what witc knows of a built-in it does not run: its name in
// the text format and which proposal it belongs to.
type builtin struct {
	name, proposal string
}

var builtins = map[component.CanonOp]builtin{
	component.CanonTaskCancel:            {"task.cancel", "async"},
	component.CanonSubtaskCancel:         {"subtask.cancel", "async"},
	component.CanonTaskReturn:            {"task.return", "async"},
	component.CanonContextGet:            {"context.get", "async"},
	component.CanonContextSet:            {"context.set", "async"},
	component.CanonThreadYield:           {"thread.yield", "async"},
	component.CanonSubtaskDrop:           {"subtask.drop", "async"},
	component.CanonStreamNew:             {"stream.new", "async"},
	component.CanonStreamRead:            {"stream.read", "async"},
	component.CanonStreamWrite:           {"stream.write", "async"},
	component.CanonStreamCancelRead:      {"stream.cancel-read", "async"},
	component.CanonStreamCancelWrite:     {"stream.cancel-write", "async"},
	component.CanonStreamDropReadable:    {"stream.drop-readable", "async"},
	component.CanonStreamDropWritable:    {"stream.drop-writable", "async"},
	component.CanonFutureNew:             {"future.new", "async"},
	component.CanonFutureRead:            {"future.read", "async"},
	component.CanonFutureWrite:           {"future.write", "async"},
	component.CanonFutureCancelRead:      {"future.cancel-read", "async"},
	component.CanonFutureCancelWrite:     {"future.cancel-write", "async"},
	component.CanonFutureDropReadable:    {"future.drop-readable", "async"},
	component.CanonFutureDropWritable:    {"future.drop-writable", "async"},
	component.CanonErrorContextNew:       {"error-context.new", "error-context"},
	component.CanonErrorContextDebugMsg:  {"error-context.debug-message", "error-context"},
	component.CanonErrorContextDrop:      {"error-context.drop", "error-context"},
	component.CanonWaitableSetNew:        {"waitable-set.new", "async"},
	component.CanonWaitableSetWait:       {"waitable-set.wait", "async"},
	component.CanonWaitableSetPoll:       {"waitable-set.poll", "async"},
	component.CanonWaitableSetDrop:       {"waitable-set.drop", "async"},
	component.CanonWaitableJoin:          {"waitable.join", "async"},
	component.CanonBackpressureInc:       {"backpressure.inc", "async"},
	component.CanonBackpressureDec:       {"backpressure.dec", "async"},
	component.CanonThreadIndex:           {"thread.index", "threading"},
	component.CanonThreadNewIndirect:     {"thread.new-indirect", "threading"},
	component.CanonThreadResumeLater:     {"thread.resume-later", "threading"},
	component.CanonThreadSuspend:         {"thread.suspend", "threading"},
	component.CanonThreadSuspendResume:   {"thread.suspend-then-resume", "threading"},
	component.CanonThreadYieldResume:     {"thread.yield-then-resume", "threading"},
	component.CanonThreadSuspendPromote:  {"thread.suspend-then-promote", "threading"},
	component.CanonThreadYieldPromote:    {"thread.yield-then-promote", "threading"},
	component.CanonThreadSpawnRef:        {"thread.spawn-ref", "shared-everything-threads"},
	component.CanonThreadSpawnIndirect:   {"thread.spawn-indirect", "shared-everything-threads"},
	component.CanonThreadAvailableParall: {"thread.available-parallelism", "shared-everything-threads"},
}

// builtinName names a canonical built-in for messages.
func builtinName(op component.CanonOp) string {
	if b, ok := builtins[op]; ok {
		return b.name
	}
	return fmt.Sprintf("canonical built-in %#x", byte(op))
}

// builtinSig is the core function type of built-in f, or an error when
// witc cannot define it.
func (st *state) builtinSig(f component.Canon) (params, results []api.ValueType, err error) {
	switch f.Op {
	case component.CanonTaskCancel, component.CanonBackpressureInc, component.CanonBackpressureDec:
		return nil, nil, nil
	case component.CanonTaskReturn:
		// flatten_functype(opts, (func (param $t)?), 'lower')
		fn := &wit.Function{}
		if f.HasResult {
			t := st.spaces.ValType(f.Result)
			if t == nil {
				return nil, nil, fmt.Errorf("task.return: type index %d is not a value type", f.Result.Index)
			}
			fn.Params = []wit.Param{{Name: "v", Type: t}}
		}
		sig := canonabi.SignatureOf(fn, canonabi.Lower, canonabi.Options{})
		return toAPI(sig.Params), nil, nil
	case component.CanonContextGet, component.CanonContextSet:
		t := api.ValueType(f.ValType)
		if t != coreI32 && t != coreI64 {
			return nil, nil, fmt.Errorf("%s: context type %#x is neither i32 nor i64", builtinName(f.Op), f.ValType)
		}
		if f.Op == component.CanonContextGet {
			return nil, []api.ValueType{t}, nil
		}
		return []api.ValueType{t}, nil, nil
	case component.CanonSubtaskDrop, component.CanonStreamDropReadable, component.CanonStreamDropWritable,
		component.CanonFutureDropReadable, component.CanonFutureDropWritable, component.CanonErrorContextDrop,
		component.CanonWaitableSetDrop, component.CanonThreadResumeLater:
		return []api.ValueType{coreI32}, nil, nil
	case component.CanonSubtaskCancel, component.CanonStreamCancelRead, component.CanonStreamCancelWrite,
		component.CanonFutureCancelRead, component.CanonFutureCancelWrite, component.CanonThreadSuspendResume,
		component.CanonThreadYieldResume, component.CanonThreadSuspendPromote, component.CanonThreadYieldPromote:
		return []api.ValueType{coreI32}, []api.ValueType{coreI32}, nil
	case component.CanonStreamNew, component.CanonFutureNew:
		return nil, []api.ValueType{coreI64}, nil
	case component.CanonStreamRead, component.CanonStreamWrite:
		return []api.ValueType{coreI32, coreI32, coreI32}, []api.ValueType{coreI32}, nil
	case component.CanonFutureRead, component.CanonFutureWrite, component.CanonErrorContextNew,
		component.CanonWaitableSetWait, component.CanonWaitableSetPoll, component.CanonThreadNewIndirect:
		return []api.ValueType{coreI32, coreI32}, []api.ValueType{coreI32}, nil
	case component.CanonErrorContextDebugMsg, component.CanonWaitableJoin:
		return []api.ValueType{coreI32, coreI32}, nil, nil
	case component.CanonWaitableSetNew, component.CanonThreadYield, component.CanonThreadIndex, component.CanonThreadSuspend:
		return nil, []api.ValueType{coreI32}, nil
	case component.CanonThreadSpawnIndirect, component.CanonThreadAvailableParall:
		if f.Flag {
			return nil, nil, fmt.Errorf("%s shared: shared functions (shared-everything threads) are not supported by wazero", builtinName(f.Op))
		}
		if f.Op == component.CanonThreadAvailableParall {
			return nil, []api.ValueType{coreI32}, nil
		}
		return []api.ValueType{coreI32, coreI32}, []api.ValueType{coreI32}, nil
	case component.CanonThreadSpawnRef:
		return nil, nil, fmt.Errorf("thread.spawn-ref takes a typed function reference, which witc cannot pass (shared-everything threads are not supported)")
	}
	return nil, nil, fmt.Errorf("canonical built-in %#x is not supported", byte(f.Op))
}

// syncBuiltin defines the built-ins that need none of the async ABI's
// machinery: context.get and context.set read and write the storage of
// the thread running in the instance (state.tls; CanonicalABI.md
// canon_context_get/set: a value that is an i32 is stored as one), and
// backpressure.inc and backpressure.dec count (canon_backpressure_inc/dec:
// past 2^16 - 1, or below 0, they trap); the count only holds back calls
// of async-typed functions (Task.enter_implicit_thread).
func (st *state) syncBuiltin(ctx context.Context, f component.Canon) error {
	params, results, err := st.builtinSig(f)
	if err != nil {
		return fmt.Errorf("core func %d: %w", len(st.coreFuncs), err)
	}
	i := f.Index
	if (f.Op == component.CanonContextGet || f.Op == component.CanonContextSet) && i >= uint32(len(st.tls)) {
		return fmt.Errorf("core func %d: %s: slot %d, but a thread has %d", len(st.coreFuncs), builtinName(f.Op), i, len(st.tls))
	}
	var fn api.GoModuleFunc
	switch f.Op {
	case component.CanonContextGet:
		fn = func(_ context.Context, _ api.Module, stack []uint64) { stack[0] = st.tls[i] }
	case component.CanonContextSet:
		i32 := params[0] == coreI32
		fn = func(_ context.Context, _ api.Module, stack []uint64) {
			v := stack[0]
			if i32 {
				v = uint64(uint32(v))
			}
			st.tls[i] = v
		}
	case component.CanonBackpressureInc:
		fn = func(context.Context, api.Module, []uint64) {
			if st.backpressure == 1<<16-1 {
				trap(&TrapError{Func: "backpressure.inc", Err: errors.New("the instance's backpressure counter would reach 2^16")})
			}
			st.backpressure++
		}
	default:
		fn = func(context.Context, api.Module, []uint64) {
			if st.backpressure == 0 {
				trap(&TrapError{Func: "backpressure.dec", Err: errors.New("the instance's backpressure counter would go below 0")})
			}
			st.backpressure--
		}
	}
	ref, err := st.hostFunc(ctx, params, results, fn)
	if err != nil {
		return err
	}
	st.coreFuncs = append(st.coreFuncs, ref)
	return nil
}

// unsupportedBuiltin defines built-in f as a function of its core type
// that traps when called.
func (st *state) unsupportedBuiltin(ctx context.Context, f component.Canon) error {
	params, results, err := st.builtinSig(f)
	if err != nil {
		return fmt.Errorf("core func %d: %w", len(st.coreFuncs), err)
	}
	msg := fmt.Sprintf("`%s` is not supported by witc's runtime yet (the component model's %s built-ins are not implemented)", builtinName(f.Op), builtins[f.Op].proposal)
	checks := leaves(f.Op)
	ref, err := st.hostFunc(ctx, params, results, func(context.Context, api.Module, []uint64) {
		if checks {
			st.mayLeave(builtinName(f.Op))
		}
		trap(&UnsupportedError{Msg: msg})
	})
	if err != nil {
		return err
	}
	st.coreFuncs = append(st.coreFuncs, ref)
	return nil
}

// leaves says whether built-in op traps first when the instance may not
// leave itself (trap_if(not inst.may_leave) in CanonicalABI.md): all but
// context.get and context.set, backpressure.inc and backpressure.dec and
// thread.available-parallelism.
func leaves(op component.CanonOp) bool {
	switch op {
	case component.CanonContextGet, component.CanonContextSet, component.CanonBackpressureInc,
		component.CanonBackpressureDec, component.CanonThreadAvailableParall:
		return false
	}
	return true
}

func hasOpt(opts []component.CanonOpt, k component.CanonOptKind) bool {
	for _, o := range opts {
		if o.Kind == k {
			return true
		}
	}
	return false
}

// gcOption refuses the options of the GC-based canonical ABI, which needs
// core GC types that wazero does not have.
func gcOption(what string, opts []component.CanonOpt) error {
	if hasOpt(opts, component.OptGC) || hasOpt(opts, component.OptCoreType) {
		return fmt.Errorf("%s: the `gc` and `core-type` options (the GC-based canonical ABI) are not supported: wazero has no core GC types", what)
	}
	return nil
}

// asyncError is the error of the flat API's Begin on a function lifted
// with the async ABI, which only Call runs (it waits for task.return).
func (f *compFunc) asyncError() error {
	return &UnsupportedError{Msg: fmt.Sprintf("%s: the function is lifted with the async ABI (`canon lift async`); the flat API (Begin) does not call it, Call does", f.name)}
}

// start runs a component's start function (Explainer.md, "Start
// definitions") where its section is. Start functions that take or
// return values need value imports (🪙), which witc does not support.
func (st *state) start(ctx context.Context, sec *component.StartSection) error {
	if len(sec.Args) > 0 || sec.Results > 0 {
		return fmt.Errorf("component start function %d takes or returns values (🪙), which witc does not support", sec.Func)
	}
	if _, err := st.funcs[sec.Func].call(ctx, nil); err != nil {
		return fmt.Errorf("component start function %d: %w", sec.Func, err)
	}
	return nil
}
