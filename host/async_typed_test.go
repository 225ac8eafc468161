package host

import (
	"bytes"
	"context"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/witc-dev/witc/canonabi"
)

// TestTypedGoValues: the typed streams and futures made in Go are read
// in Go as they were made.
func TestTypedGoValues(t *testing.T) {
	var got []int
	for v, err := range StreamOf(1, 2, 3).All() {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, v)
	}
	if len(got) != 3 || got[2] != 3 {
		t.Errorf("StreamOf(1, 2, 3).All() = %v", got)
	}
	sink, s := NewStreamPipe[string]()
	go func() {
		sink.Write("a", "b")
		sink.Close()
	}()
	var strs []string
	for v := range s.All() {
		strs = append(strs, v)
	}
	if len(strs) != 2 || strs[1] != "b" {
		t.Errorf("a pipe's stream = %v", strs)
	}
	if v, err := FutureOf(7).Get(context.Background()); v != 7 || err != nil {
		t.Errorf("FutureOf(7).Get = %v, %v", v, err)
	}
	boom := errors.New("boom")
	if _, err := FutureFunc(func() (int, error) { return 0, boom }).Get(context.Background()); err != boom {
		t.Errorf("FutureFunc's error = %v", err)
	}
	e := NewErrorContext("it broke")
	if e.Message() != "it broke" || ErrorContextOf(e.Value()).Message() != "it broke" {
		t.Errorf("the error-context's message is %q", e.Message())
	}
	var zero ErrorContext
	var err error
	func() {
		defer canonabi.Catch(&err)
		zero.Value()
	}()
	if err == nil {
		t.Error("the zero ErrorContext was given a value")
	}
	b, _ := io.ReadAll(NewByteStream(bytes.NewReader([]byte("xyz"))))
	if string(b) != "xyz" {
		t.Errorf("a ByteStream made in Go reads %q", b)
	}
}

// TestTypedCalls: testdata/gostreams.wasm through the typed API: its
// imports linked with ImportedTypes.Link (consume reads a ByteStream),
// its exports called with CallTyped (sum of a NewByteStream, produce's
// stream read as a ByteStream, pipe through consume).
func TestTypedCalls(t *testing.T) {
	rt, ctx := newFeatureRuntime(t)
	b := fixture(t, "gostreams.wasm")
	l := NewLinker()
	in, err := rt.InstantiateTyped(ctx, l, b, func(it *ImportedTypes) error {
		if err := it.Link(l, "", "sleep", "(u32) -> u32", true, func(_ context.Context, args []canonabi.Value) ([]canonabi.Value, error) {
			ms := args[0].(uint32)
			time.Sleep(time.Duration(ms) * time.Millisecond)
			return []canonabi.Value{2 * ms}, nil
		}); err != nil {
			return err
		}
		if err := it.Link(l, "", "consume", "(u32) -> u32", true, nil); err == nil {
			return errors.New("Link accepted a function of another shape")
		}
		return it.Link(l, "", "consume", "(stream<u8>) -> u32", true, func(_ context.Context, args []canonabi.Value) ([]canonabi.Value, error) {
			data, err := io.ReadAll(ByteStreamOf(args[0]))
			if err != nil {
				return nil, err
			}
			if checkPattern(data) != nil {
				return []canonabi.Value{uint32(0xffff_ffff)}, nil
			}
			return []canonabi.Value{uint32(len(data))}, nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { in.Close(ctx) })
	call := func(name string, args ...canonabi.Value) canonabi.Value {
		t.Helper()
		f, err := in.Func(name)
		if err != nil {
			t.Fatal(err)
		}
		res, err := CallTyped(ctx, f, args...)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return res[0]
	}
	if got := call("async-sleep", uint32(3)); got != canonabi.Value(uint32(7)) { // 2*ms + 1
		t.Errorf("async-sleep(3) = %v", got)
	}
	data := bytes.Repeat([]byte{1, 2, 3}, 30000)
	if got := call("sum", NewByteStream(bytes.NewReader(data)).Value()); got != canonabi.Value(uint32(180000)) {
		t.Errorf("sum = %v, want 180000", got)
	}
	const n = 70000
	got, err := io.ReadAll(ByteStreamOf(call("produce", uint32(n))))
	if err != nil || len(got) != n || checkPattern(got) != nil {
		t.Errorf("produce(%d): %d bytes, %v", n, len(got), err)
	}
	if got := call("pipe", uint32(n)); got != canonabi.Value(uint32(n)) {
		t.Errorf("pipe(%d) = %v", n, got)
	}
}
