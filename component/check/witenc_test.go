package check_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/witc-dev/witc/component"
	"github.com/witc-dev/witc/component/check"
	"github.com/witc-dev/witc/internal/textdiff"
	"github.com/witc-dev/witc/wit"
)

// stripImportDocs removes the docs written on a world's imports and
// exports, which the package-docs section does not carry (wit-parser does
// not keep them there either).
func stripImportDocs(res *wit.Resolve) {
	for _, w := range res.Worlds {
		for _, es := range [][]wit.WorldEntry{w.Imports, w.Exports} {
			for _, e := range es {
				if it, ok := e.Item.(*wit.WorldInterface); ok && (e.Key.Interface != nil || it.Interface.Name != "") {
					it.Docs = wit.Docs{}
				}
			}
		}
	}
}

// roundTripWIT encodes pkg as a binary WIT package, decodes it and returns
// the printed main package of both sides: types, docs and gates.
func roundTripWIT(t *testing.T, res *wit.Resolve, pkg *wit.Package) (want, got string) {
	stripImportDocs(res)
	c, err := check.EncodeWIT(res, pkg)
	if err != nil {
		if strings.Contains(err.Error(), "component model") {
			t.Logf("%s cannot be encoded: %v", pkg.Name, err) // wasm-tools rejects it too
			return "", ""
		}
		t.Fatalf("encode: %v", err)
	}
	b := component.Encode(c)
	_, pkg2, err := check.DecodeWIT(b)
	if err != nil {
		t.Fatalf("decode of the encoded package: %v", err)
	}
	return wit.PrintPackage(pkg), wit.PrintPackage(pkg2)
}

func TestEncodeWITExamples(t *testing.T) {
	res, pkg := loadTestWIT(t, filepath.Join("..", "..", "examples", "wit", "kv"))
	want, got := roundTripWIT(t, res, pkg)
	if d := textdiff.First(want, got); d != "" {
		t.Errorf("kv: %s", d)
	}
}

func TestEncodeWITConformance(t *testing.T) {
	shared := filepath.Join("..", "..", "..", "shared", "conformance")
	var paths []string
	ui, _ := os.ReadDir(filepath.Join(shared, "wit-parser-ui"))
	for _, e := range ui {
		n := e.Name()
		if n == "parse-fail" || n == "kinds-of-deps" || (!e.IsDir() && !strings.HasSuffix(n, ".wit")) {
			continue
		}
		paths = append(paths, filepath.Join(shared, "wit-parser-ui", n))
	}
	wasi, _ := filepath.Glob(filepath.Join(shared, "wasi-wit", "0.2.12", "*"))
	paths = append(paths, wasi...)
	if len(paths) == 0 {
		t.Skip("conformance data not found")
	}
	ok, skipped := 0, 0
	for _, p := range paths {
		res, pkg := loadTestWIT(t, p)
		if pkg == nil || len(pkg.Interfaces)+len(pkg.Worlds) == 0 {
			skipped++ // an empty package encodes as an empty component
			continue
		}
		want, got := roundTripWIT(t, res, pkg)
		if want == "" {
			skipped++
			continue
		}
		if d := textdiff.First(want, got); d != "" {
			t.Errorf("%s: %s", filepath.Base(p), d)
			continue
		}
		ok++
	}
	t.Logf("%d WIT packages round-trip through the binary encoding, %d skipped (empty, or not encodable)", ok, skipped)
}
