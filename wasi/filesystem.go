package wasi

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"io/fs"
	"os"
	"path"
	"syscall"
	"time"

	"github.com/witc-dev/witc/canonabi"
	"github.com/witc-dev/witc/host"
)

// Dir grants the guest access to a host directory, seen at GuestPath.
type Dir struct {
	HostPath  string
	GuestPath string
	ReadOnly  bool
}

// descriptor is an open file or directory inside a granted directory.
type descriptor struct {
	root     *os.Root
	rel      string // path inside root ("." for the root)
	dir      bool
	readOnly bool
	file     *os.File // files only
}

// error-code cases (wasi:filesystem/types).
const (
	ecAccess       = 0
	ecBadDesc      = 3
	ecExist        = 7
	ecInvalid      = 12
	ecIO           = 13
	ecIsDirectory  = 14
	ecNoEntry      = 20
	ecNotDirectory = 24
	ecNotEmpty     = 25
	ecUnsupported  = 27
	ecNotPermitted = 31
	ecReadOnly     = 33
	ecCrossDevice  = 36
)

// descriptor-type cases.
const (
	dtUnknown   = 0
	dtDirectory = 3
	dtSymlink   = 5
	dtRegular   = 6
)

func errorCode(err error) uint32 {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return ecNoEntry
	case errors.Is(err, fs.ErrExist):
		return ecExist
	case errors.Is(err, fs.ErrPermission):
		return ecAccess
	case errors.Is(err, syscall.ENOTDIR):
		return ecNotDirectory
	case errors.Is(err, syscall.EISDIR):
		return ecIsDirectory
	case errors.Is(err, syscall.ENOTEMPTY):
		return ecNotEmpty
	case errors.Is(err, syscall.EINVAL):
		return ecInvalid
	}
	var pe *fs.PathError
	if errors.As(err, &pe) && pe.Err != nil && pe.Err.Error() == "path escapes from parent" {
		return ecNotPermitted
	}
	return ecIO
}

func fsErr(err error) canonabi.Value {
	return canonabi.Variant{Case: 1, Payload: canonabi.Variant{Case: errorCode(err)}}
}

func fsErrCode(c uint32) canonabi.Value {
	return canonabi.Variant{Case: 1, Payload: canonabi.Variant{Case: c}}
}

func datetime(t time.Time) canonabi.Value {
	return some(canonabi.Record{uint64(t.Unix()), uint32(t.Nanosecond())})
}

func statOf(fi fs.FileInfo) canonabi.Value {
	typ := uint32(dtUnknown)
	switch {
	case fi.IsDir():
		typ = dtDirectory
	case fi.Mode()&fs.ModeSymlink != 0:
		typ = dtSymlink
	case fi.Mode().IsRegular():
		typ = dtRegular
	}
	return canonabi.Record{canonabi.Variant{Case: typ}, uint64(1), uint64(fi.Size()),
		datetime(fi.ModTime()), datetime(fi.ModTime()), datetime(fi.ModTime())}
}

func flagSet(v canonabi.Value, bit int) bool {
	f, _ := v.(canonabi.Flags)
	return f.Has(bit)
}

// join resolves a guest path against a directory descriptor; paths stay
// inside the root (os.Root refuses escapes).
func join(d *descriptor, p string) string {
	if path.IsAbs(p) {
		return "\x00" // absolute paths are not allowed: os.Root rejects the NUL
	}
	return path.Join(d.rel, p)
}

func (s *state) registerFilesystem(l *host.Linker) {
	types := iface("wasi:filesystem/types")
	s.descT = l.Resource(types, "descriptor", func(rep uint32) {
		if d, err := s.descs.get(rep); err == nil && d.file != nil {
			d.file.Close()
		}
		s.descs.drop(rep)
	})
	s.dirStreamT = l.Resource(types, "directory-entry-stream", s.dirStreams.drop)
	l.Alias(iface("wasi:filesystem/preopens"), "descriptor", s.descT)

	l.Func(iface("wasi:filesystem/preopens"), "get-directories", func(context.Context, []canonabi.Value) ([]canonabi.Value, error) {
		out := canonabi.List{}
		for _, p := range s.preopens {
			out = append(out, canonabi.Tuple{host.Resource{Type: s.descT, Rep: s.descs.add(p.desc), Own: true}, p.guest})
		}
		return one(out)
	})
	l.Func(types, "filesystem-error-code", func(context.Context, []canonabi.Value) ([]canonabi.Value, error) {
		return one(none())
	})
	desc := func(v canonabi.Value) (*descriptor, error) { return s.descs.get(rep(v)) }
	method := func(name string, fn func(d *descriptor, a []canonabi.Value) canonabi.Value) {
		l.Func(types, "[method]descriptor."+name, func(_ context.Context, a []canonabi.Value) ([]canonabi.Value, error) {
			d, err := desc(a[0])
			if err != nil {
				return nil, err
			}
			return one(fn(d, a))
		})
	}
	method("get-type", func(d *descriptor, _ []canonabi.Value) canonabi.Value {
		if d.dir {
			return ok(canonabi.Variant{Case: dtDirectory})
		}
		return ok(canonabi.Variant{Case: dtRegular})
	})
	method("get-flags", func(d *descriptor, _ []canonabi.Value) canonabi.Value {
		f := uint32(1) // read
		if !d.readOnly {
			f |= 1<<1 | 1<<5 // write, mutate-directory
		}
		return ok(canonabi.Flags{f})
	})
	method("stat", func(d *descriptor, _ []canonabi.Value) canonabi.Value {
		fi, err := d.root.Stat(d.rel)
		if err != nil {
			return fsErr(err)
		}
		return ok(statOf(fi))
	})
	method("stat-at", func(d *descriptor, a []canonabi.Value) canonabi.Value {
		p := join(d, a[2].(string))
		var fi fs.FileInfo
		var err error
		if flagSet(a[1], 0) {
			fi, err = d.root.Stat(p)
		} else {
			fi, err = d.root.Lstat(p)
		}
		if err != nil {
			return fsErr(err)
		}
		return ok(statOf(fi))
	})
	method("open-at", func(d *descriptor, a []canonabi.Value) canonabi.Value {
		if !d.dir {
			return fsErrCode(ecNotDirectory)
		}
		p := join(d, a[2].(string))
		create, wantDir, excl, trunc := flagSet(a[3], 0), flagSet(a[3], 1), flagSet(a[3], 2), flagSet(a[3], 3)
		write := flagSet(a[4], 1)
		if (create || trunc || write) && d.readOnly {
			return fsErrCode(ecReadOnly)
		}
		fi, err := d.root.Stat(p)
		if err == nil && fi.IsDir() {
			if write {
				return fsErrCode(ecIsDirectory)
			}
			nd := &descriptor{root: d.root, rel: p, dir: true, readOnly: d.readOnly}
			return ok(host.Resource{Type: s.descT, Rep: s.descs.add(nd), Own: true})
		}
		if wantDir {
			if err != nil {
				return fsErr(err)
			}
			return fsErrCode(ecNotDirectory)
		}
		flags := os.O_RDONLY
		if write {
			flags = os.O_RDWR
		}
		if create {
			flags |= os.O_CREATE
		}
		if excl {
			flags |= os.O_EXCL
		}
		if trunc {
			flags |= os.O_TRUNC
		}
		f, err := d.root.OpenFile(p, flags, 0o644)
		if err != nil {
			return fsErr(err)
		}
		nd := &descriptor{root: d.root, rel: p, readOnly: d.readOnly || !write, file: f}
		return ok(host.Resource{Type: s.descT, Rep: s.descs.add(nd), Own: true})
	})
	method("read-via-stream", func(d *descriptor, a []canonabi.Value) canonabi.Value {
		if d.file == nil {
			return fsErrCode(ecIsDirectory)
		}
		off, _ := a[1].(uint64)
		r := io.NewSectionReader(d.file, int64(off), 1<<62)
		return ok(host.Resource{Type: s.inputT, Rep: s.inputs.add(r), Own: true})
	})
	writeStream := func(d *descriptor, off int64) canonabi.Value {
		if d.file == nil {
			return fsErrCode(ecIsDirectory)
		}
		if d.readOnly {
			return fsErrCode(ecReadOnly)
		}
		w := &offsetWriter{f: d.file, off: off}
		return ok(host.Resource{Type: s.outputT, Rep: s.outputs.add(w), Own: true})
	}
	method("write-via-stream", func(d *descriptor, a []canonabi.Value) canonabi.Value {
		off, _ := a[1].(uint64)
		return writeStream(d, int64(off))
	})
	method("append-via-stream", func(d *descriptor, _ []canonabi.Value) canonabi.Value {
		if d.file == nil {
			return fsErrCode(ecIsDirectory)
		}
		fi, err := d.file.Stat()
		if err != nil {
			return fsErr(err)
		}
		return writeStream(d, fi.Size())
	})
	method("read", func(d *descriptor, a []canonabi.Value) canonabi.Value {
		if d.file == nil {
			return fsErrCode(ecIsDirectory)
		}
		n, _ := a[1].(uint64)
		off, _ := a[2].(uint64)
		if n > 1<<24 {
			n = 1 << 24
		}
		buf := make([]byte, n)
		m, err := d.file.ReadAt(buf, int64(off))
		if err != nil && err != io.EOF {
			return fsErr(err)
		}
		return ok(canonabi.Tuple{listOf(buf[:m]), err == io.EOF || m == 0})
	})
	method("write", func(d *descriptor, a []canonabi.Value) canonabi.Value {
		if d.file == nil {
			return fsErrCode(ecIsDirectory)
		}
		if d.readOnly {
			return fsErrCode(ecReadOnly)
		}
		off, _ := a[2].(uint64)
		n, err := d.file.WriteAt(bytesOf(a[1]), int64(off))
		if err != nil {
			return fsErr(err)
		}
		return ok(uint64(n))
	})
	for _, name := range []string{"sync", "sync-data"} {
		method(name, func(d *descriptor, _ []canonabi.Value) canonabi.Value {
			if d.file != nil {
				d.file.Sync()
			}
			return ok(nil)
		})
	}
	method("advise", func(*descriptor, []canonabi.Value) canonabi.Value { return ok(nil) })
	method("read-directory", func(d *descriptor, _ []canonabi.Value) canonabi.Value {
		if !d.dir {
			return fsErrCode(ecNotDirectory)
		}
		f, err := d.root.Open(d.rel)
		if err != nil {
			return fsErr(err)
		}
		defer f.Close()
		ents, err := f.ReadDir(-1)
		if err != nil {
			return fsErr(err)
		}
		return ok(host.Resource{Type: s.dirStreamT, Rep: s.dirStreams.add(&dirStream{ents: ents}), Own: true})
	})
	mutate := func(name string, fn func(d *descriptor, p string) error) {
		method(name, func(d *descriptor, a []canonabi.Value) canonabi.Value {
			if d.readOnly {
				return fsErrCode(ecReadOnly)
			}
			if err := fn(d, join(d, a[1].(string))); err != nil {
				return fsErr(err)
			}
			return ok(nil)
		})
	}
	mutate("create-directory-at", func(d *descriptor, p string) error { return d.root.Mkdir(p, 0o755) })
	mutate("remove-directory-at", func(d *descriptor, p string) error { return d.root.Remove(p) })
	mutate("unlink-file-at", func(d *descriptor, p string) error {
		if fi, err := d.root.Lstat(p); err == nil && fi.IsDir() {
			return syscall.EISDIR
		}
		return d.root.Remove(p)
	})
	method("symlink-at", func(d *descriptor, a []canonabi.Value) canonabi.Value {
		if d.readOnly {
			return fsErrCode(ecReadOnly)
		}
		// The link's target is kept as given: os.Root refuses to follow it
		// out of the directory later.
		if err := d.root.Symlink(a[1].(string), join(d, a[2].(string))); err != nil {
			return fsErr(err)
		}
		return ok(nil)
	})
	method("readlink-at", func(d *descriptor, a []canonabi.Value) canonabi.Value {
		target, err := d.root.Readlink(join(d, a[1].(string)))
		if err != nil {
			return fsErr(err)
		}
		return ok(target)
	})
	// rename-at and link-at work inside one granted directory: across two
	// they are a cross-device operation.
	twoPaths := func(name string, oldArg int, fn func(root *os.Root, from, to string) error) {
		method(name, func(d *descriptor, a []canonabi.Value) canonabi.Value {
			nd, err := desc(a[oldArg+1])
			if err != nil {
				return fsErrCode(ecBadDesc)
			}
			if d.readOnly || nd.readOnly {
				return fsErrCode(ecReadOnly)
			}
			if nd.root != d.root {
				return fsErrCode(ecCrossDevice)
			}
			if err := fn(d.root, join(d, a[oldArg].(string)), join(nd, a[oldArg+2].(string))); err != nil {
				return fsErr(err)
			}
			return ok(nil)
		})
	}
	twoPaths("rename-at", 1, func(root *os.Root, from, to string) error { return root.Rename(from, to) })
	twoPaths("link-at", 2, func(root *os.Root, from, to string) error { return root.Link(from, to) })
	method("set-size", func(d *descriptor, a []canonabi.Value) canonabi.Value {
		if d.file == nil {
			return fsErrCode(ecIsDirectory)
		}
		if d.readOnly {
			return fsErrCode(ecReadOnly)
		}
		size, _ := a[1].(uint64)
		if size > 1<<62 {
			return fsErrCode(ecInvalid)
		}
		if err := d.file.Truncate(int64(size)); err != nil {
			return fsErr(err)
		}
		return ok(nil)
	})
	setTimes := func(d *descriptor, p string, atim, mtim canonabi.Value) canonabi.Value {
		if d.readOnly {
			return fsErrCode(ecReadOnly)
		}
		at, mt := newTimestamp(atim), newTimestamp(mtim)
		if err := d.root.Chtimes(p, at, mt); err != nil {
			return fsErr(err)
		}
		return ok(nil)
	}
	method("set-times", func(d *descriptor, a []canonabi.Value) canonabi.Value {
		return setTimes(d, d.rel, a[1], a[2])
	})
	method("set-times-at", func(d *descriptor, a []canonabi.Value) canonabi.Value {
		return setTimes(d, join(d, a[2].(string)), a[3], a[4])
	})
	// metadata-hash: the same for the same file (the adapter uses it for
	// inode numbers): a hash of the root and the path inside it.
	hash := func(d *descriptor, p string) canonabi.Value {
		h := fnv.New128a()
		fmt.Fprintf(h, "%p\x00%s", d.root, p)
		sum := h.Sum(nil)
		return ok(canonabi.Record{binary.LittleEndian.Uint64(sum[:8]), binary.LittleEndian.Uint64(sum[8:])})
	}
	method("metadata-hash", func(d *descriptor, _ []canonabi.Value) canonabi.Value { return hash(d, d.rel) })
	method("metadata-hash-at", func(d *descriptor, a []canonabi.Value) canonabi.Value {
		p := join(d, a[2].(string))
		if _, err := d.root.Lstat(p); err != nil {
			return fsErr(err)
		}
		return hash(d, p)
	})
	l.Func(types, "[method]descriptor.is-same-object", func(_ context.Context, a []canonabi.Value) ([]canonabi.Value, error) {
		x, err1 := desc(a[0])
		y, err2 := desc(a[1])
		return one(err1 == nil && err2 == nil && x.root == y.root && x.rel == y.rel)
	})
	l.Func(types, "[method]directory-entry-stream.read-directory-entry", func(_ context.Context, a []canonabi.Value) ([]canonabi.Value, error) {
		ds, err := s.dirStreams.get(rep(a[0]))
		if err != nil {
			return nil, err
		}
		if len(ds.ents) == 0 {
			return one(ok(none()))
		}
		e := ds.ents[0]
		ds.ents = ds.ents[1:]
		typ := uint32(dtRegular)
		switch {
		case e.IsDir():
			typ = dtDirectory
		case e.Type()&fs.ModeSymlink != 0:
			typ = dtSymlink
		case !e.Type().IsRegular():
			typ = dtUnknown
		}
		return one(ok(some(canonabi.Record{canonabi.Variant{Case: typ}, e.Name()})))
	})
}

// newTimestamp reads a new-timestamp: no-change (the zero time, which
// Chtimes leaves alone), now, or a datetime.
func newTimestamp(v canonabi.Value) time.Time {
	nt, _ := v.(canonabi.Variant)
	switch nt.Case {
	case 1:
		return time.Now()
	case 2:
		if r, ok := nt.Payload.(canonabi.Record); ok && len(r) == 2 {
			sec, _ := r[0].(uint64)
			nsec, _ := r[1].(uint32)
			return time.Unix(int64(sec), int64(nsec))
		}
	}
	return time.Time{}
}

type dirStream struct{ ents []fs.DirEntry }

// offsetWriter writes a file from an offset on (a write-via-stream).
type offsetWriter struct {
	f   *os.File
	off int64
}

func (w *offsetWriter) Write(b []byte) (int, error) {
	n, err := w.f.WriteAt(b, w.off)
	w.off += int64(n)
	return n, err
}

type preopen struct {
	desc  *descriptor
	guest string
}

// openDirs opens the granted directories.
func openDirs(dirs []Dir) ([]preopen, error) {
	var out []preopen
	for _, d := range dirs {
		root, err := os.OpenRoot(d.HostPath)
		if err != nil {
			return nil, err
		}
		g := d.GuestPath
		if g == "" {
			g = d.HostPath
		}
		out = append(out, preopen{desc: &descriptor{root: root, rel: ".", dir: true, readOnly: d.ReadOnly}, guest: g})
	}
	return out, nil
}
