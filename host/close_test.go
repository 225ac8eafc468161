package host

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/tetratelabs/wazero/api"
	"github.com/witc-dev/witc/canonabi"
	"github.com/witc-dev/witc/wit"
)

// TestInstanceClose: Close closes every wazero module an instantiation
// created (core instances, shims, host modules), so that instantiating
// and closing a component 200 times leaves no module and no memory
// behind; it is idempotent, and calls after it fail with ErrClosed.
func TestInstanceClose(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "reenter.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	rt := NewRuntime(ctx, Options{})
	defer rt.Close(ctx)
	l := NewLinker()
	l.Func("witc:test/cb", "cb", &wit.Function{Name: "cb", Kind: wit.Freestanding, Result: wit.U32},
		func(context.Context, []canonabi.Value) ([]canonabi.Value, error) {
			return []canonabi.Value{uint32(7)}, nil
		})

	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	cycle := func() (mods []api.Module) {
		in, err := rt.Instantiate(ctx, l, b)
		if err != nil {
			t.Fatal(err)
		}
		mods = append(mods, in.owned.mods...)
		if err := in.Close(ctx); err != nil {
			t.Fatal(err)
		}
		return mods
	}
	for range 20 {
		cycle()
	}
	before := heap()
	var hosts int
	for range 200 {
		mods := cycle()
		if len(mods) == 0 {
			t.Fatal("the instance owns no module")
		}
		for _, m := range mods {
			if !m.IsClosed() {
				t.Fatalf("module %q not closed", m.Name())
			}
			if _, ok := callers.Load(m); ok {
				t.Fatal("a closed module is still registered as a caller of host functions")
			}
			hosts++
		}
	}
	if hosts == 0 {
		t.Error("no module was checked")
	}
	if after := heap(); after > before+4<<20 {
		t.Errorf("the heap grew from %d to %d bytes over 200 instantiations closed", before, after)
	}

	in, err := rt.Instantiate(ctx, l, b)
	if err != nil {
		t.Fatal(err)
	}
	names := in.Exports()
	f, err := in.Func(names[0])
	if err != nil {
		t.Fatal(err)
	}
	if err := in.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if err := in.Close(ctx); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	args := make([]canonabi.Value, len(f.Type().Params))
	if _, err := f.Call(ctx, args...); !errors.Is(err, ErrClosed) {
		t.Errorf("Call after Close: %v, want ErrClosed", err)
	}
	if _, err := f.CallInto(ctx, nil, args...); !errors.Is(err, ErrClosed) {
		t.Errorf("CallInto after Close: %v, want ErrClosed", err)
	}
	if _, err := f.Begin(ctx); !errors.Is(err, ErrClosed) {
		t.Errorf("Begin after Close: %v, want ErrClosed", err)
	}
}
