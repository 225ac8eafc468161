package wasi_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

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
	want := "entries: [hello.txt other.txt]\nhello.txt: \"hi there\\n\"\n" +
		"moved.txt: 7 bytes, modified 2001-02-03T04:05:06Z\nlink -> moved.txt\nhard.txt: \"written\"\n" +
		"escape refused\nmissing.txt: not found\ndone\n"
	if got != want || code != 0 {
		t.Errorf("go-fs printed (exit %d):\n%s\nwant:\n%s", code, got, want)
	}
	// out.txt was written, renamed into sub/, truncated, re-timed and linked.
	if _, err := os.Stat(filepath.Join(dir, "out.txt")); !os.IsNotExist(err) {
		t.Errorf("out.txt is still there after the rename: %v", err)
	}
	moved := filepath.Join(dir, "sub", "moved.txt")
	if b, err := os.ReadFile(moved); err != nil || string(b) != "written" {
		t.Errorf("sub/moved.txt: %q, %v", b, err)
	}
	if fi, err := os.Stat(moved); err != nil || !fi.ModTime().Equal(time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC)) {
		t.Errorf("sub/moved.txt times: %v, %v", fi, err)
	}
	if target, err := os.Readlink(filepath.Join(dir, "sub", "link")); err != nil || target != "moved.txt" {
		t.Errorf("sub/link: %q, %v", target, err)
	}
	a, err1 := os.Stat(moved)
	b, err2 := os.Stat(filepath.Join(dir, "hard.txt"))
	if err1 != nil || err2 != nil || !os.SameFile(a, b) {
		t.Errorf("hard.txt is not a hard link of sub/moved.txt: %v %v", err1, err2)
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
