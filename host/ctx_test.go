package host

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/witc-dev/witc/component"
	"github.com/witc-dev/witc/internal/leb128"
)

// TestInstantiateCancelled: a done context stops an instantiation before
// it compiles anything.
func TestInstantiateCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	rt := NewRuntime(context.Background(), Options{})
	defer rt.Close(context.Background())
	if _, err := rt.Instantiate(ctx, NewLinker(), bigComponent(10)); !errors.Is(err, context.Canceled) {
		t.Errorf("instantiation with a cancelled context: %v, want context.Canceled", err)
	}
}

// bigComponent is a component with one core module of n functions that
// take a while to compile.
func bigComponent(n int) []byte {
	body := []byte{0x00} // no locals
	for range 400 {
		body = append(body, 0x20, 0x00, 0x41, 0x03, 0x6c, 0x21, 0x00) // local.get 0; i32.const 3; i32.mul; local.set 0
	}
	body = append(body, 0x20, 0x00, 0x0b) // local.get 0; end
	code := leb128.AppendUint32(nil, uint32(n))
	funcs := leb128.AppendUint32(nil, uint32(n))
	for range n {
		funcs = append(funcs, 0x00)
		code = append(code, leb128.AppendUint32(nil, uint32(len(body)))...)
		code = append(code, body...)
	}
	m := module(
		[]byte{1, 1, 0x60, 1, 0x7f, 1, 0x7f}, // (func (param i32) (result i32))
		append([]byte{3}, funcs...),
		append([]byte{10}, code...),
	)
	return component.Encode(&component.Component{Sections: []component.Section{&component.ModuleSection{Bytes: m}}})
}

// TestCompileStopsAtDeadline: an instantiation whose context is done while
// wazero compiles returns then, with one compiling worker (the compilation
// finishes in the background) and with several (wazero stops between
// functions).
func TestCompileStopsAtDeadline(t *testing.T) {
	b := bigComponent(2000)
	for _, workers := range []int{0, 4} {
		rt := NewRuntime(context.Background(), Options{Workers: workers})
		start := time.Now()
		if _, err := rt.Instantiate(context.Background(), NewLinker(), b); err != nil {
			t.Fatal(err)
		}
		full := time.Since(start)
		rt.Close(context.Background())

		rt = NewRuntime(context.Background(), Options{Workers: workers})
		ctx, cancel := context.WithTimeout(context.Background(), full/10)
		start = time.Now()
		_, err := rt.Instantiate(ctx, NewLinker(), b)
		took := time.Since(start)
		cancel()
		rt.Close(context.Background())
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("%d workers: %v, want context.DeadlineExceeded", workers, err)
		}
		t.Logf("%d workers: compiling takes %v; stopped at a deadline of %v after %v", workers, full, full/10, took)
		// Only a stop that saved nothing fails: the machine may be slower
		// for the second compilation than for the first.
		if took > full {
			t.Errorf("%d workers: stopped after %v, compiling takes %v and the deadline was %v", workers, took, full, full/10)
		}
	}
}
