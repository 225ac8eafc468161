package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"
	"github.com/witc-dev/witc/component"
	"github.com/witc-dev/witc/compose"
	"github.com/witc-dev/witc/diag"
	"github.com/witc-dev/witc/wac"
)

// wacFlags are compose's flags for WAC documents.
func wacFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "deps-dir", Usage: "with a .wac document: find package ns:name as `DIR`/ns/name.wasm, DIR/ns/name.wit or DIR/ns/name/ (default: deps beside the document)"},
		&cli.StringSliceFlag{Name: "dep", Usage: "with a .wac document: `NS:NAME=PATH`, the package's file or WIT directory (repeatable; before --deps-dir)"},
		&cli.BoolFlag{Name: "graph", Usage: "with a .wac document: print the composition graph in Graphviz DOT instead of encoding it"},
		&cli.BoolFlag{Name: "import-dependencies", Usage: "with a .wac document: import the packages it instantiates (unlocked-dep=<ns:name>) instead of nesting them"},
	}
}

// isWAC reports whether compose's arguments are a WAC document.
func isWAC(c *cli.Context) bool {
	return c.NArg() == 1 && strings.HasSuffix(c.Args().First(), ".wac")
}

// composeWAC composes what a WAC document describes.
func composeWAC(c *cli.Context) error {
	path := c.Args().First()
	src, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	opts := wac.Options{DepsDir: c.String("deps-dir"), Deps: map[string]string{}}
	if opts.DepsDir == "" {
		opts.DepsDir = defaultDepsDir(path)
	}
	for _, d := range c.StringSlice("dep") {
		name, file, ok := strings.Cut(d, "=")
		if !ok || name == "" || file == "" {
			return usagef("--dep %q: expected NS:NAME=PATH", d)
		}
		opts.Deps[name] = file
	}
	// The packages' files are mapped as plug mode's inputs are: the
	// composition nests them as they are, and the output file gets them
	// from the input files in the kernel.
	var maps []mapped
	var paths []string
	var releases []func()
	defer func() {
		for _, release := range releases {
			release()
		}
	}()
	opts.ReadFile = func(path string) ([]byte, error) {
		m, release, err := readMapped(path)
		if err != nil {
			return nil, err
		}
		maps, paths, releases = append(maps, m), append(paths, path), append(releases, release)
		return m.b, nil
	}
	graph, dry := c.Bool("graph"), c.Bool("dry-run")
	if !graph && !dry && c.String("output") == "" {
		return usagef("compose: give the output file with -o (or --graph, --dry-run to only show the composition)")
	}
	comp, err := wac.Compose(path, src, opts)
	if err != nil {
		var l diag.List
		if errors.As(err, &l) {
			color := isTerminal(c.App.ErrWriter) && os.Getenv("NO_COLOR") == ""
			io.WriteString(c.App.ErrWriter, diag.Renderer{Color: color}.Render(l))
			return errReported
		}
		return err
	}
	switch {
	case graph:
		_, err := io.WriteString(c.App.Writer, comp.Graph.DOT())
		return err
	case c.Bool("json"):
		if err := writeJSON(c.App.Writer, graphJSON(comp.Graph)); err != nil {
			return err
		}
	case dry:
		_, err := io.WriteString(c.App.Writer, graphText(comp.Graph))
		return err
	}
	if dry {
		return nil
	}
	// The composition is built, and checked, before the output file is
	// created: a composition that fails leaves it as it was.
	out, err := comp.Component(c.Bool("import-dependencies"))
	if err != nil {
		return err
	}
	if isInput(c.String("output"), paths) {
		// Creating the output would empty a package that is still to be
		// copied from: the composition is encoded in memory first.
		return os.WriteFile(c.String("output"), component.Encode(out), 0o644)
	}
	f, err := os.OpenFile(c.String("output"), os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	if err := component.EncodeTo(&fileOut{File: f, inputs: maps}, out); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// defaultDepsDir is `deps` beside the document.
func defaultDepsDir(path string) string { return filepath.Join(filepath.Dir(path), "deps") }

// jsonNode is a node of the composition graph in --json output.
type jsonNode struct {
	ID        int            `json:"id"`
	Kind      string         `json:"kind"`
	Name      string         `json:"name,omitempty"`
	Package   string         `json:"package,omitempty"`
	Import    string         `json:"import,omitempty"`
	Source    *int           `json:"source,omitempty"`
	Export    string         `json:"export,omitempty"`
	Arguments map[string]int `json:"arguments,omitempty"`
	Exports   []string       `json:"exports,omitempty"`
}

var nodeKinds = map[compose.NodeKind]string{
	compose.NodeImport: "import", compose.NodeInstantiation: "instantiation", compose.NodeAlias: "alias", compose.NodeType: "type",
}

func graphJSON(g *compose.Graph) map[string][]jsonNode {
	nodes := []jsonNode{}
	for i := range g.Len() {
		n := g.Node(compose.NodeID(i))
		j := jsonNode{ID: i, Kind: nodeKinds[n.Kind], Name: n.Name, Import: n.Import, Exports: n.Exports}
		if n.Package != nil {
			j.Package = n.Package.String()
		}
		if n.Kind == compose.NodeAlias {
			src := int(n.Source)
			j.Source, j.Export = &src, n.Export
		}
		if len(n.Arguments) > 0 {
			j.Arguments = map[string]int{}
			for a, s := range n.Arguments {
				j.Arguments[a] = int(s)
			}
		}
		nodes = append(nodes, j)
	}
	return map[string][]jsonNode{"nodes": nodes}
}

// graphText is --dry-run's account of a composition: a line per node.
func graphText(g *compose.Graph) string {
	var b strings.Builder
	for i := range g.Len() {
		n := g.Node(compose.NodeID(i))
		fmt.Fprintf(&b, "%d: ", i)
		switch n.Kind {
		case compose.NodeImport:
			fmt.Fprintf(&b, "import %q", n.Import)
		case compose.NodeInstantiation:
			fmt.Fprintf(&b, "instantiate %s", n.Package)
			var args []string
			for a, s := range n.Arguments {
				args = append(args, fmt.Sprintf("%s: %d", a, s))
			}
			if len(args) > 0 {
				slices.Sort(args)
				fmt.Fprintf(&b, " { %s }", strings.Join(args, ", "))
			}
		case compose.NodeAlias:
			fmt.Fprintf(&b, "export %q of %d", n.Export, n.Source)
		case compose.NodeType:
			fmt.Fprintf(&b, "type %s", n.Name)
		}
		for _, e := range n.Exports {
			fmt.Fprintf(&b, " → exported as %q", e)
		}
		b.WriteByte('\n')
	}
	return b.String()
}
