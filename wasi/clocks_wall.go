package wasi

import (
	"time"

	"github.com/witc-dev/witc/canonabi"
)

// wasi:clocks/wall-clock: the host's time of day.

func (s *state) registerWallClock(r *registrar) {
	fn0(r, "now", wallNow)
	fn0(r, "resolution", wallResolution)
}

// datetime is a datetime record: seconds and nanoseconds since the epoch.
type datetime struct {
	seconds     uint64
	nanoseconds uint32
}

func datetimeOf(t time.Time) datetime { return datetime{uint64(t.Unix()), uint32(t.Nanosecond())} }

func (d datetime) value() canonabi.Value { return canonabi.Record{d.seconds, d.nanoseconds} }

func wallNow() (datetime, error) { return datetimeOf(time.Now()), nil }

func wallResolution() (datetime, error) { return datetime{0, 1}, nil }
