package wasi

import (
	"context"
	"time"

	"github.com/witc-dev/witc/canonabi"
)

// wasi:clocks 0.3: monotonic-clock (nanoseconds since Register, and waits
// that block the calling task only: host.Linker.AsyncFunc), system-clock
// (the host's time of day). timezone is unstable (clocks-timezone) and
// not provided.

func (s *state) registerMonotonicClock3(r *registrar) {
	fn0(r, "now", s.monotonicNow)
	fn0(r, "get-resolution", s.monotonicResolution)
	// A wait that is over already returns at once, without a subtask.
	until := func(args []canonabi.Value) time.Duration {
		when, _ := args[0].(uint64)
		return time.Until(s.start.Add(time.Duration(min(when, 1<<62))))
	}
	r.blockingNow("wait-until", func(args []canonabi.Value) ([]canonabi.Value, bool) {
		return nil, until(args) <= 0
	}, func(ctx context.Context, args []canonabi.Value) ([]canonabi.Value, error) {
		return nil, sleepUntil(ctx, time.Now().Add(until(args)))
	})
	r.blockingNow("wait-for", func(args []canonabi.Value) ([]canonabi.Value, bool) {
		d, _ := args[0].(uint64)
		return nil, d == 0
	}, func(ctx context.Context, args []canonabi.Value) ([]canonabi.Value, error) {
		d, _ := args[0].(uint64)
		return nil, sleepUntil(ctx, time.Now().Add(time.Duration(min(d, 1<<62))))
	})
}

func (s *state) registerSystemClock(r *registrar) {
	fn0(r, "now", systemNow)
	fn0(r, "get-resolution", func() (uint64, error) { return 1, nil })
}

// instant is system-clock's instant: seconds (signed) and nanoseconds
// since the epoch.
type instant struct {
	seconds     int64
	nanoseconds uint32
}

func (i instant) value() canonabi.Value { return canonabi.Record{i.seconds, i.nanoseconds} }

func instantOf(t time.Time) instant { return instant{t.Unix(), uint32(t.Nanosecond())} }

func systemNow() (instant, error) { return instantOf(time.Now()), nil }
