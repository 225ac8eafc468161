package host

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/witc-dev/witc/canonabi"
	"github.com/witc-dev/witc/component"
	"github.com/witc-dev/witc/component/check"
	"github.com/witc-dev/witc/wit"
)

// importedFunc is the WIT type with which component b imports function
// name of interface iface.
func importedFunc(t testing.TB, b []byte, iface, name string) *wit.Function {
	t.Helper()
	c, err := component.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	types, err := check.Component(c)
	if err != nil {
		t.Fatal(err)
	}
	items, err := worldImports(types.WIT)
	if err != nil {
		t.Fatal(err)
	}
	if iface == "" {
		return items[name].(*wit.Function)
	}
	return items[iface].(*wit.WorldInterface).Interface.Function(name)
}

// TestUnsupportedBuiltins: a component importing the async,
// error-context and threading built-ins, lifting an export and lowering
// an import with the async ABI instantiates; what does not use them runs,
// what does fails with the built-in's name; the import lowered with the
// async ABI runs (its callee returns without blocking).
func TestUnsupportedBuiltins(t *testing.T) {
	rt, ctx := newFeatureRuntime(t)
	b := fixture(t, "builtins.wasm")
	l := NewLinker()
	l.Func("", "f", importedFunc(t, b, "", "f"), func(context.Context, []canonabi.Value) ([]canonabi.Value, error) {
		return []canonabi.Value{uint32(1)}, nil
	})
	instance := func() *Instance {
		in, err := rt.Instantiate(ctx, l, b)
		if err != nil {
			t.Fatal(err)
		}
		return in
	}
	in := instance()
	if got := call(t, ctx, in, "run"); got != canonabi.Value(uint32(7)) {
		t.Errorf("run() = %v, want 7", got)
	}
	// async-run's callback-lifted core function exits without task.return:
	// a trap.
	f, _ := in.Func("async-run")
	_, err := f.Call(ctx)
	var te *TrapError
	if !errors.As(err, &te) || !strings.Contains(err.Error(), "failed to produce a result") {
		t.Errorf("async-run: %v", err)
	}
	// f, a host function, returns at once: the call lowered with the
	// async ABI returns RETURNED (2), no subtask.
	if got := call(t, ctx, instance(), "call-f"); got != canonabi.Value(uint32(2)) {
		t.Errorf("call-f() = %v, want 2 (RETURNED)", got)
	}
	if got := call(t, ctx, instance(), "new-set"); got != canonabi.Value(uint32(1)) {
		t.Errorf("new-set() = %v, want 1", got)
	}
	// stream.new runs: the readable end is the table's first handle.
	if got := call(t, ctx, instance(), "stream-new"); got != canonabi.Value(uint32(1)) {
		t.Errorf("stream-new() = %v, want 1", got)
	}
	// error-context.drop runs: handle 1 is no error-context, a trap of
	// the spec's, not an unsupported built-in.
	f, _ = instance().Func("ec-drop")
	_, err = f.Call(ctx)
	var ue *UnsupportedError
	if !errors.As(err, &te) || errors.As(err, &ue) || !strings.Contains(err.Error(), "error-context.drop: trap: unknown handle index 1") {
		t.Errorf("ec-drop: got %v, want a trap: unknown handle index 1", err)
	}
}

// TestBuiltinSignatures: each built-in witc does not run gets the core
// type CanonicalABI.md gives it.
func TestBuiltinSignatures(t *testing.T) {
	st := &state{}
	sig := func(op component.CanonOp) string {
		p, r, err := st.builtinSig(component.Canon{Op: op, ValType: 0x7f})
		if err != nil {
			return err.Error()
		}
		return canonabi.Signature{Params: fromAPI(p), Results: fromAPI(r)}.String()
	}
	for op, want := range map[component.CanonOp]string{
		component.CanonTaskCancel:           "(func)",
		component.CanonBackpressureDec:      "(func)",
		component.CanonContextGet:           "(func (result i32))",
		component.CanonContextSet:           "(func (param i32))",
		component.CanonSubtaskCancel:        "(func (param i32) (result i32))",
		component.CanonSubtaskDrop:          "(func (param i32))",
		component.CanonThreadYield:          "(func (result i32))",
		component.CanonStreamNew:            "(func (result i64))",
		component.CanonFutureNew:            "(func (result i64))",
		component.CanonStreamRead:           "(func (param i32) (param i32) (param i32) (result i32))",
		component.CanonFutureWrite:          "(func (param i32) (param i32) (result i32))",
		component.CanonStreamCancelWrite:    "(func (param i32) (result i32))",
		component.CanonFutureDropReadable:   "(func (param i32))",
		component.CanonErrorContextNew:      "(func (param i32) (param i32) (result i32))",
		component.CanonErrorContextDebugMsg: "(func (param i32) (param i32))",
		component.CanonWaitableSetNew:       "(func (result i32))",
		component.CanonWaitableSetWait:      "(func (param i32) (param i32) (result i32))",
		component.CanonWaitableJoin:         "(func (param i32) (param i32))",
		component.CanonThreadNewIndirect:    "(func (param i32) (param i32) (result i32))",
		component.CanonThreadYieldPromote:   "(func (param i32) (result i32))",
		component.CanonThreadSpawnRef:       "thread.spawn-ref takes a typed function reference, which witc cannot pass (shared-everything threads are not supported)",
	} {
		if got := sig(op); got != want {
			t.Errorf("%s: %s, want %s", builtinName(op), got, want)
		}
	}
}

func fromAPI(ts []byte) []canonabi.CoreType {
	var out []canonabi.CoreType
	for _, t := range ts {
		for c, a := range apiTypes {
			if a == t {
				out = append(out, c)
			}
		}
	}
	return out
}

// TestStartFunction: a component start function runs at instantiation.
func TestStartFunction(t *testing.T) {
	rt, ctx := newFeatureRuntime(t)
	in, err := rt.Instantiate(ctx, NewLinker(), fixture(t, "start.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	if got := call(t, ctx, in, "get"); got != canonabi.Value(uint32(42)) {
		t.Errorf("get() = %v, want 42 (the start function did not run once)", got)
	}
}
