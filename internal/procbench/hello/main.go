// Command hello is the Go hello-world that internal/procbench measures
// witc's start-up against.
package main

import "fmt"

func main() { fmt.Println("hello, world") }
