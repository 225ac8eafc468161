package compose_test

import (
	"fmt"
	"log"
	"os"

	"github.com/witc-dev/witc/component/check"
	"github.com/witc-dev/witc/compose"
)

// A composition built from Go without a document: two instances of
// calc.wasm, app.wasm instantiated with the second one's calc interface,
// and app's export exported. (WAC documents lower to the same graph.)
func ExampleGraph() {
	must := func(err error) {
		if err != nil {
			log.Fatal(err)
		}
	}
	read := func(path string) []byte {
		b, err := os.ReadFile(path)
		must(err)
		return b
	}
	g := compose.NewGraph()
	calc, err := g.AddPackage("witc:calc", nil, read("../examples/components/calc.wasm"))
	must(err)
	app, err := g.AddPackage("witc:app", nil, read("../examples/components/app.wasm"))
	must(err)

	g.Instantiate(calc) // a first instance, unused: instances are independent
	second := g.Instantiate(calc)
	iface, err := g.Alias(second, "witc:examples/calc@0.1.0")
	must(err)
	a := g.Instantiate(app)
	must(g.SetArgument(a, "witc:examples/calc@0.1.0", iface))
	out, err := g.Alias(a, "witc:examples/app@0.1.0")
	must(err)
	must(g.Export(out, "witc:examples/app@0.1.0"))

	b, err := g.Encode(compose.EncodeOptions{Validate: true})
	must(err)
	_, pkg, err := check.DecodeWIT(b)
	must(err)
	w := pkg.Worlds[0]
	fmt.Println("imports:", len(w.Imports))
	for _, e := range w.Exports {
		fmt.Println("export:", e.Key.Interface.QualifiedName())
	}
	// Output:
	// imports: 0
	// export: witc:examples/app@0.1.0
}
