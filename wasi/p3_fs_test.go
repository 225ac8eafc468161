package wasi_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/witc-dev/witc/wasi"
)

// TestP3Filesystem: a WASI 0.3 command (testdata/src/p3-fs.wat) opens a
// file of a granted directory, writes it through write-via-stream and
// append-via-stream, sets its modification time (an instant), reads it
// back through read-via-stream, stats it, lists the directory through
// read-directory, and tries a file outside it; it prints what each step
// got (the numbers are 0.3's error-code and descriptor-type cases).
// Granted read-only, the directory refuses the new file; a file opened
// for reading refuses writes either way; nothing outside is reached.
func TestP3Filesystem(t *testing.T) {
	ctx := context.Background()
	cc := compileFixture(t, "p3-fs.wasm")

	top := t.TempDir()
	dir := filepath.Join(top, "granted")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	os.Mkdir(filepath.Join(dir, "sub"), 0o755)
	os.WriteFile(filepath.Join(dir, "a.txt"), []byte("aaa\n"), 0o644)
	os.WriteFile(filepath.Join(top, "a.txt"), []byte("outside\n"), 0o644) // ../a.txt

	run := func(readOnly bool) []string {
		t.Helper()
		var out bytes.Buffer
		code, err := wasi.RunCompiled(ctx, cc, wasi.Config{Stdout: &out,
			Dirs: []wasi.Dir{{HostPath: dir, GuestPath: "/data", ReadOnly: readOnly}}})
		if err != nil || code != 0 {
			t.Fatalf("read-only %v: exit %d, %v\n%s", readOnly, code, err, out.String())
		}
		return strings.Split(out.String(), "\n")
	}
	// The lines printed, with the entries sorted (read-directory gives
	// them in the directory's order).
	sorted := func(lines []string) string {
		var ents []int
		for i, l := range lines {
			if strings.HasPrefix(l, "entry: ") {
				ents = append(ents, i)
			}
		}
		if len(ents) > 0 {
			slices.Sort(lines[ents[0] : ents[len(ents)-1]+1])
		}
		return strings.Join(lines, "\n")
	}

	// Read-only: a.txt is read, f.txt is not created (read-only, 32).
	got := sorted(run(true))
	want := "write a.txt: error 2\nread a.txt: aaa\nread end: ok\nopen f.txt: error 32\n" +
		"entry: a.txt 5\nentry: sub 2\nentries end: ok\nopen ../a.txt: error 30\ndone\n"
	if got != want {
		t.Errorf("read-only, printed:\n%s\nwant:\n%s", got, want)
	}
	if _, err := os.Stat(filepath.Join(dir, "f.txt")); !os.IsNotExist(err) {
		t.Errorf("read-only: f.txt was created (%v)", err)
	}

	// Read-write: f.txt is written, appended to, re-timed, read back and
	// stat'ed.
	got = sorted(run(false))
	mtime := time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC)
	want = "write a.txt: error 2\nread a.txt: aaa\nread end: ok\nopen f.txt: ok\n" +
		"write f.txt: ok\nappend f.txt: ok\nset-times f.txt: ok\nread f.txt: hello, p3 fs\nmore\nread end: ok\n" +
		fmt.Sprintf("stat f.txt: type 5 size 18 mtime %d\n", mtime.Unix()) +
		"entry: a.txt 5\nentry: f.txt 5\nentry: sub 2\nentries end: ok\nopen ../a.txt: error 30\ndone\n"
	if got != want {
		t.Errorf("read-write, printed:\n%s\nwant:\n%s", got, want)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "f.txt")); err != nil || string(b) != "hello, p3 fs\nmore\n" {
		t.Errorf("f.txt: %q, %v", b, err)
	}
	if fi, err := os.Stat(filepath.Join(dir, "f.txt")); err != nil {
		t.Error(err)
	} else if !fi.ModTime().Equal(mtime) {
		t.Errorf("f.txt's modification time: %v, want %v", fi.ModTime(), mtime)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "a.txt")); err != nil || string(b) != "aaa\n" {
		t.Errorf("a.txt was changed: %q, %v", b, err)
	}
	if b, err := os.ReadFile(filepath.Join(top, "a.txt")); err != nil || string(b) != "outside\n" {
		t.Errorf("../a.txt was changed: %q, %v", b, err)
	}
}
