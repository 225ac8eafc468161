package jcofixtures

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/witc-dev/witc/canonabi"
	"github.com/witc-dev/witc/component"
	"github.com/witc-dev/witc/component/check"
	"github.com/witc-dev/witc/host"
	"github.com/witc-dev/witc/wasi"
)

const expectedFile = "testdata/expected.txt"

// The limits every fixture runs under: none of jco's fixtures needs more,
// and a guest that would hang or grow without bound is stopped.
const (
	fixtureTimeout = 60 * time.Second
	maxMemory      = 1 << 30
	maxOutput      = 1 << 20 // stdout and stderr are cut here
)

// What `jco run` printed for the commands, against witc (details in doc.go):
//
//	fixture(s)                           jco run                     witc
//	hello_stdout.component.wasm          0, stdout+stderr 32 B each  same bytes
//	stdout-pollable-hang.component.wasm  0, nothing                  same
//	utf8-utf16.composed.wasm             0, "ret: \n"                same
//	22 p3 commands (wasi:cli/run@0.2.6)  0, nothing                  same
//	15 p3 with local:local/run too       runs local:local/run        wasi:cli/run: 0, nothing;
//	                                                                 local:local/run: 3 exit 0
//	52 p3 wasi:cli/run@0.3.0             fails (no JSPI in node 20)  1 exit 0, 51 trap (doc.go)

// TestJcoFixtures runs jco's prebuilt test components (see doc.go) and
// compares what witc does with each with testdata/expected.txt;
// WITC_JCO_UPDATE=1 rewrites that file, keeping its comment lines.
func TestJcoFixtures(t *testing.T) {
	dir := os.Getenv("WITC_JCO_FIXTURES")
	if dir == "" {
		t.Skip("WITC_JCO_FIXTURES is not set: copy jco's fixtures with `scripts/jco-fixtures.sh GIT_DIR /tmp/jco-fixtures` " +
			"(GIT_DIR: the jco git directory of `fetch github:bytecodealliance/jco`), then `make jco-fixtures`")
	}
	var paths []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".wasm") {
			rel, rerr := filepath.Rel(dir, p)
			if rerr != nil {
				return rerr
			}
			paths = append(paths, filepath.ToSlash(rel))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) == 0 {
		t.Fatalf("no .wasm file under %s", dir)
	}
	sort.Strings(paths)

	got := map[string]string{}
	counts := map[string]int{}
	for _, p := range paths {
		b, err := os.ReadFile(filepath.Join(dir, p))
		if err != nil {
			t.Fatal(err)
		}
		if !component.IsComponent(b) {
			t.Logf("%s: not a component (a core module?): skipped", p)
			counts["skipped"]++
			continue
		}
		start := time.Now()
		got[p] = runFixture(p, b)
		counts[category(got[p])]++
		t.Logf("%s (%v): %s", p, time.Since(start).Round(time.Millisecond), got[p])
	}
	t.Logf("%d components: %v", len(got), counts)

	if os.Getenv("WITC_JCO_UPDATE") != "" {
		if err := writeExpected(expectedFile, header, got); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s", expectedFile)
		return
	}
	want, err := readExpected(expectedFile)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range paths {
		g, ok := got[p]
		if !ok {
			continue
		}
		w, ok := want[p]
		switch {
		case !ok:
			t.Errorf("%s: not in %s (WITC_JCO_UPDATE=1 adds it)\n got: %s", p, expectedFile, g)
		case w.line != g:
			t.Errorf("%s:\n got: %s\nwant: %s", p, g, w.line)
		}
	}
	for p := range want {
		if _, ok := got[p]; !ok {
			t.Errorf("%s: in %s but not under %s", p, expectedFile, dir)
		}
	}
}

// runFixture decodes, validates and instantiates one component and, when
// it is a wasi:cli command, runs it; it returns the outcome as the line
// of expected.txt says it.
func runFixture(name string, b []byte) string {
	if _, err := component.Decode(b); err != nil {
		return "invalid: decode: " + oneLine(err)
	}
	prefix := ""
	if err := check.Validate(b); err != nil {
		extra, ok := extraFeatures(b)
		if !ok {
			return "invalid: " + oneLine(err)
		}
		// jco's tests transpile these async fixtures; witc's runtime
		// takes what check.AllFeatures accepts.
		prefix = "needs " + extra.String() + " (not a wasmparser default); "
	}
	ctx, cancel := context.WithTimeout(context.Background(), fixtureTimeout)
	defer cancel()
	rt := host.NewRuntime(ctx, host.Options{Workers: runtime.NumCPU(), StopOnContextDone: true, MaxMemory: maxMemory})
	defer rt.Close(context.Background())

	var stdout, stderr capped
	argv0 := strings.TrimSuffix(filepath.Base(name), ".wasm") // what jco run gives
	l := host.NewLinker()
	l.TrapUnknownImports() // imports such as test:numbers/test are jco's TS host programs
	cfg := wasi.Config{Args: []string{argv0}, Stdout: &stdout, Stderr: &stderr}
	if strings.Contains(name, "/p3/fs/") {
		// Wasmtime's filesystem test programs work in the first directory
		// granted, which its test runner makes for each: a new empty one.
		dir, err := os.MkdirTemp("", "jco-fs-")
		if err != nil {
			return "error: " + oneLine(err)
		}
		defer os.RemoveAll(dir)
		cfg.Dirs = []wasi.Dir{{HostPath: dir, GuestPath: "."}}
	}
	h, err := wasi.New(l, cfg)
	if err != nil {
		return "error: wasi: " + oneLine(err)
	}
	in, err := rt.Instantiate(ctx, l, b)
	if code, exited := host.ExitCode(err); exited {
		return prefix + "exited while instantiating: " + output(code, &stdout, &stderr)
	}
	if err != nil {
		return prefix + classify(err)
	}
	defer in.Close(context.Background())
	return prefix + "ok" + run(ctx, in, h, &stdout, &stderr)
}

// run calls what jco's tests call of a component that instantiated: a
// command's wasi:cli/run, with its exit status and output; the
// local:local/run#run of the async caller/callee pairs ported from
// Wasmtime (their wasi:cli/run is an empty main).
//
// A WASI 0.3 command's run is called as wasi.Run calls it: its tasks that
// go on after run returned are settled, then the instance is closed and
// the copies of its standard streams waited for, so that all it wrote is
// counted (also when it trapped).
func run(ctx context.Context, in *host.Instance, h *wasi.Host, stdout, stderr *capped) string {
	var s string
	for _, e := range in.Exports() {
		if v, ok := strings.CutPrefix(e, "wasi:cli/run@"); ok && strings.HasSuffix(v, "#run") {
			var end func(error) error
			if strings.HasPrefix(v, "0.3.") {
				end = func(err error) error {
					if err == nil {
						err = in.Settle(ctx)
					}
					in.Close(context.Background())
					h.Wait()
					return err
				}
			}
			s += "; run: " + call(ctx, in, e, end, stdout, stderr)
		}
	}
	for _, e := range in.Exports() {
		if e == "local:local/run#run" {
			stdout.Reset()
			stderr.Reset()
			s += "; " + e + ": " + call(ctx, in, e, nil, stdout, stderr)
		}
	}
	return s
}

// call calls a function that takes no arguments, as wasi:cli/run is
// called: an error result is exit status 1. end, when not nil, ends the
// call (its error: the call's) before its outcome is read.
func call(ctx context.Context, in *host.Instance, name string, end func(error) error, stdout, stderr *capped) string {
	f, err := in.Func(name)
	if err != nil {
		return "error: " + oneLine(err)
	}
	if len(f.Type().Params) > 0 {
		return "takes arguments: not called"
	}
	res, err := f.Call(ctx)
	if end != nil {
		err = end(err)
	}
	code, exited := host.ExitCode(err)
	switch {
	case exited:
	case err != nil:
		out := ""
		if stdout.Len() > 0 || stderr.Len() > 0 {
			out = " (after " + output(0, stdout, stderr) + ")"
		}
		return classify(err) + out
	case len(res) == 1:
		if v, ok := res[0].(canonabi.Variant); ok && v.Case != 0 {
			code = 1
		}
	}
	return output(code, stdout, stderr)
}

// extraFeatures finds the proposals beyond wasmparser's defaults that a
// component needs to validate: the one that suffices alone, else all the
// component model's.
func extraFeatures(b []byte) (check.Features, bool) {
	for f := check.Features(1); f <= check.AllFeatures; f <<= 1 {
		if check.DefaultFeatures&f == 0 && check.ValidateFeatures(b, check.DefaultFeatures|f) == nil {
			return f, true
		}
	}
	if check.ValidateFeatures(b, check.AllFeatures) == nil {
		return check.AllFeatures &^ check.DefaultFeatures, true
	}
	return 0, false
}

// category sums an outcome up for the log: invalid, error (did not
// instantiate), async (instantiated, but what jco's tests call of it is
// refused as async), command (ran wasi:cli/run to its end), ok.
func category(outcome string) string {
	switch {
	case strings.HasPrefix(outcome, "invalid"):
		return "invalid"
	case !strings.Contains(outcome, "ok"):
		return "error"
	case strings.Contains(outcome, "async:"):
		return "async"
	case strings.Contains(outcome, "run: exit"):
		return "command"
	}
	return "ok"
}

// classify names a failure: async when it is what witc's runtime does not
// run yet (a host.UnsupportedError), else error.
func classify(err error) string {
	var ue *host.UnsupportedError
	switch {
	case errors.As(err, &ue):
		return "async: " + oneLine(err)
	case errors.Is(err, context.DeadlineExceeded):
		return "timeout: " + oneLine(err)
	}
	return "error: " + oneLine(err)
}

// output describes a run's end: its exit status, and its stdout and
// stderr by length and sha256, with the text itself when short.
func output(code int, stdout, stderr *capped) string {
	return fmt.Sprintf("exit %d; stdout %s; stderr %s", code, stdout.describe(), stderr.describe())
}

// capped is a buffer that keeps at most maxOutput bytes.
type capped struct {
	bytes.Buffer
	cut bool
}

func (c *capped) Write(p []byte) (int, error) {
	n := len(p)
	if room := maxOutput - c.Len(); len(p) > room {
		p, c.cut = p[:max(room, 0)], true
	}
	c.Buffer.Write(p)
	return n, nil
}

func (c *capped) Reset() { c.Buffer.Reset(); c.cut = false }

func (c *capped) describe() string {
	if c.Len() == 0 {
		return "empty"
	}
	sum := sha256.Sum256(c.Bytes())
	s := fmt.Sprintf("%d bytes sha256:%x", c.Len(), sum[:8])
	if c.cut {
		s += " (cut)"
	}
	if c.Len() <= 80 {
		s += " " + strconv.Quote(c.String())
	}
	return s
}

// oneLine is an error's message on one line, without the wasm stack trace
// wazero appends to a trap.
func oneLine(err error) string {
	s, _, _ := strings.Cut(err.Error(), " (recovered by wazero)")
	s, _, _ = strings.Cut(s, "\nwasm stack trace:")
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 400 {
		s = s[:400] + "…"
	}
	return s
}

// expectation is a line of expected.txt and the comment lines before it.
type expectation struct {
	line     string
	comments []string
}

// readExpected reads expected.txt: `PATH<TAB>OUTCOME` lines, each after
// the comment lines (`#`) that belong to it.
func readExpected(file string) (map[string]expectation, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, fmt.Errorf("%w (WITC_JCO_UPDATE=1 writes it)", err)
	}
	defer f.Close()
	want := map[string]expectation{}
	var comments []string
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		switch {
		case line == "":
			comments = nil
		case strings.HasPrefix(line, "#"):
			comments = append(comments, line)
		default:
			p, outcome, ok := strings.Cut(line, "\t")
			if !ok {
				return nil, fmt.Errorf("%s:%d: expected PATH<TAB>OUTCOME", file, n)
			}
			want[p] = expectation{line: outcome, comments: comments}
			comments = nil
		}
	}
	return want, sc.Err()
}

// header is the top of expected.txt.
const header = `# What witc does with each of jco's prebuilt test components (see doc.go),
# measured by TestJcoFixtures: PATH<TAB>OUTCOME. WITC_JCO_UPDATE=1 rewrites
# the outcomes and keeps the comment lines above each entry (notes such as
# "# differs from jco: ...").
`

// writeExpected rewrites file (expected.txt, scenarios.txt) with head and
// the outcomes got, keeping the comments of the entries already there. A
// blank line ends head, so that it is no entry's comment.
func writeExpected(file, head string, got map[string]string) error {
	old, _ := readExpected(file)
	paths := make([]string, 0, len(got))
	for p := range got {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	var b strings.Builder
	b.WriteString(head + "\n")
	for i, p := range paths {
		if cs := old[p].comments; len(cs) > 0 && strings.Join(cs, "\n")+"\n" != head {
			if i > 0 {
				b.WriteString("\n")
			}
			for _, c := range cs {
				b.WriteString(c + "\n")
			}
		}
		fmt.Fprintf(&b, "%s\t%s\n", p, got[p])
	}
	return os.WriteFile(file, []byte(b.String()), 0o644)
}
