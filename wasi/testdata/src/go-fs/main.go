// go-fs: a wasi:cli command that uses the filesystem of a granted
// directory (witc run --dir HOST::/data): it lists /data, reads
// /data/hello.txt, writes /data/out.txt and creates /data/sub.
// Built by `make fixtures` (GOOS=wasip1, then `jco new --wasi-command`).
package main

import (
	"fmt"
	"os"
	"sort"
)

func main() {
	ents, err := os.ReadDir("/data")
	if err != nil {
		fmt.Println("readdir:", err)
		os.Exit(1)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	fmt.Println("entries:", names)
	b, err := os.ReadFile("/data/hello.txt")
	if err != nil {
		fmt.Println("read:", err)
		os.Exit(1)
	}
	fmt.Printf("hello.txt: %q\n", b)
	if err := os.WriteFile("/data/out.txt", []byte("written by go-fs\n"), 0o644); err != nil {
		fmt.Println("write:", err)
		os.Exit(1)
	}
	if err := os.Mkdir("/data/sub", 0o755); err != nil {
		fmt.Println("mkdir:", err)
	}
	if _, err := os.ReadFile("/data/../etc/passwd"); err != nil {
		fmt.Println("escape refused")
	} else {
		fmt.Println("escape allowed!")
	}
	if _, err := os.ReadFile("/data/missing.txt"); os.IsNotExist(err) {
		fmt.Println("missing.txt: not found")
	}
	fmt.Println("done")
}
