package wasi_test

import (
	"context"
	"os"
	"testing"

	"github.com/witc-dev/witc/host"
	"github.com/witc-dev/witc/wasi"
)

// TestRunNotACommand: Run fails on a component that exports no
// wasi:cli/run, and the runtime can run a command after it.
func TestRunNotACommand(t *testing.T) {
	ctx := context.Background()
	rt := host.NewRuntime(ctx, host.Options{})
	defer rt.Close(ctx)
	calc, err := os.ReadFile("../examples/components/calc.wasm")
	if err != nil {
		t.Fatal(err)
	}
	if code, err := wasi.Run(ctx, rt, calc, wasi.Config{}); err == nil {
		t.Fatalf("Run(calc.wasm) = %d, nil; want an error", code)
	}
	hello, err := os.ReadFile("../internal/producers/testdata/wat-hello.wasm")
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if code, err := wasi.Run(ctx, rt, hello, wasi.Config{}); code != 0 || err != nil {
			t.Fatalf("Run(wat-hello.wasm) = %d, %v", code, err)
		}
	}
}
