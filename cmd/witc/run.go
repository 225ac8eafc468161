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
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/urfave/cli/v2"
	"github.com/witc-dev/witc/canonabi"
	"github.com/witc-dev/witc/component"
	"github.com/witc-dev/witc/host"
	"github.com/witc-dev/witc/wasi"
	"github.com/witc-dev/witc/wave"
	"github.com/witc-dev/witc/wit"
)

func runCommand() *cli.Command {
	return &cli.Command{
		Name:      "run",
		Usage:     "run a wasi:cli/command component, or call one export with --invoke",
		UsageText: "witc run [flags] FILE.wasm [ARGS...]",
		Description: "Runs the component on wazero (pure Go) with a WASI 0.2 and 0.3 host: the arguments, the standard streams,\n" +
			"clocks and randomness; environment variables and directories only when given. The exit status is the\n" +
			"command's. Everything after FILE.wasm is the component's, flags included (witc run app.wasm -x --help\n" +
			"gives it -x --help; a -- right after FILE.wasm is dropped): witc's flags go before FILE.wasm.\n" +
			"With --invoke 'f(1, \"x\")' it calls the export f (or iface#f) with WAVE arguments and prints the result.\n" +
			"--timeout stops the component (exit status 124), as do SIGINT (130) and SIGTERM (143); --max-memory bounds its memories.",
		Flags: slices.Concat([]cli.Flag{
			&cli.StringFlag{Name: "invoke", Usage: "call `EXPR`, e.g. 'add(1, 2)' or 'ns:pkg/iface#add(1, 2)', and print the result"},
		}, guestFlags(), cacheFlags(), []cli.Flag{
			&cli.BoolFlag{Name: "trap-unknown-imports", Usage: "link imports nothing provides as functions that trap when called, instead of refusing the component"},
			&cli.DurationFlag{Name: "timeout", Usage: "stop the component after `DURATION` (e.g. 500ms, 10s, 2m) and exit with status 124"},
			&cli.StringFlag{Name: "max-memory", Usage: "bound the component's memories, all together, to `SIZE` (65536, 64KiB, 64MiB, 1GiB: rounded down to 64 KiB pages); memory.grow past it fails in the guest"},
			&cli.UintFlag{Name: "max-instances", Value: host.DefaultMaxInstances, Usage: "refuse a component that creates more than `N` core and component instances, together"},
			&cli.StringFlag{Name: "argv0", Usage: "give the command `NAME` as its program name, its argument 0 (default: FILE.wasm's file name)"},
			&cli.StringFlag{Name: "engine", Value: "auto", Usage: "run the core modules with wazero's `ENGINE`: compiler, interpreter, or auto (compiled code from the cache, else the interpreter while a detached witc cache warm FILE compiles it for the next runs)"},
		}),
		Action: func(c *cli.Context) error {
			if c.NArg() < 1 {
				return usagef("run: expected a component file")
			}
			path := c.Args().First()
			guestArgs := c.Args().Tail()
			expr := c.String("invoke")
			if expr != "" && len(guestArgs) > 0 {
				return usagef("run --invoke: unexpected arguments after %s: %s (the function's arguments go in EXPR: --invoke 'f(1, 2)')",
					path, strings.Join(guestArgs, " "))
			}
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			argv0 := filepath.Base(path)
			if c.IsSet("argv0") {
				argv0 = c.String("argv0")
			}
			cfg := wasi.Config{Args: append([]string{argv0}, guestArgs...),
				Stdin: os.Stdin, Stdout: c.App.Writer, Stderr: c.App.ErrWriter}
			if err := guestConfig(c, &cfg); err != nil {
				return err
			}
			// The guest is stopped when its context is done: by --timeout,
			// or by SIGINT or SIGTERM.
			opts, timeout, err := runtimeOptions(c)
			if err != nil {
				return err
			}
			maxMem := c.String("max-memory")
			l := host.NewLinker()
			if c.Bool("trap-unknown-imports") {
				l.TrapUnknownImports()
			}
			wh, err := wasi.New(l, cfg)
			if err != nil {
				return err
			}
			rt := host.NewRuntime(context.Background(), opts)
			err = runGuest(c.Context, c.App.ErrWriter, timeout, rt, func(ctx context.Context) error {
				stop := compileProgress(c.App.ErrWriter, path, b)
				cc, err := rt.Compile(ctx, b)
				stop()
				var in *host.Instance
				if err == nil {
					if cc.NeedsWarm() {
						startWarm(path, opts.CacheDir)
					}
					in, err = cc.Instantiate(ctx, l)
				}
				if err != nil {
					if lerr, ok := limitError(path, maxMem, err); ok {
						return lerr
					}
					return exitStatus(err)
				}
				// What async tasks still do after the call returned is
				// done, and what they wrote to WASI 0.3's streams written,
				// before witc exits.
				settle := func(err error) error {
					if err == nil {
						err = in.Settle(ctx)
					}
					in.Close(context.WithoutCancel(ctx))
					wh.Wait()
					return err
				}
				if expr != "" {
					return settle(invoke(ctx, c, in, expr))
				}
				run, err := commandRun(in, path, guestArgs)
				if err != nil {
					return err
				}
				res, err := run.Call(ctx)
				if err = settle(err); err != nil {
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

// guestFlags are the flags that give a guest its environment and
// directories (run and serve): --env, --inherit-env, --dir; guestConfig
// reads them.
func guestFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringSliceFlag{Name: "env", Usage: "set `NAME=VALUE` in the guest's environment (repeatable)"},
		&cli.BoolFlag{Name: "inherit-env", Usage: "give the guest the whole host environment"},
		&cli.StringSliceFlag{Name: "dir", Usage: "grant `HOST[::GUEST][:ro]`: the host directory, seen by the guest at GUEST (default the same path), read-only with :ro; repeatable"},
	}
}

// cacheFlags are the flags of the compilation cache (run and serve):
// --no-cache, --cache-limit; runtimeOptions reads them.
func cacheFlags() []cli.Flag {
	return []cli.Flag{
		&cli.BoolFlag{Name: "no-cache", Usage: "do not keep compiled code in the cache directory (witc cache dir)"},
		// A 12 MB component compiles to about 100 MB of machine code.
		&cli.StringFlag{Name: "cache-limit", Value: "1GiB", Usage: "remove the cache's files used longest ago beyond `SIZE` before running (0 empties it)"},
	}
}

// guestConfig adds to cfg what --inherit-env, --dir and --env give.
func guestConfig(c *cli.Context, cfg *wasi.Config) error {
	if c.Bool("inherit-env") {
		for _, kv := range os.Environ() {
			k, v, _ := strings.Cut(kv, "=")
			cfg.Env = append(cfg.Env, [2]string{k, v})
		}
	}
	for _, d := range c.StringSlice("dir") {
		dir, err := parseDir(d)
		if err != nil {
			return err
		}
		cfg.Dirs = append(cfg.Dirs, dir)
	}
	for _, kv := range c.StringSlice("env") {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return usagef("--env %q: expected NAME=VALUE", kv)
		}
		cfg.Env = append(cfg.Env, [2]string{k, v})
	}
	return nil
}

// runtimeOptions reads the flags of the runtime (run and serve): the
// compilation cache (trimmed to --cache-limit here), --timeout,
// --max-memory and --max-instances (those a command has). Guests are
// stopped when their context is done.
func runtimeOptions(c *cli.Context) (opts host.Options, timeout time.Duration, err error) {
	opts = host.Options{Workers: runtime.NumCPU(), StopOnContextDone: true}
	if e := c.String("engine"); e != "" { // run's, not serve's: serve compiles
		if opts.Engine, err = host.ParseEngine(e); err != nil {
			return opts, 0, usagef("--engine: %v", err)
		}
	}
	if !c.Bool("no-cache") {
		limit, err := parseBytes(c.String("cache-limit"))
		if err != nil {
			return opts, 0, usagef("--cache-limit %q: %v", c.String("cache-limit"), err)
		}
		if dir, err := cacheDir(); err == nil {
			opts.CacheDir = dir
			trimCache(dir, limit) // best effort: a cache that cannot be trimmed still works
		}
	}
	timeout = c.Duration("timeout")
	if c.IsSet("timeout") && timeout <= 0 {
		return opts, 0, usagef("--timeout %v: expected a duration above zero, e.g. 10s", timeout)
	}
	if maxMem := c.String("max-memory"); maxMem != "" {
		if opts.MaxMemory, err = parseSize(maxMem); err != nil {
			return opts, 0, usagef("--max-memory %q: %v", maxMem, err)
		}
	}
	if n := c.Uint("max-instances"); n > 0 {
		opts.MaxInstances = uint32(min(n, 1<<32-1))
	}
	return opts, timeout, nil
}

// limitError explains an instantiation of the component at path that
// --max-memory (maxMem) or --max-instances refused; ok is false for other
// errors.
func limitError(path, maxMem string, err error) (_ error, ok bool) {
	var mle *host.MemoryLimitError
	if errors.As(err, &mle) {
		return fmt.Errorf("%s: the component's memories need at least %s at instantiation, more than --max-memory %s allows",
			path, host.FormatSize(mle.Need), maxMem), true
	}
	var le *host.LimitError
	if errors.As(err, &le) && le.What == "instances" {
		return fmt.Errorf("%s: %w; --max-instances raises the limit", path, err), true
	}
	return err, false
}

// parseDir reads a --dir value: HOST[::GUEST][:ro].
func parseDir(s string) (wasi.Dir, error) {
	var d wasi.Dir
	v := s
	switch {
	case strings.HasSuffix(v, ":ro") && !strings.HasSuffix(v, "::ro"):
		d.ReadOnly = true
		v = strings.TrimSuffix(v, ":ro")
	case strings.HasSuffix(v, ":rw") && !strings.HasSuffix(v, "::rw"):
		v = strings.TrimSuffix(v, ":rw")
	}
	d.HostPath, d.GuestPath, _ = strings.Cut(v, "::")
	if d.HostPath == "" {
		return d, usagef("--dir %q: expected HOST[::GUEST][:ro]", s)
	}
	if d.GuestPath == "" {
		d.GuestPath = d.HostPath
	}
	return d, nil
}

// commandRun finds the run function of a wasi:cli/command.
func commandRun(in *host.Instance, path string, guestArgs []string) (*host.Func, error) {
	var other []string
	for _, e := range in.Exports() {
		if name, ok := strings.CutPrefix(e, "wasi:cli/run@"); ok && strings.HasSuffix(name, "#run") {
			if strings.HasPrefix(name, "0.2.") || strings.HasPrefix(name, "0.3.") {
				return in.Func(e)
			}
			other = append(other, strings.TrimSuffix(e, "#run"))
		}
	}
	if len(other) > 0 {
		return nil, fmt.Errorf("%s exports %s: witc runs the commands of WASI 0.2 and 0.3 (wasi:cli/run@0.2.x, 0.3.x) only", path, strings.Join(other, ", "))
	}
	msg := fmt.Sprintf("%s is not a command: it does not export wasi:cli/run.\nCall one of its functions with --invoke 'NAME(ARGS)' instead:\n%s", path, exportList(in))
	for i, a := range guestArgs {
		if strings.HasPrefix(a, "-") {
			flag := a
			if i+1 < len(guestArgs) && !strings.HasPrefix(guestArgs[i+1], "-") && !strings.Contains(a, "=") {
				flag += " '" + guestArgs[i+1] + "'"
			}
			msg += fmt.Sprintf("\n(%s went to the component: witc's flags go before the component's path, e.g. witc run %s %s)", a, flag, path)
			break
		}
	}
	return nil, errors.New(msg)
}

// maxListed bounds the exports an error lists.
const maxListed = 30

// exportList lists the functions an instance exports with their types,
// one per line.
func exportList(in *host.Instance) string {
	var b strings.Builder
	names := in.Exports()
	for i, n := range names {
		if i == maxListed {
			fmt.Fprintf(&b, "    … and %d more (witc wit FILE.wasm shows them all)\n", len(names)-i)
			break
		}
		typ := ""
		if f, err := in.Func(n); err == nil {
			typ = ": " + wit.FuncTypeString(f.Type())
		}
		fmt.Fprintf(&b, "    %s%s\n", n, typ)
	}
	if len(names) == 0 {
		b.WriteString("    (it exports no function)\n")
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// compileProgress shows, on a terminal, what witc is compiling when the
// instantiation of a component takes more than a second (the first run of
// a large component: later runs read the compiled code from the cache),
// with the seconds it has taken so far; the returned function ends it and
// clears the line.
func compileProgress(w io.Writer, path string, wasm []byte) (stop func()) {
	if !isTerminal(w) {
		return func() {}
	}
	size := -1
	return progress(w, time.Second, func(elapsed time.Duration) string {
		if size < 0 {
			size = coreSize(wasm)
		}
		// Short enough for one line of a terminal: a line that wraps
		// would not be erased.
		return fmt.Sprintf("witc: compiling %s (%s of code)… %ds",
			filepath.Base(path), humanSize(uint64(size)), int(elapsed.Seconds()))
	})
}

// progress writes line(elapsed) on w after delay, and again every delay,
// over the previous one (a carriage return and an erase to the end of the
// line); stop clears the line if it was written, and returns once nothing
// more is written.
func progress(w io.Writer, delay time.Duration, line func(elapsed time.Duration) string) (stop func()) {
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		start := time.Now()
		tick := time.NewTicker(delay)
		defer tick.Stop()
		shown := false
		for {
			select {
			case <-done:
				if shown {
					io.WriteString(w, "\r\x1b[K")
				}
				return
			case <-tick.C:
				shown = true
				io.WriteString(w, "\r\x1b[K"+line(time.Since(start)))
			}
		}
	}()
	return func() {
		close(done)
		<-finished
	}
}

// coreSize is the size of the core modules of a component, nested ones
// included: what wazero compiles.
func coreSize(wasm []byte) int {
	c, err := component.Decode(wasm)
	if err != nil {
		return len(wasm)
	}
	var size func(c *component.Component) int
	size = func(c *component.Component) int {
		n := 0
		for _, s := range c.Sections {
			switch s := s.(type) {
			case *component.ModuleSection:
				n += len(s.Bytes)
			case *component.ComponentSection:
				n += size(s.Component)
			}
		}
		return n
	}
	return size(c)
}

// isTerminal reports whether w is a terminal (a character device).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
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
	n, err := parseBytes(s)
	if err != nil {
		return 0, err
	}
	if n < 1<<16 {
		return 0, errors.New("less than one 64 KiB page")
	}
	return n, nil
}

// parseBytes reads a number of bytes, with an optional binary unit (KiB,
// MiB, GiB, TiB; K, M, G, T mean the same).
func parseBytes(s string) (uint64, error) {
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
	return n << shift, nil
}

// humanSize writes a number of bytes for people: 512 bytes, 1.5 KiB,
// 117.7 MiB.
func humanSize(n uint64) string {
	if n < 1<<10 {
		return fmt.Sprintf("%d bytes", n)
	}
	units := []string{"KiB", "MiB", "GiB", "TiB"}
	f := float64(n) / 1024
	i := 0
	for f >= 1024 && i < len(units)-1 {
		f /= 1024
		i++
	}
	return fmt.Sprintf("%.1f %s", f, units[i])
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

// invoke calls the function --invoke names with the arguments it gives
// and prints the result.
func invoke(ctx context.Context, c *cli.Context, in *host.Instance, expr string) error {
	// An interface function is named iface#func; WAVE parses the rest.
	prefix, call := "", expr
	if paren, hash := strings.IndexByte(expr, '('), strings.IndexByte(expr, '#'); hash >= 0 && (paren < 0 || hash < paren) {
		prefix, call = expr[:hash+1], expr[hash+1:]
	}
	name, args, err := wave.ParseCall(call)
	if err != nil {
		msg := invokeError(expr, len(prefix), err)
		if paren := strings.IndexByte(expr, '('); prefix == "" && strings.ContainsAny(expr[:max(paren, 0)], ":/.") {
			example := "'wasi:cli/run#run()'"
			if dot := strings.LastIndexByte(expr[:max(paren, 0)], '.'); dot > 0 {
				example = "'" + expr[:dot] + "#" + expr[dot+1:] + "'"
			}
			msg += "\n(a function of an exported interface is written INTERFACE#FUNCTION(ARGS), e.g. " + example + ")"
		}
		return usageError{msg: msg, quiet: true}
	}
	f, err := findFunc(in, prefix+name)
	if err != nil {
		return err
	}
	typ := f.Type()
	var ts []wit.Type
	for _, p := range typ.Params {
		wt, err := waveType(p.Type)
		if err != nil {
			return fmt.Errorf("--invoke %s: parameter %s: %w", f.Name, p.Name, err)
		}
		ts = append(ts, wt)
	}
	vals, err := wave.ParseArgs(ts, args)
	if err != nil {
		base := len(prefix) + strings.IndexByte(call, '(') + 1
		return usageError{msg: invokeError(expr, base, err) + fmt.Sprintf("\n(%s: %s)", f.Name, wit.FuncTypeString(typ)), quiet: true}
	}
	for i, p := range typ.Params {
		vals[i] = asyncArg(p.Type, vals[i])
	}
	res, err := f.Call(ctx, vals...)
	if err != nil {
		return exitStatus(err)
	}
	if typ.Result == nil {
		return nil
	}
	rt, err := waveType(typ.Result)
	if err != nil {
		return fmt.Errorf("--invoke %s: the result: %w", f.Name, err)
	}
	v, err := asyncResult(typ.Result, res[0])
	if err != nil {
		return exitStatus(err)
	}
	s, err := wave.Format(rt, v)
	if err != nil {
		return err
	}
	fmt.Fprintln(c.App.Writer, s)
	return nil
}

// invokeError writes a WAVE error in an --invoke expression with the
// expression and a caret under where it is; base is the offset in expr of
// the text the parser read.
func invokeError(expr string, base int, err error) string {
	var se *wave.SyntaxError
	if !errors.As(err, &se) {
		return fmt.Sprintf("--invoke %s: %v", expr, err)
	}
	at := min(base+se.Offset, len(expr))
	// The caret goes under the character at the offset: count runes, not bytes.
	pad := strings.Repeat(" ", utf8.RuneCountInString(expr[:at]))
	return fmt.Sprintf("--invoke: %s\n    %s\n    %s^", se.Msg, expr, pad)
}

// findFunc finds the export --invoke names: a function the component
// exports, or one of an exported interface as INTERFACE#FUNCTION, where
// INTERFACE may leave out its version (or give a compatible one) or be only
// the interface's name (calc#add for witc:examples/calc@0.1.0#add), and a
// function name alone when one interface alone exports a function of that
// name.
func findFunc(in *host.Instance, name string) (*host.Func, error) {
	if f, err := in.Func(name); err == nil {
		return f, nil
	}
	iface, fn, nested := strings.Cut(name, "#")
	var matches []string
	for _, e := range in.Exports() {
		ei, ef, ok := strings.Cut(e, "#")
		if !ok {
			continue
		}
		short := ei[strings.LastIndexAny(ei, ":/")+1:]
		short, _, _ = strings.Cut(short, "@")
		if nested && ef == fn && (short == iface || wit.Compatible(ei, iface)) || !nested && ef == name {
			matches = append(matches, e)
		}
	}
	switch len(matches) {
	case 1:
		return in.Func(matches[0])
	case 0:
		return nil, fmt.Errorf("--invoke: the component exports no function `%s`; its functions:\n%s", name, exportList(in))
	}
	return nil, usageError{msg: fmt.Sprintf("--invoke: `%s` could be any of %s; write the one you mean", name, strings.Join(matches, ", ")), quiet: true}
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
