package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/urfave/cli/v2"
	"github.com/witc-dev/witc/compose"
)

func composeCommand() *cli.Command {
	return &cli.Command{
		Name:      "compose",
		Usage:     "link components: plug the exports of the others into the imports of the first",
		ArgsUsage: "ROOT.wasm PLUG.wasm [PLUG.wasm...] | DOCUMENT.wac",
		Description: "The first component is the root: its exports are the result's exports. Every import of every\n" +
			"component is satisfied by a matching export of another plug (exact name, then a semver-compatible\n" +
			"version, with a type check); the rest become imports of the result, merged across components. The\n" +
			"root's exports satisfy no import: a plug importing what the root exports imports it from outside.\n" +
			"This plug form is the shorthand; a WAC document (DOCUMENT.wac, the language of wac compose) describes\n" +
			"any composition: instances with their arguments, several instances of one package, renamed exports.\n" +
			"Its packages ns:name are found with --dep and --deps-dir (default: deps beside the document).",
		Flags: append([]cli.Flag{
			&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Usage: "write the composed component to `FILE`"},
			&cli.StringSliceFlag{Name: "plug", Usage: "`IMPORT=COMPONENT`: take IMPORT from COMPONENT (a path given, or its end: x.wasm, d1/x.wasm) when several provide it"},
			&cli.BoolFlag{Name: "allow-unused", Usage: "accept components none of whose exports is used"},
			&cli.BoolFlag{Name: "dry-run", Aliases: []string{"explain"}, Usage: "print how the components would be wired; write nothing"},
			&cli.BoolFlag{Name: "json", Usage: "print the wiring as JSON on standard output (with -o, as well as writing the component)"},
		}, wacFlags()...),
		Action: func(c *cli.Context) error {
			if isWAC(c) {
				return composeWAC(c)
			}
			if c.NArg() < 2 {
				return usagef("compose: expected a root component and at least one plug, got %d file(s)", c.NArg())
			}
			dry := c.Bool("dry-run")
			if !dry && c.String("output") == "" {
				return usagef("compose: give the output file with -o (or --dry-run to only show the wiring)")
			}
			// Garbage is collected at witc's relaxed pace: the inputs are
			// mapped rather than read (on Unix) and composing them allocates
			// a few MB, which a collection would save less of than it costs.
			opts := compose.Options{AllowUnused: c.Bool("allow-unused"), Plugs: map[string]string{}}
			for _, p := range c.StringSlice("plug") {
				imp, who, ok := strings.Cut(p, "=")
				if !ok {
					return usagef("--plug %q: expected IMPORT=COMPONENT", p)
				}
				opts.Plugs[imp] = inputName(who)
			}
			var inputs []compose.Input
			var maps []mapped
			for _, path := range c.Args().Slice() {
				m, release, err := readMapped(path)
				if err != nil {
					return err
				}
				defer release()
				maps = append(maps, m)
				inputs = append(inputs, compose.Input{Name: inputName(path), Bytes: m.b})
			}
			res, err := compose.Compose(inputs, opts)
			if err != nil {
				return err
			}
			if c.Bool("json") {
				if err := writeJSON(c.App.Writer, res.Plan); err != nil {
					return err
				}
			} else if dry {
				if _, err := io.WriteString(c.App.Writer, res.Plan.Text()); err != nil {
					return err
				}
			}
			if dry {
				return nil
			}
			if isInput(c.String("output"), c.Args().Slice()) {
				// Creating the output would empty an input that is still to
				// be copied from: the composition is encoded in memory first.
				return os.WriteFile(c.String("output"), res.Bytes(), 0o666)
			}
			f, err := os.Create(c.String("output"))
			if err != nil {
				return err
			}
			if err := res.Write(&fileOut{File: f, inputs: maps}); err != nil {
				f.Close()
				return err
			}
			return f.Close()
		},
	}
}

// isInput reports whether the file at path is one of the inputs.
func isInput(path string, inputs []string) bool {
	st, err := os.Stat(path)
	if err != nil {
		return false
	}
	for _, in := range inputs {
		if ist, err := os.Stat(in); err == nil && os.SameFile(st, ist) {
			return true
		}
	}
	return false
}

// inputName identifies a component given on the command line: its path,
// cleaned, with `/` between directories (compose names it by the shortest
// end of that path that tells it from the others).
func inputName(path string) string { return filepath.ToSlash(filepath.Clean(path)) }
