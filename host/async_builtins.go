package host

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/tetratelabs/wazero/api"
	"github.com/witc-dev/witc/canonabi"
	"github.com/witc-dev/witc/component"
	"github.com/witc-dev/witc/wit"
)

// asyncBuiltin defines the async built-ins witc runs (async.go): it
// reports false for the others.
func (st *state) asyncBuiltin(ctx context.Context, f component.Canon) (bool, error) {
	name := builtinName(f.Op)
	var fn api.GoModuleFunc
	switch f.Op {
	case component.CanonTaskReturn:
		var err error
		if fn, err = st.taskReturn(ctx, f); err != nil {
			return true, fmt.Errorf("core func %d: %w", len(st.coreFuncs), err)
		}
	case component.CanonStreamNew, component.CanonStreamRead, component.CanonStreamWrite,
		component.CanonStreamCancelRead, component.CanonStreamCancelWrite,
		component.CanonStreamDropReadable, component.CanonStreamDropWritable,
		component.CanonFutureNew, component.CanonFutureRead, component.CanonFutureWrite,
		component.CanonFutureCancelRead, component.CanonFutureCancelWrite,
		component.CanonFutureDropReadable, component.CanonFutureDropWritable:
		var err error
		if fn, err = st.copyBuiltin(ctx, f); err != nil {
			return true, fmt.Errorf("core func %d: %w", len(st.coreFuncs), err)
		}
	case component.CanonErrorContextNew, component.CanonErrorContextDebugMsg, component.CanonErrorContextDrop:
		var err error
		if fn, err = st.errorContextBuiltin(ctx, f); err != nil {
			return true, fmt.Errorf("core func %d: %w", len(st.coreFuncs), err)
		}
	case component.CanonTaskCancel:
		fn = func(context.Context, api.Module, []uint64) {
			st.mayLeave(name)
			t := st.currentTask(name)
			// canon_task_cancel, Task.cancel: only a task told of its
			// cancellation may cancel itself, once, with no borrow
			// left; its caller's on_resolve gets None.
			if t.resolved {
				trap(&TrapError{Func: name, Err: errors.New("the task has already returned or cancelled")})
			}
			if t.cancel != cancelDelivered {
				trap(&TrapError{Func: name, Err: errors.New("the task's cancellation was not delivered (no TASK_CANCELLED event or cancelled wait)")})
			}
			if err := t.h.undropped(); err != nil {
				trap(&TrapError{Func: name, Err: err})
			}
			t.resolved = true
			if t.onCancelled != nil {
				t.onCancelled()
			}
		}
	case component.CanonSubtaskCancel:
		async := f.Flag
		fn = func(ctx context.Context, _ api.Module, stack []uint64) {
			st.mayLeave(name)
			stack[0] = uint64(st.subtaskCancel(ctx, name, uint32(stack[0]), async))
		}
	case component.CanonWaitableSetNew:
		fn = func(_ context.Context, _ api.Module, stack []uint64) {
			st.mayLeave(name)
			i, err := st.table.add(handleEntry{obj: &waitableSet{}})
			if err != nil {
				trap(&TrapError{Func: name, Err: err})
			}
			stack[0] = uint64(i)
		}
	case component.CanonWaitableSetWait, component.CanonWaitableSetPoll:
		mem := st.coreMems[f.Index]
		wait := f.Op == component.CanonWaitableSetWait
		cancellable := f.Flag
		fn = func(ctx context.Context, _ api.Module, stack []uint64) {
			st.mayLeave(name)
			s, err := st.table.waitableSet(uint32(stack[0]))
			if err != nil {
				trap(&TrapError{Func: name, Err: err})
			}
			ptr := uint32(stack[1])
			t := st.task
			ev := event{code: eventNone}
			switch {
			case t.takeCancel(cancellable):
				// A cancellable wait or poll reports the task's
				// pending cancellation first (deliver_pending_cancel).
				ev = event{code: eventTaskCancelled}
			case wait:
				if !s.hasEvent() {
					// The caller's core code keeps its stack while the
					// other tasks run.
					s.waiting++
					ok, err := st.store.runUntil(ctx, func() bool {
						return s.hasEvent() || cancellable && t != nil && t.cancel == cancelPending
					})
					s.waiting--
					if err != nil {
						trap(err)
					}
					if !ok {
						trap(deadlock(name))
					}
				}
				if t.takeCancel(cancellable) {
					ev = event{code: eventTaskCancelled}
				} else {
					ev = s.take()
				}
			case s.hasEvent():
				ev = s.take()
			}
			m := mem.memory()
			var b [8]byte
			binary.LittleEndian.PutUint32(b[:], ev.p1)
			binary.LittleEndian.PutUint32(b[4:], ev.p2)
			if m == nil || !m.Write(ptr, b[:]) {
				trap(&TrapError{Func: name, Err: fmt.Errorf("the event's payload at %#x is out of bounds", ptr)})
			}
			stack[0] = uint64(ev.code)
		}
	case component.CanonWaitableSetDrop:
		fn = func(_ context.Context, _ api.Module, stack []uint64) {
			st.mayLeave(name)
			i := uint32(stack[0])
			s, err := st.table.waitableSet(i)
			if err != nil {
				trap(&TrapError{Func: name, Err: err})
			}
			if len(s.elems) > 0 {
				trap(&TrapError{Func: name, Err: fmt.Errorf("waitable set %d still holds %d waitables", i, len(s.elems))})
			}
			if s.waiting > 0 {
				trap(&TrapError{Func: name, Err: fmt.Errorf("a task waits on waitable set %d", i)})
			}
			st.table.removeObject(i)
		}
	case component.CanonWaitableJoin:
		fn = func(_ context.Context, _ api.Module, stack []uint64) {
			st.mayLeave(name)
			w, err := st.table.waitable(uint32(stack[0]))
			if err != nil {
				trap(&TrapError{Func: name, Err: err})
			}
			var s *waitableSet
			if si := uint32(stack[1]); si != 0 {
				if s, err = st.table.waitableSet(si); err != nil {
					trap(&TrapError{Func: name, Err: err})
				}
			}
			w.join(s)
		}
	case component.CanonSubtaskDrop:
		fn = func(_ context.Context, _ api.Module, stack []uint64) {
			st.mayLeave(name)
			i := uint32(stack[0])
			s, err := st.table.subtask(i)
			if err != nil {
				trap(&TrapError{Func: name, Err: err})
			}
			if !s.delivered {
				trap(&TrapError{Func: name, Err: fmt.Errorf("subtask %d has not returned (or its return was not delivered yet)", i)})
			}
			s.join(nil)
			st.table.removeObject(i)
		}
	case component.CanonThreadYield:
		cancellable := f.Flag
		fn = func(ctx context.Context, _ api.Module, stack []uint64) {
			st.mayLeave(name)
			if st.task.takeCancel(cancellable) {
				stack[0] = 1 // cancelled
				return
			}
			// thread.yield lets another ready task run, if there is one.
			ran, err := st.store.step(ctx)
			if err != nil {
				trap(err)
			}
			if !ran && st.task != nil && st.task.starting {
				// Only the async caller below could run, and it would
				// need the task's stack to be switched away from.
				trap(&UnsupportedError{Msg: name + ": the core function yields before it first returns to its async caller, which could go on only by switching stacks (wazero has none)"})
			}
			stack[0] = 0 // not cancelled
			if st.task.takeCancel(cancellable) {
				stack[0] = 1
			}
		}
	default:
		return false, nil
	}
	params, results, err := st.builtinSig(f)
	if err != nil {
		return true, fmt.Errorf("core func %d: %w", len(st.coreFuncs), err)
	}
	ref, err := st.hostFunc(ctx, params, results, fn)
	if err != nil {
		return true, err
	}
	st.coreFuncs = append(st.coreFuncs, ref)
	return true, nil
}

// taskReturn defines task.return (canon_task_return): it lifts the
// results of the current task and hands them to its caller. It traps
// outside of an async task, when the task returned already, and when its
// result type or options are not the task's.
func (st *state) taskReturn(ctx context.Context, f component.Canon) (api.GoModuleFunc, error) {
	var rt wit.Type
	var rtypes []wit.Type
	if f.HasResult {
		rt = st.spaces.ValType(f.Result)
		if rt == nil {
			return nil, fmt.Errorf("task.return: type index %d is not a value type", f.Result.Index)
		}
		rtypes = []wit.Type{rt}
	}
	opts, err := st.resolveOpts(ctx, f.Opts)
	if err != nil {
		return nil, err
	}
	const name = "task.return"
	return func(ctx context.Context, _ api.Module, stack []uint64) {
		st.mayLeave(name)
		t := st.currentTask(name)
		want := t.f.typ.Result
		topts := t.f.lifted.opts
		same := (rt == nil) == (want == nil) && opts.enc == topts.enc && sameRef(opts.memory, topts.memory)
		if same && rt != nil {
			same = wit.SameType(rt, want, "result") == nil
		}
		if !same {
			trap(&TrapError{Func: name, Err: errors.New("invalid `task.return` signature and/or options for current task (its result type, string encoding and memory must be the lifted function's)")})
		}
		if t.resolved {
			trap(&TrapError{Func: name, Err: errors.New("the task has already returned (task.return may be called once)")})
		}
		cx := st.cx(ctx, opts, t.h)
		vals, err := cx.LiftValues(rtypes, stack, canonabi.MaxFlatParams)
		if err != nil {
			trap(&TrapError{Func: name, Err: err})
		}
		if err := t.h.undropped(); err != nil {
			trap(&TrapError{Func: name, Err: err})
		}
		t.resolved = true
		if t.resolve != nil {
			if err := t.resolve(vals, cx); err != nil {
				trap(err)
			}
		}
	}, nil
}

// sameRef says whether two options name the same core item.
func sameRef(a, b *coreRef) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.mod == b.mod && a.name == b.name
}

// subtaskCancel is subtask.cancel (canon_subtask_cancel) of subtask i: it
// asks the callee to cancel and returns the subtask's final state
// (RETURNED, CANCELLED_BEFORE_STARTED or CANCELLED_BEFORE_RETURNED),
// delivering it; an async cancel whose callee did not resolve at once
// returns BLOCKED (the state comes as a SUBTASK event), a sync one waits
// for it. It traps on a subtask whose resolution was delivered, one
// cancelled before, and, sync, one in a waitable set.
func (st *state) subtaskCancel(ctx context.Context, name string, i uint32, async bool) uint32 {
	s, err := st.table.subtask(i)
	if err != nil {
		trap(&TrapError{Func: name, Err: err})
	}
	switch {
	case s.delivered:
		trap(&TrapError{Func: name, Err: fmt.Errorf("subtask %d has resolved and its resolution was delivered", i)})
	case s.cancelRequested:
		trap(&TrapError{Func: name, Err: fmt.Errorf("the cancellation of subtask %d was requested already", i)})
	case s.set != nil && !async:
		trap(&TrapError{Func: name, Err: fmt.Errorf("subtask %d is in a waitable set: a synchronous cancel may not wait on it", i)})
	}
	if !s.resolved() {
		s.cancelRequested = true
		if s.onCancel != nil {
			if err := s.onCancel(ctx, st); err != nil {
				trap(err)
			}
		}
		if !s.resolved() {
			if async {
				return subtaskBlocked
			}
			ok, err := st.store.runUntil(ctx, s.resolved)
			if err != nil {
				trap(err)
			}
			if !ok {
				trap(deadlock(name))
			}
		}
	}
	if p := s.pending; p != nil {
		s.pending = nil
		p()
	}
	s.delivered = true
	return s.state
}
