package ast

import "strings"

// Contents returns the documentation text of d the way wit-parser computes
// it, and whether there is any: every preceding comment counts, not only
// `///`. For each comment, `/** ... */` loses its markers; any other comment
// loses all its leading '/' characters (so `/* x */` keeps `* x */`); trailing
// whitespace is trimmed. The smallest indentation among the non-empty entries
// is removed from the start of each entry, and the entries are joined with
// newlines (an empty entry is a blank line), without trailing newlines.
func (d Docs) Contents() (string, bool) {
	if len(d.Comments) == 0 {
		return "", false
	}
	entries := make([]string, len(d.Comments))
	for i, c := range d.Comments {
		t := strings.ReplaceAll(c.Text, "\r\n", "\n")
		if strings.HasPrefix(t, "/**") && strings.HasSuffix(t, "*/") && len(t) >= 5 {
			t = t[3 : len(t)-2]
		} else {
			t = strings.TrimLeft(t, "/")
		}
		entries[i] = strings.TrimRight(t, " \t\n\r")
	}
	indent := -1
	for _, e := range entries {
		if e == "" {
			continue
		}
		n := len(e) - len(strings.TrimLeft(e, " \t"))
		if indent < 0 || n < indent {
			indent = n
		}
	}
	var b strings.Builder
	for _, e := range entries {
		if e == "" {
			b.WriteByte('\n')
			continue
		}
		if len(e) >= indent && strings.TrimLeft(e[:indent], " \t") == "" {
			e = e[indent:]
		}
		for _, line := range strings.Split(e, "\n") {
			b.WriteString(line)
			b.WriteByte('\n')
		}
	}
	return strings.TrimRight(b.String(), "\n"), true
}
