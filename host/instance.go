package host

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"
	"github.com/tetratelabs/wazero/sys"
	"github.com/witc-dev/witc/canonabi"
	"github.com/witc-dev/witc/component"
	"github.com/witc-dev/witc/component/check"
	"github.com/witc-dev/witc/wit"
)

// Runtime runs components on a wazero runtime.
type Runtime struct {
	r       wazero.Runtime
	workers int
	// compiling counts the compilations abandoned at a done context that
	// still run (compile), which Close waits for.
	compiling sync.WaitGroup

	opts Options // those of NewRuntime (zero for WithRuntime)
	// interp is the interpreting runtime of an EngineAuto runtime, made
	// on demand (engine.go).
	interpMu sync.Mutex
	interp   *Runtime

	maxMemory  uint64      // Options.MaxMemory
	memRefused atomic.Bool // a memory.grow was refused at maxMemory
	// The limits of Options (0: their defaults).
	maxInstances, maxTables, maxMemories, maxHandles uint32
}

// Options configure a runtime.
type Options struct {
	// Engine runs the core modules: wazero's optimizing compiler
	// (EngineCompiler, the default), its interpreter (EngineInterpreter),
	// or the compiler when the cache holds the compiled code and the
	// interpreter until then (EngineAuto; see engine.go and Runtime.Warm).
	Engine Engine
	// CacheDir keeps compiled code between runs ("" for none).
	CacheDir string
	// Workers compile functions in parallel (0 for one).
	Workers int

	// StopOnContextDone stops a running guest when the context of its
	// call, or of its instantiation, is done (cancelled or past its
	// deadline): the call returns an error for which errors.Is(err,
	// context.Canceled) or errors.Is(err, context.DeadlineExceeded) holds,
	// and the instance cannot be used again. Without it a guest notices a
	// done context only while it waits in the host (wasi:io/poll), and a
	// loop that never calls the host runs on. It is off by default for
	// what it costs: wazero then watches the context from a new goroutine
	// on every call into a guest (about 1.5 µs and 3 allocations more per
	// call; a scalar call otherwise takes 40 ns and allocates nothing) and
	// checks it in every loop of the compiled code.
	StopOnContextDone bool
	// MaxMemory bounds the linear memories of each component instance, in
	// bytes: all its core instances' memories together, rounded down to
	// whole 64 KiB pages (0: no bound but wasm's 4 GiB per memory). A
	// memory.grow past it returns -1 in the guest; a component whose
	// memories need more at instantiation fails with a *MemoryLimitError.
	MaxMemory uint64
	// MaxTableElements bounds each table a core module defines (0:
	// DefaultMaxTableElements): a table.grow past it returns -1 in the
	// guest, and a module with a larger table at instantiation fails with
	// a *TableLimitError.
	MaxTableElements uint32
	// MaxInstances bounds the core and component instances that one
	// instantiation of a component creates, together, nested components'
	// included (0: DefaultMaxInstances); MaxTables and MaxMemories bound
	// the tables and memories their core modules define (0:
	// DefaultMaxTables, DefaultMaxMemories). A component that needs more
	// fails to instantiate with a *LimitError, before any of it runs when
	// its structure shows it (see budget.go).
	MaxInstances, MaxTables, MaxMemories uint32
	// MaxResourceHandles bounds the table of resource handles of each
	// component instance (0: DefaultMaxResourceHandles): a resource.new,
	// or a handle passed in, past it traps.
	MaxResourceHandles uint32
}

// NewRuntime creates a runtime on a new wazero runtime (the optimizing
// compiler where the platform has one), with the limits of opts (see
// limits.go).
func NewRuntime(ctx context.Context, opts Options) *Runtime {
	r := newGuarded(ctx, opts, opts.Engine == EngineInterpreter, opts.CacheDir)
	return &Runtime{r: r, opts: opts, workers: opts.Workers, maxMemory: opts.MaxMemory,
		maxInstances: opts.MaxInstances, maxTables: opts.MaxTables, maxMemories: opts.MaxMemories, maxHandles: opts.MaxResourceHandles}
}

// WithRuntime wraps an existing wazero runtime, with the limits it was
// configured with; of Options', the defaults of those the host keeps
// itself (instances, tables and memories per instantiation, resource
// handles).
func WithRuntime(r wazero.Runtime) *Runtime { return &Runtime{r: r} }

// instLimits are the runtime's limits of one instantiation.
func (rt *Runtime) instLimits() limits {
	return limits{
		instances: orDefault(rt.maxInstances, DefaultMaxInstances),
		tables:    orDefault(rt.maxTables, DefaultMaxTables),
		memories:  orDefault(rt.maxMemories, DefaultMaxMemories),
	}
}

// ExitCode reports whether err is a guest's exit (wasi:cli/exit) and with
// which status. A guest stopped because its context was done has not
// exited (wazero reports that with exit codes of its own).
func ExitCode(err error) (int, bool) {
	var exit *sys.ExitError
	if errors.As(err, &exit) {
		if c := exit.ExitCode(); c != sys.ExitCodeContextCanceled && c != sys.ExitCodeDeadlineExceeded {
			return int(c), true
		}
	}
	return 0, false
}

// Close closes the wazero runtime and everything instantiated in it. It
// first waits for the compilations that instantiations stopped by their
// context left running (wazero cannot close a runtime while it compiles).
func (rt *Runtime) Close(ctx context.Context) error {
	rt.interpMu.Lock()
	interp := rt.interp
	rt.interpMu.Unlock()
	var err error
	if interp != nil {
		err = interp.Close(ctx)
	}
	rt.compiling.Wait()
	return errors.Join(err, rt.r.Close(ctx))
}

// Instance is an instantiated component. It is safe for concurrent use:
// calls into it (Func.Call, Func.CallInto, Func.Begin ... End,
// Instance.Drop) run one at a time, a call made while another runs waits
// for it (see callLock).
type Instance struct {
	rt      *Runtime
	exports *compInstance
	lock    *callLock
	owned   *owned
	store   *asyncStore
}

// ErrClosed is the error of a call into an instance after its Close.
var ErrClosed = errors.New("the component instance is closed")

// owned are the wazero modules one instantiation created (core instances,
// the shims re-exporting bundles, the host modules of lowered functions)
// and, for Runtime.Instantiate, the compiled component, which
// Instance.Close closes.
type owned struct {
	mods     []api.Module
	compiled *Compiled
	// calls are the instantiation's host functions, which the host modules
	// find through the module calling them (see hostmod.go).
	calls *hostFuncs
}

// add keeps a module instance of the instantiation, to close, and
// registers it as a caller of the instantiation's host functions.
func (o *owned) add(m api.Module) {
	o.mods = append(o.mods, m)
	callers.Store(m, o.calls)
}

func (o *owned) close(ctx context.Context) error {
	var errs []error
	for i := len(o.mods) - 1; i >= 0; i-- {
		callers.Delete(o.mods[i])
		if err := o.mods[i].Close(ctx); err != nil {
			errs = append(errs, err)
		}
	}
	if o.compiled != nil {
		if err := o.compiled.Close(ctx); err != nil {
			errs = append(errs, err)
		}
	}
	o.mods, o.compiled = nil, nil
	return errors.Join(errs...)
}

// Close closes the wazero modules the instance created and releases what
// it compiled; it runs nothing of the component (no destructor, no
// post-return). A call running in the instance is waited for (unless Close
// is called from within it, by a host function). Close may be called
// more than once; calls into the instance after it return ErrClosed.
// Closing the Runtime closes its instances too.
func (in *Instance) Close(ctx context.Context) error {
	// Waits on Go's streams and futures end first: a call may wait on
	// them holding the lock.
	if in.store != nil {
		in.store.close()
	}
	if in.lock.acquire(ctx) {
		defer in.lock.mu.Unlock()
	}
	if in.lock.closed {
		return nil
	}
	in.lock.closed = true
	return in.owned.close(ctx)
}

// coreRef is a core item: the export `name` of a module instance.
type coreRef struct {
	mod  api.Module
	name string
	kind byte // 0 func, 1 table, 2 memory, 3 global
	// Signature of a function made by the host (wazero does not let host
	// modules' functions be looked up).
	host            bool
	params, results []api.ValueType
	// fn caches the function: wazero's ExportedFunction creates a new call
	// engine on every lookup.
	fn *api.Function
}

// coreInst is a core instance: a module instance, or a bundle of items.
type coreInst struct {
	mod    api.Module
	names  []string
	bundle map[string]coreRef
	shim   api.Module
}

// compFunc is a component function: a host function or a lifted one.
type compFunc struct {
	name string
	typ  *wit.Function
	host HostFunc
	flat *flatFunc // set with host when the host function is flat
	// how the host function runs (Linker.AsyncFunc)
	goFunc
	lifted *liftedFunc
}

type liftedFunc struct {
	st   *state
	core *coreRef
	opts resolvedOpts
	// async: lifted with the async ABI, with a callback (async.go).
	async bool
	// scalar functions take a fast path (see callScalar).
	scalar       bool
	scalarParams []wit.Primitive
	scalarResult wit.Primitive
	stack        []uint64
	call         *Call // the flat API's call, reused (see Func.Begin)
}

type resolvedOpts struct {
	enc     canonabi.StringEncoding
	memory  *coreRef
	realloc *coreRef
	post    *coreRef
	// callback is the callback of an async lift (async.go).
	callback *coreRef
}

// item is a component-level value: what imports, exports and aliases
// refer to.
type item struct {
	kind component.ExternKind
	fn   *compFunc
	inst *compInstance
	comp *compDef
	res  *ResourceType // type items: the resource, or nil for other types
	mod  *coreModule
}

// compInstance is a component instance as seen from outside: its exports.
type compInstance struct {
	names []string
	items map[string]item
}

func (ci *compInstance) add(name string, it item) {
	if ci.items == nil {
		ci.items = map[string]item{}
	}
	if _, ok := ci.items[name]; !ok {
		ci.names = append(ci.names, name)
	}
	ci.items[name] = it
}

type compDef struct {
	c      *component.Component
	parent *state
}

// state is one component instance being built.
type state struct {
	rt       *Runtime
	compiled *Compiled // the component's compiled code
	parent   *state
	typing   *check.Types  // the whole component's check
	spaces   *check.Spaces // this definition's index spaces in it
	linker   *Linker
	args     map[string]item
	name     string
	// linked are the root's imports, resolved against linker before it
	// runs (link), and the indices of its functions and instances.
	linked   map[string]item
	linkedAt map[string]uint32

	// imports are the WIT types of the root's imports, for linking.
	imports *importTypes

	modules    []*coreModule
	coreInsts  []*coreInst
	coreFuncs  []coreRef
	coreMems   []coreRef
	coreTables []coreRef
	coreGlobs  []coreRef
	funcs      []*compFunc
	instances  []*compInstance
	comps      []*compDef
	types      []*ResourceType
	// resTypes are the run-time types of the resources of the instance's
	// function types, by the WIT definition that stands for each in them
	// (check.Spaces.Resource).
	resTypes map[*wit.TypeDef]*ResourceType

	table   handleTable
	exports *compInstance

	// budget counts the instantiations of the whole instantiation, lock
	// serializes the calls into it: both shared by its nested instances.
	budget *budget
	lock   *callLock
	owned  *owned

	// entered is set while a call into the instance runs; noLeave names
	// what runs while the instance may not call out of itself ("realloc",
	// "post-return": CanonicalABI.md's may_leave is clear); poisoned is set
	// once it trapped.
	entered  bool
	noLeave  string
	poisoned error
	// tls is the storage of the thread running in the instance
	// (context.get, context.set): each call into the instance, and each
	// realloc, runs in a thread of its own whose storage starts at zero.
	tls [2]uint64
	// backpressure is the instance's counter of backpressure.inc/dec.
	backpressure uint32
	// task is the async task whose core code runs in the instance (nil
	// for a synchronous call); store schedules the suspended tasks of the
	// whole instantiation (async.go).
	task  *task
	store *asyncStore
}

// Instantiate decodes, checks, compiles and instantiates a component,
// linking its imports to l: Compile and Compiled.Instantiate in one step,
// for a component instantiated once (closing the instance releases the
// compiled code).
func (rt *Runtime) Instantiate(ctx context.Context, l *Linker, b []byte) (*Instance, error) {
	return rt.instantiate(ctx, l, b, nil)
}

// instantiate compiles b, calls before (when set) with the compiled
// component, and instantiates it; the instance owns the compiled code.
func (rt *Runtime) instantiate(ctx context.Context, l *Linker, b []byte, before func(*Compiled) error) (*Instance, error) {
	cc, err := rt.Compile(ctx, b)
	if err != nil {
		return nil, err
	}
	if before != nil {
		if err := before(cc); err != nil {
			cc.Close(context.WithoutCancel(ctx))
			return nil, err
		}
	}
	in, err := cc.Instantiate(ctx, l)
	if err != nil {
		cc.Close(context.WithoutCancel(ctx))
		return nil, err
	}
	in.owned.compiled = cc
	return in, nil
}

// nameExports names the component functions the instance exports by
// their export names ("add", "ns:pkg/iface@1.0.0#add"), which traps then
// report instead of an index.
func nameExports(exports *compInstance) {
	for _, n := range exports.names {
		it := exports.items[n]
		switch {
		case it.kind == component.ExternFunc && it.fn.lifted != nil:
			it.fn.name = n
		case it.kind == component.ExternInstance:
			for _, fn := range it.inst.names {
				if f := it.inst.items[fn]; f.kind == component.ExternFunc && f.fn.lifted != nil {
					f.fn.name = n + "#" + fn
				}
			}
		}
	}
}

func (st *state) run(ctx context.Context, c *component.Component) error {
	st.exports = &compInstance{}
	for _, sec := range c.Sections {
		if err := st.section(ctx, sec); err != nil {
			return err
		}
	}
	return nil
}

func (st *state) section(ctx context.Context, sec component.Section) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	switch sec := sec.(type) {
	case *component.ModuleSection:
		// Compiled by Runtime.Compile.
		st.modules = append(st.modules, st.compiled.modules[sec])
	case *component.CoreInstanceSection:
		for _, ci := range sec.Instances {
			if err := ctx.Err(); err != nil {
				return err
			}
			inst, err := st.coreInstance(ctx, ci)
			if err != nil {
				return fmt.Errorf("core instance %d: %w", len(st.coreInsts), err)
			}
			st.coreInsts = append(st.coreInsts, inst)
		}
	case *component.ComponentSection:
		st.comps = append(st.comps, &compDef{c: sec.Component, parent: st})
	case *component.InstanceSection:
		for _, in := range sec.Instances {
			if err := ctx.Err(); err != nil {
				return err
			}
			ci, err := st.instance(ctx, in)
			if err != nil {
				return fmt.Errorf("instance %d: %w", len(st.instances), err)
			}
			st.instances = append(st.instances, ci)
		}
	case *component.AliasSection:
		for _, a := range sec.Aliases {
			if err := st.alias(a); err != nil {
				return err
			}
		}
	case *component.TypeSection:
		for _, t := range sec.Types {
			var rt *ResourceType
			if r, ok := t.(*component.ResourceType); ok {
				rt = &ResourceType{impl: st}
				if r.HasDtor {
					d, err := st.callable(ctx, st.coreFuncs[r.Dtor])
					if err != nil {
						return err
					}
					rt.dtor = &d
				}
			}
			st.addType(rt)
		}
	case *component.CanonSection:
		for _, f := range sec.Funcs {
			if err := st.canon(ctx, f); err != nil {
				return err
			}
		}
	case *component.ImportSection:
		for _, im := range sec.Imports {
			it, err := st.importItem(im)
			if err != nil {
				return err
			}
			st.push(it)
		}
	case *component.ExportSection:
		for _, ex := range sec.Exports {
			it := st.itemAt(ex.Item)
			if it.kind == component.ExternType && it.res != nil && it.res.Name == "" {
				it.res.Name = ex.Name.Name
			}
			st.exports.add(ex.Name.Name, it)
			st.push(it)
		}
	case *component.StartSection:
		return st.start(ctx, sec)
	}
	return nil
}

// compile compiles a core module. It returns when ctx is done, even
// while wazero compiles: wazero checks the context between functions
// only when it compiles with several workers (Options.Workers), and not
// at all with one, so then the compilation runs on a goroutine of its own
// and, when ctx is done first, finishes in the background (Close waits for
// it) and is thrown away.
func (rt *Runtime) compile(ctx context.Context, b []byte) (wazero.CompiledModule, error) {
	if rt.workers > 1 {
		return rt.r.CompileModule(experimental.WithCompilationWorkers(ctx, rt.workers), b)
	}
	if ctx.Done() == nil {
		return rt.r.CompileModule(ctx, b)
	}
	type compiled struct {
		cm  wazero.CompiledModule
		err error
	}
	done := make(chan compiled, 1)
	rt.compiling.Add(1)
	go func() {
		defer rt.compiling.Done()
		cm, err := rt.r.CompileModule(ctx, b)
		done <- compiled{cm, err}
	}()
	select {
	case c := <-done:
		return c.cm, c.err
	case <-ctx.Done():
		rt.compiling.Add(1)
		go func() {
			defer rt.compiling.Done()
			if c := <-done; c.cm != nil {
				c.cm.Close(context.Background())
			}
		}()
		return nil, ctx.Err()
	}
}

// push adds an item to the index space of its kind.
func (st *state) push(it item) {
	switch it.kind {
	case component.ExternFunc:
		st.funcs = append(st.funcs, it.fn)
	case component.ExternInstance:
		st.instances = append(st.instances, it.inst)
	case component.ExternComponent:
		st.comps = append(st.comps, it.comp)
	case component.ExternType:
		st.addType(it.res)
	case component.ExternModule:
		st.modules = append(st.modules, it.mod)
	}
}

func (st *state) itemAt(si component.SortIdx) item {
	switch si.Sort {
	case component.SortFunc:
		return item{kind: component.ExternFunc, fn: st.funcs[si.Index]}
	case component.SortInstance:
		return item{kind: component.ExternInstance, inst: st.instances[si.Index]}
	case component.SortComponent:
		return item{kind: component.ExternComponent, comp: st.comps[si.Index]}
	case component.SortType:
		return item{kind: component.ExternType, res: st.types[si.Index]}
	case component.SortCoreModule:
		return item{kind: component.ExternModule, mod: st.modules[si.Index]}
	}
	return item{}
}

func (st *state) coreRefAt(s component.Sort, i uint32) coreRef {
	switch s {
	case component.SortCoreFunc:
		return st.coreFuncs[i]
	case component.SortCoreMemory:
		return st.coreMems[i]
	case component.SortCoreTable:
		return st.coreTables[i]
	case component.SortCoreGlobal:
		return st.coreGlobs[i]
	}
	return coreRef{}
}

// module returns the module a core instance can be imported from: the
// instance itself, or the shim re-exporting a bundle.
func (st *state) module(ctx context.Context, ci *coreInst) (api.Module, error) {
	if ci.mod != nil {
		return ci.mod, nil
	}
	if ci.shim != nil {
		return ci.shim, nil
	}
	var items []shimImport
	sources := map[string]api.Module{}
	srcName := map[api.Module]string{}
	for _, n := range ci.names {
		ref := ci.bundle[n]
		src, ok := srcName[ref.mod]
		if !ok {
			// Sources are named by their order, so that the shim of a
			// bundle has the same bytes in every instance (Compiled
			// compiles it once).
			src = fmt.Sprintf("m%d", len(srcName))
			srcName[ref.mod] = src
			sources[src] = ref.mod
		}
		si := shimImport{module: src, name: ref.name, kind: ref.kind, as: n}
		switch ref.kind {
		case 0:
			si.params, si.result = ref.params, ref.results
			if !ref.host {
				f := ref.mod.ExportedFunction(ref.name)
				if f == nil {
					return nil, fmt.Errorf("function `%s` not found", ref.name)
				}
				si.params, si.result = f.Definition().ParamTypes(), f.Definition().ResultTypes()
			}
		case 3:
			g := ref.mod.ExportedGlobal(ref.name)
			if g == nil {
				return nil, fmt.Errorf("global `%s` not found", ref.name)
			}
			si.global = g.Type()
			_, si.mut = g.(api.MutableGlobal)
		}
		items = append(items, si)
	}
	cm, err := st.compiled.shim(ctx, shimModule(items))
	if err != nil {
		return nil, fmt.Errorf("building the shim of a core instance: %w", err)
	}
	rctx := experimental.WithImportResolver(ctx, func(name string) api.Module {
		if m, ok := sources[name]; ok {
			return m
		}
		return nil
	})
	m, err := st.rt.r.InstantiateModule(rctx, cm, moduleConfig)
	if err != nil {
		return nil, fmt.Errorf("instantiating the shim of a core instance: %w", err)
	}
	st.owned.add(m)
	ci.shim = m
	return m, nil
}

func (st *state) coreInstance(ctx context.Context, ci component.CoreInstance) (*coreInst, error) {
	if !ci.Instantiate {
		out := &coreInst{bundle: map[string]coreRef{}}
		for _, x := range ci.Exports {
			ref := st.coreRefAt(x.Item.Sort, x.Item.Index)
			out.names = append(out.names, x.Name)
			out.bundle[x.Name] = ref
		}
		return out, nil
	}
	args := map[string]api.Module{}
	for _, a := range ci.Args {
		m, err := st.module(ctx, st.coreInsts[a.Instance])
		if err != nil {
			return nil, err
		}
		args[a.Name] = m
	}
	mod := st.modules[ci.Module]
	n := mod.counts
	n.instances = 1
	if err := st.budget.take(n); err != nil {
		return nil, err
	}
	rctx := experimental.WithImportResolver(context.WithValue(ctx, startingKey{}, st.owned.calls), func(name string) api.Module {
		if mod.emptyAs != "" && name == mod.emptyAs {
			name = "" // renamed by prepareModule
		}
		if m, ok := args[name]; ok {
			return m
		}
		return nil
	})
	m, err := st.rt.r.InstantiateModule(rctx, mod.compiled, moduleConfig)
	if err != nil {
		var exit interface{ ExitCode() uint32 }
		if errors.As(err, &exit) {
			return nil, err
		}
		return nil, fmt.Errorf("instantiating core module %d: %w", ci.Module, err)
	}
	st.owned.add(m)
	return &coreInst{mod: m}, nil
}

func kindOfSort(s component.Sort) byte {
	switch s {
	case component.SortCoreTable:
		return 1
	case component.SortCoreMemory:
		return 2
	case component.SortCoreGlobal:
		return 3
	}
	return 0
}

func (st *state) alias(a component.Alias) error {
	switch a.Kind {
	case component.AliasExport:
		inst := st.instances[a.Instance]
		it, ok := inst.items[a.Name]
		if !ok {
			return fmt.Errorf("instance %d has no export `%s`", a.Instance, a.Name)
		}
		st.push(it)
	case component.AliasCoreExport:
		ci := st.coreInsts[a.Instance]
		var ref coreRef
		if ci.mod != nil {
			ref = coreRef{mod: ci.mod, name: a.Name, kind: kindOfSort(a.Sort)}
		} else {
			r, ok := ci.bundle[a.Name]
			if !ok {
				return fmt.Errorf("core instance %d has no export `%s`", a.Instance, a.Name)
			}
			ref = r
		}
		switch a.Sort {
		case component.SortCoreFunc:
			st.coreFuncs = append(st.coreFuncs, ref)
		case component.SortCoreMemory:
			st.coreMems = append(st.coreMems, ref)
		case component.SortCoreTable:
			st.coreTables = append(st.coreTables, ref)
		case component.SortCoreGlobal:
			st.coreGlobs = append(st.coreGlobs, ref)
		default:
			return fmt.Errorf("aliasing a %s from a core instance is not supported", a.Sort)
		}
	case component.AliasOuter:
		o := st
		for i := uint32(0); i < a.Count; i++ {
			o = o.parent
		}
		switch a.Sort {
		case component.SortType:
			st.addType(o.types[a.Index])
		case component.SortComponent:
			st.comps = append(st.comps, o.comps[a.Index])
		case component.SortCoreModule:
			st.modules = append(st.modules, o.modules[a.Index])
		}
	}
	return nil
}

func (st *state) instance(ctx context.Context, in component.Instance) (*compInstance, error) {
	if !in.Instantiate {
		out := &compInstance{}
		for _, x := range in.Exports {
			it := st.itemAt(x.Item)
			if it.kind == component.ExternType && it.res != nil && it.res.Name == "" {
				it.res.Name = x.Name.Name
			}
			out.add(x.Name.Name, it)
		}
		return out, nil
	}
	if err := st.budget.take(counts{instances: 1}); err != nil {
		return nil, err
	}
	def := st.comps[in.Component]
	child := &state{rt: st.rt, compiled: st.compiled, parent: def.parent, typing: st.typing, spaces: st.typing.Spaces(def.c), args: map[string]item{},
		name: fmt.Sprintf("%s/component %d", st.name, in.Component), budget: st.budget, lock: st.lock, owned: st.owned, store: st.store}
	child.table.max = st.table.max
	for _, a := range in.Args {
		child.args[a.Name] = st.itemAt(a.Item)
	}
	if err := child.run(ctx, def.c); err != nil {
		return nil, err
	}
	// The resources the new instance exports, as this component's types
	// see them.
	for _, ex := range st.spaces.InstanceExports(uint32(len(st.instances))) {
		if ex.ResourceDef != nil {
			if it, ok := child.exports.items[ex.Name]; ok && it.res != nil {
				st.bindResource(ex.ResourceDef, it.res)
			}
		}
	}
	return child.exports, nil
}

func (st *state) importItem(im component.Import) (item, error) {
	name := im.Name.Name
	switch {
	case im.Type.Kind == component.ExternType && !im.Type.SubResource:
		// `(type (eq i))`: type i under another name.
		return item{kind: component.ExternType, res: st.types[im.Type.Index]}, nil
	case st.linker != nil && im.Type.Kind == component.ExternFunc:
		return st.linkedItem(name, len(st.funcs))
	case st.linker != nil && im.Type.Kind == component.ExternInstance:
		return st.linkedItem(name, len(st.instances))
	case st.linker != nil:
		return st.linked[name], nil
	}
	it, ok := st.args[name]
	if !ok {
		return item{}, fmt.Errorf("missing instantiation argument `%s`", name)
	}
	return it, nil
}
