package wit

import (
	"fmt"
	"strconv"
	"strings"
)

// Version is a semantic version (semver.org 2.0.0).
type Version struct {
	Major, Minor, Patch uint64
	Pre                 string // pre-release, without the '-'
	Build               string // build metadata, without the '+'
}

// ParseVersion parses a semantic version such as "0.2.0-rc-2023-10-18+build".
func ParseVersion(s string) (*Version, error) {
	v := &Version{}
	rest := s
	if i := strings.IndexByte(rest, '+'); i >= 0 {
		v.Build = rest[i+1:]
		rest = rest[:i]
		if err := checkIdents(v.Build, false); err != nil {
			return nil, fmt.Errorf("invalid build metadata in version %q: %v", s, err)
		}
	}
	if i := strings.IndexByte(rest, '-'); i >= 0 {
		v.Pre = rest[i+1:]
		rest = rest[:i]
		if err := checkIdents(v.Pre, true); err != nil {
			return nil, fmt.Errorf("invalid pre-release in version %q: %v", s, err)
		}
	}
	parts := strings.Split(rest, ".")
	if len(parts) != 3 {
		return nil, fmt.Errorf("invalid version %q: expected major.minor.patch", s)
	}
	nums := [3]*uint64{&v.Major, &v.Minor, &v.Patch}
	for i, p := range parts {
		if p == "" || (len(p) > 1 && p[0] == '0') {
			return nil, fmt.Errorf("invalid version %q: bad number %q", s, p)
		}
		n, err := strconv.ParseUint(p, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("invalid version %q: bad number %q", s, p)
		}
		*nums[i] = n
	}
	return v, nil
}

func checkIdents(s string, numericNoLeadingZero bool) error {
	if s == "" {
		return fmt.Errorf("empty")
	}
	for _, id := range strings.Split(s, ".") {
		if id == "" {
			return fmt.Errorf("empty identifier")
		}
		numeric := true
		for _, c := range id {
			switch {
			case c >= '0' && c <= '9':
			case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '-':
				numeric = false
			default:
				return fmt.Errorf("invalid character %q", c)
			}
		}
		if numericNoLeadingZero && numeric && len(id) > 1 && id[0] == '0' {
			return fmt.Errorf("leading zero in %q", id)
		}
	}
	return nil
}

// String formats v as semver text.
func (v *Version) String() string {
	s := strconv.FormatUint(v.Major, 10) + "." + strconv.FormatUint(v.Minor, 10) + "." + strconv.FormatUint(v.Patch, 10)
	if v.Pre != "" {
		s += "-" + v.Pre
	}
	if v.Build != "" {
		s += "+" + v.Build
	}
	return s
}

// Compare orders versions by semver precedence (build metadata ignored, then
// compared textually so that the order is total).
func (v *Version) Compare(o *Version) int {
	if c := cmpU(v.Major, o.Major); c != 0 {
		return c
	}
	if c := cmpU(v.Minor, o.Minor); c != 0 {
		return c
	}
	if c := cmpU(v.Patch, o.Patch); c != 0 {
		return c
	}
	if c := comparePre(v.Pre, o.Pre); c != 0 {
		return c
	}
	return strings.Compare(v.Build, o.Build)
}

func cmpU(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func comparePre(a, b string) int {
	switch {
	case a == b:
		return 0
	case a == "":
		return 1 // a release sorts after its pre-releases
	case b == "":
		return -1
	}
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(as) && i < len(bs); i++ {
		an, aerr := strconv.ParseUint(as[i], 10, 64)
		bn, berr := strconv.ParseUint(bs[i], 10, 64)
		switch {
		case aerr == nil && berr == nil:
			if c := cmpU(an, bn); c != 0 {
				return c
			}
		case aerr == nil:
			return -1 // numeric identifiers sort before alphanumeric ones
		case berr == nil:
			return 1
		default:
			if c := strings.Compare(as[i], bs[i]); c != 0 {
				return c
			}
		}
	}
	return cmpU(uint64(len(as)), uint64(len(bs)))
}

// CompatTrack returns the component-model "semver-compatible track" of v: the
// version with everything after the first non-zero component dropped
// (1.2.3 → "1", 0.2.3 → "0.2", 0.0.3 → "0.0.3"); pre-releases are their own
// track (the whole version).
func (v *Version) CompatTrack() string {
	switch {
	case v.Pre != "":
		return v.String()
	case v.Major != 0:
		return strconv.FormatUint(v.Major, 10)
	case v.Minor != 0:
		return "0." + strconv.FormatUint(v.Minor, 10)
	}
	return "0.0." + strconv.FormatUint(v.Patch, 10)
}

// PackageName is `namespace:name@version`.
type PackageName struct {
	Namespace string
	Name      string
	Version   *Version // nil when unversioned
}

// String formats the name as `ns:name` or `ns:name@version`.
func (n PackageName) String() string {
	s := n.Namespace + ":" + n.Name
	if n.Version != nil {
		s += "@" + n.Version.String()
	}
	return s
}

// Compare orders package names by namespace, name, then version; an
// unversioned name sorts before every version.
func (n PackageName) Compare(o PackageName) int {
	if c := strings.Compare(n.Namespace, o.Namespace); c != 0 {
		return c
	}
	if c := strings.Compare(n.Name, o.Name); c != 0 {
		return c
	}
	switch {
	case n.Version == nil && o.Version == nil:
		return 0
	case n.Version == nil:
		return -1
	case o.Version == nil:
		return 1
	}
	return n.Version.Compare(o.Version)
}

// ParsePackageName parses `ns:name` or `ns:name@version`.
func ParsePackageName(s string) (PackageName, error) {
	var n PackageName
	if at := strings.IndexByte(s, '@'); at >= 0 {
		v, err := ParseVersion(s[at+1:])
		if err != nil {
			return n, err
		}
		n.Version, s = v, s[:at]
	}
	ns, name, ok := strings.Cut(s, ":")
	if !ok || ns == "" || name == "" {
		return n, fmt.Errorf("invalid package name %q", s)
	}
	n.Namespace, n.Name = ns, name
	return n, nil
}
