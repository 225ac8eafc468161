package host

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"

	"github.com/witc-dev/witc/canonabi"
	"github.com/witc-dev/witc/wit"
)

// Go's side of the async ABI: streams and futures one end of which Go
// holds (StreamReader, StreamWriter, FutureReader, FutureWriter), and
// host functions that block without blocking the guest's other tasks.
//
// A component's tasks run on whichever goroutine holds the instance's
// call lock (the "driver"): the host calling an export, a call of an
// async export waiting for its result, or a goroutine waiting on a Go
// end when no call runs. Goroutines never touch the
// store themselves: an operation on a Go end is posted to the store
// (asyncStore.post) and carried out by the driver between two steps of
// its tasks, and the goroutine waits for its outcome. A driver that has
// nothing to run waits for a post rather than reporting a deadlock while
// Go holds an end or runs a host function (extQueue.held): Go may still
// act on it. Such a wait ends when the instance is closed or the call's
// context is done.
//
// In the dynamic API (canonabi.Value), a stream<T> is a *StreamReader
// and a future<T> a *FutureReader: what a guest passes to Go (host
// function arguments, export results) arrives so, and what Go passes to
// a guest is one of these, made by NewStream or NewFuture or received
// before. A stream's elements cross as canonabi values; a stream<u8>
// also as bytes (StreamReader is an io.Reader, StreamWriter an
// io.Writer).

// ErrFutureDropped is what FutureReader.Read returns when the writer
// dropped the future without writing a value.
var ErrFutureDropped = errors.New("the future's writer dropped it without writing a value")

// extQueue is the store's mailbox for other goroutines.
type extQueue struct {
	mu  sync.Mutex
	ops []func() error
	// wake is closed (and replaced) by each post: every waiter sees it.
	wake chan struct{}
	// held counts the Go ends bound to this store that Go holds and the
	// host functions running on goroutines of their own: while it is not
	// zero, a driver with nothing to run waits for a post.
	held atomic.Int64
	// calls counts the host's calls in progress that may make another go
	// on: the async export calls (callAsyncExport) and the calls waiting
	// for the call lock; idlers counts the async export calls waiting,
	// having found nothing to run. A call that finds nothing to run while
	// every other one is idle, and Go holds nothing, is deadlocked.
	calls, idlers atomic.Int64
	started       atomic.Int64 // the calls ever counted in calls
	// closed is closed when the instance is closed.
	closed    chan struct{}
	closeOnce sync.Once
	ctx       context.Context // the guest code a goroutine drives runs with it
}

func (s *asyncStore) init(ctx context.Context, lock *callLock) {
	s.lock = lock
	s.ext.closed = make(chan struct{})
	s.ext.ctx = context.WithoutCancel(ctx)
}

// close ends every wait on the store (Instance.Close).
func (s *asyncStore) close() {
	s.ext.closeOnce.Do(func() { close(s.ext.closed) })
}

// post queues op for the driver and wakes whoever waits.
func (s *asyncStore) post(op func() error) {
	s.ext.mu.Lock()
	s.ext.ops = append(s.ext.ops, op)
	w := s.ext.wake
	s.ext.wake = nil
	s.ext.mu.Unlock()
	if w != nil {
		close(w)
	}
}

// kick wakes whoever waits on woken, without posting.
func (s *asyncStore) kick() {
	s.ext.mu.Lock()
	w := s.ext.wake
	s.ext.wake = nil
	s.ext.mu.Unlock()
	if w != nil {
		close(w)
	}
}

// wakeIdle kicks when async export calls wait idle: whoever released the
// call lock may have made their tasks ready.
func (s *asyncStore) wakeIdle() {
	if s.ext.idlers.Load() > 0 {
		s.kick()
	}
}

func (s *asyncStore) enterCall() {
	s.ext.calls.Add(1)
	s.ext.started.Add(1)
}

func (s *asyncStore) leaveCall() {
	s.ext.calls.Add(-1)
	s.wakeIdle()
}

// woken returns a channel closed by the next post.
func (s *asyncStore) woken() <-chan struct{} {
	s.ext.mu.Lock()
	defer s.ext.mu.Unlock()
	if s.ext.wake == nil {
		s.ext.wake = make(chan struct{})
	}
	return s.ext.wake
}

// drain runs the posted operations; it reports whether there were any.
func (s *asyncStore) drain() (bool, error) {
	s.ext.mu.Lock()
	ops := s.ext.ops
	s.ext.ops = nil
	s.ext.mu.Unlock()
	for i, op := range ops {
		if err := op(); err != nil {
			s.ext.mu.Lock()
			s.ext.ops = append(ops[i+1:len(ops):len(ops)], s.ext.ops...)
			s.ext.mu.Unlock()
			return true, err
		}
	}
	return len(ops) > 0, nil
}

// idle waits, without the lock held by the caller being released, for a
// post, while Go holds something that may post; it reports false when
// nothing can come (no Go end held, no host function running).
func (s *asyncStore) idle(ctx context.Context, wake <-chan struct{}) (bool, error) {
	if s.ext.held.Load() <= 0 {
		return false, nil
	}
	select {
	case <-wake:
		return true, nil
	case <-ctx.Done():
		return false, ctx.Err()
	case <-s.ext.closed:
		return false, ErrClosed
	}
}

// do posts op and waits until it calls done (or fails). When no call
// runs in the instance, the waiting goroutine drives its tasks itself.
func (s *asyncStore) do(op func(done func()) error) error {
	fin := make(chan struct{})
	var once sync.Once
	finish := func() { once.Do(func() { close(fin) }) }
	var opErr error
	s.post(func() error {
		if err := op(finish); err != nil {
			opErr = err
			finish()
		}
		return nil
	})
	finished := func() bool {
		select {
		case <-fin:
			return true
		default:
			return false
		}
	}
	for {
		wake := s.woken()
		if finished() {
			return opErr
		}
		select {
		case <-s.ext.closed:
			return ErrClosed
		default:
		}
		if s.lock.mu.TryLock() {
			progressed, err := s.drive(finished)
			s.lock.mu.Unlock()
			if progressed {
				s.wakeIdle()
			}
			if err != nil {
				return err
			}
			if progressed {
				continue
			}
		}
		// Someone else drives (they drain the post), or nothing can run
		// until another post.
		select {
		case <-fin:
		case <-wake:
		case <-s.ext.closed:
			return ErrClosed
		}
	}
}

// drive runs posted operations and ready tasks, under the call lock,
// until done holds or nothing is left to run; it reports whether it ran
// anything.
func (s *asyncStore) drive(done func() bool) (bool, error) {
	if s.lock.closed {
		return false, ErrClosed
	}
	progressed := false
	for !done() {
		drained, err := s.drain()
		if err != nil {
			return true, err
		}
		ran, err := s.step(s.ext.ctx)
		if err != nil {
			return true, err
		}
		if !drained && !ran {
			break
		}
		progressed = true
	}
	return progressed, nil
}

// goEnd is an end of a stream or future that Go holds.
type goEnd struct {
	ch       *asyncChan
	writable bool
	// Under ch.mu: held says Go holds the end (it is counted in the
	// store's held once the channel is bound to a store); closed that
	// Go dropped it.
	held, closed bool
	busy         bool // a copy of Go's runs on the end
}

// NewStream makes a stream of elem (nil: a stream without elements),
// both ends held by Go: the reader is passed to a guest (as an argument
// of an export or the result of a host function) and Go writes to the
// writer. Operations on the writer wait until the reader is in a guest.
func NewStream(elem wit.Type) (*StreamWriter, *StreamReader) {
	ch := newGoChan(elem, false)
	return &StreamWriter{goEnd{ch: ch, writable: true, held: true}}, &StreamReader{goEnd{ch: ch, held: true}}
}

// NewFuture makes a future of elem (nil: a future without a value),
// both ends held by Go, like NewStream.
func NewFuture(elem wit.Type) (*FutureWriter, *FutureReader) {
	ch := newGoChan(elem, true)
	return &FutureWriter{goEnd{ch: ch, writable: true, held: true}}, &FutureReader{goEnd{ch: ch, held: true}}
}

func newGoChan(elem wit.Type, future bool) *asyncChan {
	ch := &asyncChan{t: elem, future: future, bound: make(chan struct{})}
	ch.goEnds = 2
	return ch
}

// bind binds the channel to store s when one of its ends enters an
// instance of s; it fails for a channel of another instantiation.
func (c *asyncChan) bind(s *asyncStore) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.store == s {
		return nil
	}
	if c.store != nil {
		return errors.New("the stream or future belongs to another instantiation")
	}
	c.store = s
	s.ext.held.Add(int64(c.goEnds))
	close(c.bound)
	return nil
}

// hold marks the end as held by Go (it reached Go from a guest).
func (e *goEnd) hold() {
	c := e.ch
	c.mu.Lock()
	defer c.mu.Unlock()
	if e.held || e.closed {
		return
	}
	e.held = true
	c.goEnds++
	if c.store != nil {
		c.store.ext.held.Add(1)
	}
}

// release marks the end as no longer held by Go (passed to a guest, or
// closed); it reports whether Go held it.
func (e *goEnd) release(closing bool) bool {
	c := e.ch
	c.mu.Lock()
	defer c.mu.Unlock()
	was := e.held
	if e.held {
		e.held = false
		c.goEnds--
		if c.store != nil {
			c.store.ext.held.Add(-1)
		}
	}
	if closing {
		e.closed = true
	}
	return was
}

// store waits until the channel is bound to a store.
func (e *goEnd) store() (*asyncStore, error) {
	c := e.ch
	c.mu.Lock()
	closed, s, bound := e.closed, c.store, c.bound
	c.mu.Unlock()
	if closed {
		return nil, fmt.Errorf("the %s is closed", endKind(c.future, e.writable))
	}
	if s != nil {
		return s, nil
	}
	if bound == nil {
		return nil, errors.New("the stream or future has no instance")
	}
	<-bound
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.store, nil
}

// copy runs one copy of the end with buf (a read or a write) and waits
// for its result: COMPLETED (some elements copied, buf.progress of them)
// or DROPPED.
func (e *goEnd) copy(buf *copyBuffer) (uint32, error) {
	s, err := e.store()
	if err != nil {
		return 0, err
	}
	e.ch.mu.Lock()
	busy := e.busy
	e.busy = true
	e.ch.mu.Unlock()
	if busy {
		return 0, fmt.Errorf("the %s is already being read or written by another goroutine", endKind(e.ch.future, e.writable))
	}
	defer func() {
		e.ch.mu.Lock()
		e.busy = false
		e.ch.mu.Unlock()
	}()
	var result uint32
	err = s.do(func(done func()) error {
		onDone := func(r uint32) { result = r; done() }
		if e.ch.future {
			return e.ch.futureCopy(nil, buf, e.writable, onDone)
		}
		onCopy := func(reclaim func()) { reclaim(); result = copyCompleted; done() }
		return e.ch.streamCopy(nil, buf, e.writable, onCopy, onDone)
	})
	if err != nil {
		// The copy may still wait in the channel: take it back.
		s.post(func() error {
			if p := e.ch.pending; p != nil && p.buf == buf {
				e.ch.pending = nil
			}
			return nil
		})
	}
	return result, err
}

// closeEnd drops the end: the other end sees it dropped.
func (e *goEnd) closeEnd() error {
	c := e.ch
	c.mu.Lock()
	closed, s := e.closed, c.store
	c.mu.Unlock()
	if closed {
		return nil
	}
	e.release(true)
	if s == nil {
		// Not in an instance yet: nothing waits on it.
		c.dropped = true
		return nil
	}
	s.post(func() error {
		c.drop()
		return nil
	})
	return nil
}

// StreamReader is the readable end of a stream<T> held by Go, or passed
// by Go to a guest.
type StreamReader struct{ goEnd }

// Elem is the stream's element type (nil: none).
func (r *StreamReader) Elem() wit.Type { return r.ch.t }

// Read reads the elements of a stream<u8> (or s8) into p: io.Reader. It
// waits until the writer writes at least one element; it returns io.EOF
// once the writer dropped its end.
func (r *StreamReader) Read(p []byte) (int, error) {
	if !byteType(r.ch.t) {
		return 0, fmt.Errorf("Read on a %s: only streams of u8 or s8 are read as bytes (use ReadValues)", typeName(r.ch.t))
	}
	return r.read(len(p), &hostBuf{bytes: p})
}

// ReadValues reads up to len(vals) elements into vals; it returns how
// many, and io.EOF once the writer dropped its end.
func (r *StreamReader) ReadValues(vals []canonabi.Value) (int, error) {
	hb := &hostBuf{vals: vals}
	if numberType(r.ch.t) && r.ch.t != nil {
		hb.bytes = make([]byte, len(vals)*int(canonabi.LayoutOf(r.ch.t).Size))
	}
	n, err := r.read(len(vals), hb)
	if hb.bytes != nil {
		decodeNumbers(r.ch.t, hb.bytes, vals[:n])
	}
	return n, err
}

func (r *StreamReader) read(n int, hb *hostBuf) (int, error) {
	if n == 0 {
		return 0, nil
	}
	for {
		buf := newHostBuffer(r.ch.t, n, hb)
		res, err := r.copy(buf)
		if err != nil {
			return int(buf.progress), err
		}
		if buf.progress > 0 {
			return int(buf.progress), nil
		}
		if res == copyDropped {
			return 0, io.EOF
		}
	}
}

// Close drops the reader: the writer's next write sees it dropped.
func (r *StreamReader) Close() error { return r.closeEnd() }

// StreamWriter is the writable end of a stream<T> held by Go.
type StreamWriter struct{ goEnd }

// Write writes p to a stream<u8> (or s8): io.Writer. It waits until the
// reader has read all of p, or dropped its end (io.ErrClosedPipe).
func (w *StreamWriter) Write(p []byte) (int, error) {
	if !byteType(w.ch.t) {
		return 0, fmt.Errorf("Write on a %s: only streams of u8 or s8 are written as bytes (use WriteValues)", typeName(w.ch.t))
	}
	return w.write(len(p), &hostBuf{bytes: p})
}

// WriteValues writes vals to the stream, waiting as Write does.
func (w *StreamWriter) WriteValues(vals []canonabi.Value) (int, error) {
	hb := &hostBuf{vals: vals}
	if numberType(w.ch.t) && w.ch.t != nil {
		b, err := encodeNumbers(w.ch.t, vals)
		if err != nil {
			return 0, err
		}
		hb.bytes = b
	}
	return w.write(len(vals), hb)
}

func (w *StreamWriter) write(n int, hb *hostBuf) (int, error) {
	done := 0
	for done < n {
		buf := newHostBuffer(w.ch.t, n, hb)
		buf.progress = uint32(done)
		res, err := w.copy(buf)
		done = int(buf.progress)
		if err != nil {
			return done, err
		}
		if res == copyDropped {
			return done, io.ErrClosedPipe
		}
	}
	return done, nil
}

// Close drops the writer: the reader reads io.EOF (a guest: DROPPED)
// after what was written.
func (w *StreamWriter) Close() error { return w.closeEnd() }

// FutureReader is the readable end of a future<T> held by Go, or passed
// by Go to a guest.
type FutureReader struct{ goEnd }

// Elem is the future's value type (nil: none).
func (r *FutureReader) Elem() wit.Type { return r.ch.t }

// Read waits for the future's value (nil for a future without one);
// ErrFutureDropped when the writer dropped it without writing.
func (r *FutureReader) Read() (canonabi.Value, error) {
	hb := &hostBuf{vals: make([]canonabi.Value, 1)}
	if numberType(r.ch.t) && r.ch.t != nil {
		hb.bytes = make([]byte, canonabi.LayoutOf(r.ch.t).Size)
	}
	buf := newHostBuffer(r.ch.t, 1, hb)
	res, err := r.copy(buf)
	if err != nil {
		return nil, err
	}
	if res == copyDropped || buf.progress == 0 {
		return nil, ErrFutureDropped
	}
	r.release(true)
	if hb.bytes != nil {
		decodeNumbers(r.ch.t, hb.bytes, hb.vals)
	}
	return hb.vals[0], nil
}

// Close drops the reader.
func (r *FutureReader) Close() error { return r.closeEnd() }

// FutureWriter is the writable end of a future<T> held by Go.
type FutureWriter struct{ goEnd }

// Write writes the future's value (nil for a future without one) and
// waits until the reader took it, or dropped its end (io.ErrClosedPipe).
func (w *FutureWriter) Write(v canonabi.Value) error {
	hb := &hostBuf{vals: []canonabi.Value{v}}
	if numberType(w.ch.t) && w.ch.t != nil {
		b, err := encodeNumbers(w.ch.t, hb.vals)
		if err != nil {
			return err
		}
		hb.bytes = b
	}
	buf := newHostBuffer(w.ch.t, 1, hb)
	res, err := w.copy(buf)
	w.release(true)
	if err != nil {
		return err
	}
	if res == copyDropped {
		return io.ErrClosedPipe
	}
	return nil
}

// Close drops the writer; a reader waiting sees the future dropped.
func (w *FutureWriter) Close() error { return w.closeEnd() }

// hostBuf is Go's side of a copy: bytes for numbers (little-endian, as
// in a guest's memory), values for the other types.
type hostBuf struct {
	bytes []byte
	vals  []canonabi.Value
}

func newHostBuffer(t wit.Type, n int, hb *hostBuf) *copyBuffer {
	b := &copyBuffer{t: t, length: uint32(n), host: hb}
	if t != nil {
		b.size = canonabi.LayoutOf(t).Size
	}
	return b
}

func byteType(t wit.Type) bool {
	p, ok := wit.Resolved(t).(wit.Primitive)
	return ok && (p == wit.U8 || p == wit.S8)
}

// decodeNumbers reads numbers of type t from b, as the guest stores them
// (canonabi.LiftScalar of their little-endian bits).
func decodeNumbers(t wit.Type, b []byte, vals []canonabi.Value) {
	p := wit.Resolved(t).(wit.Primitive)
	size := int(canonabi.LayoutOf(t).Size)
	for i := range vals {
		var x uint64
		for j, c := range b[i*size : (i+1)*size] {
			x |= uint64(c) << (8 * j)
		}
		vals[i], _ = canonabi.LiftScalar(p, x) // a number always lifts
	}
}

// encodeNumbers writes numbers of type t as the guest stores them (the
// little-endian bits of canonabi.LowerScalar).
func encodeNumbers(t wit.Type, vals []canonabi.Value) ([]byte, error) {
	p := wit.Resolved(t).(wit.Primitive)
	size := int(canonabi.LayoutOf(t).Size)
	b := make([]byte, len(vals)*size)
	for i, v := range vals {
		x, err := canonabi.LowerScalar(p, v)
		if err != nil {
			return nil, fmt.Errorf("cannot write %T to a stream of %s", v, wit.TypeString(t))
		}
		for j := range size {
			b[i*size+j] = byte(x >> (8 * j))
		}
	}
	return b, nil
}

// holdValues marks the stream and future readers in vals, which reach Go,
// as held by Go.
func holdValues(vals []canonabi.Value) {
	for _, v := range vals {
		holdValue(v)
	}
}

func holdValue(v canonabi.Value) {
	switch v := v.(type) {
	case *StreamReader:
		v.hold()
	case *FutureReader:
		v.hold()
	case canonabi.List:
		holdValues(v)
	case canonabi.Record:
		holdValues(v)
	case canonabi.Tuple:
		holdValues(v)
	case canonabi.Variant:
		holdValue(v.Payload)
	}
}

// hasAsyncValues says whether values of the types may hold streams or
// futures.
func hasAsyncValues(ts []wit.Type) bool {
	for _, t := range ts {
		if hasAsync(t, 0) {
			return true
		}
	}
	return false
}

func hasAsync(t wit.Type, depth int) bool {
	td, ok := wit.Resolved(t).(*wit.TypeDef)
	if !ok || depth > 100 {
		return false
	}
	switch td.Kind.(type) {
	case *wit.Stream, *wit.Future:
		return true
	}
	for _, c := range td.Children() {
		if hasAsync(c, depth+1) {
			return true
		}
	}
	return false
}

// runGo runs host function f on a goroutine of its own and posts finish
// with its outcome (an error of f is finish's to judge); the store waits
// for it meanwhile (held).
func (st *state) runGo(ctx context.Context, f *compFunc, args []canonabi.Value, finish func(res []canonabi.Value, err error) error) {
	s := st.store
	s.ext.held.Add(1)
	// The function runs after the call that started it has returned: it
	// may not call back into the component (its context no longer marks
	// the call lock as held).
	ctx = context.WithValue(ctx, heldKey{}, &held{})
	go func() {
		res, err := f.callHost(ctx, args)
		s.post(func() error {
			s.ext.held.Add(-1)
			return finish(res, err)
		})
	}()
}

// callGo is a synchronous lower of async host function f: the caller
// waits for it, and the other tasks run meanwhile.
func (st *state) callGo(ctx context.Context, f *compFunc, args []canonabi.Value) ([]canonabi.Value, error) {
	var res []canonabi.Value
	done := false
	st.runGo(ctx, f, args, func(r []canonabi.Value, err error) error {
		if err != nil {
			return &TrapError{Func: f.name, Err: err}
		}
		res, done = r, true
		return nil
	})
	ok, err := st.store.runUntil(ctx, func() bool { return done })
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, deadlock(f.name)
	}
	return res, nil
}

// lowerGoAsync is an async lower of async host function f: it returns
// STARTED and the subtask's index; the subtask's RETURNED event is
// pending once f returned and its results are stored at retptr.
// subtask.cancel cancels the context f runs with: f's error then
// resolves the subtask as CANCELLED_BEFORE_RETURNED (results it returns
// anyway resolve it as RETURNED); an error of f not cancelled traps.
func (st *state) lowerGoAsync(ctx context.Context, f *compFunc, args []canonabi.Value, cx *canonabi.Cx, rtypes []wit.Type, retptr uint32) uint32 {
	sub := &subtask{state: subtaskStarted}
	idx, err := st.table.add(handleEntry{obj: sub})
	if err != nil {
		trap(&TrapError{Func: f.name, Err: err})
	}
	gctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	sub.onCancel = func(context.Context, *state) error {
		cancel()
		return nil
	}
	st.runGo(gctx, f, args, func(res []canonabi.Value, err error) error {
		cancel()
		if err != nil {
			if !sub.cancelRequested {
				return &TrapError{Func: f.name, Err: err}
			}
			sub.state = subtaskCancelledBeforeReturned
			sub.pending = func() event {
				sub.delivered = true
				return event{eventSubtask, idx, sub.state}
			}
			return nil
		}
		if len(rtypes) > 0 {
			cx.Source = nil
			if err := cx.StoreValues(rtypes, res, retptr); err != nil {
				return &TrapError{Func: f.name, Err: err}
			}
		}
		sub.state = subtaskReturned
		sub.pending = func() event {
			sub.delivered = true
			return event{eventSubtask, idx, subtaskReturned}
		}
		return nil
	})
	return sub.state | idx<<4
}
