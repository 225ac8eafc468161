package host

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"

	"github.com/tetratelabs/wazero"
	"github.com/witc-dev/witc/component"
	"github.com/witc-dev/witc/component/check"
)

// Compiled is a component decoded, checked and compiled on a Runtime:
// what every instance of it shares. Runtime.Compile makes it once, and
// its Instantiate then creates instances without decoding, checking or
// compiling anything again (like wasmtime's InstancePre, with the host's
// definitions given at each instantiation): an instance costs the
// instantiation of its core modules (mostly copying their data segments)
// and the linking of its imports. A server creating an instance per
// request compiles once and instantiates per request.
//
// A Compiled is safe for concurrent use: instances may be created from
// several goroutines at once. Close it when no more instances will be
// created; the instances created keep working until they are closed.
type Compiled struct {
	rt     *Runtime // the runtime that compiled the modules (for EngineAuto, maybe its interpreter)
	engine Engine   // the engine of rt
	// needsWarm: EngineAuto interpreted the component for want of its
	// compiled code in the cache (NeedsWarm).
	needsWarm bool
	c         *component.Component
	types     *check.Types

	// modules are the compiled core modules, by the section that defines
	// each (in the root or in a nested component definition).
	modules map[*component.ModuleSection]*coreModule
	// distinct are the compiled modules, each once (sections with the same
	// bytes share one), which Close closes.
	distinct []wazero.CompiledModule

	mu    sync.Mutex
	shims map[string]wazero.CompiledModule // by their bytes
	// hostMods are the host modules of the host functions an
	// instantiation creates, by their order (see hostmod.go).
	hostMods map[int][]hostModule
	closed   bool
}

// Compile decodes and checks a component and compiles its core modules,
// every distinct module once, several at a time when the machine has
// more than one CPU. It fails with the reason when the component is
// invalid, exceeds the runtime's limits (Options) or has a core module
// wazero cannot run; imports are checked at instantiation, against the
// linker given then.
func (rt *Runtime) Compile(ctx context.Context, b []byte) (*Compiled, error) {
	cc, jobs, err := rt.decode(ctx, b)
	if err != nil {
		return nil, err
	}
	if rt.opts.Engine == EngineAuto {
		all := rt.opts.CacheDir != ""
		for _, j := range jobs {
			if !all {
				break
			}
			all, j.stub = rt.cached(j.key)
		}
		cc.engine = EngineCompiler
		if !all {
			for _, j := range jobs {
				j.stub = false
			}
			cc.rt, cc.engine = rt.interpreter(ctx), EngineInterpreter
			cc.needsWarm = rt.opts.CacheDir != ""
		}
	}
	if err := cc.compileModules(ctx, jobs); err != nil {
		cc.Close(context.WithoutCancel(ctx))
		return nil, err
	}
	return cc, nil
}

// Engine is the engine that runs the compiled component: the runtime's,
// or for an EngineAuto runtime the one it chose (EngineCompiler or
// EngineInterpreter).
func (cc *Compiled) Engine() Engine { return cc.engine }

// NeedsWarm reports whether an EngineAuto runtime with a cache directory
// interpreted the component because the cache lacks its compiled code:
// Runtime.Warm would put it there for the next runs.
func (cc *Compiled) NeedsWarm() bool { return cc.needsWarm }

// decode decodes and checks component b and prepares its core modules
// for wazero: the distinct ones, with their index keys.
func (rt *Runtime) decode(ctx context.Context, b []byte) (*Compiled, []*moduleJob, error) {
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	c, err := component.Decode(b)
	if err != nil {
		return nil, nil, err
	}
	types, err := check.Component(c)
	if err != nil {
		return nil, nil, fmt.Errorf("invalid component: %w", err)
	}
	if err := rt.instLimits().check(plan(c)); err != nil {
		return nil, nil, err
	}
	cc := &Compiled{rt: rt, engine: rt.opts.Engine, c: c, types: types,
		modules: map[*component.ModuleSection]*coreModule{}, shims: map[string]wazero.CompiledModule{}}
	jobs, err := rt.prepareModules(c)
	if err != nil {
		return nil, nil, err
	}
	return cc, jobs, nil
}

// moduleJob is one distinct core module to compile, and every section
// that defines it.
type moduleJob struct {
	label    string // "core module 2", "component 1: core module 0"
	prepared []byte
	key      [32]byte // Runtime.moduleKey
	stub     bool     // compile stubModule(prepared): the cache has its code (engine.go)
	emptyAs  string
	counts   counts
	sections []*component.ModuleSection
	cm       wazero.CompiledModule
	err      error
}

// prepareModules prepares the core modules of the component and of the
// component definitions nested in it, each distinct module once.
func (rt *Runtime) prepareModules(c *component.Component) ([]*moduleJob, error) {
	var jobs []*moduleJob
	byKey := map[[32]byte]*moduleJob{}
	var prepErr error
	walkModules(c, "", func(label string, sec *component.ModuleSection) bool {
		b, emptyAs, err := prepareModule(sec.Bytes)
		if err != nil {
			prepErr = fmt.Errorf("%s: %w", label, err)
			return false
		}
		key := rt.moduleKey(b)
		if j, ok := byKey[key]; ok {
			j.sections = append(j.sections, sec)
			return true
		}
		j := &moduleJob{label: label, prepared: b, key: key, emptyAs: emptyAs, counts: moduleCounts(sec.Bytes), sections: []*component.ModuleSection{sec}}
		byKey[key] = j
		jobs = append(jobs, j)
		return true
	})
	return jobs, prepErr
}

// compileModules compiles the prepared core modules on cc's runtime,
// several at a time when the machine has more than one CPU.
func (cc *Compiled) compileModules(ctx context.Context, jobs []*moduleJob) error {
	workers := min(runtime.GOMAXPROCS(0), len(jobs))
	next := make(chan *moduleJob)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range next {
				b := j.prepared
				if j.stub {
					if stub, ok := stubModule(b); ok {
						b = stub
					}
				}
				j.cm, j.err = cc.rt.compile(ctx, b)
			}
		}()
	}
	for _, j := range jobs {
		next <- j
	}
	close(next)
	wg.Wait()
	var errs []error
	for _, j := range jobs {
		if j.err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", j.label, j.err))
			continue
		}
		cc.distinct = append(cc.distinct, j.cm)
		m := &coreModule{compiled: j.cm, emptyAs: j.emptyAs, counts: j.counts}
		for _, sec := range j.sections {
			cc.modules[sec] = m
		}
	}
	if len(errs) > 0 {
		if err := ctx.Err(); err != nil {
			return err
		}
		return errs[0]
	}
	return nil
}

// walkModules calls f with every core module section of c and of the
// component definitions nested in it, labelled by its index in its
// definition's module space (prefixed by the definition's path), until f
// returns false.
func walkModules(c *component.Component, prefix string, f func(label string, sec *component.ModuleSection) bool) bool {
	var mods, comps int
	for _, sec := range c.Sections {
		switch sec := sec.(type) {
		case *component.ModuleSection:
			if !f(fmt.Sprintf("%score module %d", prefix, mods), sec) {
				return false
			}
			mods++
		case *component.ComponentSection:
			if !walkModules(sec.Component, fmt.Sprintf("%scomponent %d: ", prefix, comps), f) {
				return false
			}
			comps++
		case *component.ImportSection:
			for _, im := range sec.Imports {
				switch im.Type.Kind {
				case component.ExternModule:
					mods++
				case component.ExternComponent:
					comps++
				}
			}
		case *component.AliasSection:
			for _, a := range sec.Aliases {
				switch a.Sort {
				case component.SortCoreModule:
					mods++
				case component.SortComponent:
					comps++
				}
			}
		case *component.ExportSection:
			for _, ex := range sec.Exports {
				switch ex.Item.Sort {
				case component.SortCoreModule:
					mods++
				case component.SortComponent:
					comps++
				}
			}
		}
	}
	return true
}

// shim returns the compiled shim module of these bytes, compiling it the
// first time.
func (cc *Compiled) shim(ctx context.Context, b []byte) (wazero.CompiledModule, error) {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	if cc.closed {
		return nil, errCompiledClosed
	}
	if cm, ok := cc.shims[string(b)]; ok {
		return cm, nil
	}
	cm, err := cc.rt.r.CompileModule(ctx, b)
	if err != nil {
		return nil, err
	}
	cc.shims[string(b)] = cm
	return cm, nil
}

var errCompiledClosed = errors.New("the compiled component is closed")

// Instantiate creates an instance of the component, linking its imports
// to l (nil: no imports). Imports the linker lacks, or has with other
// types, fail here, before any of the component runs.
func (cc *Compiled) Instantiate(ctx context.Context, l *Linker) (*Instance, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	cc.mu.Lock()
	closed := cc.closed
	cc.mu.Unlock()
	if closed {
		return nil, errCompiledClosed
	}
	rt := cc.rt
	ctx = rt.limitContext(ctx)
	if l == nil {
		l = NewLinker()
	}
	st := &state{rt: rt, compiled: cc, typing: cc.types, spaces: cc.types.Spaces(cc.c), linker: l,
		imports: &importTypes{decode: cc.types.WIT}, name: "root",
		budget: &budget{limits: rt.instLimits()}, lock: &callLock{}, owned: &owned{calls: &hostFuncs{}}, store: &asyncStore{}}
	st.table.max = orDefault(rt.maxHandles, DefaultMaxResourceHandles)
	st.store.init(ctx, st.lock)
	if err := st.link(cc.c); err != nil {
		return nil, err
	}
	if err := st.run(ctx, cc.c); err != nil {
		// What a failed instantiation created is of no use.
		st.owned.close(context.WithoutCancel(ctx))
		return nil, err
	}
	nameExports(st.exports)
	return &Instance{rt: rt, exports: st.exports, lock: st.lock, owned: st.owned, store: st.store}, nil
}

// Close releases the compiled code. Instances created before keep what
// they need; Instantiate fails after Close. Close may be called more than
// once.
func (cc *Compiled) Close(ctx context.Context) error {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	if cc.closed {
		return nil
	}
	cc.closed = true
	var errs []error
	for _, cm := range cc.distinct {
		errs = append(errs, cm.Close(ctx))
	}
	for _, cm := range cc.shims {
		errs = append(errs, cm.Close(ctx))
	}
	for _, hms := range cc.hostMods {
		for _, hm := range hms {
			errs = append(errs, hm.cm.Close(ctx))
		}
	}
	cc.distinct, cc.shims, cc.hostMods = nil, nil, nil
	return errors.Join(errs...)
}
