package wac

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/witc-dev/witc/component"
	"github.com/witc-dev/witc/component/check"
	"github.com/witc-dev/witc/diag"
	"github.com/witc-dev/witc/wit"
)

// wacCache is where `make wac-conformance` put the binaries of wac's WAT
// packages (internal/wacconf/convert.mjs), "" when it is not set.
func wacCache() string { return os.Getenv("WITC_WAC_CACHE") }

// errNeedsCache: a case has WAT packages and no cache holds their binaries.
var errNeedsCache = errors.New("needs WITC_WAC_CACHE (make wac-conformance)")

// caseDeps maps the packages of case X (the folder X beside X.wac:
// X/ns/name.wat, .wit, .wasm or a directory X/ns/name/) to their paths; a
// WAT package maps to its binary in the cache.
func caseDeps(wacPath, root string) (map[string]string, error) {
	dir := strings.TrimSuffix(wacPath, ".wac")
	deps := map[string]string{}
	nss, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return deps, nil
	}
	if err != nil {
		return nil, err
	}
	for _, ns := range nss {
		if !ns.IsDir() {
			continue
		}
		ents, err := os.ReadDir(filepath.Join(dir, ns.Name()))
		if err != nil {
			return nil, err
		}
		for _, e := range ents {
			p := filepath.Join(dir, ns.Name(), e.Name())
			name := e.Name()
			switch {
			case e.IsDir():
			case strings.HasSuffix(name, ".wat"):
				name = strings.TrimSuffix(name, ".wat")
				if wacCache() == "" {
					return nil, errNeedsCache
				}
				rel, err := filepath.Rel(root, p)
				if err != nil {
					return nil, err
				}
				p = filepath.Join(wacCache(), rel+".wasm")
				if _, err := os.Stat(p); err != nil {
					return nil, fmt.Errorf("%s: %w", errNeedsCache, err)
				}
			case strings.HasSuffix(name, ".wit"), strings.HasSuffix(name, ".wasm"):
				name = strings.TrimSuffix(strings.TrimSuffix(name, ".wit"), ".wasm")
			default:
				continue
			}
			deps[ns.Name()+":"+name] = p
		}
	}
	return deps, nil
}

// readKnown reads a known-differences file of testdata: "case: reason" a
// line, # comments.
func readKnown(t testing.TB, file string) map[string]string {
	f, err := os.Open(filepath.Join("testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	known := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, reason, _ := strings.Cut(line, ":")
		known[strings.TrimSpace(name)] = strings.TrimSpace(reason)
	}
	return known
}

// resolveCase parses and resolves one of wac's documents with its packages.
func resolveCase(t *testing.T, path, root string) (*Composition, error, error) {
	deps, err := caseDeps(path, root)
	if err != nil {
		return nil, nil, err
	}
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	c, rerr := Compose(path, src, Options{Deps: deps})
	return c, rerr, nil
}

// TestWacResolution resolves each of wac's resolution cases: passes give
// wac's DOT graph, failures wac's error at its line:col, worded as wac
// words it. Differences are listed in testdata/resolve-known.txt, which
// is enforced both ways. Cases with WAT packages need WITC_WAC_CACHE.
func TestWacResolution(t *testing.T) {
	tests := testsDir(t)
	root := filepath.Dir(filepath.Dir(tests)) // the conformance folder
	known := readKnown(t, "resolve-known.txt")
	check := func(name string, ok bool, detail string) {
		t.Helper()
		reason, listed := known[name]
		switch {
		case !ok && !listed:
			t.Errorf("%s: %s (not in testdata/resolve-known.txt)", name, detail)
		case ok && listed:
			t.Errorf("%s: now matches wac; remove it from testdata/resolve-known.txt (%s)", name, reason)
		}
	}
	skipped := 0
	passes := glob(t, filepath.Join(tests, "resolution", "*.wac"))
	dotOK := 0
	for _, p := range passes {
		name := "resolution/" + filepath.Base(p)
		c, err, skip := resolveCase(t, p, root)
		if skip != nil {
			skipped++
			delete(known, name)
			continue
		}
		want, rerr := os.ReadFile(p + ".result")
		if rerr != nil {
			t.Fatal(rerr)
		}
		got := ""
		if err != nil {
			got = "error: " + err.Error()
		} else {
			got = c.Graph.DOT()
		}
		ok := got == string(want)
		if ok {
			dotOK++
		}
		check(name, ok, fmt.Sprintf("DOT differs:\n%s\nwac's:\n%s", got, want))
	}
	fails := glob(t, filepath.Join(tests, "resolution", "fail", "*.wac"))
	posOK, msgOK, rejected := 0, 0, 0
	for _, p := range fails {
		name := "resolution/fail/" + filepath.Base(p)
		_, err, skip := resolveCase(t, p, root)
		if skip != nil {
			t.Logf("%s: skipped: %v", name, skip)
			skipped++
			delete(known, name)
			continue
		}
		wantMsg, wantPos := wacError(t, p+".result")
		var list diag.List
		if !errors.As(err, &list) || len(list) == 0 {
			check(name, false, fmt.Sprintf("resolved without error; wac: %s at %s", wantMsg, wantPos))
			continue
		}
		rejected++
		d := list[0]
		msg, _, _ := strings.Cut(d.Message, "\n")
		pos := lineCol(d)
		if pos == wantPos {
			posOK++
		}
		if msg == wantMsg {
			msgOK++
		}
		check(name, pos == wantPos && msg == wantMsg, fmt.Sprintf("%s at %s; wac: %s at %s", msg, pos, wantMsg, wantPos))
	}
	t.Logf("wac resolution: %d of %d DOT graphs equal; %d of %d failures rejected, %d at wac's line:col, %d worded as wac; %d cases skipped (no WITC_WAC_CACHE)",
		dotOK, len(passes), rejected, len(fails), posOK, msgOK, skipped)
}

// TestWacEncoding composes each of wac's encoding cases, validates the
// output and compares its WIT with that of wac's composition (X.wac.result
// converted by make wac-conformance). Differences are in
// testdata/resolve-known.txt as "encoding/X.wac".
func TestWacEncoding(t *testing.T) {
	tests := testsDir(t)
	if wacCache() == "" {
		t.Skip("WITC_WAC_CACHE is not set (make wac-conformance)")
	}
	root := filepath.Dir(filepath.Dir(tests))
	known := readKnown(t, "resolve-known.txt")
	files := glob(t, filepath.Join(tests, "encoding", "*.wac"))
	same := 0
	for _, p := range files {
		name := "encoding/" + filepath.Base(p)
		detail := ""
		c, err, skip := resolveCase(t, p, root)
		switch {
		case skip != nil:
			t.Logf("%s: skipped: %v", name, skip)
			continue
		case err != nil:
			detail = "resolve: " + err.Error()
		default:
			detail = compareEncoding(t, c, p, root)
		}
		if detail == "" {
			same++
		}
		reason, listed := known[name]
		switch {
		case detail != "" && !listed:
			t.Errorf("%s: %s (not in testdata/resolve-known.txt)", name, detail)
		case detail == "" && listed:
			t.Errorf("%s: now matches wac; remove it from testdata/resolve-known.txt (%s)", name, reason)
		}
	}
	t.Logf("wac encoding: %d of %d compositions valid with wac's WIT", same, len(files))
}

// compareEncoding encodes c and compares its WIT with wac's composition;
// "" when equal.
func compareEncoding(t *testing.T, c *Composition, wacPath, root string) string {
	out, err := c.Encode()
	if err != nil {
		return "encode: " + err.Error()
	}
	if err := check.Validate(out); err != nil {
		return "invalid output: " + err.Error()
	}
	rel, err := filepath.Rel(root, wacPath)
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join(wacCache(), rel+".result.wasm"))
	if err != nil {
		return "wac's composition not converted: " + err.Error()
	}
	witOf := func(b []byte) string {
		res, main, err := check.DecodeWIT(b)
		if err != nil {
			return "error: " + err.Error()
		}
		return wit.Print(res, main)
	}
	if g, w := witOf(out), witOf(want); g != w {
		return fmt.Sprintf("WIT differs:\n%s\nwac's:\n%s", g, w)
	}
	// A composition exporting types has no WIT as a whole: its imports
	// and exports are compared with their types, and the WIT of each
	// interface or world it exports as a type.
	if g, w := typesOf(out), typesOf(want); g != w {
		return fmt.Sprintf("types differ:\n%s\nwac's:\n%s", g, w)
	}
	return ""
}

// typesOf describes a component's imports and exports with their types
// (check.Inspect), and prints the WIT of each export that is the
// component type of an interface or a world (as a binary WIT package
// exports them: self-contained, so they decode alone).
func typesOf(b []byte) string {
	in, err := check.Inspect(b)
	if err != nil {
		return "error: " + err.Error()
	}
	var sb strings.Builder
	for _, x := range in.Imports {
		if strings.Contains(x.Name, "dep=<") {
			continue // a package wac imports (compared as nested)
		}
		fmt.Fprintf(&sb, "import %s: %s\n", x.Name, x.Type)
	}
	for _, x := range in.Exports {
		fmt.Fprintf(&sb, "export %s: %s\n", x.Name, x.Type)
	}
	c, err := component.Decode(b)
	if err != nil {
		return "error: " + err.Error()
	}
	// The type index space: definitions, and exports of types (which
	// stand for the type they export).
	var types []component.Type
	for _, s := range c.Sections {
		switch s := s.(type) {
		case *component.TypeSection:
			types = append(types, s.Types...)
		case *component.ImportSection:
			for _, im := range s.Imports {
				if im.Type.Kind == component.ExternType {
					types = append(types, nil)
				}
			}
		case *component.AliasSection:
			for _, a := range s.Aliases {
				if a.Sort == component.SortType {
					types = append(types, nil)
				}
			}
		case *component.ExportSection:
			for _, e := range s.Exports {
				if e.Item.Sort != component.SortType {
					continue
				}
				var t component.Type
				if int(e.Item.Index) < len(types) {
					t = types[e.Item.Index]
				}
				types = append(types, t)
				ct, ok := t.(*component.ComponentType)
				if !ok {
					continue
				}
				pkg := &component.Component{Sections: []component.Section{
					&component.TypeSection{Types: []component.Type{ct}},
					&component.ExportSection{Exports: []component.Export{{Name: e.Name, Item: component.SortIdx{Sort: component.SortType}}}},
				}}
				res, main, err := check.DecodeWIT(component.Encode(pkg))
				if err != nil {
					fmt.Fprintf(&sb, "type %s: error: %v\n", e.Name.Name, err)
					continue
				}
				fmt.Fprintf(&sb, "type %s:\n%s", e.Name.Name, wit.Print(res, main))
			}
		}
	}
	return sb.String()
}
