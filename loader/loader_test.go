package loader

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/witc-dev/witc/diag"
)

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name, path, want string
	}{
		{"missing", filepath.Join(dir, "nope.wit"), "no such file or directory"},
		{"empty dir", dir, "no .wit files found"},
	} {
		var r diag.Report
		Load(tc.path, Options{}, &r)
		if !r.HasErrors() || !contains(r.Diagnostics[0].Message, tc.want) {
			t.Errorf("%s: got %v, want an error containing %q", tc.name, r.Diagnostics, tc.want)
		}
	}
	for _, tc := range []struct {
		content []byte
		want    string
	}{
		{[]byte("\x00asm\x0d\x00\x01\x00\x0d\x00"), "unknown section id 13"},
		{[]byte("\x00asm\x01\x00\x00\x00"), "core WebAssembly module"},
		{[]byte("\x00asm\x0d\x00\x01"), "bad magic"},
	} {
		bin := filepath.Join(dir, "x.wasm")
		os.WriteFile(bin, tc.content, 0o644)
		var r diag.Report
		Load(bin, Options{}, &r)
		if !r.HasErrors() || !contains(r.Diagnostics[0].Message, tc.want) {
			t.Errorf("binary input %x: %v, want an error containing %q", tc.content, r.Diagnostics, tc.want)
		}
	}
}

func TestLoadDeps(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "deps", "b"), 0o755)
	os.WriteFile(filepath.Join(dir, "a.wit"), []byte("package x:a;\ninterface i { use x:b/t.{n}; f: func(v: n); }\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "deps", "b", "t.wit"), []byte("package x:b;\ninterface t { type n = u32; }\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "deps", "c.wit"), []byte("package x:c;\ninterface unused {}\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "deps", "README.md"), []byte("ignored"), 0o644)
	var r diag.Report
	res, main := Load(dir, Options{}, &r)
	if r.HasErrors() {
		t.Fatal(diag.Renderer{}.Render(r.Diagnostics))
	}
	if main == nil || main.Name.String() != "x:a" {
		t.Fatalf("main package: %v", main)
	}
	if len(res.Packages) != 3 {
		t.Errorf("got %d packages, want 3", len(res.Packages))
	}
	// Sorted by name, each after its dependencies: x:b, x:a, x:c.
	var names []string
	for _, p := range res.Packages {
		names = append(names, p.Name.String())
	}
	if got := strings.Join(names, " "); got != "x:b x:a x:c" {
		t.Errorf("package order %q, want %q", got, "x:b x:a x:c")
	}
}

// TestLoadFS: a package directory with deps/ given in memory loads as it
// does from disk, with diagnostics naming the paths in the file system.
func TestLoadFS(t *testing.T) {
	fsys := fstest.MapFS{
		"app/a.wit":         {Data: []byte("package x:a;\ninterface i { use x:b/t.{n}; f: func(v: n); }\n")},
		"app/deps/b/t.wit":  {Data: []byte("package x:b;\ninterface t { type n = u32; }\n")},
		"app/deps/c.wit":    {Data: []byte("package x:c;\ninterface unused {}\n")},
		"app/deps/notes.md": {Data: []byte("ignored")},
		"app/deps/b/docs/x": {Data: []byte("not WIT")},
		"bad.wit":           {Data: []byte("package x:y;\ninterface i { f: func(v: nope); }\n")},
		"core.wasm":         {Data: []byte("\x00asm\x01\x00\x00\x00")},
	}
	var r diag.Report
	res, main := LoadFS(fsys, "app", Options{}, &r)
	if r.HasErrors() {
		t.Fatal(diag.Renderer{}.Render(r.Diagnostics))
	}
	if main == nil || main.Name.String() != "x:a" || len(res.Packages) != 3 {
		t.Fatalf("main package %v of %d packages", main, len(res.Packages))
	}
	for _, c := range []struct{ name, want string }{
		{"bad.wit", "bad.wit:2:26: name `nope` does not exist"},
		{"missing.wit", "missing.wit: no such file or directory"},
		{"app/deps/b/docs", "no .wit files found in app/deps/b/docs"},
		{"core.wasm", "core.wasm: this is a core WebAssembly module"},
	} {
		var r diag.Report
		LoadFS(fsys, c.name, Options{}, &r)
		if !r.HasErrors() || !contains(r.Diagnostics[0].Error(), c.want) {
			t.Errorf("%s: got %v, want an error containing %q", c.name, r.Err(), c.want)
		}
	}
}

// A file loaded alone does not read the deps/ beside it; the unknown
// package's error says to load the directory.
func TestDepsHint(t *testing.T) {
	fsys := fstest.MapFS{
		"app/a.wit":        {Data: []byte("package x:a;\ninterface i { use x:b/t.{n}; }\n")},
		"app/deps/b/t.wit": {Data: []byte("package x:b;\ninterface t { type n = u32; }\n")},
		"lone/a.wit":       {Data: []byte("package x:a;\ninterface i { use x:b/t.{n}; }\n")},
	}
	var r diag.Report
	LoadFS(fsys, "app/a.wit", Options{}, &r)
	got := diag.Renderer{}.Render(r.Diagnostics)
	if want := "= help: the packages in `app/deps` are read only with their package directory: load `app` rather than the file"; !contains(got, want) {
		t.Errorf("got\n%s\nwant a help %q", got, want)
	}
	var lone diag.Report
	LoadFS(fsys, "lone/a.wit", Options{}, &lone)
	if got := (diag.Renderer{}).Render(lone.Diagnostics); !lone.HasErrors() || contains(got, "help") {
		t.Errorf("without deps/: %s", got)
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

// wasiSet returns the package directories of WASI 0.2.12 and their total
// size in bytes of WIT source (each dependency counted once per load).
func wasiSet(b *testing.B) ([][]Source, int64) {
	root := filepath.Join("..", "..", "shared", "conformance", "wasi-wit", "0.2.12")
	dirs, _ := filepath.Glob(filepath.Join(root, "*"))
	if len(dirs) == 0 {
		b.Skipf("WASI 0.2.12 WIT not found under %s", root)
	}
	var sets [][]Source
	var size int64
	for _, d := range dirs {
		var r diag.Report
		groups, ok := readGroups(osTree{}, d, &r)
		if !ok {
			b.Fatal(diag.Renderer{}.Render(r.Diagnostics))
		}
		for _, g := range groups {
			for _, f := range g.Files {
				size += int64(len(f.Content))
			}
		}
		sets = append(sets, groups)
	}
	return sets, size
}

// BenchmarkLoadWASI parses and resolves every WASI 0.2.12 package directory
// (with its deps/), from source text already in memory.
func BenchmarkLoadWASI(b *testing.B) {
	sets, size := wasiSet(b)
	b.SetBytes(size)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		for _, groups := range sets {
			var r diag.Report
			Resolve(groups, Options{}, &r)
			if r.HasErrors() {
				b.Fatal(diag.Renderer{}.Render(r.Diagnostics))
			}
		}
	}
}

// TestSizeLimits: a WIT file over maxFileSize, or files adding up to more
// than maxTotalSize, are refused before they are parsed.
func TestSizeLimits(t *testing.T) {
	pad := func(n int) []byte { // a valid file of n bytes
		return append([]byte("package a:b;\n"), []byte(strings.Repeat(" ", n-13))...)
	}
	dep := func(name string) *fstest.MapFile {
		return &fstest.MapFile{Data: append([]byte("package a:"+name+";\n"), []byte(strings.Repeat(" ", maxFileSize-100))...)}
	}
	fsys := fstest.MapFS{
		"big.wit":          {Data: pad(maxFileSize + 1)},
		"ok.wit":           {Data: pad(maxFileSize)},
		"pkg/a.wit":        {Data: pad(100)},
		"pkg/deps/d1.wit":  dep("d1"),
		"pkg/deps/d2.wit":  dep("d2"),
		"pkg/deps/d3.wit":  dep("d3"),
		"pkg/deps/d4.wit":  dep("d4"),
		"pkg/deps/d5.wit":  dep("d5"),
		"pkg2/a.wit":       {Data: pad(100)},
		"pkg2/deps/d1.wit": dep("d1"),
	}
	for _, c := range []struct{ name, want string }{
		{"big.wit", "big.wit: file is too large"},
		{"ok.wit", ""},
		{"pkg", "pkg/deps/d5.wit: the WIT files read add up to more than"},
		{"pkg2", ""},
	} {
		var r diag.Report
		LoadFS(fsys, c.name, Options{}, &r)
		switch err := r.Err(); {
		case c.want == "" && err != nil:
			t.Errorf("%s: %v", c.name, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s: got %v, want an error containing %q", c.name, err, c.want)
		}
	}
}

// TestReadHook: Options.Read gets the size of the WIT text a load read, a
// package directory's .wit files and its deps/ (other files not counted),
// once, before parsing; a load that reads nothing does not call it.
func TestReadHook(t *testing.T) {
	fsys := fstest.MapFS{
		"p/a.wit":            {Data: []byte("package a:b;\n")},
		"p/b.wit":            {Data: []byte("interface i {}\n")},
		"p/notes.md":         {Data: make([]byte, 1000)},
		"p/deps/x.wit":       {Data: []byte("package x:y;\n")},
		"p/deps/z/types.wit": {Data: []byte("package z:w;\ninterface t {}\n")},
	}
	var sizes []int64
	opts := Options{Read: func(n int64) { sizes = append(sizes, n) }}
	var r diag.Report
	LoadFS(fsys, "p", opts, &r)
	if r.HasErrors() {
		t.Fatal(diag.Renderer{}.Render(r.Diagnostics))
	}
	if want := int64(13 + 15 + 13 + 28); len(sizes) != 1 || sizes[0] != want {
		t.Errorf("Read got %v, want [%d]", sizes, want)
	}
	sizes = nil
	LoadFS(fsys, "missing", opts, &r)
	if len(sizes) != 0 {
		t.Errorf("a load that read nothing called Read with %v", sizes)
	}
}
