package host

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/witc-dev/witc/canonabi"
)

// cancelInstance instantiates testdata/cancel.wasm with hang, a Go
// function that waits until its context is cancelled and returns its
// error.
func cancelInstance(t *testing.T) (*Instance, context.Context) {
	t.Helper()
	rt, ctx := newFeatureRuntime(t)
	b := fixture(t, "cancel.wasm")
	l := NewLinker()
	l.AsyncFunc("", "hang", importedFunc(t, b, "", "hang"), func(ctx context.Context, _ []canonabi.Value) ([]canonabi.Value, error) {
		<-ctx.Done()
		return nil, ctx.Err()
	})
	in, err := rt.Instantiate(ctx, l, b)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { in.Close(ctx) })
	return in, ctx
}

// TestBackpressureCancel: async calls into an instance with backpressure
// are STARTING subtasks that start from the store once it has none; a
// subtask cancelled before it started is CANCELLED_BEFORE_STARTED, one
// whose callee calls task.cancel on TASK_CANCELLED
// CANCELLED_BEFORE_RETURNED, one whose callee returns instead RETURNED;
// cancelling the subtask of a Go function cancels the Go function's
// context. The spec's traps end the others.
func TestBackpressureCancel(t *testing.T) {
	in, ctx := cancelInstance(t)
	f, err := in.Func("run")
	if err != nil {
		t.Fatal(err)
	}
	res, err := f.Call(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got []uint32
	for _, v := range res[0].(canonabi.List) {
		got = append(got, v.(uint32))
	}
	want := []uint32{
		subtaskStarting, subtaskStarting, subtaskCancelledBeforeStarted,
		subtaskStarted, subtaskCancelledBeforeReturned,
		subtaskStarted, subtaskReturned, 42,
		subtaskStarted, subtaskCancelledBeforeReturned,
		2002, // two tasks started, both told of their cancellation
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("run() logged %v, want %v", got, want)
	}
	for fn, want := range map[string]string{
		"twice":     "was requested already",
		"delivered": "resolution was delivered",
		"in-set":    "is in a waitable set",
		"self":      "cancellation was not delivered",
	} {
		in, ctx := cancelInstance(t)
		wantTrap(t, ctx, in, fn, want)
	}
}

// TestHostCancel: when the context of the host's call of an async export
// is done while its task waits, the task is told (TASK_CANCELLED; it
// calls task.cancel) and the call returns the context's error at once.
func TestHostCancel(t *testing.T) {
	in, ctx := cancelInstance(t)
	slow, err := in.Func("slow")
	if err != nil {
		t.Fatal(err)
	}
	cctx, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = slow.Call(cctx, uint32(3))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("slow: %v, want %v", err, context.DeadlineExceeded)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("slow returned after %v", d)
	}
	if got := call(t, ctx, in, "stats"); got != canonabi.Value(uint32(1001)) {
		t.Errorf("stats() = %v, want 1001 (one start, told once: it cancels hang and itself)", got)
	}
	// The instance goes on.
	cctx2, cancel2 := context.WithCancel(ctx)
	time.AfterFunc(20*time.Millisecond, cancel2)
	if _, err := slow.Call(cctx2, uint32(3)); !errors.Is(err, context.Canceled) {
		t.Fatalf("slow(2): %v, want %v", err, context.Canceled)
	}
	if got := call(t, ctx, in, "stats"); got != canonabi.Value(uint32(2002)) {
		t.Errorf("stats() = %v, want 2002", got)
	}
}

// TestHostBackpressure: the host's call of an async export of an instance
// with backpressure waits, without holding the instance, until the
// instance has none; cancelled before, its task never starts.
func TestHostBackpressure(t *testing.T) {
	in, ctx := cancelInstance(t)
	slow, err := in.Func("slow")
	if err != nil {
		t.Fatal(err)
	}
	stats := func() uint32 { return call(t, ctx, in, "stats").(uint32) }
	call(t, ctx, in, "bp", true)
	// Cancelled while it waits to start: it never starts.
	cctx, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	if _, err := slow.Call(cctx, uint32(3)); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("slow under backpressure: %v, want %v", err, context.DeadlineExceeded)
	}
	if got := stats(); got != 0 {
		t.Fatalf("stats() = %d after a call cancelled before it started, want 0", got)
	}
	// Waiting to start: the instance takes other calls meanwhile.
	cctx2, cancel2 := context.WithCancel(ctx)
	defer cancel2()
	errc := make(chan error, 1)
	go func() {
		_, err := slow.Call(cctx2, uint32(3))
		errc <- err
	}()
	time.Sleep(20 * time.Millisecond)
	if got := stats(); got != 0 {
		t.Fatalf("stats() = %d under backpressure, want 0 (not started)", got)
	}
	call(t, ctx, in, "bp", false)
	deadline := time.Now().Add(5 * time.Second)
	for stats() != 1000 {
		if time.Now().After(deadline) {
			t.Fatalf("stats() = %d once backpressure is off, want 1000 (started)", stats())
		}
		time.Sleep(time.Millisecond)
	}
	cancel2()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Fatalf("slow: %v, want %v", err, context.Canceled)
	}
	if err := in.Settle(ctx); err != nil {
		t.Fatal(err)
	}
	if got := stats(); got != 1001 {
		t.Errorf("stats() = %d, want 1001", got)
	}
}
