package compose_test

import (
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/witc-dev/witc/component/check"
	"github.com/witc-dev/witc/compose"
	"github.com/witc-dev/witc/wit"
)

// read reads a component file; the input is named by its file name.
func read(path string) compose.Input {
	b, err := os.ReadFile(path)
	if err != nil {
		log.Fatal(err)
	}
	return compose.Input{Name: filepath.Base(path), Bytes: b}
}

// Compose plugs app.wasm's import of witc:examples/calc@0.1.0 with
// calc.wasm's export of it. The result exports what app.wasm exports and
// imports nothing.
func ExampleCompose() {
	r, err := compose.Compose([]compose.Input{
		read("../examples/components/app.wasm"),  // the root: its exports are the result's
		read("../examples/components/calc.wasm"), // a plug
	}, compose.Options{})
	if err != nil {
		log.Fatal(err)
	}
	for _, w := range r.Plan.Wires {
		fmt.Printf("%s: %s <- %s: %s (%s)\n", w.Component, w.Import, w.Provider, w.Export, w.Match)
	}
	res, pkg, err := check.DecodeWIT(r.Bytes())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print(wit.Print(res, pkg))
	// Output:
	// app.wasm: witc:examples/calc@0.1.0 <- calc.wasm: witc:examples/calc@0.1.0 (exact)
	// package root:component;
	//
	// world root {
	//   export witc:examples/app@0.1.0;
	// }
	// package witc:examples@0.1.0 {
	//   interface app {
	//     double-sum: func(x: u32, y: u32) -> u32;
	//   }
	// }
}

// The plan says how a composition is wired, as `witc compose --dry-run`
// prints it.
func ExamplePlan_Text() {
	r, err := compose.Compose([]compose.Input{
		read("../examples/components/app.wasm"),  // the root: its exports are the result's
		read("../examples/components/calc.wasm"), // a plug
	}, compose.Options{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print(r.Plan.Text())
	// Output:
	// instantiation order: calc.wasm, app.wasm
	//
	// plugged imports:
	//   app.wasm: witc:examples/calc@0.1.0  <-  calc.wasm: witc:examples/calc@0.1.0  (exact)
	//
	// imports of the composed component:
	//   (none)
	//
	// exports:
	//   witc:examples/app@0.1.0
}

// An export that does not match the import it would plug is named with
// the first difference between them.
func ExampleCompose_mismatch() {
	// calc-s32.wasm exports witc:examples/calc@0.1.0 with `add(a: u32, b: s32)`.
	_, err := compose.Compose([]compose.Input{
		read("../examples/components/app.wasm"),
		read("testdata/calc-s32.wasm"),
	}, compose.Options{})
	fmt.Println(err)
	// Output:
	// `app.wasm` imports `witc:examples/calc@0.1.0`, and no component provides a matching instance:
	//     `calc-s32.wasm` exports `witc:examples/calc@0.1.0`, but `witc:examples/calc@0.1.0` function `add` param `b`: expected u32, found s32
}
