package spectest

import (
	"context"
	"fmt"
	"time"

	"github.com/witc-dev/witc/canonabi"
	"github.com/witc-dev/witc/component"
	"github.com/witc-dev/witc/component/check"
	"github.com/witc-dev/witc/host"
	"github.com/witc-dev/witc/wit"
)

// spectestHost is the host side of Wasmtime's component WAST runner (its
// `link_component_spectest`), which several of Wasmtime's scripts import:
// top-level `host-return-two` and `host-echo-u32`, and an instance `host`
// with `return-three`, `return-hi`, the resource `resource1` (its
// destructor counted) with a constructor, statics and methods, and
// `resource2`. One per script: the drop counters carry over between the
// script's components, as in Wasmtime (one store per script).
type spectestHost struct {
	drops, lastDrop uint32
}

type hostImpl func(h *spectestHost, args []canonabi.Value) ([]canonabi.Value, error)

// rootFuncs are the functions a component imports by themselves.
var rootFuncs = map[string]hostImpl{
	"host-return-two": func(*spectestHost, []canonabi.Value) ([]canonabi.Value, error) {
		return []canonabi.Value{uint32(2)}, nil
	},
	"host-echo-u32": func(_ *spectestHost, args []canonabi.Value) ([]canonabi.Value, error) {
		return []canonabi.Value{args[0]}, nil
	},
}

// hostFuncs are the functions of the instance `host`.
var hostFuncs = map[string]hostImpl{
	"return-three": func(*spectestHost, []canonabi.Value) ([]canonabi.Value, error) {
		return []canonabi.Value{uint32(3)}, nil
	},
	"return-hi": func(*spectestHost, []canonabi.Value) ([]canonabi.Value, error) {
		return []canonabi.Value{"hi"}, nil
	},
	"[static]resource1.assert": func(_ *spectestHost, args []canonabi.Value) ([]canonabi.Value, error) {
		r, ok := args[0].(host.Resource)
		if !ok || r.Rep != args[1].(uint32) {
			return nil, fmt.Errorf("resource1.assert: resource %v does not have rep %v", args[0], args[1])
		}
		return nil, nil
	},
	"[static]resource1.last-drop": func(h *spectestHost, _ []canonabi.Value) ([]canonabi.Value, error) {
		return []canonabi.Value{h.lastDrop}, nil
	},
	"[static]resource1.drops": func(h *spectestHost, _ []canonabi.Value) ([]canonabi.Value, error) {
		return []canonabi.Value{h.drops}, nil
	},
	"[method]resource1.simple": func(_ *spectestHost, args []canonabi.Value) ([]canonabi.Value, error) {
		r, ok := args[0].(host.Resource)
		if !ok || r.Own || r.Rep != args[1].(uint32) {
			return nil, fmt.Errorf("resource1.simple: resource %v is not a borrow with rep %v", args[0], args[1])
		}
		return nil, nil
	},
	"[method]resource1.take-borrow": func(_ *spectestHost, args []canonabi.Value) ([]canonabi.Value, error) {
		a, ok1 := args[0].(host.Resource)
		b, ok2 := args[1].(host.Resource)
		if !ok1 || !ok2 || a.Own || b.Own {
			return nil, fmt.Errorf("resource1.take-borrow: expected two borrows")
		}
		return nil, nil
	},
	"[method]resource1.take-own": func(_ *spectestHost, args []canonabi.Value) ([]canonabi.Value, error) {
		a, ok1 := args[0].(host.Resource)
		b, ok2 := args[1].(host.Resource)
		if !ok1 || !ok2 || a.Own || !b.Own {
			return nil, fmt.Errorf("resource1.take-own: expected a borrow and an own")
		}
		return nil, nil
	},
}

// hostAsyncFuncs are the functions of `host` that block: they run on
// goroutines of their own (host.Linker.AsyncFunc), and a guest's
// subtask.cancel cancels their context. never-return waits for that;
// return-two-slowly and echo-slowly answer after a while, or fail when
// cancelled first (the subtask is then CANCELLED_BEFORE_RETURNED and
// nothing is written to the guest's memory).
var hostAsyncFuncs = map[string]func(ctx context.Context, args []canonabi.Value) ([]canonabi.Value, error){
	"[method]resource1.never-return": func(ctx context.Context, _ []canonabi.Value) ([]canonabi.Value, error) {
		<-ctx.Done()
		return nil, ctx.Err()
	},
	"return-two-slowly": func(ctx context.Context, _ []canonabi.Value) ([]canonabi.Value, error) {
		if err := slowly(ctx); err != nil {
			return nil, err
		}
		return []canonabi.Value{int32(2)}, nil
	},
	"echo-slowly": func(ctx context.Context, args []canonabi.Value) ([]canonabi.Value, error) {
		if err := slowly(ctx); err != nil {
			return nil, err
		}
		return []canonabi.Value{args[0]}, nil
	},
}

// slowly waits a little, or until ctx is done.
func slowly(ctx context.Context) error {
	t := time.NewTimer(10 * time.Millisecond)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// linker links the imports of component b that the spectest host provides,
// with the types the component imports them with. Imports it does not
// provide are left to Instantiate to report.
func (h *spectestHost) linker(b []byte) *host.Linker {
	l := host.NewLinker()
	r1 := l.Resource("host", "resource1", func(rep uint32) {
		h.drops++
		h.lastDrop = rep
	})
	l.Alias("host", "resource1-again", r1)
	l.Resource("host", "resource2", nil)
	c, err := component.Decode(b)
	if err != nil {
		return l
	}
	types, err := check.Component(c)
	if err != nil || len(types.Imports()) == 0 {
		return l
	}
	_, pkg, err := types.WIT()
	if err != nil {
		return l
	}
	w := pkg.World("root")
	if w == nil {
		return l
	}
	bind := func(iface string, f *wit.Function, impl hostImpl) {
		l.Func(iface, f.Name, f, func(_ context.Context, args []canonabi.Value) (res []canonabi.Value, err error) {
			// The types are the component's: a script that imports a
			// function with other types than Wasmtime's gets an error,
			// not a panic.
			defer func() {
				if p := recover(); p != nil {
					res, err = nil, fmt.Errorf("spectest host: %s: %v", f.Name, p)
				}
			}()
			return impl(h, args)
		})
	}
	bound := map[string]bool{}
	for _, e := range w.Imports {
		switch it := e.Item.(type) {
		case *wit.Function:
			if impl := rootFuncs[e.Key.Name]; impl != nil {
				bind("", it, impl)
				bound[e.Key.Name] = true
			}
		case *wit.WorldInterface:
			if e.Key.Name != "host" || it.Interface == nil {
				continue
			}
			for _, f := range it.Interface.Functions {
				if impl := hostFuncs[f.Name]; impl != nil {
					bind("host", f, impl)
				} else if impl := hostAsyncFuncs[f.Name]; impl != nil {
					l.AsyncFunc("host", f.Name, f, func(ctx context.Context, args []canonabi.Value) (res []canonabi.Value, err error) {
						defer func() {
							if p := recover(); p != nil {
								res, err = nil, fmt.Errorf("spectest host: %s: %v", f.Name, p)
							}
						}()
						return impl(ctx, args)
					})
				} else if f.Name == "[constructor]resource1" {
					bind("host", f, func(_ *spectestHost, args []canonabi.Value) ([]canonabi.Value, error) {
						return []canonabi.Value{host.Resource{Type: r1, Rep: args[0].(uint32), Own: true}}, nil
					})
				}
			}
		}
	}
	// The functions the component does not import as functions are
	// there all the same, with Wasmtime's types: importing one as an
	// instance fails to link, as in Wasmtime.
	for name, typ := range rootTypes {
		if !bound[name] {
			bind("", typ, rootFuncs[name])
		}
	}
	return l
}

// rootTypes are the types Wasmtime's runner gives rootFuncs.
var rootTypes = map[string]*wit.Function{
	"host-return-two": {Name: "host-return-two", Kind: wit.Freestanding, Result: wit.U32},
	"host-echo-u32":   {Name: "host-echo-u32", Kind: wit.Freestanding, Params: []wit.Param{{Name: "p", Type: wit.U32}}, Result: wit.U32},
}
