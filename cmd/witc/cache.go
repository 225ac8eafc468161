package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"sort"
	"syscall"
	"time"

	"github.com/urfave/cli/v2"
	"github.com/witc-dev/witc/host"
)

// cacheDir is where witc run keeps compiled code: $WITC_CACHE_DIR, else
// witc/wazero in the user cache directory (~/.cache on Linux,
// ~/Library/Caches on macOS, %LocalAppData% on Windows).
func cacheDir() (string, error) {
	if d := os.Getenv("WITC_CACHE_DIR"); d != "" {
		return d, nil
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("no cache directory: %v (set WITC_CACHE_DIR)", err)
	}
	return filepath.Join(d, "witc", "wazero"), nil
}

func cacheCommand() *cli.Command {
	return &cli.Command{
		Name:      "cache",
		Usage:     "show, measure or empty the cache of compiled code that witc run keeps",
		ArgsUsage: "dir|size|clean|warm FILE.wasm",
		Description: "witc run keeps the machine code wazero compiles from a component's core modules, so that the\n" +
			"next run of the same component starts at once; the cache is $WITC_CACHE_DIR, else witc/wazero in the\n" +
			"user cache directory. `dir` prints its path, `size` what it holds, `clean` empties it. Each witc run\n" +
			"first removes the files used longest ago beyond --cache-limit (default 1GiB).\n" +
			"`warm FILE.wasm` compiles the component's core modules into the cache with wazero's optimizing\n" +
			"compiler, so that witc run --engine auto (the default) runs it compiled; witc run starts it, detached,\n" +
			"when it had to interpret a component for want of its compiled code.",
		Action: func(c *cli.Context) error {
			if c.Args().First() == "warm" {
				if c.NArg() != 2 {
					return usagef("cache warm: expected one component file")
				}
				return warmCache(c, c.Args().Get(1))
			}
			if c.NArg() != 1 {
				return usagef("cache: expected one of dir, size, clean, warm FILE.wasm")
			}
			dir, err := cacheDir()
			if err != nil {
				return err
			}
			w := c.App.Writer
			switch c.Args().First() {
			case "dir":
				_, err := fmt.Fprintln(w, dir)
				return err
			case "size", "clean":
				files, err := cacheFiles(dir)
				if err != nil {
					return err
				}
				what := fmt.Sprintf("%s in %d files (%s)", humanSize(cacheTotal(files)), len(files), dir)
				if c.Args().First() == "size" {
					_, err = fmt.Fprintln(w, what)
					return err
				}
				if err := os.RemoveAll(dir); err != nil {
					return err
				}
				_, err = fmt.Fprintln(w, "removed", what)
				return err
			}
			return usagef("cache: unknown action %q: expected dir, size, clean or warm FILE.wasm", c.Args().First())
		},
	}
}

// cacheFile is one file of the compilation cache.
type cacheFile struct {
	path string
	size int64
	used time.Time // the later of its last access (where the system keeps it) and modification
}

// cacheFiles lists the regular files under dir (none when it does not exist).
func cacheFiles(dir string) ([]cacheFile, error) {
	var out []cacheFile
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if !d.Type().IsRegular() {
			return nil
		}
		fi, err := d.Info()
		if err != nil {
			return nil // removed meanwhile
		}
		used := fi.ModTime()
		if at := accessTime(fi); at.After(used) {
			used = at
		}
		out = append(out, cacheFile{path: p, size: fi.Size(), used: used})
		return nil
	})
	return out, err
}

// cacheTotal is the size of files together.
func cacheTotal(files []cacheFile) uint64 {
	var total uint64
	for _, f := range files {
		total += uint64(f.size)
	}
	return total
}

// trimCache removes the files of dir used longest ago until what remains
// holds at most limit bytes. The cache's files are wazero's, one per
// compiled module, written whole and renamed into place: a removed one is
// compiled again when needed, even by a witc that is running.
func trimCache(dir string, limit uint64) error {
	files, err := cacheFiles(dir)
	if err != nil {
		return err
	}
	total := cacheTotal(files)
	if total <= limit {
		return nil
	}
	sort.Slice(files, func(i, j int) bool { return files[i].used.Before(files[j].used) })
	for _, f := range files {
		if total <= limit {
			break
		}
		if err := os.Remove(f.path); err == nil || errors.Is(err, fs.ErrNotExist) {
			total -= uint64(f.size)
		}
	}
	return nil
}

// warmLockName is the lock file, in the cache's index directory, of the
// witc cache warm process that witc run started: one at a time, so that
// runs of a component before its code is compiled do not each compile it.
const warmLockName = "warming.lock"

// warmLockStale is the age after which a warm lock is taken to be left by
// a process that died.
const warmLockStale = 30 * time.Minute

// startWarm starts, detached, `witc cache warm path` (this
// executable): it compiles the component with wazero's optimizing compiler
// into the cache at dir while this process goes on interpreting it, and
// exits when done; this process neither waits for it nor counts its CPU.
// Nothing is started while another warm process holds the lock. Failures
// are ignored: the next run tries again.
func startWarm(path, dir string) {
	exe, err := os.Executable()
	if err != nil {
		return
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return
	}
	lock := filepath.Join(dir, "witc-index", warmLockName)
	if fi, err := os.Stat(lock); err == nil && time.Since(fi.ModTime()) > warmLockStale {
		os.Remove(lock)
	}
	if err := os.MkdirAll(filepath.Dir(lock), 0o755); err != nil {
		return
	}
	f, err := os.OpenFile(lock, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return // another warm runs
	}
	f.Close()
	cmd := exec.Command(exe, "cache", "warm", abs)
	// The cache directory it warms is this one; warmBackground tells it
	// witc run started it; WITC_TEST_AS_WITC makes a test binary act as
	// witc (TestMain), and is ignored by witc itself.
	cmd.Env = append(os.Environ(), "WITC_CACHE_DIR="+dir, warmBackground+"=1", "WITC_TEST_AS_WITC=1")
	if err := cmd.Start(); err != nil {
		os.Remove(lock)
		return
	}
	cmd.Process.Release()
}

// warmBackground is the variable of the environment of the witc cache
// warm that witc run starts.
const warmBackground = "WITC_WARM_BACKGROUND"

// warmCache is witc cache warm FILE: it compiles the component's core
// modules that the cache lacks, with the options of witc run.
func warmCache(c *cli.Context, path string) error {
	dir, err := cacheDir()
	if err != nil {
		return err
	}
	if os.Getenv(warmBackground) == "1" {
		// Started by witc run: a Ctrl-C or a closed terminal meant for
		// the run does not stop the compilation.
		signal.Ignore(os.Interrupt, syscall.SIGHUP)
		defer os.Remove(filepath.Join(dir, "witc-index", warmLockName))
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	// The options of runtimeOptions that change the compiled code.
	rt := host.NewRuntime(context.Background(), host.Options{CacheDir: dir, Workers: runtime.NumCPU(), StopOnContextDone: true})
	defer rt.Close(context.Background())
	return rt.Warm(c.Context, b)
}
