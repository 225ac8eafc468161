package e2e

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/tetratelabs/wazero"
	"github.com/witc-dev/witc/canonabi"
	"github.com/witc-dev/witc/compose"
	"github.com/witc-dev/witc/host"
	"github.com/witc-dev/witc/wasi"
)

var corpusDir = filepath.Join("..", "..", "..", "shared", "corpus")

func corpus(t testing.TB, name string) []byte {
	b, err := os.ReadFile(filepath.Join(corpusDir, "components", name))
	if err != nil {
		t.Skipf("corpus not found: %v", err)
	}
	return b
}

func expected(t *testing.T, name string) string {
	b, err := os.ReadFile(filepath.Join(corpusDir, "expected", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// runtimes share one wazero compilation cache, so the 12 MB modules are
// compiled once per test binary.
var cache = wazero.NewCompilationCache()

func newRuntime(t *testing.T) (*host.Runtime, context.Context) {
	ctx := context.Background()
	rt := host.WithRuntime(wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfig().WithCompilationCache(cache)))
	t.Cleanup(func() { rt.Close(ctx) })
	return rt, ctx
}

type result struct {
	stdout, stderr string
	code           int
}

// run runs a command component with WASI and the given arguments.
func run(t *testing.T, wasm []byte, args ...string) result {
	rt, ctx := newRuntime(t)
	var out, errb bytes.Buffer
	l := host.NewLinker()
	if err := wasi.Register(l, wasi.Config{Args: append([]string{"app"}, args...), Stdout: &out, Stderr: &errb}); err != nil {
		t.Fatal(err)
	}
	in, err := rt.Instantiate(ctx, l, wasm)
	if err != nil {
		t.Fatal(err)
	}
	f, err := in.Func("wasi:cli/run@0.2.0#run")
	if err != nil {
		t.Fatal(err)
	}
	res, err := f.Call(ctx)
	r := result{}
	switch code, exited := host.ExitCode(err); {
	case exited:
		r.code = code
	case err != nil:
		t.Fatalf("run: %v\nstdout so far:\n%s", err, out.String())
	default:
		if v := res[0].(canonabi.Variant); v.Case != 0 {
			r.code = 1
		}
	}
	r.stdout, r.stderr = out.String(), errb.String()
	return r
}

func TestRunCommands(t *testing.T) {
	hello := corpus(t, "go-hello.wasm")
	r := run(t, hello, "zeta", "alpha", "mid")
	if r.stdout != expected(t, "go-hello.stdout") || r.stderr != expected(t, "go-hello.stderr") || r.code != 0 {
		t.Errorf("go-hello: %+v", r)
	}
	r = run(t, hello, "fail", "now")
	wantCode, _ := strconv.Atoi(strings.TrimSpace(expected(t, "go-hello-fail.exitcode")))
	if r.stdout != expected(t, "go-hello-fail.stdout") || r.code != wantCode {
		t.Errorf("go-hello fail now: %+v, want exit code %d", r, wantCode)
	}
	r = run(t, corpus(t, "wat-hello.wasm"))
	if r.stdout != expected(t, "wat-hello.stdout") || r.code != 0 {
		t.Errorf("wat-hello: %+v", r)
	}
}

// TestRunCompositions composes the corpus pairs with witc and runs them on
// witc's runtime: the output must be what jco printed for them.
func TestRunCompositions(t *testing.T) {
	for _, pair := range [][2]string{{"go-calc-app", "go-calc"}, {"kitchen-app", "kitchen-lib"}} {
		res, err := compose.Compose([]compose.Input{
			{Name: pair[0], Bytes: corpus(t, pair[0]+".wasm")},
			{Name: pair[1], Bytes: corpus(t, pair[1]+".wasm")},
		}, compose.Options{})
		if err != nil {
			t.Fatal(err)
		}
		r := run(t, res.Bytes())
		if want := expected(t, pair[0]+"+"+pair[1]+".stdout"); r.stdout != want || r.code != 0 {
			t.Errorf("%v: exit %d\n%s", pair, r.code, firstDiff(want, r.stdout))
		}
	}
}

func firstDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return fmt.Sprintf("line %d:\n  want %q\n  got  %q", i+1, w, g)
		}
	}
	return ""
}

// TestGoCalcExports calls every function of go-calc's corpus:calc/math
// through the dynamic API, as drivers/calc.mjs does with jco.
func TestGoCalcExports(t *testing.T) {
	rt, ctx := newRuntime(t)
	l := host.NewLinker()
	if err := wasi.Register(l, wasi.Config{}); err != nil {
		t.Fatal(err)
	}
	in, err := rt.Instantiate(ctx, l, corpus(t, "go-calc.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	call := func(name string, args ...canonabi.Value) canonabi.Value {
		f, err := in.Func("corpus:calc/math#" + name)
		if err != nil {
			t.Fatal(err)
		}
		res, err := f.Call(ctx, args...)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return res[0]
	}
	bytesOf := func(b []byte) canonabi.List {
		l := make(canonabi.List, len(b))
		for i, c := range b {
			l[i] = c
		}
		return l
	}
	big := make([]byte, 100000)
	for i := range big {
		big[i] = byte(i * 7)
	}
	f64 := func(v canonabi.Value) string { return strconv.FormatFloat(v.(float64), 'g', -1, 64) }
	hex := func(v canonabi.Value) string { return fmt.Sprintf("0x%08x", v) }
	var b strings.Builder
	fmt.Fprintf(&b, "add(2, 3) = %v\n", call("add", uint32(2), uint32(3)))
	fmt.Fprintf(&b, "add(4294967295, 2) = %v\n", call("add", uint32(4294967295), uint32(2)))
	fmt.Fprintf(&b, "mul-add(-3, 4, 5) = %v\n", call("mul-add", int64(-3), int64(4), int64(5)))
	fmt.Fprintf(&b, "mul-add(3037000500, 3037000500, 0) = %v\n", call("mul-add", int64(3037000500), int64(3037000500), int64(0)))
	fmt.Fprintf(&b, "hypot(3, 4) = %s\n", f64(call("hypot", float64(3), float64(4))))
	fmt.Fprintf(&b, "hypot(1e300, 1e300) = %s\n", f64(call("hypot", 1e300, 1e300)))
	fmt.Fprintf(&b, "shout(\"hello, wörld\") = %q\n", call("shout", "hello, wörld"))
	fmt.Fprintf(&b, "shout(\"\") = %q\n", call("shout", ""))
	fmt.Fprintf(&b, "checksum(\"Wikipedia\") = %s\n", hex(call("checksum", bytesOf([]byte("Wikipedia")))))
	fmt.Fprintf(&b, "checksum([]) = %s\n", hex(call("checksum", canonabi.List{})))
	fmt.Fprintf(&b, "checksum(100000 bytes) = %s\n", hex(call("checksum", bytesOf(big))))
	if want := expected(t, "go-calc.stdout"); b.String() != want {
		t.Errorf("go-calc transcript differs:\n%s", firstDiff(want, b.String()))
	}
}

// TestWatTranscripts calls the exports of the WAT corpus components as
// drivers/wat.mjs does with jco.
func TestWatTranscripts(t *testing.T) {
	rt, ctx := newRuntime(t)
	instantiate := func(name string) *host.Instance {
		in, err := rt.Instantiate(ctx, host.NewLinker(), corpus(t, name))
		if err != nil {
			t.Fatal(err)
		}
		return in
	}
	call := func(in *host.Instance, path string, args ...canonabi.Value) canonabi.Value {
		f, err := in.Func(path)
		if err != nil {
			t.Fatal(err)
		}
		res, err := f.Call(ctx, args...)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if len(res) == 0 {
			return nil
		}
		return res[0]
	}
	f64 := func(v canonabi.Value) string { return strconv.FormatFloat(v.(float64), 'g', -1, 64) }

	adder := instantiate("wat-adder.wasm")
	var b strings.Builder
	fmt.Fprintf(&b, "adder.add(2, 40) = %v\n", call(adder, "corpus:wat/adder#add", uint32(2), uint32(40)))
	fmt.Fprintf(&b, "adder.add(4294967295, 1) = %v\n", call(adder, "corpus:wat/adder#add", uint32(4294967295), uint32(1)))
	fmt.Fprintf(&b, "negate(1.5) = %s\n", f64(call(adder, "negate", 1.5)))
	if want := expected(t, "wat-adder.stdout"); b.String() != want {
		t.Errorf("wat-adder:\n%s", firstDiff(want, b.String()))
	}

	counter := instantiate("wat-counter.wasm")
	const p = "corpus:wat/counters#"
	a := call(counter, p+"[constructor]counter", uint32(10)).(host.Resource)
	c := call(counter, p+"[constructor]counter", uint32(100)).(host.Resource)
	borrow := func(r host.Resource) host.Resource { r.Own = false; return r }
	b.Reset()
	fmt.Fprintf(&b, "a.add(5) = %v\n", call(counter, p+"[method]counter.add", borrow(a), uint32(5)))
	fmt.Fprintf(&b, "a.add(1) = %v\n", call(counter, p+"[method]counter.add", borrow(a), uint32(1)))
	fmt.Fprintf(&b, "b.add(7) = %v\n", call(counter, p+"[method]counter.add", borrow(c), uint32(7)))
	fmt.Fprintf(&b, "live() = %v\n", call(counter, p+"[static]counter.live"))
	fmt.Fprintf(&b, "consume(b) = %v\n", call(counter, p+"consume", c))
	fmt.Fprintf(&b, "live() after consume = %v\n", call(counter, p+"[static]counter.live"))
	if err := counter.Drop(ctx, a); err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(&b, "live() after dropping a = %v\n", call(counter, p+"[static]counter.live"))
	if want := expected(t, "wat-counter.stdout"); b.String() != want {
		t.Errorf("wat-counter:\n%s", firstDiff(want, b.String()))
	}

	nested := instantiate("wat-nested.wasm")
	b.Reset()
	fmt.Fprintf(&b, "quad(5) = %v\n", call(nested, "quad", uint32(5)))
	fmt.Fprintf(&b, "quad(1073741824) = %v\n", call(nested, "quad", uint32(1073741824)))
	fmt.Fprintf(&b, "doubler.double(21) = %v\n", call(nested, "corpus:wat/doubler#double", uint32(21)))
	if want := expected(t, "wat-nested.stdout"); b.String() != want {
		t.Errorf("wat-nested:\n%s", firstDiff(want, b.String()))
	}
}
