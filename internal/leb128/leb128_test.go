package leb128

import (
	"math"
	"testing"
)

func TestUint32(t *testing.T) {
	for _, v := range []uint32{0, 1, 63, 64, 127, 128, 255, 16383, 16384, 1 << 21, 1<<28 - 1, 1 << 28, math.MaxUint32} {
		b := AppendUint32(nil, v)
		if len(b) != SizeUint32(v) {
			t.Errorf("%d: size %d, encoded %d bytes", v, SizeUint32(v), len(b))
		}
		got, n, err := Uint32(b)
		if err != nil || got != v || n != len(b) {
			t.Errorf("%d: got %d, %d, %v", v, got, n, err)
		}
	}
	for _, tc := range []struct {
		in  []byte
		err error
	}{
		{[]byte{}, ErrTruncated},
		{[]byte{0x80}, ErrTruncated},
		{[]byte{0xff, 0xff, 0xff, 0xff, 0x1f}, ErrOverflow},
		{[]byte{0x80, 0x80, 0x80, 0x80, 0x80, 0x00}, ErrOverflow},
	} {
		if _, _, err := Uint32(tc.in); err != tc.err {
			t.Errorf("%x: err %v, want %v", tc.in, err, tc.err)
		}
	}
	// A padded (non-minimal) encoding is still a valid number.
	if v, n, err := Uint32([]byte{0x81, 0x80, 0x00}); v != 1 || n != 3 || err != nil {
		t.Errorf("padded: %d %d %v", v, n, err)
	}
}

func TestInt33(t *testing.T) {
	for _, v := range []int64{0, -1, 63, -64, 64, -65, 1 << 31, -(1 << 32), 1<<32 - 1} {
		b := AppendInt64(nil, v)
		got, n, err := Int33(b)
		if err != nil || got != v || n != len(b) {
			t.Errorf("%d: got %d, %d, %v (bytes %x)", v, got, n, err, b)
		}
	}
	if _, _, err := Int33([]byte{0x80, 0x80, 0x80, 0x80, 0x20}); err != ErrOverflow {
		t.Errorf("33-bit overflow: %v", err)
	}
}

func TestUint64(t *testing.T) {
	for _, v := range []uint64{0, 1, 127, 128, math.MaxUint32, 1 << 32, 1<<63 - 1, 1 << 63, math.MaxUint64} {
		b := AppendUint64(nil, v)
		got, n, err := Uint64(b)
		if err != nil || got != v || n != len(b) {
			t.Errorf("%d: got %d, %d, %v (bytes %x)", v, got, n, err, b)
		}
	}
	for _, tc := range []struct {
		in  []byte
		err error
	}{
		{[]byte{}, ErrTruncated},
		{[]byte{0xff, 0xff}, ErrTruncated},
		{[]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02}, ErrOverflow},
		{[]byte{0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00}, ErrOverflow},
	} {
		if _, _, err := Uint64(tc.in); err != tc.err {
			t.Errorf("%x: err %v, want %v", tc.in, err, tc.err)
		}
	}
}
