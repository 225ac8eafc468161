package component

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

func kitchen(b *testing.B) []byte {
	p := filepath.Join("..", "..", "shared", "corpus", "components", "kitchen-lib.wasm")
	data, err := os.ReadFile(p)
	if err != nil {
		b.Skipf("%s not found", p)
	}
	return data
}

// BenchmarkCopyBaseline copies the 12 MB component: the memory-bandwidth
// baseline the other benchmarks are compared with.
func BenchmarkCopyBaseline(b *testing.B) {
	data := kitchen(b)
	b.SetBytes(int64(len(data)))
	for i := 0; i < b.N; i++ {
		_ = bytes.Clone(data)
	}
}

func BenchmarkDecode(b *testing.B) {
	data := kitchen(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := Decode(data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeEncode(b *testing.B) {
	data := kitchen(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		c, err := Decode(data)
		if err != nil {
			b.Fatal(err)
		}
		_ = Encode(c)
	}
}
