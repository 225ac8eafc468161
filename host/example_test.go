package host_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"

	"github.com/witc-dev/witc/canonabi"
	"github.com/witc-dev/witc/component/check"
	"github.com/witc-dev/witc/host"
	"github.com/witc-dev/witc/wave"
	"github.com/witc-dev/witc/wit"
)

// Instantiate a component and call one of its exports with Go values of
// its WIT types (canonabi.Value: a u32 is a uint32).
func Example() {
	ctx := context.Background()
	// Options.CacheDir keeps the code wazero compiles, so that the next
	// runtime given the same directory instantiates the component without
	// compiling it again. A program would keep it, e.g. under
	// os.UserCacheDir().
	cache, err := os.MkdirTemp("", "witc-cache")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(cache)
	rt := host.NewRuntime(ctx, host.Options{CacheDir: cache})
	defer rt.Close(ctx)

	b, err := os.ReadFile("../examples/components/calc.wasm")
	if err != nil {
		log.Fatal(err)
	}
	// calc.wasm imports nothing: an empty linker will do.
	in, err := rt.Instantiate(ctx, host.NewLinker(), b)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(in.Exports())

	add, err := in.Func("witc:examples/calc#add") // iface#func; the version may be left out
	if err != nil {
		log.Fatal(err)
	}
	res, err := add.Call(ctx, uint32(2), uint32(40))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("add(2, 40) =", res[0])
	// Output:
	// [version witc:examples/calc@0.1.0#add witc:examples/calc@0.1.0#mul]
	// add(2, 40) = 42
}

// Arguments and results can be written as text in the WebAssembly Value
// Encoding (package wave), typed by the function's WIT type, as
// `witc run --invoke` does.
func ExampleFunc_Call_wave() {
	ctx := context.Background()
	rt := host.NewRuntime(ctx, host.Options{})
	defer rt.Close(ctx)

	b, err := os.ReadFile("../examples/components/greeter.wasm")
	if err != nil {
		log.Fatal(err)
	}
	in, err := rt.Instantiate(ctx, host.NewLinker(), b)
	if err != nil {
		log.Fatal(err)
	}
	greet, err := in.Func("witc:examples/greeter#greet")
	if err != nil {
		log.Fatal(err)
	}
	typ := greet.Type()
	fmt.Println(wit.FuncTypeString(typ))

	var params []wit.Type
	for _, p := range typ.Params {
		params = append(params, p.Type)
	}
	args, err := wave.ParseArgs(params, `"wörld"`)
	if err != nil {
		log.Fatal(err)
	}
	res, err := greet.Call(ctx, args...)
	if err != nil {
		log.Fatal(err)
	}
	out, err := wave.Format(typ.Result, res[0])
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(out)
	// Output:
	// func(name: string) -> string
	// "Hello, wörld!"
}

// Implement a component's import in Go. app.wasm imports
// witc:examples/calc@0.1.0 (its `add`) and exports
// witc:examples/app@0.1.0 with double-sum(x, y) = add(add(x, y), add(x, y)).
// The host function is given the WIT type it implements, here taken from
// the WIT of the component itself; instantiation checks it against the
// import.
func ExampleLinker_Func() {
	ctx := context.Background()
	rt := host.NewRuntime(ctx, host.Options{})
	defer rt.Close(ctx)

	b, err := os.ReadFile("../examples/components/app.wasm")
	if err != nil {
		log.Fatal(err)
	}
	res, _, err := check.DecodeWIT(b)
	if err != nil {
		log.Fatal(err)
	}
	var addType *wit.Function
	for _, iface := range res.Interfaces {
		if iface.QualifiedName() == "witc:examples/calc@0.1.0" {
			addType = iface.Function("add")
		}
	}
	fmt.Println("add:", wit.FuncTypeString(addType))

	l := host.NewLinker()
	l.Func("witc:examples/calc@0.1.0", "add", addType,
		func(ctx context.Context, args []canonabi.Value) ([]canonabi.Value, error) {
			a, b := args[0].(uint32), args[1].(uint32)
			fmt.Printf("host add(%d, %d)\n", a, b)
			return []canonabi.Value{a + b}, nil
		})
	in, err := rt.Instantiate(ctx, l, b)
	if err != nil {
		log.Fatal(err)
	}
	f, err := in.Func("witc:examples/app#double-sum")
	if err != nil {
		log.Fatal(err)
	}
	out, err := f.Call(ctx, uint32(1), uint32(2))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("double-sum(1, 2) =", out[0])
	// Output:
	// add: func(a: u32, b: u32) -> u32
	// host add(1, 2)
	// host add(3, 3)
	// double-sum(1, 2) = 6
}

// Every import is linked before any code of the component runs: the
// imports nothing provides fail the instantiation together, each named
// with what would provide it.
func ExampleMissingImportsError() {
	ctx := context.Background()
	rt := host.NewRuntime(ctx, host.Options{})
	defer rt.Close(ctx)

	b, err := os.ReadFile("../examples/components/app.wasm")
	if err != nil {
		log.Fatal(err)
	}
	_, err = rt.Instantiate(ctx, host.NewLinker(), b)
	fmt.Println(err)
	var missing *host.MissingImportsError
	if errors.As(err, &missing) {
		fmt.Println(len(missing.Missing), "missing:", missing.Missing[0].Name)
	}
	// Output:
	// component imports what nothing provides:
	//   witc:examples/calc@0.1.0 (compose it with a component that exports witc:examples/calc@0.1.0: witc compose APP.wasm PROVIDER.wasm)
	// 1 missing: witc:examples/calc@0.1.0
}

// Compile a component once and create as many instances of it as needed,
// each with state of its own: what a server creating an instance per
// request does (package wasihttp).
func ExampleCompiled() {
	ctx := context.Background()
	rt := host.NewRuntime(ctx, host.Options{})
	defer rt.Close(ctx)
	b, err := os.ReadFile("../examples/components/calc.wasm")
	if err != nil {
		log.Fatal(err)
	}
	cc, err := rt.Compile(ctx, b) // decoded, checked and compiled once
	if err != nil {
		log.Fatal(err)
	}
	defer cc.Close(ctx)
	for i := range 3 {
		in, err := cc.Instantiate(ctx, host.NewLinker()) // no compiling here
		if err != nil {
			log.Fatal(err)
		}
		mul, err := in.Func("witc:examples/calc#mul")
		if err != nil {
			log.Fatal(err)
		}
		res, err := mul.Call(ctx, uint32(i), uint32(7))
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("instance", i, "mul:", res[0])
		in.Close(ctx)
	}
	// Output:
	// instance 0 mul: 0
	// instance 1 mul: 7
	// instance 2 mul: 14
}
