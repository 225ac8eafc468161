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
	"runtime/debug"
)

func main() {
	// witc runs for milliseconds and allocates little (a few MB for all of
	// WASI); collecting garbage less often makes it about a third faster.
	// GOGC in the environment still wins.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	// The WIT commands bound their memory by the size of their input
	// (witMemoryLimit); tests, which run the commands in their own
	// process, leave it alone.
	limitWITMemory = os.Getenv("GOMEMLIMIT") == ""
	os.Exit(run(context.Background(), os.Args, os.Stdout, os.Stderr))
}
