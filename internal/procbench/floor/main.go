// Command floor is a hello-world that links the libraries witc requires
// (wazero, participle, jennifer, urfave/cli) and net/http, and uses none
// of them: what it costs to start is the floor under witc's start-up that
// witc's own code cannot go below (internal/procbench).
package main

import (
	"fmt"
	_ "net/http"

	_ "github.com/alecthomas/participle/v2"
	_ "github.com/dave/jennifer/jen"
	_ "github.com/tetratelabs/wazero"
	_ "github.com/urfave/cli/v2"
)

func main() { fmt.Println("hello, world") }
