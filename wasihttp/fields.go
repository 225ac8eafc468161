package wasihttp

import (
	"net/http"
	"slices"
	"strings"
)

// fields are the headers or trailers behind a `fields` resource: names
// in lower case, in the order they were added, values as bytes.
type fields struct {
	entries   []entry
	immutable bool
}

type entry struct {
	name  string
	value []byte
}

// forbidden are the header names a guest may not set (hop-by-hop
// headers and those the host owns), as wasmtime's default refuses.
var forbidden = map[string]bool{
	"connection": true, "keep-alive": true, "proxy-authenticate": true, "proxy-authorization": true,
	"proxy-connection": true, "te": true, "transfer-encoding": true, "upgrade": true, "host": true,
	"http2-settings": true,
}

// header-error cases.
const (
	errInvalidSyntax = iota
	errForbidden
	errImmutable
)

// validName reports whether name is an HTTP field name (RFC 9110 token).
func validName(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0:
		default:
			return false
		}
	}
	return true
}

// validValue reports whether v is an HTTP field value: no NUL, CR or LF,
// no other control character but tab, and no surrounding whitespace.
func validValue(v []byte) bool {
	for _, c := range v {
		if c == '\t' {
			continue
		}
		if c < 0x20 || c == 0x7f {
			return false
		}
	}
	return len(v) == 0 || (v[0] != ' ' && v[0] != '\t' && v[len(v)-1] != ' ' && v[len(v)-1] != '\t')
}

// check is the header-error of setting name to values on f, or -1.
func (f *fields) check(name string, values ...[]byte) int {
	if f.immutable {
		return errImmutable
	}
	if !validName(name) {
		return errInvalidSyntax
	}
	for _, v := range values {
		if !validValue(v) {
			return errInvalidSyntax
		}
	}
	if forbidden[strings.ToLower(name)] {
		return errForbidden
	}
	return -1
}

func (f *fields) get(name string) [][]byte {
	name = strings.ToLower(name)
	var out [][]byte
	for _, e := range f.entries {
		if e.name == name {
			out = append(out, e.value)
		}
	}
	return out
}

func (f *fields) delete(name string) {
	name = strings.ToLower(name)
	kept := f.entries[:0]
	for _, e := range f.entries {
		if e.name != name {
			kept = append(kept, e)
		}
	}
	f.entries = kept
}

func (f *fields) add(name string, value []byte) {
	f.entries = append(f.entries, entry{strings.ToLower(name), append([]byte(nil), value...)})
}

// clone is a mutable copy of f.
func (f *fields) clone() *fields {
	return &fields{entries: append([]entry(nil), f.entries...)}
}

// fromHeader converts Go's headers (the host's names, which Go
// canonicalizes) to immutable fields.
func fromHeader(h http.Header) *fields {
	f := &fields{immutable: true}
	for name, vs := range h {
		for _, v := range vs {
			f.add(name, []byte(v))
		}
	}
	// Go's map has no order: sort by name, keeping each name's values in
	// order, so that entries are deterministic.
	slices.SortStableFunc(f.entries, func(a, b entry) int { return strings.Compare(a.name, b.name) })
	return f
}

// toHeader adds f's entries to h.
func (f *fields) toHeader(h http.Header) {
	for _, e := range f.entries {
		h.Add(e.name, string(e.value))
	}
}
