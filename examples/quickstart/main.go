// Command quickstart loads examples/components/calc.wasm through the
// bindings `witc bindgen` generated for it (./calc) and calls it.
package main

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/witc-dev/witc/examples/quickstart/calc"
	"github.com/witc-dev/witc/host"
)

func main() {
	ctx := context.Background()
	// Keep the code wazero compiles between runs: the next run of the
	// same component does not compile it again.
	opts := host.Options{}
	if dir, err := os.UserCacheDir(); err == nil {
		opts.CacheDir = filepath.Join(dir, "witc-quickstart")
	}
	rt := host.NewRuntime(ctx, opts)
	defer rt.Close(ctx)
	wasm, err := os.ReadFile("examples/components/calc.wasm")
	if err != nil {
		log.Fatal(err)
	}
	in, err := calc.Instantiate(ctx, rt, nil, wasm, calc.Imports{})
	if err != nil {
		log.Fatal(err)
	}
	sum, err := in.Calc().Add(ctx, 2, 40)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("add(2, 40) =", sum)
}
