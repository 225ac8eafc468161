package bindgen

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/witc-dev/witc/diag"
	"github.com/witc-dev/witc/loader"
)

// gostreamsTest runs the bindings of host/testdata/gostreams.wasm (its
// own world: async imports, one of a stream<u8>; async exports of
// streams) against the component: the imports implemented by Go through
// the generated Funcs interface (registered with ImportedTypes.Link),
// the exports called through the generated methods.
const gostreamsTest = `package gostreams

import (
	"bytes"
	"context"
	"io"
	"os"
	"testing"
	"time"

	"github.com/witc-dev/witc/host"
)

type funcs struct{}

// Sleep waits ms milliseconds and returns 2*ms.
func (funcs) Sleep(ctx context.Context, ms uint32) (uint32, error) {
	select {
	case <-time.After(time.Duration(ms) * time.Millisecond):
	case <-ctx.Done():
		return 0, ctx.Err()
	}
	return 2 * ms, nil
}

// Consume reads its stream: its length when byte k is k mod 256.
func (funcs) Consume(ctx context.Context, s *host.ByteStream) (uint32, error) {
	data, err := io.ReadAll(s)
	if err != nil {
		return 0, err
	}
	for k, c := range data {
		if c != byte(k) {
			return 0xffff_ffff, nil
		}
	}
	return uint32(len(data)), nil
}

func TestGostreams(t *testing.T) {
	ctx := context.Background()
	wasm, err := os.ReadFile(WASM)
	if err != nil {
		t.Fatal(err)
	}
	rt := host.NewRuntime(ctx, host.Options{})
	defer rt.Close(ctx)
	in, err := Instantiate(ctx, rt, host.NewLinker(), wasm, Imports{Funcs: funcs{}})
	if err != nil {
		t.Fatal(err)
	}
	defer in.Component().Close(ctx)
	want := func(name string, got, want uint32, err error) {
		t.Helper()
		if err != nil || got != want {
			t.Errorf("%s = %d, %v; want %d", name, got, err, want)
		}
	}
	v, err := in.Add(ctx, 2, 3)
	want("add(2, 3)", v, 5, err)
	v, err = in.AddAsync(ctx, 2, 3)
	want("add-async(2, 3)", v, 5, err)
	// The guest adds 1 to what sleep returns.
	v, err = in.SyncSleep(ctx, 5)
	want("sync-sleep(5)", v, 11, err)
	v, err = in.AsyncSleep(ctx, 5)
	want("async-sleep(5)", v, 11, err)
	data := bytes.Repeat([]byte{1, 2, 3, 4}, 50000)
	v, err = in.Sum(ctx, host.NewByteStream(bytes.NewReader(data)))
	want("sum", v, 500000, err)
	v, err = in.Drain(ctx, host.NewByteStream(bytes.NewReader(data)))
	want("drain", v, uint32(len(data)), err)
	const n = 100000
	s, err := in.Produce(ctx, n)
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(s)
	if err != nil || len(got) != n {
		t.Errorf("produce(%d): %d bytes, %v", n, len(got), err)
	}
	for k, c := range got {
		if c != byte(k) {
			t.Fatalf("produce: byte %d is %d", k, c)
		}
	}
	// pipe: the guest writes n bytes to consume, Go's.
	v, err = in.Pipe(ctx, n)
	want("pipe", v, n, err)
	e, err := in.Emit(ctx, 1000)
	if err != nil {
		t.Fatal(err)
	}
	got, err = io.ReadAll(e)
	if err != nil || len(got) != 1000 {
		t.Errorf("emit(1000): %d bytes, %v", len(got), err)
	}
}
`

// TestGostreamsBindings generates the bindings of gostreams.wasm and runs
// gostreamsTest with them in a module of its own.
func TestGostreamsBindings(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go test")
	}
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go command not found")
	}
	wasm, err := filepath.Abs(filepath.Join("..", "host", "testdata", "gostreams.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	var r diag.Report
	res, main := loader.Load(wasm, loader.Options{}, &r)
	if r.HasErrors() || main == nil {
		t.Fatal(diag.Renderer{}.Render(r.Diagnostics))
	}
	src, err := Generate(res, main.Worlds[0], Options{Package: "gostreams"})
	if err != nil {
		t.Fatal(err)
	}
	repo, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	files := map[string]string{
		"go.mod":            fmt.Sprintf("module gostreams\n\ngo 1.26\n\nrequire github.com/witc-dev/witc v0.0.0\n\nreplace github.com/witc-dev/witc => %s\n", repo),
		"bindings.go":       string(src),
		"gostreams_test.go": gostreamsTest,
		"wasm_test.go":      fmt.Sprintf("package gostreams\n\nconst WASM = %q\n", wasm),
	}
	sum, err := os.ReadFile(filepath.Join(repo, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	files["go.sum"] = string(sum)
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(gobin, "test", "-count=1", "-v", "./...")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Errorf("the bindings of gostreams.wasm fail: %v\n%s", err, out)
	}
	t.Logf("%s", out)
}
