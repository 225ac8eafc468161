package host_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/witc-dev/witc/canonabi"
	"github.com/witc-dev/witc/host"
	"github.com/witc-dev/witc/wasi"
)

// engineRun runs the command component in file with args on a runtime of
// opts and returns what it wrote, how it ended and the engine it ran on.
func engineRun(t *testing.T, opts host.Options, file string, args ...string) (out string, engine host.Engine, needsWarm bool) {
	t.Helper()
	w, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	rt := host.NewRuntime(ctx, opts)
	defer rt.Close(ctx)
	cc, err := rt.Compile(ctx, w)
	if err != nil {
		t.Fatal(err)
	}
	defer cc.Close(ctx)
	var stdout, stderr bytes.Buffer
	l := host.NewLinker()
	if err := wasi.Register(l, wasi.Config{Args: append([]string{"prog"}, args...), Env: [][2]string{{"GREETING", "grüezi"}},
		Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr}); err != nil {
		t.Fatal(err)
	}
	in, err := cc.Instantiate(ctx, l)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close(ctx)
	end := "ok"
	run, err := in.Func("wasi:cli/run@0.2.3#run")
	if err != nil {
		run, err = in.Func("wasi:cli/run@0.2.0#run")
	}
	if err != nil {
		t.Fatal(err)
	}
	res, err := run.Call(ctx)
	switch code, exited := host.ExitCode(err); {
	case exited:
		end = "exit " + strconv.Itoa(code)
	case err != nil:
		var trap *host.TrapError
		if !errors.As(err, &trap) {
			end = "error " + err.Error()
		} else {
			// The frames of the stack trace are the engines' own (the
			// compiler's may skip or misplace some).
			msg, _, _ := strings.Cut(err.Error(), "\nwasm stack trace:")
			end = "trap " + msg
		}
	default:
		if v, ok := res[0].(canonabi.Variant); ok && v.Case != 0 {
			end = "err"
		}
	}
	return "stdout:\n" + stdout.String() + "stderr:\n" + stderr.String() + "end: " + end, cc.Engine(), cc.NeedsWarm()
}

// TestEnginesAgree: the producers fixtures (C, Go, QuickJS,
// componentize-js, WAT; single components and compositions) print the
// same and end the same under wazero's compiler and its interpreter.
func TestEnginesAgree(t *testing.T) {
	dir := filepath.Join("..", "internal", "producers", "testdata")
	cases := []struct {
		file string
		args []string
	}{
		{"c-hello.wasm", []string{"a", "wörld"}},
		{"c-hello.wasm", []string{"fail", "now"}},
		{"wat-hello.wasm", []string{"err"}},
		{"qjs-hello.wasm", []string{"zeta", "alpha"}},
		{"sm-hello.wasm", []string{"fail"}},
		{"c-app+c-lib.wasm", []string{"x", "y"}},
		{"go-app+c-lib.wasm", []string{"x"}},
		{"wat-app+wat-lib.wasm", nil},
		{"wat-leave+wat-lib.wasm", nil},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			file := filepath.Join(dir, tc.file)
			if _, err := os.Stat(file); err != nil {
				t.Skip(err)
			}
			compiled, e1, _ := engineRun(t, host.Options{Engine: host.EngineCompiler}, file, tc.args...)
			interpreted, e2, _ := engineRun(t, host.Options{Engine: host.EngineInterpreter}, file, tc.args...)
			if e1 != host.EngineCompiler || e2 != host.EngineInterpreter {
				t.Errorf("engines %v, %v", e1, e2)
			}
			if compiled != interpreted {
				t.Errorf("compiler:\n%s\ninterpreter:\n%s", compiled, interpreted)
			}
		})
	}
}

// TestEngineAuto: EngineAuto interprets a component whose compiled code
// the cache lacks (and says it needs warming), Warm compiles it into the
// cache, and the next runtime runs it compiled, with the same output; a
// cached file removed sends it back to the interpreter.
func TestEngineAuto(t *testing.T) {
	file := filepath.Join("..", "internal", "producers", "testdata", "c-app+c-lib.wasm")
	cache := t.TempDir()
	opts := host.Options{Engine: host.EngineAuto, CacheDir: cache, StopOnContextDone: true}
	first, e, warm := engineRun(t, opts, file, "x")
	if e != host.EngineInterpreter || !warm {
		t.Fatalf("first run: %v, needs warm %v; want the interpreter", e, warm)
	}
	w, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	rt := host.NewRuntime(ctx, opts)
	if err := rt.Warm(ctx, w); err != nil {
		t.Fatal(err)
	}
	rt.Close(ctx)
	second, e, warm := engineRun(t, opts, file, "x")
	if e != host.EngineCompiler || warm {
		t.Fatalf("after Warm: %v, needs warm %v; want the compiler", e, warm)
	}
	if first != second {
		t.Errorf("interpreted:\n%s\ncompiled:\n%s", first, second)
	}
	// Other options, other code: not cached.
	if _, e, _ := engineRun(t, host.Options{Engine: host.EngineAuto, CacheDir: cache}, file, "x"); e != host.EngineInterpreter {
		t.Errorf("without StopOnContextDone: %v, want the interpreter", e)
	}
	// Remove the compiled code: back to the interpreter.
	files, _ := filepath.Glob(filepath.Join(cache, "wazero-*", "*"))
	for _, f := range files {
		os.Remove(f)
	}
	if _, e, warm := engineRun(t, opts, file, "x"); e != host.EngineInterpreter || !warm {
		t.Errorf("cache emptied: %v, needs warm %v; want the interpreter", e, warm)
	}
	// No cache directory: always the interpreter, nothing to warm.
	if _, e, warm := engineRun(t, host.Options{Engine: host.EngineAuto}, file, "x"); e != host.EngineInterpreter || warm {
		t.Errorf("no cache: %v, needs warm %v", e, warm)
	}
}
