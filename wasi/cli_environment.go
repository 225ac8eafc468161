package wasi

// wasi:cli/environment: the arguments, environment variables and initial
// working directory of Config.

func (s *state) registerEnvironment(r *registrar) {
	fn0(r, "get-environment", s.getEnvironment)
	fn0(r, "get-arguments", s.getArguments)
	fn0(r, "initial-cwd", s.initialCwd)
}

func (s *state) getEnvironment() (list[pair[string, string]], error) {
	var out list[pair[string, string]]
	for _, kv := range s.cfg.Env {
		out = append(out, pair[string, string]{kv[0], kv[1]})
	}
	return out, nil
}

func (s *state) getArguments() (list[string], error) { return s.cfg.Args, nil }

func (s *state) initialCwd() (option[string], error) {
	if s.cfg.Cwd == "" {
		return option[string]{}, nil
	}
	return some(s.cfg.Cwd), nil
}
