package wasi

import (
	"context"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/witc-dev/witc/canonabi"
	"github.com/witc-dev/witc/host"
)

// wasi:filesystem 0.3's types: 0.2's descriptors (the same *descriptor
// objects, in the same table, inside the same os.Root of each granted
// directory, with the same refusals), behind a resource type of their
// own. Most functions are 0.2's Go functions, their results converted:
// error-code lost would-block (every case after access moves down one)
// and gained other(option<string>); descriptor-type lost unknown (now
// other(none)); descriptor-stat's timestamps and new-timestamp's are
// system-clock instants (signed seconds).
//
// The functions typed `async func` are defined inline (host.Linker.Func,
// run on the guest's goroutine), sync and sync-data included: each is one
// file-system call on a local directory, and a host function on a
// goroutine of its own costs more than most of these calls (Linker.
// AsyncFunc would let an fsync on a slow disk leave the guest's other
// tasks running; no command of the tests needs it). The four functions
// that return streams (read-via-stream, write-via-stream, append-via-
// stream, read-directory) return at once and copy on a copier goroutine
// (state.goCopy), which resolves the future when the copy ends: a
// failure, such as a write through a descriptor not opened for writing,
// is the future's error.
//
// A descriptor the guest drops while a stream copies its file (a guest
// may drop it as soon as it has the stream) is closed when the last such
// copy ends (fileUsers), not at once as in 0.2.
//
// One refusal has another code than in 0.2: a write (a write or append
// stream, set-size) through a file descriptor not opened for writing is
// bad-descriptor, as a POSIX write to a file opened read-only (EBADF) and
// as Wasmtime's p3 tests expect, where 0.2 says read-only.

// fsErrorOther is error-code's other(option<string>) case in 0.3.
const fsErrorOther = 36

// errorCode3 is a 0.2 error-code as wasi:filesystem 0.3's error-code.
type errorCode3 errorCode

func (c errorCode3) Error() string { return errorCode(c).Error() }

func (c errorCode3) errValue() canonabi.Value {
	switch {
	case c == 0: // access
		return canonabi.Variant{Case: 0}
	case errorCode(c) > ecCrossDevice: // not a 0.2 case: other(none)
		return canonabi.Variant{Case: fsErrorOther, Payload: canonabi.Variant{Case: 0}}
	}
	return canonabi.Variant{Case: uint32(c) - 1} // after would-block
}

// err3 is err with a 0.2 error-code made a 0.3 one; other errors (which
// trap) are left as they are.
func err3(err error) error {
	if c, ok := err.(errorCode); ok {
		return errorCode3(c)
	}
	return err
}

// r3 is a 0.2 function's result with its error made a 0.3 one.
func r3[T any](v T, err error) (T, error) { return v, err3(err) }

// errValue3 is the `result<_, error-code>` of err, a 0.2 error-code or
// an error of the host's file system.
func errValue3(err error) canonabi.Value {
	c, ok := err.(errorCode)
	if !ok {
		c = codeOf(err)
	}
	return canonabi.Variant{Case: 1, Payload: errorCode3(c).errValue()}
}

// descriptorType3 is a 0.2 descriptor-type as 0.3's.
type descriptorType3 descriptorType

func (t descriptorType3) value() canonabi.Value {
	if descriptorType(t) == dtUnknown {
		return canonabi.Variant{Case: 7, Payload: canonabi.Variant{Case: 0}} // other(none)
	}
	return canonabi.Variant{Case: uint32(t) - 1}
}

// descriptorStat3 is 0.3's descriptor-stat: 0.2's (the three timestamps
// are the modification time) with instants.
type descriptorStat3 descriptorStat

func (st descriptorStat3) value() canonabi.Value {
	t := some(instant{int64(st.modified.seconds), st.modified.nanoseconds}).value()
	return canonabi.Record{descriptorType3(st.typ).value(), st.linkCount, st.size, t, t, t}
}

func stat3(st descriptorStat, err error) (descriptorStat3, error) {
	return descriptorStat3(st), err3(err)
}

// newTimestamp3 is a 0.3 new-timestamp: no-change (the zero time), now,
// or timestamp(instant).
func newTimestamp3(v canonabi.Value) newTimestamp {
	nt, _ := v.(canonabi.Variant)
	switch nt.Case {
	case 1:
		return newTimestamp{time.Now()}
	case 2:
		if r, ok := nt.Payload.(canonabi.Record); ok && len(r) == 2 {
			sec, _ := r[0].(int64)
			nsec, _ := r[1].(uint32)
			return newTimestamp{time.Unix(sec, int64(nsec))}
		}
	}
	return newTimestamp{}
}

// writable3 refuses writes through a file descriptor not opened for
// writing (bad-descriptor) or through a directory (is-directory).
func writable3(d *descriptor) error {
	switch {
	case d.file == nil:
		return ecIsDirectory
	case d.readOnly:
		return ecBadDesc
	}
	return nil
}

// fileUsers counts, for each descriptor whose file streams copy, the
// copies that use it; dropped are those the guest dropped meanwhile, to
// be closed by the last copy.
var fileUsers = struct {
	sync.Mutex
	n       map[*descriptor]int
	dropped map[*descriptor]bool
}{n: map[*descriptor]int{}, dropped: map[*descriptor]bool{}}

// useFile marks d's file used by a copy until the function it returns
// is called.
func useFile(d *descriptor) (release func()) {
	fileUsers.Lock()
	defer fileUsers.Unlock()
	fileUsers.n[d]++
	return func() {
		fileUsers.Lock()
		defer fileUsers.Unlock()
		if fileUsers.n[d]--; fileUsers.n[d] > 0 {
			return
		}
		delete(fileUsers.n, d)
		if fileUsers.dropped[d] {
			delete(fileUsers.dropped, d)
			d.file.Close()
		}
	}
}

// dropDescriptor3 drops a 0.3 descriptor: 0.2's drop, unless copies use
// its file, which the last one closes.
func (s *state) dropDescriptor3(rep uint32) {
	d, err := s.descs.get(rep)
	if err == nil && d.file != nil {
		fileUsers.Lock()
		busy := fileUsers.n[d] > 0
		if busy {
			fileUsers.dropped[d] = true
		}
		fileUsers.Unlock()
		if busy {
			s.descs.drop(rep)
			return
		}
	}
	s.dropDescriptor(rep)
}

func (s *state) registerFilesystemTypes3(r *registrar) *host.ResourceType {
	descT := r.resource("descriptor", s.dropDescriptor3)
	// as3 is a descriptor handed out by 0.2's open-at as a 0.3 one.
	as3 := func(h host.Resource, err error) (host.Resource, error) {
		if err != nil {
			return host.Resource{}, err3(err)
		}
		h.Type = descT
		return h, nil
	}
	const d = "[method]descriptor."
	r.raw(d+"read-via-stream", s.readViaStream3(r, d+"read-via-stream"))
	r.raw(d+"write-via-stream", s.writeViaStream3(r, d+"write-via-stream", false))
	r.raw(d+"append-via-stream", s.writeViaStream3(r, d+"append-via-stream", true))
	do4(r, d+"advise", func(d *descriptor, off, n uint64, a advice) error { return err3(advise(d, off, n, a)) })
	do1(r, d+"sync-data", func(d *descriptor) error { return err3(syncFile(d)) })
	fn1(r, d+"get-flags", func(d *descriptor) (descriptorFlags, error) { return r3(getFlags(d)) })
	fn1(r, d+"get-type", func(d *descriptor) (descriptorType3, error) {
		t, err := getType(d)
		return descriptorType3(t), err3(err)
	})
	do2(r, d+"set-size", func(d *descriptor, size uint64) error {
		if err := writable3(d); err != nil {
			return err3(err)
		}
		return err3(setSize(d, size))
	})
	r.raw(d+"set-times", s.descCall(func(d *descriptor, args []canonabi.Value) error {
		return chtimes(d, d.rel, newTimestamp3(args[0]), newTimestamp3(args[1]))
	}))
	r.raw(d+"read-directory", s.readDirectory3(r, d+"read-directory"))
	do1(r, d+"sync", func(d *descriptor) error { return err3(syncFile(d)) })
	do2(r, d+"create-directory-at", func(d *descriptor, p string) error { return err3(createDirectoryAt(d, p)) })
	fn1(r, d+"stat", func(d *descriptor) (descriptorStat3, error) { return stat3(stat(d)) })
	fn3(r, d+"stat-at", func(d *descriptor, pf pathFlags, p string) (descriptorStat3, error) {
		return stat3(statAt(d, pf, p))
	})
	r.raw(d+"set-times-at", s.descCall(func(d *descriptor, args []canonabi.Value) error {
		p, _ := args[1].(string)
		return chtimes(d, join(d, p), newTimestamp3(args[2]), newTimestamp3(args[3]))
	}))
	do5(r, d+"link-at", func(d *descriptor, pf pathFlags, from string, nd *descriptor, to string) error {
		return err3(linkAt(d, pf, from, nd, to))
	})
	fn5(r, d+"open-at", func(d *descriptor, pf pathFlags, p string, of openFlags, df descriptorFlags) (host.Resource, error) {
		return as3(s.openAt(d, pf, p, of, df))
	})
	fn2(r, d+"readlink-at", func(d *descriptor, p string) (string, error) { return r3(readlinkAt(d, p)) })
	do2(r, d+"remove-directory-at", func(d *descriptor, p string) error { return err3(removeDirectoryAt(d, p)) })
	do4(r, d+"rename-at", func(d *descriptor, from string, nd *descriptor, to string) error {
		return err3(renameAt(d, from, nd, to))
	})
	do3(r, d+"symlink-at", func(d *descriptor, target, p string) error { return err3(symlinkAt(d, target, p)) })
	do2(r, d+"unlink-file-at", func(d *descriptor, p string) error { return err3(unlinkFileAt(d, p)) })
	fn2(r, d+"is-same-object", isSameObject)
	fn1(r, d+"metadata-hash", func(d *descriptor) (metadataHashValue, error) { return r3(metadataHash(d)) })
	fn3(r, d+"metadata-hash-at", func(d *descriptor, pf pathFlags, p string) (metadataHashValue, error) {
		return r3(metadataHashAt(d, pf, p))
	})
	return descT
}

// descArg is the descriptor a call borrows as argument i.
func (s *state) descArg(args []canonabi.Value, i int) (*descriptor, error) {
	h, ok := args[i].(host.Resource)
	if !ok {
		return nil, fmt.Errorf("wasi: argument %d is a %T, not a descriptor", i, args[i])
	}
	return s.descs.get(h.Rep)
}

// descCall is a method returning `result<_, error-code>` whose other
// arguments f takes as canonabi values (those of types the fn helpers do
// not take: 0.3's new-timestamp).
func (s *state) descCall(f func(d *descriptor, args []canonabi.Value) error) host.HostFunc {
	return func(_ context.Context, args []canonabi.Value) ([]canonabi.Value, error) {
		d, err := s.descArg(args, 0)
		if err != nil {
			return nil, err
		}
		if err := f(d, args[1:]); err != nil {
			return []canonabi.Value{errValue3(err)}, nil
		}
		return []canonabi.Value{okResult}, nil
	}
}

// fsResult is the `result<_, error-code>` of a copy that ended with err
// (nil: ok).
func fsResult(err error) canonabi.Value {
	if err != nil {
		return errValue3(err)
	}
	return okResult
}

// readViaStream3 is read-via-stream: the file from the offset on, copied
// into a new stream; the future resolves at the file's end (or a failure
// to read it). A guest that drops the stream ends the copy, which is no
// error.
func (s *state) readViaStream3(r *registrar, name string) host.HostFunc {
	streamT, futT := streamTypes(r.function(name).Result)
	return func(_ context.Context, args []canonabi.Value) ([]canonabi.Value, error) {
		d, err := s.descArg(args, 0)
		if err != nil {
			return nil, err
		}
		off, _ := args[1].(uint64)
		release := useFile(d)
		return []canonabi.Value{s.streamOut(streamT, futT, func(sw *host.StreamWriter) error {
			defer release()
			switch {
			case d.file == nil:
				return ecIsDirectory
			case off < 1<<62:
				_, err := io.Copy(sw, io.NewSectionReader(d.file, int64(off), 1<<62))
				return err
			}
			return nil
		}, fsResult)}, nil
	}
}

// writeViaStream3 is write-via-stream (from the offset argument on) and
// append-via-stream (from the file's end when the copy starts): the
// guest's stream is copied into the file until the guest drops it, then
// the future resolves. It takes up to 256 KiB of the guest's writes at
// once (io.Copy's 32 KiB would split a guest's 64 KiB write in two). A
// refused write drops the stream unread.
func (s *state) writeViaStream3(r *registrar, name string, appending bool) host.HostFunc {
	futT := elemOf(r.function(name).Result)
	return func(_ context.Context, args []canonabi.Value) ([]canonabi.Value, error) {
		d, err := s.descArg(args, 0)
		if err != nil {
			return nil, err
		}
		data, err := argReader(args, 1)
		if err != nil {
			return nil, err
		}
		var off uint64
		if !appending {
			off, _ = args[2].(uint64)
		}
		release := useFile(d)
		fr := s.streamIn(futT, data, func(data *host.StreamReader) error {
			defer release()
			err := writable3(d)
			if err == nil && appending {
				var fi os.FileInfo
				if fi, err = d.file.Stat(); err == nil {
					off = uint64(fi.Size())
				}
			}
			if err == nil && off >= 1<<62 {
				err = ecInvalid
			}
			if err == nil {
				_, err = io.CopyBuffer(&offsetWriter{f: d.file, off: int64(off)}, data, make([]byte, 1<<18))
			}
			return err
		}, fsResult)
		return []canonabi.Value{fr}, nil
	}
}

// dirBatch is how many entries read-directory reads and writes at once.
const dirBatch = 64

// readDirectory3 is read-directory: the directory's entries (without "."
// and ".."), read and written to a new stream in batches; the future
// resolves after the last one.
func (s *state) readDirectory3(r *registrar, name string) host.HostFunc {
	streamT, futT := streamTypes(r.function(name).Result)
	return func(_ context.Context, args []canonabi.Value) ([]canonabi.Value, error) {
		d, err := s.descArg(args, 0)
		if err != nil {
			return nil, err
		}
		return []canonabi.Value{s.streamOut(streamT, futT, func(sw *host.StreamWriter) error {
			return copyEntries(d, sw)
		}, fsResult)}, nil
	}
}

// copyEntries writes the entries of directory d to sw (streamOut takes a
// guest that drops the stream for no error).
func copyEntries(d *descriptor, sw *host.StreamWriter) error {
	if !d.dir {
		return ecNotDirectory
	}
	f, err := d.root.Open(d.rel)
	if err != nil {
		return err
	}
	defer f.Close()
	for {
		ents, err := f.ReadDir(dirBatch)
		if len(ents) > 0 {
			// 0.2's read-directory-entry names each entry's type.
			ds := &dirStream{ents: ents}
			vals := make([]canonabi.Value, 0, len(ents))
			for e, _ := readDirectoryEntry(ds); e.some; e, _ = readDirectoryEntry(ds) {
				vals = append(vals, canonabi.Record{descriptorType3(e.v.typ).value(), e.v.name})
			}
			if _, err := sw.WriteValues(vals); err != nil {
				return err
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}
