package spectest

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Folders are the folders of component-wast/ the suite runs, in order.
var Folders = []string{"spec", "wasm-tools", "wasmtime"}

// LoadScripts reads every `.wast` script under the folders of root (the
// component-wast directory), with paths relative to root. The snapshot
// directories of wasm-tools (named `X.wast/`) are not scripts.
func LoadScripts(root string) ([]*Script, error) {
	var out []*Script
	for _, folder := range Folders {
		err := filepath.WalkDir(filepath.Join(root, folder), func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && d.Name() == "snapshots" {
				return filepath.SkipDir
			}
			if d.IsDir() || !strings.HasSuffix(p, ".wast") {
				return nil
			}
			src, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(root, p)
			s, err := ParseScript(filepath.ToSlash(rel), string(src))
			if err != nil {
				return err
			}
			out = append(out, s)
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, nil
}

// Cache holds the binaries a WAT reader made of the scripts' modules:
// `<hash>.wasm`, or `<hash>.err` with the reader's error, per module text
// (Module.Hash). convert.mjs fills it from the manifest WriteManifest
// writes.
type Cache struct {
	Dir string
}

// ManifestName is the manifest's file name in the cache directory.
const ManifestName = "manifest.json"

// ManifestEntry is a module text to convert.
type ManifestEntry struct {
	Hash string `json:"hash"`
	Text string `json:"text"`
}

// WriteManifest writes the manifest of the text modules of scripts that
// the cache has no result for yet, and returns how many it lists.
func (c *Cache) WriteManifest(scripts []*Script) (int, error) {
	if err := os.MkdirAll(c.Dir, 0o755); err != nil {
		return 0, err
	}
	entries := []ManifestEntry{}
	seen := map[string]bool{}
	for _, s := range scripts {
		for _, m := range s.Modules() {
			h := m.Hash()
			if m.Binary != nil || seen[h] || c.has(h) {
				continue
			}
			seen[h] = true
			entries = append(entries, ManifestEntry{Hash: h, Text: m.Text})
		}
	}
	b, err := json.Marshal(entries)
	if err != nil {
		return 0, err
	}
	return len(entries), os.WriteFile(filepath.Join(c.Dir, ManifestName), b, 0o644)
}

func (c *Cache) has(hash string) bool {
	for _, ext := range []string{".wasm", ".err"} {
		if _, err := os.Stat(filepath.Join(c.Dir, hash+ext)); err == nil {
			return true
		}
	}
	return false
}

// ErrNotConverted is the error of a module the cache has no result for.
var ErrNotConverted = errors.New("module not converted (run make spectest)")

// ReaderError is a module the WAT reader rejected.
type ReaderError struct{ Msg string }

func (e *ReaderError) Error() string { return "WAT reader: " + e.Msg }

// Binary returns the binary of a module: its own for the `binary` form,
// else the one in the cache.
func (c *Cache) Binary(m *Module) ([]byte, error) {
	if m.Binary != nil {
		return m.Binary, nil
	}
	h := m.Hash()
	b, err := os.ReadFile(filepath.Join(c.Dir, h+".wasm"))
	if err == nil {
		return b, nil
	}
	if msg, err := os.ReadFile(filepath.Join(c.Dir, h+".err")); err == nil {
		return nil, &ReaderError{Msg: strings.TrimSpace(string(msg))}
	}
	return nil, fmt.Errorf("%w: %s", ErrNotConverted, h)
}
