package wasi_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tetratelabs/wazero"
	"github.com/witc-dev/witc/component/check"
	"github.com/witc-dev/witc/host"
	"github.com/witc-dev/witc/wasi"
	"github.com/witc-dev/witc/wit"
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

// wasiWIT decodes the committed WASI WIT by itself, and registers the
// WASI interfaces on a new linker.
func wasiWIT(t *testing.T) (map[string]*wit.Interface, *host.Linker) {
	ifaces := map[string]*wit.Interface{}
	for _, v := range []string{wasi.Version, wasi.Version3} {
		b, err := os.ReadFile(filepath.Join("wit", "wasi-"+v+".wasm"))
		if err != nil {
			t.Fatal(err)
		}
		res, _, err := check.DecodeWIT(b)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range res.Interfaces {
			ifaces[it.QualifiedName()] = it
		}
	}
	l := host.NewLinker()
	if err := wasi.Register(l, wasi.Config{}); err != nil {
		t.Fatal(err)
	}
	return ifaces, l
}

// TestTypedFromWASI: every function Register defines has its type from
// WASI's WIT, and every function of the WASI 0.2.12 interfaces the package
// implements (io, cli, clocks, random, filesystem) and of the 0.3.0 ones
// (cli, clocks, random) is defined.
func TestTypedFromWASI(t *testing.T) {
	ifaces, l := wasiWIT(t)
	registered := map[string]bool{}
	for _, iface := range l.Interfaces() {
		for name, typ := range l.Funcs(iface) {
			registered[iface+"#"+name] = true
			if typ == nil {
				t.Errorf("%s#%s has no type", iface, name)
			}
		}
	}
	covered := 0
	for q, it := range ifaces {
		if !claimed(q) {
			continue
		}
		funcs := l.Funcs(q)
		for _, f := range it.Functions {
			typ, ok := funcs[f.Name]
			if !ok {
				t.Errorf("%s#%s is not implemented", q, f.Name)
				continue
			}
			if typ != nil {
				if err := wit.SameFunction(typ, f, q+"#"+f.Name); err != nil {
					t.Error(err)
				}
			}
			delete(registered, q+"#"+f.Name)
			covered++
		}
	}
	for name := range registered {
		t.Errorf("%s is registered but is not a function of WASI's WIT", name)
	}
	if covered < 110 { // 71 in 0.2.12, 40 in 0.3.0: the interfaces are all there
		t.Errorf("only %d WASI functions checked", covered)
	}
	t.Logf("%d WASI functions registered with their types", covered)
}

// claimed reports whether the package implements interface q: every
// interface of wasi:io, cli, clocks, random and filesystem that a command
// imports (not wasi:cli/run, which it exports).
func claimed(q string) bool {
	prefixes := []string{"wasi:io/", "wasi:cli/", "wasi:clocks/", "wasi:random/", "wasi:filesystem/"}
	if strings.HasSuffix(q, "@"+wasi.Version3) {
		prefixes = []string{"wasi:cli/", "wasi:clocks/", "wasi:random/", "wasi:filesystem/"}
	}
	for _, p := range prefixes {
		if strings.HasPrefix(q, p) {
			return !strings.HasPrefix(q, "wasi:cli/run@")
		}
	}
	return false
}

// TestLinkChecksResources: a host function returning another resource
// than the one the component imports it with does not link; the error
// names both resources with their interfaces.
func TestLinkChecksResources(t *testing.T) {
	ifaces, l := wasiWIT(t)
	wrong := *ifaces["wasi:cli/stdin@"+wasi.Version].Function("get-stdin")
	wrong.Name = "get-stdout"
	l.Func("wasi:cli/stdout@"+wasi.Version, "get-stdout", &wrong, nil)
	fs, err := os.ReadFile(filepath.Join("testdata", "go-fs.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	rt := host.WithRuntime(wazero.NewRuntime(ctx))
	defer rt.Close(ctx)
	_, err = rt.Instantiate(ctx, l, fs)
	want := "cannot link import `wasi:cli/stdout@0.2.12`: function `get-stdout` is imported with the type `func() -> output-stream`, " +
		"but the host implements `func() -> input-stream` (`get-stdout` result: resource `input-stream` from `wasi:io/streams@0.2.12` " +
		"is not the same resource as `output-stream` from `wasi:io/streams@0.2.12`)"
	var le *host.LinkError
	if !errors.As(err, &le) || err.Error() != want {
		t.Errorf("got:\n%v\nwant:\n%s", err, want)
	}
}
