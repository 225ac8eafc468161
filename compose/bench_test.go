package compose

import (
	"io"
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

// readKitchen reads the two 12 MB kitchen components.
func readKitchen(b *testing.B, ps []string) []Input {
	var ins []Input
	for _, p := range ps {
		data, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		ins = append(ins, Input{Name: filepath.Base(p), Bytes: data})
	}
	return ins
}

// BenchmarkIOBaseline reads the two 12 MB kitchen components and writes
// their concatenation as the composition's writer does (one write each):
// the physical limit of composing them.
func BenchmarkIOBaseline(b *testing.B) {
	ps := kitchenPaths(b)
	out := filepath.Join(b.TempDir(), "out.wasm")
	for i := 0; i < b.N; i++ {
		ins := readKitchen(b, ps)
		f, err := os.Create(out)
		if err != nil {
			b.Fatal(err)
		}
		for _, in := range ins {
			if _, err := f.Write(in.Bytes); err != nil {
				b.Fatal(err)
			}
		}
		f.Close()
	}
}

// BenchmarkComposeKitchen reads, composes (plug mode) and writes
// kitchen-app + kitchen-lib.
func BenchmarkComposeKitchen(b *testing.B) {
	ps := kitchenPaths(b)
	out := filepath.Join(b.TempDir(), "out.wasm")
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		res, err := Compose(readKitchen(b, ps), Options{})
		if err != nil {
			b.Fatal(err)
		}
		f, err := os.Create(out)
		if err != nil {
			b.Fatal(err)
		}
		if err := res.Write(f); err != nil {
			b.Fatal(err)
		}
		f.Close()
	}
}

// BenchmarkComposeKitchenInMemory is Compose alone: the inputs read once,
// nothing written; what composing adds to the I/O.
func BenchmarkComposeKitchenInMemory(b *testing.B) {
	ins := readKitchen(b, kitchenPaths(b))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := Compose(ins, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// kitchenGraph is the graph a WAC document builds of the kitchen pair:
// kitchen-lib's api plugged into kitchen-app, whose run interface is
// exported.
func kitchenGraph(b *testing.B, ins []Input) *Graph {
	must := func(err error) {
		if err != nil {
			b.Fatal(err)
		}
	}
	g := NewGraph()
	app, err := g.AddPackage("corpus:app", nil, ins[0].Bytes)
	must(err)
	lib, err := g.AddPackage("corpus:lib", nil, ins[1].Bytes)
	must(err)
	api, err := g.Alias(g.Instantiate(lib), "corpus:kitchen/api@0.1.0")
	must(err)
	a := g.Instantiate(app)
	must(g.SetArgument(a, "corpus:kitchen/api@0.1.0", api))
	run, err := g.Alias(a, "wasi:cli/run@0.2.12")
	must(err)
	must(g.Export(run, "wasi:cli/run@0.2.12"))
	return g
}

// BenchmarkComposeKitchenWAC is BenchmarkComposeKitchen through a graph,
// as `witc compose` of a WAC document does it: the graph of kitchenGraph
// streamed to the file (EncodeTo), validated.
func BenchmarkComposeKitchenWAC(b *testing.B) {
	ps := kitchenPaths(b)
	out := filepath.Join(b.TempDir(), "out.wasm")
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		g := kitchenGraph(b, readKitchen(b, ps))
		f, err := os.Create(out)
		if err != nil {
			b.Fatal(err)
		}
		if err := g.EncodeTo(f, EncodeOptions{Validate: true}); err != nil {
			b.Fatal(err)
		}
		f.Close()
	}
}

// BenchmarkComposeKitchenWACEncode is BenchmarkComposeKitchenWAC with
// the output encoded in memory (Encode), then written.
func BenchmarkComposeKitchenWACEncode(b *testing.B) {
	ps := kitchenPaths(b)
	out := filepath.Join(b.TempDir(), "out.wasm")
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		wasm, err := kitchenGraph(b, readKitchen(b, ps)).Encode(EncodeOptions{Validate: true})
		if err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(out, wasm, 0o644); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkComposeKitchenWACInMemory is the graph built and streamed
// alone: the inputs read once, the output discarded; what composing adds
// to the I/O, as BenchmarkComposeKitchenInMemory for plug mode.
func BenchmarkComposeKitchenWACInMemory(b *testing.B) {
	ins := readKitchen(b, kitchenPaths(b))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if err := kitchenGraph(b, ins).EncodeTo(io.Discard, EncodeOptions{Validate: true}); err != nil {
			b.Fatal(err)
		}
	}
}
