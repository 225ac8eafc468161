package host

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/witc-dev/witc/canonabi"
	"github.com/witc-dev/witc/wit"
)

// randomType is wasi:random/random's get-random-u64.
var randomType = &wit.Function{Name: "get-random-u64", Kind: wit.Freestanding, Result: wit.U64}

// TestLinkBeforeRun: the imports nothing provides are all reported at
// instantiation, before any guest code runs (the fixture's core start
// function calls wasi:random); a WASI interface the host lacks links as
// functions that trap when the host provides WASI; TrapUnknownImports
// links every unknown import so.
func TestLinkBeforeRun(t *testing.T) {
	rt, ctx := newFeatureRuntime(t)
	b := fixture(t, "link.wasm")
	calls := 0
	random := func(l *Linker) {
		l.Func("wasi:random/random@0.2.12", "get-random-u64", randomType, func(context.Context, []canonabi.Value) ([]canonabi.Value, error) {
			calls++
			return []canonabi.Value{uint64(4)}, nil
		})
	}
	add := func(l *Linker) {
		l.Func("corpus:calc/math@0.1.0", "add", importedFunc(t, b, "corpus:calc/math@0.1.0", "add"), func(_ context.Context, args []canonabi.Value) ([]canonabi.Value, error) {
			return []canonabi.Value{args[0].(uint32) + args[1].(uint32)}, nil
		})
	}
	for _, tc := range []struct {
		name  string
		setup func(l *Linker)
		want  string
	}{
		{"no WASI", func(*Linker) {}, `component imports what nothing provides:
  wasi:random/random@0.2.0 (the host provides no WASI: register witc's WASI host with wasi.Register)
  corpus:calc/math@0.1.0 (compose it with a component that exports corpus:calc/math@0.1.0: witc compose APP.wasm PROVIDER.wasm)
  wasi:sockets/instance-network@0.2.0 (the host provides no WASI: register witc's WASI host with wasi.Register)
  log (the host does not provide this function)`},
		{"WASI", random, `component imports what nothing provides:
  corpus:calc/math@0.1.0 (compose it with a component that exports corpus:calc/math@0.1.0: witc compose APP.wasm PROVIDER.wasm)
  log (the host does not provide this function)`},
		{"part of calc", func(l *Linker) { random(l); add(l) }, "component imports what nothing provides:\n" +
			"  corpus:calc/math@0.1.0#mul (the host's corpus:calc/math@0.1.0 has no function `mul`)\n" +
			"  log (the host does not provide this function)"},
	} {
		l := NewLinker()
		tc.setup(l)
		_, err := rt.Instantiate(ctx, l, b)
		if err == nil || err.Error() != tc.want {
			t.Errorf("%s: got %v\nwant %s", tc.name, err, tc.want)
		}
		var me *MissingImportsError
		var le *LinkError
		if !errors.As(err, &me) || !errors.As(err, &le) || le.Import != me.Missing[0].Name {
			t.Errorf("%s: %T is not a MissingImportsError and a LinkError", tc.name, err)
		}
	}
	if calls != 0 {
		t.Errorf("guest code ran before the link failed (%d calls)", calls)
	}

	// An import the host provides as another kind of item.
	for _, tc := range []struct {
		name  string
		setup func(l *Linker)
		want  string
	}{
		{"interface for a function", func(l *Linker) {
			l.Func("log", "x", randomType, func(context.Context, []canonabi.Value) ([]canonabi.Value, error) { return nil, nil })
		}, "cannot link import `log`: it is imported as a function, but the host provides an interface of that name"},
		{"function for an interface", func(l *Linker) {
			l.Func("", "corpus:calc/math@0.1.0", randomType, func(context.Context, []canonabi.Value) ([]canonabi.Value, error) { return nil, nil })
		}, "cannot link import `corpus:calc/math@0.1.0`: it is imported as an instance, but the host provides a function of that name"},
	} {
		l := NewLinker()
		random(l)
		tc.setup(l)
		_, err := rt.Instantiate(ctx, l, b)
		var le *LinkError
		if !errors.As(err, &le) || err.Error() != tc.want {
			t.Errorf("%s: got %v\nwant %s", tc.name, err, tc.want)
		}
	}

	l := NewLinker()
	random(l)
	add(l)
	l.TrapUnknownImports()
	in, err := rt.Instantiate(ctx, l, b)
	if err != nil {
		t.Fatal(err)
	}
	if calls != 1 {
		t.Errorf("the start function called wasi:random %d times, want 1", calls)
	}
	if got := call(t, ctx, in, "add", uint32(40), uint32(2)); got != canonabi.Value(uint32(42)) {
		t.Errorf("add(40, 2) = %v, want 42", got)
	}
	for _, tc := range []struct{ fn, want string }{
		{"net", "`wasi:sockets/instance-network@0.2.0#instance-network` is not implemented: the host does not provide wasi:sockets/instance-network@0.2.0: WASI interfaces it lacks are linked as functions that trap when called"},
		{"log", "`log` is not implemented: nothing provides `log`: unknown imports are linked as functions that trap when called"},
	} {
		in, err := rt.Instantiate(ctx, l, b)
		if err != nil {
			t.Fatal(err)
		}
		f, _ := in.Func(tc.fn)
		_, err = f.Call(ctx)
		var te *TrapError
		if !errors.As(err, &te) || te.Func != tc.fn || !strings.HasPrefix(err.Error(), tc.fn+": "+tc.want+" (recovered by wazero)") {
			t.Errorf("%s: got %v\nwant a trap: %s", tc.fn, err, tc.want)
		}
	}
}
