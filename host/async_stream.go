package host

import (
	"context"
	"fmt"
	"sync"

	"github.com/tetratelabs/wazero/api"
	"github.com/witc-dev/witc/canonabi"
	"github.com/witc-dev/witc/component"
	"github.com/witc-dev/witc/wit"
)

// Streams and futures of the async ABI (CanonicalABI.md "Stream State",
// "Future State" and the stream.*/future.* built-ins). Both ends of one
// stream or future share an asyncChan; each end is an entry of its
// instance's table (a copyEnd, a waitable). A copy (read or write) whose
// other side is not there yet leaves its buffer pending in the channel;
// the other side's copy moves the elements between the two buffers, from
// one instance's memory to the other's, and the copy's result becomes a
// pending event of each end (STREAM_READ, STREAM_WRITE, FUTURE_READ,
// FUTURE_WRITE). A readable end passed in a call (a stream<T> or
// future<T> value) leaves the caller's table and a new readable end of
// the same channel joins the callee's (lift_stream, lower_stream).

// Event codes of copies.
const (
	eventStreamRead  = 2
	eventStreamWrite = 3
	eventFutureRead  = 4
	eventFutureWrite = 5
)

// Copy results (CopyResult) and the BLOCKED return of a copy that waits.
const (
	copyCompleted = 0
	copyDropped   = 1
	copyCancelled = 2
	copyBlocked   = 0xffff_ffff

	// maxCopyLength is Buffer.MAX_LENGTH: the count leaves the low 4 bits
	// of the packed result to the CopyResult.
	maxCopyLength = 1<<28 - 1
)

// copyState is CopyState.
type copyState uint8

const (
	copyIdle copyState = iota
	copyCopying
	copyCancelling
	copyDone
)

// asyncChan is what both ends of a stream or future share
// (SharedStreamImpl, SharedFutureImpl): the element type (nil for a
// `stream` or `future` without one), whether an end was dropped, and the
// copy that waits for the other end.
//
// Its ends live in the tables of the instances of one instantiation (one
// store) or are held by Go (goEnd); store is set once an end is in a
// table (bind), and the channel is then only touched by the store's
// driver (async_go.go).
type asyncChan struct {
	t       wit.Type
	future  bool
	dropped bool
	pending *pendingCopy

	mu     sync.Mutex
	store  *asyncStore
	bound  chan struct{} // closed by bind, for channels made by Go
	goEnds int           // ends Go holds (goEnd.held)
}

// pendingCopy is the waiting side of a copy: its instance (nil: Go), its buffer, and
// what to tell its end when elements were copied (streams) and when the
// copy is done.
type pendingCopy struct {
	inst   *state
	buf    *copyBuffer
	onCopy func(reclaim func())
	onDone func(result uint32)
}

func (c *asyncChan) resetAndNotify(result uint32) {
	p := c.pending
	c.pending = nil
	p.onDone(result)
}

func (c *asyncChan) cancel() {
	if c.pending != nil {
		c.resetAndNotify(copyCancelled)
	}
}

func (c *asyncChan) drop() {
	if !c.dropped {
		c.dropped = true
		if c.pending != nil {
			c.resetAndNotify(copyDropped)
		}
	}
}

// sameInstance is the spec's temporary trap: the two sides of a copy in
// one instance may copy only numbers (or nothing).
func (c *asyncChan) sameInstance(inst *state) error {
	if inst != nil && c.pending.inst == inst && !numberType(c.t) {
		return &canonabi.Trap{Reason: "a copy between two ends in the same component instance of a " + typeName(c.t) + " (only numeric element types may be copied within one instance)"}
	}
	return nil
}

func typeName(t wit.Type) string {
	if t == nil {
		return "stream without elements"
	}
	return "stream of " + wit.TypeString(t)
}

// numberType is none_or_number_type: no element type or a number, whose
// elements are copied as bytes.
func numberType(t wit.Type) bool {
	if t == nil {
		return true
	}
	p, ok := wit.Resolved(t).(wit.Primitive)
	return ok && p >= wit.U8 && p <= wit.F64
}

// streamCopy is SharedStreamImpl.read (write false) and write.
func (c *asyncChan) streamCopy(inst *state, buf *copyBuffer, write bool, onCopy func(func()), onDone func(uint32)) error {
	if c.dropped {
		onDone(copyDropped)
		return nil
	}
	p := c.pending
	if p == nil {
		c.pending = &pendingCopy{inst, buf, onCopy, onDone}
		return nil
	}
	if err := c.sameInstance(inst); err != nil {
		return err
	}
	if p.buf.remain() > 0 {
		if buf.remain() > 0 {
			src, dst := p.buf, buf
			if write {
				src, dst = buf, p.buf
			}
			if err := copyElems(src, dst, min(src.remain(), dst.remain())); err != nil {
				return err
			}
			p.onCopy(func() { c.pending = nil })
		}
		onDone(copyCompleted)
		return nil
	}
	if write && buf.length == 0 && p.buf.length == 0 {
		onDone(copyCompleted)
		return nil
	}
	c.resetAndNotify(copyCompleted)
	c.pending = &pendingCopy{inst, buf, onCopy, onDone}
	return nil
}

// futureCopy is SharedFutureImpl.read (write false) and write.
func (c *asyncChan) futureCopy(inst *state, buf *copyBuffer, write bool, onDone func(uint32)) error {
	if write && c.dropped {
		onDone(copyDropped)
		return nil
	}
	p := c.pending
	if p == nil {
		c.pending = &pendingCopy{inst: inst, buf: buf, onDone: onDone}
		return nil
	}
	if err := c.sameInstance(inst); err != nil {
		return err
	}
	src, dst := p.buf, buf
	if write {
		src, dst = buf, p.buf
	}
	if err := copyElems(src, dst, 1); err != nil {
		return err
	}
	c.resetAndNotify(copyCompleted)
	onDone(copyCompleted)
	return nil
}

// copyBuffer is a guest's buffer of a copy (BufferGuestImpl): length
// elements of type t at ptr in cx's memory, progress of them copied; or,
// when host is set, Go's (its elements from progress on).
type copyBuffer struct {
	cx                    *canonabi.Cx
	t                     wit.Type
	size                  uint32
	ptr, progress, length uint32
	host                  *hostBuf
}

func newCopyBuffer(cx *canonabi.Cx, t wit.Type, ptr, n uint32) (*copyBuffer, error) {
	if n > maxCopyLength {
		return nil, &canonabi.Trap{Reason: fmt.Sprintf("the buffer's length %d is more than %d", n, maxCopyLength)}
	}
	b := &copyBuffer{cx: cx, t: t, ptr: ptr, length: n}
	if t != nil {
		l := canonabi.LayoutOf(t)
		b.size = l.Size
		if n > 0 {
			if ptr%l.Align != 0 {
				return nil, &canonabi.Trap{Reason: fmt.Sprintf("the buffer at %#x is not aligned to %d", ptr, l.Align)}
			}
			var size uint64
			if cx.Memory != nil {
				size = uint64(cx.Memory.Size())
			}
			if uint64(ptr)+uint64(n)*uint64(l.Size) > size {
				return nil, &canonabi.Trap{Reason: fmt.Sprintf("the buffer of %d elements at %#x is out of bounds (memory size %#x)", n, ptr, size)}
			}
		}
	}
	return b, nil
}

func (b *copyBuffer) remain() uint32 { return b.length - b.progress }

// copyElems moves n elements from src to dst: the bytes of numbers, the
// values of other types lifted from src's memory and lowered into dst's
// (strings transcoded, handles transferred between the tables).
func copyElems(src, dst *copyBuffer, n uint32) error {
	if n == 0 {
		return nil
	}
	if src.t != nil {
		if numberType(src.t) {
			size := n * src.size
			var b []byte
			if src.host != nil {
				off := src.progress * src.size
				b = src.host.bytes[off : off+size]
			} else {
				var ok bool
				if b, ok = src.cx.Memory.Read(src.ptr, size); !ok {
					return &canonabi.Trap{Reason: "a stream's buffer is out of bounds"}
				}
			}
			if dst.host != nil {
				copy(dst.host.bytes[dst.progress*dst.size:], b)
			} else if !dst.cx.Memory.Write(dst.ptr, b) {
				return &canonabi.Trap{Reason: "a stream's buffer is out of bounds"}
			}
		} else {
			var vs []canonabi.Value
			if src.host != nil {
				vs = src.host.vals[src.progress : src.progress+n]
			} else {
				vs = make([]canonabi.Value, n)
				for i := range vs {
					v, err := src.cx.Load(src.t, src.ptr+uint32(i)*src.size)
					if err != nil {
						return err
					}
					vs[i] = v
				}
			}
			if dst.host != nil {
				holdValues(vs)
				copy(dst.host.vals[dst.progress:], vs)
			} else {
				dst.cx.Source = src.cx
				for i, v := range vs {
					if err := dst.cx.Store(dst.t, dst.ptr+uint32(i)*dst.size, v); err != nil {
						return err
					}
				}
			}
		}
		src.ptr += n * src.size
		dst.ptr += n * dst.size
	}
	src.progress += n
	dst.progress += n
	return nil
}

// copyEnd is one end of a stream or future in an instance's table
// (ReadableStreamEnd, WritableStreamEnd, ReadableFutureEnd,
// WritableFutureEnd).
type copyEnd struct {
	waitable
	ch         *asyncChan
	writable   bool
	state      copyState
	syncWaiter bool // a synchronous copy or cancel waits for its event
}

func (e *copyEnd) copying() bool { return e.state == copyCopying || e.state == copyCancelling }

func (e *copyEnd) kind() string {
	return endKind(e.ch.future, e.writable)
}

func endKind(future, writable bool) string {
	s := "readable "
	if writable {
		s = "writable "
	}
	if future {
		return s + "future end"
	}
	return s + "stream end"
}

// takeEvent removes and returns the end's pending event.
func (w *waitable) takeEvent() event {
	p := w.pending
	w.pending = nil
	return p()
}

// end returns entry i of the table, which must be an end of the kind
// given, with element type t.
func (t *handleTable) end(i uint32, future, writable bool, elem wit.Type) (*copyEnd, error) {
	o, err := t.object(i)
	if err != nil {
		return nil, err
	}
	e, ok := o.(*copyEnd)
	if !ok || e.ch.future != future || e.writable != writable {
		return nil, &canonabi.Trap{Reason: fmt.Sprintf("handle %d is a %s, not a %s", i, objName(o), endKind(future, writable))}
	}
	if !sameElem(e.ch.t, elem) {
		return nil, &canonabi.Trap{Reason: fmt.Sprintf("handle %d is a %s of another element type", i, e.kind())}
	}
	return e, nil
}

func sameElem(a, b wit.Type) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return wit.SameType(a, b, "element") == nil
}

// asyncKind tells a stream type from a future type and gives its element
// type.
func asyncKind(k wit.TypeDefKind) (future bool, elem wit.Type) {
	switch k := k.(type) {
	case *wit.Future:
		return true, k.Type
	case *wit.Stream:
		return false, k.Type
	}
	return false, nil
}

// LiftAsync takes the readable end i out of the instance's table
// (lift_stream, lift_future): the value is a *StreamReader or a
// *FutureReader of its channel, which Go holds if it reaches Go
// (holdValues).
func (h *handles) LiftAsync(k wit.TypeDefKind, i uint32) (canonabi.Value, error) {
	future, elem := asyncKind(k)
	t := &h.st.table
	e, err := t.end(i, future, false, elem)
	if err != nil {
		return nil, err
	}
	if e.state != copyIdle {
		return nil, &canonabi.Trap{Reason: fmt.Sprintf("the %s %d cannot be passed: it is copying or done", e.kind(), i)}
	}
	if e.set != nil {
		return nil, &canonabi.Trap{Reason: fmt.Sprintf("the %s %d cannot be passed: it is in a waitable set", e.kind(), i)}
	}
	t.removeObject(i)
	if future {
		return &FutureReader{goEnd{ch: e.ch}}, nil
	}
	return &StreamReader{goEnd{ch: e.ch}}, nil
}

// LowerAsync adds a readable end of channel v to the instance's table
// (lower_stream, lower_future).
func (h *handles) LowerAsync(k wit.TypeDefKind, v canonabi.Value) (uint32, error) {
	future, elem := asyncKind(k)
	var e *goEnd
	switch v := v.(type) {
	case *StreamReader:
		e = &v.goEnd
	case *FutureReader:
		e = &v.goEnd
	}
	if e == nil || e.ch.future != future || !sameElem(e.ch.t, elem) {
		return 0, fmt.Errorf("cannot lower %T as a %s", v, endKind(future, false))
	}
	e.ch.mu.Lock()
	closed := e.closed
	e.ch.mu.Unlock()
	if closed {
		return 0, fmt.Errorf("cannot pass a %s that Go closed or read", endKind(future, false))
	}
	if err := e.ch.bind(h.st.store); err != nil {
		return 0, err
	}
	// The end leaves Go for the instance's table; the value may not be
	// passed again.
	e.release(true)
	return h.st.table.add(handleEntry{obj: &copyEnd{ch: e.ch}})
}

// copyBuiltin defines the stream.* and future.* built-ins.
func (st *state) copyBuiltin(ctx context.Context, f component.Canon) (api.GoModuleFunc, error) {
	name := builtinName(f.Op)
	td, _ := wit.Resolved(st.spaces.ValType(component.ValType{Index: f.Type})).(*wit.TypeDef)
	var k wit.TypeDefKind
	if td != nil {
		k = td.Kind
	}
	future, elem := asyncKind(k)
	isFuture := f.Op >= component.CanonFutureNew && f.Op <= component.CanonFutureDropWritable
	if _, ok := k.(*wit.Stream); !ok && !isFuture || isFuture && !future {
		return nil, fmt.Errorf("%s: type index %d is not a %s type", name, f.Type, map[bool]string{false: "stream", true: "future"}[isFuture])
	}
	fail := func(err error) {
		trap(&TrapError{Func: name, Err: err})
	}
	switch f.Op {
	case component.CanonStreamNew, component.CanonFutureNew:
		return func(_ context.Context, _ api.Module, stack []uint64) {
			st.mayLeave(name)
			ch := &asyncChan{t: elem, future: future, store: st.store}
			ri, err := st.table.add(handleEntry{obj: &copyEnd{ch: ch}})
			if err != nil {
				fail(err)
			}
			wi, err := st.table.add(handleEntry{obj: &copyEnd{ch: ch, writable: true}})
			if err != nil {
				fail(err)
			}
			stack[0] = uint64(ri) | uint64(wi)<<32
		}, nil
	case component.CanonStreamRead, component.CanonStreamWrite, component.CanonFutureRead, component.CanonFutureWrite:
		opts, err := st.resolveOpts(ctx, f.Opts)
		if err != nil {
			return nil, err
		}
		async := false
		for _, o := range f.Opts {
			async = async || o.Kind == component.OptAsync
		}
		write := f.Op == component.CanonStreamWrite || f.Op == component.CanonFutureWrite
		code := uint32(eventStreamRead)
		switch {
		case future && write:
			code = eventFutureWrite
		case future:
			code = eventFutureRead
		case write:
			code = eventStreamWrite
		}
		return func(ctx context.Context, _ api.Module, stack []uint64) {
			st.mayLeave(name)
			i, ptr, n := uint32(stack[0]), uint32(stack[1]), uint32(1)
			if !future {
				n = uint32(stack[2])
			}
			e, err := st.table.end(i, future, write, elem)
			if err != nil {
				fail(err)
			}
			if e.state != copyIdle {
				fail(fmt.Errorf("the %s %d is %s", e.kind(), i, map[bool]string{true: "already copying", false: "done"}[e.copying()]))
			}
			if e.set != nil && !async {
				fail(fmt.Errorf("a synchronous copy on the %s %d, which is in a waitable set", e.kind(), i))
			}
			cx := st.cx(ctx, opts, &handles{st: st})
			buf, err := newCopyBuffer(cx, elem, ptr, n)
			if err != nil {
				fail(err)
			}
			if future {
				onDone := func(result uint32) {
					e.pending = func() event {
						if result == copyDropped || result == copyCompleted {
							e.state = copyDone
						} else {
							e.state = copyIdle
						}
						return event{code, i, result}
					}
				}
				e.state = copyCopying
				err = e.ch.futureCopy(st, buf, write, onDone)
			} else {
				ev := func(result uint32, reclaim func()) event {
					if reclaim != nil {
						reclaim()
					}
					if result == copyDropped {
						e.state = copyDone
					} else {
						e.state = copyIdle
					}
					return event{code, i, result | buf.progress<<4}
				}
				onCopy := func(reclaim func()) {
					e.pending = func() event { return ev(copyCompleted, reclaim) }
				}
				onDone := func(result uint32) {
					e.pending = func() event { return ev(result, nil) }
				}
				e.state = copyCopying
				err = e.ch.streamCopy(st, buf, write, onCopy, onDone)
			}
			if err != nil {
				fail(err)
			}
			if e.pending == nil {
				if async {
					stack[0] = copyBlocked
					return
				}
				st.waitEnd(ctx, e, name)
			}
			stack[0] = uint64(e.takeEvent().p2)
		}, nil
	case component.CanonStreamCancelRead, component.CanonStreamCancelWrite, component.CanonFutureCancelRead, component.CanonFutureCancelWrite:
		write := f.Op == component.CanonStreamCancelWrite || f.Op == component.CanonFutureCancelWrite
		async := f.Flag
		return func(ctx context.Context, _ api.Module, stack []uint64) {
			st.mayLeave(name)
			i := uint32(stack[0])
			e, err := st.table.end(i, future, write, elem)
			if err != nil {
				fail(err)
			}
			if e.state != copyCopying {
				fail(fmt.Errorf("the %s %d has no copy to cancel", e.kind(), i))
			}
			if e.syncWaiter {
				fail(fmt.Errorf("a synchronous copy waits on the %s %d", e.kind(), i))
			}
			if e.set != nil && !async {
				fail(fmt.Errorf("a synchronous cancel on the %s %d, which is in a waitable set", e.kind(), i))
			}
			e.state = copyCancelling
			if e.pending == nil {
				e.ch.cancel()
				if e.pending == nil {
					if async {
						stack[0] = copyBlocked
						return
					}
					st.waitEnd(ctx, e, name)
				}
			}
			stack[0] = uint64(e.takeEvent().p2)
		}, nil
	default: // drop-readable, drop-writable
		writable := f.Op == component.CanonStreamDropWritable || f.Op == component.CanonFutureDropWritable
		return func(_ context.Context, _ api.Module, stack []uint64) {
			st.mayLeave(name)
			i := uint32(stack[0])
			e, err := st.table.end(i, future, writable, elem)
			if err != nil {
				fail(err)
			}
			if future && writable && e.state != copyDone {
				fail(fmt.Errorf("the writable future end %d is dropped before a value was written to it", i))
			}
			if e.copying() {
				fail(fmt.Errorf("the %s %d is dropped while it copies", e.kind(), i))
			}
			st.table.removeObject(i)
			e.ch.drop()
			e.join(nil)
		}, nil
	}
}

// waitEnd waits, running the other tasks, until end e has an event
// (Waitable.wait_for_pending_event).
func (st *state) waitEnd(ctx context.Context, e *copyEnd, name string) {
	e.syncWaiter = true
	ok, err := st.store.runUntil(ctx, func() bool { return e.pending != nil })
	e.syncWaiter = false
	if err != nil {
		trap(err)
	}
	if !ok {
		trap(deadlock(name))
	}
}

// callerCouldGoOn is the failure of a wait that no task can end: when a
// caller further down the Go stack could go on (an async caller of the
// code that waits, or a caller whose callee has returned), the spec would
// switch to it, which witc cannot do (wazero has no stack switching);
// else it is nil (a deadlock, which the waiter traps on).
func (s *asyncStore) callerCouldGoOn() error {
	for _, done := range s.below[:len(s.below)-1] {
		if done() {
			return &UnsupportedError{Msg: "the code blocks while a caller further down the stack could go on, which needs a switch of stacks (wazero has none)"}
		}
	}
	return nil
}

// withCallerBelow runs f for an async caller, which could go on were f to
// block.
func (s *asyncStore) withCallerBelow(f func() error) error {
	return s.withCaller(func() bool { return true }, f)
}

// withCaller runs f for a caller that could go on once cond holds.
func (s *asyncStore) withCaller(cond func() bool, f func() error) error {
	s.below = append(s.below, cond)
	defer func() { s.below = s.below[:len(s.below)-1] }()
	return f()
}
