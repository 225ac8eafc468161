package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/urfave/cli/v2"
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
		ArgsUsage: "dir|size|clean",
		Description: "witc run keeps the machine code wazero compiles from a component's core modules, so that the\n" +
			"next run of the same component starts at once; the cache is $WITC_CACHE_DIR, else witc/wazero in the\n" +
			"user cache directory. `dir` prints its path, `size` what it holds, `clean` empties it. Each witc run\n" +
			"first removes the files used longest ago beyond --cache-limit (default 1GiB).",
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return usagef("cache: expected one of dir, size, clean")
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
			return usagef("cache: unknown action %q: expected dir, size or clean", c.Args().First())
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
