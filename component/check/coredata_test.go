package check

import (
	"strings"
	"testing"
)

// TestDataSegments: the data segments read on the fast path (active in
// memory 0 at `i32.const n`) and those it leaves to the general reader
// are validated alike, errors at the same offsets.
func TestDataSegments(t *testing.T) {
	mem32 := section(5, vecOf([]byte{0x00, 0x01}))
	mem64 := section(5, vecOf([]byte{0x04, 0x01}))
	data := func(mem []byte, segs ...[]byte) []byte {
		if mem == nil {
			return module(section(11, vecOf(segs...)))
		}
		return module(mem, section(11, vecOf(segs...)))
	}
	for _, tc := range []struct {
		name string
		mod  []byte
		want string // "" when valid
	}{
		{"common", data(mem32, []byte{0, 0x41, 8, 0x0b, 3, 'a', 'b', 'c'}), ""},
		{"several", data(mem32, []byte{0, 0x41, 0, 0x0b, 1, 'a'}, []byte{0, 0x41, 0x80, 0x80, 0x80, 0x01, 0x0b, 0}, []byte{1, 2, 'x', 'y'}), ""},
		{"offset of 5 bytes", data(mem32, []byte{0, 0x41, 0x80, 0x80, 0x80, 0x80, 0x01, 0x0b, 0}), ""},
		{"offset too large", data(mem32, []byte{0, 0x41, 0x80, 0x80, 0x80, 0x80, 0x10, 0x0b, 0}), "invalid var_s32: integer too large (at offset 0x17)"},
		{"size of 5 bytes", data(mem32, []byte{0, 0x41, 0, 0x0b, 0x80, 0x80, 0x80, 0x80, 0x00}), ""},
		{"size past the end", data(mem32, []byte{0, 0x41, 0, 0x0b, 4, 'a', 'b', 'c'}), "unexpected end-of-file (at offset 0x15)"},
		{"size of 4 bytes past the end", data(mem32, []byte{0, 0x41, 0, 0x0b, 0x80, 0x80, 0x80, 0x01}), "unexpected end-of-file (at offset 0x18)"},
		{"no end", data(mem32, []byte{0, 0x41, 0, 0x41, 0, 0x0b, 0}), "type mismatch"},
		{"no memory", data(nil, []byte{0, 0x41, 0, 0x0b, 0}), "unknown memory 0: memory index out of bounds (at offset 0xc)"},
		{"64-bit memory", data(mem64, []byte{0, 0x41, 0, 0x0b, 0}), "type mismatch"},
		{"64-bit memory, i64.const", data(mem64, []byte{0, 0x42, 0, 0x0b, 0}), ""},
		{"memory 1", data(mem32, []byte{2, 1, 0x41, 0, 0x0b, 0}), "unknown memory 1"},
		{"truncated", data(mem32, []byte{0, 0x41}), "unexpected end-of-file"},
	} {
		err := ValidateCoreModule(tc.mod, DefaultFeatures)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: got %v, want %q", tc.name, err, tc.want)
		}
	}
}
