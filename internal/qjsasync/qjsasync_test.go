package qjsasync

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/witc-dev/witc/canonabi"
	"github.com/witc-dev/witc/host"
	"github.com/witc-dev/witc/wasi"
)

const (
	fixture = "testdata/qjsasync.wasm"
	iface   = "witc:qjsasync/api"
	timeout = 60 * time.Second
)

// witcBin is the witc binary TestInvoke runs, built by TestMain; cacheDir
// is its cache of compiled code (WITC_CACHE_DIR), so that the fixture is
// compiled once.
var witcBin, cacheDir string

func TestMain(m *testing.M) {
	os.Exit(testMain(m))
}

func testMain(m *testing.M) int {
	dir, err := os.MkdirTemp("", "witc-qjsasync-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	if _, err := exec.LookPath("go"); err != nil {
		fmt.Fprintln(os.Stderr, "qjsasync: go command not found; TestInvoke skips")
		return m.Run()
	}
	bin := filepath.Join(dir, "witc")
	out, err := exec.Command("go", "build", "-o", bin, "github.com/witc-dev/witc/cmd/witc").CombinedOutput()
	if err != nil {
		fmt.Fprintf(os.Stderr, "qjsasync: building witc: %v\n%s", err, out)
		return 1
	}
	witcBin, cacheDir = bin, filepath.Join(dir, "cache")
	return m.Run()
}

// compiled is the fixture compiled once for all the tests.
var compiled = sync.OnceValues(func() (*host.Compiled, error) {
	b, err := os.ReadFile(fixture)
	if err != nil {
		return nil, err
	}
	rt := host.NewRuntime(context.Background(), host.Options{StopOnContextDone: true})
	return rt.Compile(context.Background(), b)
})

// instantiate creates an instance of the fixture with WASI; the test's
// cleanup closes it.
func instantiate(t *testing.T, ctx context.Context) *host.Instance {
	t.Helper()
	cc, err := compiled()
	if err != nil {
		t.Fatal(err)
	}
	l := host.NewLinker()
	if err := wasi.Register(l, wasi.Config{Stdout: &bytes.Buffer{}, Stderr: &bytes.Buffer{}}); err != nil {
		t.Fatal(err)
	}
	in, err := cc.Instantiate(ctx, l)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { in.Close(context.Background()) })
	return in
}

// A callCase is one call of an async function of witc:qjsasync/api and
// the result fixtures.js gives: as a Go value for Func.Call, and as
// `witc run --invoke` prints it (wave; "" when the case is not run
// with witc run).
type callCase struct {
	fn   string
	args []canonabi.Value
	want canonabi.Value
	// invoke is the WAVE call witc run is given and wave what it prints.
	invoke, wave string
}

var cases = []callCase{
	{"add", vals(uint32(2), uint32(3)), uint32(5), "add(2, 3)", "5"},
	{"add", vals(uint32(4000000000), uint32(1)), uint32(4000000001), "add(4000000000, 1)", "4000000001"},
	{"is-even", vals(uint32(4)), true, "is-even(4)", "true"},
	{"is-even", vals(uint32(7)), false, "is-even(7)", "false"},
	{"halve", vals(float64(5)), float64(2.5), "halve(5.0)", "2.5"},
	{"halve", vals(float64(-0.5)), float64(-0.25), "halve(-0.5)", "-0.25"},
	{"greet", vals("wörld"), "Hello, wörld!", `greet("wörld")`, `"Hello, wörld!"`},
	{"greet", vals(""), "Hello, !", `greet("")`, `"Hello, !"`},
	{"sum-list", vals(canonabi.List{uint32(1), uint32(2), uint32(3), uint32(4)}), uint32(10), "sum-list([1, 2, 3, 4])", "10"},
	{"sum-list", vals(canonabi.List{}), uint32(0), "sum-list([])", "0"},
	{"reverse-words", vals(canonabi.List{"a", "bc", "déf"}), canonabi.List{"déf", "bc", "a"},
		`reverse-words(["a", "bc", "déf"])`, `["déf", "bc", "a"]`},
	{"scale", vals(canonabi.Record{int32(2), int32(-3)}, int32(4)), canonabi.Record{int32(8), int32(-12)},
		"scale({x: 2, y: -3}, 4)", "{x: 8, y: -12}"},
	{"describe", vals(canonabi.Record{"Ann", uint32(42)}), "Ann is 42", `describe({name: "Ann", age: 42})`, `"Ann is 42"`},
	{"make-person", vals("Bob", uint32(7)), canonabi.Record{"Bob", uint32(7)}, `make-person("Bob", 7)`, `{name: "Bob", age: 7}`},
	{"checked-div", vals(uint32(7), uint32(2)), canonabi.Variant{Case: 0, Payload: uint32(3)}, "checked-div(7, 2)", "ok(3)"},
	{"checked-div", vals(uint32(1), uint32(0)), canonabi.Variant{Case: 1, Payload: "division by zero"},
		"checked-div(1, 0)", `err("division by zero")`},
}

func vals(v ...canonabi.Value) []canonabi.Value { return v }

// TestAsyncFuncs calls every case through Func.Call, all on one instance,
// one after the other: each async call must leave the instance ready for
// the next.
func TestAsyncFuncs(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	in := instantiate(t, ctx)
	for _, c := range cases {
		got, err := call(ctx, in, c.fn, c.args)
		if err != nil {
			t.Errorf("%s: %v", c.invoke, err)
			continue
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s = %#v, want %#v", c.invoke, got, c.want)
		}
	}
}

// call calls function fn of witc:qjsasync/api, an async func with one
// result.
func call(ctx context.Context, in *host.Instance, fn string, args []canonabi.Value) (canonabi.Value, error) {
	return callKind(ctx, in, fn, true, args)
}

// callKind calls function fn of witc:qjsasync/api, async or not as the
// fixture's WIT must say, which has one result.
func callKind(ctx context.Context, in *host.Instance, fn string, async bool, args []canonabi.Value) (canonabi.Value, error) {
	f, err := in.Func(iface + "#" + fn)
	if err != nil {
		return nil, err
	}
	if f.Type().Kind.IsAsync() != async {
		return nil, fmt.Errorf("%s is async: %v in the fixture's WIT, want %v", fn, !async, async)
	}
	res, err := f.Call(ctx, args...)
	if err != nil {
		return nil, err
	}
	if len(res) != 1 {
		return nil, fmt.Errorf("%s returned %d results, want 1", fn, len(res))
	}
	return res[0], nil
}

// TestAsyncFuncsConcurrent calls the cases from several goroutines at
// once on one instance (the host runs them one at a time) and on an
// instance per goroutine.
func TestAsyncFuncsConcurrent(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	shared := instantiate(t, ctx)
	own := make([]*host.Instance, 4)
	for i := range own {
		own[i] = instantiate(t, ctx)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 2*len(own)*len(cases))
	for i := range own {
		for _, in := range []*host.Instance{shared, own[i]} {
			wg.Go(func() {
				for j := range cases {
					c := cases[(i+j)%len(cases)]
					got, err := call(ctx, in, c.fn, c.args)
					if err == nil && !reflect.DeepEqual(got, c.want) {
						err = fmt.Errorf("= %#v, want %#v", got, c.want)
					}
					if err != nil {
						errs <- fmt.Errorf("%s: %w", c.invoke, err)
					}
				}
			})
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// TestCounter calls the async method of resource counter: the
// constructor is lifted sync, [method]counter.add async.
func TestCounter(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	in := instantiate(t, ctx)
	newCounter := func(start uint32) host.Resource {
		t.Helper()
		r, err := callKind(ctx, in, "[constructor]counter", false, vals(uint32(start)))
		if err != nil {
			t.Fatal(err)
		}
		res, ok := r.(host.Resource)
		if !ok || !res.Own {
			t.Fatalf("[constructor]counter(%d) = %#v, want an own<counter>", start, r)
		}
		return res
	}
	add := func(c host.Resource, n, want uint32) {
		t.Helper()
		got, err := call(ctx, in, "[method]counter.add", vals(host.Resource{Type: c.Type, Rep: c.Rep}, n))
		if err != nil {
			t.Fatalf("add(%d): %v", n, err)
		}
		if got != want {
			t.Errorf("add(%d) = %#v, want %d", n, got, want)
		}
	}
	a, b := newCounter(10), newCounter(100)
	add(a, 5, 15)
	add(b, 1, 101)
	add(a, 7, 22)
	add(b, 0, 101)
	if err := in.Drop(ctx, a); err != nil {
		t.Fatalf("dropping counter a: %v", err)
	}
	add(b, 9, 110)
	if err := in.Drop(ctx, b); err != nil {
		t.Fatalf("dropping counter b: %v", err)
	}
	if got, err := call(ctx, in, "add", vals(uint32(1), uint32(1))); err != nil || got != uint32(2) {
		t.Errorf("add(1, 1) after the counters = %#v, %v; want 2", got, err)
	}
}

// TestInvoke runs `witc run --invoke` on every case, the function named
// without its interface, and compares its output with the case's WAVE.
func TestInvoke(t *testing.T) {
	if witcBin == "" {
		t.Skip("no witc binary (see TestMain)")
	}
	// The first run compiles the fixture into the cache; the others read it.
	for _, c := range cases {
		stdout, stderr, err := witcRun("--engine", "compiler", "--invoke", c.invoke, fixture)
		if err != nil {
			t.Errorf("witc run --invoke '%s': %v\nstderr: %s", c.invoke, err, stderr)
			continue
		}
		if want := c.wave + "\n"; stdout != want || stderr != "" {
			t.Errorf("witc run --invoke '%s':\nstdout %q, want %q\nstderr %q", c.invoke, stdout, want, stderr)
		}
	}
	// The full name works as well, and so does the interpreter.
	stdout, stderr, err := witcRun("--engine", "interpreter", "--no-cache", "--invoke", iface+"@0.1.0#greet(\"qjs\")", fixture)
	if err != nil || stdout != "\"Hello, qjs!\"\n" {
		t.Errorf("witc run --engine interpreter --invoke '%s#greet(\"qjs\")': %v\nstdout %q\nstderr %q", iface, err, stdout, stderr)
	}
}

func witcRun(args ...string) (stdout, stderr string, err error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, witcBin, append([]string{"run"}, args...)...)
	cmd.Env = append(os.Environ(), "WITC_CACHE_DIR="+cacheDir)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err = cmd.Run()
	if ctx.Err() != nil {
		err = errors.New("did not finish in " + timeout.String())
	}
	return o.String(), e.String(), err
}
