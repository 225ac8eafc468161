package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/urfave/cli/v2"
	"github.com/witc-dev/witc/component/check"
)

func validateCommand() *cli.Command {
	return &cli.Command{
		Name:      "validate",
		Usage:     "check that a component binary is well-formed and well-typed",
		ArgsUsage: "FILE.wasm",
		Description: "Decodes the component and checks it: index spaces, types, aliases, instantiations (subtyping),\n" +
			"canonical options and core signatures, names. Silent on success; exit status 1 with the problem otherwise.",
		Action: func(c *cli.Context) error {
			path, err := onePath(c)
			if err != nil {
				return err
			}
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			if err := check.Validate(b); err != nil {
				return fmt.Errorf("%s: invalid component: %v", path, err)
			}
			return nil
		},
	}
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
				enc := json.NewEncoder(c.App.Writer)
				enc.SetIndent("", "  ")
				enc.SetEscapeHTML(false)
				return enc.Encode(in)
			}
			_, err = io.WriteString(c.App.Writer, in.Text())
			return err
		},
	}
}
