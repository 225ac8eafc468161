package spectest

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/witc-dev/witc/canonabi"
	"github.com/witc-dev/witc/host"
	"github.com/witc-dev/witc/wit"
)

// Outcome is the result of one assertion of a script.
type Outcome struct {
	Line int    `json:"line"`
	Kind string `json:"kind"` // assert_return, assert_trap, assert_unlinkable, ...
	// Agree says whether witc did what the script expects.
	Agree bool `json:"agree"`
	// Msg says what happened instead (or, for an agreeing assert_trap,
	// witc's trap message).
	Msg string `json:"msg,omitempty"`
}

// Executed reports whether the runner executes assertions of kind k
// (validation assertions are another suite's).
func Executed(k Kind) bool {
	switch k {
	case CmdAssertReturn, CmdAssertTrap, CmdAssertUnlinkable, CmdAssertUninstantiable:
		return true
	}
	return false
}

// Runner runs scripts on the host runtime.
type Runner struct {
	Runtime *host.Runtime
	Cache   *Cache
	// Log receives a line per command that is not an assertion but did
	// not go as the script assumes (a component that did not
	// instantiate, a failing bare invoke); nil for none.
	Log func(line int, msg string)
	// Instantiated, if set, is told how each component the script
	// instantiates by itself (not in an assertion) fared.
	Instantiated func(line int, err error)
}

// scriptState is the state of one script's run: as the scripts assume,
// every `(component ...)` is one instance, and invokes go to the last one
// (or the one they name).
type scriptState struct {
	r     *Runner
	host  *spectestHost
	defs  map[string]*Module
	insts map[string]*host.Instance
	last  *host.Instance
	// lastErr says why the last component has no instance.
	lastErr error
}

// Run runs a script, calling report with the outcome of each executed
// assertion as soon as it is known. Once ctx is done, the assertions left
// fail without being run.
func (r *Runner) Run(ctx context.Context, s *Script, report func(Outcome)) {
	st := &scriptState{r: r, host: &spectestHost{}, defs: map[string]*Module{}, insts: map[string]*host.Instance{}}
	for _, c := range s.Commands {
		if err := ctx.Err(); err != nil {
			if Executed(c.Kind) {
				report(Outcome{Line: c.Line, Kind: c.Kind.String(), Msg: "timed out: the script's deadline passed before it"})
			}
			continue
		}
		out, ok := st.command(ctx, c)
		if ok {
			out.Line, out.Kind = c.Line, c.Kind.String()
			report(out)
		}
	}
}

func (r *Runner) logf(line int, format string, args ...any) {
	if r.Log != nil {
		r.Log(line, fmt.Sprintf(format, args...))
	}
}

// command runs one command; ok is set for an executed assertion.
func (st *scriptState) command(ctx context.Context, c *Command) (out Outcome, ok bool) {
	defer func() {
		if p := recover(); p != nil {
			out = Outcome{Msg: fmt.Sprintf("panic: %v", p)}
			ok = Executed(c.Kind)
			if !ok {
				st.r.logf(c.Line, "%s", out.Msg)
				if c.Kind == CmdModule || c.Kind == CmdInstance {
					st.last, st.lastErr = nil, errors.New(out.Msg)
					st.instantiated(c.Line, st.lastErr)
				}
			}
		}
	}()
	switch c.Kind {
	case CmdModule:
		m := c.Module
		if m.Name != "" {
			st.defs[m.Name] = m
		}
		if m.Definition {
			return Outcome{}, false
		}
		if m.Core {
			st.last, st.lastErr = nil, errors.New("top-level core modules are not run")
			st.r.logf(c.Line, "top-level core module not run")
			return Outcome{}, false
		}
		inst, err := st.instantiate(ctx, m)
		st.last, st.lastErr = inst, err
		st.instantiated(c.Line, err)
		if err == nil && m.Name != "" {
			st.insts[m.Name] = inst
		}
	case CmdInstance:
		m := st.defs[c.Def]
		var inst *host.Instance
		var err error
		if m == nil {
			err = fmt.Errorf("no component definition %s", c.Def)
		} else {
			inst, err = st.instantiate(ctx, m)
		}
		st.last, st.lastErr = inst, err
		st.instantiated(c.Line, err)
		if err != nil {
			delete(st.insts, c.Instance)
		} else {
			st.insts[c.Instance] = inst
		}
	case CmdAction:
		if _, _, err := st.invoke(ctx, c.Invoke); err != nil {
			st.r.logf(c.Line, "invoke %q: %v", c.Invoke.Name, err)
		}
	case CmdAssertReturn:
		return st.assertReturn(ctx, c), true
	case CmdAssertTrap:
		if c.Module != nil {
			return st.assertInstantiation(ctx, c, trapped), true
		}
		_, _, err := st.invoke(ctx, c.Invoke)
		switch {
		case err == nil:
			return Outcome{Msg: "returned instead of trapping"}, true
		case unsupported(err):
			return Outcome{Msg: "trapped only because witc does not run it: " + err.Error()}, true
		case isTrap(err):
			return Outcome{Agree: true, Msg: err.Error()}, true
		}
		return Outcome{Msg: "failed without a trap: " + err.Error()}, true
	case CmdAssertUnlinkable:
		return st.assertInstantiation(ctx, c, unlinkable), true
	case CmdAssertUninstantiable:
		return st.assertInstantiation(ctx, c, trapped), true
	}
	return Outcome{}, false
}

func (st *scriptState) instantiated(line int, err error) {
	if st.r.Instantiated != nil {
		st.r.Instantiated(line, err)
	}
}

// instantiate instantiates a component with the spectest host's imports.
func (st *scriptState) instantiate(ctx context.Context, m *Module) (*host.Instance, error) {
	b, err := st.r.Cache.Binary(m)
	if err != nil {
		return nil, err
	}
	return st.r.Runtime.Instantiate(ctx, st.host.linker(b), b)
}

// errNoInstance is an invoke of a component that did not instantiate.
type errNoInstance struct{ err error }

func (e *errNoInstance) Error() string { return "the component did not instantiate: " + e.err.Error() }

// invoke calls an exported function with the constants as arguments.
func (st *scriptState) invoke(ctx context.Context, inv *Invoke) (*wit.Function, []canonabi.Value, error) {
	inst := st.last
	if inv.Instance != "" {
		inst = st.insts[inv.Instance]
		if inst == nil {
			return nil, nil, &errNoInstance{fmt.Errorf("no instance %s", inv.Instance)}
		}
	} else if inst == nil {
		err := st.lastErr
		if err == nil {
			err = errors.New("no component before the invoke")
		}
		return nil, nil, &errNoInstance{err}
	}
	f, err := inst.Func(inv.Name)
	if err != nil {
		return nil, nil, &argError{err}
	}
	typ := f.Type()
	if len(inv.Args) != len(typ.Params) {
		return typ, nil, &argError{fmt.Errorf("`%s` takes %d arguments, the script passes %d", inv.Name, len(typ.Params), len(inv.Args))}
	}
	args := make([]canonabi.Value, len(inv.Args))
	for i, a := range inv.Args {
		v, err := ToValue(typ.Params[i].Type, a)
		if err != nil {
			return typ, nil, &argError{fmt.Errorf("argument %d: %w", i, err)}
		}
		args[i] = v
	}
	res, err := f.Call(ctx, args...)
	return typ, res, err
}

// argError is an invoke the runner could not make: no such function, or
// arguments that do not fit its type.
type argError struct{ err error }

func (e *argError) Error() string { return e.err.Error() }

func (st *scriptState) assertReturn(ctx context.Context, c *Command) Outcome {
	typ, res, err := st.invoke(ctx, c.Invoke)
	if err != nil {
		return Outcome{Msg: err.Error()}
	}
	var want []wit.Type
	if typ.Result != nil {
		want = []wit.Type{typ.Result}
	}
	if len(c.Expected) != len(want) || len(res) != len(want) {
		return Outcome{Msg: fmt.Sprintf("%d results, the script expects %d (function type %s)", len(res), len(c.Expected), wit.FuncTypeString(typ))}
	}
	for i, t := range want {
		if err := Match(t, c.Expected[i], res[i]); err != nil {
			return Outcome{Msg: err.Error()}
		}
	}
	return Outcome{Agree: true}
}

// unsupported reports whether an error comes from what witc's runtime does
// not run (host.UnsupportedError: an async, thread or error-context
// built-in, an async lift or lower): the trap it makes is no agreement
// with a script expecting a trap for another reason.
func unsupported(err error) bool {
	var ue *host.UnsupportedError
	return errors.As(err, &ue)
}

// isTrap reports whether an invoke's error is a trap of the guest (or of
// the canonical ABI on its behalf), not a failure to make the call.
func isTrap(err error) bool {
	var te *host.TrapError
	var ct *canonabi.Trap
	return errors.As(err, &te) || errors.As(err, &ct)
}

type expectation int

const (
	trapped expectation = iota
	unlinkable
)

// assertInstantiation checks that a component fails to instantiate: with
// a trap (assert_trap, assert_uninstantiable), or for want of an import
// (assert_unlinkable).
func (st *scriptState) assertInstantiation(ctx context.Context, c *Command, want expectation) Outcome {
	b, err := st.r.Cache.Binary(c.Module)
	if err != nil {
		return Outcome{Msg: err.Error()}
	}
	_, err = st.r.Runtime.Instantiate(ctx, st.host.linker(b), b)
	switch {
	case err == nil:
		return Outcome{Msg: "instantiated"}
	case want == unlinkable:
		var le *host.LinkError
		if errors.As(err, &le) || strings.Contains(err.Error(), "missing instantiation argument") {
			return Outcome{Agree: true, Msg: err.Error()}
		}
		return Outcome{Msg: "failed, but not to link: " + err.Error()}
	case unsupported(err):
		return Outcome{Msg: "trapped only because witc does not run it: " + err.Error()}
	case isTrap(err) || strings.Contains(err.Error(), "wasm error:"):
		return Outcome{Agree: true, Msg: err.Error()}
	}
	return Outcome{Msg: "failed without a trap: " + err.Error()}
}
