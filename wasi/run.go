package wasi

import (
	"context"
	"errors"

	"github.com/witc-dev/witc/canonabi"
	"github.com/witc-dev/witc/host"
)

// Run runs a wasi:cli/command in one call: it registers WASI with cfg on
// a new linker, instantiates the component on rt, calls its export
// wasi:cli/run#run (any 0.2.x or 0.3.x version) and closes the instance. It returns
// the command's exit status: the one it gave wasi:cli/exit, else 1 when
// run returned an error and 0 when it succeeded. err is set when the
// command could not run to its end (it is not a command, it failed to
// instantiate, it trapped, or ctx ended it); the status is then 0.
func Run(ctx context.Context, rt *host.Runtime, wasm []byte, cfg Config) (exitCode int, err error) {
	cc, err := rt.Compile(ctx, wasm)
	if err != nil {
		return 0, err
	}
	defer cc.Close(context.WithoutCancel(ctx))
	return RunCompiled(ctx, cc, cfg)
}

// RunCompiled is Run for a component compiled once (host.Runtime.Compile)
// and run as a command any number of times, one after the other or at
// once: each run is a new instance with WASI of its own cfg.
//
// A WASI 0.3 command (wasi:cli/run@0.3.x, an async function) runs until
// its run returns; then its tasks that go on run to their end
// (host.Instance.Settle), and what it wrote to the standard streams is
// written before RunCompiled returns.
func RunCompiled(ctx context.Context, cc *host.Compiled, cfg Config) (exitCode int, err error) {
	l := host.NewLinker()
	h, err := New(l, cfg)
	if err != nil {
		return 0, err
	}
	// Closing the instance ends the copies still waiting on it.
	defer h.Wait()
	in, err := cc.Instantiate(ctx, l)
	if code, exited := host.ExitCode(err); exited {
		return code, nil // exited while it started
	}
	if err != nil {
		return 0, err
	}
	defer func() {
		if cerr := in.Close(context.WithoutCancel(ctx)); err == nil {
			err = cerr
		}
	}()
	f, err := in.Func("wasi:cli/run@0.2.0#run")
	p3 := false
	if err != nil {
		if f3, err3 := in.Func("wasi:cli/run@" + Version3 + "#run"); err3 == nil {
			f, err, p3 = f3, nil, true
		}
	}
	if err != nil {
		return 0, err // not a command
	}
	res, err := f.Call(ctx)
	if err == nil && p3 {
		err = in.Settle(ctx)
	}
	if code, exited := host.ExitCode(err); exited {
		return code, nil
	}
	if err != nil {
		return 0, err
	}
	if len(res) != 1 {
		return 0, errors.New("wasi:cli/run#run returned no result")
	}
	if v, ok := res[0].(canonabi.Variant); ok && v.Case != 0 {
		return 1, nil
	}
	return 0, nil
}
