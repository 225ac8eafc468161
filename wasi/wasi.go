// Package wasi implements WASI 0.2 host interfaces on package host:
// wasi:cli (environment, exit, stdin/stdout/stderr, terminal-*), wasi:io
// (error, poll, streams), wasi:clocks (monotonic, wall), wasi:random
// (random, insecure, insecure-seed) and wasi:filesystem's preopens (no
// directory is granted). They are registered at version 0.2.12 and serve
// every 0.2.x import by semver. Nothing beyond the standard streams,
// arguments, environment given, clocks and randomness is granted; other
// WASI functions (sockets, http, filesystem access) trap with a clear
// message when called.
package wasi

import (
	"context"
	crand "crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	mrand "math/rand/v2"
	"sync"
	"time"

	"github.com/tetratelabs/wazero/sys"
	"github.com/witc-dev/witc/canonabi"
	"github.com/witc-dev/witc/host"
)

// Version is the WASI version the interfaces are registered at.
const Version = "0.2.12"

// Config is what a command is given.
type Config struct {
	Args   []string    // get-arguments, program name first
	Env    [][2]string // get-environment
	Cwd    string      // initial-cwd ("" for none)
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Dirs   []Dir // directories granted (preopens); none by default
}

// objects are the Go values behind WASI's resources, by rep: a host.Table
// behind a lock, since one registration may serve instances running on
// different goroutines.
type objects[T any] struct {
	mu sync.Mutex
	t  host.Table[T]
}

func (o *objects[T]) add(v T) uint32 {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.t.Add(v)
}

func (o *objects[T]) get(rep uint32) (T, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	v, ok := o.t.Lookup(rep)
	if !ok {
		return v, fmt.Errorf("unknown resource %d", rep)
	}
	return v, nil
}

func (o *objects[T]) drop(rep uint32) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.t.Remove(rep)
}

type state struct {
	cfg     Config
	outputs objects[io.Writer]
	inputs  objects[io.Reader]
	errs    objects[string]
	polls   objects[time.Time] // ready at
	start   time.Time

	descs      objects[*descriptor]
	dirStreams objects[*dirStream]
	preopens   []preopen

	outputT, inputT, errorT, pollT, descT, dirStreamT *host.ResourceType
}

func iface(name string) string { return name + "@" + Version }

// Register defines the WASI interfaces on l. It fails only when a
// directory to grant cannot be opened.
func Register(l *host.Linker, cfg Config) error {
	s := &state{cfg: cfg, start: time.Now()}
	var err error
	if s.preopens, err = openDirs(cfg.Dirs); err != nil {
		return err
	}
	if cfg.Stdin == nil {
		s.cfg.Stdin = eofReader{}
	}
	if cfg.Stdout == nil {
		s.cfg.Stdout = io.Discard
	}
	if cfg.Stderr == nil {
		s.cfg.Stderr = io.Discard
	}
	s.errorT = l.Resource(iface("wasi:io/error"), "error", s.errs.drop)
	s.pollT = l.Resource(iface("wasi:io/poll"), "pollable", s.polls.drop)
	s.inputT = l.Resource(iface("wasi:io/streams"), "input-stream", s.inputs.drop)
	s.outputT = l.Resource(iface("wasi:io/streams"), "output-stream", s.outputs.drop)
	// Interfaces that `use` these resources see the same types.
	l.Alias(iface("wasi:io/streams"), "error", s.errorT)
	l.Alias(iface("wasi:io/streams"), "pollable", s.pollT)
	l.Alias(iface("wasi:cli/stdin"), "input-stream", s.inputT)
	l.Alias(iface("wasi:cli/stdout"), "output-stream", s.outputT)
	l.Alias(iface("wasi:cli/stderr"), "output-stream", s.outputT)
	l.Alias(iface("wasi:clocks/monotonic-clock"), "pollable", s.pollT)
	l.Alias(iface("wasi:filesystem/types"), "input-stream", s.inputT)
	l.Alias(iface("wasi:filesystem/types"), "output-stream", s.outputT)
	l.Alias(iface("wasi:filesystem/types"), "error", s.errorT)
	s.registerIO(l)
	s.registerCLI(l)
	s.registerClocks(l)
	s.registerRandom(l)
	s.registerFilesystem(l)
	return nil
}

type eofReader struct{}

func (eofReader) Read([]byte) (int, error) { return 0, io.EOF }

func ok(v canonabi.Value) canonabi.Value { return canonabi.Variant{Case: 0, Payload: v} }
func none() canonabi.Value               { return canonabi.Variant{Case: 0} }
func some(v canonabi.Value) canonabi.Value {
	return canonabi.Variant{Case: 1, Payload: v}
}
func one(v canonabi.Value) ([]canonabi.Value, error) { return []canonabi.Value{v}, nil }

// streamClosed is stream-error::closed.
func streamClosed() canonabi.Value {
	return canonabi.Variant{Case: 1, Payload: canonabi.Variant{Case: 1}}
}

func (s *state) streamFailed(err error) canonabi.Value {
	rep := s.errs.add(err.Error())
	return canonabi.Variant{Case: 1, Payload: canonabi.Variant{Case: 0, Payload: host.Resource{Type: s.errorT, Rep: rep, Own: true}}}
}

func bytesOf(v canonabi.Value) []byte {
	l, _ := v.(canonabi.List)
	b := make([]byte, len(l))
	for i, x := range l {
		b[i], _ = x.(uint8)
	}
	return b
}

func listOf(b []byte) canonabi.List {
	l := make(canonabi.List, len(b))
	for i, c := range b {
		l[i] = c
	}
	return l
}

// rep is the rep of a resource argument; anything else names no object.
func rep(v canonabi.Value) uint32 {
	r, ok := v.(host.Resource)
	if !ok {
		return math.MaxUint32
	}
	return r.Rep
}

func (s *state) registerIO(l *host.Linker) {
	e := iface("wasi:io/error")
	l.Func(e, "[method]error.to-debug-string", func(_ context.Context, a []canonabi.Value) ([]canonabi.Value, error) {
		msg, err := s.errs.get(rep(a[0]))
		if err != nil {
			return nil, err
		}
		return one(msg)
	})

	p := iface("wasi:io/poll")
	l.Func(p, "[method]pollable.ready", func(_ context.Context, a []canonabi.Value) ([]canonabi.Value, error) {
		at, err := s.polls.get(rep(a[0]))
		if err != nil {
			return nil, err
		}
		return one(!time.Now().Before(at))
	})
	l.Func(p, "[method]pollable.block", func(ctx context.Context, a []canonabi.Value) ([]canonabi.Value, error) {
		at, err := s.polls.get(rep(a[0]))
		if err != nil {
			return nil, err
		}
		return nil, sleepUntil(ctx, at)
	})
	l.Func(p, "poll", func(ctx context.Context, a []canonabi.Value) ([]canonabi.Value, error) {
		list, _ := a[0].(canonabi.List)
		if len(list) == 0 {
			return nil, errors.New("poll: the list of pollables is empty")
		}
		earliest := time.Time{}
		for {
			var ready canonabi.List
			now := time.Now()
			for i, x := range list {
				at, err := s.polls.get(rep(x))
				if err != nil {
					return nil, err
				}
				if !now.Before(at) {
					ready = append(ready, uint32(i))
				} else if earliest.IsZero() || at.Before(earliest) {
					earliest = at
				}
			}
			if len(ready) > 0 {
				return one(ready)
			}
			if err := sleepUntil(ctx, earliest); err != nil {
				return nil, err
			}
			earliest = time.Time{}
		}
	})

	st := iface("wasi:io/streams")
	write := func(a []canonabi.Value) (canonabi.Value, error) {
		w, err := s.outputs.get(rep(a[0]))
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(bytesOf(a[1])); err != nil {
			return s.streamFailed(err), nil
		}
		return ok(nil), nil
	}
	for _, name := range []string{"[method]output-stream.write", "[method]output-stream.blocking-write-and-flush"} {
		l.Func(st, name, func(_ context.Context, a []canonabi.Value) ([]canonabi.Value, error) {
			v, err := write(a)
			if err != nil {
				return nil, err
			}
			return one(v)
		})
	}
	zeroes := func(_ context.Context, a []canonabi.Value) ([]canonabi.Value, error) {
		n, _ := a[1].(uint64)
		if n > 1<<24 {
			return nil, fmt.Errorf("write-zeroes of %d bytes is too large", n)
		}
		v, err := write([]canonabi.Value{a[0], listOf(make([]byte, n))})
		if err != nil {
			return nil, err
		}
		return one(v)
	}
	l.Func(st, "[method]output-stream.write-zeroes", zeroes)
	l.Func(st, "[method]output-stream.blocking-write-zeroes-and-flush", zeroes)
	l.Func(st, "[method]output-stream.check-write", func(_ context.Context, a []canonabi.Value) ([]canonabi.Value, error) {
		if _, err := s.outputs.get(rep(a[0])); err != nil {
			return nil, err
		}
		return one(ok(uint64(1 << 20)))
	})
	flush := func(_ context.Context, a []canonabi.Value) ([]canonabi.Value, error) {
		w, err := s.outputs.get(rep(a[0]))
		if err != nil {
			return nil, err
		}
		if f, ok := w.(interface{ Flush() error }); ok {
			if err := f.Flush(); err != nil {
				return one(s.streamFailed(err))
			}
		}
		return one(ok(nil))
	}
	l.Func(st, "[method]output-stream.flush", flush)
	l.Func(st, "[method]output-stream.blocking-flush", flush)
	subscribe := func(_ context.Context, a []canonabi.Value) ([]canonabi.Value, error) {
		return one(host.Resource{Type: s.pollT, Rep: s.polls.add(time.Time{}), Own: true})
	}
	l.Func(st, "[method]output-stream.subscribe", subscribe)
	l.Func(st, "[method]input-stream.subscribe", subscribe)
	read := func(_ context.Context, a []canonabi.Value) ([]canonabi.Value, error) {
		r, err := s.inputs.get(rep(a[0]))
		if err != nil {
			return nil, err
		}
		n, _ := a[1].(uint64)
		if n > 1<<20 {
			n = 1 << 20
		}
		buf := make([]byte, n)
		m, err := r.Read(buf)
		if m == 0 && err == io.EOF {
			return one(streamClosed())
		}
		if m == 0 && err != nil {
			return one(s.streamFailed(err))
		}
		return one(ok(listOf(buf[:m])))
	}
	l.Func(st, "[method]input-stream.read", read)
	l.Func(st, "[method]input-stream.blocking-read", read)
	skip := func(ctx context.Context, a []canonabi.Value) ([]canonabi.Value, error) {
		res, err := read(ctx, a)
		if err != nil {
			return nil, err
		}
		v := res[0].(canonabi.Variant)
		if v.Case == 0 {
			return one(ok(uint64(len(v.Payload.(canonabi.List)))))
		}
		return res, nil
	}
	l.Func(st, "[method]input-stream.skip", skip)
	l.Func(st, "[method]input-stream.blocking-skip", skip)
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

func (s *state) registerCLI(l *host.Linker) {
	env := iface("wasi:cli/environment")
	l.Func(env, "get-environment", func(context.Context, []canonabi.Value) ([]canonabi.Value, error) {
		var out canonabi.List
		for _, kv := range s.cfg.Env {
			out = append(out, canonabi.Tuple{kv[0], kv[1]})
		}
		return one(out)
	})
	l.Func(env, "get-arguments", func(context.Context, []canonabi.Value) ([]canonabi.Value, error) {
		out := canonabi.List{}
		for _, a := range s.cfg.Args {
			out = append(out, a)
		}
		return one(out)
	})
	l.Func(env, "initial-cwd", func(context.Context, []canonabi.Value) ([]canonabi.Value, error) {
		if s.cfg.Cwd == "" {
			return one(none())
		}
		return one(some(s.cfg.Cwd))
	})
	exit := iface("wasi:cli/exit")
	l.Func(exit, "exit", func(_ context.Context, a []canonabi.Value) ([]canonabi.Value, error) {
		v, _ := a[0].(canonabi.Variant)
		code := uint32(0)
		if v.Case != 0 {
			code = 1
		}
		return nil, sys.NewExitError(code)
	})
	l.Func(exit, "exit-with-code", func(_ context.Context, a []canonabi.Value) ([]canonabi.Value, error) {
		c, _ := a[0].(uint8)
		return nil, sys.NewExitError(uint32(c))
	})
	for _, std := range []struct {
		iface, fn string
		stream    func() canonabi.Value
	}{
		{"wasi:cli/stdin", "get-stdin", func() canonabi.Value {
			return host.Resource{Type: s.inputT, Rep: s.inputs.add(s.cfg.Stdin), Own: true}
		}},
		{"wasi:cli/stdout", "get-stdout", func() canonabi.Value {
			return host.Resource{Type: s.outputT, Rep: s.outputs.add(s.cfg.Stdout), Own: true}
		}},
		{"wasi:cli/stderr", "get-stderr", func() canonabi.Value {
			return host.Resource{Type: s.outputT, Rep: s.outputs.add(s.cfg.Stderr), Own: true}
		}},
	} {
		l.Func(iface(std.iface), std.fn, func(context.Context, []canonabi.Value) ([]canonabi.Value, error) {
			return one(std.stream())
		})
	}
	// No terminals: the standard streams are not terminals.
	l.Resource(iface("wasi:cli/terminal-input"), "terminal-input", nil)
	l.Resource(iface("wasi:cli/terminal-output"), "terminal-output", nil)
	for _, t := range []struct{ iface, fn string }{
		{"wasi:cli/terminal-stdin", "get-terminal-stdin"},
		{"wasi:cli/terminal-stdout", "get-terminal-stdout"},
		{"wasi:cli/terminal-stderr", "get-terminal-stderr"},
	} {
		l.Func(iface(t.iface), t.fn, func(context.Context, []canonabi.Value) ([]canonabi.Value, error) {
			return one(none())
		})
	}
}

func (s *state) registerClocks(l *host.Linker) {
	mono := iface("wasi:clocks/monotonic-clock")
	l.Func(mono, "now", func(context.Context, []canonabi.Value) ([]canonabi.Value, error) {
		return one(uint64(time.Since(s.start).Nanoseconds()))
	})
	l.Func(mono, "resolution", func(context.Context, []canonabi.Value) ([]canonabi.Value, error) {
		return one(uint64(1))
	})
	l.Func(mono, "subscribe-instant", func(_ context.Context, a []canonabi.Value) ([]canonabi.Value, error) {
		at, _ := a[0].(uint64)
		return one(host.Resource{Type: s.pollT, Rep: s.polls.add(s.start.Add(time.Duration(at))), Own: true})
	})
	l.Func(mono, "subscribe-duration", func(_ context.Context, a []canonabi.Value) ([]canonabi.Value, error) {
		d, _ := a[0].(uint64)
		return one(host.Resource{Type: s.pollT, Rep: s.polls.add(time.Now().Add(time.Duration(d))), Own: true})
	})
	wall := iface("wasi:clocks/wall-clock")
	l.Func(wall, "now", func(context.Context, []canonabi.Value) ([]canonabi.Value, error) {
		now := time.Now()
		return one(canonabi.Record{uint64(now.Unix()), uint32(now.Nanosecond())})
	})
	l.Func(wall, "resolution", func(context.Context, []canonabi.Value) ([]canonabi.Value, error) {
		return one(canonabi.Record{uint64(0), uint32(1)})
	})
}

func (s *state) registerRandom(l *host.Linker) {
	bytes := func(_ context.Context, a []canonabi.Value) ([]canonabi.Value, error) {
		n, _ := a[0].(uint64)
		if n > 1<<20 {
			return nil, fmt.Errorf("get-random-bytes: %d bytes is too many at once", n)
		}
		b := make([]byte, n)
		crand.Read(b)
		return one(listOf(b))
	}
	u64 := func(context.Context, []canonabi.Value) ([]canonabi.Value, error) {
		var b [8]byte
		crand.Read(b[:])
		return one(binary.LittleEndian.Uint64(b[:]))
	}
	r := iface("wasi:random/random")
	l.Func(r, "get-random-bytes", bytes)
	l.Func(r, "get-random-u64", u64)
	in := iface("wasi:random/insecure")
	l.Func(in, "get-insecure-random-bytes", bytes)
	l.Func(in, "get-insecure-random-u64", u64)
	l.Func(iface("wasi:random/insecure-seed"), "insecure-seed", func(context.Context, []canonabi.Value) ([]canonabi.Value, error) {
		return one(canonabi.Tuple{mrand.Uint64(), mrand.Uint64()})
	})
}
