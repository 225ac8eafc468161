package component

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// corpus returns the component binaries available to the tests: the
// repository's examples and, when present, ../shared/corpus.
func corpus(t testing.TB) []string {
	var files []string
	for _, pat := range []string{
		filepath.Join("..", "examples", "components", "*.wasm"),
		filepath.Join("testdata", "*.wasm"),
		filepath.Join("..", "..", "shared", "corpus", "components", "*.wasm"),
	} {
		m, _ := filepath.Glob(pat)
		files = append(files, m...)
	}
	return files
}

func TestDecodeEncodeRoundTrip(t *testing.T) {
	files := corpus(t)
	if len(files) == 0 {
		t.Fatal("no components found")
	}
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		c, err := Decode(b)
		if err != nil {
			t.Errorf("%s: %v", p, err)
			continue
		}
		if out := Encode(c); !bytes.Equal(out, b) {
			i := 0
			for i < len(out) && i < len(b) && out[i] == b[i] {
				i++
			}
			t.Errorf("%s: re-encoded bytes differ at offset %#x (got %d bytes, want %d)", p, i, len(out), len(b))
		}
	}
	t.Logf("%d components round-tripped", len(files))
}
