package host

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/witc-dev/witc/canonabi"
)

// TestHandleTableBounded: a guest creating resource handles without
// dropping them traps at the runtime's bound, with a message saying so.
func TestHandleTableBounded(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "handles.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	rt := NewRuntime(ctx, Options{MaxResourceHandles: 1000})
	defer rt.Close(ctx)
	in, err := rt.Instantiate(ctx, NewLinker(), b)
	if err != nil {
		t.Fatal(err)
	}
	make, err := in.Func("make")
	if err != nil {
		t.Fatal(err)
	}
	res, err := make.Call(ctx, uint32(1000))
	if err != nil || res[0] != canonabi.Value(uint32(1000)) {
		t.Fatalf("make(1000) = %v, %v; want the handle 1000", res, err)
	}
	_, err = make.Call(ctx, uint32(1))
	const want = "make: trap: the component instance's table of resource handles is full: it holds 1000 handles, the limit"
	if err == nil || withoutTrace(err) != want {
		t.Errorf("make(1) with 1000 handles: %v, want %q", err, want)
	}
}

// TestTableBounded: a host.Table traps past its Max.
func TestTableBounded(t *testing.T) {
	tab := Table[string]{Max: 2}
	add := func(v string) (rep uint32, err error) {
		defer canonabi.Catch(&err)
		return tab.Add(v), nil
	}
	if r, err := add("a"); r != 0 || err != nil {
		t.Fatalf("Add(a) = %d, %v", r, err)
	}
	if r, err := add("b"); r != 1 || err != nil {
		t.Fatalf("Add(b) = %d, %v", r, err)
	}
	const want = "trap: the host's table of resources is full: it holds 2 values, the limit"
	if _, err := add("c"); err == nil || err.Error() != want {
		t.Errorf("Add(c) = %v, want %q", err, want)
	}
	tab.Remove(0)
	if r, err := add("c"); r != 0 || err != nil {
		t.Errorf("Add(c) after Remove(0) = %d, %v", r, err)
	}
}
