// Package textdiff shows where two texts first differ, for test failures.
package textdiff

import (
	"strconv"
	"strings"
)

// First describes the first line where want and got differ, with up to
// three lines of context from each; "" when they are equal.
func First(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(wl) || i < len(gl); i++ {
		if i < len(wl) && i < len(gl) && wl[i] == gl[i] {
			continue
		}
		lo := max(0, i-3)
		return "first difference at line " + strconv.Itoa(i+1) + ":\n--- want\n" +
			strings.Join(wl[min(lo, len(wl)):min(len(wl), i+3)], "\n") +
			"\n--- got\n" + strings.Join(gl[min(lo, len(gl)):min(len(gl), i+3)], "\n")
	}
	return ""
}
