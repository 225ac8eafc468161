package host

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/witc-dev/witc/canonabi"
	"github.com/witc-dev/witc/internal/leb128"
)

// limitsInstance instantiates testdata/limits.wasm (see its source) on a
// runtime with opts.
func limitsInstance(t *testing.T, opts Options) (*Runtime, *Instance) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "limits.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	rt := NewRuntime(ctx, opts)
	t.Cleanup(func() { rt.Close(ctx) })
	in, err := rt.Instantiate(ctx, NewLinker(), b)
	if err != nil {
		t.Fatal(err)
	}
	return rt, in
}

func callLimits(t *testing.T, ctx context.Context, in *Instance, fn string, args ...canonabi.Value) ([]canonabi.Value, error) {
	t.Helper()
	f, err := in.Func(fn)
	if err != nil {
		t.Fatal(err)
	}
	return f.Call(ctx, args...)
}

// TestDeadlineStopsLoop: a guest looping forever is stopped soon after the
// deadline of its call's context, with an error that says so, and the
// instance cannot be used again.
func TestDeadlineStopsLoop(t *testing.T) {
	_, in := limitsInstance(t, Options{StopOnContextDone: true})
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := callLimits(t, ctx, in, "spin")
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("the loop was stopped %v after its call began (deadline 200ms)", took)
	}
	var te *TrapError
	if !errors.As(err, &te) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("spin past its deadline: %v (%T), want a TrapError wrapping context.DeadlineExceeded", err, err)
	}
	if _, exited := ExitCode(err); exited {
		t.Errorf("a stopped guest counts as exited: %v", err)
	}
	if _, err := callLimits(t, context.Background(), in, "size-b"); err == nil || !strings.Contains(err.Error(), "trapped earlier") {
		t.Errorf("a call after the stop: %v", err)
	}
}

// TestDeadlineStopsInstantiation: the deadline of an instantiation's
// context stops a core start function that never returns.
func TestDeadlineStopsInstantiation(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "spin-start.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	rt := NewRuntime(context.Background(), Options{StopOnContextDone: true})
	defer rt.Close(context.Background())
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = rt.Instantiate(ctx, NewLinker(), b)
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("the instantiation was stopped after %v (deadline 200ms)", took)
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("instantiation past its deadline: %v, want context.DeadlineExceeded", err)
	}
}

// TestCancelStopsLoop: cancelling the context stops a looping guest.
func TestCancelStopsLoop(t *testing.T) {
	_, in := limitsInstance(t, Options{StopOnContextDone: true})
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	done := make(chan error, 1)
	go func() {
		_, err := callLimits(t, ctx, in, "spin")
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("spin cancelled: %v, want context.Canceled", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the loop was not stopped 5s after its context was cancelled")
	}
}

// TestMaxMemoryGrow: memory.grow returns -1 once the component's memories,
// together, would pass the limit. limits.wasm has two memories of one
// page; the limit is 4 pages (rounded down from a bit more), so the one
// that grows reaches 3.
func TestMaxMemoryGrow(t *testing.T) {
	rt, in := limitsInstance(t, Options{MaxMemory: 4<<16 + 1000})
	ctx := context.Background()
	res, err := callLimits(t, ctx, in, "grow")
	if err != nil {
		t.Fatal(err)
	}
	if res[0] != canonabi.Value(uint32(3)) {
		t.Errorf("grow reached %v pages, want 3 (4 for both memories)", res[0])
	}
	if !rt.MemoryLimitReached() {
		t.Error("MemoryLimitReached is false after a refused memory.grow")
	}
	// The instance is still usable: a refused growth is not a trap.
	if res, err := callLimits(t, ctx, in, "size-b"); err != nil || res[0] != canonabi.Value(uint32(1)) {
		t.Errorf("size-b after the refusal: %v, %v", res, err)
	}
	// Each instance has a budget of its own.
	_, in2 := limitsInstance(t, Options{MaxMemory: 4 << 16})
	if res, err := callLimits(t, ctx, in2, "grow"); err != nil || res[0] != canonabi.Value(uint32(3)) {
		t.Errorf("grow in a second instance: %v, %v", res, err)
	}
}

// TestMaxMemoryAtInstantiation: a component whose memories need more than
// the limit from the start fails to instantiate, with an error naming the
// limit — one large memory (bigmem.wasm: 2 MiB), or two that only
// together pass it (limits.wasm: two pages, limit one page).
func TestMaxMemoryAtInstantiation(t *testing.T) {
	for _, tc := range []struct {
		file        string
		limit, need uint64
		msg         string
	}{
		{"bigmem.wasm", 1 << 20, 2 << 20, "need at least 2 MiB at instantiation, more than the memory limit of 1 MiB"},
		{"limits.wasm", 1 << 16, 2 << 16, "need at least 128 KiB at instantiation, more than the memory limit of 64 KiB"},
	} {
		b, err := os.ReadFile(filepath.Join("testdata", tc.file))
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		rt := NewRuntime(ctx, Options{MaxMemory: tc.limit + 1000}) // rounded down to pages
		_, err = rt.Instantiate(ctx, NewLinker(), b)
		var mle *MemoryLimitError
		if !errors.As(err, &mle) || mle.Limit != tc.limit || mle.Need != tc.need || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%s with a limit of %d bytes: %v", tc.file, tc.limit, err)
		}
		// Under a larger limit it instantiates.
		rt2 := NewRuntime(ctx, Options{MaxMemory: tc.need})
		if _, err := rt2.Instantiate(ctx, NewLinker(), b); err != nil {
			t.Errorf("%s with a limit of %d bytes: %v", tc.file, tc.need, err)
		}
		rt.Close(ctx)
		rt2.Close(ctx)
	}
}

// TestStackExhausted: unbounded recursion is a trap that says the call
// stack is exhausted, not a crash.
func TestStackExhausted(t *testing.T) {
	_, in := limitsInstance(t, Options{})
	_, err := callLimits(t, context.Background(), in, "recurse", uint32(0))
	var te *TrapError
	if !errors.As(err, &te) || !strings.Contains(err.Error(), "recurse: call stack exhausted") {
		t.Errorf("unbounded recursion: %v", err)
	}
}

// TestTableGrowBounded: table.grow past the table limit returns -1 in the
// guest (without a limit, wazero would allocate 32 GiB for this one and
// the process would die).
func TestTableGrowBounded(t *testing.T) {
	ctx := context.Background()
	_, in := limitsInstance(t, Options{})
	for _, tc := range []struct {
		n    uint32
		want int32
	}{{0xfffffff0, -1}, {DefaultMaxTableElements + 1, -1}, {1000, 0}, {DefaultMaxTableElements - 999, -1}, {1, 1000}} {
		res, err := callLimits(t, ctx, in, "table-grow", tc.n)
		if err != nil || res[0] != canonabi.Value(tc.want) {
			t.Errorf("table-grow(%d) = %v, %v; want %d", tc.n, res, err, tc.want)
		}
	}
	_, in = limitsInstance(t, Options{MaxTableElements: 10})
	for _, tc := range []struct {
		n    uint32
		want int32
	}{{11, -1}, {10, 0}, {1, -1}} {
		res, err := callLimits(t, ctx, in, "table-grow", tc.n)
		if err != nil || res[0] != canonabi.Value(tc.want) {
			t.Errorf("with 10 elements at most, table-grow(%d) = %v, %v; want %d", tc.n, res, err, tc.want)
		}
	}
}

// module is a core module with the given sections.
func module(sections ...[]byte) []byte {
	b := []byte("\x00asm\x01\x00\x00\x00")
	for _, s := range sections {
		b = append(b, s[0])
		b = leb128.AppendUint32(b, uint32(len(s)-1))
		b = append(b, s[1:]...)
	}
	return b
}

// TestBoundTables checks the rewriting of table sections: maximums above
// the limit or missing become the limit, smaller ones and the rest of the
// module stay as they are, initializers are kept.
func TestBoundTables(t *testing.T) {
	custom := []byte("\x00\x04name")
	tables := []byte{4, 4,
		0x70, 0x00, 0x01, // funcref, min 1, no max
		0x6f, 0x01, 0x00, 0x05, // externref, 0..5
		0x70, 0x01, 0x02, 0x80, 0x80, 0x04, // funcref, 2..65536
		0x40, 0x00, 0x63, 0x70, 0x00, 0x03, 0xd0, 0x70, 0x0b, // (ref null func), min 3, init ref.null func
	}
	want := []byte{4, 4,
		0x70, 0x01, 0x01, 0x64,
		0x6f, 0x01, 0x00, 0x05,
		0x70, 0x01, 0x02, 0x64,
		0x40, 0x00, 0x63, 0x70, 0x01, 0x03, 0x64, 0xd0, 0x70, 0x0b,
	}
	got, err := boundTables(module(custom, tables, custom), 100)
	if err != nil || string(got) != string(module(custom, want, custom)) {
		t.Errorf("boundTables:\n got %x, %v\nwant %x", got, err, module(custom, want, custom))
	}
	// Nothing to lower: the same bytes.
	small := []byte{4, 1, 0x70, 0x01, 0x00, 0x05}
	if in := module(small); &in[0] != &must(boundTables(in, 100))[0] {
		t.Error("a module within the limit was copied")
	}
	// A table larger than the limit from the start.
	var tle *TableLimitError
	if _, err := boundTables(module([]byte{4, 1, 0x70, 0x00, 0xc8, 0x01}), 100); !errors.As(err, &tle) || tle.Need != 200 {
		t.Errorf("a table of 200 elements under a limit of 100: %v", err)
	}
	// What cannot be read is left to wazero.
	for _, in := range [][]byte{
		module([]byte{4, 2, 0x70, 0x00, 0x01}),                // two tables announced, one there
		module([]byte{4, 1, 0x40, 0x00, 0x70, 0x00, 1, 0xff}), // an initializer that does not end
		[]byte("\x00asm\x01\x00\x00\x00\x04\x10"),             // a section past the end
	} {
		if got, err := boundTables(in, 100); err != nil || string(got) != string(in) {
			t.Errorf("boundTables(%x) = %x, %v", in, got, err)
		}
	}
}

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}

func TestFormatSize(t *testing.T) {
	for n, want := range map[uint64]string{1 << 16: "64 KiB", 64 << 20: "64 MiB", 1 << 30: "1 GiB", 17 << 16: "1088 KiB", 1000: "1000 bytes", 0: "0 bytes"} {
		if got := FormatSize(n); got != want {
			t.Errorf("FormatSize(%d) = %q, want %q", n, got, want)
		}
	}
}
