package diag

import "testing"

func TestSuggest(t *testing.T) {
	names := []string{"point", "num", "input-stream", "string", "u32"}
	for _, c := range []struct{ name, want string }{
		{"pont", "point"},    // deletion
		{"piont", "point"},   // transposition
		{"nmu", "num"},       // two edits but len 3: a transposition is one
		{"strnig", "string"}, // transposition
		{"u3", "u32"},        // insertion, within max(1, 0)
		{"input-stram", "input-stream"},
		{"x", ""},            // too far
		{"pointer", "point"}, // two deletions, within 7/3
		{"point", ""},        // exact: nothing to suggest
		{"completely-other", ""},
	} {
		if got := Suggest(c.name, names); got != c.want {
			t.Errorf("Suggest(%q) = %q, want %q", c.name, got, c.want)
		}
	}
	if d := editDistance("kitten", "sitting", 10); d != 3 {
		t.Errorf("editDistance = %d, want 3", d)
	}
	if d := editDistance("ab", "ba", 10); d != 1 {
		t.Errorf("transposition costs %d", d)
	}
}

func TestNear(t *testing.T) {
	for _, c := range []struct {
		a, b string
		n    int
		want bool
	}{
		{"kitten", "sitting", 3, true},
		{"kitten", "sitting", 2, false},
		{"abc", "acb", 1, true}, // a transposition is one edit
		{"", "abcd", 3, false},
		{"same", "same", 0, true},
	} {
		if got := Near(c.a, c.b, c.n); got != c.want {
			t.Errorf("Near(%q, %q, %d) = %v, want %v", c.a, c.b, c.n, got, c.want)
		}
	}
}
