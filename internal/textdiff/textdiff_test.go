package textdiff

import (
	"strings"
	"testing"
)

func TestFirst(t *testing.T) {
	if d := First("a\nb", "a\nb"); d != "" {
		t.Errorf("equal texts: %q", d)
	}
	d := First("a\nb\nc", "a\nx\nc")
	if !strings.Contains(d, "line 2") || !strings.Contains(d, "x") {
		t.Errorf("got %q", d)
	}
	if d := First("a", "a\nextra"); !strings.Contains(d, "line 2") || !strings.Contains(d, "extra") {
		t.Errorf("longer got: %q", d)
	}
}
