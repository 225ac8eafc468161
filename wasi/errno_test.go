package wasi

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestErrorCodes: the host's errors reach the guest as their own
// error-code, not io (issue 17: ELOOP and ENAMETOOLONG were io).
func TestErrorCodes(t *testing.T) {
	for _, c := range []struct {
		err  error
		want errorCode
	}{
		{&fs.PathError{Op: "open", Path: "a", Err: syscall.ELOOP}, 15},
		{&fs.PathError{Op: "open", Path: "a", Err: syscall.ENAMETOOLONG}, 18},
		{&fs.PathError{Op: "open", Path: "a", Err: syscall.ENOENT}, ecNoEntry},
		{syscall.EIO, ecIO},
	} {
		if got := codeOf(c.err); got != c.want {
			t.Errorf("codeOf(%v) = %d, want %d", c.err, got, c.want)
		}
	}

	// The same errors, as os.Root (which resolves every guest path)
	// reports them.
	dir := t.TempDir()
	if err := os.Symlink("b", filepath.Join(dir, "a")); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
	if err := os.Symlink("a", filepath.Join(dir, "b")); err != nil {
		t.Fatal(err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	_, err = root.Open("a")
	if got := codeOf(err); got != 15 {
		t.Errorf("a symbolic link loop: %v is error-code %d, want loop (15)", err, got)
	}
	_, err = root.Open(strings.Repeat("n", 4096))
	if got := codeOf(err); got != 18 {
		t.Errorf("a long name: %v is error-code %d, want name-too-long (18)", err, got)
	}
}
