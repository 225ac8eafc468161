package e2e

import (
	"bytes"
	"context"
	"hash/adler32"
	"math"
	"strings"
	"testing"

	"github.com/witc-dev/witc/examples/bindings/calcapp"
	"github.com/witc-dev/witc/host"
	"github.com/witc-dev/witc/wasi"
)

// mathHost implements corpus:calc/math in Go, as go-calc does in the
// guest, through the import interface generated for the world `calc-app`.
type mathHost struct{}

func (mathHost) Add(_ context.Context, a, b uint32) (uint32, error)     { return a + b, nil }
func (mathHost) MulAdd(_ context.Context, a, b, c int64) (int64, error) { return a*b + c, nil }
func (mathHost) Hypot(_ context.Context, x, y float64) (float64, error) { return math.Hypot(x, y), nil }
func (mathHost) Checksum(_ context.Context, data []byte) (uint32, error) {
	return adler32.Checksum(data), nil
}
func (mathHost) Shout(_ context.Context, s string) (string, error) {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' {
			return r - 'a' + 'A'
		}
		return r
	}, s) + "!", nil
}

// TestGoCalcAppWithGoHost runs go-calc-app (a Go command built for wasip1
// and adapted) with its corpus:calc/math import implemented in Go: it must
// print what its composition with go-calc prints.
func TestGoCalcAppWithGoHost(t *testing.T) {
	rt, ctx := newRuntime(t)
	var out, errb bytes.Buffer
	l := host.NewLinker()
	if err := wasi.Register(l, wasi.Config{Args: []string{"go-calc-app"}, Stdout: &out, Stderr: &errb}); err != nil {
		t.Fatal(err)
	}
	in, err := calcapp.Instantiate(ctx, rt, l, corpus(t, "go-calc-app.wasm"), calcapp.Imports{Math: mathHost{}})
	if err != nil {
		t.Fatal(err)
	}
	// A Go command ends with wasi:cli/exit: the call returns the exit code.
	res, err := in.Run().Run(ctx)
	if code, exited := host.ExitCode(err); exited {
		if code != 0 {
			t.Fatalf("exit code %d\nstderr: %s", code, errb.String())
		}
	} else if err != nil || res.IsErr {
		t.Fatalf("run: %v %v\nstderr: %s", res, err, errb.String())
	}
	if want := expected(t, "go-calc-app+go-calc.stdout"); out.String() != want {
		t.Errorf("go-calc-app with a Go host: transcript differs:\n%s", firstDiff(want, out.String()))
	}
}
