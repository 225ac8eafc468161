package wasi

// wasi:random 0.3: 0.2's functions, renamed; get-random-bytes returns at
// most max-len bytes (at most 1 MiB at once) instead of trapping.

func (s *state) registerRandom3(random, insecure, seed *registrar) {
	fn1(random, "get-random-bytes", randomUpTo)
	fn0(random, "get-random-u64", randomU64)
	fn1(insecure, "get-insecure-random-bytes", randomUpTo)
	fn0(insecure, "get-insecure-random-u64", randomU64)
	fn0(seed, "get-insecure-seed", s.insecureSeed)
}

func randomUpTo(n uint64) ([]byte, error) { return randomBytes(min(n, maxRandom)) }
