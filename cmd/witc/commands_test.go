package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/witc-dev/witc/wasi"
)

// repoFile is a file of the repository, from this package's directory.
func repoFile(t *testing.T, name string) string {
	t.Helper()
	p, err := filepath.Abs(filepath.Join("..", "..", name))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestCache: witc cache dir, size and clean on $WITC_CACHE_DIR, and witc
// run trimming the cache to --cache-limit, the files used longest ago
// first.
func TestCache(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cache")
	t.Setenv("WITC_CACHE_DIR", dir)
	if code, out, errOut := runWitc("cache", "dir"); code != 0 || out != dir+"\n" {
		t.Fatalf("cache dir: %d %q %q", code, out, errOut)
	}
	if code, out, _ := runWitc("cache", "size"); code != 0 || out != "0 bytes in 0 files ("+dir+")\n" {
		t.Errorf("cache size of a missing cache: %d %q", code, out)
	}
	// Three old files of 1 KiB, the first used longest ago.
	old := filepath.Join(dir, "wazero-old")
	if err := os.MkdirAll(old, 0o755); err != nil {
		t.Fatal(err)
	}
	for i, name := range []string{"a", "b", "c"} {
		p := filepath.Join(old, name)
		if err := os.WriteFile(p, make([]byte, 1024), 0o644); err != nil {
			t.Fatal(err)
		}
		when := time.Now().Add(time.Duration(i-10) * time.Hour)
		if err := os.Chtimes(p, when, when); err != nil {
			t.Fatal(err)
		}
	}
	if code, out, _ := runWitc("cache", "size"); code != 0 || out != "3.0 KiB in 3 files ("+dir+")\n" {
		t.Errorf("cache size: %d %q", code, out)
	}
	if err := trimCache(dir, 2048); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(old, "a")); !os.IsNotExist(err) {
		t.Errorf("the file used longest ago was kept: %v", err)
	}
	if _, err := os.Stat(filepath.Join(old, "c")); err != nil {
		t.Errorf("the file used last was removed: %v", err)
	}
	// A run compiles into the cache after trimming it to --cache-limit.
	code, out, errOut := runWitc("run", "--engine", "compiler", "--cache-limit", "1KiB", "--invoke", "add(1, 2)", repoFile(t, "examples/components/calc.wasm"))
	if code != 0 || out != "3\n" {
		t.Fatalf("run: %d %q %q", code, out, errOut)
	}
	if _, err := os.Stat(filepath.Join(old, "b")); !os.IsNotExist(err) {
		t.Errorf("run --cache-limit 1KiB kept an old file: %v", err)
	}
	files, err := cacheFiles(dir)
	if err != nil || len(files) < 2 {
		t.Errorf("the cache holds %d files after a run (%v), want the old one and the compiled code", len(files), err)
	}
	if code, _, errOut := runWitc("run", "--cache-limit", "lots", "--invoke", "add(1, 2)", repoFile(t, "examples/components/calc.wasm")); code != exitUsage {
		t.Errorf("--cache-limit lots: %d %q", code, errOut)
	}
	code, out, _ = runWitc("cache", "clean")
	if code != 0 || !strings.HasPrefix(out, "removed ") {
		t.Errorf("cache clean: %d %q", code, out)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("cache clean left %s: %v", dir, err)
	}
}

// TestRunWarms: witc run (--engine auto) of a component the cache lacks
// interprets it and starts a detached witc cache warm, which compiles its
// modules into the cache, records them in the index and releases its
// lock; the next run gives the same output; witc cache warm does the same
// in the foreground.
func TestRunWarms(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cache")
	t.Setenv("WITC_CACHE_DIR", dir)
	calc := repoFile(t, "examples/components/calc.wasm")
	code, out, errOut := runWitc("run", "--invoke", "add(1, 2)", calc)
	if code != 0 || out != "3\n" {
		t.Fatalf("run: %d %q %q", code, out, errOut)
	}
	lock := filepath.Join(dir, "witc-index", warmLockName)
	deadline := time.Now().Add(2 * time.Minute)
	for {
		if _, err := os.Stat(lock); os.IsNotExist(err) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the warm process still holds its lock after 2 minutes")
		}
		time.Sleep(50 * time.Millisecond)
	}
	entries, err := os.ReadDir(filepath.Join(dir, "witc-index"))
	if err != nil || len(entries) == 0 {
		t.Fatalf("the index after the warm: %v %v", entries, err)
	}
	if code, out, errOut := runWitc("run", "--invoke", "add(1, 2)", calc); code != 0 || out != "3\n" {
		t.Fatalf("run after the warm: %d %q %q", code, out, errOut)
	}
	if _, err := os.Stat(lock); !os.IsNotExist(err) {
		t.Errorf("a run of a warmed component started a warm: %v", err)
	}
	os.RemoveAll(dir)
	if code, out, errOut := runWitc("cache", "warm", calc); code != 0 || out != "" {
		t.Fatalf("cache warm: %d %q %q", code, out, errOut)
	}
	if entries, err := os.ReadDir(filepath.Join(dir, "witc-index")); err != nil || len(entries) == 0 {
		t.Fatalf("the index after cache warm: %v %v", entries, err)
	}
}

// TestProgress: the progress line appears after the delay, is rewritten
// in place, and is erased when the work ends; nothing is written for work
// that ends before the delay.
func TestProgress(t *testing.T) {
	var b bytes.Buffer
	stop := progress(&b, time.Hour, func(time.Duration) string { return "never" })
	stop()
	if b.Len() != 0 {
		t.Errorf("quick work wrote %q", b.String())
	}
	stop = progress(&b, 10*time.Millisecond, func(time.Duration) string { return "compiling" })
	time.Sleep(50 * time.Millisecond)
	stop()
	s := b.String()
	if !strings.HasPrefix(s, "\r\x1b[Kcompiling") || !strings.HasSuffix(s, "compiling\r\x1b[K") {
		t.Errorf("progress wrote %q", s)
	}
	if isTerminal(&b) {
		t.Error("a buffer is a terminal")
	}
}

// TestCompletionScripts: the scripts parse in their shells (those
// installed) and name every command.
func TestCompletionScripts(t *testing.T) {
	for _, sh := range []string{"bash", "zsh", "fish"} {
		code, out, errOut := runWitc("completion", sh)
		if code != 0 {
			t.Fatalf("completion %s: %d %q", sh, code, errOut)
		}
		for _, cmd := range []string{"check", "compose", "run", "cache", "world-only"} {
			if !strings.Contains(out, cmd) {
				t.Errorf("completion %s does not mention %s", sh, cmd)
			}
		}
		path, err := exec.LookPath(sh)
		if err != nil {
			t.Logf("%s is not installed: its script is not parsed", sh)
			continue
		}
		f := filepath.Join(t.TempDir(), "witc."+sh)
		if err := os.WriteFile(f, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
		if msg, err := exec.Command(path, "-n", f).CombinedOutput(); err != nil {
			t.Errorf("%s -n: %v\n%s", sh, err, msg)
		}
	}
}

// TestVersionOfBuild: a witc built from a git checkout reports the
// module's pseudo-version, not "devel".
func TestVersionOfBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("builds witc")
	}
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	if err := exec.Command("git", "-C", repoFile(t, "."), "rev-parse", "HEAD").Run(); err != nil {
		t.Skipf("not in a git checkout: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "witc")
	build := exec.Command(goCmd, "build", "-buildvcs=true", "-o", bin, ".")
	if msg, err := build.CombinedOutput(); err != nil {
		t.Skipf("cannot build with version control information (not a git checkout?): %v\n%s", err, msg)
	}
	out, err := exec.Command(bin, "version").Output()
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^witc version v\d+\.\d+\.\d+-\S+\n$`).Match(out) {
		t.Errorf("witc version = %q, want a module version", out)
	}
}

// TestRunDirReadOnly: --dir HOST::GUEST:ro grants a directory the guest
// can read but not write.
func TestRunDirReadOnly(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles a 3 MB Go command")
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "hello.txt"), []byte("hi\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runWitc("run", "--no-cache", "--dir", dir+"::/data:ro", repoFile(t, "wasi/testdata/go-fs.wasm"))
	if code != 1 || !strings.Contains(out, `hello.txt: "hi\n"`) || !strings.Contains(out, "write: open /data/out.txt: Read-only file system") {
		t.Errorf("exit status %d, stdout %q, stderr %q", code, out, errOut)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("the guest wrote in a read-only directory: %v", ents)
	}
}

func TestParseDir(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want wasi.Dir
	}{
		{"data", wasi.Dir{HostPath: "data", GuestPath: "data"}},
		{"data::/d", wasi.Dir{HostPath: "data", GuestPath: "/d"}},
		{"data::/d:ro", wasi.Dir{HostPath: "data", GuestPath: "/d", ReadOnly: true}},
		{"data:ro", wasi.Dir{HostPath: "data", GuestPath: "data", ReadOnly: true}},
		{"data::/d:rw", wasi.Dir{HostPath: "data", GuestPath: "/d"}},
		{"data::ro", wasi.Dir{HostPath: "data", GuestPath: "ro"}},
	} {
		got, err := parseDir(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("parseDir(%q) = %+v, %v; want %+v", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []string{"", "::/d", ":ro"} {
		if _, err := parseDir(bad); err == nil {
			t.Errorf("parseDir(%q) succeeded", bad)
		}
	}
}
