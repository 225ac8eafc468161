package host

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/witc-dev/witc/canonabi"
)

// TestConcurrentAsyncCalls: calls of an async export from two goroutines
// interleave their tasks: the first call of ping waits for the second,
// which writes the future the first reads (testdata/src/pingpong.wat).
// One call alone is a deadlock, reported once no other call came.
func TestConcurrentAsyncCalls(t *testing.T) {
	rt, ctx := newFeatureRuntime(t)
	in, err := rt.Instantiate(ctx, NewLinker(), fixture(t, "pingpong.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close(ctx)
	ping, err := in.Func("ping")
	if err != nil {
		t.Fatal(err)
	}
	for round := range 20 {
		var wg sync.WaitGroup
		got := make([]uint32, 2)
		errs := make([]error, 2)
		for i := range 2 {
			wg.Go(func() {
				res, err := ping.Call(ctx)
				if err == nil {
					got[i] = res[0].(uint32)
				}
				errs[i] = err
			})
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		slices.Sort(got)
		if !slices.Equal(got, []uint32{0, 7}) {
			t.Fatalf("round %d: ping, ping = %v, want 0 and 7", round, got)
		}
	}
	start := time.Now()
	_, err = ping.Call(ctx)
	var te *TrapError
	if !errors.As(err, &te) || !strings.Contains(err.Error(), "deadlock") {
		t.Fatalf("ping alone: %v, want a deadlock", err)
	}
	if d := time.Since(start); d < deadlockGrace {
		t.Errorf("the deadlock was reported after %v, before the grace of %v", d, deadlockGrace)
	}
}

// TestConcurrentAsyncCallsCancel: a call whose context is done returns
// while the other calls go on; its task is told to cancel.
func TestConcurrentAsyncCallsCancel(t *testing.T) {
	in, ctx := cancelInstance(t)
	slow, err := in.Func("slow")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make([]error, 3)
	for i := range 3 {
		wg.Go(func() {
			cctx, cancel := context.WithTimeout(ctx, time.Duration(10*(i+1))*time.Millisecond)
			defer cancel()
			_, errs[i] = slow.Call(cctx, uint32(3))
		})
	}
	wg.Wait()
	for i, err := range errs {
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("call %d: %v, want %v", i, err, context.DeadlineExceeded)
		}
	}
	if err := in.Settle(ctx); err != nil {
		t.Fatal(err)
	}
	if got := call(t, ctx, in, "stats"); got != canonabi.Value(uint32(3003)) {
		t.Errorf("stats() = %v, want 3003 (three starts, each told)", got)
	}
}

// TestJcoIntertask runs jco's copy of Wasmtime's intertask-communication
// component as Wasmtime's test does: two concurrent calls of run, the
// first waiting for the second (WITC_JCO_FIXTURES: see
// internal/jcofixtures).
func TestJcoIntertask(t *testing.T) {
	dir := os.Getenv("WITC_JCO_FIXTURES")
	if dir == "" {
		t.Skip("WITC_JCO_FIXTURES is not set")
	}
	b, err := os.ReadFile(filepath.Join(dir, "packages/jco-transpile/test/fixtures/components/p3/general/async-intertask-communication.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	rt, ctx := newFeatureRuntime(t)
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	l := NewLinker()
	l.TrapUnknownImports()
	in, err := rt.Instantiate(ctx, l, b)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close(ctx)
	run, err := in.Func("local:local/run#run")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range 2 {
		wg.Go(func() { _, errs[i] = run.Call(ctx) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
}
