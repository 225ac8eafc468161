package component

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func readFixture(t testing.TB, name string) []byte {
	b, err := os.ReadFile(filepath.Join("..", "examples", "components", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestTruncated cuts a component at every length: each prefix must be
// rejected with an error, never a panic.
func TestTruncated(t *testing.T) {
	b := readFixture(t, "calc.wasm")
	// A prefix that ends between two sections is a smaller component and
	// may be valid; any other prefix must be rejected.
	boundary := map[int]bool{8: true}
	r := &reader{b: b, pos: 8}
	for !r.eof() {
		r.byte()
		n, _ := r.u32()
		r.pos += int(n)
		boundary[r.pos] = true
	}
	for n := 0; n < len(b); n++ {
		if _, err := Decode(b[:n]); err == nil && !boundary[n] {
			t.Fatalf("prefix of %d bytes (inside a section) was accepted", n)
		}
	}
	if _, err := Decode(b); err != nil {
		t.Fatalf("whole component: %v", err)
	}
}

func TestInvalidHeaders(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   []byte
		want string
	}{
		{"empty", nil, "bad magic"},
		{"magic", []byte("\x00asn\x0d\x00\x01\x00"), "bad magic"},
		{"module", []byte("\x00asm\x01\x00\x00\x00"), "core WebAssembly module"},
		{"version", []byte("\x00asm\x0c\x00\x01\x00"), "unsupported component version"},
		{"layer", []byte("\x00asm\x0d\x00\x02\x00"), "unsupported component version"},
		{"bad leb", []byte("\x00asm\x0d\x00\x01\x00\x07\xff\xff\xff\xff\xff"), "LEB128"},
		{"section overrun", []byte("\x00asm\x0d\x00\x01\x00\x07\x10\x00"), "exceeds"},
		{"huge count", []byte("\x00asm\x0d\x00\x01\x00\x07\x05\xff\xff\xff\xff\x0f"), "cannot fit"},
		{"unknown section", []byte("\x00asm\x0d\x00\x01\x00\x0e\x00"), "unknown section id 14"},
		{"bad type opcode", []byte("\x00asm\x0d\x00\x01\x00\x07\x02\x01\x20"), "invalid type opcode 0x20"},
	} {
		_, err := Decode(tc.in)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want an error containing %q", tc.name, err, tc.want)
		}
	}
}

// TestInvalidCanonOption: an invalid option of `task.return` is reported
// as such, where it is (it once was lost and the section reported as
// having unused bytes).
func TestInvalidCanonOption(t *testing.T) {
	b := []byte("\x00asm\x0d\x00\x01\x00" +
		"\x08\x06" + // canon section, 6 bytes
		"\x01" + // one function
		"\x09\x01\x00" + // task.return, no result
		"\x01\x7e") // one option: 0x7e
	_, err := Decode(b)
	if want := "at byte offset 0xf: invalid canonical option 0x7e"; err == nil || err.Error() != want {
		t.Fatalf("got %v, want %q", err, want)
	}
}

func FuzzDecode(f *testing.F) {
	for _, p := range corpus(f) {
		if st, err := os.Stat(p); err == nil && st.Size() < 1<<20 {
			b, _ := os.ReadFile(p)
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := Decode(b)
		if err != nil {
			return
		}
		// Whatever decodes must encode and decode to the same sections.
		out := Encode(c)
		c2, err := Decode(out)
		if err != nil {
			t.Fatalf("re-encoded component does not decode: %v", err)
		}
		if len(c2.Sections) != len(c.Sections) {
			t.Fatalf("section count changed: %d → %d", len(c.Sections), len(c2.Sections))
		}
	})
}
