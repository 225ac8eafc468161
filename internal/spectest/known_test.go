package spectest

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

const knownFile = "testdata/known-failures.txt"

// knownFailure is a line of known-failures.txt:
//
//	path:line  kind  reason
type knownFailure struct {
	key, kind, reason string
}

func readKnown(t *testing.T) map[string]knownFailure { return readKnownFile(t, knownFile) }

// readKnownFile reads a list of known failures (knownFile's format).
func readKnownFile(t *testing.T, knownFile string) map[string]knownFailure {
	f, err := os.Open(knownFile)
	if err != nil {
		if os.IsNotExist(err) {
			return map[string]knownFailure{}
		}
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]knownFailure{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Fields(line)
		if len(fields) < 3 {
			t.Fatalf("%s:%d: want `path:line kind reason`", knownFile, n)
		}
		k := knownFailure{key: fields[0], kind: fields[1], reason: strings.Join(fields[2:], " ")}
		if _, dup := out[k.key]; dup {
			t.Fatalf("%s:%d: %s is listed twice", knownFile, n, k.key)
		}
		out[k.key] = k
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// checkKnown fails the test for each disagreement that is not a known
// failure and each known failure that agrees now (or no longer exists);
// with WITC_SPEC_UPDATE=1 it rewrites the list instead, keeping the
// reasons already written and classifying new failures by their message.
func checkKnown(t *testing.T, asserts []assertion) {
	known := readKnown(t)
	seen := map[string]bool{}
	var failures []knownFailure
	var unexpected, fixed []string
	for _, a := range asserts {
		k := a.key()
		seen[k] = true
		kf, listed := known[k]
		switch {
		case !a.Agree && listed:
			failures = append(failures, kf)
		case !a.Agree:
			reason := classify(a.Msg)
			if len(a.scope) > 0 {
				reason = "[" + strings.Join(a.scope, ",") + "] " + reason
			}
			failures = append(failures, knownFailure{key: k, kind: a.Kind, reason: reason})
			unexpected = append(unexpected, fmt.Sprintf("%s %s: %s", k, a.Kind, a.Msg))
		case listed:
			fixed = append(fixed, fmt.Sprintf("%s %s (listed: %s)", k, a.Kind, kf.reason))
		}
	}
	finishKnown(t, knownFile, knownHeader, "assertion", known, seen, failures, unexpected, fixed)
}

// finishKnown reports the disagreements of a suite by cause, then either
// rewrites its list of known failures (WITC_SPEC_UPDATE) or fails the
// test for each unexpected disagreement, each listed one that agrees now
// and each listed one that is not among the suite's (what) any more.
func finishKnown(t *testing.T, file, header, what string, known map[string]knownFailure, seen map[string]bool, failures []knownFailure, unexpected, fixed []string) {
	var stale []string
	for k := range known {
		if !seen[k] {
			stale = append(stale, k)
		}
	}
	sort.Strings(stale)

	causes := map[string]int{}
	for _, f := range failures {
		causes[f.reason]++
	}
	var reasons []string
	for r := range causes {
		reasons = append(reasons, r)
	}
	sort.Slice(reasons, func(i, j int) bool {
		if causes[reasons[i]] != causes[reasons[j]] {
			return causes[reasons[i]] > causes[reasons[j]]
		}
		return reasons[i] < reasons[j]
	})
	t.Logf("%d disagreements, by cause:", len(failures))
	for _, r := range reasons {
		t.Logf("  %4d  %s", causes[r], r)
	}

	if os.Getenv(envUpdate) != "" {
		writeKnownFile(t, file, header, failures)
		t.Logf("wrote %s: %d entries (%d new, %d fixed, %d stale removed)", file, len(failures), len(unexpected), len(fixed), len(stale))
		return
	}
	for _, u := range unexpected {
		t.Errorf("new disagreement (fix it, or list it in %s with its reason): %s", file, u)
	}
	for _, f := range fixed {
		t.Errorf("agrees now, remove it from %s: %s", file, f)
	}
	for _, s := range stale {
		t.Errorf("%s lists %s, which is no %s of the scripts", file, s, what)
	}
}

// writeKnownFile writes a list of known failures, sorted by script and line.
func writeKnownFile(t *testing.T, knownFile, header string, failures []knownFailure) {
	sort.Slice(failures, func(i, j int) bool {
		pi, li := splitKey(failures[i].key)
		pj, lj := splitKey(failures[j].key)
		if pi != pj {
			return pi < pj
		}
		return li < lj
	})
	var b strings.Builder
	b.WriteString(header)
	for _, f := range failures {
		fmt.Fprintf(&b, "%s %s %s\n", f.key, f.kind, f.reason)
	}
	if err := os.MkdirAll(filepath.Dir(knownFile), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(knownFile, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

func splitKey(k string) (string, int) {
	i := strings.LastIndexByte(k, ':')
	var n int
	fmt.Sscan(k[i+1:], &n)
	return k[:i], n
}

const knownHeader = `# Assertions of ../shared/conformance/component-wast/ on which witc's host
# disagrees with the script, each with its cause: "path:line kind reason".
# TestSpec fails on a disagreement missing here and on an entry that
# agrees now. WITC_SPEC_UPDATE=1 make spectest rewrites the list (reasons
# already written are kept, new ones classified by their message).
`

// causes classify a disagreement by its message, first match wins; each
// names what must change (in the host, canonabi, component/check, the WAT
// reader, wazero, the runner) for the assertion to agree.
var causes = []struct {
	re     *regexp.Regexp
	reason string
}{
	{regexp.MustCompile(`WAT reader: .*cancellable`), "WAT reader: jco's wasm-tools 0.259 rejects the `cancellable` option the script uses (removed by component-model#716)"},
	{regexp.MustCompile(`WAT reader: .*WAST_STRICT_COMPONENT_INDICES`), "WAT reader: the script uses the legacy index syntax (`(memory $$i \"m\")`), which jco's strict reader rejects"},
	{regexp.MustCompile(`WAT reader: (.*)`), "WAT reader rejects the module: $1"},
	{regexp.MustCompile(`skipped: (.*)`), "skipped: $1"},
	{regexp.MustCompile(`unknown abstract heap type`), "wazero: core GC reference types (`(ref i31)` tables) are not supported"},
	{regexp.MustCompile(`unsupported core type form 0x5f`), "component/check: core GC types (rec/struct/array) in core modules are not supported"},
	{regexp.MustCompile(`tag section not supported`), "wazero: core exception handling (tags) is not supported"},
	{regexp.MustCompile(`aliasing a core tag from a core instance is not supported`), "host: core tags (exception handling) cannot be aliased from a core instance"},
	{regexp.MustCompile(`call_ref invalid`), "wazero: typed function references (call_ref) are not supported"},
	{regexp.MustCompile(`feature "multi-memory" is not supported by wazero`), "wazero: multi-memory is not supported (a module with several memories is refused)"},
	{regexp.MustCompile(`invalid memory alignment`), "wazero: multi-memory is not supported (a load from memory 1 reads as an invalid alignment)"},
	{regexp.MustCompile("the `gc` and `core-type` options"), "host: the GC-based canonical ABI (`gc`, `core-type` options) is not supported: wazero has no core GC types"},
	{regexp.MustCompile("a host cannot provide a core module inside an interface"), "host: a host instance cannot export a core module (Wasmtime's `host.simple-module`)"},
	{regexp.MustCompile(`nothing provides:\n\s+(\S+) `), "spectest host: Wasmtime's runner provides `$1`, witc's spectest host does not"},
	{regexp.MustCompile("`([a-z.-]+)` is not supported by witc's runtime yet \\(the component model's ([a-z-]+) built-ins"), "host: the $2 built-ins are not run (`$1`)"},
	{regexp.MustCompile("lifted with the stackful async ABI"), "host: stackful async lifts (no `callback`) are not run: wazero has no stack switching"},
	{regexp.MustCompile("yields before it first returns to its async caller"), "host: a task that yields before it first returns, with only its async caller to run, needs stack switching"},
	{regexp.MustCompile("lifted with the async ABI"), "host: functions lifted with the async ABI are not run"},
	{regexp.MustCompile("lowered with the async ABI"), "host: functions lowered with the async ABI are not run"},
	{regexp.MustCompile("backpressure is on, and an async-typed function would wait"), "host: async-typed functions do not wait for backpressure"},
	{regexp.MustCompile(`timed out`), "timeout: the script did not finish in time"},
	{regexp.MustCompile(`^instantiated$`), "host: instantiated where the script expects a link error"},
	{regexp.MustCompile(`^returned instead of trapping$`), "host: returned where the script expects a trap"},
}

func classify(msg string) string {
	for _, c := range causes {
		if m := c.re.FindStringSubmatchIndex(msg); m != nil {
			return string(c.re.ExpandString(nil, c.reason, msg, m))
		}
	}
	return "unclassified: " + strings.SplitN(msg, "\n", 2)[0]
}

func TestClassify(t *testing.T) {
	for msg, want := range map[string]string{
		"the component did not instantiate: core module 0: feature \"multi-memory\" is not supported by wazero, the runtime witc runs components on (the module has 2 memories; wazero runs modules with one at most)": "wazero: multi-memory is not supported (a module with several memories is refused)",
		"WAT reader: line 1, col 2: oops": "WAT reader rejects the module: line 1, col 2: oops",
		"trapped only because witc does not run it: run: root/component 1 func 17: `stream.new` is not supported by witc's runtime yet (the component model's async built-ins are not implemented) (recovered by wazero)": "host: the async built-ins are not run (`stream.new`)",
		"run: the component instance trapped earlier (run: `thread.index` is not supported by witc's runtime yet (the component model's threading built-ins are not implemented)":                                         "host: the threading built-ins are not run (`thread.index`)",
		"the component did not instantiate: component imports what nothing provides:\n  host#never-return (the host's host has no function `never-return`)":                                                               "spectest host: Wasmtime's runner provides `host#never-return`, witc's spectest host does not",
		"something new\nwith a stack": "unclassified: something new",
	} {
		if got := classify(msg); got != want {
			t.Errorf("classify(%q) = %q, want %q", msg, got, want)
		}
	}
}
