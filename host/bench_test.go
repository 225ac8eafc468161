package host

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tetratelabs/wazero"
	"github.com/witc-dev/witc/canonabi"
	"github.com/witc-dev/witc/component"
)

func exampleComponent(b testing.TB, name string) []byte {
	data, err := os.ReadFile(filepath.Join("..", "examples", "components", name))
	if err != nil {
		b.Fatal(err)
	}
	return data
}

// firstModule returns the bytes of a component's first core module.
func firstModule(b testing.TB, wasm []byte) []byte {
	c, err := component.Decode(wasm)
	if err != nil {
		b.Fatal(err)
	}
	for _, s := range c.Sections {
		if m, ok := s.(*component.ModuleSection); ok {
			return m.Bytes
		}
	}
	b.Fatal("no core module")
	return nil
}

// BenchmarkRawWazeroAdd calls the core function behind calc's `add`
// directly with wazero: the baseline of BenchmarkCallAdd.
func BenchmarkRawWazeroAdd(b *testing.B) {
	ctx := context.Background()
	r := wazero.NewRuntime(ctx)
	defer r.Close(ctx)
	m, err := r.Instantiate(ctx, firstModule(b, exampleComponent(b, "calc.wasm")))
	if err != nil {
		b.Fatal(err)
	}
	add := m.ExportedFunction("add")
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := add.Call(ctx, 2, 40); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRawWazeroAddStack is the raw call without allocations
// (CallWithStack), the fairest baseline for CallAddInto.
func BenchmarkRawWazeroAddStack(b *testing.B) {
	ctx := context.Background()
	r := wazero.NewRuntime(ctx)
	defer r.Close(ctx)
	m, err := r.Instantiate(ctx, firstModule(b, exampleComponent(b, "calc.wasm")))
	if err != nil {
		b.Fatal(err)
	}
	add := m.ExportedFunction("add")
	stack := []uint64{2, 40}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		stack[0], stack[1] = 2, 40
		if err := add.CallWithStack(ctx, stack); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCallAdd calls calc's `add: func(a: u32, b: u32) -> u32` through
// the dynamic API.
func BenchmarkCallAdd(b *testing.B) {
	ctx := context.Background()
	rt := WithRuntime(wazero.NewRuntime(ctx))
	defer rt.Close(ctx)
	in, err := rt.Instantiate(ctx, NewLinker(), exampleComponent(b, "calc.wasm"))
	if err != nil {
		b.Fatal(err)
	}
	add, err := in.Func("witc:examples/calc#add")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := add.Call(ctx, uint32(2), uint32(40)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCallAddInto is BenchmarkCallAdd with preallocated arguments and
// results (what generated bindings can do).
func BenchmarkCallAddInto(b *testing.B) {
	benchCallAddInto(b, WithRuntime(wazero.NewRuntime(context.Background())))
}

// BenchmarkCallAddStopOnContextDone is BenchmarkCallAddInto on a runtime
// that stops guests when their context is done: what that costs a call.
func BenchmarkCallAddStopOnContextDone(b *testing.B) {
	benchCallAddInto(b, NewRuntime(context.Background(), Options{StopOnContextDone: true}))
}

func benchCallAddInto(b *testing.B, rt *Runtime) {
	ctx := context.Background()
	defer rt.Close(ctx)
	in, err := rt.Instantiate(ctx, NewLinker(), exampleComponent(b, "calc.wasm"))
	if err != nil {
		b.Fatal(err)
	}
	add, err := in.Func("witc:examples/calc#add")
	if err != nil {
		b.Fatal(err)
	}
	args := []canonabi.Value{uint32(2), uint32(40)}
	results := make([]canonabi.Value, 0, 1)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if results, err = add.CallInto(ctx, results, args...); err != nil {
			b.Fatal(err)
		}
	}
	if results[0] != canonabi.Value(uint32(42)) {
		b.Fatal(results)
	}
}

func benchGreet(b *testing.B, n int) {
	ctx := context.Background()
	rt := WithRuntime(wazero.NewRuntime(ctx))
	defer rt.Close(ctx)
	in, err := rt.Instantiate(ctx, NewLinker(), exampleComponent(b, "greeter.wasm"))
	if err != nil {
		b.Fatal(err)
	}
	greet, err := in.Func("witc:examples/greeter#greet")
	if err != nil {
		b.Fatal(err)
	}
	arg := strings.Repeat("x", n)
	b.SetBytes(int64(n))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := greet.Call(ctx, arg); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStringRoundTrip1K/1M pass a string in and get a (slightly
// longer) string back through greeter's `greet`.
func BenchmarkStringRoundTrip1K(b *testing.B) { benchGreet(b, 1<<10) }
func BenchmarkStringRoundTrip1M(b *testing.B) { benchGreet(b, 1<<20) }

// BenchmarkMemcpy1K/1M copy the bytes twice (in and out): the baseline of
// the string round trips.
func benchCopy(b *testing.B, n int) {
	src := bytes.Repeat([]byte("x"), n)
	dst := make([]byte, n)
	b.SetBytes(int64(n))
	for i := 0; i < b.N; i++ {
		copy(dst, src)
		copy(src, dst)
	}
}

func BenchmarkMemcpy1K(b *testing.B) { benchCopy(b, 1<<10) }
func BenchmarkMemcpy1M(b *testing.B) { benchCopy(b, 1<<20) }

func benchInstantiateKitchen(b *testing.B, cache wazero.CompilationCache) {
	data := corpusComponent(b, "kitchen-lib.wasm")
	ctx := context.Background()
	if cache != nil { // warm it
		rt := WithRuntime(wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfig().WithCompilationCache(cache)))
		l := NewLinker()
		if _, err := rt.Instantiate(ctx, l, data); err != nil {
			b.Fatal(err)
		}
		rt.Close(ctx)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		cfg := wazero.NewRuntimeConfig()
		if cache != nil {
			cfg = cfg.WithCompilationCache(cache)
		}
		rt := WithRuntime(wazero.NewRuntimeWithConfig(ctx, cfg))
		if _, err := rt.Instantiate(ctx, NewLinker(), data); err != nil {
			b.Fatal(err)
		}
		rt.Close(ctx)
	}
}

// BenchmarkInstantiateKitchenCold compiles and instantiates the 12 MB
// kitchen-lib; ...Warm does it with a warm compilation cache.
func BenchmarkInstantiateKitchenCold(b *testing.B) { benchInstantiateKitchen(b, nil) }
func BenchmarkInstantiateKitchenWarm(b *testing.B) {
	benchInstantiateKitchen(b, wazero.NewCompilationCache())
}
