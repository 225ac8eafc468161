package host

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/witc-dev/witc/canonabi"
)

// TestAsyncCallback: exports lifted with the async ABI and a callback run
// their event loop (YIELD, then EXIT), keep their context across
// callbacks, lower a host function with the async ABI and return with
// task.return; the spec's traps end the others.
func TestAsyncCallback(t *testing.T) {
	rt, ctx := newFeatureRuntime(t)
	b := fixture(t, "async.wasm")
	l := NewLinker()
	l.Func("", "double", importedFunc(t, b, "", "double"), func(_ context.Context, args []canonabi.Value) ([]canonabi.Value, error) {
		return []canonabi.Value{args[0].(uint32) * 2}, nil
	})
	instance := func() *Instance {
		in, err := rt.Instantiate(ctx, l, b)
		if err != nil {
			t.Fatal(err)
		}
		return in
	}
	in := instance()
	for _, x := range []uint32{5, 7} {
		if got := call(t, ctx, in, "run", x); got != canonabi.Value(3*x) {
			t.Errorf("run(%d) = %v, want %d", x, got, 3*x)
		}
		if got := call(t, ctx, in, "steps"); got != canonabi.Value(uint32(2)) {
			t.Errorf("steps after run(%d) = %v, want 2 (two callbacks)", x, got)
		}
	}
	// The first handle of the table is 1; poll finds no event (NONE, 0).
	if got := call(t, ctx, in, "poll"); got != canonabi.Value(uint32(100)) {
		t.Errorf("poll() = %v, want 100", got)
	}
	for fn, want := range map[string]string{
		"twice":     "already returned",
		"wrong":     "invalid `task.return` signature",
		"no-return": "failed to produce a result",
		"bad-wait":  "unknown handle index 7",
	} {
		wantTrap(t, ctx, instance(), fn, want)
	}
}

// wantTrap calls the export fn of in and checks that it traps (a
// TrapError, not an UnsupportedError) saying want.
func wantTrap(t *testing.T, ctx context.Context, in *Instance, fn, want string) {
	t.Helper()
	f, _ := in.Func(fn)
	_, err := f.Call(ctx)
	var te *TrapError
	var ue *UnsupportedError
	if !errors.As(err, &te) || errors.As(err, &ue) || !strings.Contains(err.Error(), want) {
		t.Errorf("%s: %v, want a trap: %s", fn, err, want)
	}
}
