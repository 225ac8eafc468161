package qjsasync

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/witc-dev/witc/canonabi"
	"github.com/witc-dev/witc/component/check"
	"github.com/witc-dev/witc/compose"
	"github.com/witc-dev/witc/host"
	"github.com/witc-dev/witc/wasi"
)

// TestComposeWithQjs: witc compose plugs the componentize-qjs component's
// async functions into a WAT component (testdata/src/caller.wat) that
// calls them with a synchronous lower (sum, hello) and, from a
// callback-lifted task of its own, with an async lower (async-sum); the
// composition validates and gives the values fixtures.js computes.
func TestComposeWithQjs(t *testing.T) {
	var inputs []compose.Input
	for _, name := range []string{"caller.wasm", "qjsasync.wasm"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		inputs = append(inputs, compose.Input{Name: name, Bytes: b})
	}
	res, err := compose.Compose(inputs, compose.Options{})
	if err != nil {
		t.Fatal(err)
	}
	b := res.Bytes()
	if err := check.Validate(b); err != nil {
		t.Fatalf("the composition does not validate: %v", err)
	}
	ctx := context.Background()
	rt := host.NewRuntime(ctx, host.Options{})
	defer rt.Close(ctx)
	l := host.NewLinker()
	if err := wasi.Register(l, wasi.Config{Stdout: &bytes.Buffer{}, Stderr: &bytes.Buffer{}}); err != nil {
		t.Fatal(err)
	}
	in, err := rt.Instantiate(ctx, l, b)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close(ctx)
	for _, tc := range []struct {
		fn   string
		want canonabi.Value
	}{
		{"sum", uint32(5)},
		{"hello", "Hello, wasm!"},
		{"async-sum", uint32(42)},
		{"sum", uint32(5)},
	} {
		f, err := in.Func(tc.fn)
		if err != nil {
			t.Fatal(err)
		}
		got, err := f.Call(ctx)
		if err != nil || len(got) != 1 || got[0] != tc.want {
			t.Errorf("%s() = %v, %v; want %v", tc.fn, got, err, tc.want)
		}
	}
}
