package wasi_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/witc-dev/witc/host"
	"github.com/witc-dev/witc/wasi"
)

// TestP3Command: a WASI 0.3 command (testdata/src/p3-cat.wat) greets on
// stdout through a stream, copies stdin's stream to it, waits for
// stdout's future and sleeps with an async import; Run returns once all
// of it is written.
func TestP3Command(t *testing.T) {
	ctx := context.Background()
	cc := compileFixture(t, "p3-cat.wasm")
	big := make([]byte, 1<<20)
	rand.Read(big)
	for _, in := range [][]byte{nil, []byte("line one\nline two\n"), big} {
		var out bytes.Buffer
		code, err := wasi.RunCompiled(ctx, cc, wasi.Config{Stdin: bytes.NewReader(in), Stdout: &out})
		if err != nil || code != 0 {
			t.Fatalf("run with %d bytes of stdin: exit %d, %v", len(in), code, err)
		}
		want := append([]byte("hello from WASI 0.3\n"), in...)
		if !bytes.Equal(out.Bytes(), want) {
			t.Errorf("run with %d bytes of stdin: stdout has %d bytes, want %d (equal prefix: %v)",
				len(in), out.Len(), len(want), bytes.HasPrefix(want, out.Bytes()))
		}
	}
	// stdout fails: its future says error-code io, and the command traps
	// on it.
	_, err := wasi.RunCompiled(ctx, cc, wasi.Config{Stdin: strings.NewReader("x"), Stdout: failingWriter{}})
	var te *host.TrapError
	if !errors.As(err, &te) {
		t.Errorf("run with a failing stdout: %v, want a trap", err)
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

// compileFixture compiles testdata/name on a runtime of its own; both are
// closed when the test ends.
func compileFixture(t *testing.T, name string) *host.Compiled {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	rt := host.NewRuntime(ctx, host.Options{})
	t.Cleanup(func() { rt.Close(ctx) })
	cc, err := rt.Compile(ctx, b)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cc.Close(ctx) })
	return cc
}
