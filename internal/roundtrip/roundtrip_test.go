// Package roundtrip checks that printing resolved WIT and resolving the
// printed text again gives the same model: for every WIT input it can find,
// load → wit.Print → load the printed text → JSON must be identical.
package roundtrip

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/witc-dev/witc/diag"
	"github.com/witc-dev/witc/internal/textdiff"
	"github.com/witc-dev/witc/loader"
	"github.com/witc-dev/witc/wit"
)

func repoRoot(t *testing.T) string {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Join(wd, "..", "..")
}

// inputs returns the WIT inputs to round-trip: the bundled examples and, when
// ../shared exists, the passing wit-parser UI cases and the WASI sets.
func inputs(t *testing.T) []string {
	root := repoRoot(t)
	paths := []string{filepath.Join(root, "examples", "wit", "kv")}
	shared := filepath.Join(root, "..", "shared", "conformance")
	if _, err := os.Stat(shared); err != nil {
		t.Logf("%s not found: only the bundled examples are round-tripped", shared)
		return paths
	}
	ui := filepath.Join(shared, "wit-parser-ui")
	ents, err := os.ReadDir(ui)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		if e.Name() == "parse-fail" || (!e.IsDir() && !strings.HasSuffix(e.Name(), ".wit")) {
			continue
		}
		if e.Name() == "kinds-of-deps" { // needs binary WIT packages
			continue
		}
		paths = append(paths, filepath.Join(ui, e.Name()))
	}
	for _, v := range []string{"0.2.0", "0.2.12", "0.3.0"} {
		dirs, _ := filepath.Glob(filepath.Join(shared, "wasi-wit", v, "*"))
		paths = append(paths, dirs...)
	}
	sort.Strings(paths)
	return paths
}

func load(t *testing.T, path string, opts loader.Options) (*wit.Resolve, *wit.Package, bool) {
	var r diag.Report
	res, pkg := loader.Load(path, opts, &r)
	if r.HasErrors() {
		t.Errorf("loading %s:\n%s", path, diag.Renderer{}.Render(r.Diagnostics))
		return nil, nil, false
	}
	return res, pkg, true
}

func TestPrintRoundTrip(t *testing.T) {
	opts := loader.Options{Features: []string{"active"}}
	n := 0
	for _, path := range inputs(t) {
		name := filepath.Base(filepath.Dir(path)) + "/" + filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			res, pkg, ok := load(t, path, opts)
			if !ok {
				return
			}
			text := wit.Print(res, pkg)
			out := filepath.Join(t.TempDir(), "printed.wit")
			if err := os.WriteFile(out, []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
			res2, pkg2, ok := load(t, out, opts)
			if !ok {
				t.Logf("printed text:\n%s", text)
				return
			}
			if a, b := dump(res), dump(res2); a != b {
				t.Errorf("model changed after print → parse → resolve\n%s\nprinted text:\n%s", textdiff.First(a, b), text)
			}
			// Package order follows IDs, which depend on names and
			// dependencies, so the text is compared one step later: printing
			// the re-parsed model must reach a fixed point.
			text2 := wit.Print(res2, pkg2)
			out2 := filepath.Join(t.TempDir(), "printed2.wit")
			if err := os.WriteFile(out2, []byte(text2), 0o644); err != nil {
				t.Fatal(err)
			}
			if res3, pkg3, ok := load(t, out2, opts); ok {
				if text3 := wit.Print(res3, pkg3); text3 != text2 {
					t.Errorf("printing does not reach a fixed point:\n%s", textdiff.First(text2, text3))
				}
			}
			n++
		})
	}
	t.Logf("%d inputs round-tripped", n)
}
