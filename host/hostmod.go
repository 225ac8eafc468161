package host

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
)

// Core functions made by the host (lowered imports, resource.new, the
// built-ins...) are each in a host module of their own. wazero compiles a
// host module with its Go function fixed, so a module compiled for one
// instance could not serve another; compiling one per function and
// instance cost most of an instantiation of a large component. Instead
// the k-th host function an instantiation of a Compiled creates is in the
// k-th host module of the Compiled, compiled once: its Go function finds
// the instance's k-th function through the module instance that calls it
// (wazero passes the caller), which the instantiation registered.

// hostFuncs are the Go functions behind the host modules of one
// instantiation, in the order it created them.
type hostFuncs struct {
	fns []api.GoModuleFunc
}

// callers maps the module instances of every live instantiation (core
// instances, shims, host modules) to its hostFuncs.
var callers sync.Map // api.Module → *hostFuncs

// startingKey is the context key of the hostFuncs of the instantiation
// whose core module is being instantiated.
type startingKey struct{}

// hostModule is a compiled host module with one function, "f".
type hostModule struct {
	params, results []api.ValueType
	cm              wazero.CompiledModule
}

// moduleConfig configures every module instance: no start functions
// (the component model's instantiation runs them as it orders), and a
// random source of its own, for wazero otherwise seeds a new generator
// for each (for WASI preview 1, which components do not use).
var moduleConfig = wazero.NewModuleConfig().WithName("").WithStartFunctions().WithRandSource(zeroReader{})

type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// hostModule returns the compiled host module of the k-th host function
// of an instantiation, compiling it when no earlier instantiation made
// one with this signature.
func (cc *Compiled) hostModule(ctx context.Context, k int, params, results []api.ValueType) (wazero.CompiledModule, error) {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	if cc.closed {
		return nil, errCompiledClosed
	}
	for _, hm := range cc.hostMods[k] {
		if slices.Equal(hm.params, params) && slices.Equal(hm.results, results) {
			return hm.cm, nil
		}
	}
	cm, err := cc.rt.r.NewHostModuleBuilder("witc:host").NewFunctionBuilder().
		WithGoModuleFunction(dispatch(k), params, results).Export("f").Compile(ctx)
	if err != nil {
		return nil, err
	}
	if cc.hostMods == nil {
		cc.hostMods = map[int][]hostModule{}
	}
	cc.hostMods[k] = append(cc.hostMods[k], hostModule{params: params, results: results, cm: cm})
	return cm, nil
}

// dispatch is the Go function of the k-th host module: the k-th host
// function of the instantiation the calling module belongs to.
func dispatch(k int) api.GoModuleFunc {
	return func(ctx context.Context, mod api.Module, stack []uint64) {
		v, ok := callers.Load(mod)
		if !ok {
			// A start function, run while its module is instantiated,
			// before the module is registered.
			if v = ctx.Value(startingKey{}); v == nil {
				trap(fmt.Errorf("host function %d called from a module of no live component instance", k))
			}
		}
		v.(*hostFuncs).fns[k](ctx, mod, stack)
	}
}

// hostFunc defines a core function implemented in Go, in a host module of
// its own, and returns a reference to it.
func (st *state) hostFunc(ctx context.Context, params, results []api.ValueType, fn api.GoModuleFunc) (coreRef, error) {
	hf := st.owned.calls
	k := len(hf.fns)
	hf.fns = append(hf.fns, fn)
	cm, err := st.compiled.hostModule(ctx, k, params, results)
	if err != nil {
		return coreRef{}, err
	}
	m, err := st.rt.r.InstantiateModule(ctx, cm, moduleConfig)
	if err != nil {
		return coreRef{}, err
	}
	st.owned.add(m)
	return coreRef{mod: m, name: "f", kind: 0, host: true, params: params, results: results}, nil
}
