// Package wasi implements the WASI 0.2 and 0.3 host interfaces on package host,
// so that components built for WASI run: a wasi:cli/command, or any
// component that prints, reads the clock or uses files. [Register] defines
// the interfaces on a host.Linker, with a [Config] that says what the
// component is given: besides clocks and randomness, it reaches nothing
// of the host that Config does not give.
//
// A command runs in three steps (the package example): Register with its
// arguments (the program name first), environment variables, standard
// streams (any io.Reader and io.Writer: buffers, files, the process's
// own) and the directories it may use; host.Runtime.Instantiate the
// component with that linker; call its export `wasi:cli/run#run`. A
// command that exits through wasi:cli/exit ends that call with an error
// whose status host.ExitCode reads; otherwise run's result says whether it
// failed. [Run] takes the three steps in one call, returns the exit
// status and closes the instance.
//
// The interfaces, registered at version 0.2.12 ([Version]) and serving
// every 0.2.x import by semver:
//
//   - wasi:cli: environment, exit, stdin, stdout, stderr and terminal-*,
//     with the arguments, variables and streams of Config only;
//   - wasi:io: error, poll, streams;
//   - wasi:clocks: monotonic-clock, wall-clock;
//   - wasi:random: random, insecure, insecure-seed;
//   - wasi:filesystem: types and preopens, every function of
//     wasi:filesystem 0.2, inside the directories granted with Config.Dirs
//     and nowhere else. Each granted [Dir] is opened as an os.Root, which
//     refuses every path that leaves it (through "..", an absolute path or
//     a symbolic link); one granted ReadOnly refuses every change. No
//     directory is granted by default.
//
// WASI 0.3 ([Version3], p3*.go) is registered beside, on the same
// Config: wasi:cli (environment, exit, stdin/stdout/stderr as streams,
// terminal-*), wasi:clocks (monotonic-clock, whose waits block only the
// calling task, and system-clock), wasi:random and wasi:filesystem (types
// and preopens, with 0.2's capability rules). Its streams and futures are
// copied by goroutines of the registration; Run (and `witc run`) runs a
// wasi:cli/run@0.3.x command, lets the tasks that go on after run
// returned end (host.Instance.Settle) and waits for those copies
// ([Host.Wait]), so all a command wrote is written.
//
// wasi:sockets and wasi:http are not provided. A component that imports
// them still links when WASI is registered (toolchains import sockets they
// never call), and calling one of their functions traps.
//
// Each interface is one file (io_streams.go for wasi:io/streams, …), each
// WASI function a small Go function with Go-typed parameters and results,
// registered with its type from WASI's own WIT (wit/wasi-0.2.12.wasm), so
// that linking a component checks it like every other import.
//
// The examples run a command with arguments, environment and standard
// streams in buffers (Example), and one that uses a directory granted
// read-only, then read-write (ExampleDir).
package wasi

import (
	"fmt"
	"io"
	"sync"
	"time"

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

// state is one registration: the configuration and the Go objects behind
// the resources handed to guests.
type state struct {
	cfg     Config
	outputs objects[io.Writer]
	inputs  objects[io.Reader]
	errs    objects[ioError]
	polls   objects[pollable]
	start   time.Time

	descs      objects[*descriptor]
	dirStreams objects[*dirStream]
	preopens   []preopen

	outputT, inputT, errorT, pollT, descT, dirStreamT *host.ResourceType

	copy copiers // WASI 0.3's stream copies (p3.go)

	seedOnce sync.Once
	seed     [2]uint64 // insecure-seed's
}

// Register defines the WASI interfaces on l. It fails only when a
// directory to grant cannot be opened.
func Register(l *host.Linker, cfg Config) error {
	_, err := New(l, cfg)
	return err
}

// Host is WASI registered on a linker, for the host interfaces built on
// it (wasi:http): they hand the guest streams and pollables of wasi:io
// through it.
type Host struct{ s *state }

// New registers WASI on l like Register, and returns the registration.
func New(l *host.Linker, cfg Config) (*Host, error) {
	ifaces, err := witInterfaces()
	if err != nil {
		return nil, err
	}
	s := &state{cfg: cfg, start: time.Now()}
	if s.preopens, err = openDirs(cfg.Dirs); err != nil {
		return nil, err
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
	iface := func(name string) *registrar { return s.registrar(l, ifaces, name) }
	// Interfaces come after those whose resources they use.
	s.registerError(iface("wasi:io/error"))
	s.registerPoll(iface("wasi:io/poll"))
	s.registerStreams(iface("wasi:io/streams"))
	s.registerEnvironment(iface("wasi:cli/environment"))
	s.registerExit(iface("wasi:cli/exit"))
	s.registerStdio(iface("wasi:cli/stdin"), iface("wasi:cli/stdout"), iface("wasi:cli/stderr"))
	s.registerTerminal(iface("wasi:cli/terminal-input"), iface("wasi:cli/terminal-output"),
		iface("wasi:cli/terminal-stdin"), iface("wasi:cli/terminal-stdout"), iface("wasi:cli/terminal-stderr"))
	s.registerMonotonicClock(iface("wasi:clocks/monotonic-clock"))
	s.registerWallClock(iface("wasi:clocks/wall-clock"))
	s.registerRandom(iface("wasi:random/random"), iface("wasi:random/insecure"), iface("wasi:random/insecure-seed"))
	s.registerFilesystemTypes(iface("wasi:filesystem/types"))
	s.registerPreopens(iface("wasi:filesystem/preopens"))
	s.registerP3(l, ifaces)
	return &Host{s}, nil
}

// Wait waits until WASI 0.3's copies between the guest's streams and
// Config's (standard output, ...) have ended: call it after closing the
// instance (which ends those still waiting on the guest), so that all
// the guest wrote is written.
func (h *Host) Wait() { h.s.copy.wg.Wait() }

// InputStream hands the guest an input-stream reading r (an own handle,
// for a function's result).
func (h *Host) InputStream(r io.Reader) host.Resource {
	return own(h.s.inputT, h.s.inputs.add(r))
}

// OutputStream hands the guest an output-stream writing to w; the
// stream's flush calls w's Flush when it has one (Flush() error, or
// Flush() like http.Flusher).
func (h *Host) OutputStream(w io.Writer) host.Resource {
	return own(h.s.outputT, h.s.outputs.add(w))
}

// Pollable hands the guest a pollable that is ready once ready is closed.
func (h *Host) Pollable(ready <-chan struct{}) host.Resource {
	return own(h.s.pollT, h.s.polls.add(pollable{ch: ready}))
}

// ResourceType is the resource type of wasi:io's input-stream,
// output-stream, pollable or error (nil for another name), for the
// interfaces that `use` them (host.Linker.Alias).
func (h *Host) ResourceType(name string) *host.ResourceType {
	switch name {
	case "input-stream":
		return h.s.inputT
	case "output-stream":
		return h.s.outputT
	case "pollable":
		return h.s.pollT
	case "error":
		return h.s.errorT
	}
	return nil
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

type eofReader struct{}

func (eofReader) Read([]byte) (int, error) { return 0, io.EOF }
