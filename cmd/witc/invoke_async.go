package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/witc-dev/witc/canonabi"
	"github.com/witc-dev/witc/host"
	"github.com/witc-dev/witc/wit"
)

// --invoke with streams and futures, which WAVE has no text for: a
// stream<T> parameter is written as the list<T> of the elements Go
// writes to it (then closes it), a future<T> parameter as its value; a
// stream<T> result is read to its end and printed as a list<T>, a
// future<T> result waited for and printed as its value.

// waveType is the type t is written as in WAVE.
func waveType(t wit.Type) (wit.Type, error) {
	stream, future, elem := wit.StreamOrFuture(t)
	switch {
	case (stream || future) && elem == nil:
		return nil, fmt.Errorf("a %s without an element type has no WAVE form", wit.TypeString(t))
	case stream:
		return &wit.TypeDef{Kind: &wit.List{Elem: elem}}, nil
	case future:
		return elem, nil
	}
	return t, nil
}

// asyncArg makes the stream or future that argument v of type t (in its
// WAVE form) stands for; Go writes v to it on a goroutine.
func asyncArg(t wit.Type, v canonabi.Value) canonabi.Value {
	stream, future, elem := wit.StreamOrFuture(t)
	switch {
	case stream:
		w, r := host.NewStream(elem)
		go func() {
			l, _ := v.(canonabi.List)
			if _, err := w.WriteValues(l); err == nil {
				w.Close()
			}
		}()
		return r
	case future:
		w, r := host.NewFuture(elem)
		go w.Write(v)
		return r
	}
	return v
}

// asyncResult reads the stream or future v of type t to the value of its
// WAVE form.
func asyncResult(t wit.Type, v canonabi.Value) (canonabi.Value, error) {
	switch v := v.(type) {
	case *host.StreamReader:
		var out canonabi.List
		buf := make([]canonabi.Value, 64)
		for {
			n, err := v.ReadValues(buf)
			out = append(out, buf[:n]...)
			if errors.Is(err, io.EOF) {
				return out, nil
			}
			if err != nil {
				return nil, fmt.Errorf("reading the result stream: %w", err)
			}
		}
	case *host.FutureReader:
		x, err := v.Read()
		if err != nil {
			return nil, fmt.Errorf("reading the result future: %w", err)
		}
		return x, nil
	}
	return v, nil
}
