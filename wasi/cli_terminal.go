package wasi

import "github.com/witc-dev/witc/host"

// wasi:cli/terminal-input, terminal-output, terminal-stdin,
// terminal-stdout, terminal-stderr: there are no terminals; the standard
// streams are not terminals.

func (s *state) registerTerminal(input, output, stdin, stdout, stderr *registrar) {
	input.resource("terminal-input", nil)
	output.resource("terminal-output", nil)
	fn0(stdin, "get-terminal-stdin", noTerminal)
	fn0(stdout, "get-terminal-stdout", noTerminal)
	fn0(stderr, "get-terminal-stderr", noTerminal)
}

func noTerminal() (option[host.Resource], error) { return option[host.Resource]{}, nil }
