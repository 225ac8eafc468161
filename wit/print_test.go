package wit

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/witc-dev/witc/internal/textdiff"
)

// TestPrintCorpus prints the resolve of every corpus component (decoded
// from wasm-tools' JSON) and compares with `wasm-tools component wit`.
func TestPrintCorpus(t *testing.T) {
	shared, _ := filepath.Abs(filepath.Join("..", "..", "shared"))
	files, _ := filepath.Glob(filepath.Join(shared, "corpus/components/*.wit.json"))
	if len(files) == 0 {
		t.Skipf("no corpus under %s", shared)
	}
	for _, p := range files {
		js, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(strings.TrimSuffix(p, ".wit.json") + ".full.wit")
		if err != nil {
			t.Fatal(err)
		}
		r, err := decodeJSON(js)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		// The main package is the one printed first.
		head := strings.TrimPrefix(strings.SplitN(string(want), ";", 2)[0], "package ")
		var main *Package
		for _, pk := range r.Packages {
			if pk.Name.String() == head {
				main = pk
			}
		}
		if main == nil {
			t.Fatalf("%s: main package %q not found", p, head)
		}
		if got := Print(r, main); got != string(want) {
			t.Errorf("%s: printed WIT differs from wasm-tools:\n%s", filepath.Base(p), textdiff.First(string(want), got))
		}
	}
}
