package wasi_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/witc-dev/witc/host"
	"github.com/witc-dev/witc/wasi"
)

// TestBlockEndsWithContext: a guest waiting in pollable.block for an hour
// returns when the context of its call is done, on a runtime that does
// not stop running guests (the wait is in the host, which watches the
// context); a short wait still completes.
func TestBlockEndsWithContext(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "sleep.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	rt := host.NewRuntime(context.Background(), host.Options{})
	defer rt.Close(context.Background())
	sleep := func(ns uint64, timeout time.Duration) (time.Duration, error) {
		l := host.NewLinker()
		if err := wasi.Register(l, wasi.Config{}); err != nil {
			t.Fatal(err)
		}
		in, err := rt.Instantiate(context.Background(), l, b)
		if err != nil {
			t.Fatal(err)
		}
		f, err := in.Func("sleep")
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		start := time.Now()
		_, err = f.Call(ctx, ns)
		return time.Since(start), err
	}
	took, err := sleep(uint64(time.Hour), 200*time.Millisecond)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("sleep(1h) with a deadline of 200ms: %v, want context.DeadlineExceeded", err)
	}
	if took > 2*time.Second {
		t.Errorf("sleep(1h) with a deadline of 200ms returned after %v", took)
	}
	if took, err := sleep(uint64(10*time.Millisecond), time.Minute); err != nil || took < 10*time.Millisecond {
		t.Errorf("sleep(10ms) returned after %v: %v", took, err)
	}
}
