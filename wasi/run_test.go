package wasi_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"sync"
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

// TestRunCompiledConcurrently: a command compiled once runs as many
// instances at once, each with its own arguments, environment and
// streams, and the compiled component can be closed after them.
func TestRunCompiledConcurrently(t *testing.T) {
	ctx := context.Background()
	rt := host.NewRuntime(ctx, host.Options{})
	defer rt.Close(ctx)
	b, err := os.ReadFile("../internal/producers/testdata/c-hello.wasm")
	if err != nil {
		t.Fatal(err)
	}
	cc, err := rt.Compile(ctx, b)
	if err != nil {
		t.Fatal(err)
	}
	const workers, runs = 8, 4
	errs := make(chan error, workers*runs)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range runs {
				var out, errOut bytes.Buffer
				arg := fmt.Sprintf("w%d-r%d", w, r)
				cfg := wasi.Config{Args: []string{"c-hello", arg}, Env: [][2]string{{"GREETING", arg}}, Stdout: &out, Stderr: &errOut}
				if r == runs-1 {
					cfg.Args = append(cfg.Args[:1], "fail")
				}
				code, err := wasi.RunCompiled(ctx, cc, cfg)
				if err != nil {
					errs <- fmt.Errorf("%s: %v", arg, err)
					continue
				}
				want := fmt.Sprintf("c-hello: 1 args\narg 1: %s\nGREETING=%s\nc-hello: done\n", arg, arg)
				wantCode := 0
				if r == runs-1 {
					want = fmt.Sprintf("c-hello: 1 args\narg 1: fail\nGREETING=%s\n", arg)
					wantCode = 1
				}
				if out.String() != want || code != wantCode {
					errs <- fmt.Errorf("%s: status %d, stdout %q; want %d, %q", arg, code, out.String(), wantCode, want)
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if err := cc.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := wasi.RunCompiled(ctx, cc, wasi.Config{}); err == nil {
		t.Fatal("RunCompiled after Close succeeded")
	}
}
