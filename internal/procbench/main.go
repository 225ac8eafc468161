// Command procbench compares whole witc processes with their baselines,
// side by side in one run (issue 15's whole-process targets): the CPU time
// of each process (user + system, as the kernel accounts it to the child)
// and its peak resident memory, medians of -n runs, the runs of a
// comparison interleaved so that load on the machine falls on all of them
// alike. It prints ratios, not verdicts: the machine decides the times.
//
//	go run ./internal/procbench [-n 50] [-witc bin/witc] [-shared ../shared] [-cold]
//
// The comparisons:
//
//   - start-up: `witc check` of a 40-byte WIT file against a Go
//     hello-world and against the floor (a hello-world linking witc's
//     required libraries and net/http), both built as the binary -witc
//     was (its build tags and CGO_ENABLED, as Go recorded them);
//   - compose: `witc compose` of the corpus's kitchen pair against `cat`
//     of the same files into the same output (emptied before each run,
//     outside the measurement, for both);
//   - WIT: peak memory of `witc wit` on the synthetic package of 1000 and
//     of 5000 interfaces (internal/synthwit) and on WASI 0.2.12's http
//     package with its deps, per byte of input;
//   - cold start (-cold, needs jco installed as make jco-test installs
//     it): `witc run --no-cache` of the composed kitchen pair against
//     `jco run` of it.
package main

import (
	"debug/buildinfo"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/witc-dev/witc/internal/synthwit"
)

// usage is what one run of a process cost.
type usage struct {
	cpu    time.Duration // user + system
	maxRSS int64         // bytes
}

// proc is a process to measure: argv, with stdout to the file out (""
// discards it) and prepare, when set, run first, outside the measurement.
type proc struct {
	name    string
	argv    []string
	out     string // file stdout goes to, emptied before each run ("" discards it)
	prepare func() error
}

// run runs p once and returns its usage. The process is started by a
// fresh procbench (see child), because Linux counts into a child's peak
// memory that of the process it was forked from: Go forks with the
// parent's memory shared (vfork) and the kernel takes the larger of the
// two peaks at exec. The runner's peak is smaller than witc's own.
func (p proc) run() (usage, error) {
	if p.prepare != nil {
		if err := p.prepare(); err != nil {
			return usage{}, err
		}
	}
	self, err := os.Executable()
	if err != nil {
		return usage{}, err
	}
	r, w, err := os.Pipe()
	if err != nil {
		return usage{}, err
	}
	defer r.Close()
	cmd := exec.Command(self, p.argv...)
	cmd.Env = append(os.Environ(), childEnv+"=1")
	cmd.Stderr = os.Stderr
	cmd.ExtraFiles = []*os.File{w}
	if p.out != "" {
		f, err := os.OpenFile(p.out, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
		if err != nil {
			w.Close()
			return usage{}, err
		}
		defer f.Close()
		cmd.Stdout = f
	}
	err = cmd.Start()
	w.Close()
	if err != nil {
		return usage{}, err
	}
	var u usage
	var cpu int64
	_, scanErr := fmt.Fscan(r, &cpu, &u.maxRSS)
	if err := cmd.Wait(); err != nil {
		return usage{}, fmt.Errorf("%s: %w", strings.Join(p.argv, " "), err)
	}
	if scanErr != nil {
		return usage{}, fmt.Errorf("%s: no usage reported: %w", strings.Join(p.argv, " "), scanErr)
	}
	u.cpu = time.Duration(cpu)
	return u, nil
}

// childEnv, set in its environment, makes procbench the runner of one
// process: it runs its arguments as a command, with its standard streams,
// and writes the command's CPU time (ns) and peak memory (bytes) to file
// descriptor 3.
const childEnv = "PROCBENCH_CHILD"

func child(argv []string) error {
	report := os.NewFile(3, "report")
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		return err
	}
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		return fmt.Errorf("no resource usage on this system")
	}
	cpu := cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	_, err := fmt.Fprintln(report, int64(cpu), ru.Maxrss*1024)
	return err
}

// compare runs the processes n times each, interleaved, and returns the
// median CPU time and median peak memory of each.
func compare(n int, ps ...proc) ([]usage, error) {
	all := make([][]usage, len(ps))
	for range n {
		for i, p := range ps {
			u, err := p.run()
			if err != nil {
				return nil, err
			}
			all[i] = append(all[i], u)
		}
	}
	med := make([]usage, len(ps))
	for i, us := range all {
		cpus := make([]time.Duration, len(us))
		rss := make([]int64, len(us))
		for j, u := range us {
			cpus[j], rss[j] = u.cpu, u.maxRSS
		}
		slices.Sort(cpus)
		slices.Sort(rss)
		med[i] = usage{cpu: cpus[len(cpus)/2], maxRSS: rss[len(rss)/2]}
	}
	return med, nil
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond)) }
func mb(b int64) string         { return fmt.Sprintf("%.1f MB", float64(b)/1e6) }

func main() {
	if os.Getenv(childEnv) != "" {
		if err := child(os.Args[1:]); err != nil {
			fmt.Fprintln(os.Stderr, "procbench:", err)
			os.Exit(1)
		}
		return
	}
	n := flag.Int("n", 50, "runs of each process (medians are reported)")
	witc := flag.String("witc", "bin/witc", "the witc binary to measure (make build)")
	shared := flag.String("shared", "../shared", "the shared directory (corpus, conformance)")
	cold := flag.Bool("cold", false, "also compare cold starts with jco run (slow; needs jco in $JCO_DIR)")
	flag.Parse()
	if err := bench(*n, *witc, *shared, *cold); err != nil {
		fmt.Fprintln(os.Stderr, "procbench:", err)
		os.Exit(1)
	}
}

func bench(n int, witc, shared string, cold bool) error {
	tmp, err := os.MkdirTemp("", "procbench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	witc, err = filepath.Abs(witc)
	if err != nil {
		return err
	}

	// Start-up: the baselines are built as witc was.
	bi, err := buildinfo.ReadFile(witc)
	if err != nil {
		return fmt.Errorf("%s: %w", witc, err)
	}
	args, env := []string{"build"}, os.Environ()
	for _, st := range bi.Settings {
		switch st.Key {
		case "-tags":
			args = append(args, "-tags", st.Value)
		case "CGO_ENABLED":
			env = append(env, "CGO_ENABLED="+st.Value)
		}
	}
	for _, name := range []string{"hello", "floor"} {
		build := exec.Command("go", append(args, "-o", filepath.Join(tmp, name), "./internal/procbench/"+name)...)
		build.Env = env
		build.Stderr = os.Stderr
		if err := build.Run(); err != nil {
			return fmt.Errorf("building %s: %w", name, err)
		}
	}
	tiny := filepath.Join(tmp, "tiny.wit")
	if err := os.WriteFile(tiny, []byte("package a:b;\ninterface i { f: func(); }\n"), 0o644); err != nil {
		return err
	}
	st, err := compare(n,
		proc{name: "hello", argv: []string{filepath.Join(tmp, "hello")}},
		proc{name: "floor", argv: []string{filepath.Join(tmp, "floor")}},
		proc{name: "witc check", argv: []string{witc, "check", tiny}})
	if err != nil {
		return err
	}
	fmt.Printf("start-up (CPU, median of %d)\n", n)
	fmt.Printf("  Go hello-world                 %s\n", ms(st[0].cpu))
	fmt.Printf("  floor (required libraries)     %s  %.2fx hello-world\n", ms(st[1].cpu), ratio(st[1].cpu, st[0].cpu))
	fmt.Printf("  witc check of a 40-byte file   %s  %.2fx hello-world, %.2fx the floor\n", ms(st[2].cpu), ratio(st[2].cpu, st[0].cpu), ratio(st[2].cpu, st[1].cpu))

	// Compose.
	corpus := filepath.Join(shared, "corpus", "components")
	app, lib := filepath.Join(corpus, "kitchen-app.wasm"), filepath.Join(corpus, "kitchen-lib.wasm")
	inputs, err := sizes(app, lib)
	if err != nil {
		return fmt.Errorf("the kitchen pair: %w", err)
	}
	composed := filepath.Join(tmp, "kitchen.wasm")
	empty := func() error { return os.Truncate(composed, 0) }
	if err := os.WriteFile(composed, nil, 0o644); err != nil {
		return err
	}
	co, err := compare(n,
		proc{name: "witc compose", argv: []string{witc, "compose", app, lib, "-o", composed}, prepare: empty},
		proc{name: "cat", argv: []string{"cat", app, lib}, out: filepath.Join(tmp, "cat.wasm")})
	if err != nil {
		return err
	}
	fmt.Printf("compose of the kitchen pair (%s of inputs; CPU and peak RSS, median of %d)\n", mb(inputs), n)
	fmt.Printf("  cat of the inputs              %s\n", ms(co[1].cpu))
	fmt.Printf("  witc compose                   %s  %.2fx cat; peak %s, %.2fx the inputs\n", ms(co[0].cpu), ratio(co[0].cpu, co[1].cpu), mb(co[0].maxRSS), float64(co[0].maxRSS)/float64(inputs))

	// WIT.
	fmt.Printf("WIT: witc wit's peak RSS per byte of input (median of %d)\n", max(n/5, 3))
	base, err := compare(max(n/5, 3), proc{name: "witc wit tiny", argv: []string{witc, "wit", tiny}})
	if err != nil {
		return err
	}
	fmt.Printf("  a 40-byte file                 peak %s (the process's own)\n", mb(base[0].maxRSS))
	var wits []string
	for _, k := range []int{1000, 5000} {
		p := filepath.Join(tmp, fmt.Sprintf("synth%d.wit", k))
		if err := os.WriteFile(p, synthwit.Package(k), 0o644); err != nil {
			return err
		}
		wits = append(wits, p)
	}
	wits = append(wits, filepath.Join(shared, "conformance", "wasi-wit", "0.2.12", "http"))
	for _, p := range wits {
		size, err := witSize(p)
		if err != nil {
			return err
		}
		u, err := compare(max(n/5, 3), proc{name: "witc wit", argv: []string{witc, "wit", p}})
		if err != nil {
			return err
		}
		fmt.Printf("  %-30s %s of WIT: peak %s, %.1fx the input (%.1fx without the 40-byte file's)\n", filepath.Base(p), mb(size), mb(u[0].maxRSS),
			float64(u[0].maxRSS)/float64(size), float64(u[0].maxRSS-base[0].maxRSS)/float64(size))
	}

	if !cold {
		return nil
	}
	jcoDir := os.Getenv("JCO_DIR")
	if jcoDir == "" {
		jcoDir = "/tmp/witc-corpus-tools"
	}
	jco := filepath.Join(jcoDir, "node_modules", "@bytecodealliance", "jco", "dist", "jco.js")
	if _, err := os.Stat(jco); err != nil {
		return fmt.Errorf("-cold needs jco (make jco-test installs it): %w", err)
	}
	if err := exec.Command(witc, "compose", app, lib, "-o", composed).Run(); err != nil {
		return err
	}
	k := max(n/25, 3)
	cs, err := compare(k,
		proc{name: "witc run --no-cache", argv: []string{witc, "run", "--no-cache", composed}},
		proc{name: "jco run", argv: []string{"node", jco, "run", composed}})
	if err != nil {
		return err
	}
	fmt.Printf("cold start of the composed kitchen pair (CPU and peak RSS, median of %d)\n", k)
	fmt.Printf("  jco run                        %s, peak %s\n", ms(cs[1].cpu), mb(cs[1].maxRSS))
	fmt.Printf("  witc run --no-cache            %s, peak %s: %.2fx jco's CPU, %.2fx its memory\n", ms(cs[0].cpu), mb(cs[0].maxRSS),
		ratio(cs[0].cpu, cs[1].cpu), float64(cs[0].maxRSS)/float64(cs[1].maxRSS))
	return nil
}

func ratio(a, b time.Duration) float64 { return float64(a) / float64(b) }

// sizes returns the total size of files.
func sizes(files ...string) (int64, error) {
	var total int64
	for _, f := range files {
		fi, err := os.Stat(f)
		if err != nil {
			return 0, err
		}
		total += fi.Size()
	}
	return total, nil
}

// witSize returns the size of the WIT file p, or of every .wit file under
// the directory p.
func witSize(p string) (int64, error) {
	var total int64
	err := filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".wit") {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		total += fi.Size()
		return nil
	})
	return total, err
}
