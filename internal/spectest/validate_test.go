package spectest

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/witc-dev/witc/component/check"
)

// validation is one validation decision of a script: a component the
// script expects to be valid (a component command, or one an assert_trap,
// assert_unlinkable or assert_uninstantiable instantiates) or invalid
// (assert_invalid, assert_malformed).
type validation struct {
	path   string
	line   int
	kind   Kind
	valid  bool
	module *Module
	// features are the script's features (Features).
	features check.Features
	// want is the script's expected message, for invalid ones.
	want string
}

func (v validation) key() string { return fmt.Sprintf("%s:%d", v.path, v.line) }

// validations lists the validation decisions of the scripts: every
// component (core modules are another validator's).
func validations(scripts []*Script) []validation {
	var out []validation
	for _, s := range scripts {
		feats := Features(s)
		for _, c := range s.Commands {
			m := c.Module
			if m == nil || m.Core {
				continue
			}
			v := validation{path: s.Path, line: c.Line, kind: c.Kind, module: m, features: feats, want: c.Text}
			switch c.Kind {
			case CmdModule, CmdAssertTrap, CmdAssertUnlinkable, CmdAssertUninstantiable:
				v.valid = true
			case CmdAssertInvalid, CmdAssertMalformed:
			default:
				continue
			}
			out = append(out, v)
		}
	}
	return out
}

// validateOutcome is what witc decided on one validation.
type validateOutcome struct {
	validation
	// skip says why the decision is not witc's to make: the WAT reader
	// rejected the module text (a text-level error, or the legacy index
	// syntax the strict reader refuses).
	skip string
	err  error // witc's error; nil when it accepts the component
	dur  time.Duration
}

func (o validateOutcome) agree() bool { return o.skip == "" && (o.err == nil) == o.valid }

// TestSpecValidate runs witc's validator (check.ValidateFeatures, which
// includes the core modules' code) on every component of the spec
// scripts, converted into $WITC_SPEC_CACHE by make spectest: those the
// scripts expect to be valid must be accepted, those in assert_invalid
// and assert_malformed rejected. Disagreements are checked against
// testdata/validate-known-failures.txt.
func TestSpecValidate(t *testing.T) {
	cache := specCache(t)
	scripts, err := LoadScripts(scriptsDir(t))
	if err != nil {
		t.Fatal(err)
	}
	c := &Cache{Dir: cache}
	var outs []validateOutcome
	start := time.Now()
	for _, v := range validations(scripts) {
		o := validateOutcome{validation: v}
		b, err := c.Binary(v.module)
		if err != nil {
			o.skip = err.Error()
			outs = append(outs, o)
			continue
		}
		t0 := time.Now()
		o.err = check.ValidateFeatures(b, v.features)
		o.dur = time.Since(t0)
		outs = append(outs, o)
	}
	elapsed := time.Since(start)

	type tally struct{ agree, total, skipped int }
	counts := map[string]*[2]tally{}
	for _, o := range outs {
		f := folderOf(o.path)
		if counts[f] == nil {
			counts[f] = &[2]tally{}
		}
		i := 0
		if !o.valid {
			i = 1
		}
		tl := &counts[f][i]
		if o.skip != "" {
			tl.skipped++
			continue
		}
		tl.total++
		if o.agree() {
			tl.agree++
		}
	}
	for _, f := range Folders {
		if c := counts[f]; c != nil {
			t.Logf("%s: valid accepted %d/%d, invalid rejected %d/%d (not converted by the WAT reader: %d valid, %d invalid)",
				f, c[0].agree, c[0].total, c[1].agree, c[1].total, c[0].skipped, c[1].skipped)
		}
	}
	sort.Slice(outs, func(i, j int) bool { return outs[i].dur > outs[j].dur })
	for _, o := range outs[:min(3, len(outs))] {
		t.Logf("slow: %s %v", o.key(), o.dur.Round(time.Microsecond))
	}
	t.Logf("%d components validated in %v", len(outs), elapsed.Round(time.Millisecond))
	checkValidateKnown(t, outs)
}

const validateKnownFile = "testdata/validate-known-failures.txt"

// checkValidateKnown fails the test for each disagreement not listed in
// validate-known-failures.txt and each listed one that agrees now;
// WITC_SPEC_UPDATE=1 rewrites the list, keeping the reasons written.
func checkValidateKnown(t *testing.T, outs []validateOutcome) {
	known := readKnownFile(t, validateKnownFile)
	seen := map[string]bool{}
	var failures []knownFailure
	var unexpected, fixed []string
	for _, o := range outs {
		if o.skip != "" {
			continue
		}
		k := o.key()
		seen[k] = true
		kf, listed := known[k]
		want := "valid"
		if !o.valid {
			want = "invalid"
		}
		switch {
		case !o.agree() && listed:
			failures = append(failures, kf)
		case !o.agree():
			reason := classifyValidation(o)
			failures = append(failures, knownFailure{key: k, kind: want, reason: reason})
			unexpected = append(unexpected, fmt.Sprintf("%s %s: %s", k, want, reason))
		case listed:
			fixed = append(fixed, fmt.Sprintf("%s %s (listed: %s)", k, want, kf.reason))
		}
	}
	finishKnown(t, validateKnownFile, validateKnownHeader, "validation", known, seen, failures, unexpected, fixed)
}

// validationCauses classify a disagreement by witc's message (valid
// components rejected) or the script's (invalid ones accepted).
var validationCauses = []struct {
	valid   bool
	pattern string
	reason  string
}{
	{true, "cm-values", "feature left off: component model values (cm-values: value imports and exports, value sections, the start function) are not implemented; witc rejects them naming the feature"},
	{true, "shared-everything-threads", "feature left off: shared-everything-threads (shared types, tables and globals) is not implemented; witc rejects it naming the feature"},
	{false, "root-level component imports are not supported", "Wasmtime's restriction, not validation: wasmparser accepts a component importing a component; Wasmtime refuses to instantiate it"},
	{false, "exporting a component from the root component is not supported", "Wasmtime's restriction, not validation: wasmparser accepts a component exporting a component; Wasmtime refuses to instantiate it"},
	{false, "is a reexport of an imported function which is not implemented", "Wasmtime's restriction, not validation: wasmparser accepts re-exporting an imported function; Wasmtime refuses it"},
}

func classifyValidation(o validateOutcome) string {
	msg := o.want
	if o.err != nil {
		msg = o.err.Error()
	}
	if o.valid && strings.Contains(o.path, "/values/") {
		msg += " cm-values" // witc does not decode every value encoding these use
	}
	for _, c := range validationCauses {
		if c.valid == o.valid && strings.Contains(msg, c.pattern) {
			return c.reason
		}
	}
	if o.err != nil {
		return "unclassified: " + strings.SplitN(o.err.Error(), "\n", 2)[0]
	}
	return "unclassified: accepted; the script expects: " + o.want
}

const validateKnownHeader = `# Components of ../shared/conformance/component-wast/ on which witc's
# validator (check.ValidateFeatures) decides otherwise than the script:
# "path:line expected reason", expected being valid or invalid.
# TestSpecValidate fails on a disagreement missing here and on an entry
# that agrees now. WITC_SPEC_UPDATE=1 make spectest rewrites the list
# (reasons already written are kept).
`
