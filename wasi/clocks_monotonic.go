package wasi

import (
	"time"

	"github.com/witc-dev/witc/host"
)

// wasi:clocks/monotonic-clock: nanoseconds since Register, and pollables
// that are ready at an instant or after a duration.

func (s *state) registerMonotonicClock(r *registrar) {
	r.alias("pollable", s.pollT)
	fn0(r, "now", s.monotonicNow)
	fn0(r, "resolution", s.monotonicResolution)
	fn1(r, "subscribe-instant", s.subscribeInstant)
	fn1(r, "subscribe-duration", s.subscribeDuration)
}

func (s *state) monotonicNow() (uint64, error) { return uint64(time.Since(s.start).Nanoseconds()), nil }

func (s *state) monotonicResolution() (uint64, error) { return 1, nil }

func (s *state) subscribeInstant(when uint64) (host.Resource, error) {
	return s.newPollable(s.start.Add(time.Duration(when)))
}

func (s *state) subscribeDuration(d uint64) (host.Resource, error) {
	return s.newPollable(time.Now().Add(time.Duration(d)))
}
