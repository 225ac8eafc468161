package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/urfave/cli/v2"
	"github.com/witc-dev/witc/canonabi"
	"github.com/witc-dev/witc/host"
	"github.com/witc-dev/witc/wasi"
	"github.com/witc-dev/witc/wave"
	"github.com/witc-dev/witc/wit"
)

func runCommand() *cli.Command {
	return &cli.Command{
		Name:      "run",
		Usage:     "run a wasi:cli/command component, or call one export with --invoke",
		ArgsUsage: "FILE.wasm [ARGS...]",
		Description: "Runs the component on wazero (pure Go) with a WASI 0.2 host: the arguments, the standard streams,\n" +
			"clocks and randomness; environment variables only when given. The exit status is the command's.\n" +
			"With --invoke 'f(1, \"x\")' it calls the export f (or iface#f) with WAVE arguments and prints the result.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "invoke", Usage: "call `EXPR`, e.g. 'add(1, 2)' or 'corpus:calc/math#add(1, 2)', and print the result"},
			&cli.StringSliceFlag{Name: "env", Usage: "set `NAME=VALUE` in the guest's environment (repeatable)"},
			&cli.BoolFlag{Name: "inherit-env", Usage: "give the guest the whole host environment"},
			&cli.StringSliceFlag{Name: "dir", Usage: "grant `HOST[::GUEST]`: the host directory, seen by the guest at GUEST (default the same path); repeatable"},
			&cli.BoolFlag{Name: "no-cache", Usage: "do not keep compiled code in the user cache directory"},
			&cli.BoolFlag{Name: "trap-unknown-imports", Usage: "link imports nothing provides as functions that trap when called, instead of refusing the component"},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() < 1 {
				return usagef("run: expected a component file")
			}
			path := c.Args().First()
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			cfg := wasi.Config{Args: append([]string{filepath.Base(path)}, c.Args().Tail()...),
				Stdin: os.Stdin, Stdout: c.App.Writer, Stderr: c.App.ErrWriter}
			if c.Bool("inherit-env") {
				for _, kv := range os.Environ() {
					k, v, _ := strings.Cut(kv, "=")
					cfg.Env = append(cfg.Env, [2]string{k, v})
				}
			}
			for _, d := range c.StringSlice("dir") {
				hostDir, guest, _ := strings.Cut(d, "::")
				if guest == "" {
					guest = hostDir
				}
				cfg.Dirs = append(cfg.Dirs, wasi.Dir{HostPath: hostDir, GuestPath: guest})
			}
			for _, kv := range c.StringSlice("env") {
				k, v, ok := strings.Cut(kv, "=")
				if !ok {
					return usagef("--env %q: expected NAME=VALUE", kv)
				}
				cfg.Env = append(cfg.Env, [2]string{k, v})
			}
			ctx := context.Background()
			opts := host.Options{Workers: runtime.NumCPU()}
			if !c.Bool("no-cache") {
				if dir, err := os.UserCacheDir(); err == nil {
					opts.CacheDir = filepath.Join(dir, "witc", "wazero")
				}
			}
			rt := host.NewRuntime(ctx, opts)
			defer rt.Close(ctx)
			l := host.NewLinker()
			if c.Bool("trap-unknown-imports") {
				l.TrapUnknownImports()
			}
			if err := wasi.Register(l, cfg); err != nil {
				return err
			}
			in, err := rt.Instantiate(ctx, l, b)
			if err != nil {
				return exitStatus(err)
			}
			if expr := c.String("invoke"); expr != "" {
				return invoke(ctx, c, in, expr)
			}
			run, err := in.Func("wasi:cli/run@0.2.0#run")
			if err != nil {
				return fmt.Errorf("%s is not a command (it does not export wasi:cli/run); use --invoke to call one of its exports: %v", path, err)
			}
			res, err := run.Call(ctx)
			if err != nil {
				return exitStatus(err)
			}
			if v, ok := res[0].(canonabi.Variant); ok && v.Case != 0 {
				return exitCode(1)
			}
			return nil
		},
	}
}

// exitCode is an error that only sets the process exit status.
type exitCode int

func (e exitCode) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

func exitStatus(err error) error {
	if code, ok := host.ExitCode(err); ok {
		if code == 0 {
			return nil
		}
		return exitCode(code)
	}
	return err
}

func invoke(ctx context.Context, c *cli.Context, in *host.Instance, expr string) error {
	// An interface function is named iface#func; WAVE parses the rest.
	prefix := ""
	if paren, hash := strings.IndexByte(expr, '('), strings.IndexByte(expr, '#'); hash >= 0 && (paren < 0 || hash < paren) {
		prefix, expr = expr[:hash+1], expr[hash+1:]
	}
	name, args, err := wave.ParseCall(expr)
	if err != nil {
		return usagef("--invoke %q: %v", prefix+expr, err)
	}
	name = prefix + name
	f, err := in.Func(name)
	if err != nil {
		return err
	}
	typ := f.Type()
	var ts []wit.Type
	for _, p := range typ.Params {
		ts = append(ts, p.Type)
	}
	vals, err := wave.ParseArgs(ts, args)
	if err != nil {
		return usagef("--invoke %q: %v", expr, err)
	}
	res, err := f.Call(ctx, vals...)
	if err != nil {
		return exitStatus(err)
	}
	if typ.Result == nil {
		return nil
	}
	s, err := wave.Format(typ.Result, res[0])
	if err != nil {
		return err
	}
	fmt.Fprintln(c.App.Writer, s)
	return nil
}

func isExitCode(err error) bool {
	var e exitCode
	return errors.As(err, &e)
}

func exitCodeOf(err error) int {
	var e exitCode
	errors.As(err, &e)
	return int(e)
}
