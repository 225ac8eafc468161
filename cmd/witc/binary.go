package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/urfave/cli/v2"
	"github.com/witc-dev/witc/component"
	"github.com/witc-dev/witc/component/check"
	"github.com/witc-dev/witc/diag"
)

func validateCommand() *cli.Command {
	return &cli.Command{
		Name:      "validate",
		Usage:     "check that a component binary is well-formed and well-typed",
		ArgsUsage: "FILE.wasm",
		Description: "Decodes the component and checks it: index spaces, types, aliases, instantiations (subtyping),\n" +
			"canonical options and core signatures, names. Silent on success; exit status 1 with the problem otherwise.\n" +
			"With --json, prints the result on standard output as witc check --json does (an empty list when valid).",
		Flags: []cli.Flag{&cli.BoolFlag{Name: "json", Aliases: []string{"j"}, Usage: "print the problem as JSON on standard output, for editors and CI"}},
		Action: func(c *cli.Context) error {
			path, err := onePath(c)
			if err != nil {
				return err
			}
			b, err := os.ReadFile(path)
			readErr := err
			if err == nil {
				err = check.Validate(b)
			}
			if !c.Bool("json") {
				if err != nil && readErr == nil {
					err = fmt.Errorf("%s: invalid component: %w", path, err)
				}
				return err
			}
			r := jsonReport{Diagnostics: []jsonDiagnostic{}}
			if err != nil {
				r.Diagnostics = append(r.Diagnostics, validationJSON(path, err))
			}
			if err := writeJSON(c.App.Writer, r); err != nil {
				return err
			}
			if len(r.Diagnostics) > 0 {
				return errReported
			}
			return nil
		},
	}
}

// validationJSON is the diagnostic of a component that cannot be read or
// is invalid: code read-failed, invalid-binary (it does not decode: not
// wasm, truncated, malformed; with the offset of the problem) or
// invalid-component (it decodes but breaks a rule of the component model:
// types, indices, instantiations, canonical options, names).
func validationJSON(path string, err error) jsonDiagnostic {
	d := jsonDiagnostic{Severity: "error", Code: "invalid-component", Message: err.Error(), File: path, Notes: []jsonNote{}}
	var de *component.Error
	var pe *fs.PathError
	switch {
	case errors.As(err, &pe):
		d.Code, d.Message = string(diag.ReadFailed), pe.Err.Error()
	case errors.As(err, &de):
		d.Code, d.Message = string(diag.InvalidBinary), de.Msg
		d.Offset = &de.Offset
	default:
		if off, ok := check.Offset(err); ok {
			d.Offset = &off
		}
	}
	return d
}

func inspectCommand() *cli.Command {
	return &cli.Command{
		Name:      "inspect",
		Usage:     "describe a component binary: its structure and the types of its imports and exports",
		ArgsUsage: "FILE.wasm",
		Flags:     []cli.Flag{&cli.BoolFlag{Name: "json", Aliases: []string{"j"}, Usage: "print JSON for tools"}},
		Action: func(c *cli.Context) error {
			path, err := onePath(c)
			if err != nil {
				return err
			}
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			in, err := check.Inspect(b)
			if err != nil {
				return fmt.Errorf("%s: %v", path, err)
			}
			if c.Bool("json") {
				return writeJSON(c.App.Writer, in)
			}
			_, err = io.WriteString(c.App.Writer, in.Text())
			return err
		},
	}
}
