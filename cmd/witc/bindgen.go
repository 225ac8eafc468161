package main

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/urfave/cli/v2"
	"github.com/witc-dev/witc/bindgen"
	"github.com/witc-dev/witc/wit"
)

func bindgenCommand() *cli.Command {
	return &cli.Command{
		Name:      "bindgen",
		Usage:     "generate typed Go host bindings for a WIT world",
		ArgsUsage: "PATH",
		Description: "PATH is a .wit file, a package directory, or a component (whose own world is used).\n" +
			"The world is --world, or the only world of the main package.\n" +
			"Writes one Go file, DIR/bindings.go with -o DIR, else to standard output.",
		Flags: append(witFlags(),
			&cli.StringFlag{Name: "package", Usage: "the Go package `NAME` (default: the world's name without dashes; a component's file name)"},
			&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Usage: "write DIR/bindings.go in `DIR`"},
		),
		Action: func(c *cli.Context) error {
			res, pkg, err := loadWIT(c, loadOptions(c))
			if err != nil {
				return err
			}
			w, err := bindgenWorld(c, res, pkg)
			if err != nil {
				return err
			}
			src, err := bindgen.Generate(res, w, bindgen.Options{Package: c.String("package"), Input: c.Args().First()})
			if err != nil {
				return err
			}
			dir := c.String("output")
			if dir == "" {
				_, err := c.App.Writer.Write(src)
				return err
			}
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return err
			}
			return os.WriteFile(filepath.Join(dir, "bindings.go"), src, 0o644)
		},
	}
}

func bindgenWorld(c *cli.Context, res *wit.Resolve, pkg *wit.Package) (*wit.World, error) {
	if name := c.String("world"); name != "" {
		return selectWorld(res, pkg, name)
	}
	if pkg == nil || len(pkg.Worlds) != 1 {
		var names []string
		if pkg != nil {
			for _, w := range pkg.Worlds {
				names = append(names, w.Name)
			}
		}
		return nil, usagef("choose a world with --world (worlds of %s: %s)", pkgName(pkg), strings.Join(names, ", "))
	}
	return pkg.Worlds[0], nil
}
