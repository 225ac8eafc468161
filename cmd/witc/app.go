package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"strings"

	"github.com/urfave/cli/v2"
)

// Exit codes.
const (
	exitOK       = 0
	exitFailure  = 1 // diagnostics or a failed operation
	exitUsage    = 2 // bad flags or arguments
	exitInternal = 3 // a bug in witc
)

// version is set by the build (-ldflags "-X main.version=...").
var version = "devel"

// usageError marks errors in how witc was invoked.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

// failure is an error already reported to the user (diagnostics were
// printed); it only sets the exit code.
var errReported = errors.New("reported")

// run executes witc with args and returns the process exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) (code int) {
	defer func() {
		if p := recover(); p != nil {
			fmt.Fprintf(stderr, "witc: internal error: %v\n%s", p, debug.Stack())
			code = exitInternal
		}
	}()
	app := newApp(stdout, stderr)
	err := app.RunContext(ctx, interspersed(app, args))
	var ue usageError
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, errReported):
		return exitFailure
	case isExitCode(err):
		return exitCodeOf(err)
	case errors.As(err, &ue), isFlagError(err):
		fmt.Fprintf(stderr, "witc: %v\n", err)
		return exitUsage
	default:
		fmt.Fprintf(stderr, "witc: %v\n", err)
		return exitFailure
	}
}

// interspersed moves a subcommand's flags before its arguments, so that
// `witc compose a.wasm b.wasm -o out.wasm` works (urfave/cli stops parsing
// flags at the first argument). Everything after `--` is left alone.
func interspersed(app *cli.App, args []string) []string {
	if len(args) < 3 {
		return args
	}
	cmd := app.Command(args[1])
	if cmd == nil {
		return args
	}
	takesValue := map[string]bool{}
	for _, f := range cmd.Flags {
		_, isBool := f.(*cli.BoolFlag)
		for _, n := range f.Names() {
			takesValue[n] = !isBool
		}
	}
	var flags, rest []string
	for i := 2; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			rest = append(rest, args[i:]...)
			break
		}
		if len(a) > 1 && a[0] == '-' {
			flags = append(flags, a)
			name := strings.TrimLeft(a, "-")
			if !strings.Contains(name, "=") && takesValue[name] && i+1 < len(args) {
				flags = append(flags, args[i+1])
				i++
			}
			continue
		}
		rest = append(rest, a)
	}
	out := append([]string{args[0], args[1]}, flags...)
	return append(out, rest...)
}

// isFlagError recognises urfave/cli's own usage errors, which are plain errors.
func isFlagError(err error) bool {
	s := err.Error()
	return strings.HasPrefix(s, "flag provided but not defined") ||
		strings.HasPrefix(s, "invalid value") ||
		strings.Contains(s, "Required flag") ||
		strings.HasPrefix(s, "flag needs an argument")
}

func newApp(stdout, stderr io.Writer) *cli.App {
	return &cli.App{
		Name:            "witc",
		Usage:           "a toolchain for the WebAssembly Component Model",
		Version:         version,
		Writer:          stdout,
		ErrWriter:       stderr,
		HideHelpCommand: true,
		ExitErrHandler:  func(*cli.Context, error) {}, // run maps errors to exit codes
		OnUsageError: func(_ *cli.Context, err error, _ bool) error {
			return usageError{err.Error()}
		},
		Commands: []*cli.Command{
			checkCommand(),
			witCommand(),
			validateCommand(),
			inspectCommand(),
			composeCommand(),
			runCommand(),
			bindgenCommand(),
		},
	}
}

// witFlags are the flags shared by commands that load WIT.
func witFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringSliceFlag{Name: "features", Usage: "enable the `FEATURE`s of @unstable items (comma-separated or repeated)"},
		&cli.BoolFlag{Name: "all-features", Usage: "enable every @unstable feature"},
		&cli.StringFlag{Name: "world", Usage: "the `WORLD` to select (a name in the main package, or ns:pkg/world)"},
	}
}

// features splits --features values on commas, as wasm-tools does.
func features(c *cli.Context) []string {
	var out []string
	for _, v := range c.StringSlice("features") {
		for _, f := range strings.Split(v, ",") {
			if f = strings.TrimSpace(f); f != "" {
				out = append(out, f)
			}
		}
	}
	return out
}

func onePath(c *cli.Context) (string, error) {
	if c.NArg() != 1 {
		return "", usagef("%s: expected exactly one PATH argument, got %d", c.Command.Name, c.NArg())
	}
	return c.Args().First(), nil
}
