package check

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/witc-dev/witc/component"
)

func kitchen(b *testing.B) []byte {
	p := filepath.Join("..", "..", "..", "shared", "corpus", "components", "kitchen-lib.wasm")
	data, err := os.ReadFile(p)
	if err != nil {
		b.Skipf("%s not found", p)
	}
	return data
}

// BenchmarkCheck type-checks the 12 MB component (decoded once): what
// instantiating it costs on top of compiling and instantiating its modules.
func BenchmarkCheck(b *testing.B) {
	data := kitchen(b)
	c, err := component.Decode(data)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := Component(c); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWIT is decode + check + WIT extraction: `witc wit` minus I/O.
func BenchmarkWIT(b *testing.B) {
	data := kitchen(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, _, err := DecodeWIT(data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkValidate is `witc validate` minus I/O: decode, check and
// validate the code of every core function of the 12 MB component.
func BenchmarkValidate(b *testing.B) {
	data := kitchen(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if err := Validate(data); err != nil {
			b.Fatal(err)
		}
	}
}
