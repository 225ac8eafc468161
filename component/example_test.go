package component_test

import (
	"bytes"
	"fmt"
	"log"
	"os"

	"github.com/witc-dev/witc/component"
)

// Decode reads a component section by section; the imports and exports
// are in their sections, in order, and each core module stays the bytes
// it was (ParseModule reads its imports and exports).
func ExampleDecode() {
	b, err := os.ReadFile("../examples/components/app.wasm")
	if err != nil {
		log.Fatal(err)
	}
	c, err := component.Decode(b)
	if err != nil {
		log.Fatal(err)
	}
	for _, sec := range c.Sections {
		switch sec := sec.(type) {
		case *component.ImportSection:
			for _, im := range sec.Imports {
				fmt.Println("import", im.Name.Name)
			}
		case *component.ExportSection:
			for _, ex := range sec.Exports {
				fmt.Println("export", ex.Name.Name, ex.Item.Sort)
			}
		case *component.ModuleSection:
			m, err := component.ParseModule(sec.Bytes)
			if err != nil {
				log.Fatal(err)
			}
			fmt.Printf("core module of %d bytes:", len(sec.Bytes))
			for _, im := range m.Imports {
				fmt.Printf(" import %s.%s", im.Module, im.Name)
			}
			for _, ex := range m.Exports {
				fmt.Printf(" export %s", ex.Name)
			}
			fmt.Println()
		}
	}
	// Output:
	// import witc:examples/calc@0.1.0
	// core module of 98 bytes: import calc.add export double-sum
	// export witc:examples/app@0.1.0 instance
}

// Encode writes a decoded component back: the same bytes for a component
// wasm-tools (or witc) encoded.
func ExampleEncode() {
	b, err := os.ReadFile("../examples/components/calc.wasm")
	if err != nil {
		log.Fatal(err)
	}
	c, err := component.Decode(b)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(bytes.Equal(component.Encode(c), b))
	// Output:
	// true
}

// A malformed binary is an error that says what is wrong and where.
func ExampleDecode_error() {
	b, err := os.ReadFile("../examples/components/calc.wasm")
	if err != nil {
		log.Fatal(err)
	}
	_, err = component.Decode(b[:len(b)-20])
	fmt.Println(err)
	// Output:
	// at byte offset 0xf9: length 75 exceeds the 55 bytes left
}
