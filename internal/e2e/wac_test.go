package e2e

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/witc-dev/witc/component/check"
	"github.com/witc-dev/witc/host"
	"github.com/witc-dev/witc/wac"
)

// chainDeps are the packages of testdata/wac/chain.wac: compose's WAT
// fixtures (rebuilt by make fixtures).
var chainDeps = map[string]string{
	"witc:chain-base": filepath.Join("..", "..", "compose", "testdata", "chain-base.wasm"),
	"witc:chain-add":  filepath.Join("..", "..", "compose", "testdata", "chain-add.wasm"),
	"witc:chain-mid":  filepath.Join("..", "..", "compose", "testdata", "chain-mid.wasm"),
	"witc:chain-top":  filepath.Join("..", "..", "compose", "testdata", "chain-top.wasm"),
}

// TestWACChain: a WAC document with a three-level chain and a library
// instantiated twice composes into a valid component, the same bytes
// every time, whose export computes through every instance.
func TestWACChain(t *testing.T) {
	path := filepath.Join("testdata", "wac", "chain.wac")
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var first []byte
	for i := range 3 {
		comp, err := wac.Compose(path, src, wac.Options{Deps: chainDeps})
		if err != nil {
			t.Fatal(err)
		}
		b, err := comp.Encode()
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = b
		} else if !bytes.Equal(b, first) {
			t.Fatal("composing the same document twice gave different bytes")
		}
	}
	if err := check.Validate(first); err != nil {
		t.Fatalf("the composition is invalid: %v", err)
	}
	// With the packages imported instead of nested: valid, deterministic,
	// and holding no package's bytes.
	comp, err := wac.Compose(path, src, wac.Options{Deps: chainDeps})
	if err != nil {
		t.Fatal(err)
	}
	imp, err := comp.EncodeImportingPackages()
	if err != nil {
		t.Fatal(err)
	}
	if err := check.Validate(imp); err != nil {
		t.Fatalf("the composition importing its packages is invalid: %v", err)
	}
	if imp2, _ := comp.EncodeImportingPackages(); !bytes.Equal(imp, imp2) {
		t.Fatal("encoding twice with imported packages gave different bytes")
	}
	if !bytes.Contains(imp, []byte("unlocked-dep=<witc:chain-add>")) || len(imp) >= len(first) {
		t.Fatalf("the composition importing its packages (%d bytes, the nesting one %d) does not import witc:chain-add", len(imp), len(first))
	}
	ctx := context.Background()
	rt := host.NewRuntime(ctx, host.Options{})
	defer rt.Close(ctx)
	in, err := rt.Instantiate(ctx, host.NewLinker(), first)
	if err != nil {
		t.Fatal(err)
	}
	run, err := in.Func("witc:chain/top@0.1.0#run")
	if err != nil {
		t.Fatalf("%v (exports: %v)", err, in.Exports())
	}
	res, err := run.Call(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// base g = 20, two chain-adds: 40, mid f = 41, top run = 82.
	if len(res) != 1 || res[0] != uint32(82) {
		t.Fatalf("run() = %v, want 82", res)
	}
}
