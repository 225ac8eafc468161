package host

import (
	"context"
	"fmt"

	"github.com/tetratelabs/wazero/api"
	"github.com/witc-dev/witc/canonabi"
	"github.com/witc-dev/witc/component"
	"github.com/witc-dev/witc/wit"
)

// errorContext is an error-context in an instance's table (ErrorContext):
// its debug message, which witc keeps as the guest gave it.
type errorContext struct {
	msg string
}

// errorContextBuiltin defines error-context.new, error-context.debug-message
// and error-context.drop.
func (st *state) errorContextBuiltin(ctx context.Context, f component.Canon) (api.GoModuleFunc, error) {
	name := builtinName(f.Op)
	fail := func(err error) {
		trap(&TrapError{Func: name, Err: err})
	}
	switch f.Op {
	case component.CanonErrorContextNew:
		opts, err := st.resolveOpts(ctx, f.Opts)
		if err != nil {
			return nil, err
		}
		strs := []wit.Type{wit.String}
		return func(ctx context.Context, _ api.Module, stack []uint64) {
			st.mayLeave(name)
			// The message is a string given as a pointer and a number of
			// (tagged) code units: lifted as the flat string it is.
			cx := st.cx(ctx, opts, &handles{st: st})
			vs, err := cx.LiftValues(strs, stack[:2], canonabi.MaxFlatParams)
			if err != nil {
				fail(err)
			}
			msg, _ := vs[0].(string)
			i, err := st.table.add(handleEntry{obj: &errorContext{msg: msg}})
			if err != nil {
				fail(err)
			}
			stack[0] = uint64(i)
		}, nil
	case component.CanonErrorContextDebugMsg:
		opts, err := st.resolveOpts(ctx, f.Opts)
		if err != nil {
			return nil, err
		}
		return func(ctx context.Context, _ api.Module, stack []uint64) {
			st.mayLeave(name)
			e, err := st.table.errorContext(uint32(stack[0]))
			if err != nil {
				fail(err)
			}
			cx := st.cx(ctx, opts, &handles{st: st})
			if err := cx.Store(wit.String, uint32(stack[1]), e.msg); err != nil {
				fail(err)
			}
		}, nil
	default: // drop
		return func(_ context.Context, _ api.Module, stack []uint64) {
			st.mayLeave(name)
			i := uint32(stack[0])
			if _, err := st.table.errorContext(i); err != nil {
				fail(err)
			}
			st.table.removeObject(i)
		}, nil
	}
}

// errorContext returns entry i of the table, which must be an
// error-context.
func (t *handleTable) errorContext(i uint32) (*errorContext, error) {
	return objectAs[*errorContext](t, i, "an error-context")
}

// LiftErrorContext takes the error-context of handle i (lift_error_context):
// error-contexts are shared, so the handle stays in the instance's table.
func (h *handles) LiftErrorContext(i uint32) (canonabi.Value, error) {
	e, err := h.st.table.errorContext(i)
	if err != nil {
		return nil, err
	}
	return e, nil
}

// LowerErrorContext adds a handle to error-context v to the instance's
// table (lower_error_context): the instance it came from keeps its own.
func (h *handles) LowerErrorContext(v canonabi.Value) (uint32, error) {
	e, ok := v.(*errorContext)
	if !ok {
		return 0, fmt.Errorf("cannot lower %T as an error-context", v)
	}
	return h.st.table.add(handleEntry{obj: e})
}
