package conformance

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/witc-dev/witc/diag"
	"github.com/witc-dev/witc/loader"
)

// realSets lists every real-world WIT input of the conformance data: WASI
// package directories, the real-wit sets and the wit-bindgen test worlds.
func realSets(t testing.TB, shared string) []string {
	var out []string
	dirs := func(pattern string) {
		m, err := filepath.Glob(filepath.Join(shared, pattern))
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range m {
			if strings.HasSuffix(p, "component-macro-codegen") {
				continue
			}
			if st, err := os.Stat(p); err == nil && st.IsDir() {
				out = append(out, p)
			}
		}
	}
	dirs("wasi-wit/0.2.0/*")
	dirs("wasi-wit/0.2.12/*")
	dirs("wasi-wit/0.3.0/*")
	dirs("wasi-wit/wasmtime-bundled/*")
	dirs("real-wit/wasmtime/*")
	// wasmtime's bindgen! tests are one world per file.
	files, _ := filepath.Glob(filepath.Join(shared, "real-wit", "wasmtime", "component-macro-codegen", "*.wit"))
	out = append(out, files...)
	dirs("real-wit/spin/wit")
	dirs("real-wit/wasi-*/wit")
	codegen := filepath.Join(shared, "real-wit", "wit-bindgen-codegen")
	ents, err := os.ReadDir(codegen)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		p := filepath.Join(codegen, e.Name())
		switch {
		case e.IsDir() && exists(filepath.Join(p, "wit")):
			out = append(out, filepath.Join(p, "wit"))
		case e.IsDir():
			out = append(out, p)
		case strings.HasSuffix(e.Name(), ".wit"):
			out = append(out, p)
		}
	}
	rt := filepath.Join(shared, "wit-bindgen-runtime-wit")
	filepath.WalkDir(rt, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".wit") {
			return err
		}
		dir := filepath.Dir(p)
		if strings.Contains(dir, string(filepath.Separator)+"deps") {
			return nil // a dependency of the test directory above it
		}
		if strings.HasSuffix(dir, filepath.Join("rust", "other-dependencies")) {
			if filepath.Base(p) == "test.wit" {
				out = append(out, p) // its other file is a separate package of the test
			}
			return nil
		}
		if len(out) == 0 || out[len(out)-1] != dir {
			out = append(out, dir)
		}
		return nil
	})
	sort.Strings(out)
	return out
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// realFeatures are the features a set needs, as its producers build it.
func realFeatures(path string) loader.Options {
	if strings.Contains(path, filepath.Join("wasmtime", "wasi-tls")) {
		return loader.Options{Features: []string{"tls"}}
	}
	return loader.Options{}
}

func TestRealWIT(t *testing.T) {
	shared := sharedDir(t)
	sets := realSets(t, shared)
	ok := 0
	for _, p := range sets {
		var r diag.Report
		loader.Load(p, realFeatures(p), &r)
		if r.HasErrors() {
			rel, _ := filepath.Rel(shared, p)
			t.Errorf("%s:\n%s", rel, diag.Renderer{}.Render(r.Diagnostics))
			continue
		}
		ok++
	}
	t.Logf("real WIT: %d of %d sets resolve", ok, len(sets))
	if len(sets) < 100 {
		t.Errorf("only %d real WIT sets found; the conformance data looks incomplete", len(sets))
	}
}
