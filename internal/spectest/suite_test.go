package spectest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/witc-dev/witc/host"
)

// scriptsDir is ../shared/conformance/component-wast beside the clone
// (WITC_SPEC_SCRIPTS overrides it).
func scriptsDir(t *testing.T) string {
	dir := os.Getenv("WITC_SPEC_SCRIPTS")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "conformance", "component-wast")
	}
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("component spec scripts not found at %s: skipping", dir)
	}
	return dir
}

// TestExtract writes the manifest of module texts to convert into
// $WITC_SPEC_CACHE (make spectest runs it before convert.mjs).
func TestExtract(t *testing.T) {
	dir := os.Getenv("WITC_SPEC_EXTRACT")
	if dir == "" {
		t.Skip("set WITC_SPEC_EXTRACT to the cache directory to write its manifest")
	}
	scripts, err := LoadScripts(scriptsDir(t))
	if err != nil {
		t.Fatal(err)
	}
	if root := os.Getenv(envCoreScripts); root != "" {
		core, err := LoadCoreScripts(root)
		if err != nil {
			t.Fatal(err)
		}
		scripts = append(scripts, core...)
	}
	n, err := (&Cache{Dir: dir}).WriteManifest(scripts)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d scripts; %d module texts to convert", len(scripts), n)
}

// The suite runs each script in a child process (this test binary with
// WITC_SPEC_SCRIPT set): a guest that loops or a host that hangs or
// crashes costs one script, which the parent kills at its deadline.
const (
	envCache   = "WITC_SPEC_CACHE"
	envScript  = "WITC_SPEC_SCRIPT"
	envOut     = "WITC_SPEC_OUT"
	envTimeout = "WITC_SPEC_TIMEOUT"
	envUpdate  = "WITC_SPEC_UPDATE"
	envHogs    = "WITC_SPEC_HOGS"
)

// TestSpecScript is the child: it runs the script $WITC_SPEC_SCRIPT and
// appends its outcomes to $WITC_SPEC_OUT as JSON lines, each as soon as
// it is known; lines of Kind "instantiate" say whether each component the
// script instantiates did, those of Kind "log" what else went wrong.
func TestSpecScript(t *testing.T) {
	path := os.Getenv(envScript)
	if path == "" {
		t.Skip("the child of TestSpec (runs one script)")
	}
	root := scriptsDir(t)
	src, err := os.ReadFile(filepath.Join(root, path))
	if err != nil {
		t.Fatal(err)
	}
	s, err := ParseScript(path, string(src))
	if err != nil {
		t.Fatal(err)
	}
	out, err := os.OpenFile(os.Getenv(envOut), os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	enc := json.NewEncoder(out)
	cache := os.Getenv(envCache)
	ctx, cancel := context.WithTimeout(context.Background(), timeout())
	defer cancel()
	rt := host.NewRuntime(ctx, host.Options{CacheDir: filepath.Join(cache, "wazero")})
	defer rt.Close(ctx)
	r := &Runner{Runtime: rt, Cache: &Cache{Dir: cache}, Log: func(line int, msg string) {
		_ = enc.Encode(Outcome{Line: line, Kind: "log", Msg: msg})
	}}
	r.Instantiated = func(line int, err error) {
		rec := Outcome{Line: line, Kind: "instantiate", Agree: err == nil}
		if err != nil {
			rec.Msg = err.Error()
		}
		_ = enc.Encode(rec)
	}
	r.Run(ctx, s, func(o Outcome) { _ = enc.Encode(o) })
}

func timeout() time.Duration {
	if d, err := time.ParseDuration(os.Getenv(envTimeout)); err == nil {
		return d
	}
	return 20 * time.Second
}

// scriptResult is what a child reported for a script.
type scriptResult struct {
	script   *Script
	records  []Outcome
	err      error // the child's failure (timeout, crash), if any
	duration time.Duration
}

// runChild runs one script in a child process.
func runChild(t *testing.T, root, cache string, s *Script) scriptResult {
	start := time.Now()
	out := filepath.Join(t.TempDir(), "out.jsonl")
	ctx, cancel := context.WithTimeout(context.Background(), timeout()+5*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestSpecScript$", "-test.count=1")
	cmd.Env = append(os.Environ(), envScript+"="+s.Path, envOut+"="+out, envCache+"="+cache, "WITC_SPEC_SCRIPTS="+root)
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stderr, &stderr
	err := cmd.Run()
	res := scriptResult{script: s, duration: time.Since(start)}
	switch {
	case ctx.Err() != nil:
		res.err = fmt.Errorf("timed out after %v", timeout())
	case err != nil:
		tail := stderr.String()
		if len(tail) > 400 {
			tail = "..." + tail[len(tail)-400:]
		}
		res.err = fmt.Errorf("child failed: %v: %s", err, strings.TrimSpace(tail))
	}
	if b, err := os.ReadFile(out); err == nil {
		dec := json.NewDecoder(bytes.NewReader(b))
		for dec.More() {
			var r Outcome
			if dec.Decode(&r) != nil {
				break
			}
			res.records = append(res.records, r)
		}
	}
	return res
}

// runAll runs every script, two at a time per core.
func runAll(t *testing.T, root, cache string, scripts []*Script) []scriptResult {
	results := make([]scriptResult, len(scripts))
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for i, s := range scripts {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			if s.Flags["hogs_memory"] == "true" && os.Getenv(envHogs) == "" {
				results[i] = scriptResult{script: s, err: errors.New("skipped: hogs_memory (grows memories to gigabytes; " + envHogs + "=1 runs it)")}
				return
			}
			results[i] = runChild(t, root, cache, s)
		}()
	}
	wg.Wait()
	return results
}

// assertion is an executed assertion's outcome in the suite.
type assertion struct {
	path  string
	scope []string // the script's out-of-scope features
	Outcome
}

func (a assertion) key() string { return fmt.Sprintf("%s:%d", a.path, a.Line) }

func folderOf(path string) string { f, _, _ := strings.Cut(path, "/"); return f }

// outcomes lines up the assertions of each script with what its child
// reported; those it did not report failed with the child's error.
func outcomes(results []scriptResult) (asserts []assertion, inst map[string][2]int) {
	inst = map[string][2]int{}
	for _, res := range results {
		got := map[int]Outcome{}
		folder := folderOf(res.script.Path)
		for _, r := range res.records {
			switch r.Kind {
			case "instantiate":
				n := inst[folder]
				n[1]++
				if r.Agree {
					n[0]++
				}
				inst[folder] = n
			case "log":
			default:
				got[r.Line] = r
			}
		}
		for _, c := range res.script.Commands {
			if !Executed(c.Kind) {
				continue
			}
			r, ok := got[c.Line]
			if !ok {
				msg := "not run"
				if res.err != nil {
					msg = res.err.Error()
				}
				r = Outcome{Line: c.Line, Kind: c.Kind.String(), Msg: msg}
			}
			asserts = append(asserts, assertion{path: res.script.Path, scope: res.script.Scope(), Outcome: r})
		}
	}
	return asserts, inst
}

// specCache is $WITC_SPEC_CACHE, where make spectest converted the
// scripts' modules; the test is skipped without it.
func specCache(t *testing.T) string {
	cache := os.Getenv(envCache)
	if cache == "" {
		t.Skip("WITC_SPEC_CACHE is not set: run `make spectest` (it converts the scripts' modules with jco, then runs this test)")
	}
	if _, err := os.Stat(filepath.Join(cache, ManifestName)); err != nil {
		t.Skipf("no converted modules in %s: run `make spectest`", cache)
	}
	return cache
}

// TestSpec runs the component spec scripts (spec/, wasm-tools/,
// wasmtime/) on the host, with the modules converted into
// $WITC_SPEC_CACHE by make spectest, and checks every disagreement against
// testdata/known-failures.txt.
func TestSpec(t *testing.T) {
	cache := specCache(t)
	root := scriptsDir(t)
	scripts, err := LoadScripts(root)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	results := runAll(t, root, cache, scripts)
	asserts, inst := outcomes(results)
	elapsed := time.Since(start)

	type tally struct{ agree, total int }
	counts := map[string]map[string]*tally{}
	for _, a := range asserts {
		f := folderOf(a.path)
		if counts[f] == nil {
			counts[f] = map[string]*tally{}
		}
		if counts[f][a.Kind] == nil {
			counts[f][a.Kind] = &tally{}
		}
		counts[f][a.Kind].total++
		if a.Agree {
			counts[f][a.Kind].agree++
		}
	}
	for _, f := range Folders {
		var parts []string
		for _, k := range []string{"assert_return", "assert_trap", "assert_unlinkable", "assert_uninstantiable"} {
			if c := counts[f][k]; c != nil {
				parts = append(parts, fmt.Sprintf("%s %d/%d agree", k, c.agree, c.total))
			}
		}
		parts = append(parts, fmt.Sprintf("components instantiated %d/%d", inst[f][0], inst[f][1]))
		t.Logf("%s: %s", f, strings.Join(parts, ", "))
	}
	var slowest []scriptResult
	for _, r := range results {
		if r.err != nil {
			t.Logf("%s: %v", r.script.Path, r.err)
		}
		slowest = append(slowest, r)
	}
	sort.Slice(slowest, func(i, j int) bool { return slowest[i].duration > slowest[j].duration })
	for _, r := range slowest[:min(3, len(slowest))] {
		t.Logf("slow: %s %v", r.script.Path, r.duration.Round(time.Millisecond))
	}
	t.Logf("%d scripts in %v", len(scripts), elapsed.Round(time.Millisecond))

	checkKnown(t, asserts)
}
