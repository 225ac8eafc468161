package jcofixtures

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/witc-dev/witc/canonabi"
	"github.com/witc-dev/witc/compose"
	"github.com/witc-dev/witc/host"
	"github.com/witc-dev/witc/wac"
	"github.com/witc-dev/witc/wasi"
	"github.com/witc-dev/witc/wit"
)

const scenariosFile = "testdata/scenarios.txt"

// scenariosHeader is the top of scenarios.txt.
const scenariosHeader = `# Outcomes of Wasmtime's component-async-tests scenarios on jco's prebuilt
# copies of their components, measured by TestJcoScenarios (scenarios_test.go):
# NAME<TAB>OUTCOME, where OUTCOME is pass, trap, deadlock, refused (what
# witc's runtime does not run: stackful lifts), timeout, compose fails or
# instantiate fails. WITC_JCO_UPDATE=1 rewrites the outcomes and keeps the
# comment lines above each entry (the cause of each failure).
`

// p3Dir is where the async components ported from Wasmtime's
// component-async-tests are, under WITC_JCO_FIXTURES.
const p3Dir = "packages/jco-transpile/test/fixtures/components/p3"

// A scenario is one of Wasmtime's component-async-tests
// (crates/misc/component-async-tests/tests/scenario/*.rs) as witc can run
// it: the components, composed by witc when there are several (plug mode:
// the first is the root; or a WAC document), the export called and its
// arguments, and what the host provides of the imports no component
// exports (Wasmtime's Rust host; the rest trap when called,
// l.TrapUnknownImports). The Rust guests assert internally: a call that
// returns is a pass.
type scenario struct {
	name  string
	parts []string // p3-relative paths; the first is the root
	// wac, when set, composes parts[0] as rt:outer and parts[1] as
	// rt:inner with a WAC document instead of plug mode (the two each
	// import and export local:local/baz; plug mode gives the same
	// wiring, leaving inner's import open).
	wac  string
	call string
	// calls is how many calls run at once (Wasmtime's
	// test_run_with_count); 0 means 1.
	calls int
	args  []canonabi.Value
	want  canonabi.Value // the expected result, when the call returns one
	host  func(l *host.Linker)
}

// roundTripWAC plugs rt:inner's local:local/baz into rt:outer's; inner's
// own import of it is the host's (Wasmtime's test_round_trip_composed).
const roundTripWAC = `package test:rt;

let inner = new rt:inner { ... };
let outer = new rt:outer { "local:local/baz": inner["local:local/baz"], ... };
export outer["local:local/baz"];
`

// roundTrip is the expected result of foo("hello, world!") through guests
// layers of guest code around the host (round_trip.rs).
func roundTrip(guests int) string {
	return "hello, world!" + strings.Repeat(" - entered guest", guests) + " - entered host - exited host" + strings.Repeat(" - exited guest", guests)
}

func scenarios() []scenario {
	run := "local:local/run#run"
	rt := func(name string, parts ...string) scenario {
		s := scenario{name: name, parts: parts, call: "local:local/baz#foo", args: []canonabi.Value{"hello, world!"},
			want: roundTrip(len(parts)), host: hostBaz("local:local/baz")}
		if len(parts) == 2 {
			s.wac = roundTripWAC
		}
		return s
	}
	return []scenario{
		// transmit.rs, post_return.rs, unit_stream.rs, error_context.rs,
		// backpressure.rs: caller/callee pairs and single components
		// whose run export Wasmtime calls.
		{name: "transmit-caller", parts: []string{"general/async-transmit-caller.wasm", "general/async-transmit-callee.wasm"}, call: run},
		{name: "post-return-caller", parts: []string{"general/async-post-return-caller.wasm", "general/async-post-return-callee.wasm"}, call: run},
		{name: "unit-stream-caller", parts: []string{"streams/async-unit-stream-caller.wasm", "streams/async-unit-stream-callee.wasm"}, call: run},
		{name: "error-context-caller", parts: []string{"error-context/async-error-context-caller.wasm", "error-context/async-error-context-callee.wasm"}, call: run},
		{name: "error-context-callee", parts: []string{"error-context/async-error-context-callee.wasm"}, call: run},
		{name: "error-context", parts: []string{"error-context/async-error-context.wasm"}, call: run},
		{name: "backpressure-caller", parts: []string{"backpressure/async-backpressure-caller.wasm", "backpressure/async-backpressure-callee.wasm"}, call: run},
		{name: "backpressure-callee", parts: []string{"backpressure/async-backpressure-callee.wasm"}, call: run},
		// Wasmtime calls run twice concurrently (test_run_with_count 2):
		// the first call waits until the second wakes it, so one call
		// alone waits forever.
		{name: "intertask-communication", parts: []string{"general/async-intertask-communication.wasm"}, call: run, calls: 2},
		// borrowing.rs: borrowing-types is Wasmtime's host resource.
		{name: "borrowing-caller", parts: []string{"general/async-borrowing-caller.wasm", "general/async-borrowing-callee.wasm"},
			call: "local:local/run-bool#run", args: []canonabi.Value{false}},
		// post_return.rs async_sleep_post_return_*: the host sleeps.
		{name: "sleep-post-return-caller", parts: []string{"general/async-sleep-post-return-caller.wasm", "general/async-sleep-post-return-callee.wasm"},
			call: "local:local/sleep-post-return#run", args: []canonabi.Value{uint64(10)}, host: hostSleep},
		{name: "sleep-post-return-callee", parts: []string{"general/async-sleep-post-return-callee.wasm"},
			call: "local:local/sleep-post-return#run", args: []canonabi.Value{uint64(10)}, host: hostSleep},
		// yield_.rs, transmit.rs async_poll_*, read_resource_stream.rs:
		// local:local/continue, ready and resource-stream are Wasmtime's
		// host (yield_host.rs, resource_stream.rs), which witc's test does
		// not have.
		{name: "yield-caller-stackless", parts: []string{"yield/async-yield-caller.wasm", "yield/async-yield-callee-stackless.wasm"}, call: run},
		{name: "yield-caller-synchronous", parts: []string{"yield/async-yield-caller.wasm", "yield/async-yield-callee-synchronous.wasm"}, call: run},
		{name: "poll-stackless", parts: []string{"poll/async-poll-stackless.wasm"}, call: run},
		{name: "poll-synchronous", parts: []string{"poll/async-poll-synchronous.wasm"}, call: run},
		{name: "read-resource-stream", parts: []string{"streams/async-read-resource-stream.wasm"}, call: run},
		// round_trip.rs: foo through one guest (the host's baz inside) or
		// two composed guests.
		rt("round-trip-stackless", "round-trip/async-round-trip-stackless.wasm"),
		rt("round-trip-synchronous", "round-trip/async-round-trip-synchronous.wasm"),
		rt("round-trip-wait", "round-trip/async-round-trip-wait.wasm"),
		rt("round-trip-stackful", "round-trip/async-round-trip-stackful.wasm"),
		rt("round-trip-stackless-sync-import", "round-trip/async-round-trip-stackless-sync-import.wasm"),
		rt("round-trip-stackless+stackless", "round-trip/async-round-trip-stackless.wasm", "round-trip/async-round-trip-stackless.wasm"),
		rt("round-trip-synchronous+stackless", "round-trip/async-round-trip-synchronous.wasm", "round-trip/async-round-trip-stackless.wasm"),
		rt("round-trip-stackless+synchronous", "round-trip/async-round-trip-stackless.wasm", "round-trip/async-round-trip-synchronous.wasm"),
		rt("round-trip-synchronous+synchronous", "round-trip/async-round-trip-synchronous.wasm", "round-trip/async-round-trip-synchronous.wasm"),
		rt("round-trip-wait+wait", "round-trip/async-round-trip-wait.wasm", "round-trip/async-round-trip-wait.wasm"),
		rt("round-trip-stackful+stackless", "round-trip/async-round-trip-stackful.wasm", "round-trip/async-round-trip-stackless.wasm"),
		// round_trip_direct.rs: foo imported and exported by the world
		// itself.
		{name: "round-trip-direct-stackless", parts: []string{"round-trip/async-round-trip-direct-stackless.wasm"},
			call: "foo", args: []canonabi.Value{"hello, world!"}, want: roundTrip(1), host: hostBaz("")},
	}
}

// hostBaz provides foo(s) -> s + " - entered host - exited host", as
// Wasmtime's round-trip host does, in interface iface ("" for a function
// the world imports itself).
func hostBaz(iface string) func(*host.Linker) {
	return func(l *host.Linker) {
		typ := &wit.Function{Name: "foo", Kind: wit.AsyncFreestanding, Params: []wit.Param{{Name: "s", Type: wit.String}}, Result: wit.String}
		l.Func(iface, "foo", typ, func(_ context.Context, args []canonabi.Value) ([]canonabi.Value, error) {
			return []canonabi.Value{args[0].(string) + " - entered host - exited host"}, nil
		})
	}
}

// hostSleep provides local:local/sleep#sleep-millis.
func hostSleep(l *host.Linker) {
	typ := &wit.Function{Name: "sleep-millis", Kind: wit.AsyncFreestanding, Params: []wit.Param{{Name: "time-in-millis", Type: wit.U64}}}
	l.Func("local:local/sleep", "sleep-millis", typ, func(ctx context.Context, args []canonabi.Value) ([]canonabi.Value, error) {
		select {
		case <-time.After(time.Duration(args[0].(uint64)) * time.Millisecond):
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		return nil, nil
	})
}

// TestJcoScenarios runs Wasmtime's component-async-tests scenarios on
// jco's prebuilt copies of their components (see doc.go) and compares the
// outcomes with testdata/scenarios.txt; WITC_JCO_UPDATE=1 rewrites it,
// keeping its comment lines.
func TestJcoScenarios(t *testing.T) {
	dir := os.Getenv("WITC_JCO_FIXTURES")
	if dir == "" {
		t.Skip("WITC_JCO_FIXTURES is not set: see TestJcoFixtures")
	}
	got := map[string]string{}
	var names []string
	for _, s := range scenarios() {
		start := time.Now()
		got[s.name] = runScenario(filepath.Join(dir, p3Dir), s)
		names = append(names, s.name)
		t.Logf("%s (%v): %s", s.name, time.Since(start).Round(time.Millisecond), got[s.name])
	}
	if os.Getenv("WITC_JCO_UPDATE") != "" {
		if err := writeExpected(scenariosFile, scenariosHeader, got); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s", scenariosFile)
		return
	}
	want, err := readExpected(scenariosFile)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		w, ok := want[n]
		switch {
		case !ok:
			t.Errorf("%s: not in %s (WITC_JCO_UPDATE=1 adds it)\n got: %s", n, scenariosFile, got[n])
		case w.line != got[n]:
			t.Errorf("%s:\n got: %s\nwant: %s", n, got[n], w.line)
		}
	}
	for n := range want {
		if _, ok := got[n]; !ok {
			t.Errorf("%s: in %s but no such scenario", n, scenariosFile)
		}
	}
}

// runScenario composes, instantiates and calls one scenario and names its
// outcome: pass, or compose/instantiate failures, refused (what witc's
// runtime does not run), deadlock, timeout, trap.
func runScenario(dir string, s scenario) string {
	b, err := composeScenario(dir, s)
	if err != nil {
		return "compose fails: " + oneLine(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), fixtureTimeout)
	defer cancel()
	rt := host.NewRuntime(ctx, host.Options{Workers: runtime.NumCPU(), StopOnContextDone: true, MaxMemory: maxMemory})
	defer rt.Close(context.Background())
	var stdout, stderr capped
	l := host.NewLinker()
	l.TrapUnknownImports()
	if err := wasi.Register(l, wasi.Config{Args: []string{s.name}, Stdout: &stdout, Stderr: &stderr}); err != nil {
		return "error: wasi: " + oneLine(err)
	}
	if s.host != nil {
		s.host(l)
	}
	in, err := rt.Instantiate(ctx, l, b)
	if err != nil {
		return "instantiate fails: " + oneLine(err)
	}
	defer in.Close(context.Background())
	f, err := in.Func(s.call)
	if err != nil {
		return "error: " + oneLine(err)
	}
	var res []canonabi.Value
	if s.calls > 1 {
		// The calls run at once; the first error is the outcome.
		errs := make(chan error, s.calls)
		for range s.calls {
			go func() {
				_, err := f.Call(ctx, s.args...)
				errs <- err
			}()
		}
		for range s.calls {
			if e := <-errs; err == nil {
				err = e
			}
		}
	} else {
		res, err = f.Call(ctx, s.args...)
	}
	var ue *host.UnsupportedError
	switch {
	case err == nil:
	case errors.As(err, &ue):
		return "refused: " + oneLine(err)
	case errors.Is(err, context.DeadlineExceeded):
		return "timeout: " + oneLine(err)
	case strings.Contains(err.Error(), "deadlock:"):
		return "deadlock: " + oneLine(err)
	default:
		return "trap: " + oneLine(err)
	}
	if s.want != nil {
		if len(res) != 1 || res[0] != s.want {
			return fmt.Sprintf("wrong result: %#v, want %#v", res, s.want)
		}
	}
	return "pass"
}

// composeScenario returns the component the scenario calls: its one
// part, or its parts composed by witc.
func composeScenario(dir string, s scenario) ([]byte, error) {
	var ins []compose.Input
	for i, p := range s.parts {
		b, err := os.ReadFile(filepath.Join(dir, p))
		if err != nil {
			return nil, err
		}
		// Two copies of one component get names of their own.
		ins = append(ins, compose.Input{Name: fmt.Sprintf("%d/%s", i, p), Bytes: b})
	}
	if len(ins) == 1 {
		return ins[0].Bytes, nil
	}
	if s.wac == "" {
		r, err := compose.Compose(ins, compose.Options{})
		if err != nil {
			return nil, err
		}
		return r.Bytes(), nil
	}
	c, err := wac.Compose("scenario.wac", []byte(s.wac), wac.Options{Deps: map[string]string{
		"rt:outer": filepath.Join(dir, s.parts[0]),
		"rt:inner": filepath.Join(dir, s.parts[1]),
	}})
	if err != nil {
		return nil, err
	}
	return c.Encode()
}
