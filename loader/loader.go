// Package loader reads WIT from disk the way wasm-tools does and resolves
// it: a single .wit file, or a package directory (its *.wit files, which
// form one package, plus a deps/ folder of dependencies: sub-directories,
// single .wit files, each possibly holding several nested packages). It is
// where WIT enters the toolchain: the parser and the resolver behind it,
// the resolved model (package wit) out of it, for printing (wit.Print,
// wit.WriteJSON), binary encoding (check.EncodeWIT) and bindings (bindgen).
//
// [Load] takes a path: a .wit file, a package directory, or a component
// binary (whose WIT it extracts, as `wasm-tools component wit` does). It
// returns the [wit.Resolve] with every package it read and the main
// package, the one at the path. [LoadFS] reads the same layout from an
// [fs.FS], so that a package with its deps/ can be given in memory
// (testing/fstest.MapFS); [LoadSource] resolves a single text, and
// [Resolve] sources already read. [Options] enable @unstable features.
//
// Errors in the input are not returned: every one of them goes to the
// [diag.Report] given, each with its position, and [diag.Renderer] prints
// them with the source line, as wit-parser does. When the report has
// errors, the results must not be used.
//
// The examples load a package directory (ExampleLoad), a package in
// memory (ExampleLoadFS), a component's WIT (ExampleLoad_component), with
// features (ExampleOptions), and print the diagnostics of broken WIT
// (ExampleLoad_diagnostics).
package loader

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/witc-dev/witc/component"
	"github.com/witc-dev/witc/component/check"
	"github.com/witc-dev/witc/diag"
	"github.com/witc-dev/witc/parser"
	"github.com/witc-dev/witc/parser/ast"
	"github.com/witc-dev/witc/resolver"
	"github.com/witc-dev/witc/wit"
)

// Options configures loading.
type Options struct {
	Features    []string // @unstable features to enable
	AllFeatures bool     // enable every @unstable feature
	// Read, when set, is called with the size in bytes of the WIT text a
	// load has read (every file, deps/ included), once it is read and
	// before it is parsed; not for a binary package.
	Read func(size int64)
}

// Limits on WIT text, far above real packages (WASI's largest file has
// 46 KB, the largest set in the conformance data 1 MB): loading allocates
// about 27 bytes per byte of text, of which about 12 are alive at the peak
// (BenchmarkPeakHeap), so larger files are refused rather than read, and
// the files of a load must add up to no more than maxTotalSize.
const (
	maxFileSize  = 4 << 20
	maxTotalSize = 16 << 20
	parallelSize = 4 << 20 // larger sets of files are parsed one at a time
)

// Load reads and resolves the WIT at path. It returns the Resolve and the
// main package (the one at path); diagnostics go to r. When r has errors
// the results are incomplete and must not be used.
func Load(path string, opts Options, r *diag.Report) (*wit.Resolve, *wit.Package) {
	return load(osTree{}, path, opts, r)
}

// LoadFS is Load reading from fsys: name is a .wit file, a package
// directory (with its deps/) or a component binary in fsys. Diagnostics
// name files by their paths in fsys.
func LoadFS(fsys fs.FS, name string, opts Options, r *diag.Report) (*wit.Resolve, *wit.Package) {
	return load(fsTree{fsys}, name, opts, r)
}

func load(t tree, path string, opts Options, r *diag.Report) (*wit.Resolve, *wit.Package) {
	if res, pkg, ok := loadBinary(t, path, r); ok {
		return res, pkg
	}
	groups, ok := readGroups(t, path, r)
	if !ok {
		return &wit.Resolve{}, nil
	}
	if opts.Read != nil {
		var size int64
		for _, g := range groups {
			for _, f := range g.Files {
				size += int64(len(f.Content))
			}
		}
		opts.Read(size)
	}
	first := len(r.Diagnostics)
	// The files were read here: nobody else holds their bytes, so the
	// parsed names share them instead of copying the text.
	res, pkg := resolve(groups, true, opts, r)
	hintDeps(t, path, r.Diagnostics[first:])
	return res, pkg
}

// hintDeps points at the directory form when a single file names a package
// that is not loaded and a deps/ folder stands beside the file: deps/ is
// read only with the package directory.
func hintDeps(t tree, file string, ds []*diag.Diagnostic) {
	for _, d := range ds {
		if d.Code != diag.UnknownPackage {
			continue
		}
		if fi, err := t.Stat(file); err != nil || fi.IsDir() {
			return
		}
		dir := t.Dir(file)
		if fi, err := t.Stat(t.Join(dir, "deps")); err != nil || !fi.IsDir() {
			return
		}
		d.Helpf("the packages in `%s` are read only with their package directory: load `%s` rather than the file", t.Join(dir, "deps"), dir)
	}
}

// tree is where sources are read from: the operating system's files or an
// fs.FS, with its own way of joining paths.
type tree interface {
	Stat(name string) (fs.FileInfo, error)
	Open(name string) (fs.File, error)
	ReadDir(name string) ([]fs.DirEntry, error)
	ReadFile(name string) ([]byte, error)
	Join(elem ...string) string
	Dir(name string) string
}

type osTree struct{}

func (osTree) Stat(name string) (fs.FileInfo, error)      { return os.Stat(name) } // follows symlinks, as wasm-tools does
func (osTree) Open(name string) (fs.File, error)          { return os.Open(name) }
func (osTree) ReadDir(name string) ([]fs.DirEntry, error) { return os.ReadDir(name) }
func (osTree) ReadFile(name string) ([]byte, error)       { return os.ReadFile(name) }
func (osTree) Join(elem ...string) string                 { return filepath.Join(elem...) }
func (osTree) Dir(name string) string                     { return filepath.Dir(name) }

type fsTree struct{ fsys fs.FS }

func (t fsTree) Stat(name string) (fs.FileInfo, error)      { return fs.Stat(t.fsys, name) }
func (t fsTree) Open(name string) (fs.File, error)          { return t.fsys.Open(name) }
func (t fsTree) ReadDir(name string) ([]fs.DirEntry, error) { return fs.ReadDir(t.fsys, name) }
func (t fsTree) ReadFile(name string) ([]byte, error)       { return fs.ReadFile(t.fsys, name) }
func (fsTree) Join(elem ...string) string                   { return path.Join(elem...) }
func (fsTree) Dir(name string) string                       { return path.Dir(name) }

// Resolve resolves already read sources: the main package's files first,
// then each dependency group.
func Resolve(groups []Source, opts Options, r *diag.Report) (*wit.Resolve, *wit.Package) {
	return resolve(groups, false, opts, r)
}

// resolve is Resolve; owned says that the files' contents are never
// changed afterwards (see parser.ParseOwnedFile).
func resolve(groups []Source, owned bool, opts Options, r *diag.Report) (*wit.Resolve, *wit.Package) {
	parsed := parseAll(groups, owned, r)
	if r.HasErrors() {
		return &wit.Resolve{}, nil
	}
	// The trees were parsed here for this resolution only.
	cfg := resolver.Config{Features: opts.Features, AllFeatures: opts.AllFeatures, Consume: true}
	res, mains := cfg.Resolve(r, parsed...)
	if len(mains) == 0 {
		return res, nil
	}
	return res, mains[0]
}

// Source is one package group: its files, in order.
type Source struct {
	Files []*diag.File
}

// LoadSource resolves WIT given as text (for tests and tools).
func LoadSource(name string, src []byte, opts Options, r *diag.Report) (*wit.Resolve, *wit.Package) {
	return Resolve([]Source{{Files: []*diag.File{diag.NewFile(name, src)}}}, opts, r)
}

// parseAll parses every file, concurrently when there are several.
func parseAll(groups []Source, owned bool, r *diag.Report) []resolver.Group {
	parse := parser.ParseFile
	if owned {
		parse = parser.ParseOwnedFile
	}
	type job struct{ g, f int }
	var jobs []job
	out := make([]resolver.Group, len(groups))
	for gi, g := range groups {
		out[gi].Files = make([]*ast.File, len(g.Files))
		for fi := range g.Files {
			jobs = append(jobs, job{gi, fi})
		}
	}
	// Largest files first, so that the workers finish together.
	sort.SliceStable(jobs, func(i, j int) bool {
		return len(groups[jobs[i].g].Files[jobs[i].f].Content) > len(groups[jobs[j].g].Files[jobs[j].f].Content)
	})
	reports := make([]diag.Report, len(jobs))
	workers := runtime.GOMAXPROCS(0)
	if workers > len(jobs) {
		workers = len(jobs)
	}
	// A file being parsed holds about 250 bytes per byte: large inputs
	// are parsed one file at a time.
	size := 0
	for _, j := range jobs {
		size += len(groups[j.g].Files[j.f].Content)
	}
	if size > parallelSize {
		workers = 1
	}
	var wg sync.WaitGroup
	next := make(chan int, len(jobs))
	for i := range jobs {
		next <- i
	}
	close(next)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				j := jobs[i]
				out[j.g].Files[j.f] = parse(groups[j.g].Files[j.f], &reports[i])
			}
		}()
	}
	wg.Wait()
	for i := range reports {
		r.Add(reports[i].Diagnostics...)
	}
	return out
}

// readGroups reads path and its deps/ folder into package groups, the main
// one first.
func readGroups(t tree, path string, r *diag.Report) ([]Source, bool) {
	var total int64 // bytes read so far
	st, err := t.Stat(path)
	if err != nil {
		r.Errorf(diag.ReadFailed, diag.Span{}, "%s", describeFSError(path, err))
		return nil, false
	}
	if !st.IsDir() {
		f, ok := readFile(t, path, &total, r)
		if !ok {
			return nil, false
		}
		return []Source{{Files: []*diag.File{f}}}, true
	}
	main, ok := readDir(t, path, &total, r)
	if !ok {
		return nil, false
	}
	groups := []Source{main}
	deps := t.Join(path, "deps")
	ents, err := t.ReadDir(deps)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return groups, true
		}
		r.Errorf(diag.ReadFailed, diag.Span{}, "failed to read dependency directory %s: %v", deps, err)
		return nil, false
	}
	sort.Slice(ents, func(i, j int) bool { return ents[i].Name() < ents[j].Name() })
	for _, e := range ents {
		p := t.Join(deps, e.Name())
		info, err := t.Stat(p)
		if err != nil {
			r.Errorf(diag.ReadFailed, diag.Span{}, "%s", describeFSError(p, err))
			return nil, false
		}
		if info.IsDir() {
			g, ok := readDir(t, p, &total, r)
			if !ok {
				return nil, false
			}
			groups = append(groups, g)
			continue
		}
		switch filepath.Ext(e.Name()) {
		case ".wit":
			f, ok := readFile(t, p, &total, r)
			if !ok {
				return nil, false
			}
			groups = append(groups, Source{Files: []*diag.File{f}})
		case ".wasm", ".wat":
			r.Errorf(diag.Unsupported, diag.Span{}, "%s: binary WIT packages (.wasm/.wat) in deps/ are not supported yet", p)
			return nil, false
		}
	}
	return groups, true
}

// readDir reads the *.wit files of a package directory, in name order.
func readDir(t tree, dir string, total *int64, r *diag.Report) (Source, bool) {
	ents, err := t.ReadDir(dir)
	if err != nil {
		r.Errorf(diag.ReadFailed, diag.Span{}, "failed to read directory %s: %v", dir, err)
		return Source{}, false
	}
	var names []string
	for _, e := range ents {
		if strings.HasSuffix(e.Name(), ".wit") && !e.IsDir() {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	var s Source
	for _, n := range names {
		f, ok := readFile(t, t.Join(dir, n), total, r)
		if !ok {
			return Source{}, false
		}
		s.Files = append(s.Files, f)
	}
	if len(s.Files) == 0 {
		r.Errorf(diag.ReadFailed, diag.Span{}, "no .wit files found in %s", dir)
		return Source{}, false
	}
	return s, true
}

// readFile reads one WIT file, adding its size to total.
func readFile(t tree, path string, total *int64, r *diag.Report) (*diag.File, bool) {
	st, err := t.Stat(path)
	if err != nil {
		r.Errorf(diag.ReadFailed, diag.Span{}, "%s", describeFSError(path, err))
		return nil, false
	}
	tooLarge := func(size int64) bool {
		switch {
		case size > maxFileSize:
			r.Errorf(diag.ReadFailed, diag.Span{}, "%s: file is too large (%d bytes; the limit is %d)", path, size, maxFileSize)
		case *total+size > maxTotalSize:
			r.Errorf(diag.ReadFailed, diag.Span{}, "%s: the WIT files read add up to more than %d bytes", path, maxTotalSize)
		default:
			return false
		}
		return true
	}
	if tooLarge(st.Size()) {
		return nil, false
	}
	b, err := t.ReadFile(path)
	if err != nil {
		r.Errorf(diag.ReadFailed, diag.Span{}, "%s", describeFSError(path, err))
		return nil, false
	}
	if tooLarge(int64(len(b))) { // it grew since Stat
		return nil, false
	}
	*total += int64(len(b))
	if bytes.HasPrefix(b, []byte("\x00asm")) {
		r.Errorf(diag.InvalidBinary, diag.Span{}, "%s: a WebAssembly binary cannot be part of a WIT package", path)
		return nil, false
	}
	return diag.NewFile(path, b), true
}

// loadBinary reads the WIT of a component binary (or binary WIT package)
// when path is one; ok is false when path is not a WebAssembly file.
func loadBinary(t tree, path string, r *diag.Report) (*wit.Resolve, *wit.Package, bool) {
	st, err := t.Stat(path)
	if err != nil || st.IsDir() {
		return nil, nil, false
	}
	f, err := t.Open(path)
	if err != nil {
		return nil, nil, false
	}
	head := make([]byte, 4)
	n, _ := io.ReadFull(f, head)
	f.Close()
	if n < 4 || !bytes.Equal(head, []byte("\x00asm")) {
		return nil, nil, false
	}
	b, err := t.ReadFile(path)
	if err != nil {
		r.Errorf(diag.ReadFailed, diag.Span{}, "%s", describeFSError(path, err))
		return &wit.Resolve{}, nil, true
	}
	if component.IsModule(b) {
		r.Errorf(diag.InvalidBinary, diag.Span{}, "%s: this is a core WebAssembly module, not a component (it has no WIT; `wasm-tools component new` or `jco new` turns a module into a component)", path)
		return &wit.Resolve{}, nil, true
	}
	res, pkg, err := check.DecodeWIT(b)
	if err != nil {
		r.Errorf(diag.InvalidBinary, diag.Span{}, "%s: %v", path, err)
		return &wit.Resolve{}, nil, true
	}
	return res, pkg, true
}

func describeFSError(path string, err error) string {
	if errors.Is(err, fs.ErrNotExist) {
		return path + ": no such file or directory"
	}
	return err.Error()
}
