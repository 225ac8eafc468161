package host

import (
	"bytes"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/witc-dev/witc/canonabi"
	"github.com/witc-dev/witc/wit"
)

// TestNumbers: the elements of a stream of numbers that Go writes and
// reads are the little-endian bytes the guest stores, signed values
// sign-extended only within their width; a value of another Go type is
// refused.
func TestNumbers(t *testing.T) {
	for _, tc := range []struct {
		p    wit.Primitive
		vals []canonabi.Value
		le   []byte
	}{
		{wit.U8, []canonabi.Value{uint8(0), uint8(255)}, []byte{0, 0xff}},
		{wit.S8, []canonabi.Value{int8(-1), int8(127)}, []byte{0xff, 0x7f}},
		{wit.U16, []canonabi.Value{uint16(0x1234)}, []byte{0x34, 0x12}},
		{wit.S16, []canonabi.Value{int16(-2)}, []byte{0xfe, 0xff}},
		{wit.U32, []canonabi.Value{uint32(0xdeadbeef)}, []byte{0xef, 0xbe, 0xad, 0xde}},
		{wit.S32, []canonabi.Value{int32(math.MinInt32)}, []byte{0, 0, 0, 0x80}},
		{wit.U64, []canonabi.Value{uint64(1)}, []byte{1, 0, 0, 0, 0, 0, 0, 0}},
		{wit.S64, []canonabi.Value{int64(-1)}, []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}},
		{wit.F32, []canonabi.Value{float32(1.5)}, []byte{0, 0, 0xc0, 0x3f}},
		{wit.F64, []canonabi.Value{float64(-2)}, []byte{0, 0, 0, 0, 0, 0, 0, 0xc0}},
	} {
		b, err := encodeNumbers(tc.p, tc.vals)
		if err != nil || !bytes.Equal(b, tc.le) {
			t.Errorf("%s: encoded %x, %v; want %x", tc.p, b, err, tc.le)
			continue
		}
		got := make([]canonabi.Value, len(tc.vals))
		decodeNumbers(tc.p, b, got)
		if !reflect.DeepEqual(got, tc.vals) {
			t.Errorf("%s: decoded %#v, want %#v", tc.p, got, tc.vals)
		}
	}
	if _, err := encodeNumbers(wit.U16, []canonabi.Value{uint32(1)}); err == nil || !strings.Contains(err.Error(), "cannot write uint32 to a stream of u16") {
		t.Errorf("a uint32 written to a stream of u16: %v", err)
	}
}
