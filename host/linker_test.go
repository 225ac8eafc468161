package host

import (
	"context"
	"errors"
	"testing"

	"github.com/witc-dev/witc/canonabi"
	"github.com/witc-dev/witc/wit"
)

// addType is `add: func(a: u32, b: B) -> u32`, the type of
// witc:examples/calc's add when B is u32.
func addType(b wit.Type) *wit.Function {
	return &wit.Function{Name: "add", Kind: wit.Freestanding,
		Params: []wit.Param{{Name: "a", Type: wit.U32}, {Name: "b", Type: b}}, Result: wit.U32}
}

func add(_ context.Context, args []canonabi.Value) ([]canonabi.Value, error) {
	return []canonabi.Value{args[0].(uint32) + args[1].(uint32)}, nil
}

// TestFuncTypeChecked: a host function whose type differs from the one
// the component imports it with fails at link time, with a LinkError
// naming the import and both types in WIT syntax.
func TestFuncTypeChecked(t *testing.T) {
	rt, ctx := newRuntime(t)
	l := NewLinker()
	l.Func("witc:examples/calc@0.1.0", "add", addType(wit.S32), add)
	_, err := rt.Instantiate(ctx, l, exampleComponent(t, "app.wasm"))
	var le *LinkError
	if !errors.As(err, &le) || le.Import != "witc:examples/calc@0.1.0" {
		t.Fatalf("got %v, want a LinkError for witc:examples/calc@0.1.0", err)
	}
	want := "cannot link import `witc:examples/calc@0.1.0`: function `add` is imported with the type `func(a: u32, b: u32) -> u32`, " +
		"but the host implements `func(a: u32, b: s32) -> u32` (`add` param `b`: expected u32, found s32)"
	if err.Error() != want {
		t.Errorf("got:\n%v\nwant:\n%s", err, want)
	}
}

// TestFuncSemverCompatible: a host function registered at a
// semver-compatible version of the interface, with the same type, links
// and is called.
func TestFuncSemverCompatible(t *testing.T) {
	rt, ctx := newRuntime(t)
	l := NewLinker()
	l.Func("witc:examples/calc@0.1.7", "add", addType(wit.U32), add)
	in, err := rt.Instantiate(ctx, l, exampleComponent(t, "app.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	if got := call(t, ctx, in, "witc:examples/app#double-sum", uint32(2), uint32(3)); got != canonabi.Value(uint32(10)) {
		t.Errorf("double-sum(2, 3) = %v", got)
	}
}

func TestFuncWithoutTypePanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("Func without a type did not panic")
		}
	}()
	NewLinker().Func("witc:examples/calc@0.1.0", "add", nil, add)
}
