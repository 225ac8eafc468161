package canonabi

import (
	"fmt"
	"testing"
)

// TestStringReallocCalls: strings are stored with the realloc calls of
// CanonicalABI.md's store_string_into_range for their source encoding and
// the destination's (each call as (old_ptr, old_size, align, new_size),
// the pointers in order of allocation: p1, p2, ...), and read back as
// they were.
func TestStringReallocCalls(t *testing.T) {
	for _, tc := range []struct {
		src    string // "host" (UTF-8), "utf8", "utf16", "latin1", "tagged" (latin1+utf16 with the UTF-16 tag)
		dst    StringEncoding
		s      string
		calls  string
		tagged bool
	}{
		{"host", UTF8, "héllo", "(0,0,1,6)", false},
		{"host", UTF16, "ab", "(0,0,2,4)", false},
		{"host", UTF16, "aé", "(0,0,2,6) (p1,6,2,4)", false},
		{"host", Latin1UTF16, "ab", "(0,0,2,2)", false},
		{"host", Latin1UTF16, "aé", "(0,0,2,3) (p1,3,2,2)", false},
		{"host", Latin1UTF16, "a世", "(0,0,2,4) (p1,4,2,8) (p2,8,2,4)", true},
		{"utf8", Latin1UTF16, "a世", "(0,0,2,4) (p1,4,2,8) (p2,8,2,4)", true},
		{"utf16", Latin1UTF16, "AΣ", "(0,0,2,2) (p1,2,2,4)", true},
		{"utf16", Latin1UTF16, "ab", "(0,0,2,2)", false},
		{"utf16", UTF8, "ab", "(0,0,1,2)", false},
		{"utf16", UTF8, "aé", "(0,0,1,2) (p1,2,1,6) (p2,6,1,3)", false},
		{"utf16", UTF16, "a🎉", "(0,0,2,6)", false},
		{"latin1", UTF8, "é", "(0,0,1,1) (p1,1,1,2)", false},
		{"latin1", UTF16, "aé", "(0,0,2,4)", false},
		{"latin1", Latin1UTF16, "aé", "(0,0,2,2)", false},
		{"tagged", Latin1UTF16, "ab", "(0,0,2,4) (p1,4,1,2)", false},
		{"tagged", Latin1UTF16, "aΣ", "(0,0,2,4)", true},
		{"tagged", UTF8, "aé", "(0,0,1,2) (p1,2,1,6) (p2,6,1,3)", false},
	} {
		name := fmt.Sprintf("%s->%s %q", tc.src, tc.dst, tc.s)
		m := newMem(1 << 12)
		var calls []string
		ptrs := map[uint32]string{0: "0"}
		cx := cxFor(m, tc.dst)
		realloc := cx.Realloc
		cx.Realloc = func(old, oldSize, align, size uint32) (uint32, error) {
			p, err := realloc(old, oldSize, align, size)
			calls = append(calls, fmt.Sprintf("(%s,%d,%d,%d)", ptrs[old], oldSize, align, size))
			ptrs[p] = fmt.Sprintf("p%d", len(calls))
			return p, err
		}
		s := tc.s
		if tc.src != "host" {
			src := map[string]StringEncoding{"utf8": UTF8, "utf16": UTF16, "latin1": Latin1UTF16, "tagged": Latin1UTF16}[tc.src]
			from := cxFor(newMem(1<<12), src)
			p, units, err := from.storeString(tc.s)
			if tc.src == "tagged" { // UTF-16, as a producer may choose even for Latin-1
				b, n := encodeUTF16(tc.s)
				p, err = from.allocate(2, uint32(len(b)))
				from.write(p, b)
				units = n | utf16Tag
			}
			if err != nil {
				t.Fatal(err)
			}
			if s, err = from.loadString(p, units); err != nil || s != tc.s {
				t.Fatalf("%s: the source string: %q, %v", name, s, err)
			}
			cx.Source = from
		}
		p, units, err := cx.storeString(s)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if got := fmt.Sprint(calls); got != "["+tc.calls+"]" {
			t.Errorf("%s: realloc calls %s, want [%s]", name, got, tc.calls)
		}
		if got := units&utf16Tag != 0; got != tc.tagged {
			t.Errorf("%s: tagged UTF-16 %v, want %v", name, got, tc.tagged)
		}
		cx.Source = nil
		if back, err := cx.loadString(p, units); err != nil || back != tc.s {
			t.Errorf("%s: read back %q, %v", name, back, err)
		}
	}
}

// TestStringReallocMisaligned: a realloc that returns a misaligned pointer
// on its second call traps, as strings.wast expects of UTF-16 stored as
// latin1+utf16 ("AΣ": Latin-1 first, then a reallocation for UTF-16).
func TestStringReallocMisaligned(t *testing.T) {
	m := newMem(1 << 12)
	from := cxFor(newMem(1<<12), UTF16)
	p, units, _ := from.storeString("AΣ")
	s, _ := from.loadString(p, units)
	cx := &Cx{Memory: m, Encoding: Latin1UTF16, Source: from, Realloc: func(old, _, _, _ uint32) (uint32, error) {
		if old == 0 {
			return 2, nil
		}
		return 3, nil
	}}
	_, _, err := cx.storeString(s)
	const want = "trap: realloc returned 0x3, which is not 2-aligned"
	if err == nil || err.Error() != want {
		t.Errorf("got %v, want %q", err, want)
	}
}
