package check_test

import (
	"fmt"
	"log"
	"os"

	"github.com/witc-dev/witc/component"
	"github.com/witc-dev/witc/component/check"
	"github.com/witc-dev/witc/wit"
)

// Validate decodes and checks a component as `witc validate` does: nil for
// a valid one, the first thing wrong and where for any other.
func ExampleValidate() {
	b, err := os.ReadFile("../../examples/components/app.wasm")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(check.Validate(b))
	fmt.Println(check.Validate(b[:len(b)-20]))
	// Output:
	// <nil>
	// at byte offset 0x124: length 72 exceeds the 52 bytes left
}

// DecodeWIT gives the WIT a component implements (its world `root`), as
// `wasm-tools component wit` prints it with wit.Print.
func ExampleDecodeWIT() {
	b, err := os.ReadFile("../../examples/components/greeter.wasm")
	if err != nil {
		log.Fatal(err)
	}
	res, pkg, err := check.DecodeWIT(b)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print(wit.Print(res, pkg))
	// Output:
	// package root:component;
	//
	// world root {
	//   export witc:examples/greeter@0.1.0;
	// }
	// package witc:examples@0.1.0 {
	//   interface greeter {
	//     greet: func(name: string) -> string;
	//
	//     calls: func() -> u32;
	//   }
	// }
}

// Component type-checks a decoded component; its Types list the imports
// and exports and give their WIT.
func ExampleComponent() {
	b, err := os.ReadFile("../../examples/components/calc.wasm")
	if err != nil {
		log.Fatal(err)
	}
	c, err := component.Decode(b)
	if err != nil {
		log.Fatal(err)
	}
	types, err := check.Component(c)
	if err != nil {
		log.Fatal(err)
	}
	for _, ex := range types.Exports() {
		fmt.Println("export", ex.Name.Name)
	}
	_, pkg, err := types.WIT()
	if err != nil {
		log.Fatal(err)
	}
	root := pkg.World("root")
	for _, e := range root.Exports {
		switch item := e.Item.(type) {
		case *wit.WorldInterface:
			for _, f := range item.Interface.Functions {
				fmt.Printf("%s#%s: %s\n", item.Interface.QualifiedName(), f.Name, wit.FuncTypeString(f))
			}
		case *wit.Function:
			fmt.Printf("%s: %s\n", item.Name, wit.FuncTypeString(item))
		}
	}
	// Output:
	// export witc:examples/calc@0.1.0
	// export version
	// witc:examples/calc@0.1.0#add: func(a: u32, b: u32) -> u32
	// witc:examples/calc@0.1.0#mul: func(a: u32, b: u32) -> u32
	// version: func() -> u32
}

// Inspect describes a component: its structure, and its imports and
// exports with their types.
func ExampleInspect() {
	b, err := os.ReadFile("../../examples/components/app.wasm")
	if err != nil {
		log.Fatal(err)
	}
	in, err := check.Inspect(b)
	if err != nil {
		log.Fatal(err)
	}
	for _, im := range in.Imports {
		fmt.Println("import", im.Name+":", im.Type)
	}
	for _, ex := range in.Exports {
		fmt.Println("export", ex.Name+":", ex.Type)
	}
	// Output:
	// import witc:examples/calc@0.1.0: instance { add: func(a: u32, b: u32) -> u32 }
	// export witc:examples/app@0.1.0: instance { double-sum: func(x: u32, y: u32) -> u32 }
}
