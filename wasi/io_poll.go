package wasi

import (
	"context"
	"errors"
	"reflect"
	"time"

	"github.com/witc-dev/witc/host"
)

// wasi:io/poll: pollables, each ready from a point in time on (the
// streams are always ready; clocks' pollables at their deadline), or once
// a channel is closed (those other host interfaces make with
// Host.Pollable, e.g. a response that arrives).

// pollable is the object behind a pollable resource: ready from at on,
// or, when ch is set, once ch is closed.
type pollable struct {
	at time.Time
	ch <-chan struct{}
}

func (p pollable) isReady(now time.Time) bool {
	if p.ch != nil {
		select {
		case <-p.ch:
			return true
		default:
			return false
		}
	}
	return !now.Before(p.at)
}

func (s *state) registerPoll(r *registrar) {
	s.pollT = r.resource("pollable", s.polls.drop)
	fn1(r, "[method]pollable.ready", s.ready)
	do2(r, "[method]pollable.block", s.block)
	fn2(r, "poll", s.poll)
}

// newPollable hands the guest a pollable that is ready at at.
func (s *state) newPollable(at time.Time) (host.Resource, error) {
	return own(s.pollT, s.polls.add(pollable{at: at})), nil
}

func (s *state) ready(p pollable) (bool, error) { return p.isReady(time.Now()), nil }

func (s *state) block(ctx context.Context, p pollable) error {
	_, err := s.poll(ctx, []pollable{p})
	return err
}

// poll blocks until at least one pollable is ready and returns the indices
// of the ready ones.
func (s *state) poll(ctx context.Context, in []pollable) (list[uint32], error) {
	if len(in) == 0 {
		return nil, errors.New("poll: the list of pollables is empty")
	}
	for {
		var ready list[uint32]
		var earliest time.Time
		var chans []<-chan struct{}
		now := time.Now()
		for i, p := range in {
			switch {
			case p.isReady(now):
				ready = append(ready, uint32(i))
			case p.ch != nil:
				chans = append(chans, p.ch)
			case earliest.IsZero() || p.at.Before(earliest):
				earliest = p.at
			}
		}
		if len(ready) > 0 {
			return ready, nil
		}
		if err := wait(ctx, earliest, chans); err != nil {
			return nil, err
		}
	}
}

// wait waits until at (when it is set), until one of chans is closed, or
// until ctx is done.
func wait(ctx context.Context, at time.Time, chans []<-chan struct{}) error {
	if len(chans) == 0 {
		return sleepUntil(ctx, at)
	}
	cases := []reflect.SelectCase{{Dir: reflect.SelectRecv, Chan: reflect.ValueOf(ctx.Done())}}
	if !at.IsZero() {
		t := time.NewTimer(time.Until(at))
		defer t.Stop()
		cases = append(cases, reflect.SelectCase{Dir: reflect.SelectRecv, Chan: reflect.ValueOf(t.C)})
	}
	for _, ch := range chans {
		cases = append(cases, reflect.SelectCase{Dir: reflect.SelectRecv, Chan: reflect.ValueOf(ch)})
	}
	if i, _, _ := reflect.Select(cases); i == 0 {
		return ctx.Err()
	}
	return nil
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
