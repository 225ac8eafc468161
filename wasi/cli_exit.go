package wasi

import (
	"github.com/tetratelabs/wazero/sys"
	"github.com/witc-dev/witc/canonabi"
)

// wasi:cli/exit: exiting is an error (sys.ExitError) that ends the call;
// host.ExitCode finds the status in it.

func (s *state) registerExit(r *registrar) {
	do1(r, "exit", s.exit)
	do1(r, "exit-with-code", s.exitWithCode)
}

// exitStatus is exit's `status: result`: ok, or err.
type exitStatus struct{ failed bool }

func (e *exitStatus) fromValue(v canonabi.Value) {
	r, _ := v.(canonabi.Variant)
	e.failed = r.Case != 0
}

func (s *state) exit(status exitStatus) error {
	if status.failed {
		return sys.NewExitError(1)
	}
	return sys.NewExitError(0)
}

func (s *state) exitWithCode(code uint8) error { return sys.NewExitError(uint32(code)) }
