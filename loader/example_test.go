package loader_test

import (
	"fmt"
	"testing/fstest"

	"github.com/witc-dev/witc/diag"
	"github.com/witc-dev/witc/loader"
	"github.com/witc-dev/witc/wit"
)

// Load a WIT package directory (its *.wit files and its deps/ folder) and
// list the worlds of the main package with what they import and export.
func ExampleLoad() {
	var r diag.Report
	res, pkg := loader.Load("../examples/wit/kv", loader.Options{}, &r)
	if r.HasErrors() {
		fmt.Print(diag.Renderer{}.Render(r.Diagnostics))
		return
	}
	fmt.Println("package", pkg.Name)
	for _, w := range pkg.Worlds {
		fmt.Println("world", w.Name)
		for _, e := range w.Imports {
			fmt.Println("  import", name(e))
		}
		for _, e := range w.Exports {
			fmt.Println("  export", name(e))
		}
	}
	fmt.Println(len(res.Packages), "packages")
	// Output:
	// package example:kv@0.2.0
	// world provider
	//   import example:logging/log@1.0.0
	//   import example:kv/types@0.2.0
	//   export example:kv/store@0.2.0
	// world client
	//   import example:logging/log@1.0.0
	//   import example:kv/types@0.2.0
	//   import example:kv/store@0.2.0
	//   import log-line
	//   export run
	// 2 packages
}

// name is how WIT writes a world's import or export: an interface by its
// qualified name, anything else by its own name.
func name(e wit.WorldEntry) string {
	if e.Key.Interface != nil {
		return e.Key.Interface.QualifiedName()
	}
	return e.Key.Name
}

// LoadFS reads the same layout from any fs.FS: here a package and its
// dependency, in memory.
func ExampleLoadFS() {
	fsys := fstest.MapFS{
		"greeter/world.wit": {Data: []byte(`package example:greeter;

world greeter {
  use example:names/types.{name};
  export greet: func(who: name) -> string;
}
`)},
		"greeter/deps/names.wit": {Data: []byte(`package example:names;

interface types {
  type name = string;
}
`)},
	}
	var r diag.Report
	res, pkg := loader.LoadFS(fsys, "greeter", loader.Options{}, &r)
	if r.HasErrors() {
		fmt.Print(diag.Renderer{}.Render(r.Diagnostics))
		return
	}
	fmt.Print(wit.Print(res, pkg))
	// Output:
	// package example:greeter;
	//
	// world greeter {
	//   import example:names/types;
	//   use example:names/types.{name};
	//
	//   export greet: func(who: name) -> string;
	// }
	// package example:names {
	//   interface types {
	//     type name = string;
	//   }
	// }
}

// A component binary loads as the WIT it implements (the world `root` of
// package root:component), as `wasm-tools component wit` shows it.
func ExampleLoad_component() {
	var r diag.Report
	res, pkg := loader.Load("../examples/components/calc.wasm", loader.Options{}, &r)
	if r.HasErrors() {
		fmt.Print(diag.Renderer{}.Render(r.Diagnostics))
		return
	}
	fmt.Print(wit.Print(res, pkg))
	// Output:
	// package root:component;
	//
	// world root {
	//   export witc:examples/calc@0.1.0;
	//   export version: func() -> u32;
	// }
	// package witc:examples@0.1.0 {
	//   interface calc {
	//     add: func(a: u32, b: u32) -> u32;
	//
	//     mul: func(a: u32, b: u32) -> u32;
	//   }
	// }
}

// Items gated by @unstable(feature = ...) are left out unless
// Options.Features (or AllFeatures) enables them.
func ExampleOptions() {
	for _, opts := range []loader.Options{{}, {Features: []string{"watch"}}} {
		var r diag.Report
		_, pkg := loader.Load("../examples/wit/kv", opts, &r)
		if r.HasErrors() {
			fmt.Print(diag.Renderer{}.Render(r.Diagnostics))
			return
		}
		watch := pkg.Interface("store").Function("watch")
		fmt.Printf("features %v: watch %v\n", opts.Features, watch != nil)
	}
	// Output:
	// features []: watch false
	// features [watch]: watch true
}

// Errors are reported as diagnostics, every one of them, each with its
// position and the source line.
func ExampleLoad_diagnostics() {
	var r diag.Report
	loader.Load("../examples/wit/broken.wit", loader.Options{}, &r)
	fmt.Print(diag.Renderer{}.Render(r.Diagnostics))
	// Output:
	// ../examples/wit/broken.wit:6:8: error: type `coord` does not exist
	//      |
	//    6 |     y: coord,
	//      |        ^----
	// ../examples/wit/broken.wit:9:35: error: type `point` used in a handle must be a resource
	//      |
	//    9 |   move: func(p: point, by: borrow<point>) -> point;
	//      |                                   ^----
	// ../examples/wit/broken.wit:14:10: error: interface cannot be exported more than once
	//      |
	//   14 |   export api;
	//      |          ^--
}
