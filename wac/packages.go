package wac

import (
	"errors"
	"os"
	"path/filepath"
	"strings"

	"github.com/witc-dev/witc/component/check"
	"github.com/witc-dev/witc/compose"
	"github.com/witc-dev/witc/diag"
	"github.com/witc-dev/witc/loader"
	"github.com/witc-dev/witc/wit"
)

// pkg is a package a document refers to: a component (comp set, used by
// `new`), and its WIT (res and main set when it could be read: a binary
// WIT package, a .wit file or a WIT directory; for a component, the
// world it implements).
type pkg struct {
	name  string // ns:name@version
	comp  *compose.Package
	cerr  error // why the package cannot be instantiated
	res   *wit.Resolve
	main  *wit.Package
	isWIT bool // a WIT package, not a component
}

// errNoPackage: neither Deps nor DepsDir has the package.
var errNoPackage = errors.New("unknown package")

// findPackage returns the path of package name (ns:name) at version v
// (nil for none): Deps first ("ns:name@v", then "ns:name"), then DepsDir.
func (o *Options) findPackage(name string, v *wit.Version) (string, error) {
	if v != nil {
		if p, ok := o.Deps[name+"@"+v.String()]; ok {
			return p, nil
		}
	}
	if p, ok := o.Deps[name]; ok {
		return p, nil
	}
	if o.DepsDir == "" {
		return "", errNoPackage
	}
	base := filepath.Join(o.DepsDir, filepath.FromSlash(strings.ReplaceAll(name, ":", "/")))
	for _, p := range []string{base + ".wasm", base + ".wit", base} {
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return "", errNoPackage
}

// loadPackage reads package name at version v once, registering a
// component in the graph.
func (r *resolver) loadPackage(name string, v *wit.Version, at diag.Span) (*pkg, *diag.Diagnostic) {
	key := name
	if v != nil {
		key += "@" + v.String()
	}
	if p, ok := r.pkgs[key]; ok {
		return p, nil
	}
	path, err := r.opts.findPackage(name, v)
	if err != nil {
		return nil, r.errorf(diag.UnknownPackage, at, "unknown package `%s`", name)
	}
	p := &pkg{name: key}
	st, err := os.Stat(path)
	if err != nil {
		return nil, r.errorf(diag.ReadFailed, at, "failed to resolve package `%s`: %v", name, err)
	}
	if !st.IsDir() && strings.HasSuffix(path, ".wasm") {
		read := r.opts.ReadFile
		if read == nil {
			read = os.ReadFile
		}
		b, err := read(path)
		if err != nil {
			return nil, r.errorf(diag.ReadFailed, at, "failed to resolve package `%s`: %v", name, err)
		}
		// A component (one whose WIT cannot be extracted still
		// instantiates), else a binary WIT package: the graph decodes and
		// checks a component once.
		p.comp, p.cerr = r.g.AddPackage(name, v, b)
		if p.cerr == nil {
			p.res = p.comp.WIT()
		} else if res, main, werr := check.DecodeWIT(b); werr == nil && main != nil && !(main.Name.Namespace == "root" && main.Name.Name == "component") {
			p.comp, p.res, p.main, p.isWIT = nil, res, main, true
		} else {
			return nil, r.errorf(diag.InvalidBinary, at, "failed to parse package `%s`\n%v", name, p.cerr)
		}
		if p.res == nil {
			p.res = &wit.Resolve{}
		}
	} else {
		var rep diag.Report
		res, main := loader.Load(path, loader.Options{}, &rep)
		if err := rep.Err(); err != nil {
			return nil, r.errorf(diag.InvalidBinary, at, "failed to parse package `%s`\n%v", name, err)
		}
		p.res, p.main, p.isWIT = res, main, true
	}
	r.pkgs[key] = p
	return p, nil
}

// component returns the package to instantiate for `new ns:name@v`.
func (r *resolver) component(pn *PackageName) (*compose.Package, *diag.Diagnostic) {
	v, d := r.version(pn.Version)
	if d != nil {
		return nil, d
	}
	p, d := r.loadPackage(pn.Name(), v, pn.Span)
	if d != nil {
		return nil, d
	}
	if p.comp == nil {
		return nil, r.errorf(diag.WrongKind, pn.Span, "package `%s` is not a component and cannot be instantiated", pn.String())
	}
	return p.comp, nil
}

func (r *resolver) version(v *Version) (*wit.Version, *diag.Diagnostic) {
	if v == nil {
		return nil, nil
	}
	wv, err := wit.ParseVersion(v.Text)
	if err != nil {
		return nil, r.errorf(diag.InvalidVersion, v.Span, "invalid version `%s`: %v", v.Text, err)
	}
	return wv, nil
}
