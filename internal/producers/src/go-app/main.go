// go-app: a wasi:cli command in Go (GOOS=wasip1) that imports
// producers:lib/api through hand-written canonical-ABI glue
// (//go:wasmimport). Built with go build, the import world embedded with
// jco's wasm-tools (componentEmbed) and made a component by `jco new
// --wasi-command` (jco's preview1 command adapter). Composed with c-lib by
// witc compose: the case 3, a Go app passing a 100 000-byte
// list<u8> to a C library and printing afterwards.
//
// This directory is its own Go module so that the witc module's
// `go build ./...` and `go vet ./...` do not see wasip1-only code.
package main

import (
	"fmt"
	"os"
	"runtime"
	"unsafe"
)

// The flat signatures: strings and lists are (ptr, len); a result of more
// than one flat value is written to a return area whose address is the
// last parameter; a resource is an i32 handle.

//go:wasmimport producers:lib/api@0.1.0 greet
func libGreet(ptr, n, ret uint32)

//go:wasmimport producers:lib/api@0.1.0 checksum
func libChecksum(ptr, n uint32) uint32

//go:wasmimport producers:lib/api@0.1.0 fill
func libFill(n, seed, ret uint32)

//go:wasmimport producers:lib/api@0.1.0 sum
func libSum(ptr, n uint32) int64

//go:wasmimport producers:lib/api@0.1.0 split
func libSplit(ptr, n, sepPtr, sepN, ret uint32)

//go:wasmimport producers:lib/api@0.1.0 translate
func libTranslate(x, y int32, labelPtr, labelN uint32, dx, dy int32, ret uint32)

//go:wasmimport producers:lib/api@0.1.0 [constructor]counter
func counterNew(start uint32) int32

//go:wasmimport producers:lib/api@0.1.0 [method]counter.add
func counterAdd(self int32, n uint32) uint32

//go:wasmimport producers:lib/api@0.1.0 [method]counter.get
func counterGet(self int32) uint32

//go:wasmimport producers:lib/api@0.1.0 [resource-drop]counter
func counterDrop(self int32)

// arena is where cabi_import_realloc puts what the library returns (the
// canonical ABI calls it while lowering a result). It must not allocate on
// the Go heap: an allocation may start a garbage collection, which reads
// the clock through WASI, and an import call from inside realloc is
// forbidden (jco traps with "cannot leave component instance"). Each
// wrapper below resets it before its call and copies the results out.
var (
	arena     [1 << 18]byte
	arenaUsed uint32
)

// The allocator is exported as cabi_import_realloc (what wit-component uses
// to lower import results) rather than cabi_realloc, so that the WASI
// adapter does not call into Go before the runtime is initialised.
//
//go:wasmexport cabi_import_realloc
func cabiImportRealloc(oldPtr, oldSize, align, newSize uint32) uint32 {
	base := uint32(uintptr(unsafe.Pointer(&arena[0])))
	p := (base + arenaUsed + align - 1) &^ (align - 1)
	if p+newSize > base+uint32(len(arena)) {
		return 0 // out of memory: the caller traps on the write
	}
	arenaUsed = p + newSize - base
	if oldSize != 0 {
		copy(arena[p-base:p-base+oldSize], arena[oldPtr-base:oldPtr-base+oldSize])
	}
	return p
}

func ptrOf(b []byte) uint32 {
	if len(b) == 0 {
		return 1
	}
	return uint32(uintptr(unsafe.Pointer(&b[0])))
}

func addr[T any](p *T) uint32 { return uint32(uintptr(unsafe.Pointer(p))) }

// take copies n bytes at p (in the arena) out.
func take(p, n uint32) []byte {
	if n == 0 {
		return []byte{}
	}
	off := p - uint32(uintptr(unsafe.Pointer(&arena[0])))
	return append([]byte(nil), arena[off:off+n]...)
}

func greet(s string) string {
	in := []byte(s)
	var ret [2]uint32
	arenaUsed = 0
	libGreet(ptrOf(in), uint32(len(in)), addr(&ret[0]))
	runtime.KeepAlive(in)
	return string(take(ret[0], ret[1]))
}

func checksum(b []byte) uint32 {
	r := libChecksum(ptrOf(b), uint32(len(b)))
	runtime.KeepAlive(b)
	return r
}

func fill(n uint32, seed uint8) []byte {
	var ret [2]uint32
	arenaUsed = 0
	libFill(n, uint32(seed), addr(&ret[0]))
	return take(ret[0], ret[1])
}

func sum(xs []int32) int64 {
	p := uint32(4)
	if len(xs) > 0 {
		p = addr(&xs[0])
	}
	r := libSum(p, uint32(len(xs)))
	runtime.KeepAlive(xs)
	return r
}

func split(s, sep string) []string {
	a, b := []byte(s), []byte(sep)
	var ret [2]uint32
	arenaUsed = 0
	libSplit(ptrOf(a), uint32(len(a)), ptrOf(b), uint32(len(b)), addr(&ret[0]))
	runtime.KeepAlive(a)
	runtime.KeepAlive(b)
	elems := take(ret[0], ret[1]*8)
	var out []string
	for i := uint32(0); i < ret[1]; i++ {
		e := elems[i*8:]
		ptr := uint32(e[0]) | uint32(e[1])<<8 | uint32(e[2])<<16 | uint32(e[3])<<24
		n := uint32(e[4]) | uint32(e[5])<<8 | uint32(e[6])<<16 | uint32(e[7])<<24
		out = append(out, string(take(ptr, n)))
	}
	return out
}

type point struct {
	x, y  int32
	label string
}

func translate(p point, dx, dy int32) point {
	l := []byte(p.label)
	var ret [4]uint32
	arenaUsed = 0
	libTranslate(p.x, p.y, ptrOf(l), uint32(len(l)), dx, dy, addr(&ret[0]))
	runtime.KeepAlive(l)
	return point{int32(ret[0]), int32(ret[1]), string(take(ret[2], ret[3]))}
}

func main() {
	fmt.Println("go-app: start")
	for i, a := range os.Args[1:] {
		fmt.Printf("arg %d: %s\n", i+1, a)
	}
	if g, ok := os.LookupEnv("GREETING"); ok {
		fmt.Printf("GREETING=%s\n", g)
	} else {
		fmt.Println("GREETING is not set")
	}

	for _, s := range []string{"wörld", ""} {
		fmt.Printf("greet(%q) = %q\n", s, greet(s))
	}

	big := make([]byte, 100000)
	for i := range big {
		big[i] = byte(i * 7)
	}
	fmt.Printf("checksum(100000 bytes) = 0x%08x\n", checksum(big))
	fmt.Printf("checksum(\"Wikipedia\") = 0x%08x\n", checksum([]byte("Wikipedia")))
	fmt.Printf("checksum(0 bytes) = 0x%08x\n", checksum(nil))

	fmt.Printf("fill(5, 250) = %v\n", fill(5, 250))
	f := fill(100000, 3)
	fmt.Printf("fill(100000, 3): %d bytes, checksum 0x%08x\n", len(f), checksum(f))

	fmt.Printf("sum([1 -2 2147483647 2147483647 -2147483648]) = %d\n",
		sum([]int32{1, -2, 2147483647, 2147483647, -2147483648}))
	fmt.Printf("sum([]) = %d\n", sum(nil))

	fmt.Print("split(\"a,b,,c\", \",\") = [")
	for i, s := range split("a,b,,c", ",") {
		if i > 0 {
			fmt.Print(" ")
		}
		fmt.Printf("%q", s)
	}
	fmt.Println("]")

	p := translate(point{1, 2, "p"}, 10, -20)
	fmt.Printf("translate({1 2 \"p\"}, 10, -20) = {%d %d %q}\n", p.x, p.y, p.label)

	c := counterNew(5)
	a := counterAdd(c, 3)
	b := counterAdd(c, 4)
	fmt.Printf("counter(5): add(3) = %d, add(4) = %d, get() = %d\n", a, b, counterGet(c))
	counterDrop(c)

	fmt.Fprintln(os.Stderr, "go-app: a line on stderr")
	if len(os.Args) > 1 && os.Args[1] == "fail" {
		fmt.Fprintln(os.Stderr, "go-app: failing with status 2")
		os.Exit(2)
	}
	fmt.Println("go-app: done")
}
