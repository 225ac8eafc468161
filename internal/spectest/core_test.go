package spectest

import (
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/witc-dev/witc/component/check"
)

// The core validator (the core modules' code that check.ValidateFeatures
// validates inside components) is checked against the core WebAssembly
// testsuite (github.com/WebAssembly/testsuite) when $WITC_CORE_SCRIPTS
// names a checkout of it: make spectest CORE_TESTSUITE=dir converts its
// modules into the same cache and runs TestCoreValidate.
const envCoreScripts = "WITC_CORE_SCRIPTS"

// coreFolders gives the features of each folder of the testsuite that the
// suite runs: wasmparser's defaults, plus the proposal's own feature where
// it is not among them; the threads proposal's scripts predate multiple
// memories and reference types.
var coreFolders = map[string]check.Features{
	".":                           check.DefaultFeatures,
	"custom":                      check.DefaultFeatures,
	"proposals/wide-arithmetic":   check.DefaultFeatures,
	"proposals/custom-page-sizes": check.DefaultFeatures | check.FeatureCustomPageSizes,
	"proposals/threads":           check.DefaultFeatures &^ (check.FeatureMultiMemory | check.FeatureReferenceTypes),
	// Proposals witc leaves off, as wasmparser does by default: their
	// valid modules are rejected (and counted, not failed) — by a message
	// naming the proposal, or, for the two casts custom descriptors
	// relaxes, by the rule it relaxes.
	"legacy":                       check.DefaultFeatures,
	"proposals/custom-descriptors": check.DefaultFeatures,
}

// leftOff marks the folders of proposals witc leaves off.
var leftOff = map[string]bool{"legacy": true, "proposals/custom-descriptors": true}

// coreScriptsDir is $WITC_CORE_SCRIPTS; the test skips without it.
func coreScriptsDir(t *testing.T) string {
	dir := os.Getenv(envCoreScripts)
	if dir == "" {
		t.Skipf("%s is not set: the core testsuite is not run (make spectest CORE_TESTSUITE=dir)", envCoreScripts)
	}
	return dir
}

// LoadCoreScripts reads the core testsuite's scripts of the folders the
// suite runs, keeping only their modules: those the script expects to be
// valid (a module command, or one an assert_trap, assert_unlinkable or
// assert_uninstantiable instantiates) and those of assert_invalid and
// assert_malformed. `module quote` texts need not even parse, so they are
// left out, as is `module instance`.
func LoadCoreScripts(root string) ([]*Script, error) {
	var out []*Script
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".wast") {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		if _, ok := coreFolders[path.Dir(rel)]; !ok {
			return nil
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		top, err := parseSexprs(string(src))
		if err != nil {
			return fmt.Errorf("%s: %w", rel, err)
		}
		s := &Script{Path: rel}
		for _, n := range top {
			c := &Command{Line: n.line, Head: n.head()}
			what := n
			switch n.head() {
			case "module":
				c.Kind = CmdModule
			case "assert_invalid", "assert_malformed", "assert_trap", "assert_unlinkable", "assert_uninstantiable":
				if len(n.kids) < 3 || n.kids[1].head() != "module" {
					continue
				}
				what = n.kids[1]
				c.Kind = map[string]Kind{"assert_trap": CmdAssertTrap, "assert_invalid": CmdAssertInvalid,
					"assert_malformed": CmdAssertMalformed, "assert_unlinkable": CmdAssertUnlinkable,
					"assert_uninstantiable": CmdAssertUninstantiable}[n.head()]
				c.Text = n.kids[2].text
			default:
				continue
			}
			if len(what.kids) > 1 && what.kids[1].isAtom("instance") {
				continue
			}
			m, err := module(string(src), what)
			if err != nil || m.Quote {
				continue
			}
			c.Module = m
			s.Commands = append(s.Commands, c)
		}
		out = append(out, s)
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, err
}

// TestCoreValidate runs check.ValidateCoreModule on every module of the
// core testsuite (converted into $WITC_SPEC_CACHE by make spectest): those
// the scripts expect to be valid must be accepted, those of
// assert_invalid and assert_malformed rejected. There is no list of known
// failures: every disagreement fails the test.
func TestCoreValidate(t *testing.T) {
	root := coreScriptsDir(t)
	c := &Cache{Dir: specCache(t)}
	scripts, err := LoadCoreScripts(root)
	if err != nil {
		t.Fatal(err)
	}
	type tally struct{ agree, total, skipped int }
	counts := map[string]*[2]tally{}
	var folders []string
	start := time.Now()
	n := 0
	for _, s := range scripts {
		f := path.Dir(s.Path)
		if counts[f] == nil {
			counts[f] = &[2]tally{}
			folders = append(folders, f)
		}
		for _, cmd := range s.Commands {
			valid := cmd.Kind != CmdAssertInvalid && cmd.Kind != CmdAssertMalformed
			tl := &counts[f][0]
			if !valid {
				tl = &counts[f][1]
			}
			b, err := c.Binary(cmd.Module)
			if err != nil {
				tl.skipped++
				continue
			}
			n++
			tl.total++
			err = check.ValidateCoreModule(b, coreFolders[f])
			if (err == nil) == valid {
				tl.agree++
				continue
			}
			if leftOff[f] && valid {
				continue
			}
			if valid {
				t.Errorf("%s:%d: valid module rejected: %v", s.Path, cmd.Line, err)
			} else {
				t.Errorf("%s:%d: invalid module accepted (the script expects %q)", s.Path, cmd.Line, cmd.Text)
			}
		}
	}
	sort.Strings(folders)
	for _, f := range folders {
		c := counts[f]
		note := ""
		if leftOff[f] {
			note = "; a proposal left off"
		}
		t.Logf("%s: valid accepted %d/%d, invalid rejected %d/%d (not converted by the WAT reader: %d valid, %d invalid%s)",
			f, c[0].agree, c[0].total, c[1].agree, c[1].total, c[0].skipped, c[1].skipped, note)
	}
	t.Logf("%d modules validated in %v", n, time.Since(start).Round(time.Millisecond))
}
