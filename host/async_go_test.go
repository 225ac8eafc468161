package host

import (
	"context"
	"errors"
	"io"
	"sync"
	"testing"
	"time"

	"github.com/witc-dev/witc/canonabi"
	"github.com/witc-dev/witc/wit"
)

// goAsyncInstance instantiates testdata/gostreams.wasm with sleep (waits
// ms milliseconds, returns 2*ms) and consume (reads its stream to the
// end, returns how many bytes had the pattern byte k = k mod 256, or
// 0xffffffff at the first that did not).
func goAsyncInstance(t testing.TB) (*Instance, context.Context) {
	t.Helper()
	rt, ctx := newFeatureRuntime(t)
	b := fixture(t, "gostreams.wasm")
	l := NewLinker()
	// sleep(0) is answered at once, by now.
	l.AsyncFuncNow("", "sleep", importedFunc(t, b, "", "sleep"), func(args []canonabi.Value) ([]canonabi.Value, bool) {
		return []canonabi.Value{uint32(0)}, args[0].(uint32) == 0
	}, func(_ context.Context, args []canonabi.Value) ([]canonabi.Value, error) {
		ms := args[0].(uint32)
		if ms == 0 {
			return nil, errors.New("sleep(0) ran on a goroutine")
		}
		time.Sleep(time.Duration(ms) * time.Millisecond)
		return []canonabi.Value{2 * ms}, nil
	})
	l.AsyncFunc("", "consume", importedFunc(t, b, "", "consume"), func(_ context.Context, args []canonabi.Value) ([]canonabi.Value, error) {
		r, ok := args[0].(*StreamReader)
		if !ok {
			return nil, errors.New("consume: not a *StreamReader")
		}
		data, err := io.ReadAll(r)
		if err != nil {
			return nil, err
		}
		if err := checkPattern(data); err != nil {
			return []canonabi.Value{uint32(0xffff_ffff)}, nil
		}
		return []canonabi.Value{uint32(len(data))}, nil
	})
	in, err := rt.Instantiate(ctx, l, b)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { in.Close(ctx) })
	return in, ctx
}

func checkPattern(data []byte) error {
	for k, c := range data {
		if c != byte(k) {
			return errors.New("pattern broken")
		}
	}
	return nil
}

var u8 wit.Type = wit.U8

// TestGoAsyncFunc: an async host function that blocks runs on a goroutine
// of its own, lowered synchronously or with the async ABI (the guest's
// task waits for its subtask).
func TestGoAsyncFunc(t *testing.T) {
	in, ctx := goAsyncInstance(t)
	if got := call(t, ctx, in, "sync-sleep", uint32(5)); got != canonabi.Value(uint32(11)) {
		t.Errorf("sync-sleep(5) = %v, want 11", got)
	}
	if got := call(t, ctx, in, "async-sleep", uint32(5)); got != canonabi.Value(uint32(11)) {
		t.Errorf("async-sleep(5) = %v, want 11", got)
	}
	// AsyncFuncNow answers sleep(0) on the guest's goroutine: the async
	// lower returns RETURNED, no subtask (async-sleep's RETURNED path).
	for _, f := range []string{"sync-sleep", "async-sleep"} {
		if got := call(t, ctx, in, f, uint32(0)); got != canonabi.Value(uint32(1)) {
			t.Errorf("%s(0) = %v, want 1", f, got)
		}
	}
}

// TestGoStreams: Go writes a stream the guest reads, reads one the guest
// writes, and an async host function reads one the guest writes.
func TestGoStreams(t *testing.T) {
	in, ctx := goAsyncInstance(t)
	const n = 300_000
	data := make([]byte, n)
	want := uint32(0)
	for i := range data {
		data[i] = byte(i * 7)
		want += uint32(data[i])
	}

	// sum: Go writes from another goroutine, in pieces.
	w, r := NewStream(u8)
	var wg sync.WaitGroup
	wg.Add(1)
	var werr error
	go func() {
		defer wg.Done()
		for off := 0; off < n; off += 10_000 {
			if _, err := w.Write(data[off : off+10_000]); err != nil {
				werr = err
				return
			}
		}
		werr = w.Close()
	}()
	if got := call(t, ctx, in, "sum", r); got != canonabi.Value(want) {
		t.Errorf("sum = %v, want %d", got, want)
	}
	wg.Wait()
	if werr != nil {
		t.Errorf("writing: %v", werr)
	}

	// produce: the call returns the stream; Go reads it after the call,
	// driving the guest's task itself.
	f, _ := in.Func("produce")
	res, err := f.Call(ctx, uint32(n))
	if err != nil {
		t.Fatal(err)
	}
	pr, ok := res[0].(*StreamReader)
	if !ok {
		t.Fatalf("produce returned %T", res[0])
	}
	got, err := io.ReadAll(pr)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != n || checkPattern(got) != nil {
		t.Errorf("produce(%d): read %d bytes (pattern ok: %v)", n, len(got), checkPattern(got) == nil)
	}

	// pipe: the guest writes to consume, a Go function reading with
	// io.ReadAll on its goroutine.
	if got := call(t, ctx, in, "pipe", uint32(n)); got != canonabi.Value(uint32(n)) {
		t.Errorf("pipe(%d) = %v, want %d", n, got, n)
	}
}

// TestGoStreamEnds: closing and dropping.
func TestGoStreamEnds(t *testing.T) {
	in, ctx := goAsyncInstance(t)
	// The writer closed before the reader reaches the guest: sum of
	// nothing.
	w, r := NewStream(u8)
	w.Close()
	if got := call(t, ctx, in, "sum", r); got != canonabi.Value(uint32(0)) {
		t.Errorf("sum of a closed stream = %v", got)
	}
	// The reader cannot be passed twice.
	f, _ := in.Func("sum")
	if _, err := f.Call(ctx, r); err == nil {
		t.Error("a reader passed twice was accepted")
	}
	// Go stops reading early: the guest's next write sees DROPPED and it
	// ends.
	p, _ := in.Func("produce")
	res, err := p.Call(ctx, uint32(100_000))
	if err != nil {
		t.Fatal(err)
	}
	pr := res[0].(*StreamReader)
	buf := make([]byte, 100)
	if _, err := io.ReadFull(pr, buf); err != nil {
		t.Fatal(err)
	}
	pr.Close()
	if _, err := pr.Read(buf); err == nil {
		t.Error("Read after Close succeeded")
	}
	if got := call(t, ctx, in, "sync-sleep", uint32(1)); got != canonabi.Value(uint32(3)) {
		t.Errorf("sync-sleep after a dropped stream = %v", got)
	}
	// A stream of another element type is refused.
	_, r32 := NewStream(wit.U32)
	if _, err := f.Call(ctx, r32); err == nil {
		t.Error("a stream<u32> was passed as a stream<u8>")
	}
	// Write on a closed instance fails instead of waiting.
	w2, r2 := NewStream(u8)
	done := make(chan error, 1)
	go func() {
		_, err := f.Call(ctx, r2)
		done <- err
	}()
	if _, err := w2.Write([]byte{1, 2, 3}); err != nil {
		t.Fatal(err)
	}
	go func() {
		time.Sleep(20 * time.Millisecond)
		in.Close(ctx)
	}()
	if err := <-done; !errors.Is(err, ErrClosed) {
		t.Errorf("the call waiting on Go's stream ended with %v, want ErrClosed", err)
	}
	if _, err := w2.Write([]byte{4}); !errors.Is(err, ErrClosed) {
		t.Errorf("Write after Close: %v", err)
	}
}
