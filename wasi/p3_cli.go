package wasi

// wasi:cli 0.3's environment (the same as 0.2's but initial-cwd's name);
// exit and terminal-* are 0.2's functions (registerExit,
// registerTerminal), registered at 0.3.

func (s *state) registerEnvironment3(r *registrar) {
	fn0(r, "get-environment", s.getEnvironment)
	fn0(r, "get-arguments", s.getArguments)
	fn0(r, "get-initial-cwd", s.initialCwd)
}
