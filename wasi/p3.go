package wasi

import (
	"fmt"
	"io"
	"sync"

	"github.com/witc-dev/witc/canonabi"
	"github.com/witc-dev/witc/host"
	"github.com/witc-dev/witc/wit"
)

// WASI 0.3, registered beside 0.2 (serving every 0.3.x import by semver)
// on the same state: the same arguments, environment, standard streams
// and granted directories. Its functions that block (the clocks' waits)
// are host.Linker.AsyncFunc functions; its streams and futures are the
// host's Go ends (host.StreamReader, host.FutureWriter...), copied by
// goroutines of the state (copiers), which Run waits for before it
// returns so that all a command wrote is written.

// Version3 is the WASI 0.3 version the interfaces are registered at.
const Version3 = "0.3.0"

func (s *state) registerP3(l *host.Linker, ifaces map[string]*wit.Interface) {
	iface := func(name string) *registrar { return s.registrarAt(l, ifaces, name, Version3) }
	s.registerEnvironment3(iface("wasi:cli/environment"))
	s.registerExit(iface("wasi:cli/exit"))
	s.registerStdio3(iface("wasi:cli/stdin"), iface("wasi:cli/stdout"), iface("wasi:cli/stderr"))
	s.registerTerminal(iface("wasi:cli/terminal-input"), iface("wasi:cli/terminal-output"),
		iface("wasi:cli/terminal-stdin"), iface("wasi:cli/terminal-stdout"), iface("wasi:cli/terminal-stderr"))
	s.registerMonotonicClock3(iface("wasi:clocks/monotonic-clock"))
	s.registerSystemClock(iface("wasi:clocks/system-clock"))
	s.registerRandom3(iface("wasi:random/random"), iface("wasi:random/insecure"), iface("wasi:random/insecure-seed"))
	descT := s.registerFilesystemTypes3(iface("wasi:filesystem/types"))
	s.registerPreopens3(iface("wasi:filesystem/preopens"), descT)
}

// raw defines function name of the interface as f, which takes and
// returns canonabi values.
func (r *registrar) raw(name string, f host.HostFunc) {
	r.l.Func(r.name, name, r.function(name), f)
}

// blockingNow defines function name of the interface as f, which may
// block (it runs on a goroutine of its own), and now, which answers at
// once when it can (host.Linker.AsyncFuncNow).
func (r *registrar) blockingNow(name string, now host.NowFunc, f host.HostFunc) {
	r.l.AsyncFuncNow(r.name, name, r.function(name), now, f)
}

// elemOf is the element type of the stream or future t.
func elemOf(t wit.Type) wit.Type {
	_, _, elem := wit.StreamOrFuture(t)
	return elem
}

// copiers are the goroutines copying between Go and the guest's streams.
type copiers struct {
	wg sync.WaitGroup
	mu sync.Mutex // serializes the writes of copiers sharing a writer
}

// lockedWriter writes to w under the copiers' lock.
type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// goCopy runs f on a copier goroutine.
func (s *state) goCopy(f func()) {
	s.copy.wg.Add(1)
	go func() {
		defer s.copy.wg.Done()
		f()
	}()
}

// okResult is `result<_, E>`'s ok.
var okResult = canonabi.Variant{Case: 0}

// errResult is `result<_, E>`'s error with enum case c.
func errResult(c uint32) canonabi.Value {
	return canonabi.Variant{Case: 1, Payload: canonabi.Variant{Case: c}}
}

// argReader is argument i of a call as a stream reader.
func argReader(args []canonabi.Value, i int) (*host.StreamReader, error) {
	r, ok := args[i].(*host.StreamReader)
	if !ok {
		return nil, fmt.Errorf("wasi: argument %d is a %T, not a stream", i, args[i])
	}
	return r, nil
}

// streamTypes are the element types of a function's result
// tuple<stream<T>, future<R>>: T and R.
func streamTypes(t wit.Type) (streamT, futT wit.Type) {
	if td, ok := wit.Resolved(t).(*wit.TypeDef); ok {
		if tu, ok := td.Kind.(*wit.Tuple); ok && len(tu.Types) == 2 {
			return elemOf(tu.Types[0]), elemOf(tu.Types[1])
		}
	}
	panic(fmt.Sprintf("wasi: %s is not a tuple of a stream and a future", wit.TypeString(t)))
}

// streamOut makes the stream<T> and future<R> a function returns
// (streamTypes) and runs produce on a copier goroutine, writing the
// stream; when produce returns the stream is closed and the future gets
// result(its error). The guest dropping the stream (io.ErrClosedPipe) is
// no error.
func (s *state) streamOut(streamT, futT wit.Type, produce func(*host.StreamWriter) error, result func(error) canonabi.Value) canonabi.Tuple {
	sw, sr := host.NewStream(streamT)
	fw, fr := host.NewFuture(futT)
	s.goCopy(func() {
		err := produce(sw)
		if err == io.ErrClosedPipe {
			err = nil
		}
		sw.Close()
		fw.Write(result(err))
	})
	return canonabi.Tuple{sr, fr}
}

// streamIn runs consume on a copier goroutine, reading the guest's
// stream data, and returns the future<R> (of type futT) that gets
// result(consume's error) once it returned and data is closed.
func (s *state) streamIn(futT wit.Type, data *host.StreamReader, consume func(*host.StreamReader) error, result func(error) canonabi.Value) *host.FutureReader {
	fw, fr := host.NewFuture(futT)
	s.goCopy(func() {
		err := consume(data)
		data.Close()
		fw.Write(result(err))
	})
	return fr
}
