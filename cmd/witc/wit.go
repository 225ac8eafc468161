package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"runtime/metrics"
	"strings"

	"github.com/urfave/cli/v2"
	"github.com/witc-dev/witc/component"
	"github.com/witc-dev/witc/component/check"
	"github.com/witc-dev/witc/diag"
	"github.com/witc-dev/witc/loader"
	"github.com/witc-dev/witc/wit"
)

func checkCommand() *cli.Command {
	return &cli.Command{
		Name:      "check",
		Usage:     "parse and resolve WIT, reporting every error",
		ArgsUsage: "PATH",
		Description: "PATH is a .wit file or a package directory (its *.wit files plus deps/).\n" +
			"Prints diagnostics as path:line:col: error: message with the source line; exit status 1 when there are errors.\n" +
			"With --json, prints them on standard output as JSON instead (an empty list when there is none).",
		Flags: append(witFlags(),
			&cli.BoolFlag{Name: "json", Aliases: []string{"j"}, Usage: "print the diagnostics as JSON on standard output, for editors and CI"}),
		Action: func(c *cli.Context) error {
			opts := loadOptions(c)
			opts.Read = witMemoryLimit
			if !c.Bool("json") {
				_, _, err := loadWIT(c, opts)
				return err
			}
			path, err := onePath(c)
			if err != nil {
				return err
			}
			var r diag.Report
			res, pkg := loader.Load(path, opts, &r)
			if name := c.String("world"); name != "" && !r.HasErrors() {
				if _, err := selectWorld(res, pkg, name); err != nil {
					r.Errorf(diag.UndefinedName, diag.Span{}, "%v", err)
				}
			}
			if err := writeJSON(c.App.Writer, diagnosticsJSON(r.Diagnostics)); err != nil {
				return err
			}
			if r.HasErrors() {
				return errReported
			}
			return nil
		},
	}
}

func witCommand() *cli.Command {
	return &cli.Command{
		Name:      "wit",
		Usage:     "print resolved WIT as text, or as wasm-tools' JSON with --json",
		ArgsUsage: "PATH",
		Description: "PATH is a .wit file or a package directory (its *.wit files plus deps/).\n" +
			"Prints the main package followed by every package it depends on, in nested package blocks.",
		Flags: append(witFlags(),
			&cli.BoolFlag{Name: "json", Aliases: []string{"j"}, Usage: "print the resolve in wit-parser's JSON schema"},
			&cli.BoolFlag{Name: "wasm", Usage: "write the main package as a binary WIT package (a component of component types); needs -o"},
			&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Usage: "write to `FILE` instead of standard output"},
			&cli.BoolFlag{Name: "no-docs", Usage: "leave documentation comments out"},
			&cli.BoolFlag{Name: "world-only", Usage: "print the main package (a component's world root) and the packages of its own interfaces, leaving out WASI's"},
		),
		Action: func(c *cli.Context) error {
			if c.Bool("world-only") && (c.Bool("json") || c.Bool("wasm")) {
				return usagef("wit: --world-only applies to the WIT text, not to --json or --wasm")
			}
			opts := loadOptions(c)
			opts.Read = witMemoryLimit
			res, pkg, err := loadWIT(c, opts)
			if err != nil {
				return err
			}
			if c.Bool("no-docs") {
				res.StripDocs()
			}
			if c.Bool("wasm") {
				return writeWITPackage(c, res, pkg)
			}
			out := c.App.Writer
			if path := c.String("output"); path != "" {
				f, err := os.Create(path)
				if err != nil {
					return err
				}
				defer f.Close()
				out = f
			}
			w := bufio.NewWriterSize(out, 64<<10)
			if c.Bool("json") {
				if err := wit.WriteJSON(w, res); err != nil {
					return err
				}
				w.WriteByte('\n')
			} else {
				if c.Bool("world-only") {
					res = withoutWASI(res, pkg)
				}
				if c.String("output") != "" || !isTerminal(out) {
					if err := wit.Fprint(w, res, pkg); err != nil {
						return err
					}
					return w.Flush()
				}
				// Doc comments are printed as written: on a terminal,
				// escape sequences in them must not reach the screen.
				io.WriteString(w, diag.Printable(wit.Print(res, pkg), true))
			}
			return w.Flush()
		},
	}
}

// limitWITMemory says whether witMemoryLimit sets a limit: in the witc
// process, unless GOMEMLIMIT is in the environment.
var limitWITMemory bool

// witMemoryLimit sets the soft memory limit of a `witc check` or `witc
// wit` process from the size of the WIT text it read (loader.Options.Read).
// With GOGC at 400 (main) the first collection comes only after 16 MB of
// allocation: resolving WIT allocates about 27 bytes per byte of source, of
// which about 12 are alive at the peak (loader's BenchmarkPeakHeap), so
// that a 600 KB package would run at its whole allocation, 17 MB, with no
// collection. The limit, 28 bytes per byte of source above what the
// runtime holds once the text is read (and no less than 8 MB), lets the
// collector run near the peak instead, so that the process stays within
// about 30 bytes per byte of source beside its own pages, for about 10%
// more CPU (make proc-bench). A tighter limit saves a few MB more and costs
// twice the CPU or more (18 bytes per byte: 22 instead of 26 MB for the
// 614 KB synthetic package, 75 instead of 51 ms). WASI's packages, a tenth
// of that size, stay under it and are not collected at all.
func witMemoryLimit(size int64) {
	if !limitWITMemory {
		return
	}
	s := []metrics.Sample{{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}}
	metrics.Read(s)
	held := int64(s[0].Value.Uint64() - s[1].Value.Uint64())
	debug.SetMemoryLimit(held + max(8<<20, 28*size))
}

// withoutWASI is res without the packages of namespace wasi other than
// main: the world of a component and its own interfaces, which the default
// output prints after every WASI package it uses. The WASI interfaces stay
// named where they are used.
func withoutWASI(res *wit.Resolve, main *wit.Package) *wit.Resolve {
	out := &wit.Resolve{Worlds: res.Worlds, Interfaces: res.Interfaces, Types: res.Types}
	for _, p := range res.Packages {
		if p == main || p.Name.Namespace != "wasi" {
			out.Packages = append(out.Packages, p)
		}
	}
	return out
}

// writeWITPackage writes the main package in the binary WIT form.
func writeWITPackage(c *cli.Context, res *wit.Resolve, pkg *wit.Package) error {
	path := c.String("output")
	if path == "" {
		return usagef("wit --wasm writes binary output: give a file with -o")
	}
	if pkg == nil {
		return fmt.Errorf("no main package to encode")
	}
	comp, err := check.EncodeWIT(res, pkg)
	if err != nil {
		return err
	}
	return os.WriteFile(path, component.Encode(comp), 0o644)
}

// loadWIT loads the PATH argument with opts, prints diagnostics and checks
// --world.
func loadWIT(c *cli.Context, opts loader.Options) (*wit.Resolve, *wit.Package, error) {
	path, err := onePath(c)
	if err != nil {
		return nil, nil, err
	}
	var r diag.Report
	res, pkg := loader.Load(path, opts, &r)
	if len(r.Diagnostics) > 0 {
		color := isTerminal(c.App.ErrWriter) && os.Getenv("NO_COLOR") == "" // rustc's colours on a terminal only
		io.WriteString(c.App.ErrWriter, diag.Renderer{Color: color}.Render(r.Diagnostics))
	}
	if r.HasErrors() {
		return nil, nil, errReported
	}
	if name := c.String("world"); name != "" {
		if _, err := selectWorld(res, pkg, name); err != nil {
			return nil, nil, err
		}
	}
	return res, pkg, nil
}

// loadOptions are the loader's options the flags give.
func loadOptions(c *cli.Context) loader.Options {
	return loader.Options{Features: features(c), AllFeatures: c.Bool("all-features")}
}

// selectWorld finds a world by bare name in the main package or by its
// qualified name `ns:pkg/world[@version]` anywhere in the resolve.
func selectWorld(res *wit.Resolve, main *wit.Package, name string) (*wit.World, error) {
	if !strings.Contains(name, "/") {
		if main != nil {
			if w := main.World(name); w != nil {
				return w, nil
			}
		}
		var names []string
		if main != nil {
			for _, w := range main.Worlds {
				names = append(names, w.Name)
			}
		}
		return nil, fmt.Errorf("world %q not found in package %s (worlds: %s)", name, pkgName(main), strings.Join(names, ", "))
	}
	for _, p := range res.Packages {
		for _, w := range p.Worlds {
			if w.QualifiedName() == name || qualifiedWorldNoVersion(w) == name {
				return w, nil
			}
		}
	}
	return nil, fmt.Errorf("world %q not found", name)
}

func pkgName(p *wit.Package) string {
	if p == nil {
		return "<none>"
	}
	return p.Name.String()
}

func qualifiedWorldNoVersion(w *wit.World) string {
	n := w.Package.Name
	return n.Namespace + ":" + n.Name + "/" + w.Name
}
