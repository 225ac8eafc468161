package host

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/witc-dev/witc/canonabi"
	"github.com/witc-dev/witc/wit"
)

// reenterInstance instantiates testdata/reenter.wasm with cb as the host
// function it imports.
func reenterInstance(t *testing.T, cb HostFunc) *Instance {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "reenter.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	rt := NewRuntime(ctx, Options{})
	t.Cleanup(func() { rt.Close(ctx) })
	l := NewLinker()
	l.Func("witc:test/cb", "cb", &wit.Function{Name: "cb", Kind: wit.Freestanding, Result: wit.U32}, cb)
	in, err := rt.Instantiate(ctx, l, b)
	if err != nil {
		t.Fatal(err)
	}
	return in
}

// TestConcurrentCalls: an instance called from several goroutines at once
// runs the calls one after the other; none fails (run with -race: the
// instance's state is shared). Func.Call, Func.CallInto and one Func
// shared by the goroutines are used.
func TestConcurrentCalls(t *testing.T) {
	in := reenterInstance(t, func(context.Context, []canonabi.Value) ([]canonabi.Value, error) {
		return []canonabi.Value{uint32(0)}, nil
	})
	shared, err := in.Func("count")
	if err != nil {
		t.Fatal(err)
	}
	const goroutines, calls = 4, 5000
	var wg sync.WaitGroup
	errs := make(chan error, goroutines)
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx := context.Background()
			own, err := in.Func("count")
			if err != nil {
				errs <- err
				return
			}
			out := make([]canonabi.Value, 0, 1)
			for i := range calls {
				var err error
				switch (g + i) % 3 {
				case 0:
					_, err = shared.Call(ctx)
				case 1:
					out, err = own.CallInto(ctx, out)
				default: // through the host
					var f *Func
					if f, err = in.Func("outer"); err == nil {
						_, err = f.Call(ctx)
					}
				}
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	res, err := shared.Call(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	// count ran for 2 of every 3 calls, and once more now.
	want := 0
	for g := range goroutines {
		for i := range calls {
			if (g+i)%3 != 2 {
				want++
			}
		}
	}
	if res[0] != canonabi.Value(uint32(want+1)) {
		t.Errorf("count = %v after the calls, want %d", res[0], want+1)
	}
}

// TestReentrantCallFromHost: a host function that calls back into the
// instance it serves, with the context it was given, does not wait for
// the call it is part of: it gets the component model's error (the
// instance is running), not a deadlock.
func TestReentrantCallFromHost(t *testing.T) {
	var in *Instance
	var inner error
	in = reenterInstance(t, func(ctx context.Context, _ []canonabi.Value) ([]canonabi.Value, error) {
		f, err := in.Func("count")
		if err != nil {
			return nil, err
		}
		_, inner = f.Call(ctx)
		return []canonabi.Value{uint32(7)}, nil
	})
	done := make(chan struct{})
	var res []canonabi.Value
	var err error
	go func() {
		defer close(done)
		f, _ := in.Func("outer")
		res, err = f.Call(context.Background())
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("a call from the host function into its instance waits for itself")
	}
	if err != nil || res[0] != canonabi.Value(uint32(7)) {
		t.Errorf("outer() = %v, %v", res, err)
	}
	const want = "count: cannot enter a component instance that is already running (components are not reentrant)"
	var te *TrapError
	if !errors.As(inner, &te) || inner.Error() != want {
		t.Errorf("the call back into the instance: %v, want %q", inner, want)
	}
}
