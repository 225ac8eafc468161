package wasi

import (
	crand "crypto/rand"
	"encoding/binary"
	"fmt"
	mrand "math/rand/v2"
)

// wasi:random/random, insecure and insecure-seed: both kinds of random
// bytes come from crypto/rand; the seed from math/rand, once.

func (s *state) registerRandom(random, insecure, seed *registrar) {
	fn1(random, "get-random-bytes", randomBytes)
	fn0(random, "get-random-u64", randomU64)
	fn1(insecure, "get-insecure-random-bytes", randomBytes)
	fn0(insecure, "get-insecure-random-u64", randomU64)
	fn0(seed, "insecure-seed", s.insecureSeed)
}

// maxRandom is the most random bytes one call returns.
const maxRandom = 1 << 20

func randomBytes(n uint64) ([]byte, error) {
	if n > maxRandom {
		return nil, fmt.Errorf("get-random-bytes: %d bytes is too many at once", n)
	}
	b := make([]byte, n)
	crand.Read(b)
	return b, nil
}

func randomU64() (uint64, error) {
	var b [8]byte
	crand.Read(b[:])
	return binary.LittleEndian.Uint64(b[:]), nil
}

// insecureSeed is the same for every call of one registration (as
// Wasmtime's, and as its users expect: it seeds a hash table's keys once).
func (s *state) insecureSeed() (pair[uint64, uint64], error) {
	s.seedOnce.Do(func() { s.seed = [2]uint64{mrand.Uint64(), mrand.Uint64()} })
	return pair[uint64, uint64]{s.seed[0], s.seed[1]}, nil
}
