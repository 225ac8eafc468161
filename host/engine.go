package host

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/tetratelabs/wazero"
	"github.com/witc-dev/witc/internal/leb128"
)

// Engines: how a runtime runs the core modules of a component.
//
// wazero has two engines. Its optimizing compiler gives fast code but
// takes long to compile a large module: a 24 MB composition of two
// componentize-js components takes about 15 s of CPU (and 800 MB) to
// compile, once; the machine code then goes to the compilation cache
// (Options.CacheDir), and later runs read it back in a fraction of a
// second. Its interpreter starts in about a tenth of that CPU but runs the
// code several times slower, and keeps every function in its own
// representation (64 bytes an instruction: about 500 MB for that
// composition).
//
// EngineAuto picks per component: the compiler when the compiled code of
// every core module of the component is in the cache, the interpreter
// otherwise. A component it interpreted is still to be compiled for the
// next runs: Compiled.NeedsWarm reports it, and Runtime.Warm does it
// (witc run starts a detached `witc cache warm FILE` process for it, so
// the run itself does not pay for the compilation).
//
// The cache's index: wazero names a cached module by a hash that
// includes the machine's CPU features, which only it computes. Warm
// therefore compiles each module into a private cache directory of its
// own, moves the one file wazero wrote into the shared cache, and records
// its name in CacheDir/witc-index under a key of the module's bytes and
// of the options that change wazero's code. A module is cached when its
// index entry names a file that exists: a file removed since (witc run's
// --cache-limit, witc cache clean) sends the component back to the
// interpreter and to Warm, never to a long compilation.

// Engine is the way a runtime runs core modules (Options.Engine).
type Engine uint8

const (
	// EngineCompiler compiles every core module to machine code with
	// wazero's optimizing compiler (where the platform has one; wazero
	// interprets elsewhere), reading it from the cache when it is there.
	EngineCompiler Engine = iota
	// EngineInterpreter runs core modules with wazero's interpreter.
	EngineInterpreter
	// EngineAuto runs a component with the compiler when the cache holds
	// its compiled code (see Runtime.Warm), and with the interpreter
	// otherwise (always when Options.CacheDir is "").
	EngineAuto
)

func (e Engine) String() string {
	switch e {
	case EngineCompiler:
		return "compiler"
	case EngineInterpreter:
		return "interpreter"
	case EngineAuto:
		return "auto"
	}
	return fmt.Sprintf("Engine(%d)", uint8(e))
}

// ParseEngine reads an engine's name: compiler, interpreter or auto.
func ParseEngine(s string) (Engine, error) {
	for _, e := range []Engine{EngineCompiler, EngineInterpreter, EngineAuto} {
		if s == e.String() {
			return e, nil
		}
	}
	return 0, fmt.Errorf("unknown engine %q: expected compiler, interpreter or auto", s)
}

// indexDir is the directory of the cache's index, in Options.CacheDir.
const indexDir = "witc-index"

// wazeroConfig is the configuration of the wazero runtime of opts, with
// the engine given and the compilation cache in cacheDir ("": none).
func wazeroConfig(opts Options, interpret bool, cacheDir string) wazero.RuntimeConfig {
	cfg := wazero.NewRuntimeConfig()
	if interpret {
		cfg = wazero.NewRuntimeConfigInterpreter()
	}
	cfg = cfg.WithCoreFeatures(CoreFeatures)
	if cacheDir != "" && !interpret {
		if cache, err := wazero.NewCompilationCacheWithDir(cacheDir); err == nil {
			cfg = cfg.WithCompilationCache(cache)
		}
	}
	if opts.StopOnContextDone {
		cfg = cfg.WithCloseOnContextDone(true)
	}
	return cfg
}

// newGuarded creates the wazero runtime of opts (see limits.go).
func newGuarded(ctx context.Context, opts Options, interpret bool, cacheDir string) *guardedRuntime {
	maxTable := opts.MaxTableElements
	if maxTable == 0 {
		maxTable = DefaultMaxTableElements
	}
	return &guardedRuntime{Runtime: wazero.NewRuntimeWithConfig(ctx, wazeroConfig(opts, interpret, cacheDir)), maxTable: maxTable}
}

// interpreter returns the runtime that interprets the components an
// EngineAuto runtime does not find in the cache, creating it the first
// time. It shares rt's options; Close closes it with rt.
func (rt *Runtime) interpreter(ctx context.Context) *Runtime {
	rt.interpMu.Lock()
	defer rt.interpMu.Unlock()
	if rt.interp == nil {
		opts := rt.opts
		opts.Engine = EngineInterpreter
		rt.interp = NewRuntime(ctx, opts)
	}
	return rt.interp
}

// moduleKey is the key of a prepared core module in the cache's index:
// its bytes and what else changes the code wazero makes of them.
func (rt *Runtime) moduleKey(prepared []byte) [32]byte {
	h := sha256.New()
	h.Write(prepared)
	var tail [24]byte
	copy(tail[:8], "witc-ix1")
	binary.LittleEndian.PutUint64(tail[8:], uint64(CoreFeatures))
	binary.LittleEndian.PutUint32(tail[16:], orDefault(rt.opts.MaxTableElements, DefaultMaxTableElements))
	if rt.opts.StopOnContextDone {
		tail[20] = 1
	}
	h.Write(tail[:])
	var k [32]byte
	h.Sum(k[:0])
	return k
}

// indexPath is the file of the index entry of key.
func (rt *Runtime) indexPath(key [32]byte) string {
	return filepath.Join(rt.opts.CacheDir, indexDir, hex.EncodeToString(key[:]))
}

// cached reports whether the cache holds the compiled code of the module
// of key: its index entry names a file of the cache that exists; stub
// when that file is the one of the module's stub (see stubModule).
func (rt *Runtime) cached(key [32]byte) (ok, stub bool) {
	if rt.opts.CacheDir == "" {
		return false, false
	}
	entry, err := os.ReadFile(rt.indexPath(key))
	if err != nil {
		return false, false
	}
	// The entry: the file of the module's code, and the same code under
	// the name of its stub, if any, on a second line.
	names := strings.Split(strings.TrimSpace(string(entry)), "\n")
	for i := len(names) - 1; i >= 0; i-- {
		rel := filepath.FromSlash(names[i])
		if !filepath.IsLocal(rel) {
			continue
		}
		if fi, err := os.Stat(filepath.Join(rt.opts.CacheDir, rel)); err == nil && fi.Mode().IsRegular() {
			return true, i == 1
		}
	}
	return false, false
}

// Warm compiles the core modules of component b that the cache does not
// hold yet with the optimizing compiler, puts their code in the cache
// (Options.CacheDir) and records them in its index, so that an EngineAuto
// runtime runs the component with the compiler from then on. It compiles
// one module at a time, each with Options.Workers workers. Warm does not
// need a runtime made with EngineAuto, only one with the options of the
// runtimes that will run the component (the engine aside).
func (rt *Runtime) Warm(ctx context.Context, b []byte) error {
	if rt.opts.CacheDir == "" {
		return errors.New("warm: the runtime has no cache directory")
	}
	_, jobs, err := rt.decode(ctx, b)
	if err != nil {
		return err
	}
	for _, j := range jobs {
		if ok, _ := rt.cached(j.key); ok {
			continue
		}
		if err := rt.warmModule(ctx, j.prepared, j.key); err != nil {
			return fmt.Errorf("%s: %w", j.label, err)
		}
	}
	return nil
}

// warmModule compiles a module into the cache, links its code under the
// name of its stub's, and records both names in the index.
func (rt *Runtime) warmModule(ctx context.Context, prepared []byte, key [32]byte) error {
	rel, err := rt.compileInto(ctx, prepared)
	if err != nil {
		return err
	}
	entry := filepath.ToSlash(rel) + "\n"
	if stub, ok := stubModule(prepared); ok {
		if srel, err := rt.compileInto(ctx, stub); err == nil {
			dst := filepath.Join(rt.opts.CacheDir, srel)
			tmp := dst + ".link.tmp"
			os.Remove(tmp)
			if os.Link(filepath.Join(rt.opts.CacheDir, rel), tmp) == nil && os.Rename(tmp, dst) == nil {
				entry += filepath.ToSlash(srel) + "\n"
			}
			os.Remove(tmp)
		}
	}
	return writeFileAtomic(rt.indexPath(key), []byte(entry))
}

// compileInto compiles a module with the compiler into a private cache
// directory, moves the one file wazero wrote there into the cache and
// returns its name there.
func (rt *Runtime) compileInto(ctx context.Context, b []byte) (string, error) {
	tmp, err := os.MkdirTemp(rt.opts.CacheDir, ".witc-warm-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	g := newGuarded(ctx, rt.opts, false, tmp)
	wrt := &Runtime{r: g, workers: rt.workers, opts: rt.opts}
	cm, err := wrt.compile(ctx, b)
	if err != nil {
		g.Close(ctx)
		return "", err
	}
	cm.Close(ctx)
	g.Close(ctx)
	var files []string
	filepath.WalkDir(tmp, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() && !strings.HasSuffix(p, ".tmp") {
			files = append(files, p)
		}
		return nil
	})
	if len(files) != 1 {
		return "", fmt.Errorf("wazero wrote %d files to the cache for one module, expected 1", len(files))
	}
	rel, err := filepath.Rel(tmp, files[0])
	if err != nil {
		return "", err
	}
	dst := filepath.Join(rt.opts.CacheDir, rel)
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return "", err
	}
	return rel, os.Rename(files[0], dst)
}

// writeFileAtomic writes a file whole: to a temporary file renamed into
// place, so that a reader sees the old contents or the new.
func writeFileAtomic(path string, b []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	_, err = f.Write(b)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}

// Stubs. On a cache hit wazero still decodes and validates every function
// body of a module (its Validate is about half of the CPU of a warm start
// of the kitchen composition), although it then runs the machine code it
// read from the cache. So the index of a warmed module names the code
// under a second name: that of its stub, the module with every function
// body replaced by `unreachable` (types, imports, tables, memories,
// globals, exports, start, elements, data and custom sections the same
// byte for byte). An EngineAuto runtime that finds a module in the index
// compiles its stub: wazero validates three bytes a function and takes
// the real machine code from the cache (its compiled code depends on the
// function bodies only; after compilation it reads nothing of them).
// Modules with DWARF sections, whose line tables point into the code,
// are not stubbed. TestEnginesAgree and TestEngineAuto check the outputs.

// stubModule returns module b with every function body replaced by
// `unreachable`; ok is false when b is not stubbed (malformed, no code,
// DWARF).
func stubModule(b []byte) (_ []byte, ok bool) {
	if len(b) < 8 {
		return nil, false
	}
	out := make([]byte, 0, 1024)
	out = append(out, b[:8]...)
	pos, code := 8, false
	for pos < len(b) {
		id := b[pos]
		size, n, err := leb128.Uint32(b[pos+1:])
		if err != nil || uint64(pos+1+n)+uint64(size) > uint64(len(b)) {
			return nil, false
		}
		body := b[pos+1+n : pos+1+n+int(size)]
		end := pos + 1 + n + int(size)
		switch id {
		case 0:
			if name, _, err := readName(body, 0); err != nil || strings.HasPrefix(name, ".debug_") {
				return nil, false
			}
			out = append(out, b[pos:end]...)
		case 10:
			count, _, err := leb128.Uint32(body)
			if err != nil {
				return nil, false
			}
			nb := leb128.AppendUint32(make([]byte, 0, 5+4*int(count)), count)
			for range count {
				nb = append(nb, 3, 0, 0x00, 0x0b) // size 3: no locals, unreachable, end
			}
			out = appendSection(out, 10, nb)
			code = true
		default:
			out = append(out, b[pos:end]...)
		}
		pos = end
	}
	return out, code
}
