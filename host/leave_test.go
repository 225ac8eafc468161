package host

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"
	"github.com/witc-dev/witc/canonabi"
	"github.com/witc-dev/witc/wit"
)

// leaveInstance instantiates testdata/leave.wasm (see its source) with a
// host `ping` that counts its calls, compiled in ctx.
func leaveInstance(t *testing.T, ctx context.Context) (*Instance, *int) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "leave.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	rt := NewRuntime(ctx, Options{})
	t.Cleanup(func() { rt.Close(context.Background()) })
	l := NewLinker()
	pings := 0
	l.Func("witc:test/host", "ping", &wit.Function{Name: "ping", Kind: wit.Freestanding}, func(context.Context, []canonabi.Value) ([]canonabi.Value, error) {
		pings++
		return nil, nil
	})
	in, err := rt.Instantiate(ctx, l, b)
	if err != nil {
		t.Fatal(err)
	}
	return in, &pings
}

// TestMayLeave: an import called while a realloc or a post-return runs
// traps (CanonicalABI.md: canon lower traps when may_leave is clear, and
// LiftLowerContext.reallocate and canon_lift clear it around realloc and
// post-return), whether the realloc lowers another component's result or
// the host's argument; the import is not called.
func TestMayLeave(t *testing.T) {
	for _, tc := range []struct {
		fn   string
		args []canonabi.Value
		want string
	}{
		// the callee's `get`, the caller's realloc lowering its result
		{"run-leave", nil, "run-leave: root/component 0 func 1: witc:test/host#ping: called during realloc, when a component instance may not leave itself (CanonicalABI.md: may_leave)"},
		// the host's argument lowered by the callee's realloc
		{"take", []canonabi.Value{"x"}, "take: witc:test/host#ping: called during realloc, when a component instance may not leave itself (CanonicalABI.md: may_leave)"},
		{"run-post-ping", nil, "run-post-ping: root/component 0 func 2 (post-return): witc:test/host#ping: called during post-return, when a component instance may not leave itself (CanonicalABI.md: may_leave)"},
	} {
		ctx := context.Background()
		in, pings := leaveInstance(t, ctx)
		f, err := in.Func(tc.fn)
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.Call(ctx, tc.args...)
		if err == nil || withoutTrace(err) != tc.want {
			t.Errorf("%s: got %v\nwant %s", tc.fn, err, tc.want)
		}
		if *pings != 0 {
			t.Errorf("%s: ping was called %d times", tc.fn, *pings)
		}
	}
}

// orderListener records the export names of the guests' core functions
// called.
type orderListener struct{ calls *[]string }

func (l orderListener) NewFunctionListener(def api.FunctionDefinition) experimental.FunctionListener {
	if len(def.ExportNames()) == 0 || def.GoFunction() != nil {
		return nil
	}
	return l
}

func (l orderListener) Before(_ context.Context, _ api.Module, def api.FunctionDefinition, _ []uint64, _ experimental.StackIterator) {
	*l.calls = append(*l.calls, def.ExportNames()[0])
}

func (orderListener) After(context.Context, api.Module, api.FunctionDefinition, []uint64) {}
func (orderListener) Abort(context.Context, api.Module, api.FunctionDefinition, error)    {}

// TestResultsLoweredBeforePostReturn: in a call between components, the
// callee's result is lowered into the caller (with the caller's realloc)
// before the callee's post-return runs, as canon_lift orders it
// (task.return_ lowers through the caller's on_resolve, then
// post-return). The callee's post-return zeroes the string it returned:
// the caller still gets "hello".
func TestResultsLoweredBeforePostReturn(t *testing.T) {
	var calls []string
	ctx := experimental.WithFunctionListenerFactory(context.Background(), orderListener{&calls})
	in, _ := leaveInstance(t, ctx)
	calls = nil
	f, err := in.Func("run")
	if err != nil {
		t.Fatal(err)
	}
	res, err := f.Call(context.Background())
	if err != nil || res[0] != canonabi.Value("hello") {
		t.Fatalf("run() = %v, %v; want \"hello\"", res, err)
	}
	want := []string{"run", "get", "realloc", "get-post"}
	if !slices.Equal(calls, want) {
		t.Errorf("core functions called: %v, want %v", calls, want)
	}
}

// withoutTrace is an error's message without what wazero adds to a panic
// it recovered (" (recovered by wazero)" and a stack trace).
func withoutTrace(err error) string {
	s, _, _ := strings.Cut(err.Error(), " (recovered by wazero)")
	return s
}
