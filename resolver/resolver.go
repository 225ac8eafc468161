package resolver

import (
	"sort"

	"github.com/witc-dev/witc/diag"
	"github.com/witc-dev/witc/parser/ast"
	"github.com/witc-dev/witc/wit"
)

// Config holds the options of resolution.
type Config struct {
	Features    []string // @unstable features to keep
	AllFeatures bool     // keep every @unstable item
	// Consume gives the syntax trees to Resolve, which empties each
	// interface and world of them (their Items) once it is resolved, so
	// that its syntax is garbage while the rest resolves: a large
	// package's tree is never all alive beside its resolved form. The
	// caller must not use the trees afterwards.
	Consume bool
}

// Group is the source of one package as loaded from disk: the files of a
// package directory (in path order) or a single file. Nested `package a:b
// { ... }` blocks in the files are packages of their own.
type Group struct {
	Files []*ast.File
}

// source is one package's items: its files' top-level items (or a nested
// package block's items), each list with its own top-level `use` namespace.
type source struct {
	name     wit.PackageName
	nameSpan diag.Span
	docs     wit.Docs
	lists    []declList
	group    int // index of the group it came from
	main     bool
}

type declList struct {
	file  *diag.File
	items []ast.Item // *ast.TopLevelUse, *ast.Interface, *ast.World
}

// Resolve resolves the groups into one wit.Resolve and returns, for each
// group, its main package (nil when it has none). Diagnostics go to r; the
// Resolve is returned even when there are errors, holding what could be
// resolved.
func (c *Config) Resolve(r *diag.Report, groups ...Group) (*wit.Resolve, []*wit.Package) {
	res := &wit.Resolve{}
	st := &state{cfg: c, r: r, res: res, byName: map[string]*wit.Package{},
		excludedTypes: map[*wit.Interface]map[string]bool{}, excludedItems: map[string]map[string]string{}}
	var sources []*source
	mains := make([]*source, len(groups))
	for gi, g := range groups {
		srcs, ok := st.splitGroup(gi, g)
		if !ok {
			continue
		}
		for _, s := range srcs {
			if s.main {
				mains[gi] = s
			}
		}
		sources = append(sources, srcs...)
	}
	order, ok := st.sortSources(sources)
	if ok {
		for _, s := range order {
			if !st.addPackage(s) {
				break // wit-parser stops at the first package that fails
			}
		}
	}
	out := make([]*wit.Package, len(groups))
	for i, s := range mains {
		if s != nil {
			out[i] = st.byName[s.name.String()]
		}
	}
	return res, out
}

// state is shared by the whole resolution.
type state struct {
	cfg    *Config
	r      *diag.Report
	res    *wit.Resolve
	byName map[string]*wit.Package
	// excludedTypes records, per resolved interface, the names of types that
	// were dropped by a feature gate; excludedItems, per package name, the
	// interfaces and worlds that were ("interface"/"world").
	excludedTypes map[*wit.Interface]map[string]bool
	excludedItems map[string]map[string]string
	// included counts the world items and type definitions that includes
	// have copied, against maxIncluded.
	included int
}

// maxIncluded bounds what includes copy into worlds, over a whole
// resolution. A world includes every item of the worlds it includes, so a
// chain of n worlds, each including the previous one, holds n²/2 items;
// no limit of wit-parser's stops that, so witc sets its own.
const maxIncluded = 100_000

func (st *state) featureEnabled(f string) bool {
	if st.cfg.AllFeatures {
		return true
	}
	for _, x := range st.cfg.Features {
		if x == f {
			return true
		}
	}
	return false
}

func (st *state) errorf(code diag.Code, at diag.Span, format string, args ...any) *diag.Diagnostic {
	return st.r.Errorf(code, at, format, args...)
}

// pkgName converts and validates a package name from the syntax tree.
func (st *state) pkgName(n *ast.PackageName) (wit.PackageName, bool) {
	out := wit.PackageName{Namespace: n.Namespace.Name, Name: n.Name.Name}
	if n.Version != nil {
		v, err := wit.ParseVersion(n.Version.Text)
		if err != nil {
			st.errorf(diag.InvalidVersion, n.Version.Span, "invalid version `%s`: %v", n.Version.Text, err)
			return out, false
		}
		out.Version = v
	}
	return out, true
}

// splitGroup separates a group into its main package and its nested ones.
func (st *state) splitGroup(gi int, g Group) ([]*source, bool) {
	var main *source
	var nested []*source
	var mainItems []declList
	var docsSpan diag.Span
	ok := true
	for _, f := range g.Files {
		if f.Package != nil {
			name, good := st.pkgName(&f.Package.Name)
			if !good {
				ok = false
				continue
			}
			if main == nil {
				main = &source{name: name, nameSpan: f.Package.Name.Span, group: gi, main: true}
			} else if main.name.String() != name.String() {
				st.errorf(diag.PackageMismatch, f.Package.Name.Span, "package identifier `%s` does not match previous package name of `%s`", name, main.name)
				ok = false
			}
			if d := docsOf(f.Package.Docs); d.Contents != "" {
				if main.docs.Contents != "" {
					st.errorf(diag.DuplicatePackage, f.Package.Docs.Comments[0].Span, "found doc comments on multiple 'package' items")
					ok = false
				} else {
					main.docs = d
					docsSpan = f.Package.Span
				}
			}
		}
		dl := declList{file: f.Source}
		for _, it := range f.Items {
			if np, isNested := it.(*ast.NestedPackage); isNested {
				name, good := st.pkgName(&np.Decl.Name)
				if !good {
					ok = false
					continue
				}
				s := &source{name: name, nameSpan: np.Decl.Name.Span, docs: docsOf(np.Decl.Docs), group: gi}
				s.lists = []declList{{file: f.Source, items: np.Items}}
				nested = append(nested, s)
				continue
			}
			dl.items = append(dl.items, it)
		}
		mainItems = append(mainItems, dl)
	}
	_ = docsSpan
	if main == nil {
		hasItems := false
		for _, dl := range mainItems {
			hasItems = hasItems || len(dl.items) > 0
		}
		if hasItems || len(nested) == 0 {
			st.errorf(diag.MissingPackage, diag.Span{}, "no `package` header was found in any WIT file for this package")
			return nil, false
		}
		return nested, ok
	}
	main.lists = mainItems
	return append([]*source{main}, nested...), ok
}

// foreignRefs lists the package names a source mentions, in wit-parser's
// order of first mention.
func foreignRefs(s *source) []*ast.PackageName {
	var out []*ast.PackageName
	seen := map[string]bool{}
	for _, dl := range s.lists {
		forEachPath(dl.items, func(_ *ast.Ident, _ []ast.Attr, p *ast.UsePath, _ []ast.UseName, _ bool) {
			if p.Package == nil {
				return
			}
			if key := pathPkgKey(p.Package); !seen[key] {
				seen[key] = true
				out = append(out, p.Package)
			}
		})
	}
	return out
}

func pathPkgKey(p *ast.PackageName) string {
	k := p.Namespace.Name + ":" + p.Name.Name
	if p.Version != nil {
		if v, err := wit.ParseVersion(p.Version.Text); err == nil {
			return k + "@" + v.String()
		}
		k += "@" + p.Version.Text
	}
	return k
}

// sortSources orders packages as wit-parser does: sorted by name, each
// preceded (depth first) by the packages it refers to.
func (st *state) sortSources(srcs []*source) ([]*source, bool) {
	sort.SliceStable(srcs, func(i, j int) bool { return srcs[i].name.Compare(srcs[j].name) < 0 })
	byName := map[string]*source{}
	for _, s := range srcs {
		k := s.name.String()
		if prev, dup := byName[k]; dup {
			a, b := s.nameSpan.Pos(), prev.nameSpan.Pos()
			st.errorf(diag.DuplicatePackage, diag.Span{}, "package `%s` is defined in two different locations:\n  * %s:%d:%d\n  * %s:%d:%d",
				k, a.Filename, a.Line, a.Column, b.Filename, b.Line, b.Column)
			return nil, false
		}
		byName[k] = s
	}
	var order []*source
	done := map[*source]bool{}
	visiting := map[string]bool{}
	var visit func(s *source) bool
	visit = func(s *source) bool {
		if done[s] {
			return true
		}
		for _, ref := range foreignRefs(s) {
			key := pathPkgKey(ref)
			if visiting[key] {
				st.errorf(diag.PackageCycle, ref.Span, "package `%s` creates a dependency cycle", key)
				return false
			}
			visiting[key] = true
			if dep := byName[key]; dep != nil {
				if !visit(dep) {
					return false
				}
			}
			delete(visiting, key)
		}
		done[s] = true
		order = append(order, s)
		return true
	}
	for _, s := range srcs {
		if !visit(s) {
			return nil, false
		}
	}
	return order, true
}
