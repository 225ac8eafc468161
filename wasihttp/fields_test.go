package wasihttp

import "testing"

// TestFieldsCheck: the header-errors of setting a field, as wasi:http
// specifies them (invalid-syntax, forbidden, immutable).
func TestFieldsCheck(t *testing.T) {
	f := &fields{}
	for _, c := range []struct {
		name  string
		value string
		want  int
	}{
		{"content-type", "text/plain", -1},
		{"X-Custom", "a, b", -1},
		{"", "x", errInvalidSyntax},
		{"bad name", "x", errInvalidSyntax},
		{"bad:name", "x", errInvalidSyntax},
		{"x-ok", "line\nbreak", errInvalidSyntax},
		{"x-ok", "nul\x00", errInvalidSyntax},
		{"x-ok", " padded", errInvalidSyntax},
		{"Connection", "close", errForbidden},
		{"transfer-encoding", "chunked", errForbidden},
		{"Host", "example.com", errForbidden},
		{"upgrade", "h2c", errForbidden},
	} {
		if got := f.check(c.name, []byte(c.value)); got != c.want {
			t.Errorf("check(%q, %q) = %d, want %d", c.name, c.value, got, c.want)
		}
	}
	immutable := &fields{immutable: true}
	if got := immutable.check("x-ok", []byte("v")); got != errImmutable {
		t.Errorf("check on immutable fields = %d, want %d", got, errImmutable)
	}
	f.add("X-A", []byte("1"))
	f.add("x-b", []byte("2"))
	f.add("x-a", []byte("3"))
	if got := f.get("x-A"); len(got) != 2 || string(got[0]) != "1" || string(got[1]) != "3" {
		t.Errorf("get(x-A) = %q", got)
	}
	f.delete("X-a")
	if len(f.entries) != 1 || f.entries[0].name != "x-b" {
		t.Errorf("after delete: %v", f.entries)
	}
	c := f.clone()
	c.add("x-c", nil)
	if len(f.entries) != 1 {
		t.Error("clone shares its entries with the original")
	}
}
