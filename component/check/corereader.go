package check

import (
	"fmt"
	"unicode/utf8"
)

// creader reads the binary format of core WebAssembly.
type creader struct {
	b    []byte
	pos  int
	base int // offset of b in the module, for messages
}

// coreError is an error in a core module, at a byte offset of it.
type coreError struct {
	off int
	msg string
}

func (e *coreError) Error() string { return fmt.Sprintf("%s (at offset %#x)", e.msg, e.off) }

func (r *creader) errf(format string, args ...any) error {
	return &coreError{off: r.base + r.pos, msg: fmt.Sprintf(format, args...)}
}

func (r *creader) eof() bool { return r.pos >= len(r.b) }

// errEOF is the error of a read past the end, out of line so that the
// reads stay small enough to be inlined.
//
//go:noinline
func (r *creader) errEOF() error { return r.errf("unexpected end-of-file") }

func (r *creader) byte() (c byte, err error) {
	if r.pos < len(r.b) {
		c = r.b[r.pos]
		r.pos++
		return
	}
	return 0, r.errEOF()
}

func (r *creader) peek() (byte, error) {
	if r.pos >= len(r.b) {
		return 0, r.errEOF()
	}
	return r.b[r.pos], nil
}

func (r *creader) bytes(n int) (b []byte, err error) {
	if n >= 0 && n <= len(r.b)-r.pos {
		b = r.b[r.pos : r.pos+n]
		r.pos += n
		return
	}
	return nil, r.errEOF()
}

// uleb reads an unsigned LEB128 number of at most bits bits.
func (r *creader) uleb(bits uint) (uint64, error) {
	var v uint64
	for shift := uint(0); ; shift += 7 {
		if r.pos >= len(r.b) {
			return 0, r.errEOF()
		}
		c := r.b[r.pos]
		r.pos++
		v |= uint64(c&0x7f) << shift
		if c&0x80 == 0 {
			if shift+7 > bits && c>>(bits-shift) != 0 {
				return 0, r.errf("invalid var_u%d: integer too large", bits)
			}
			return v, nil
		}
		if shift+7 >= bits {
			return 0, r.errf("invalid var_u%d: integer representation too long", bits)
		}
	}
}

// sleb reads a signed LEB128 number of at most bits bits.
func (r *creader) sleb(bits uint) (int64, error) {
	var v int64
	for shift := uint(0); ; shift += 7 {
		c, err := r.byte()
		if err != nil {
			return 0, err
		}
		v |= int64(c&0x7f) << shift
		if c&0x80 == 0 {
			if shift+7 > bits {
				used := bits - shift // the bits of this byte that count, sign included
				rest := (c & 0x7f) >> (used - 1)
				if rest != 0 && rest != 0x7f>>(used-1) {
					return 0, r.errf("invalid var_s%d: integer too large", bits)
				}
			}
			if shift+7 < 64 && c&0x40 != 0 {
				v |= -1 << (shift + 7)
			}
			return v, nil
		}
		if shift+7 >= bits {
			return 0, r.errf("invalid var_s%d: integer representation too long", bits)
		}
	}
}

func (r *creader) u32() (v uint32, err error) {
	if r.pos < len(r.b) && r.b[r.pos] < 0x80 { // one byte, the most common
		v = uint32(r.b[r.pos])
		r.pos++
		return
	}
	return r.u32Long()
}

//go:noinline
func (r *creader) u32Long() (uint32, error) {
	v, err := r.uleb(32)
	return uint32(v), err
}

func (r *creader) u64() (uint64, error) { return r.uleb(64) }

// count reads a vector length, bounded by the bytes left.
func (r *creader) count() (int, error) {
	n, err := r.u32()
	if err != nil {
		return 0, err
	}
	if int64(n) > int64(len(r.b)-r.pos) {
		return 0, r.errEOF()
	}
	return int(n), nil
}

// countMax reads a vector length of at most max (desc says of what).
func (r *creader) countMax(max int, desc string) (int, error) {
	start := r.pos
	n, err := r.u32()
	if err != nil {
		return 0, err
	}
	if int64(n) > int64(max) {
		r.pos = start
		return 0, r.errf("%s size is out of bounds", desc)
	}
	r.pos = start
	return r.count()
}

func (r *creader) name() (string, error) {
	n, err := r.u32()
	if err != nil {
		return "", err
	}
	if n > maxCoreString {
		return "", r.errf("string size out of bounds")
	}
	b, err := r.bytes(int(n))
	if err != nil {
		return "", err
	}
	if !utf8.Valid(b) {
		return "", r.errf("malformed UTF-8 encoding")
	}
	return string(b), nil
}

// Limits of core modules, as wasmparser has them.
const (
	maxCoreString       = 100_000
	maxCoreTypes        = 1_000_000
	maxCoreFuncs        = 1_000_000
	maxCoreImports      = 1_000_000
	maxCoreExports      = 1_000_000
	maxCoreGlobals      = 1_000_000
	maxCoreElems        = 100_000
	maxCoreDatas        = 100_000
	maxCoreFuncSize     = 7_654_321
	maxCoreLocals       = 50_000
	maxCoreParams       = 1000
	maxCoreResults      = 1000
	maxCoreTableEntries = 10_000_000
	maxCoreTables       = 100
	maxCoreMemories     = 100
	maxCoreTags         = 1_000_000
	maxStructFields     = 10_000
	maxSubtypingDepth   = 63
)
