//go:build unix

package main

import (
	"io"
	"os"
	"syscall"
	"unsafe"
)

// mapped is an input file mapped read-only into memory instead of read:
// composing large components then neither copies them into the heap nor
// touches the parts that are only copied to the output (see fileOut).
type mapped struct {
	b []byte
	f *os.File // nil when the file was read
}

// readMapped maps a file, or reads it when it cannot be mapped (empty,
// not a regular file). release unmaps and closes it; the bytes must not
// be used after.
func readMapped(path string) (m mapped, release func(), err error) {
	f, err := os.Open(path)
	if err != nil {
		return mapped{}, nil, err
	}
	st, err := f.Stat()
	if err == nil && st.Mode().IsRegular() && st.Size() > 0 && st.Size() == int64(int(st.Size())) {
		if b, err := syscall.Mmap(int(f.Fd()), 0, int(st.Size()), syscall.PROT_READ, syscall.MAP_SHARED); err == nil {
			return mapped{b: b, f: f}, func() { syscall.Munmap(b); f.Close() }, nil
		}
	}
	f.Close()
	b, err := os.ReadFile(path)
	return mapped{b: b}, func() {}, err
}

// fileOut writes a composition to a file, copying the slices of mapped
// inputs it nests from file to file in the kernel (copy_file_range or
// sendfile, through os.File.ReadFrom), so they never pass through the
// process.
type fileOut struct {
	*os.File
	inputs []mapped
}

func (o *fileOut) WriteRaw(raw []byte) (bool, error) {
	for _, in := range o.inputs {
		off, ok := within(in.b, raw)
		if !ok || in.f == nil {
			continue
		}
		if _, err := in.f.Seek(int64(off), io.SeekStart); err != nil {
			return false, nil
		}
		n, err := o.File.ReadFrom(&io.LimitedReader{R: in.f, N: int64(len(raw))})
		if err == nil && n != int64(len(raw)) {
			err = io.ErrUnexpectedEOF
		}
		return true, err
	}
	return false, nil
}

// within reports whether sub is a slice of b, and at which offset.
func within(b, sub []byte) (int, bool) {
	if len(b) == 0 || len(sub) == 0 {
		return 0, false
	}
	start, end := uintptr(unsafe.Pointer(unsafe.SliceData(b))), uintptr(unsafe.Pointer(unsafe.SliceData(sub)))
	if end < start || end+uintptr(len(sub)) > start+uintptr(len(b)) {
		return 0, false
	}
	return int(end - start), true
}
