package compose

import (
	"fmt"
	"strings"

	"github.com/witc-dev/witc/diag"
	"github.com/witc-dev/witc/wit"
)

// maxNamed bounds the exports and near misses an error names.
const maxNamed = 8

// unusedError explains the plugs none of whose exports is used: what each
// exports, and which imports of the others stay unsatisfied, with their
// near misses (another interface of the same package, the same interface
// in another package, a similar name). Composing an app with the wrong
// library shows up here: the library is unused and the app's import is
// still open. WASI imports are left out: a host provides them.
func unusedError(comps []*comp, w *wiring) error {
	var b strings.Builder
	for _, c := range comps[1:] {
		if w.used[c] {
			continue
		}
		var names []string
		for _, e := range c.exports {
			names = append(names, "`"+e.name+"`")
		}
		exports := "nothing"
		if len(names) > 0 {
			exports = joinSome(names, ", ")
		}
		fmt.Fprintf(&b, "component `%s` provides nothing that the others import (it would be unused); it exports %s\n", c.name, exports)
	}
	if b.Len() == 0 {
		return nil
	}
	for _, c := range comps {
		for i, im := range c.imports {
			if _, plugged := w.plugs[importKey{c, i}]; plugged || strings.HasPrefix(im.name, "wasi:") {
				continue
			}
			fmt.Fprintf(&b, "`%s` imports `%s`, which no component provides", c.name, im.name)
			if near := nearNames(comps, c, im.name); len(near) > 0 {
				fmt.Fprintf(&b, "; near misses:\n    %s", strings.Join(near, "\n    "))
			}
			b.WriteString("\n")
		}
	}
	b.WriteString("pass --allow-unused to compose anyway (imports no component provides become imports of the composition)")
	return errorf("%s", b.String())
}

// nearNames lists the exports of the other components whose names are
// close to an import's: another interface of the same package, the same
// interface in another package, or a name a few edits away.
func nearNames(comps []*comp, c *comp, name string) []string {
	pkg, iface := splitIfaceName(name)
	var out []string
	for _, p := range comps {
		if p == c {
			continue
		}
		for _, e := range p.exports {
			epkg, eiface := splitIfaceName(e.name)
			why := ""
			switch {
			case pkg != "" && epkg == pkg && eiface != iface:
				why = "another interface of package `" + pkg + "`"
			case iface != "" && eiface == iface && epkg != pkg:
				why = "an interface of the same name in another package"
			case diag.Near(name, e.name, 3):
				why = "a similar name"
			default:
				continue
			}
			out = append(out, fmt.Sprintf("`%s` exports `%s`: %s", p.name, e.name, why))
		}
	}
	if len(out) > maxNamed {
		out = append(out[:maxNamed], fmt.Sprintf("… and %d more", len(out)-maxNamed))
	}
	return out
}

// splitIfaceName splits an interface name ns:pkg/iface@version into its
// package (ns:pkg, without version) and interface; a plain name has
// neither.
func splitIfaceName(name string) (pkg, iface string) {
	base, _ := wit.SplitVersion(name)
	slash := strings.LastIndexByte(base, '/')
	if slash < 0 || !strings.Contains(base[:slash], ":") {
		return "", ""
	}
	return base[:slash], base[slash+1:]
}

// joinSome joins at most maxNamed items, counting the rest.
func joinSome(items []string, sep string) string {
	if len(items) > maxNamed {
		return strings.Join(items[:maxNamed], sep) + fmt.Sprintf("%s… and %d more", sep, len(items)-maxNamed)
	}
	return strings.Join(items, sep)
}
