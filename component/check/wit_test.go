package check

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/witc-dev/witc/internal/textdiff"
	"github.com/witc-dev/witc/wit"
)

// TestWITCorpus extracts the WIT of every corpus component and compares it
// with `wasm-tools component wit` (text) and `--json`.
func TestWITCorpus(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "..", "shared", "corpus", "components", "*.wasm"))
	if len(files) == 0 {
		t.Skip("../shared/corpus not found")
	}
	for _, p := range files {
		base := strings.TrimSuffix(p, ".wasm")
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		res, pkg, err := DecodeWIT(b)
		if err != nil {
			t.Errorf("%s: %v", filepath.Base(p), err)
			continue
		}
		var js bytes.Buffer
		if err := wit.WriteJSON(&js, res); err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(base + ".wit.json")
		if err != nil {
			t.Fatal(err)
		}
		if d := textdiff.First(strings.TrimSpace(string(want)), strings.TrimSpace(js.String())); d != "" {
			t.Errorf("%s: JSON differs from wasm-tools:\n%s", filepath.Base(p), d)
		}
		wantWIT, err := os.ReadFile(base + ".full.wit")
		if err != nil {
			t.Fatal(err)
		}
		if d := textdiff.First(string(wantWIT), wit.Print(res, pkg)); d != "" {
			t.Errorf("%s: WIT differs from wasm-tools:\n%s", filepath.Base(p), d)
		}
	}
}
