package check

import (
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkWIT is decode + check + WIT extraction: `witc wit` minus I/O.
func BenchmarkWIT(b *testing.B) {
	p := filepath.Join("..", "..", "..", "shared", "corpus", "components", "kitchen-lib.wasm")
	data, err := os.ReadFile(p)
	if err != nil {
		b.Skipf("%s not found", p)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, _, err := DecodeWIT(data); err != nil {
			b.Fatal(err)
		}
	}
}
