package host

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/witc-dev/witc/canonabi"
	"github.com/witc-dev/witc/component"
	"github.com/witc-dev/witc/wit"
)

// Func is an exported function of an instance. It may be called from
// several goroutines at once: the calls into an instance run one at a
// time (see Instance) — except the calls of functions lifted with the
// async ABI, whose tasks interleave: a call starts its task and waits
// for its result while other calls' tasks run (callAsyncExport).
type Func struct {
	Name string
	f    *compFunc
	lock *callLock
	// holds: the result may hold streams or futures, which reach Go
	// (holdValues); known once, not walked at each call.
	holds bool
}

func newFunc(name string, f *compFunc, lock *callLock) *Func {
	return &Func{Name: name, f: f, lock: lock, holds: f.typ.Result != nil && hasAsync(f.typ.Result, 0)}
}

// Type is the function's WIT type.
func (f *Func) Type() *wit.Function { return f.f.typ }

// Call calls the function with Go values of its parameter types and
// returns its results.
func (f *Func) Call(ctx context.Context, args ...canonabi.Value) ([]canonabi.Value, error) {
	if len(args) != len(f.f.typ.Params) {
		return nil, fmt.Errorf("%s takes %d arguments, got %d", f.Name, len(f.f.typ.Params), len(args))
	}
	return f.callInto(ctx, nil, args)
}

// callInto is Call and CallInto.
func (f *Func) callInto(ctx context.Context, out, args []canonabi.Value) ([]canonabi.Value, error) {
	var res []canonabi.Value
	var err error
	if lf := f.f.lifted; lf != nil && lf.async && f.f.host == nil {
		res, err = f.callAsyncExport(ctx, args, out)
	} else {
		res, err = f.callSync(ctx, args, out)
	}
	if err == nil && f.holds {
		holdValues(res)
	}
	return res, err
}

// callSync runs the call holding the instance's call lock throughout.
func (f *Func) callSync(ctx context.Context, args, out []canonabi.Value) ([]canonabi.Value, error) {
	s := f.store()
	locked := f.lock.mu.TryLock()
	if !locked {
		if s != nil {
			// The call counts as one that may make the async calls that
			// wait go on (callAsyncExport), until it has run.
			s.enterCall()
			defer s.leaveCall()
		}
		// false: a host function's call back into the component.
		locked = f.lock.acquire(ctx)
	}
	if locked {
		defer func() {
			f.lock.mu.Unlock()
			if s != nil {
				s.wakeIdle()
			}
		}()
	}
	if f.lock.closed {
		return nil, fmt.Errorf("%s: %w", f.Name, ErrClosed)
	}
	return f.f.callInto(ctx, args, out, nil, nil)
}

// store is the store of the function's instance (nil for a host
// function re-exported).
func (f *Func) store() *asyncStore {
	if f.f.lifted == nil {
		return nil
	}
	return f.f.lifted.st.store
}

// CallInto is Call with the results appended to results[:0]: with
// preallocated arguments and results, a call of scalars does not allocate.
func (f *Func) CallInto(ctx context.Context, results []canonabi.Value, args ...canonabi.Value) ([]canonabi.Value, error) {
	if len(args) != len(f.f.typ.Params) {
		return nil, fmt.Errorf("%s takes %d arguments, got %d", f.Name, len(f.f.typ.Params), len(args))
	}
	return f.callInto(ctx, results, args)
}

// Func finds an exported function: a top-level one by name, or one of an
// exported interface as "iface-name#func" (the interface name may omit its
// version or give a semver-compatible one).
func (in *Instance) Func(path string) (*Func, error) {
	ifaceName, fname, nested := strings.Cut(path, "#")
	if !nested {
		it, ok := in.exports.items[path]
		if !ok || it.kind != component.ExternFunc {
			return nil, fmt.Errorf("the component exports no function `%s` (exports: %s)", path, strings.Join(in.Exports(), ", "))
		}
		return newFunc(path, it.fn, in.lock), nil
	}
	inst := in.exportedInstance(ifaceName)
	if inst == nil {
		return nil, fmt.Errorf("the component exports no interface `%s` (exports: %s)", ifaceName, strings.Join(in.Exports(), ", "))
	}
	it, ok := inst.items[fname]
	if !ok || it.kind != component.ExternFunc {
		var fs []string
		for _, n := range inst.names {
			if inst.items[n].kind == component.ExternFunc {
				fs = append(fs, n)
			}
		}
		return nil, fmt.Errorf("`%s` has no function `%s` (functions: %s)", ifaceName, fname, strings.Join(fs, ", "))
	}
	return newFunc(path, it.fn, in.lock), nil
}

// exportedInstance finds an exported interface by name: the name itself,
// else the highest semver-compatible version, else (for a name without a
// version) the highest version of any.
func (in *Instance) exportedInstance(name string) *compInstance {
	var names []string
	for _, n := range in.exports.names {
		if in.exports.items[n].kind == component.ExternInstance {
			names = append(names, n)
		}
	}
	if n := wit.MatchName(name, names, true); n != "" {
		return in.exports.items[n].inst
	}
	return nil
}

// Exports lists the names of the instance's exports; functions of exported
// interfaces are listed as "iface#func".
func (in *Instance) Exports() []string {
	var out []string
	for _, n := range in.exports.names {
		it := in.exports.items[n]
		switch it.kind {
		case component.ExternFunc:
			out = append(out, n)
		case component.ExternInstance:
			for _, f := range it.inst.names {
				if it.inst.items[f].kind == component.ExternFunc {
					out = append(out, n+"#"+f)
				}
			}
		}
	}
	sort.Strings(out)
	return out
}

// Drop releases a resource the host owns (one a function returned as
// `own`), running its destructor.
func (in *Instance) Drop(ctx context.Context, r Resource) error {
	if !r.Own {
		return fmt.Errorf("cannot drop a borrowed resource")
	}
	if in.lock.acquire(ctx) {
		defer func() {
			in.lock.mu.Unlock()
			if in.store != nil {
				in.store.wakeIdle()
			}
		}()
	}
	if in.lock.closed {
		return ErrClosed
	}
	return destroy(ctx, r.Type, r.Rep)
}
