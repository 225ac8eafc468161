package wasi_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/tetratelabs/wazero"
	"github.com/witc-dev/witc/host"
	"github.com/witc-dev/witc/wasi"
)

func runFS(t *testing.T, dirs []wasi.Dir) (string, int) {
	b, err := os.ReadFile(filepath.Join("testdata", "go-fs.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	rt := host.WithRuntime(wazero.NewRuntime(ctx))
	defer rt.Close(ctx)
	var out bytes.Buffer
	l := host.NewLinker()
	if err := wasi.Register(l, wasi.Config{Args: []string{"go-fs"}, Stdout: &out, Stderr: &out, Dirs: dirs}); err != nil {
		t.Fatal(err)
	}
	in, err := rt.Instantiate(ctx, l, b)
	if err != nil {
		t.Fatal(err)
	}
	run, err := in.Func("wasi:cli/run@0.2.0#run")
	if err != nil {
		t.Fatal(err)
	}
	_, err = run.Call(ctx)
	code, exited := host.ExitCode(err)
	if err != nil && !exited {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	return out.String(), code
}

func TestFilesystem(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "hello.txt"), []byte("hi there\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "other.txt"), []byte("x\n"), 0o644)
	got, code := runFS(t, []wasi.Dir{{HostPath: dir, GuestPath: "/data"}})
	want := "entries: [hello.txt other.txt]\nhello.txt: \"hi there\\n\"\nescape refused\nmissing.txt: not found\ndone\n"
	if got != want || code != 0 {
		t.Errorf("go-fs printed (exit %d):\n%s\nwant:\n%s", code, got, want)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "out.txt")); err != nil || string(b) != "written by go-fs\n" {
		t.Errorf("out.txt: %q, %v", b, err)
	}
	if fi, err := os.Stat(filepath.Join(dir, "sub")); err != nil || !fi.IsDir() {
		t.Errorf("sub was not created: %v", err)
	}
}

// TestNoDirectoryByDefault: without a grant the guest sees no files.
func TestNoDirectoryByDefault(t *testing.T) {
	got, code := runFS(t, nil)
	if code == 0 || !bytes.Contains([]byte(got), []byte("readdir:")) {
		t.Errorf("without --dir: exit %d\n%s", code, got)
	}
}
