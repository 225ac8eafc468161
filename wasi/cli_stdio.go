package wasi

import "github.com/witc-dev/witc/host"

// wasi:cli/stdin, stdout, stderr: the streams of Config. Each call hands
// out a new stream resource over the same reader or writer.

func (s *state) registerStdio(stdin, stdout, stderr *registrar) {
	stdin.alias("input-stream", s.inputT)
	stdout.alias("output-stream", s.outputT)
	stderr.alias("output-stream", s.outputT)
	fn0(stdin, "get-stdin", s.getStdin)
	fn0(stdout, "get-stdout", s.getStdout)
	fn0(stderr, "get-stderr", s.getStderr)
}

func (s *state) getStdin() (host.Resource, error) {
	return own(s.inputT, s.inputs.add(s.cfg.Stdin)), nil
}

func (s *state) getStdout() (host.Resource, error) {
	return own(s.outputT, s.outputs.add(s.cfg.Stdout)), nil
}

func (s *state) getStderr() (host.Resource, error) {
	return own(s.outputT, s.outputs.add(s.cfg.Stderr)), nil
}
