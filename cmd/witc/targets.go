package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/urfave/cli/v2"
	"github.com/witc-dev/witc/compose"
	"github.com/witc-dev/witc/diag"
	"github.com/witc-dev/witc/loader"
)

func targetsCommand() *cli.Command {
	return &cli.Command{
		Name:      "targets",
		Usage:     "check that a component conforms to a WIT world",
		ArgsUsage: "COMPONENT.wasm WIT",
		Description: "WIT is a .wit file or a package directory; the world is --world, or the only world of its package.\n" +
			"The component conforms when it imports nothing the world does not import and exports everything\n" +
			"the world exports, each with a matching type (versions by semver), as wasm-tools component targets.\n" +
			"Prints that it conforms (exit status 0) or every problem (exit status 1).",
		Flags: witFlags(),
		Action: func(c *cli.Context) error {
			if c.NArg() != 2 {
				return usagef("expected COMPONENT.wasm and WIT, got %d arguments", c.NArg())
			}
			wasmPath, witPath := c.Args().Get(0), c.Args().Get(1)
			b, err := os.ReadFile(wasmPath)
			if err != nil {
				return err
			}
			var r diag.Report
			res, pkg := loader.Load(witPath, loadOptions(c), &r)
			if len(r.Diagnostics) > 0 {
				color := isTerminal(c.App.ErrWriter) && os.Getenv("NO_COLOR") == ""
				io.WriteString(c.App.ErrWriter, diag.Renderer{Color: color}.Render(r.Diagnostics))
			}
			if r.HasErrors() {
				return errReported
			}
			w, err := bindgenWorld(c, res, pkg)
			if err != nil {
				return err
			}
			err = compose.Targets(b, w)
			var te *compose.TargetsError
			switch {
			case errors.As(err, &te):
				return fmt.Errorf("%s: %w", wasmPath, err)
			case err != nil:
				return fmt.Errorf("%s: %w", wasmPath, err)
			}
			fmt.Fprintf(c.App.Writer, "%s conforms to world %s\n", wasmPath, w.QualifiedName())
			return nil
		},
	}
}
