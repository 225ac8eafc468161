package host

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tetratelabs/wazero"
	"github.com/witc-dev/witc/canonabi"
	"github.com/witc-dev/witc/wit"
)

func corpusComponent(t testing.TB, name string) []byte {
	p := filepath.Join("..", "..", "shared", "corpus", "components", name)
	b, err := os.ReadFile(p)
	if err != nil {
		t.Skipf("%s not found", p)
	}
	return b
}

func newRuntime(t testing.TB) (*Runtime, context.Context) {
	ctx := context.Background()
	rt := WithRuntime(wazero.NewRuntime(ctx))
	t.Cleanup(func() { rt.Close(ctx) })
	return rt, ctx
}

func TestWatAdder(t *testing.T) {
	rt, ctx := newRuntime(t)
	in, err := rt.Instantiate(ctx, NewLinker(), corpusComponent(t, "wat-adder.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	t.Log(in.Exports())
	add, err := in.Func("corpus:wat/adder#add")
	if err != nil {
		t.Fatal(err)
	}
	res, err := add.Call(ctx, uint32(2), uint32(40))
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 1 || res[0] != canonabi.Value(uint32(42)) {
		t.Fatalf("add(2, 40) = %v", res)
	}
	neg, err := in.Func("negate")
	if err != nil {
		t.Fatal(err)
	}
	res, err = neg.Call(ctx, float64(1.5))
	if err != nil {
		t.Fatal(err)
	}
	t.Log(res)
}

func call(t *testing.T, ctx context.Context, in *Instance, path string, args ...canonabi.Value) canonabi.Value {
	t.Helper()
	f, err := in.Func(path)
	if err != nil {
		t.Fatal(err)
	}
	res, err := f.Call(ctx, args...)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if len(res) == 0 {
		return nil
	}
	return res[0]
}

func TestWatCounter(t *testing.T) {
	rt, ctx := newRuntime(t)
	in, err := rt.Instantiate(ctx, NewLinker(), corpusComponent(t, "wat-counter.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	const p = "corpus:wat/counters#"
	a := call(t, ctx, in, p+"[constructor]counter", uint32(10)).(Resource)
	b := call(t, ctx, in, p+"[constructor]counter", uint32(100)).(Resource)
	borrow := func(r Resource) Resource { r.Own = false; return r }
	for _, tc := range []struct {
		got  canonabi.Value
		want uint32
	}{
		{call(t, ctx, in, p+"[method]counter.add", borrow(a), uint32(5)), 15},
		{call(t, ctx, in, p+"[method]counter.add", borrow(a), uint32(1)), 16},
		{call(t, ctx, in, p+"[method]counter.add", borrow(b), uint32(7)), 107},
		{call(t, ctx, in, p+"[static]counter.live"), 2},
		{call(t, ctx, in, p+"consume", b), 107},
		{call(t, ctx, in, p+"[static]counter.live"), 1},
	} {
		if tc.got != canonabi.Value(tc.want) {
			t.Errorf("got %v, want %d", tc.got, tc.want)
		}
	}
	if err := in.Drop(ctx, a); err != nil {
		t.Fatal(err)
	}
	if got := call(t, ctx, in, p+"[static]counter.live"); got != canonabi.Value(uint32(0)) {
		t.Errorf("live after drop = %v", got)
	}
}

func TestWatNested(t *testing.T) {
	rt, ctx := newRuntime(t)
	in, err := rt.Instantiate(ctx, NewLinker(), corpusComponent(t, "wat-nested.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	if got := call(t, ctx, in, "quad", uint32(5)); got != canonabi.Value(uint32(20)) {
		t.Errorf("quad(5) = %v", got)
	}
	if got := call(t, ctx, in, "quad", uint32(1073741824)); got != canonabi.Value(uint32(0)) {
		t.Errorf("quad(2^30) = %v", got)
	}
	if got := call(t, ctx, in, "corpus:wat/doubler#double", uint32(21)); got != canonabi.Value(uint32(42)) {
		t.Errorf("double(21) = %v", got)
	}
}

// TestNoReentrance: a host function that calls back into the component
// that called it gets a trap, as the component model requires.
func TestNoReentrance(t *testing.T) {
	rt, ctx := newRuntime(t)
	l := NewLinker()
	var in *Instance
	var inner error
	l.Func("witc:examples/calc@0.1.0", "add", addType(wit.U32), func(ctx context.Context, args []canonabi.Value) ([]canonabi.Value, error) {
		f, err := in.Func("witc:examples/app#double-sum")
		if err != nil {
			return nil, err
		}
		_, inner = f.Call(ctx, uint32(1), uint32(1))
		return []canonabi.Value{args[0].(uint32) + args[1].(uint32)}, nil
	})
	var err error
	in, err = rt.Instantiate(ctx, l, exampleComponent(t, "app.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	f, _ := in.Func("witc:examples/app#double-sum")
	res, err := f.Call(ctx, uint32(2), uint32(3))
	if err != nil || res[0] != canonabi.Value(uint32(10)) {
		t.Fatalf("double-sum(2, 3) = %v, %v", res, err)
	}
	if inner == nil || !strings.Contains(inner.Error(), "not reentrant") {
		t.Errorf("re-entering call: %v, want a trap", inner)
	}
}
