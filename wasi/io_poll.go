package wasi

import (
	"context"
	"errors"
	"time"

	"github.com/witc-dev/witc/host"
)

// wasi:io/poll: pollables, each ready from a point in time on (the
// streams are always ready; clocks' pollables at their deadline).

// pollable is the object behind a pollable resource.
type pollable struct{ at time.Time }

func (s *state) registerPoll(r *registrar) {
	s.pollT = r.resource("pollable", s.polls.drop)
	fn1(r, "[method]pollable.ready", s.ready)
	do2(r, "[method]pollable.block", s.block)
	fn2(r, "poll", s.poll)
}

// newPollable hands the guest a pollable that is ready at at.
func (s *state) newPollable(at time.Time) (host.Resource, error) {
	return own(s.pollT, s.polls.add(pollable{at})), nil
}

func (s *state) ready(p pollable) (bool, error) { return !time.Now().Before(p.at), nil }

func (s *state) block(ctx context.Context, p pollable) error { return sleepUntil(ctx, p.at) }

// poll blocks until at least one pollable is ready and returns the indices
// of the ready ones.
func (s *state) poll(ctx context.Context, in []pollable) (list[uint32], error) {
	if len(in) == 0 {
		return nil, errors.New("poll: the list of pollables is empty")
	}
	for {
		var ready list[uint32]
		var earliest time.Time
		now := time.Now()
		for i, p := range in {
			if !now.Before(p.at) {
				ready = append(ready, uint32(i))
			} else if earliest.IsZero() || p.at.Before(earliest) {
				earliest = p.at
			}
		}
		if len(ready) > 0 {
			return ready, nil
		}
		if err := sleepUntil(ctx, earliest); err != nil {
			return nil, err
		}
	}
}

func sleepUntil(ctx context.Context, at time.Time) error {
	d := time.Until(at)
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
