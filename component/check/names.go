package check

import (
	"fmt"
	"strings"

	"github.com/witc-dev/witc/wit"
)

// This file is the grammar of import and export names and of the labels
// of fields, cases, flags and parameters (Explainer.md, "Import and Export
// Definitions" and "Name Uniqueness"), as wasmparser reads them:
//
//	externname    ::= plainname | interfacename
//	plainname     ::= label | '[constructor]' label
//	                | '[method]' label '.' label | '[static]' label '.' label
//	label         ::= first-fragment ( '-' fragment )*
//	first-fragment::= [a-z] [0-9a-z]* | [A-Z] [0-9A-Z]*
//	fragment      ::= [0-9a-z]+ | [0-9A-Z]+
//	interfacename ::= namespace words projection interfaceversion?
//	namespace     ::= words ':'            (more of them with cm-nested-names)
//	words         ::= [a-z] [0-9a-z]* ( '-' [0-9a-z]+ )*
//	projection    ::= '/' label            (more of them with cm-nested-names)
//
// wasmparser also reads, in imports only, the names the Explainer used to
// have: `url=<…>`, `integrity=<…>`, `locked-dep=<…>` and
// `unlocked-dep=<…>`; wasm-tools' tests still use them, so they are
// accepted there too.

// isKebab reports whether s is a label: fragments of lowercase letters and
// digits or of uppercase letters and digits, separated by single dashes,
// the first starting with a letter.
func isKebab(s string) bool {
	if s == "" || s[len(s)-1] == '-' {
		return false
	}
	lower, upper, first, digit := false, false, true, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z' && !upper:
			lower = true
		case c >= 'A' && c <= 'Z' && !lower:
			upper = true
		case c >= '0' && c <= '9' && (lower || upper || !first):
			digit = true
		case c == '-' && (lower || upper || digit):
			lower, upper, first, digit = false, false, false, false
		default:
			return false
		}
	}
	return true
}

// checkLabel checks the label of a field, case, flag or parameter
// (desc names which: "record field").
func checkLabel(s, desc string) error {
	if s == "" {
		return fmt.Errorf("%s name cannot be empty", desc)
	}
	if !isKebab(s) {
		return fmt.Errorf("%s name `%s` is not in kebab case", desc, s)
	}
	return nil
}

// labelSet finds labels that differ only in case.
type labelSet map[string]string

// add records a label, returning the one it clashes with, if any.
func (ls labelSet) add(s string) (string, bool) {
	k := strings.ToLower(s)
	if prev, ok := ls[k]; ok {
		return prev, true
	}
	ls[k] = s
	return "", false
}

// extKind is the kind of an import or export name.
type extKind uint8

const (
	extLabel extKind = iota
	extConstructor
	extMethod
	extStatic
	extInterface
	extDependency // locked-dep=, unlocked-dep=
	extURL
	extHash
)

// extName is an import or export name, parsed.
type extName struct {
	kind extKind
	raw  string
	// resource and item: `[constructor]resource`,
	// `[method]resource.item`, `[static]resource.item`.
	resource, item string
	// version: the interface version after `@` ("" without one).
	version    string
	hasVersion bool
}

// key is the name's canonical form for strong uniqueness: acronyms are
// lowercased, `[method]l.l` and `[static]l.l` are `l`, and the other
// annotations are dropped except `[constructor]` (Explainer.md, "Name
// Uniqueness"). The names of dependencies, URLs and hashes are compared
// as they are.
func (n extName) key() string {
	switch n.kind {
	case extLabel:
		return "l" + strings.ToLower(n.raw)
	case extConstructor:
		return "c" + strings.ToLower(n.resource)
	case extMethod, extStatic:
		if strings.EqualFold(n.resource, n.item) {
			return "l" + strings.ToLower(n.resource)
		}
		return "m" + strings.ToLower(n.resource) + "." + strings.ToLower(n.item)
	case extInterface:
		return "i" + strings.ToLower(n.raw)
	case extDependency:
		return "d" + n.raw
	case extURL:
		return "u" + n.raw
	}
	return "h" + n.raw
}

// nameSet holds the names of one scope's imports or exports by their
// canonical key.
type nameSet map[string]string

// add records a name, returning the earlier name it is not strongly
// unique against, if any.
func (s nameSet) add(n extName) (string, bool) {
	k := n.key()
	if prev, ok := s[k]; ok {
		return prev, true
	}
	s[k] = n.raw
	return "", false
}

// nameParser reads an import or export name.
type nameParser struct {
	next  string
	feats Features
}

// parseExtName parses an import or export name.
func parseExtName(s string, feats Features) (extName, error) {
	p := &nameParser{next: s, feats: feats}
	n := extName{raw: s}
	var err error
	n.kind, err = p.parse(&n)
	if err != nil {
		return n, err
	}
	if p.next != "" {
		return n, fmt.Errorf("trailing characters found: `%s`", p.next)
	}
	return n, nil
}

func (p *nameParser) parse(n *extName) (extKind, error) {
	switch {
	case p.eat("[constructor]"):
		n.resource = p.next
		return extConstructor, p.expectKebab()
	case p.eat("[method]"), p.eat("[static]"):
		k := extMethod
		if strings.HasPrefix(n.raw, "[static]") {
			k = extStatic
		}
		r, err := p.takeUntil('.')
		if err != nil {
			return k, err
		}
		if err := kebab(r); err != nil {
			return k, err
		}
		n.resource, n.item = r, p.next
		return k, p.expectKebab()
	case p.eat("unlocked-dep="):
		if err := p.expect("<"); err != nil {
			return extDependency, err
		}
		if err := p.pkgNameQuery(); err != nil {
			return extDependency, err
		}
		return extDependency, p.expect(">")
	case p.eat("locked-dep="):
		if err := p.expect("<"); err != nil {
			return extDependency, err
		}
		if err := p.pkgName(false, n); err != nil {
			return extDependency, err
		}
		if err := p.expect(">"); err != nil {
			return extDependency, err
		}
		return extDependency, p.optionalHash()
	case p.eat("url="):
		if err := p.expect("<"); err != nil {
			return extURL, err
		}
		url, err := p.takeUpTo('>')
		if err != nil {
			return extURL, err
		}
		if strings.ContainsRune(url, '<') {
			return extURL, fmt.Errorf("url cannot contain `<`")
		}
		if err := p.expect(">"); err != nil {
			return extURL, err
		}
		return extURL, p.optionalHash()
	case p.eat("integrity="):
		if err := p.expect("<"); err != nil {
			return extHash, err
		}
		if err := p.hash(); err != nil {
			return extHash, err
		}
		return extHash, p.expect(">")
	case strings.ContainsRune(p.next, ':'):
		return extInterface, p.pkgName(true, n)
	}
	return extLabel, p.expectKebab()
}

func (p *nameParser) eat(prefix string) bool {
	if strings.HasPrefix(p.next, prefix) {
		p.next = p.next[len(prefix):]
		return true
	}
	return false
}

func (p *nameParser) expect(prefix string) error {
	if !p.eat(prefix) {
		return fmt.Errorf("expected `%s` at `%s`", prefix, p.next)
	}
	return nil
}

func (p *nameParser) takeUpTo(c byte) (string, error) {
	i := strings.IndexByte(p.next, c)
	if i < 0 {
		return "", fmt.Errorf("failed to find `%c` character", c)
	}
	s := p.next[:i]
	p.next = p.next[i:]
	return s, nil
}

func (p *nameParser) takeUntil(c byte) (string, error) {
	s, err := p.takeUpTo(c)
	if err == nil {
		p.next = p.next[1:]
	}
	return s, err
}

func kebab(s string) error {
	if !isKebab(s) {
		return fmt.Errorf("`%s` is not in kebab case", s)
	}
	return nil
}

// expectKebab takes the rest of the name as a label.
func (p *nameParser) expectKebab() error {
	s := p.next
	p.next = ""
	return kebab(s)
}

// takeKebab takes a label up to the first character that cannot be in
// one.
func (p *nameParser) takeKebab() error {
	i := strings.IndexFunc(p.next, func(c rune) bool {
		return !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-')
	})
	if i < 0 {
		return p.expectKebab()
	}
	s := p.next[:i]
	p.next = p.next[i:]
	return kebab(s)
}

// takeLowerKebab takes a namespace or package name: a label without
// uppercase letters.
func (p *nameParser) takeLowerKebab() error {
	start := p.next
	if err := p.takeKebab(); err != nil {
		return err
	}
	s := start[:len(start)-len(p.next)]
	for _, c := range s {
		if c >= 'A' && c <= 'Z' {
			return fmt.Errorf("character `%c` is not lowercase in package name/namespace", c)
		}
	}
	return nil
}

// pkgPath reads `ns:pkg` (more `:pkg` with nested names) and, required
// for interface names, `/iface` (more of them with nested names).
func (p *nameParser) pkgPath(projection bool) error {
	if err := p.takeLowerKebab(); err != nil {
		return err
	}
	if err := p.expect(":"); err != nil {
		return err
	}
	if err := p.takeLowerKebab(); err != nil {
		return err
	}
	nested := p.feats.Has(FeatureCMNestedNames)
	for nested && strings.HasPrefix(p.next, ":") {
		p.next = p.next[1:]
		if err := p.takeLowerKebab(); err != nil {
			return err
		}
	}
	if strings.HasPrefix(p.next, "/") {
		p.next = p.next[1:]
		if err := p.takeKebab(); err != nil {
			return err
		}
		for nested && strings.HasPrefix(p.next, "/") {
			p.next = p.next[1:]
			if err := p.takeKebab(); err != nil {
				return err
			}
		}
	} else if projection {
		return fmt.Errorf("expected `/` after package name")
	}
	return nil
}

// pkgName reads a package or interface name and its version; the version
// of an interface name is checked with its version suffix, later.
func (p *nameParser) pkgName(iface bool, n *extName) error {
	if err := p.pkgPath(iface); err != nil {
		return err
	}
	if !p.eat("@") {
		return nil
	}
	v := p.next
	if i := strings.IndexByte(v, '>'); i >= 0 {
		v = v[:i]
	}
	p.next = p.next[len(v):]
	n.version, n.hasVersion = v, true
	if !iface {
		return semver(v)
	}
	return nil
}

func semver(v string) error {
	if _, err := wit.ParseVersion(v); err != nil {
		return fmt.Errorf("`%s` is not a valid semver: %v", v, err)
	}
	return nil
}

// pkgNameQuery reads the package of an `unlocked-dep=`, with its optional
// version range: `@*` or `@{>=1.2.3 <2.0.0}`.
func (p *nameParser) pkgNameQuery() error {
	if err := p.pkgPath(false); err != nil {
		return err
	}
	if !p.eat("@") {
		return nil
	}
	if p.eat("*") {
		return nil
	}
	if err := p.expect("{"); err != nil {
		return err
	}
	r, err := p.takeUpTo('}')
	if err != nil {
		return err
	}
	p.next = p.next[1:]
	return semverRange(r)
}

func semverRange(r string) error {
	if r == "*" {
		return nil
	}
	if rest, ok := strings.CutPrefix(r, ">="); ok {
		lower, upper, hasUpper := strings.Cut(rest, " ")
		if err := semver(lower); err != nil {
			return err
		}
		if hasUpper {
			u, ok := strings.CutPrefix(upper, "<")
			if !ok {
				return fmt.Errorf("expected `<` at start of version range upper bounds")
			}
			return semver(u)
		}
		return nil
	}
	if u, ok := strings.CutPrefix(r, "<"); ok {
		return semver(u)
	}
	return fmt.Errorf("expected `>=` or `<` at start of version range")
}

// hash reads the hashes of an `integrity=<…>`: space-separated
// `sha256-`, `sha384-` or `sha512-` and base64, with an optional `?`
// option part.
func (p *nameParser) hash() error {
	s, err := p.takeUpTo('>')
	if err != nil {
		return err
	}
	any := false
	for _, h := range strings.Fields(s) {
		any = true
		rest, ok := "", false
		for _, alg := range []string{"sha256", "sha384", "sha512"} {
			if r, found := strings.CutPrefix(h, alg); found {
				rest, ok = r, true
				break
			}
		}
		if !ok {
			return fmt.Errorf("unrecognized hash algorithm: `%s`", h)
		}
		rest, ok = strings.CutPrefix(rest, "-")
		if !ok {
			return fmt.Errorf("expected `-` after hash algorithm: %s", h)
		}
		b64, _, _ := strings.Cut(rest, "?")
		if !isBase64(b64) {
			return fmt.Errorf("not valid base64: `%s`", b64)
		}
	}
	if !any {
		return fmt.Errorf("integrity hash cannot be empty")
	}
	return nil
}

// optionalHash reads a `,integrity=<…>` after a URL or a locked
// dependency.
func (p *nameParser) optionalHash() error {
	if !p.eat(",") {
		return nil
	}
	if err := p.expect("integrity=<"); err != nil {
		return err
	}
	if err := p.hash(); err != nil {
		return err
	}
	return p.expect(">")
}

func isBase64(s string) bool {
	if s == "" {
		return false
	}
	equals := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case (c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '+' || c == '/') && equals == 0:
		case c == '=' && i > 0 && equals < 2:
			equals++
		default:
			return false
		}
	}
	return true
}

// interfaceVersion checks the version of an interface name, completed by
// its version-suffix attribute.
func (n extName) interfaceVersion(suffix string) error {
	if !n.hasVersion {
		return nil
	}
	if _, err := wit.ParseVersion(n.version + suffix); err != nil {
		return fmt.Errorf("invalid interface version: %v", err)
	}
	return nil
}
