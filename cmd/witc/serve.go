package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"sync"
	"syscall"
	"time"

	"github.com/urfave/cli/v2"
	"github.com/witc-dev/witc/host"
	"github.com/witc-dev/witc/wasi"
	"github.com/witc-dev/witc/wasihttp"
)

// serveShutdownGrace bounds how long witc serve waits, once told to stop,
// for the requests in progress to finish.
const serveShutdownGrace = 10 * time.Second

func serveCommand() *cli.Command {
	return &cli.Command{
		Name:      "serve",
		Usage:     "serve HTTP with a wasi:http/proxy component, a new instance for each request",
		UsageText: "witc serve [flags] COMPONENT.wasm",
		Description: "Serves HTTP on --addr with a component that exports wasi:http/incoming-handler 0.2.x (what wasmtime serve,\n" +
			"Spin and componentize-js's proxies use): compiled once, instantiated for every request, so that no request\n" +
			"sees another's state. A line per request on standard error: [ID] METHOD PATH STATUS BYTES DURATION; the\n" +
			"guest's output goes to standard output and error, each line prefixed with its request's [ID].\n" +
			"A guest that traps, runs past --timeout or sets no response gives 500; over --max-concurrent, 503.\n" +
			"Outgoing requests go only to the hosts --allow-http names. SIGINT or SIGTERM stops the server: the\n" +
			"requests in progress finish (for 10s at most; a second signal cuts them) and witc exits with status 0\n" +
			"(1 when requests had to be cut).",
		Flags: slices.Concat([]cli.Flag{
			&cli.StringFlag{Name: "addr", Value: "127.0.0.1:8080", Usage: "listen on `HOST:PORT` (port 0 picks a free one)"},
		}, guestFlags(), cacheFlags(), []cli.Flag{
			&cli.DurationFlag{Name: "timeout", Usage: "stop a request's instance after `DURATION` (e.g. 500ms, 10s): the request gets 500, or is cut if its response has begun"},
			&cli.StringFlag{Name: "max-memory", Usage: "bound the memories of each request's instance, all together, to `SIZE` (65536, 64KiB, 64MiB, 1GiB: rounded down to 64 KiB pages)"},
			&cli.IntFlag{Name: "max-concurrent", Value: wasihttp.DefaultMaxConcurrent, Usage: "serve at most `N` requests at once, an instance each; more get 503"},
			&cli.StringFlag{Name: "max-body", Value: "64MiB", Usage: "let the guest read at most `SIZE` of a request body (0: no limit)"},
			&cli.StringSliceFlag{Name: "allow-http", Usage: "let the guest send requests to `HOST[:PORT]` (any port without one); repeatable; none by default"},
		}),
		Action: serve,
	}
}

// serve is the action of witc serve.
func serve(c *cli.Context) error {
	if c.NArg() != 1 {
		return usagef("serve: expected one component file, got %d arguments", c.NArg())
	}
	path := c.Args().First()
	addr := c.String("addr")
	if _, _, err := net.SplitHostPort(addr); err != nil {
		return usagef("--addr %q: expected HOST:PORT, e.g. 127.0.0.1:8080", addr)
	}
	if c.Int("max-concurrent") < 1 {
		return usagef("--max-concurrent %d: expected at least 1", c.Int("max-concurrent"))
	}
	maxBody, err := parseBytes(c.String("max-body"))
	if err != nil {
		return usagef("--max-body %q: %v", c.String("max-body"), err)
	}
	// Everything written to standard error (the log, the guests' output)
	// comes from many goroutines.
	stdout := &syncWriter{w: c.App.Writer}
	stderr := &syncWriter{w: c.App.ErrWriter}
	opts := wasihttp.Options{
		MaxConcurrent:  c.Int("max-concurrent"),
		MaxRequestBody: int64(min(maxBody, 1<<63-1)),
		WASI:           wasi.Config{Args: []string{filepath.Base(path)}, Stdout: stdout, Stderr: stderr},
		Log:            stderr,
	}
	if maxBody == 0 {
		opts.MaxRequestBody = -1
	}
	if hosts := c.StringSlice("allow-http"); len(hosts) > 0 {
		opts.Outgoing.Allow = wasihttp.AllowHosts(hosts...)
	}
	if err := guestConfig(c, &opts.WASI); err != nil {
		return err
	}
	rtOpts, timeout, err := runtimeOptions(c)
	if err != nil {
		return err
	}
	opts.Timeout = timeout
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	// Listening first reports a port in use at once; connections wait
	// in the listener's queue while the component compiles.
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		if errors.Is(err, syscall.EADDRINUSE) {
			return fmt.Errorf("cannot listen on %s: the address is already in use (another server has the port; choose another with --addr)", addr)
		}
		return fmt.Errorf("cannot listen on %s: %w", addr, err)
	}
	defer ln.Close()

	rt := host.NewRuntime(context.Background(), rtOpts)
	stop := compileProgress(c.App.ErrWriter, path, b)
	h, err := wasihttp.New(c.Context, rt, b, opts)
	stop()
	if err != nil {
		rt.Close(context.Background())
		if lerr, ok := limitError(path, c.String("max-memory"), err); ok {
			return lerr
		}
		return fmt.Errorf("%s: %w", path, err)
	}

	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(signals)
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: time.Minute,
		ErrorLog:          log.New(stderr, "witc serve: ", 0),
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	fmt.Fprintf(stderr, "witc serve: listening on http://%s/\n", ln.Addr())

	var why string
	select {
	case err := <-served:
		// Serve returns only when the listener fails.
		srv.Close()
		closeServed(h, rt, time.Now().Add(guestStopGrace))
		return fmt.Errorf("serve: %w", err)
	case s := <-signals:
		why = "interrupted (SIGINT)"
		if s == syscall.SIGTERM {
			why = "terminated (SIGTERM)"
		}
	case <-c.Context.Done():
		why = "stopped"
	}
	fmt.Fprintf(stderr, "witc serve: %s: finishing the requests in progress (%s at most)\n", why, shortDuration(serveShutdownGrace))
	deadline := time.Now().Add(serveShutdownGrace)
	ctx, cancel := context.WithDeadline(context.Background(), deadline)
	defer cancel()
	go func() {
		select {
		case <-signals: // a second signal: no more waiting
			cancel()
		case <-ctx.Done():
		}
	}()
	clean := srv.Shutdown(ctx) == nil
	if !clean {
		// Closing the connections ends the requests' contexts, which
		// stops the guests still making their responses.
		srv.Close()
		deadline = time.Now()
	}
	if !closeServed(h, rt, deadline.Add(guestStopGrace)) {
		clean = false
	}
	if !clean {
		fmt.Fprintf(stderr, "witc serve: requests still in progress were cut\n")
		return errReported
	}
	return nil
}

// closeServed closes the handler (which waits for the guests still
// running, some after their response) and then the runtime, unless the
// guests are not done by deadline; it reports whether they were.
func closeServed(h *wasihttp.Handler, rt *host.Runtime, deadline time.Time) bool {
	closed := make(chan struct{})
	go func() {
		h.Close(context.Background())
		close(closed)
	}()
	t := time.NewTimer(time.Until(deadline))
	defer t.Stop()
	select {
	case <-closed:
		rt.Close(context.Background())
		return true
	case <-t.C:
		return false
	}
}

// syncWriter serializes the writes of many goroutines to w.
type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}
