package host

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tetratelabs/wazero"
	"github.com/witc-dev/witc/canonabi"
)

// TestFlatImportAndExport serves app.wasm's calc import with a flat host
// function and calls its export through the flat API.
func TestFlatImportAndExport(t *testing.T) {
	ctx := context.Background()
	rt := WithRuntime(wazero.NewRuntime(ctx))
	defer rt.Close(ctx)
	l := NewLinker()
	calls := 0
	l.FlatFunc("witc:examples/calc@0.1.0", "add", "(u32, u32) -> u32", func(_ context.Context, _ *canonabi.Cx, stack []uint64) error {
		calls++
		stack[0] = uint64(uint32(stack[0]) + uint32(stack[1]))
		return nil
	})
	in, err := rt.Instantiate(ctx, l, exampleComponent(t, "app.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	f, err := in.Func("witc:examples/app#double-sum")
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Check("(u32, u32) -> u32"); err != nil {
		t.Fatal(err)
	}
	if err := f.Check("(u32) -> u32"); err == nil || !strings.Contains(err.Error(), "(u32, u32) -> u32") {
		t.Errorf("Check with the wrong shape: %v", err)
	}
	call := func() (r uint32, err error) {
		c, err := f.Begin(ctx)
		if err != nil {
			return 0, err
		}
		defer c.Recover(&err)
		c.Stack[0], c.Stack[1] = 20, 1
		c.Invoke()
		r = uint32(c.Stack[0])
		c.End()
		return r, nil
	}
	if r, err := call(); err != nil || r != 42 || calls == 0 {
		t.Errorf("double-sum(20, 1) = %v, %v (host calls %d), want 42", r, err, calls)
	}
	// The Call is reused: a second call works the same.
	if r, err := call(); err != nil || r != 42 {
		t.Errorf("second call: %v, %v", r, err)
	}
}

// TestFlatImportShapeMismatch: a flat host function written for another
// type of the import fails at link time, naming both types.
func TestFlatImportShapeMismatch(t *testing.T) {
	ctx := context.Background()
	rt := WithRuntime(wazero.NewRuntime(ctx))
	defer rt.Close(ctx)
	l := NewLinker()
	l.FlatFunc("witc:examples/calc@0.1.0", "add", "(s64, s64) -> s64", func(context.Context, *canonabi.Cx, []uint64) error { return nil })
	_, err := rt.Instantiate(ctx, l, exampleComponent(t, "app.wasm"))
	var le *LinkError
	if !errors.As(err, &le) || !strings.Contains(err.Error(), "(u32, u32) -> u32") || !strings.Contains(err.Error(), "(s64, s64) -> s64") {
		t.Errorf("got %v, want a link error naming both types", err)
	}
}

// TestFlatHostFuncFailure: an error or a static helper's failure in a flat
// host function is a trap of the calling component.
func TestFlatHostFuncFailure(t *testing.T) {
	ctx := context.Background()
	rt := WithRuntime(wazero.NewRuntime(ctx))
	defer rt.Close(ctx)
	for _, fail := range []func() error{
		func() error { return errors.New("host says no") },
		func() error { canonabi.Fail("host says no"); return nil },
	} {
		l := NewLinker()
		l.FlatFunc("witc:examples/calc@0.1.0", "add", "(u32, u32) -> u32", func(context.Context, *canonabi.Cx, []uint64) error { return fail() })
		in, err := rt.Instantiate(ctx, l, exampleComponent(t, "app.wasm"))
		if err != nil {
			t.Fatal(err)
		}
		f, _ := in.Func("witc:examples/app#double-sum")
		_, err = f.Call(ctx, uint32(1), uint32(2))
		var te *TrapError
		if !errors.As(err, &te) || !strings.Contains(err.Error(), "host says no") {
			t.Errorf("got %v, want a trap saying `host says no`", err)
		}
	}
}

// TestUndroppedBorrowTraps: a component must drop the borrowed handles it
// was given before its export returns (borrow.wasm's `keep` does not, its
// `drop` does), through both the dynamic and the flat API.
func TestUndroppedBorrowTraps(t *testing.T) {
	ctx := context.Background()
	rt := WithRuntime(wazero.NewRuntime(ctx))
	defer rt.Close(ctx)
	wasm, err := os.ReadFile(filepath.Join("testdata", "borrow.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	instantiate := func() (*Instance, *ResourceType) {
		l := NewLinker()
		r := l.Resource("witc:test/res", "r", nil)
		in, err := rt.Instantiate(ctx, l, wasm)
		if err != nil {
			t.Fatal(err)
		}
		return in, r
	}
	dynamic := func(name string) error {
		in, r := instantiate()
		f, err := in.Func(name)
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.Call(ctx, Resource{Type: r, Rep: 7})
		return err
	}
	flat := func(name string) (err error) {
		in, r := instantiate()
		f, err := in.Func(name)
		if err != nil {
			t.Fatal(err)
		}
		c, err := f.Begin(ctx)
		if err != nil {
			return err
		}
		defer c.Recover(&err)
		c.Stack[0] = uint64(LowerBorrow(&c.Cx, Resource{Type: r, Rep: 7}))
		c.Invoke()
		c.End()
		return nil
	}
	for api, call := range map[string]func(string) error{"dynamic": dynamic, "flat": flat} {
		var te *TrapError
		if err := call("keep"); !errors.As(err, &te) || !strings.Contains(err.Error(), "was not dropped") {
			t.Errorf("%s keep: got %v, want a trap about the undropped borrow", api, err)
		}
		if err := call("drop"); err != nil {
			t.Errorf("%s drop: %v", api, err)
		}
	}
}
