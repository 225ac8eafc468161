package wasi

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/witc-dev/witc/canonabi"
	"github.com/witc-dev/witc/component/check"
	"github.com/witc-dev/witc/host"
	"github.com/witc-dev/witc/wit"
)

// The functions are typed by WASI's own WIT: wasi:cli@0.2.12 and
// wasi:cli@0.3.0 and the packages they depend on, as binary WIT packages
// (`make wasi-wit` builds them with witc from the WASI WIT files).
var (
	//go:embed wit/wasi-0.2.12.wasm
	witPackage []byte
	//go:embed wit/wasi-0.3.0.wasm
	witPackage3 []byte
)

// witInterfaces are the interfaces of WASI's WIT, both versions, by
// qualified name (`wasi:io/streams@0.2.12`), decoded once.
var witInterfaces = sync.OnceValues(func() (map[string]*wit.Interface, error) {
	ifaces := map[string]*wit.Interface{}
	for _, b := range [][]byte{witPackage, witPackage3} {
		res, _, err := check.DecodeWIT(b)
		if err != nil {
			return nil, fmt.Errorf("decoding WASI's WIT: %w", err)
		}
		for name, it := range res.InterfacesByName() {
			ifaces[name] = it
		}
	}
	return ifaces, nil
})

// registrar defines the resources and functions of one WASI interface on
// a linker, each function with its type from WASI's WIT.
type registrar struct {
	l     *host.Linker
	s     *state
	name  string // with the version
	iface *wit.Interface
}

func (s *state) registrar(l *host.Linker, ifaces map[string]*wit.Interface, name string) *registrar {
	return s.registrarAt(l, ifaces, name, Version)
}

// registrarAt is registrar for the interface at version.
func (s *state) registrarAt(l *host.Linker, ifaces map[string]*wit.Interface, name, version string) *registrar {
	name += "@" + version
	it := ifaces[name]
	if it == nil {
		panic(fmt.Sprintf("wasi: WASI's WIT has no interface %s", name))
	}
	return &registrar{l: l, s: s, name: name, iface: it}
}

// resource defines a resource type of the interface.
func (r *registrar) resource(name string, drop func(rep uint32)) *host.ResourceType {
	return r.l.Resource(r.name, name, drop)
}

// alias makes a resource type of another interface that this one `use`s
// available under this interface.
func (r *registrar) alias(name string, rt *host.ResourceType) { r.l.Alias(r.name, name, rt) }

// call is one call of a WASI function: its context and its arguments,
// taken one by one by arg.
type call struct {
	ctx  context.Context
	s    *state
	args []canonabi.Value
	next int
	err  error // the first argument that could not be taken
}

// function is the type WASI's WIT gives function name of the interface.
func (r *registrar) function(name string) *wit.Function {
	typ := r.iface.Function(name)
	if typ == nil {
		panic(fmt.Sprintf("wasi: %s has no function %s", r.name, name))
	}
	return typ
}

// def defines function typ of the interface. body takes its arguments
// from the call and returns its result as a Go value (see value). When
// the function returns a `result`, body's error, if it is a wasiError, is
// the result's error case; any other error traps.
func (r *registrar) def(typ *wit.Function, body func(*call) (any, error)) {
	isResult := isResultKind(typ.Result)
	r.l.Func(r.name, typ.Name, typ, func(ctx context.Context, args []canonabi.Value) ([]canonabi.Value, error) {
		c := call{ctx: ctx, s: r.s, args: args}
		v, err := body(&c)
		var we wasiError
		switch {
		case err == nil && typ.Result == nil:
			return nil, nil
		case err == nil && isResult:
			return []canonabi.Value{canonabi.Variant{Case: 0, Payload: value(v)}}, nil
		case err == nil:
			return []canonabi.Value{value(v)}, nil
		case isResult && errors.As(err, &we):
			return []canonabi.Value{canonabi.Variant{Case: 1, Payload: we.errValue()}}, nil
		}
		return nil, err
	})
}

func isResultKind(t wit.Type) bool {
	td, ok := wit.Resolved(t).(*wit.TypeDef)
	if !ok {
		return false
	}
	_, ok = td.Kind.(*wit.Result)
	return ok
}

// wasiError is an error that a WASI function reports in its result's
// error case (an error-code, a stream-error).
type wasiError interface {
	error
	errValue() canonabi.Value
}

// unit is the Go result of a function that returns nothing, or `result<_, E>`.
type unit struct{}

// fn0 … fn5 define function name of r's interface as f, a Go function of
// as many parameters (a context.Context parameter takes the call's context
// and no argument). f's parameters and result are converted from and to
// their WIT types by arg and value.
func fn0[R any](r *registrar, name string, f func() (R, error)) {
	fn5(r, name, func(_, _, _, _, _ noArg) (R, error) { return f() })
}

func fn1[A, R any](r *registrar, name string, f func(A) (R, error)) {
	fn5(r, name, func(a A, _, _, _, _ noArg) (R, error) { return f(a) })
}

func fn2[A, B, R any](r *registrar, name string, f func(A, B) (R, error)) {
	fn5(r, name, func(a A, b B, _, _, _ noArg) (R, error) { return f(a, b) })
}

func fn3[A, B, C, R any](r *registrar, name string, f func(A, B, C) (R, error)) {
	fn5(r, name, func(a A, b B, c C, _, _ noArg) (R, error) { return f(a, b, c) })
}

func fn5[A, B, C, D, E, R any](r *registrar, name string, f func(A, B, C, D, E) (R, error)) {
	typ := r.function(name)
	n := fit[A](typ, 0)
	n = fit[B](typ, n)
	n = fit[C](typ, n)
	n = fit[D](typ, n)
	if fit[E](typ, n) != len(typ.Params) {
		panic(fmt.Sprintf("wasi: %s#%s takes %d parameters, more than its Go function", r.name, name, len(typ.Params)))
	}
	r.def(typ, func(cl *call) (any, error) {
		a, b, c, d, e := arg[A](cl), arg[B](cl), arg[C](cl), arg[D](cl), arg[E](cl)
		if cl.err != nil {
			return nil, cl.err
		}
		return f(a, b, c, d, e)
	})
}

// do1 … do5 define functions that return nothing but an error (nothing,
// or `result<_, E>`).
func do1[A any](r *registrar, name string, f func(A) error) {
	fn5(r, name, func(a A, _, _, _, _ noArg) (unit, error) { return unit{}, f(a) })
}

func do2[A, B any](r *registrar, name string, f func(A, B) error) {
	fn5(r, name, func(a A, b B, _, _, _ noArg) (unit, error) { return unit{}, f(a, b) })
}

func do3[A, B, C any](r *registrar, name string, f func(A, B, C) error) {
	fn5(r, name, func(a A, b B, c C, _, _ noArg) (unit, error) { return unit{}, f(a, b, c) })
}

func do4[A, B, C, D any](r *registrar, name string, f func(A, B, C, D) error) {
	fn5(r, name, func(a A, b B, c C, d D, _ noArg) (unit, error) { return unit{}, f(a, b, c, d) })
}

func do5[A, B, C, D, E any](r *registrar, name string, f func(A, B, C, D, E) error) {
	fn5(r, name, func(a A, b B, c C, d D, e E) (unit, error) { return unit{}, f(a, b, c, d, e) })
}

// noArg fills a parameter of fn5 that the function does not have.
type noArg struct{}

// fit checks that a Go parameter of type T takes parameter i of typ, and
// returns the index of the parameter after it (a context.Context or a
// noArg takes none). A Go function that does not fit its WIT type is a
// mistake of this package: Register panics.
func fit[T any](typ *wit.Function, i int) int {
	switch any((*T)(nil)).(type) {
	case *context.Context, *noArg:
		return i
	}
	if i >= len(typ.Params) || !fits[T](typ.Params[i].Type) {
		panic(fmt.Sprintf("wasi: %s: a Go %T cannot take parameter %d", typ.Name, (*T)(nil), i))
	}
	return i + 1
}

// fits reports whether arg can take an argument of type t as a T: the
// table of the Go types that stand for WIT types.
func fits[T any](t wit.Type) bool {
	r := wit.Resolved(t)
	switch any((*T)(nil)).(type) {
	case *uint8:
		return r == wit.U8
	case *uint64:
		return r == wit.U64
	case *string:
		return r == wit.String
	case *[]byte:
		return isList(r, func(e wit.Type) bool { return wit.Resolved(e) == wit.U8 })
	case *io.Reader:
		return isBorrow(r, "input-stream")
	case *io.Writer:
		return isBorrow(r, "output-stream")
	case *ioError:
		return isBorrow(r, "error")
	case *pollable:
		return isBorrow(r, "pollable")
	case *[]pollable:
		return isList(r, func(e wit.Type) bool { return isBorrow(wit.Resolved(e), "pollable") })
	case **descriptor:
		return isBorrow(r, "descriptor")
	case **dirStream:
		return isBorrow(r, "directory-entry-stream")
	case *descriptorFlags:
		return isNamed(r, "descriptor-flags")
	case *pathFlags:
		return isNamed(r, "path-flags")
	case *openFlags:
		return isNamed(r, "open-flags")
	case *advice:
		return isNamed(r, "advice")
	case *newTimestamp:
		return isNamed(r, "new-timestamp")
	case *exitStatus:
		return isResultKind(r)
	}
	return false
}

func isNamed(t wit.Type, name string) bool {
	td, ok := t.(*wit.TypeDef)
	return ok && td.Name == name
}

func isList(t wit.Type, elem func(wit.Type) bool) bool {
	td, ok := t.(*wit.TypeDef)
	if !ok {
		return false
	}
	l, ok := td.Kind.(*wit.List)
	return ok && elem(l.Elem)
}

func isBorrow(t wit.Type, resource string) bool {
	td, ok := t.(*wit.TypeDef)
	if !ok {
		return false
	}
	h, ok := td.Kind.(*wit.Handle)
	return ok && h.Kind == wit.Borrow && isNamed(wit.Resolved(h.Resource), resource)
}

// fromValue is implemented by the Go types of WIT parameters that are not
// plain Go values: flags, variants.
type fromValue interface{ fromValue(canonabi.Value) }

// arg takes the next argument of the call as a T. A borrowed resource
// arrives as the Go object behind it (an io.Reader for an input-stream,
// a *descriptor, …); list<u8> as []byte; flags and variants as the types
// that implement fromValue; everything else as canonabi's Go value. On a
// linked component the arguments have the function's WIT type (the
// linker checked it) and the Go types fit it (fit checked that), so only
// a resource the state no longer has can fail, which the call reports as
// a trap.
func arg[T any](c *call) T {
	var out T
	switch p := any(&out).(type) {
	case *context.Context:
		*p = c.ctx
		return out
	case *noArg:
		return out
	}
	v := c.args[c.next]
	c.next++
	switch p := any(&out).(type) {
	case *[]byte:
		*p = bytesOf(v)
	case *io.Reader:
		*p = object(c, &c.s.inputs, v)
	case *io.Writer:
		*p = object(c, &c.s.outputs, v)
	case *ioError:
		*p = object(c, &c.s.errs, v)
	case *pollable:
		*p = object(c, &c.s.polls, v)
	case *[]pollable:
		l, _ := v.(canonabi.List)
		ps := make([]pollable, len(l))
		for i, x := range l {
			ps[i] = object(c, &c.s.polls, x)
		}
		*p = ps
	case **descriptor:
		*p = object(c, &c.s.descs, v)
	case **dirStream:
		*p = object(c, &c.s.dirStreams, v)
	case fromValue:
		p.fromValue(v)
	default:
		var ok bool
		if out, ok = v.(T); !ok && c.err == nil {
			c.err = fmt.Errorf("wasi: argument %d is a %T, not a %T", c.next-1, v, out)
		}
	}
	return out
}

// object is the object behind a resource argument.
func object[T any](c *call, o *objects[T], v canonabi.Value) T {
	r, _ := v.(host.Resource)
	x, err := o.get(r.Rep)
	if err != nil && c.err == nil {
		c.err = err
	}
	return x
}

// toValue is implemented by the Go types of WIT results that are not
// plain Go values.
type toValue interface{ value() canonabi.Value }

// value converts a function's Go result to its canonabi value.
func value(v any) canonabi.Value {
	switch v := v.(type) {
	case unit:
		return nil
	case toValue:
		return v.value()
	}
	return v // bool, integers, string, []byte (canonabi lowers it as list<u8>), host.Resource
}

// option is option<T>.
type option[T any] struct {
	some bool
	v    T
}

func some[T any](v T) option[T] { return option[T]{some: true, v: v} }

func (o option[T]) value() canonabi.Value {
	if !o.some {
		return canonabi.Variant{Case: 0}
	}
	return canonabi.Variant{Case: 1, Payload: value(o.v)}
}

// list is list<T> (list<u8> is []byte).
type list[T any] []T

func (l list[T]) value() canonabi.Value {
	out := make(canonabi.List, len(l))
	for i, x := range l {
		out[i] = value(x)
	}
	return out
}

// pair is tuple<A, B>.
type pair[A, B any] struct {
	a A
	b B
}

func (p pair[A, B]) value() canonabi.Value { return canonabi.Tuple{value(p.a), value(p.b)} }

// own hands a new resource to the guest.
func own(t *host.ResourceType, rep uint32) host.Resource {
	return host.Resource{Type: t, Rep: rep, Own: true}
}

func bytesOf(v canonabi.Value) []byte {
	l, _ := v.(canonabi.List)
	b := make([]byte, len(l))
	for i, x := range l {
		b[i], _ = x.(uint8)
	}
	return b
}
