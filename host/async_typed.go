package host

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"

	"github.com/witc-dev/witc/canonabi"
	"github.com/witc-dev/witc/wit"
)

// Typed streams, futures and error-contexts for the bindings `witc
// bindgen` generates. The generated code cannot name WIT types (it does
// not import package wit), so a stream or future that Go makes is a
// source that becomes a channel only when it is passed to a guest, where
// its WIT type is known: CallTyped (a call of an export) and
// ImportedTypes.Link (the results of a host function) make the channel
// and start copying the source into it.
//
// A stream<u8> is a *ByteStream (an io.ReadCloser), any other stream<T>
// a *Stream[T], a future<T> a *Future[T] (a stream or future without a
// type: T is struct{}), an error-context an ErrorContext.

// pending is a stream or future that Go made and that becomes a channel
// of type t when it is passed to a guest.
type pending struct {
	start func(t wit.Type) canonabi.Value
}

// ByteStream is a stream<u8>: an io.ReadCloser. One received from a
// guest reads the guest's bytes; one made by NewByteStream is copied
// into the guest from its io.Reader (and can be read in Go as well,
// which reads that io.Reader).
type ByteStream struct {
	r   *StreamReader
	src io.Reader
}

// NewByteStream makes a stream<u8> that Go passes to a guest: a
// goroutine copies src into it, then closes it at EOF (an error of src
// closes it too; the guest sees the stream end).
func NewByteStream(src io.Reader) *ByteStream { return &ByteStream{src: src} }

// ByteStreamOf is the *ByteStream of the dynamic value v of a stream<u8>
// (a *StreamReader).
func ByteStreamOf(v canonabi.Value) *ByteStream {
	r, _ := v.(*StreamReader)
	return &ByteStream{r: r}
}

// Read reads the stream's bytes; io.EOF when the writer closed it.
func (s *ByteStream) Read(p []byte) (int, error) {
	switch {
	case s == nil:
		return 0, io.EOF
	case s.r != nil:
		return s.r.Read(p)
	case s.src != nil:
		return s.src.Read(p)
	}
	return 0, io.EOF
}

// Close drops the stream: its writer sees it dropped.
func (s *ByteStream) Close() error {
	switch {
	case s == nil:
		return nil
	case s.r != nil:
		return s.r.Close()
	}
	if c, ok := s.src.(io.Closer); ok {
		return c.Close()
	}
	return nil
}

// Reader is the dynamic end of a stream received from a guest (nil for
// one made by NewByteStream).
func (s *ByteStream) Reader() *StreamReader { return s.r }

// Value is the stream's dynamic value, for a call: the StreamReader it
// was received as, or a source that CallTyped turns into a stream.
func (s *ByteStream) Value() canonabi.Value {
	if s == nil {
		return nil
	}
	if s.r != nil {
		return s.r
	}
	src := s.src
	return &pending{start: func(t wit.Type) canonabi.Value {
		w, r := NewStream(t)
		go func() {
			defer w.Close()
			if src != nil {
				io.Copy(w, src)
			}
		}()
		return r
	}}
}

// Stream is a stream<T>. One received from a guest reads the guest's
// elements (All, Read); one made by StreamOf, StreamFrom or NewStreamPipe
// is copied into the guest by a goroutine, which closes it at the end.
type Stream[T any] struct {
	r    *StreamReader
	from func(canonabi.Value) T
	seq  iter.Seq2[T, error]
}

// StreamOf makes a stream<T> of the elements vs.
func StreamOf[T any](vs ...T) *Stream[T] {
	return StreamFrom(func(yield func(T, error) bool) {
		for _, v := range vs {
			if !yield(v, nil) {
				return
			}
		}
	})
}

// StreamFrom makes a stream<T> of the elements of seq, which ends the
// stream at its end or at its first error.
func StreamFrom[T any](seq iter.Seq2[T, error]) *Stream[T] { return &Stream[T]{seq: seq} }

// StreamSink is the writing side of a stream<T> made by NewStreamPipe.
type StreamSink[T any] struct {
	ch   chan T
	done chan struct{}
}

// Write writes the elements vs, waiting until the stream takes each; it
// fails with io.ErrClosedPipe when the stream was dropped.
func (w *StreamSink[T]) Write(vs ...T) error {
	for _, v := range vs {
		select {
		case w.ch <- v:
		case <-w.done:
			return io.ErrClosedPipe
		}
	}
	return nil
}

// Close ends the stream.
func (w *StreamSink[T]) Close() error {
	defer func() { recover() }() // closed twice
	close(w.ch)
	return nil
}

// NewStreamPipe makes a stream<T> that Go writes to through the sink
// while the guest reads it.
func NewStreamPipe[T any]() (*StreamSink[T], *Stream[T]) {
	w := &StreamSink[T]{ch: make(chan T), done: make(chan struct{})}
	return w, StreamFrom(func(yield func(T, error) bool) {
		defer close(w.done)
		for v := range w.ch {
			if !yield(v, nil) {
				return
			}
		}
	})
}

// StreamOfValue is the *Stream[T] of the dynamic value v of a stream<T>
// (a *StreamReader), its elements converted by from.
func StreamOfValue[T any](v canonabi.Value, from func(canonabi.Value) T) *Stream[T] {
	r, _ := v.(*StreamReader)
	return &Stream[T]{r: r, from: from}
}

// Read reads up to len(buf) elements; io.EOF once the writer closed the
// stream.
func (s *Stream[T]) Read(buf []T) (n int, err error) {
	if s == nil || s.r == nil {
		return 0, errors.New("host: only a stream received from a guest is read with Read (use All)")
	}
	defer canonabi.Catch(&err)
	vals := make([]canonabi.Value, len(buf))
	n, err = s.r.ReadValues(vals)
	for i := range n {
		buf[i] = s.from(vals[i])
	}
	return n, err
}

// All yields the stream's elements until its end (without an error) or
// a failure (with it). A stream made in Go yields its own elements.
func (s *Stream[T]) All() iter.Seq2[T, error] {
	if s == nil {
		return func(func(T, error) bool) {}
	}
	if s.r == nil {
		return s.seq
	}
	return func(yield func(T, error) bool) {
		buf := make([]T, 64)
		for {
			n, err := s.Read(buf)
			for _, v := range buf[:n] {
				if !yield(v, nil) {
					return
				}
			}
			if err == io.EOF {
				return
			}
			if err != nil {
				var zero T
				yield(zero, err)
				return
			}
		}
	}
}

// Close drops a stream received from a guest.
func (s *Stream[T]) Close() error {
	if s != nil && s.r != nil {
		return s.r.Close()
	}
	return nil
}

// Reader is the dynamic end of a stream received from a guest (nil for
// one made in Go).
func (s *Stream[T]) Reader() *StreamReader { return s.r }

// StreamValue is the dynamic value of s for a call, its elements
// converted by to.
func StreamValue[T any](s *Stream[T], to func(T) canonabi.Value) canonabi.Value {
	if s == nil {
		return nil
	}
	if s.r != nil {
		return s.r
	}
	seq := s.seq
	return &pending{start: func(t wit.Type) canonabi.Value {
		w, r := NewStream(t)
		go func() {
			defer w.Close()
			if seq == nil {
				return
			}
			for v, err := range seq {
				if err != nil {
					return
				}
				if _, err := w.WriteValues([]canonabi.Value{to(v)}); err != nil {
					return
				}
			}
		}()
		return r
	}}
}

// Future is a future<T>. One received from a guest gives the value the
// guest writes (Get); one made by FutureOf or FutureFunc is written to
// the guest by a goroutine.
type Future[T any] struct {
	r    *FutureReader
	from func(canonabi.Value) T
	get  func() (T, error)
}

// FutureOf makes a future<T> of v.
func FutureOf[T any](v T) *Future[T] { return FutureFunc(func() (T, error) { return v, nil }) }

// FutureFunc makes a future<T> whose value f returns; it runs on a
// goroutine once the future is passed to a guest. An error of f drops
// the future without a value.
func FutureFunc[T any](f func() (T, error)) *Future[T] { return &Future[T]{get: f} }

// FutureOfValue is the *Future[T] of the dynamic value v of a future<T>
// (a *FutureReader), its value converted by from.
func FutureOfValue[T any](v canonabi.Value, from func(canonabi.Value) T) *Future[T] {
	r, _ := v.(*FutureReader)
	return &Future[T]{r: r, from: from}
}

// Get waits for the future's value; ErrFutureDropped when its writer
// dropped it without a value. When ctx is done first, Get returns
// ctx.Err() and the value, if it comes, is lost. A future is read once.
func (f *Future[T]) Get(ctx context.Context) (v T, err error) {
	if f == nil {
		return v, ErrFutureDropped
	}
	if f.r == nil {
		if f.get == nil {
			return v, ErrFutureDropped
		}
		return f.get()
	}
	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1)
	go func() {
		var res result
		defer func() { done <- res }()
		defer canonabi.Catch(&res.err)
		x, err := f.r.Read()
		if err != nil {
			res.err = err
			return
		}
		res.v = f.from(x)
	}()
	select {
	case res := <-done:
		return res.v, res.err
	case <-ctx.Done():
		return v, ctx.Err()
	}
}

// Close drops a future received from a guest.
func (f *Future[T]) Close() error {
	if f != nil && f.r != nil {
		return f.r.Close()
	}
	return nil
}

// Reader is the dynamic end of a future received from a guest (nil for
// one made in Go).
func (f *Future[T]) Reader() *FutureReader { return f.r }

// FutureValue is the dynamic value of f for a call, its value converted
// by to.
func FutureValue[T any](f *Future[T], to func(T) canonabi.Value) canonabi.Value {
	if f == nil {
		return nil
	}
	if f.r != nil {
		return f.r
	}
	get := f.get
	return &pending{start: func(t wit.Type) canonabi.Value {
		w, r := NewFuture(t)
		go func() {
			v, err := get()
			if err != nil {
				w.Close()
				return
			}
			if err := w.Write(to(v)); err != nil {
				w.Close()
			}
		}()
		return r
	}}
}

// ErrorContext is an error-context: a guest's error with the debug
// message it was made with (error-context.new). The zero ErrorContext
// has none and cannot be passed to a guest.
type ErrorContext struct {
	e *errorContext
}

// NewErrorContext makes an error-context with debug message msg.
func NewErrorContext(msg string) ErrorContext { return ErrorContext{&errorContext{msg: msg}} }

// ErrorContextOf is the ErrorContext of the dynamic value v of an
// error-context.
func ErrorContextOf(v canonabi.Value) ErrorContext {
	e, _ := v.(*errorContext)
	return ErrorContext{e}
}

// Message is the debug message ("" for the zero ErrorContext).
func (e ErrorContext) Message() string {
	if e.e == nil {
		return ""
	}
	return e.e.msg
}

// Error is the debug message: an ErrorContext is an error.
func (e ErrorContext) Error() string { return "error-context: " + e.Message() }

// Value is the dynamic value of the error-context.
func (e ErrorContext) Value() canonabi.Value {
	if e.e == nil {
		canonabi.Abort(canonabi.ErrNilValue)
	}
	return e.e
}

// start turns the streams and futures that Go made in v, of type t, into
// channels of their WIT types.
func start(t wit.Type, v canonabi.Value, depth int) canonabi.Value {
	if depth > 100 || v == nil {
		return v
	}
	if p, ok := v.(*pending); ok {
		_, _, elem := wit.StreamOrFuture(t)
		return p.start(elem)
	}
	td, ok := wit.Resolved(t).(*wit.TypeDef)
	if !ok || !hasAsync(td, 0) {
		return v
	}
	each := func(ts func(i int) wit.Type, vs []canonabi.Value) {
		for i := range vs {
			vs[i] = start(ts(i), vs[i], depth+1)
		}
	}
	switch k := td.Kind.(type) {
	case *wit.Alias:
		return start(k.Type, v, depth+1)
	case *wit.Record:
		if r, ok := v.(canonabi.Record); ok && len(r) == len(k.Fields) {
			each(func(i int) wit.Type { return k.Fields[i].Type }, r)
		}
	case *wit.Tuple:
		if r, ok := v.(canonabi.Tuple); ok && len(r) == len(k.Types) {
			each(func(i int) wit.Type { return k.Types[i] }, r)
		}
	case *wit.List:
		if r, ok := v.(canonabi.List); ok {
			each(func(int) wit.Type { return k.Elem }, r)
		}
	case *wit.FixedList:
		if r, ok := v.(canonabi.List); ok {
			each(func(int) wit.Type { return k.Elem }, r)
		}
	case *wit.Map:
		if r, ok := v.(canonabi.List); ok {
			kv := []wit.Type{k.Key, k.Value}
			for _, e := range r {
				if tu, ok := e.(canonabi.Tuple); ok && len(tu) == 2 {
					each(func(i int) wit.Type { return kv[i] }, tu)
				}
			}
		}
	case *wit.Option, *wit.Result, *wit.Variant:
		vv, ok := v.(canonabi.Variant)
		if !ok {
			return v
		}
		var ct wit.Type
		switch k := k.(type) {
		case *wit.Option:
			if vv.Case == 1 {
				ct = k.Type
			}
		case *wit.Result:
			if vv.Case == 0 {
				ct = k.OK
			} else {
				ct = k.Err
			}
		case *wit.Variant:
			if int(vv.Case) < len(k.Cases) {
				ct = k.Cases[vv.Case].Type
			}
		}
		if ct != nil {
			vv.Payload = start(ct, vv.Payload, depth+1)
		}
		return vv
	}
	return v
}

// CallTyped calls f with args as Func.Call does, after turning the
// streams and futures Go made (ByteStream.Value, StreamValue,
// FutureValue) into channels of the parameters' types. An async export
// whose call ctx ends returns ctx.Err().
func CallTyped(ctx context.Context, f *Func, args ...canonabi.Value) ([]canonabi.Value, error) {
	ps := f.Type().Params
	if len(args) == len(ps) {
		for i, p := range ps {
			args[i] = start(p.Type, args[i], 0)
		}
	}
	return f.Call(ctx, args...)
}

// ImportedTypes are the WIT types of a compiled component's imports:
// bindings register the host functions that take or return streams,
// futures or error-contexts, and the async ones, with the types the
// component imports them with (Link).
type ImportedTypes struct {
	it importTypes
}

// InstantiateTyped is Runtime.Instantiate with link called between
// compiling the component and instantiating it, with the types of its
// imports.
func (rt *Runtime) InstantiateTyped(ctx context.Context, l *Linker, b []byte, link func(*ImportedTypes) error) (*Instance, error) {
	return rt.instantiate(ctx, l, b, func(cc *Compiled) error {
		return link(&ImportedTypes{it: importTypes{decode: cc.types.WIT}})
	})
}

// Link defines function name of interface iface ("" for a function the
// world imports by itself) on l with f, with the type the component
// imports it with, which must have the shape (canonabi.Shape) the
// bindings were generated for: with AsyncFunc when blocking, else Func.
// The streams and futures of f's results that Go made become channels
// of the result's type. A function the component does not import (at a
// semver-compatible version of iface) is not defined.
func (it *ImportedTypes) Link(l *Linker, iface, name, shape string, blocking bool, f HostFunc) error {
	typ, err := it.it.function(iface, name)
	if err != nil && iface != "" && it.it.err == nil {
		// The component may import the interface at a semver-compatible
		// version.
		var names []string
		for n := range it.it.items {
			names = append(names, n)
		}
		if n := wit.MatchName(iface, names, false); n != "" {
			typ, err = it.it.function(n, name)
		}
	}
	if err != nil {
		return nil // not imported: nothing to link
	}
	if got := canonabi.Shape(typ); got != shape {
		imp := iface
		if imp == "" {
			imp = name
		}
		return &LinkError{Import: imp, Msg: fmt.Sprintf("function `%s` is imported with the type %s, but the host implements %s", name, got, shape)}
	}
	g := func(ctx context.Context, args []canonabi.Value) (res []canonabi.Value, err error) {
		defer canonabi.Catch(&err)
		res, err = f(ctx, args)
		if err == nil && typ.Result != nil && len(res) == 1 {
			res[0] = start(typ.Result, res[0], 0)
		}
		return res, err
	}
	if blocking {
		l.AsyncFunc(iface, name, typ, g)
	} else {
		l.Func(iface, name, typ, g)
	}
	return nil
}
