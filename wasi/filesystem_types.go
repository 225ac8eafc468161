package wasi

import (
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

// wasi:filesystem/types: descriptors of files and directories inside the
// granted directories (Config.Dirs). Every path is resolved inside an
// os.Root, which refuses to leave it (through "..", an absolute path or a
// symbolic link); a directory granted read-only refuses every change.

func (s *state) registerFilesystemTypes(r *registrar) {
	s.descT = r.resource("descriptor", s.dropDescriptor)
	s.dirStreamT = r.resource("directory-entry-stream", s.dirStreams.drop)
	r.alias("input-stream", s.inputT)
	r.alias("output-stream", s.outputT)
	r.alias("error", s.errorT)

	const d = "[method]descriptor."
	fn2(r, d+"read-via-stream", s.readViaStream)
	fn2(r, d+"write-via-stream", s.writeViaStream)
	fn1(r, d+"append-via-stream", s.appendViaStream)
	do4(r, d+"advise", advise)
	do1(r, d+"sync-data", syncFile)
	fn1(r, d+"get-flags", getFlags)
	fn1(r, d+"get-type", getType)
	do2(r, d+"set-size", setSize)
	do3(r, d+"set-times", setTimes)
	fn3(r, d+"read", readAt)
	fn3(r, d+"write", writeAt)
	fn1(r, d+"read-directory", s.readDirectory)
	do1(r, d+"sync", syncFile)
	do2(r, d+"create-directory-at", createDirectoryAt)
	fn1(r, d+"stat", stat)
	fn3(r, d+"stat-at", statAt)
	do5(r, d+"set-times-at", setTimesAt)
	do5(r, d+"link-at", linkAt)
	fn5(r, d+"open-at", s.openAt)
	fn2(r, d+"readlink-at", readlinkAt)
	do2(r, d+"remove-directory-at", removeDirectoryAt)
	do4(r, d+"rename-at", renameAt)
	do3(r, d+"symlink-at", symlinkAt)
	do2(r, d+"unlink-file-at", unlinkFileAt)
	fn2(r, d+"is-same-object", isSameObject)
	fn1(r, d+"metadata-hash", metadataHash)
	fn3(r, d+"metadata-hash-at", metadataHashAt)
	fn1(r, "[method]directory-entry-stream.read-directory-entry", readDirectoryEntry)
	fn1(r, "filesystem-error-code", filesystemErrorCode)
}

// descriptor is the object behind a descriptor: an open file or directory
// inside a granted directory.
type descriptor struct {
	root     *os.Root
	rel      string // path inside root ("." for the root)
	dir      bool
	readOnly bool
	file     *os.File // files only
}

func (s *state) dropDescriptor(rep uint32) {
	if d, err := s.descs.get(rep); err == nil && d.file != nil {
		d.file.Close()
	}
	s.descs.drop(rep)
}

// join resolves a guest path against a directory descriptor; paths stay
// inside the root (os.Root refuses escapes).
func join(d *descriptor, p string) string {
	if path.IsAbs(p) {
		return "\x00" // absolute paths are not allowed: os.Root rejects the NUL
	}
	return path.Join(d.rel, p)
}

// errorCode is an error-code, the error of every descriptor operation.
type errorCode uint32

const (
	ecAccess       errorCode = 0
	ecBadDesc      errorCode = 3
	ecExist        errorCode = 7
	ecInvalid      errorCode = 12
	ecIO           errorCode = 13
	ecIsDirectory  errorCode = 14
	ecNoEntry      errorCode = 20
	ecNotDirectory errorCode = 24
	ecNotEmpty     errorCode = 25
	ecUnsupported  errorCode = 27
	ecNotPermitted errorCode = 31
	ecReadOnly     errorCode = 33
	ecCrossDevice  errorCode = 36
)

func (c errorCode) Error() string            { return fmt.Sprintf("error-code %d", uint32(c)) }
func (c errorCode) errValue() canonabi.Value { return canonabi.Variant{Case: uint32(c)} }
func (c errorCode) value() canonabi.Value    { return c.errValue() }

// codeOf is the error-code of an error of the host's filesystem.
func codeOf(err error) errorCode {
	const (
		ecLoop        errorCode = 15 // loop: too many symbolic links (os.Root follows at most 8)
		ecNameTooLong errorCode = 18 // name-too-long
	)
	switch {
	case errors.Is(err, syscall.ELOOP):
		return ecLoop
	case errors.Is(err, syscall.ENAMETOOLONG):
		return ecNameTooLong
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

// fsErr is err as an error-code, or nil.
func fsErr(err error) error {
	if err != nil {
		return codeOf(err)
	}
	return nil
}

// descriptorType is a descriptor-type.
type descriptorType uint32

const (
	dtUnknown   descriptorType = 0
	dtDirectory descriptorType = 3
	dtSymlink   descriptorType = 5
	dtRegular   descriptorType = 6
)

func (t descriptorType) value() canonabi.Value { return canonabi.Variant{Case: uint32(t)} }

func typeOf(m fs.FileMode) descriptorType {
	switch {
	case m.IsDir():
		return dtDirectory
	case m&fs.ModeSymlink != 0:
		return dtSymlink
	case m.IsRegular():
		return dtRegular
	}
	return dtUnknown
}

// flagWord is the first word of a flags value (each of these flags has
// fewer than 32 flags).
func flagWord(v canonabi.Value) uint32 {
	if f, _ := v.(canonabi.Flags); len(f) > 0 {
		return f[0]
	}
	return 0
}

// descriptorFlags are descriptor-flags.
type descriptorFlags uint32

const (
	flagRead descriptorFlags = 1 << iota
	flagWrite
	flagFileIntegritySync
	flagDataIntegritySync
	flagRequestedWriteSync
	flagMutateDirectory
)

func (f *descriptorFlags) fromValue(v canonabi.Value) { *f = descriptorFlags(flagWord(v)) }
func (f descriptorFlags) value() canonabi.Value       { return canonabi.Flags{uint32(f)} }

// pathFlags are path-flags.
type pathFlags uint32

const symlinkFollow pathFlags = 1

func (f *pathFlags) fromValue(v canonabi.Value) { *f = pathFlags(flagWord(v)) }

// openFlags are open-flags.
type openFlags uint32

const (
	openCreate openFlags = 1 << iota
	openDirectory
	openExclusive
	openTruncate
)

func (f *openFlags) fromValue(v canonabi.Value) { *f = openFlags(flagWord(v)) }

// advice is an advice; it is taken and ignored.
type advice uint32

func (a *advice) fromValue(v canonabi.Value) {
	c, _ := v.(canonabi.Variant)
	*a = advice(c.Case)
}

// newTimestamp is a new-timestamp: no-change (the zero time, which
// Chtimes leaves alone), now, or a datetime.
type newTimestamp struct{ t time.Time }

func (n *newTimestamp) fromValue(v canonabi.Value) {
	nt, _ := v.(canonabi.Variant)
	switch nt.Case {
	case 1:
		n.t = time.Now()
	case 2:
		if r, ok := nt.Payload.(canonabi.Record); ok && len(r) == 2 {
			sec, _ := r[0].(uint64)
			nsec, _ := r[1].(uint32)
			n.t = time.Unix(int64(sec), int64(nsec))
		}
	}
}

// descriptorStat is a descriptor-stat; the three timestamps are the
// modification time.
type descriptorStat struct {
	typ       descriptorType
	linkCount uint64
	size      uint64
	modified  datetime
}

func statOf(fi fs.FileInfo) descriptorStat {
	return descriptorStat{typ: typeOf(fi.Mode()), linkCount: 1, size: uint64(fi.Size()), modified: datetimeOf(fi.ModTime())}
}

func (st descriptorStat) value() canonabi.Value {
	t := some(st.modified).value()
	return canonabi.Record{st.typ.value(), st.linkCount, st.size, t, t, t}
}

// directoryEntry is a directory-entry.
type directoryEntry struct {
	typ  descriptorType
	name string
}

func (e directoryEntry) value() canonabi.Value { return canonabi.Record{e.typ.value(), e.name} }

// metadataHashValue is a metadata-hash-value.
type metadataHashValue struct{ lower, upper uint64 }

func (h metadataHashValue) value() canonabi.Value { return canonabi.Record{h.lower, h.upper} }

// dirStream is the object behind a directory-entry-stream: the entries
// not read yet.
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

// maxFileRead is the most one read of a file returns.
const maxFileRead = 1 << 24

func (s *state) readViaStream(d *descriptor, off uint64) (host.Resource, error) {
	if d.file == nil {
		return host.Resource{}, ecIsDirectory
	}
	r := io.NewSectionReader(d.file, int64(off), 1<<62)
	return own(s.inputT, s.inputs.add(r)), nil
}

func (s *state) writeViaStream(d *descriptor, off uint64) (host.Resource, error) {
	return s.writeStream(d, int64(off))
}

func (s *state) appendViaStream(d *descriptor) (host.Resource, error) {
	if d.file == nil {
		return host.Resource{}, ecIsDirectory
	}
	fi, err := d.file.Stat()
	if err != nil {
		return host.Resource{}, codeOf(err)
	}
	return s.writeStream(d, fi.Size())
}

func (s *state) writeStream(d *descriptor, off int64) (host.Resource, error) {
	if d.file == nil {
		return host.Resource{}, ecIsDirectory
	}
	if d.readOnly {
		return host.Resource{}, ecReadOnly
	}
	return own(s.outputT, s.outputs.add(&offsetWriter{f: d.file, off: off})), nil
}

func advise(*descriptor, uint64, uint64, advice) error { return nil }

// syncFile is sync and sync-data.
func syncFile(d *descriptor) error {
	if d.file != nil {
		d.file.Sync()
	}
	return nil
}

func getFlags(d *descriptor) (descriptorFlags, error) {
	if d.readOnly {
		return flagRead, nil
	}
	return flagRead | flagWrite | flagMutateDirectory, nil
}

func getType(d *descriptor) (descriptorType, error) {
	if d.dir {
		return dtDirectory, nil
	}
	return dtRegular, nil
}

func setSize(d *descriptor, size uint64) error {
	switch {
	case d.file == nil:
		return ecIsDirectory
	case d.readOnly:
		return ecReadOnly
	case size > 1<<62:
		return ecInvalid
	}
	return fsErr(d.file.Truncate(int64(size)))
}

func setTimes(d *descriptor, atim, mtim newTimestamp) error { return chtimes(d, d.rel, atim, mtim) }

func setTimesAt(d *descriptor, _ pathFlags, p string, atim, mtim newTimestamp) error {
	return chtimes(d, join(d, p), atim, mtim)
}

func chtimes(d *descriptor, p string, atim, mtim newTimestamp) error {
	if d.readOnly {
		return ecReadOnly
	}
	return fsErr(d.root.Chtimes(p, atim.t, mtim.t))
}

// readAt is read: at most maxFileRead bytes at off, and whether the end
// of the file was reached.
func readAt(d *descriptor, n, off uint64) (pair[[]byte, bool], error) {
	if d.file == nil {
		return pair[[]byte, bool]{}, ecIsDirectory
	}
	buf := make([]byte, min(n, maxFileRead))
	m, err := d.file.ReadAt(buf, int64(off))
	if err != nil && err != io.EOF {
		return pair[[]byte, bool]{}, codeOf(err)
	}
	return pair[[]byte, bool]{buf[:m], err == io.EOF || m == 0}, nil
}

// writeAt is write: buf at off.
func writeAt(d *descriptor, buf []byte, off uint64) (uint64, error) {
	switch {
	case d.file == nil:
		return 0, ecIsDirectory
	case d.readOnly:
		return 0, ecReadOnly
	}
	n, err := d.file.WriteAt(buf, int64(off))
	return uint64(n), fsErr(err)
}

func (s *state) readDirectory(d *descriptor) (host.Resource, error) {
	if !d.dir {
		return host.Resource{}, ecNotDirectory
	}
	f, err := d.root.Open(d.rel)
	if err != nil {
		return host.Resource{}, codeOf(err)
	}
	defer f.Close()
	ents, err := f.ReadDir(-1)
	if err != nil {
		return host.Resource{}, codeOf(err)
	}
	return own(s.dirStreamT, s.dirStreams.add(&dirStream{ents: ents})), nil
}

func readDirectoryEntry(ds *dirStream) (option[directoryEntry], error) {
	if len(ds.ents) == 0 {
		return option[directoryEntry]{}, nil
	}
	e := ds.ents[0]
	ds.ents = ds.ents[1:]
	typ := dtRegular
	switch {
	case e.IsDir():
		typ = dtDirectory
	case e.Type()&fs.ModeSymlink != 0:
		typ = dtSymlink
	case !e.Type().IsRegular():
		typ = dtUnknown
	}
	return some(directoryEntry{typ, e.Name()}), nil
}

func stat(d *descriptor) (descriptorStat, error) {
	fi, err := d.root.Stat(d.rel)
	if err != nil {
		return descriptorStat{}, codeOf(err)
	}
	return statOf(fi), nil
}

func statAt(d *descriptor, pf pathFlags, p string) (descriptorStat, error) {
	lookup := d.root.Lstat
	if pf&symlinkFollow != 0 {
		lookup = d.root.Stat
	}
	fi, err := lookup(join(d, p))
	if err != nil {
		return descriptorStat{}, codeOf(err)
	}
	return statOf(fi), nil
}

// openAt opens a file or directory; the path flags are not looked at
// (os.Root follows symbolic links that stay inside it).
func (s *state) openAt(d *descriptor, _ pathFlags, p string, of openFlags, df descriptorFlags) (host.Resource, error) {
	if !d.dir {
		return host.Resource{}, ecNotDirectory
	}
	p = join(d, p)
	write := df&flagWrite != 0
	if (of&(openCreate|openTruncate) != 0 || write) && d.readOnly {
		return host.Resource{}, ecReadOnly
	}
	fi, err := d.root.Stat(p)
	if err == nil && fi.IsDir() {
		if write {
			return host.Resource{}, ecIsDirectory
		}
		nd := &descriptor{root: d.root, rel: p, dir: true, readOnly: d.readOnly}
		return own(s.descT, s.descs.add(nd)), nil
	}
	if of&openDirectory != 0 {
		if err != nil {
			return host.Resource{}, codeOf(err)
		}
		return host.Resource{}, ecNotDirectory
	}
	flags := os.O_RDONLY
	if write {
		flags = os.O_RDWR
	}
	if of&openCreate != 0 {
		flags |= os.O_CREATE
	}
	if of&openExclusive != 0 {
		flags |= os.O_EXCL
	}
	if of&openTruncate != 0 {
		flags |= os.O_TRUNC
	}
	f, err := d.root.OpenFile(p, flags, 0o644)
	if err != nil {
		return host.Resource{}, codeOf(err)
	}
	nd := &descriptor{root: d.root, rel: p, readOnly: d.readOnly || !write, file: f}
	return own(s.descT, s.descs.add(nd)), nil
}

func readlinkAt(d *descriptor, p string) (string, error) {
	target, err := d.root.Readlink(join(d, p))
	return target, fsErr(err)
}

// mutateAt changes the directory d at path p with change, unless d is
// read-only.
func mutateAt(d *descriptor, p string, change func(p string) error) error {
	if d.readOnly {
		return ecReadOnly
	}
	return fsErr(change(join(d, p)))
}

func createDirectoryAt(d *descriptor, p string) error {
	return mutateAt(d, p, func(p string) error { return d.root.Mkdir(p, 0o755) })
}

func removeDirectoryAt(d *descriptor, p string) error {
	return mutateAt(d, p, d.root.Remove)
}

func unlinkFileAt(d *descriptor, p string) error {
	return mutateAt(d, p, func(p string) error {
		if fi, err := d.root.Lstat(p); err == nil && fi.IsDir() {
			return syscall.EISDIR
		}
		return d.root.Remove(p)
	})
}

// symlinkAt makes a symbolic link. Its target is kept as given: os.Root
// refuses to follow it out of the directory later.
func symlinkAt(d *descriptor, target, p string) error {
	return mutateAt(d, p, func(p string) error { return d.root.Symlink(target, p) })
}

// renameAt and linkAt work inside one granted directory: across two they
// are a cross-device operation.
func renameAt(d *descriptor, from string, nd *descriptor, to string) error {
	return twoPaths(d, from, nd, to, d.root.Rename)
}

func linkAt(d *descriptor, _ pathFlags, from string, nd *descriptor, to string) error {
	return twoPaths(d, from, nd, to, d.root.Link)
}

func twoPaths(d *descriptor, from string, nd *descriptor, to string, op func(from, to string) error) error {
	switch {
	case d.readOnly || nd.readOnly:
		return ecReadOnly
	case nd.root != d.root:
		return ecCrossDevice
	}
	return fsErr(op(join(d, from), join(nd, to)))
}

func isSameObject(d, other *descriptor) (bool, error) {
	return d.root == other.root && d.rel == other.rel, nil
}

// metadataHash is the same for the same file (the adapter uses it for
// inode numbers): a hash of the root and the path inside it.
func metadataHash(d *descriptor) (metadataHashValue, error) { return hashOf(d, d.rel), nil }

func metadataHashAt(d *descriptor, _ pathFlags, p string) (metadataHashValue, error) {
	p = join(d, p)
	if _, err := d.root.Lstat(p); err != nil {
		return metadataHashValue{}, codeOf(err)
	}
	return hashOf(d, p), nil
}

func hashOf(d *descriptor, p string) metadataHashValue {
	h := fnv.New128a()
	fmt.Fprintf(h, "%p\x00%s", d.root, p)
	sum := h.Sum(nil)
	return metadataHashValue{binary.LittleEndian.Uint64(sum[:8]), binary.LittleEndian.Uint64(sum[8:])}
}

// filesystemErrorCode finds no error-code in a stream's error: the
// streams' errors are not the filesystem's.
func filesystemErrorCode(ioError) (option[errorCode], error) { return option[errorCode]{}, nil }
