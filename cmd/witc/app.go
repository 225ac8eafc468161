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

// version may be set by the build (-ldflags "-X main.version=..."); when it
// is not, witc reads the version the Go toolchain recorded (see
// versionString).
var version = ""

// versionString is witc's version: the one set at link time, else the
// module's version from the build information (`go install …@v1.2.3`
// records v1.2.3; a build in a git checkout records a pseudo-version such as
// v0.0.0-20261130125021-7eb213e78de6, +dirty when the tree had changes),
// else the revision control information alone, else "devel".
func versionString() string {
	if version != "" {
		return version
	}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "devel"
	}
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	var rev, dirty string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = "+dirty"
			}
		}
	}
	if rev != "" {
		return "devel-" + rev[:min(12, len(rev))] + dirty
	}
	return "devel"
}

// usageError marks errors in how witc was invoked. Unless quiet, the
// message is followed by where to find the command's usage.
type usageError struct {
	msg   string
	quiet bool
}

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{msg: fmt.Sprintf(format, args...)} }

// errReported is an error already reported to the user (diagnostics were
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
	args, err := prepareArgs(app, args)
	cmd := "" // the command whose help a usage error points to
	if err == nil {
		if app.Command(args[1]) != nil {
			cmd = args[1]
		}
		err = app.RunContext(ctx, args)
	}
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
		if ue.quiet {
			return exitUsage
		}
		if cmd != "" {
			fmt.Fprintf(stderr, "Run 'witc help %s' for its usage.\n", cmd)
		} else {
			fmt.Fprintf(stderr, "Run 'witc help' for the commands.\n")
		}
		return exitUsage
	default:
		fmt.Fprintf(stderr, "witc: %v\n", err)
		return exitFailure
	}
}

// isHelpFlag reports whether a is a request for help.
func isHelpFlag(a string) bool { return a == "-h" || a == "--help" || a == "-help" }

// prepareArgs turns the command line into what urfave/cli runs:
//
//   - `witc help [COMMAND]` becomes `witc [COMMAND] --help`, and
//     `witc COMMAND ... --help ...` becomes `witc COMMAND --help`;
//   - an unknown command is a usage error (exit status 2);
//   - a command's flags may follow its arguments (`witc compose a.wasm
//     b.wasm -o out.wasm`): they are moved before them, except after `--`;
//   - for `witc run`, only what comes before the component's path is witc's:
//     everything after it belongs to the guest, untouched, as with
//     `wasmtime run` (but for a `--` right after the path, a separator
//     some are used to, which is dropped).
func prepareArgs(app *cli.App, args []string) ([]string, error) {
	if len(args) < 2 {
		return []string{args[0], "--help"}, nil
	}
	name := args[1]
	if strings.HasPrefix(name, "-") {
		return args, nil // witc's own flags: --help, --version
	}
	if name == "help" {
		switch len(args) {
		case 2:
			return []string{args[0], "--help"}, nil
		case 3:
			topic := args[2]
			if topic == "help" {
				return []string{args[0], "--help"}, nil
			}
			if app.Command(topic) == nil {
				return nil, unknownCommand(app, topic)
			}
			return []string{args[0], topic, "--help"}, nil
		}
		return nil, usagef("help: expected at most one COMMAND")
	}
	cmd := app.Command(name)
	if cmd == nil {
		return nil, unknownCommand(app, name)
	}
	takesValue := map[string]bool{}
	for _, f := range cmd.Flags {
		_, isBool := f.(*cli.BoolFlag)
		for _, n := range f.Names() {
			takesValue[n] = !isBool
		}
	}
	flagTakesValue := func(a string) bool {
		n := strings.TrimLeft(a, "-")
		return !strings.Contains(n, "=") && takesValue[n]
	}
	// For run, the first argument is the component: the rest is the
	// guest's, and run's arguments start with "--" so that urfave/cli
	// leaves them alone.
	isRun := name == "run"
	var flags, rest []string
	for i := 2; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			rest = append(rest, args[i:]...)
			i = len(args)
		case isHelpFlag(a):
			return []string{args[0], name, "--help"}, nil
		case len(a) > 1 && a[0] == '-':
			flags = append(flags, a)
			if flagTakesValue(a) && i+1 < len(args) {
				flags = append(flags, args[i+1])
				i++
			}
		case isRun:
			rest = append([]string{"--"}, args[i:]...)
			i = len(args)
		default:
			rest = append(rest, a)
		}
	}
	// run's rest is "--", FILE, ARGS: a `--` right after FILE is a
	// separator some are used to, dropped.
	if isRun && len(rest) > 2 && rest[2] == "--" {
		rest = append(rest[:2:2], rest[3:]...)
	}
	out := append([]string{args[0], name}, flags...)
	return append(out, rest...), nil
}

// unknownCommand is the usage error for a command witc does not have,
// naming the command meant when only one starts as it does (comp →
// compose) or it starts as one does (checks → check).
func unknownCommand(app *cli.App, name string) error {
	msg := fmt.Sprintf("unknown command %q", name)
	var meant []string
	for _, c := range app.Commands {
		if strings.HasPrefix(c.Name, name) || strings.HasPrefix(name, c.Name) {
			meant = append(meant, c.Name)
		}
	}
	if len(meant) == 1 {
		msg += fmt.Sprintf(" (did you mean %q?)", meant[0])
	}
	return usageError{msg: msg}
}

// isFlagError recognises urfave/cli's own usage errors, which are plain errors.
func isFlagError(err error) bool {
	s := err.Error()
	return strings.HasPrefix(s, "flag provided but not defined") ||
		strings.HasPrefix(s, "invalid value") ||
		strings.Contains(s, "Required flag") ||
		strings.HasPrefix(s, "flag needs an argument")
}

// appHelp is witc's help (`witc help`, `witc --help`, `witc` alone).
const appHelp = `witc {{.Version}} - {{.Usage}}

Usage:
   witc COMMAND [flags] [arguments]

Commands:{{template "visibleCommandTemplate" .}}

Flags:{{template "visibleFlagTemplate" .}}

Run 'witc help COMMAND' for a command's flags and arguments.
Exit status: 0 success, 1 errors in the input or a failed operation,
2 bad usage, 3 internal error (a bug: please report it); witc run exits
with the component's own status.
`

// commandHelp is the help of one command (`witc help COMMAND`).
const commandHelp = `witc {{.Name}} - {{.Usage}}

Usage:
   {{if .UsageText}}{{.UsageText}}{{else}}witc {{.Name}}{{if .VisibleFlags}} [flags]{{end}}{{if .ArgsUsage}} {{.ArgsUsage}}{{end}}{{end}}{{if .Description}}

{{.Description}}{{end}}{{if .VisibleFlags}}

Flags:{{template "visibleFlagTemplate" .}}{{end}}
`

func newApp(stdout, stderr io.Writer) *cli.App {
	cmds := []*cli.Command{
		checkCommand(),
		witCommand(),
		validateCommand(),
		inspectCommand(),
		composeCommand(),
		runCommand(),
		serveCommand(),
		targetsCommand(),
		bindgenCommand(),
		cacheCommand(),
		completionCommand(),
		versionCommand(),
		helpCommand(),
	}
	for _, c := range cmds {
		c.HideHelpCommand = true // no "COMMANDS: help, h" in a command's help
		c.CustomHelpTemplate = commandHelp
		c.OnUsageError = func(c *cli.Context, err error, _ bool) error {
			return usageError{msg: c.Command.Name + ": " + err.Error()}
		}
	}
	return &cli.App{
		Name:                  "witc",
		Usage:                 "a toolchain for the WebAssembly Component Model",
		Version:               versionString(),
		Writer:                stdout,
		ErrWriter:             stderr,
		HideHelpCommand:       true, // `help` is witc's own command (helpCommand)
		CustomAppHelpTemplate: appHelp,
		// witc's own help command keeps urfave/cli from adding --help.
		Flags:          []cli.Flag{cli.HelpFlag},
		ExitErrHandler: func(*cli.Context, error) {}, // run maps errors to exit codes
		OnUsageError: func(_ *cli.Context, err error, _ bool) error {
			return usageError{msg: err.Error()}
		},
		Commands: cmds,
	}
}

// helpCommand is listed in witc's help; prepareArgs turns `witc help
// [COMMAND]` into `witc [COMMAND] --help` before it would run.
func helpCommand() *cli.Command {
	return &cli.Command{
		Name:      "help",
		Usage:     "show the commands, or one command's flags and arguments",
		ArgsUsage: "[COMMAND]",
		Action:    func(c *cli.Context) error { return cli.ShowAppHelp(c) },
	}
}

func versionCommand() *cli.Command {
	return &cli.Command{
		Name:  "version",
		Usage: "print witc's version (as --version does)",
		Description: "The version is the module's: the tag `go install` fetched, or the pseudo-version of the commit\n" +
			"a clone was built from (v0.0.0-DATE-COMMIT, +dirty for local changes), \"devel\" when the build recorded none.",
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return usagef("version: expected no arguments")
			}
			_, err := fmt.Fprintf(c.App.Writer, "witc version %s\n", c.App.Version)
			return err
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
