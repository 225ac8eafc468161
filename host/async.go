package host

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/tetratelabs/wazero/api"
	"github.com/witc-dev/witc/canonabi"
	"github.com/witc-dev/witc/wit"
)

// The first slice of the component model's async ABI (CanonicalABI.md,
// Concurrency.md): tasks of functions lifted `async` with a `callback`,
// their event loop, task.return, waitable sets and the subtasks of async
// lowers.
//
// wazero has no stack switching, so a task is only ever suspended where
// its core code has returned to the host: a callback-lifted task between
// two calls of its callback (its state is the code it returned and, for
// WAIT, the waitable set). Such tasks need no stack of their own; the
// store's scheduler (asyncStore) resumes them, one callback at a time,
// whenever a caller waits: the host waiting for an async export to
// return, a core function blocking in waitable-set.wait or a synchronous
// lower of an async callee. A core function that blocks keeps its Go
// stack: the tasks run while it waits are run on top of it, and it
// resumes when what it waits for is ready — or traps when nothing else
// can run (a deadlock, which CanonicalABI.md makes a trap for sync
// callers: canon_lift's trap_if(not candidates)). Functions lifted async
// without a callback (stackful) would need their own stack to suspend:
// a call of one is refused before it runs (stackfulError), and the
// instance stays usable. (Refusing the whole component at instantiation
// would also refuse its other functions, which run: spec
// values/variants.wast has such a component.)
//
// The host's calls of async exports do not hold the instance while they
// wait: a call starts its task under the call lock, then waits for its
// result while other calls' tasks run (Func.callAsyncExport). An async
// call into an instance with backpressure does not start its task: the
// store does, once the instance has none (asyncStore.starts).
// Cancellation follows Task.request_cancellation: a task suspended in
// its event loop gets TASK_CANCELLED at once when its caller may enter
// its instance, else at its next cancellable wait; a call not started is
// dropped (CANCELLED_BEFORE_STARTED). The host asks for it when the
// context of its call is done, a guest with subtask.cancel.

// Event codes (CanonicalABI.md EventCode).
const (
	eventNone          = 0
	eventSubtask       = 1
	eventTaskCancelled = 6
)

// Callback codes (CallbackCode) and subtask states (Subtask.State).
const (
	callbackExit  = 0
	callbackYield = 1
	callbackWait  = 2

	subtaskStarting                = 0
	subtaskStarted                 = 1
	subtaskCancelledBeforeStarted  = 3
	subtaskCancelledBeforeReturned = 4

	// subtaskBlocked is what an async subtask.cancel returns when the
	// subtask did not resolve at once (BLOCKED).
	subtaskBlocked = 0xffff_ffff
)

// Cancellation states of a task (Task.State's PENDING_CANCEL and
// CANCEL_DELIVERED).
const (
	cancelNone = iota
	cancelPending
	cancelDelivered
)

type event struct{ code, p1, p2 uint32 }

// waitable is what can be joined to a waitable set: for now the subtasks
// of async lowers.
type waitable struct {
	pending func() event // the pending event, when there is one
	set     *waitableSet
}

func (w *waitable) join(s *waitableSet) {
	if w.set != nil {
		for i, e := range w.set.elems {
			if e == w {
				w.set.elems = append(w.set.elems[:i], w.set.elems[i+1:]...)
				break
			}
		}
	}
	w.set = s
	if s != nil {
		s.elems = append(s.elems, w)
	}
}

// waitableSet is a waitable set (WaitableSet); waiting counts the tasks
// waiting on it (num_waiting), which waitable-set.drop traps on.
type waitableSet struct {
	elems   []*waitable
	waiting int
}

func (s *waitableSet) hasEvent() bool {
	for _, w := range s.elems {
		if w.pending != nil {
			return true
		}
	}
	return false
}

// take removes and returns the first pending event of the set (the spec
// takes any; witc takes them in the order the waitables joined).
func (s *waitableSet) take() event {
	for _, w := range s.elems {
		if p := w.pending; p != nil {
			w.pending = nil
			return p()
		}
	}
	return event{}
}

// subtask is the caller's side of an async-lowered call that did not
// return at once (Subtask).
type subtask struct {
	waitable
	state     uint32
	delivered bool // its resolution was delivered (resolve_delivered)
	// cancelRequested: subtask.cancel was called (cancellation_requested);
	// onCancel asks the callee to cancel (OnCancel).
	cancelRequested bool
	onCancel        func(ctx context.Context, caller *state) error
}

// resolved says whether the callee returned or cancelled
// (Subtask.resolved).
func (s *subtask) resolved() bool { return s.state >= subtaskReturned }

func objName(o any) string {
	switch o := o.(type) {
	case *waitableSet:
		return "waitable set"
	case *subtask:
		return "subtask"
	case *copyEnd:
		return o.kind()
	case *errorContext:
		return "error-context"
	}
	return fmt.Sprintf("%T", o)
}

// object returns entry i of the instance's table when it is not a
// resource handle.
func (t *handleTable) object(i uint32) (any, error) {
	if i == 0 || int(i) >= len(t.entries) || !t.entries[i].live {
		return nil, &canonabi.Trap{Reason: fmt.Sprintf("unknown handle index %d", i)}
	}
	if o := t.entries[i].obj; o != nil {
		return o, nil
	}
	return nil, &canonabi.Trap{Reason: fmt.Sprintf("handle %d is a resource handle", i)}
}

// objectAs returns the object at index i of t as a T, trapping when it is
// of another kind (not a what).
func objectAs[T any](t *handleTable, i uint32, what string) (T, error) {
	var zero T
	o, err := t.object(i)
	if err != nil {
		return zero, err
	}
	x, ok := o.(T)
	if !ok {
		return zero, &canonabi.Trap{Reason: fmt.Sprintf("handle %d is a %s, not %s", i, objName(o), what)}
	}
	return x, nil
}

func (t *handleTable) waitableSet(i uint32) (*waitableSet, error) {
	return objectAs[*waitableSet](t, i, "a waitable set")
}

func (t *handleTable) subtask(i uint32) (*subtask, error) {
	return objectAs[*subtask](t, i, "a subtask")
}

func (t *handleTable) waitable(i uint32) (*waitable, error) {
	o, err := t.object(i)
	if err != nil {
		return nil, err
	}
	switch o := o.(type) {
	case *subtask:
		return &o.waitable, nil
	case *copyEnd:
		return &o.waitable, nil
	}
	return nil, &canonabi.Trap{Reason: fmt.Sprintf("handle %d is a %s, not a waitable", i, objName(o))}
}

func (t *handleTable) removeObject(i uint32) {
	t.entries[i] = handleEntry{}
	t.free = append(t.free, i)
}

// asyncStore is the store's scheduler: the callback-lifted tasks that
// wait for an event or yielded, in the order they suspended.
type asyncStore struct {
	lock  *callLock
	ext   extQueue // what goroutines post (async_go.go)
	tasks []*task
	// below are the conditions on which the callers further down the Go
	// stack wait (innermost last): a caller whose condition holds could go
	// on, were there a way to switch back to it (async_stream.go).
	below []func() bool
	// starts are the async-lowered calls whose callee instance had
	// backpressure (Task.enter_implicit_thread): each starts once its
	// instance has none, in the order they were made.
	starts []*deferredStart
}

// deferredStart is an async-lowered call whose callee waits to enter its
// instance: its subtask is STARTING until run starts the callee's task.
type deferredStart struct {
	st  *state // the callee's instance
	run func(ctx context.Context) error
}

// task is a call of a function lifted async with a callback (Task with
// its implicit thread).
type task struct {
	st       *state
	f        *compFunc
	resolve  resolver
	resolved bool
	exited   bool
	storage  [2]uint64 // context.get/set
	h        *handles
	// Where the task is suspended: yielding, or waiting on set.
	yielding bool
	set      *waitableSet
	// starting: the task's entry point runs for an async lower, whose
	// caller would go on when the task blocks.
	starting bool
	// cancel is the task's cancellation state (cancelNone, cancelPending,
	// cancelDelivered); onCancelled is its caller's on_resolve(None),
	// called by task.cancel.
	cancel      int
	onCancelled func()
}

// ready says whether a suspended task can be resumed now: its instance
// is not running (nor poisoned), and it yielded or its set has an event.
func (t *task) ready() bool {
	return t.st.mayEnterFrom(nil) && (t.yielding || t.cancel == cancelPending || (t.set != nil && t.set.hasEvent()))
}

// waitingToEnter counts the deferred starts into instance st
// (ComponentInstance.num_waiting_to_enter).
func (s *asyncStore) waitingToEnter(st *state) int {
	n := 0
	for _, d := range s.starts {
		if d.st == st {
			n++
		}
	}
	return n
}

// step resumes one ready task, or starts one deferred call whose callee
// instance no longer has backpressure; it reports false when none is
// ready.
func (s *asyncStore) step(ctx context.Context) (bool, error) {
	for i, d := range s.starts {
		if d.st.backpressure > 0 || !d.st.mayEnterFrom(nil) {
			continue
		}
		s.starts = append(s.starts[:i], s.starts[i+1:]...)
		return true, enterFrom(d.st, nil, func() error { return d.run(ctx) })
	}
	for i, t := range s.tasks {
		if !t.ready() {
			continue
		}
		s.tasks = append(s.tasks[:i], s.tasks[i+1:]...)
		return true, t.resume(ctx, nil)
	}
	return false, nil
}

// enterFrom runs f, code of instance st entered from caller (nil: from
// the store, caller None): the instance's ancestors that are not the
// caller's are entered meanwhile (ComponentInstance.entering_set,
// enter_from), which a call out of it into one of them traps on (st
// itself is entered by the code f runs).
func enterFrom(st, caller *state, f func() error) error {
	var marked []*state
	for a := st.parent; a != nil; a = a.parent {
		if !a.entered && !caller.within(a) {
			a.entered = true
			marked = append(marked, a)
		}
	}
	err := f()
	for _, a := range marked {
		a.entered = false
	}
	return err
}

// within says whether a is st or one of its ancestors (st may be nil).
func (st *state) within(a *state) bool {
	for ; st != nil; st = st.parent {
		if st == a {
			return true
		}
	}
	return false
}

// mayEnterFrom says whether code of instance st may run for caller (nil:
// the host or the store): neither st nor its ancestors that are not the
// caller's are running (ComponentInstance.may_enter_from), nor is st
// poisoned or closed.
func (st *state) mayEnterFrom(caller *state) bool {
	if st.poisoned != nil || st.lock.closed {
		return false
	}
	for a := st; a != nil; a = a.parent {
		if a.entered && !caller.within(a) {
			return false
		}
	}
	return true
}

// resume calls the callback of suspended task t (removed from the
// store's list) with its event: TASK_CANCELLED when its cancellation is
// pending (the event loop waits cancellably: Thread.wait_until's
// deliver_pending_cancel), else the event of its set, or NONE after a
// YIELD.
func (t *task) resume(ctx context.Context, caller *state) error {
	ev := event{code: eventNone}
	if t.cancel == cancelPending {
		t.cancel = cancelDelivered
		ev = event{code: eventTaskCancelled}
		if t.set != nil {
			t.set.waiting--
		}
	} else if t.set != nil {
		ev = t.set.take()
		t.set.waiting--
	}
	t.set, t.yielding = nil, false
	return enterFrom(t.st, caller, func() error { return t.callback(ctx, ev) })
}

// suspended says whether the task waits in its event loop (it is in the
// store's list).
func (t *task) suspended() bool { return t.yielding || t.set != nil }

// requestCancel asks task t to cancel for caller (nil: the host)
// (Task.request_cancellation, for a task that started): a task suspended
// in its event loop, whose instance the caller may enter, gets
// TASK_CANCELLED at once; the others get it at their next cancellable
// wait (PENDING_CANCEL).
func (t *task) requestCancel(ctx context.Context, caller *state) error {
	if t.resolved || t.exited || t.cancel != cancelNone {
		return nil
	}
	s := t.st.store
	if t.suspended() && t.st.mayEnterFrom(caller) {
		for i, u := range s.tasks {
			if u == t {
				s.tasks = append(s.tasks[:i], s.tasks[i+1:]...)
				break
			}
		}
		t.cancel = cancelPending
		return t.resume(ctx, caller)
	}
	t.cancel = cancelPending
	return nil
}

// takeCancel delivers the task's pending cancellation to a cancellable
// wait of its core code (deliver_pending_cancel); it reports whether
// there was one. t may be nil (no task: nothing to deliver).
func (t *task) takeCancel(cancellable bool) bool {
	if t == nil || !cancellable || t.cancel != cancelPending {
		return false
	}
	t.cancel = cancelDelivered
	return true
}

// runUntil resumes ready tasks until done holds; it reports false when
// done does not hold and no task can run.
func (s *asyncStore) runUntil(ctx context.Context, done func() bool) (bool, error) {
	s.below = append(s.below, done)
	defer func() { s.below = s.below[:len(s.below)-1] }()
	for !done() {
		if err := ctx.Err(); err != nil {
			return false, err
		}
		wake := s.woken()
		drained, err := s.drain()
		if err != nil {
			return false, err
		}
		if drained {
			continue
		}
		ran, err := s.step(ctx)
		if err != nil {
			return false, err
		}
		if ran {
			continue
		}
		// Nothing can run: wait for Go, if it holds an end or runs a
		// host function.
		waited, err := s.idle(ctx, wake)
		if err != nil {
			return false, err
		}
		if !waited {
			return false, s.callerCouldGoOn()
		}
	}
	return true, nil
}

// deadlock is the trap of a caller that would wait forever.
func deadlock(what string) error {
	return &TrapError{Func: what, Err: errors.New("deadlock: it waits for an event that no task can produce (no task is ready to run)")}
}

// stackfulError refuses a function lifted async without a callback.
func stackfulError(what string) error {
	return &UnsupportedError{Msg: fmt.Sprintf("%s: the function is lifted with the stackful async ABI (`canon lift async` without `callback`), which witc's runtime cannot run: suspending it needs a stack of its own to switch to, and wazero has no stack switching; only callback-lifted async functions are run", what)}
}

// runCore runs core code of task t (its entry point or its callback) with
// stack, and returns the callback code it returned.
func (t *task) runCore(ctx context.Context, fn api.Function, stack []uint64) (uint32, error) {
	st := t.st
	if err := st.enter(t.f.name); err != nil {
		return 0, err
	}
	prevTask, prevTLS := st.task, st.tls
	st.task, st.tls = t, t.storage
	err := fn.CallWithStack(ctx, stack)
	t.storage = st.tls
	st.task, st.tls = prevTask, prevTLS
	if err != nil {
		if _, exited := ExitCode(err); !exited {
			err = &TrapError{Func: t.f.name, Err: err}
		}
		st.leave(err)
		return 0, err
	}
	st.leave(nil)
	return uint32(stack[0]), nil
}

// callback calls the task's callback with ev and handles its code.
func (t *task) callback(ctx context.Context, ev event) error {
	fn := t.f.lifted.opts.callback.function()
	stack := [3]uint64{uint64(ev.code), uint64(ev.p1), uint64(ev.p2)}
	code, err := t.runCore(ctx, fn, stack[:])
	if err != nil {
		return err
	}
	return t.handle(code)
}

// handle suspends or ends the task as its callback's code says
// (canon_lift's loop; unpack_callback_result).
func (t *task) handle(packed uint32) error {
	st := t.st
	fail := func(err error) error {
		st.leave(err)
		return err
	}
	switch packed & 0xf {
	case callbackExit:
		t.exited = true
		if !t.resolved {
			return fail(&TrapError{Func: t.f.name, Err: errors.New("async-lifted export failed to produce a result: the task exited without calling task.return")})
		}
		t.h.endCall()
		return nil
	case callbackYield:
		t.yielding = true
	case callbackWait:
		s, err := st.table.waitableSet(packed >> 4)
		if err != nil {
			return fail(&TrapError{Func: t.f.name + " (callback WAIT)", Err: err})
		}
		s.waiting++
		t.set = s
	default:
		return fail(&TrapError{Func: t.f.name, Err: fmt.Errorf("the callback returned the unknown code %d", packed&0xf)})
	}
	st.store.tasks = append(st.store.tasks, t)
	return nil
}

// startTask starts a call of callback-lifted function f: it lowers args
// (lifted in from, nil for the host's), runs the core function and
// handles its code. resolve receives the results given to task.return.
func (f *compFunc) startTask(ctx context.Context, args []canonabi.Value, from *canonabi.Cx, resolve resolver, async bool, cancelled func()) (*task, error) {
	lf := f.lifted
	st := lf.st
	if lf.opts.callback == nil {
		return nil, stackfulError(f.name)
	}
	if st.backpressure > 0 {
		// Task.enter_implicit_thread waits while the instance has
		// backpressure; here the caller runs the other tasks until it
		// has none.
		ok, err := st.store.runUntil(ctx, func() bool { return st.backpressure == 0 })
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, deadlock(f.name + " (waiting for the instance's backpressure)")
		}
	}
	t := &task{st: st, f: f, resolve: resolve, onCancelled: cancelled, h: &handles{st: st}}
	cx := st.cx(ctx, lf.opts, t.h)
	cx.Source = from
	flat, err := cx.LowerValues(paramTypes(f.typ), args, canonabi.MaxFlatParams)
	if err != nil {
		t.h.endCall()
		return nil, &TrapError{Func: f.name, Err: err}
	}
	stack := make([]uint64, max(1, len(flat)))
	copy(stack, flat)
	fn := lf.core.function()
	if fn == nil {
		return nil, fmt.Errorf("%s: core function `%s` not found", f.name, lf.core.name)
	}
	t.starting = from != nil && resolve != nil && async
	var code uint32
	if t.starting {
		err = st.store.withCallerBelow(func() error {
			var err error
			code, err = t.runCore(ctx, fn, stack)
			return err
		})
	} else {
		code, err = t.runCore(ctx, fn, stack)
	}
	t.starting = false
	if err != nil {
		return nil, err
	}
	return t, t.handle(code)
}

// callAsync is a call of a callback-lifted function that waits for its
// result: the host's, or a synchronous lower's (canon_lift for a caller
// that is not async: the other tasks run until the task has returned).
func (f *compFunc) callAsync(ctx context.Context, args, out []canonabi.Value, from *canonabi.Cx, resolve resolver) ([]canonabi.Value, error) {
	st := f.lifted.st
	var res []canonabi.Value
	var t *task
	resolved := false
	// Once the task has returned, its caller could go on were the task's
	// entry point to block.
	err := st.store.withCaller(func() bool { return resolved }, func() error {
		var err error
		t, err = f.startTask(ctx, args, from, func(vs []canonabi.Value, src *canonabi.Cx) error {
			resolved = true
			res = append(out[:0], vs...)
			if resolve != nil {
				return resolve(vs, src)
			}
			return nil
		}, false, nil)
		return err
	})
	if err != nil {
		return nil, err
	}
	ok, err := st.store.runUntil(ctx, func() bool { return t.resolved || t.exited })
	if err != nil {
		if ctx.Err() != nil && from == nil {
			// The host's call was cancelled: the task is asked to
			// cancel (task.cancel semantics), and goes on in the
			// store; the call returns at once.
			if cerr := t.requestCancel(st.store.ext.ctx, nil); cerr != nil {
				return nil, cerr
			}
		}
		return nil, err
	}
	if !ok {
		return nil, deadlock(f.name)
	}
	return res, nil
}

// currentTask is the task whose core code runs in the instance, for the
// built-ins that need one.
func (st *state) currentTask(what string) *task {
	if st.task == nil {
		trap(&TrapError{Func: what, Err: errors.New("called outside of a task of a function lifted with the async ABI")})
	}
	return st.task
}

// lowerAsync is an async lower of callback-lifted function callee
// (canon_lower with opts.async_): it starts the callee's task with args
// (lifted in cx) and returns RETURNED when the task returned at once, or
// the subtask's state and index: its SUBTASK event is pending once the
// callee starts or resolves, its results then stored at retptr. A callee
// whose instance has backpressure (or calls waiting to enter it) does not
// start yet: the subtask is STARTING, and the store starts the task once
// the instance has none (Task.enter_implicit_thread,
// num_waiting_to_enter).
func (st *state) lowerAsync(ctx context.Context, callee *compFunc, args []canonabi.Value, cx *canonabi.Cx, indirect bool, rtypes []wit.Type, retptr uint32) uint32 {
	sub := &subtask{state: subtaskStarted}
	var idx uint32
	var t *task
	// progress makes the subtask's current state its pending event
	// (canon_lower's on_progress): a later state replaces an earlier one
	// not delivered yet; delivering a resolution is deliver_resolve.
	progress := func() {
		if idx != 0 {
			sub.pending = func() event {
				if sub.resolved() {
					sub.delivered = true
				}
				return event{eventSubtask, idx, sub.state}
			}
		}
	}
	resolve := func(res []canonabi.Value, src *canonabi.Cx) error {
		cx.Source = src
		if indirect {
			if err := cx.StoreValues(rtypes, res, retptr); err != nil {
				return &TrapError{Func: callee.name, Err: err}
			}
		}
		sub.state = subtaskReturned
		progress()
		return nil
	}
	// on_resolve(None): the callee called task.cancel.
	cancelled := func() {
		sub.state = subtaskCancelledBeforeReturned
		progress()
	}
	cst := callee.lifted.st
	s := st.store
	if callee.typ.Kind.IsAsync() && (cst.backpressure > 0 || s.waitingToEnter(cst) > 0) {
		// The callee waits to enter its instance (backpressure, or
		// calls that wait before it): the caller goes on with a
		// STARTING subtask, and the callee's task starts from the store
		// once the instance has none.
		sub.state = subtaskStarting
		var err error
		idx, err = st.table.add(handleEntry{obj: sub})
		if err != nil {
			trap(&TrapError{Func: callee.name, Err: err})
		}
		d := &deferredStart{st: cst}
		d.run = func(ctx context.Context) error {
			sub.state = subtaskStarted
			var err error
			t, err = callee.startTask(ctx, args, cx, resolve, false, cancelled)
			if err != nil {
				return err
			}
			if !sub.resolved() {
				progress() // on_start: STARTED
			}
			return nil
		}
		s.starts = append(s.starts, d)
		sub.onCancel = func(ctx context.Context, caller *state) error {
			if t != nil {
				return t.requestCancel(ctx, caller)
			}
			// Not started: cancelled before its arguments were
			// lowered (Task.request_cancellation in INITIAL state).
			for i, e := range s.starts {
				if e == d {
					s.starts = append(s.starts[:i], s.starts[i+1:]...)
					break
				}
			}
			sub.state = subtaskCancelledBeforeStarted
			progress()
			return nil
		}
		return sub.state | idx<<4
	}
	var err error
	t, err = callee.startTask(ctx, args, cx, resolve, true, cancelled)
	if err != nil {
		trap(err)
	}
	if t.resolved {
		return subtaskReturned
	}
	idx, err = st.table.add(handleEntry{obj: sub})
	if err != nil {
		trap(&TrapError{Func: callee.name, Err: err})
	}
	sub.onCancel = t.requestCancel
	return sub.state | idx<<4
}

// callAsyncExport is the host's call of callback-lifted export f. It
// starts the task under the instance's call lock, then releases the lock
// and waits for the task's result as Go's operations on streams and
// futures wait (asyncStore.do): it drives the store's tasks while no one
// else does, else waits for a wake; so the tasks of several calls
// interleave. When ctx is done first, the task is asked to cancel (it
// gets TASK_CANCELLED and may call task.cancel) and the call returns
// ctx's error at once; the task goes on in the store.
func (f *Func) callAsyncExport(ctx context.Context, args, out []canonabi.Value) ([]canonabi.Value, error) {
	l, s := f.lock, f.store()
	s.enterCall()
	defer s.leaveCall()
	if !l.acquire(ctx) {
		// A host function's call back into the component: it runs on the
		// stack of the call that holds the lock.
		if l.closed {
			return nil, fmt.Errorf("%s: %w", f.Name, ErrClosed)
		}
		return f.f.callInto(ctx, args, out, nil, nil)
	}
	if l.closed {
		l.mu.Unlock()
		return nil, fmt.Errorf("%s: %w", f.Name, ErrClosed)
	}
	done := make(chan struct{})
	var res []canonabi.Value
	var t *task
	resolved := false
	resolve := func(vs []canonabi.Value, _ *canonabi.Cx) error {
		resolved = true
		res = append(out[:0], vs...)
		close(done)
		return nil
	}
	// cancel asks the call's task to cancel (under the call lock).
	var cancel func() error
	st := f.f.lifted.st
	var err error
	if f.f.typ.Kind.IsAsync() && (st.backpressure > 0 || s.waitingToEnter(st) > 0) {
		// The task waits to enter its instance (backpressure, or calls
		// waiting before it: Task.enter_implicit_thread): the store
		// starts it once the instance has none. Cancelled before, it
		// never starts.
		d := &deferredStart{st: st}
		d.run = func(ctx context.Context) error {
			var err error
			t, err = f.f.startTask(ctx, args, nil, resolve, false, nil)
			return err
		}
		s.starts = append(s.starts, d)
		cancel = func() error {
			if t != nil {
				return t.requestCancel(s.ext.ctx, nil)
			}
			s.starts = slices.DeleteFunc(s.starts, func(e *deferredStart) bool { return e == d })
			return nil
		}
	} else {
		err = s.withCaller(func() bool { return resolved }, func() error {
			var err error
			t, err = f.f.startTask(ctx, args, nil, resolve, false, nil)
			return err
		})
		cancel = func() error { return t.requestCancel(s.ext.ctx, nil) }
	}
	returned := resolved
	l.mu.Unlock()
	s.wakeIdle()
	if err != nil {
		return nil, err
	}
	if returned {
		return res, nil
	}
	if err := s.await(ctx, f.Name, done, st, cancel); err != nil {
		return nil, err
	}
	return res, nil
}

// await waits until done is closed (the task of an async export call
// into instance st has returned): it drives the store under the call lock when it can, waits
// for a wake when there is nothing to run, and reports a deadlock when
// nothing can run, nothing Go holds can post, and every other call in
// progress waits too — for deadlockGrace, during which no other call
// started: a call another goroutine is about to make may be what the
// task waits for (two calls that talk to each other).
func (s *asyncStore) await(ctx context.Context, name string, done <-chan struct{}, st *state, cancel func() error) error {
	finished := func() bool {
		select {
		case <-done:
			return true
		default:
			return false
		}
	}
	const minBackoff, maxBackoff = 50 * time.Microsecond, 10 * time.Millisecond
	backoff := minBackoff
	var stuckSince time.Time // when the deadlock was first seen
	var stuckCalls int64     // the calls started then
	for {
		wake := s.woken()
		if finished() {
			return nil
		}
		if ctx.Err() != nil {
			return s.cancelCall(ctx, cancel)
		}
		select {
		case <-s.ext.closed:
			return fmt.Errorf("%s: %w", name, ErrClosed)
		default:
		}
		if !s.lock.mu.TryLock() {
			// Another goroutine holds the lock: wait for a wake, or look
			// again after a while (a holder that drives nothing does not
			// wake anyone).
			timer := time.NewTimer(backoff)
			select {
			case <-done:
			case <-wake:
			case <-ctx.Done():
			case <-s.ext.closed:
			case <-timer.C:
			}
			timer.Stop()
			backoff = min(2*backoff, maxBackoff)
			continue
		}
		backoff = minBackoff
		if s.lock.closed {
			s.lock.mu.Unlock()
			return fmt.Errorf("%s: %w", name, ErrClosed)
		}
		progressed, err := s.drive(finished)
		idle := false
		var grace <-chan time.Time
		if err == nil && !progressed && !finished() {
			switch p := st.poisoned; {
			case p != nil:
				// The task trapped in another goroutine's drive (a
				// Go end's copy): its trap is the call's.
				err = p
			case s.ext.held.Load() <= 0 && s.ext.idlers.Load() >= s.ext.calls.Load()-1:
				started := s.ext.started.Load()
				if stuckSince.IsZero() || started != stuckCalls {
					stuckSince, stuckCalls = time.Now(), started
				}
				wait := deadlockGrace - time.Since(stuckSince)
				if wait <= 0 {
					err = deadlock(name)
					break
				}
				grace = time.After(wait)
				fallthrough
			default:
				s.ext.idlers.Add(1)
				idle = true
			}
		}
		if progressed {
			stuckSince = time.Time{}
		}
		s.lock.mu.Unlock()
		if progressed {
			// The other calls' tasks may have run, or be ready.
			s.kick()
		}
		if err != nil {
			return err
		}
		if !idle {
			continue
		}
		select {
		case <-done:
		case <-wake:
		case <-ctx.Done():
		case <-s.ext.closed:
		case <-grace:
		}
		s.ext.idlers.Add(-1)
	}
}

// deadlockGrace is how long a host's async call waits, stuck, for
// another call before it reports a deadlock (asyncStore.await).
const deadlockGrace = 50 * time.Millisecond

// cancelCall asks the task of a call whose context is done to cancel
// (Task.request_cancellation from the host): at once when the call lock
// is free, else through the store's driver. It returns ctx's error (or a
// trap of the task's cancellation).
func (s *asyncStore) cancelCall(ctx context.Context, cancel func() error) error {
	if !s.lock.mu.TryLock() {
		s.post(cancel)
		return ctx.Err()
	}
	var err error
	if !s.lock.closed {
		err = cancel()
	}
	s.lock.mu.Unlock()
	s.kick()
	if err != nil {
		return err
	}
	return ctx.Err()
}
