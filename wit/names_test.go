package wit

import "testing"

func TestCompatKey(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"wasi:io/streams@0.2.3", "wasi:io/streams@0.2"},
		{"wasi:io/streams@1.4.0", "wasi:io/streams@1"},
		{"wasi:io/streams@0.0.3", "wasi:io/streams@0.0.3"},
		{"wasi:io/streams@1.0.0-rc1", "wasi:io/streams@1.0.0-rc1"},
		{"wasi:io/streams", "wasi:io/streams"},
		{"a:b/c@not-a-version", "a:b/c@not-a-version"},
		{"f", "f"},
	} {
		if got := CompatKey(c.in); got != c.want {
			t.Errorf("CompatKey(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestCompatible(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{"a:b/c@0.2.0", "a:b/c@0.2.12", true},
		{"a:b/c@0.2.0", "a:b/c@0.3.0", false},
		{"a:b/c@1.0.0", "a:b/c@1.9.1", true},
		{"a:b/c@0.0.1", "a:b/c@0.0.2", false},
		{"a:b/c", "a:b/c@0.2.0", false},
		{"a:b/c", "a:b/c", true},
		{"a:b/c@0.2.0", "a:b/d@0.2.0", false},
	} {
		if got := Compatible(c.a, c.b); got != c.want {
			t.Errorf("Compatible(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
}

func TestMatchName(t *testing.T) {
	names := []string{"a:b/c@0.2.1", "a:b/c@0.2.7", "a:b/c@0.3.0", "a:b/d", "a:b/e@1.0.0"}
	for _, c := range []struct {
		want       string
		anyVersion bool
		got        string
	}{
		{"a:b/c@0.2.1", false, "a:b/c@0.2.1"}, // exact wins over higher
		{"a:b/c@0.2.0", false, "a:b/c@0.2.7"}, // highest on the track
		{"a:b/c@0.2.9", false, "a:b/c@0.2.7"}, // lower versions serve too
		{"a:b/c@0.4.0", false, ""},
		{"a:b/c", false, ""},
		{"a:b/c", true, "a:b/c@0.3.0"}, // no version: the highest of any
		{"a:b/d", false, "a:b/d"},
		{"a:b/d@0.1.0", true, ""},
		{"a:b/e@1.2.0", false, "a:b/e@1.0.0"},
	} {
		if got := MatchName(c.want, names, c.anyVersion); got != c.got {
			t.Errorf("MatchName(%q, anyVersion=%v) = %q, want %q", c.want, c.anyVersion, got, c.got)
		}
	}
}
