package host

import (
	"context"
	"testing"

	"github.com/witc-dev/witc/canonabi"
	"github.com/witc-dev/witc/wit"
)

// TestThreadContext: context.get and context.set use the storage of the
// thread running in the instance: each call starts with zeroes, and its
// post-return sees what the call set (testdata/src/context.wat).
func TestThreadContext(t *testing.T) {
	rt, ctx := newFeatureRuntime(t)
	in, err := rt.Instantiate(ctx, contextLinker(), fixture(t, "context.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		if got := call(t, ctx, in, "f"); got != canonabi.Value(uint32(0)) {
			t.Errorf("call %d of f found %v in its slot, want 0", i, got)
		}
		if got := call(t, ctx, in, "saved"); got != canonabi.Value(uint32(42)) {
			t.Errorf("post-return of f read %v, want 42", got)
		}
	}
}

// TestBackpressureCounter: backpressure.inc and backpressure.dec count;
// below zero is a trap.
func TestBackpressureCounter(t *testing.T) {
	rt, ctx := newFeatureRuntime(t)
	in, err := rt.Instantiate(ctx, contextLinker(), fixture(t, "context.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	for _, fn := range []string{"inc", "inc", "dec", "dec"} {
		f, _ := in.Func(fn)
		if _, err := f.Call(ctx); err != nil {
			t.Fatalf("%s: %v", fn, err)
		}
	}
	f, _ := in.Func("dec")
	_, err = f.Call(ctx)
	const want = "dec: backpressure.dec: the instance's backpressure counter would go below 0"
	if err == nil || withoutTrace(err) != want {
		t.Errorf("dec at 0: %v, want %q", err, want)
	}
}

// TestLiftHostMadeFunction: a core function the host made (here a lowered
// import) can be lifted again as it is.
func TestLiftHostMadeFunction(t *testing.T) {
	rt, ctx := newFeatureRuntime(t)
	in, err := rt.Instantiate(ctx, contextLinker(), fixture(t, "context.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	if got := call(t, ctx, in, "ping-again"); got != canonabi.Value(uint32(9)) {
		t.Errorf("ping-again() = %v, want 9", got)
	}
}

func contextLinker() *Linker {
	l := NewLinker()
	l.Func("", "ping", &wit.Function{Name: "ping", Kind: wit.Freestanding, Result: wit.U32}, func(context.Context, []canonabi.Value) ([]canonabi.Value, error) {
		return []canonabi.Value{uint32(9)}, nil
	})
	return l
}

// TestAsyncLowerOfSyncCallee: a call lowered with the async ABI to a
// function lifted without it returns RETURNED (2), its result stored
// where the caller said; a component calling a function it lifts itself
// traps (testdata/src/lower.wat).
func TestAsyncLowerOfSyncCallee(t *testing.T) {
	rt, ctx := newFeatureRuntime(t)
	b := fixture(t, "lower.wasm")
	in, err := rt.Instantiate(ctx, nil, b)
	if err != nil {
		t.Fatal(err)
	}
	if got := call(t, ctx, in, "get-status"); got != canonabi.Value(uint32(2)) {
		t.Errorf("get-status() = %v, want 2 (RETURNED)", got)
	}
	if got := call(t, ctx, in, "run"); got != canonabi.Value("hello") {
		t.Errorf("run() = %v, want \"hello\"", got)
	}
	f, _ := in.Func("call-self")
	_, err = f.Call(ctx)
	const want = "call-self: root func 1: cannot enter component instance: the instance calls a function it lifts itself"
	if err == nil || withoutTrace(err) != want {
		t.Errorf("call-self: %v, want %q", err, want)
	}
}
