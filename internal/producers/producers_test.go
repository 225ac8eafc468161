package producers

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// witcBin is the witc binary the test runs (see TestMain).
var witcBin string

// TestMain builds witc once, unless $WITC_PRODUCERS_WITC names a binary.
func TestMain(m *testing.M) {
	os.Exit(testMain(m))
}

func testMain(m *testing.M) int {
	if bin := os.Getenv("WITC_PRODUCERS_WITC"); bin != "" {
		witcBin = bin
		return m.Run()
	}
	if _, err := exec.LookPath("go"); err != nil {
		fmt.Fprintln(os.Stderr, "producers: go command not found; the tests that run witc skip")
		return m.Run()
	}
	dir, err := os.MkdirTemp("", "witc-producers-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	bin := filepath.Join(dir, "witc")
	out, err := exec.Command("go", "build", "-o", bin, "github.com/witc-dev/witc/cmd/witc").CombinedOutput()
	if err != nil {
		fmt.Fprintf(os.Stderr, "producers: building witc: %v\n%s", err, out)
		return 1
	}
	witcBin = bin
	return m.Run()
}

// A testCase is a line of testdata/cases.txt.
type testCase struct {
	name, file string
	env, args  []string
}

func readCases(t *testing.T) []testCase {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "cases.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cases []testCase
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		fields := strings.Fields(sc.Text())
		if len(fields) == 0 || strings.HasPrefix(fields[0], "#") {
			continue
		}
		if len(fields) < 3 {
			t.Fatalf("cases.txt:%d: want NAME FILE [VAR=VALUE...] -- [ARG...]", line)
		}
		c := testCase{name: fields[0], file: fields[1]}
		rest := fields[2:]
		i := 0
		for ; i < len(rest) && rest[i] != "--"; i++ {
			if !strings.Contains(rest[i], "=") {
				t.Fatalf("cases.txt:%d: %q is not VAR=VALUE (is -- missing?)", line, rest[i])
			}
			c.env = append(c.env, rest[i])
		}
		if i < len(rest) {
			c.args = rest[i+1:]
		}
		cases = append(cases, c)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return cases
}

// readKnownFailures reads testdata/known-failures.txt: NAME REASON lines.
func readKnownFailures(t *testing.T) map[string]string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "known-failures.txt"))
	if err != nil {
		t.Fatal(err)
	}
	known := map[string]string{}
	for i, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, reason, _ := strings.Cut(line, " ")
		if _, dup := known[name]; dup {
			t.Fatalf("known-failures.txt:%d: %s is listed twice", i+1, name)
		}
		known[name] = strings.TrimSpace(reason)
	}
	return known
}

// result is what a run printed and its exit status.
type result struct {
	stdout, stderr string
	code           int
}

func expected(t *testing.T, name string) result {
	t.Helper()
	read := func(ext string) string {
		b, err := os.ReadFile(filepath.Join("testdata", "expected", name+ext))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	code, err := strconv.Atoi(strings.TrimSpace(read(".code")))
	if err != nil {
		t.Fatalf("%s.code: %v", name, err)
	}
	return result{stdout: read(".stdout"), stderr: read(".stderr"), code: code}
}

// timeout bounds one run (the largest fixture, 12 MB of StarlingMonkey,
// compiles in well under a minute).
const timeout = 5 * time.Minute

func runWitc(c testCase) (result, error) {
	// jco run gives the command its file name without .wasm as argv[0].
	return runWitcAt(testCase{name: c.name, file: filepath.Join("testdata", c.file), env: c.env, args: c.args}, strings.TrimSuffix(c.file, ".wasm"))
}

// runWitcAt runs the command at path c.file with argv0 as its program
// name.
func runWitcAt(c testCase, argv0 string) (result, error) {
	args := []string{"run", "--argv0", argv0}
	for _, kv := range c.env {
		args = append(args, "--env", kv)
	}
	args = append(args, c.file)
	args = append(args, c.args...)
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, witcBin, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	r := result{stdout: stdout.String(), stderr: stderr.String()}
	var exit *exec.ExitError
	switch {
	case ctx.Err() != nil:
		return r, fmt.Errorf("witc run did not finish in %v", timeout)
	case errors.As(err, &exit):
		r.code = exit.ExitCode()
	case err != nil:
		return r, err
	}
	return r, nil
}

// withoutReport drops witc's own report of a failed run — from the last
// "witc: " on stderr (a component's output need not end with a newline) —
// as the expected stderr holds only what the component wrote.
func withoutReport(r result) result {
	if r.code != 0 {
		if i := strings.LastIndex(r.stderr, "witc: "); i >= 0 {
			r.stderr = r.stderr[:i]
		}
	}
	return r
}

// difference describes how got differs from want, or is "".
func difference(got, want result) string {
	var b strings.Builder
	if got.code != want.code {
		fmt.Fprintf(&b, "exit status %d, want %d\n", got.code, want.code)
	}
	for _, s := range []struct{ name, got, want string }{
		{"stdout", got.stdout, want.stdout},
		{"stderr", got.stderr, want.stderr},
	} {
		if s.got != s.want {
			fmt.Fprintf(&b, "%s differs:\n%s", s.name, lineDiff(s.got, s.want))
		}
	}
	return b.String()
}

// lineDiff shows the first differing line and what follows, briefly.
func lineDiff(got, want string) string {
	g, w := strings.SplitAfter(got, "\n"), strings.SplitAfter(want, "\n")
	i := 0
	for i < len(g) && i < len(w) && g[i] == w[i] {
		i++
	}
	var b strings.Builder
	fmt.Fprintf(&b, "  (the first %d lines agree)\n", i)
	show := func(prefix string, lines []string) {
		for j, l := range lines[i:] {
			if j == 8 {
				fmt.Fprintf(&b, "  %s ... (%d more lines)\n", prefix, len(lines)-i-j)
				break
			}
			fmt.Fprintf(&b, "  %s %q\n", prefix, l)
		}
	}
	show("want", w)
	show("got ", g)
	return b.String()
}

// TestProducers runs every case with `witc run` and compares with what
// `jco run` gave.
func TestProducers(t *testing.T) {
	if witcBin == "" {
		t.Skip("no witc binary (the go command was not found)")
	}
	cases := readCases(t)
	known := readKnownFailures(t)
	names := map[string]bool{}
	for _, c := range cases {
		names[c.name] = true
	}
	for name := range known {
		if !names[name] {
			t.Errorf("known-failures.txt lists %s, which is not a case of cases.txt", name)
		}
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got, err := runWitc(c)
			judge(t, c.name, got, err, known, fmt.Sprintf("witc run %s %s %s", strings.Join(c.env, " "), c.file, strings.Join(c.args, " ")))
		})
	}
}

// judge compares a witc run of case name with what jco run printed
// (testdata/expected), as known-failures.txt says it should: a listed
// case must still differ (it is skipped), any other must agree. what says
// which run it was.
func judge(t *testing.T, name string, got result, err error, known map[string]string, what string) {
	t.Helper()
	diff := ""
	if err != nil {
		diff = err.Error() + "\n"
	} else {
		diff = difference(withoutReport(got), expected(t, name))
	}
	reason, isKnown := known[name]
	switch {
	case diff == "" && isKnown:
		t.Errorf("%s now runs as jco runs it: remove its line from testdata/known-failures.txt (it said: %s)", what, reason)
	case diff == "":
	case isKnown:
		t.Skipf("known failure: %s\n%s", reason, diff)
	default:
		t.Errorf("%s disagrees with jco run:\n%s\nwitc's stderr:\n%s", what, diff, got.stderr)
	}
}
