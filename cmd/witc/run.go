package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"
	"unicode"

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
			"With --invoke 'f(1, \"x\")' it calls the export f (or iface#f) with WAVE arguments and prints the result.\n" +
			"--timeout stops the component (exit status 124), as do SIGINT (130) and SIGTERM (143); --max-memory bounds its memories.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "invoke", Usage: "call `EXPR`, e.g. 'add(1, 2)' or 'corpus:calc/math#add(1, 2)', and print the result"},
			&cli.StringSliceFlag{Name: "env", Usage: "set `NAME=VALUE` in the guest's environment (repeatable)"},
			&cli.BoolFlag{Name: "inherit-env", Usage: "give the guest the whole host environment"},
			&cli.StringSliceFlag{Name: "dir", Usage: "grant `HOST[::GUEST]`: the host directory, seen by the guest at GUEST (default the same path); repeatable"},
			&cli.BoolFlag{Name: "no-cache", Usage: "do not keep compiled code in the user cache directory"},
			&cli.BoolFlag{Name: "trap-unknown-imports", Usage: "link imports nothing provides as functions that trap when called, instead of refusing the component"},
			&cli.DurationFlag{Name: "timeout", Usage: "stop the component after `DURATION` (e.g. 500ms, 10s, 2m) and exit with status 124"},
			&cli.StringFlag{Name: "max-memory", Usage: "bound the component's memories, all together, to `SIZE` (65536, 64KiB, 64MiB, 1GiB: rounded down to 64 KiB pages); memory.grow past it fails in the guest"},
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
			// The guest is stopped when its context is done: by --timeout,
			// or by SIGINT or SIGTERM.
			opts := host.Options{Workers: runtime.NumCPU(), StopOnContextDone: true}
			if !c.Bool("no-cache") {
				if dir, err := os.UserCacheDir(); err == nil {
					opts.CacheDir = filepath.Join(dir, "witc", "wazero")
				}
			}
			timeout := c.Duration("timeout")
			if c.IsSet("timeout") && timeout <= 0 {
				return usagef("--timeout %v: expected a duration above zero, e.g. 10s", timeout)
			}
			maxMem := c.String("max-memory")
			if maxMem != "" {
				if opts.MaxMemory, err = parseSize(maxMem); err != nil {
					return usagef("--max-memory %q: %v", maxMem, err)
				}
			}
			l := host.NewLinker()
			if c.Bool("trap-unknown-imports") {
				l.TrapUnknownImports()
			}
			if err := wasi.Register(l, cfg); err != nil {
				return err
			}
			rt := host.NewRuntime(context.Background(), opts)
			err = runGuest(c.Context, c.App.ErrWriter, timeout, rt, func(ctx context.Context) error {
				in, err := rt.Instantiate(ctx, l, b)
				if err != nil {
					var mle *host.MemoryLimitError
					if errors.As(err, &mle) {
						return fmt.Errorf("%s: the component's memories need at least %s at instantiation, more than --max-memory %s allows",
							path, host.FormatSize(mle.Need), maxMem)
					}
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
			})
			if err != nil && !isExitCode(err) && rt.MemoryLimitReached() {
				return fmt.Errorf("%w\n(the component was refused memory beyond --max-memory %s before this)", err, maxMem)
			}
			return err
		},
	}
}

// Exit statuses of a stopped component, as timeout(1) and shells have them.
const (
	exitTimeout = 124
	exitSIGINT  = 130
	exitSIGTERM = 143
)

// guestStopGrace is how long witc waits for a component to stop once it
// is told to: wazero stops running wasm at once, but a component blocked
// in the host (a read of standard input) only returns when the read does,
// and witc does not wait for that.
const guestStopGrace = 500 * time.Millisecond

// stopped is why a component was stopped: its --timeout or a signal.
type stopped struct {
	msg  string
	code int
}

func (s *stopped) Error() string { return s.msg }

// runGuest runs guest (instantiation and call) with a context that is
// done at the timeout (none when 0), at SIGINT or at SIGTERM; then it
// prints why the component was stopped and returns that exit status. The
// runtime is closed unless the guest could not be waited for.
func runGuest(parent context.Context, stderr io.Writer, timeout time.Duration, rt *host.Runtime, guest func(context.Context) error) error {
	sigCtx, cancel := context.WithCancelCause(parent)
	defer cancel(nil)
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(signals)
	go func() {
		select {
		case s := <-signals:
			if s == syscall.SIGTERM {
				cancel(&stopped{"terminated (SIGTERM): the component was stopped", exitSIGTERM})
			} else {
				cancel(&stopped{"interrupted (SIGINT): the component was stopped", exitSIGINT})
			}
		case <-sigCtx.Done():
		}
	}()
	ctx := sigCtx
	if timeout > 0 {
		var stop context.CancelFunc
		ctx, stop = context.WithTimeoutCause(ctx, timeout,
			&stopped{fmt.Sprintf("the component ran past its --timeout of %s and was stopped", shortDuration(timeout)), exitTimeout})
		defer stop()
	}
	type result struct {
		err   error
		panic any
	}
	done := make(chan result, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				done <- result{panic: p}
			}
		}()
		done <- result{err: guest(ctx)}
	}()
	var res result
	waited := true
	select {
	case res = <-done:
	case <-ctx.Done():
		select {
		case res = <-done:
		case <-time.After(guestStopGrace):
			waited = false
		}
	}
	if waited {
		rt.Close(context.Background())
	}
	if res.panic != nil {
		panic(res.panic) // run reports it as an internal error
	}
	// A component that finished, or exited, as it was told to stop is
	// reported as it finished.
	var why *stopped
	if (!waited || res.err != nil && !isExitCode(res.err)) && errors.As(context.Cause(ctx), &why) {
		fmt.Fprintf(stderr, "witc: %s\n", why.msg)
		return exitCode(why.code)
	}
	return res.err
}

// shortDuration writes d as Go does, without zero minutes and seconds
// after larger units: 1m, not 1m0s.
func shortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = s[:len(s)-2]
	}
	if strings.HasSuffix(s, "h0m") {
		s = s[:len(s)-2]
	}
	return s
}

// parseSize reads a size in bytes: a number, with an optional binary unit
// (KiB, MiB, GiB, TiB; K, M, G, T mean the same), rounded down to whole
// 64 KiB pages by the runtime; it must be one page at least.
func parseSize(s string) (uint64, error) {
	num := strings.TrimRightFunc(s, func(r rune) bool { return unicode.IsLetter(r) || r == ' ' })
	unit := strings.ToLower(strings.TrimSpace(s[len(num):]))
	n, err := strconv.ParseUint(num, 10, 64)
	if err != nil {
		return 0, errors.New("expected a size such as 65536, 64KiB, 64MiB or 1GiB")
	}
	shifts := map[string]uint{"": 0, "b": 0, "k": 10, "kib": 10, "m": 20, "mib": 20, "g": 30, "gib": 30, "t": 40, "tib": 40}
	shift, ok := shifts[unit]
	if !ok {
		return 0, fmt.Errorf("unknown unit %q (use KiB, MiB, GiB or TiB)", s[len(num):])
	}
	if n > (1<<64-1)>>shift {
		return 0, errors.New("too large")
	}
	n <<= shift
	if n < 1<<16 {
		return 0, errors.New("less than one 64 KiB page")
	}
	return n, nil
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
