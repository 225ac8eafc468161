package host

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/witc-dev/witc/canonabi"
)

// u32s converts a list<u32> result to a []uint32.
func u32s(t *testing.T, v canonabi.Value) []uint32 {
	t.Helper()
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Slice {
		t.Fatalf("result %T is not a list", v)
	}
	out := make([]uint32, rv.Len())
	for i := range out {
		e := rv.Index(i)
		if e.Kind() == reflect.Interface {
			e = e.Elem()
		}
		u, ok := e.Interface().(uint32)
		if !ok {
			t.Fatalf("element %d of the result is a %s, not a u32", i, e.Type())
		}
		out[i] = u
	}
	return out
}

const blocked = 0xffff_ffff

// TestStreams: stream<u8> and future<u32> copies between the two ends of
// one instance, in callback-lifted async exports (testdata/src/streams.wat).
// Each export returns the log of what the built-ins gave: copy results
// (COMPLETED, DROPPED or BLOCKED, the count in the high 28 bits), the
// events polled through a waitable set (code, whether the index is the
// end's, payload) and the words the reads filled ("abcdefgh" is written).
func TestStreams(t *testing.T) {
	rt, ctx := newFeatureRuntime(t)
	in, err := rt.Instantiate(ctx, NewLinker(), fixture(t, "streams.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		fn   string
		want []uint32
	}{
		// A read of 8 waits; writes of 3 and 2 bytes complete at once,
		// both into the same read, whose event then counts 5.
		{"partial", []uint32{blocked, 0x30, 0x20, eventStreamRead, 1, 0x50, 0x64636261, 0x65}},
		// A write of 6 waits; reads of 2, 3 and 4 get 2, 3 and 1 byte; the
		// write's event counts 6.
		{"reads", []uint32{blocked, 0x20, 0x6261, 0x30, 0x656463, 0x10, 0x66, eventStreamWrite, 1, 0x60}},
		// Zero-length copies: a read of 0 waits, a write of 0 completes
		// alone, a write of 4 completes the read (count 0) and waits, a
		// read of 0 completes at once without copying, a read of 4 takes
		// the bytes and the write's event counts 4.
		{"zero", []uint32{blocked, 0, blocked, eventStreamRead, 1, 0, 0, 0, 0x40, 0x64636261, eventStreamWrite, 1, 0x40}},
		// Dropping the writable end gives the waiting read DROPPED; a
		// write after the readable end was dropped is DROPPED at once.
		{"dropped", []uint32{blocked, eventStreamRead, 1, copyDropped, copyDropped}},
		// The read's event reaches the callback through the waitable set
		// the task waits on.
		{"wait", []uint32{blocked, 0x40, eventStreamRead, 1, 0x40, 0x64636261, 0}},
		// A future's read waits, its write completes at once and the read's
		// event is FUTURE_READ with the value in the reader's buffer.
		{"future", []uint32{blocked, copyCompleted, eventFutureRead, 1, copyCompleted, 0xcafe1234}},
	} {
		if got := u32s(t, call(t, ctx, in, tc.fn)); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s() = %s, want %s", tc.fn, hexes(got), hexes(tc.want))
		}
	}
}

func hexes(vs []uint32) string {
	s := make([]string, len(vs))
	for i, v := range vs {
		s[i] = fmt.Sprintf("%#x", v)
	}
	return "[" + strings.Join(s, " ") + "]"
}

// TestStreamTraps: the misuses of stream and future ends the spec traps
// on, each in a new instance.
func TestStreamTraps(t *testing.T) {
	rt, ctx := newFeatureRuntime(t)
	b := fixture(t, "streams.wasm")
	for fn, want := range map[string]string{
		"read-writable":    "stream.read: trap: handle 2 is a writable stream end, not a readable stream end",
		"two-reads":        "stream.read: the readable stream end 1 is already copying",
		"future-unwritten": "future.drop-writable: the writable future end 2 is dropped before a value was written to it",
		"future-twice":     "future.write: the writable future end 2 is done",
		"after-drop":       "stream.read: trap: unknown handle index 1",
	} {
		in, err := rt.Instantiate(ctx, NewLinker(), b)
		if err != nil {
			t.Fatal(err)
		}
		wantTrap(t, ctx, in, fn, want)
	}
}

// TestStreamsCompose: a readable stream end passed from one component
// instance to another (testdata/src/streams-compose.wat). The caller's
// async lower starts the callee, which waits for bytes; the caller's write
// of 5 fills the callee's read of 4 at once, its write of the last byte
// waits until the callee's callback reads it, then it drops the writable
// end and the callee, told DROPPED, returns the sum of the bytes it read
// from the other instance's memory.
func TestStreamsCompose(t *testing.T) {
	rt, ctx := newFeatureRuntime(t)
	in, err := rt.Instantiate(ctx, NewLinker(), fixture(t, "streams-compose.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	want := []uint32{
		1,                      // the lower: STARTED
		0x40,                   // write of 5: 4 copied
		blocked,                // write of the 5th byte
		eventStreamWrite, 0x10, // it is read
		eventSubtask, 2, // the subtask RETURNED
		1 + 2 + 3 + 4 + 5,
	}
	for range 2 {
		if got := u32s(t, call(t, ctx, in, "run")); !reflect.DeepEqual(got, want) {
			t.Errorf("run() = %s, want %s", hexes(got), hexes(want))
		}
	}
}

// TestErrorContext: error-context.new keeps the message the guest gives,
// error-context.debug-message stores it back (pointer and length, the
// bytes allocated by realloc), error-context.drop frees the handle; a
// second drop, a debug-message of a handle that is no error-context and a
// message out of bounds trap.
func TestErrorContext(t *testing.T) {
	rt, ctx := newFeatureRuntime(t)
	b := fixture(t, "errctx.wasm")
	in, err := rt.Instantiate(ctx, NewLinker(), b)
	if err != nil {
		t.Fatal(err)
	}
	// handle 1, length 12, "disk" read back
	want := uint64(1) | 12<<8 | uint64(0x6b736964)<<32
	for range 2 { // the dropped handle is reused
		if got := call(t, ctx, in, "msg"); got != canonabi.Value(want) {
			t.Errorf("msg() = %#x, want %#x", got, want)
		}
	}
	for fn, want := range map[string]string{
		"drop-twice":    "error-context.drop: trap: unknown handle index 1",
		"not-ec":        "error-context.debug-message: trap: handle 1 is a waitable set, not an error-context",
		"out-of-bounds": "error-context.new",
	} {
		in, err := rt.Instantiate(ctx, NewLinker(), b)
		if err != nil {
			t.Fatal(err)
		}
		wantTrap(t, ctx, in, fn, want)
	}
}

// TestErrorContextCompose: error-context values passed between two
// component instances (testdata/src/errctx-compose.wat). An error-context
// passed as a parameter gets a new handle in the callee, which reads its
// message, while the caller keeps its own; one returned as a result gets a
// handle in the caller. Passing an unknown handle or a handle that is no
// error-context traps.
func TestErrorContextCompose(t *testing.T) {
	rt, ctx := newFeatureRuntime(t)
	b := fixture(t, "errctx-compose.wasm")
	in, err := rt.Instantiate(ctx, NewLinker(), b)
	if err != nil {
		t.Fatal(err)
	}
	want := canonabi.Tuple{"disk on fire", "from C"}
	for range 2 {
		if got := call(t, ctx, in, "run"); !reflect.DeepEqual(got, want) {
			t.Errorf("run() = %#v, want %#v", got, want)
		}
	}
	for fn, want := range map[string]string{
		"bad":    "trap: unknown handle index 7",
		"not-ec": "trap: handle 1 is a waitable set, not an error-context",
	} {
		in, err := rt.Instantiate(ctx, NewLinker(), b)
		if err != nil {
			t.Fatal(err)
		}
		wantTrap(t, ctx, in, fn, want)
	}
}
