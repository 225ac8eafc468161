// Command witc is a toolchain for the WebAssembly Component Model: it checks
// and prints WIT, reads component binaries, composes components, runs them on
// wazero and generates Go host bindings.
//
// This package only wires flags to library calls and writes their results;
// the work is done by the packages of the module.
package main

import (
	"context"
	"os"
)

func main() {
	os.Exit(run(context.Background(), os.Args, os.Stdout, os.Stderr))
}
