package compose

import (
	"bufio"
	"os"
	"path/filepath"
	"testing"
)

func kitchenPaths(b *testing.B) []string {
	dir := filepath.Join("..", "..", "shared", "corpus", "components")
	ps := []string{filepath.Join(dir, "kitchen-app.wasm"), filepath.Join(dir, "kitchen-lib.wasm")}
	for _, p := range ps {
		if _, err := os.Stat(p); err != nil {
			b.Skipf("%s not found", p)
		}
	}
	return ps
}

// BenchmarkIOBaseline reads the two 12 MB kitchen components and writes
// their concatenation: the physical limit of composing them.
func BenchmarkIOBaseline(b *testing.B) {
	ps := kitchenPaths(b)
	out := filepath.Join(b.TempDir(), "out.wasm")
	for i := 0; i < b.N; i++ {
		f, _ := os.Create(out)
		w := bufio.NewWriterSize(f, 256<<10)
		for _, p := range ps {
			data, err := os.ReadFile(p)
			if err != nil {
				b.Fatal(err)
			}
			w.Write(data)
		}
		w.Flush()
		f.Close()
	}
}

// BenchmarkComposeKitchen reads, composes and writes kitchen-app +
// kitchen-lib.
func BenchmarkComposeKitchen(b *testing.B) {
	ps := kitchenPaths(b)
	out := filepath.Join(b.TempDir(), "out.wasm")
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		var ins []Input
		for _, p := range ps {
			data, err := os.ReadFile(p)
			if err != nil {
				b.Fatal(err)
			}
			ins = append(ins, Input{Name: filepath.Base(p), Bytes: data})
		}
		res, err := Compose(ins, Options{})
		if err != nil {
			b.Fatal(err)
		}
		f, _ := os.Create(out)
		if err := res.Write(f); err != nil {
			b.Fatal(err)
		}
		f.Close()
	}
}
