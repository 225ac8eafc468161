package compose

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/witc-dev/witc/component/check"
)

func corpusInput(t testing.TB, name string) Input {
	p := filepath.Join("..", "..", "shared", "corpus", "components", name)
	b, err := os.ReadFile(p)
	if err != nil {
		t.Skipf("%s not found", p)
	}
	return Input{Name: name, Bytes: b}
}

func TestComposeCorpusPairs(t *testing.T) {
	for _, pair := range [][2]string{{"go-calc-app.wasm", "go-calc.wasm"}, {"kitchen-app.wasm", "kitchen-lib.wasm"}} {
		res, err := Compose([]Input{corpusInput(t, pair[0]), corpusInput(t, pair[1])}, Options{})
		if err != nil {
			t.Fatalf("%v: %v", pair, err)
		}
		if err := check.Validate(res.Bytes()); err != nil {
			t.Fatalf("%v: composed component is invalid: %v", pair, err)
		}
		t.Logf("%v:\n%s", pair, res.Plan.Text())
	}
}
