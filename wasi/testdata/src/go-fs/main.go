// go-fs: a wasi:cli command that uses the filesystem of a granted
// directory (witc run --dir HOST::/data): it lists /data, reads
// /data/hello.txt, writes /data/out.txt, creates /data/sub, moves out.txt
// there, truncates it, sets its times, links and symlinks it.
// Built by `make fixtures` (GOOS=wasip1, then `jco new --wasi-command`).
package main

import (
	"fmt"
	"os"
	"sort"
	"time"
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
	step := func(what string, err error) {
		if err != nil {
			fmt.Println(what+":", err)
			os.Exit(1)
		}
	}
	step("rename", os.Rename("/data/out.txt", "/data/sub/moved.txt"))
	step("truncate", os.Truncate("/data/sub/moved.txt", 7))
	when := time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC)
	step("chtimes", os.Chtimes("/data/sub/moved.txt", when, when))
	fi, err := os.Stat("/data/sub/moved.txt")
	step("stat", err)
	fmt.Println("moved.txt:", fi.Size(), "bytes, modified", fi.ModTime().UTC().Format(time.RFC3339))
	step("symlink", os.Symlink("moved.txt", "/data/sub/link"))
	target, err := os.Readlink("/data/sub/link")
	step("readlink", err)
	fmt.Println("link ->", target)
	step("link", os.Link("/data/sub/moved.txt", "/data/hard.txt"))
	b, err = os.ReadFile("/data/hard.txt")
	step("read hard link", err)
	fmt.Printf("hard.txt: %q\n", b)
	if err := os.Symlink("/etc/passwd", "/data/evil"); err == nil {
		if _, err := os.ReadFile("/data/evil"); err == nil {
			fmt.Println("escape through a symlink allowed!")
		}
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
