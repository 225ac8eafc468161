// Package leb128 reads and writes the LEB128 integers of the WebAssembly
// binary formats, rejecting overlong and out-of-range encodings.
package leb128

import "errors"

var (
	// ErrTruncated means the input ended inside a number.
	ErrTruncated = errors.New("unexpected end of input in LEB128 number")
	// ErrOverflow means the number does not fit the expected width.
	ErrOverflow = errors.New("LEB128 number out of range")
)

// Uint32 decodes an unsigned 32-bit LEB128 number from b and returns it with
// the number of bytes it used. (Small enough to be inlined: decoders call
// it for every index and count.)
func Uint32(b []byte) (uint32, int, error) {
	var v uint32
	for i := 0; i < 5; i++ {
		if i >= len(b) {
			return 0, 0, ErrTruncated
		}
		c := b[i]
		if i == 4 && c&0xf0 != 0 {
			return 0, 0, ErrOverflow // more than 32 bits, or a continuation
		}
		v |= uint32(c&0x7f) << (7 * i)
		if c&0x80 == 0 {
			return v, i + 1, nil
		}
	}
	return 0, 0, ErrOverflow
}

// Uint64 decodes an unsigned 64-bit LEB128 number (memory64 limits) from b
// and returns it with the number of bytes it used.
func Uint64(b []byte) (uint64, int, error) {
	var v uint64
	for i, c := range b {
		if i == 9 && c&0xfe != 0 {
			return 0, 0, ErrOverflow // more than 64 bits, or a continuation
		}
		v |= uint64(c&0x7f) << (7 * i)
		if c&0x80 == 0 {
			return v, i + 1, nil
		}
	}
	return 0, 0, ErrTruncated
}

// Int33 decodes a signed 33-bit LEB128 number (core heap types, block
// types) and returns it with the number of bytes it used.
func Int33(b []byte) (int64, int, error) {
	var v int64
	var shift uint
	for i := 0; i < 5; i++ {
		if i >= len(b) {
			return 0, 0, ErrTruncated
		}
		c := b[i]
		v |= int64(c&0x7f) << shift
		shift += 7
		if c&0x80 == 0 {
			if i == 4 {
				// 33 bits used: the remaining bits must be a sign extension.
				hi := c & 0x70
				if hi != 0 && hi != 0x70 {
					return 0, 0, ErrOverflow
				}
			}
			if shift < 64 && c&0x40 != 0 {
				v |= -1 << shift
			}
			return v, i + 1, nil
		}
	}
	return 0, 0, ErrOverflow
}

// AppendUint32 appends the shortest encoding of v.
func AppendUint32(dst []byte, v uint32) []byte { return AppendUint64(dst, uint64(v)) }

// AppendUint64 appends the shortest encoding of v.
func AppendUint64(dst []byte, v uint64) []byte {
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if v != 0 {
			dst = append(dst, c|0x80)
			continue
		}
		return append(dst, c)
	}
}

// AppendInt64 appends the shortest signed encoding of v.
func AppendInt64(dst []byte, v int64) []byte {
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if (v == 0 && c&0x40 == 0) || (v == -1 && c&0x40 != 0) {
			return append(dst, c)
		}
		dst = append(dst, c|0x80)
	}
}

// SizeUint32 is the length of the shortest encoding of v.
func SizeUint32(v uint32) int {
	n := 1
	for v >= 0x80 {
		v >>= 7
		n++
	}
	return n
}
