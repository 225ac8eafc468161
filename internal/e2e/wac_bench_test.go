package e2e

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/witc-dev/witc/compose"
	"github.com/witc-dev/witc/wac"
)

// BenchmarkComposeKitchenPlug and BenchmarkComposeKitchenWAC compose the
// two 12 MB kitchen components of the corpus, in plug mode and from a
// WAC document (testdata/wac/kitchen.wac), reading the inputs and
// encoding the output: run them together to compare.
func BenchmarkComposeKitchenPlug(b *testing.B) {
	app, lib := corpus(b, "kitchen-app.wasm"), corpus(b, "kitchen-lib.wasm")
	b.SetBytes(int64(len(app) + len(lib)))
	for b.Loop() {
		// Read the files each time, as the WAC benchmark does.
		app, lib = corpus(b, "kitchen-app.wasm"), corpus(b, "kitchen-lib.wasm")
		res, err := compose.Compose([]compose.Input{{Name: "kitchen-app.wasm", Bytes: app}, {Name: "kitchen-lib.wasm", Bytes: lib}}, compose.Options{})
		if err != nil {
			b.Fatal(err)
		}
		_ = res.Bytes()
	}
}

func BenchmarkComposeKitchenWAC(b *testing.B) {
	path := filepath.Join("testdata", "wac", "kitchen.wac")
	src, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	app, lib := corpus(b, "kitchen-app.wasm"), corpus(b, "kitchen-lib.wasm")
	deps := map[string]string{
		"corpus:kitchen-app": filepath.Join(corpusDir, "components", "kitchen-app.wasm"),
		"corpus:kitchen-lib": filepath.Join(corpusDir, "components", "kitchen-lib.wasm"),
	}
	b.SetBytes(int64(len(app) + len(lib)))
	for b.Loop() {
		comp, err := wac.Compose(path, src, wac.Options{Deps: deps})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := comp.Encode(); err != nil {
			b.Fatal(err)
		}
	}
}
