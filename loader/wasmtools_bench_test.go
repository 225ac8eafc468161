package loader

import (
	"context"
	"os"
	"testing"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"
	"github.com/witc-dev/witc/internal/synthwit"
)

// BenchmarkWasmToolsSynthetic is the peer of BenchmarkLoadSynthetic:
// wasm-tools' WIT parser and resolver (the wasip1 core module of jco's
// wasm-tools component, @bytecodealliance/jco-transpile's
// vendor/wasm-tools.core.wasm, named by $WITC_WASM_TOOLS_CORE) run in
// wazero on the same source, through its component-wit-metadata-for-world
// export (parse, resolve, then list the world's imports and exports).
// Compilation and instantiation are outside the timing.
func BenchmarkWasmToolsSynthetic(b *testing.B) {
	path := os.Getenv("WITC_WASM_TOOLS_CORE")
	if path == "" {
		b.Skip("WITC_WASM_TOOLS_CORE is not set")
	}
	bin, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	rt := wazero.NewRuntime(ctx)
	defer rt.Close(ctx)
	wasi_snapshot_preview1.MustInstantiate(ctx, rt)
	mod, err := rt.InstantiateWithConfig(ctx, bin, wazero.NewModuleConfig().WithName("wasm-tools"))
	if err != nil {
		b.Fatal(err)
	}
	realloc := mod.ExportedFunction("cabi_realloc")
	fn := mod.ExportedFunction("local:wasm-tools/tools#component-wit-metadata-for-world")
	post := mod.ExportedFunction("cabi_post_local:wasm-tools/tools#component-wit-metadata-for-world")
	src := synthwit.Package(1000)
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		// The callee owns (and frees) its arguments: a fresh copy each call.
		res, err := realloc.Call(ctx, 0, 0, 1, uint64(len(src)))
		if err != nil {
			b.Fatal(err)
		}
		ptr := uint32(res[0])
		mod.Memory().Write(ptr, src)
		// wit: variant { source(string), path(string) }, world: option<string>
		res, err = fn.Call(ctx, 0, uint64(ptr), uint64(len(src)), 0, 0, 0)
		if err != nil {
			b.Fatal(err)
		}
		if tag, _ := mod.Memory().ReadByte(uint32(res[0])); tag != 0 {
			b.Fatalf("wasm-tools reported an error (result tag %d)", tag)
		}
		if _, err := post.Call(ctx, res[0]); err != nil {
			b.Fatal(err)
		}
	}
}
