package wit

import "strings"

// The one rule for matching versioned names (`ns:pkg/iface@1.2.3`), used by
// composition, linking and export lookup alike (component-model
// Explainer.md, "Import and Export Definitions": an import may be satisfied
// by any export whose version is on the same semver-compatible track).

// SplitVersion splits a name into the part before its version and the
// version; a name without a valid `@version` suffix is returned whole with
// a nil version.
func SplitVersion(name string) (string, *Version) {
	at := strings.LastIndexByte(name, '@')
	if at < 0 {
		return name, nil
	}
	v, err := ParseVersion(name[at+1:])
	if err != nil {
		return name, nil
	}
	return name[:at], v
}

// CompatKey is the key under which semver-compatible names meet: the name
// with its version replaced by that version's compatibility track
// (Version.CompatTrack). A name without a version is its own key.
func CompatKey(name string) string {
	base, v := SplitVersion(name)
	if v == nil {
		return name
	}
	return base + "@" + v.CompatTrack()
}

// Compatible reports whether two names may stand for each other: equal, or
// the same name at versions on one compatibility track.
func Compatible(a, b string) bool { return a == b || CompatKey(a) == CompatKey(b) }

// MatchName picks, among names, the one that want refers to: want itself
// when present, else the highest version compatible with it. When anyVersion
// is set, a want without a version also matches the highest version of the
// same name (a convenience for people typing names, never for linking).
// It returns "" when nothing matches.
func MatchName(want string, names []string, anyVersion bool) string {
	base, wv := SplitVersion(want)
	key := CompatKey(want)
	best := ""
	var bestV *Version
	for _, n := range names {
		if n == want {
			return n
		}
		b, v := SplitVersion(n)
		ok := v != nil && (CompatKey(n) == key || anyVersion && wv == nil && b == base)
		if ok && (best == "" || v.Compare(bestV) > 0) {
			best, bestV = n, v
		}
	}
	return best
}
