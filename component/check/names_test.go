package check

import (
	"fmt"
	"strings"
	"testing"

	"github.com/witc-dev/witc/internal/golden"
)

// TestNames: every form of import and export name (testdata/names/*.names,
// a name per line, `""` for the empty one) is parsed as an import of one
// scope; the golden file gives, per name, its kind and canonical key, or
// why it is not valid, or the earlier name it is not strongly unique
// against.
func TestNames(t *testing.T) {
	kinds := [...]string{extLabel: "label", extConstructor: "constructor", extMethod: "method", extStatic: "static",
		extInterface: "interface", extDependency: "dependency", extURL: "url", extHash: "hash"}
	golden.Corpus{Root: "testdata/names", Extensions: []string{".names"}, Outputs: []string{".out"}}.Run(t, func(t *testing.T, k golden.Case) map[string]string {
		var out strings.Builder
		set := nameSet{}
		for _, line := range strings.Split(k.Input, "\n") {
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			name := line
			if name == `""` {
				name = ""
			}
			n, err := parseExtName(name, DefaultFeatures)
			if err == nil {
				err = n.interfaceVersion("")
			}
			if err != nil {
				fmt.Fprintf(&out, "%s\terror: %v\n", line, err)
				continue
			}
			if prev, dup := set.add(n); dup {
				fmt.Fprintf(&out, "%s\tconflicts with `%s`\n", line, prev)
				continue
			}
			fmt.Fprintf(&out, "%s\t%s %q\n", line, kinds[n.kind], n.key())
		}
		return map[string]string{".out": out.String()}
	})
}

// TestLabels: the labels of fields, cases, flags, enums and parameters
// are kebab-case and unique regardless of case.
func TestLabels(t *testing.T) {
	for _, tc := range []struct {
		labels []string
		want   string
	}{
		{[]string{"a", "b-1", "C-D"}, ""},
		{[]string{"a", "A"}, "conflicts with previous"},
		{[]string{"a-b", "A-B"}, "conflicts with previous"},
		{[]string{"aB"}, "is not in kebab case"},
		{[]string{""}, "cannot be empty"},
	} {
		seen := labelSet{}
		var err error
		for _, l := range tc.labels {
			if err = checkLabel(l, "record field"); err != nil {
				break
			}
			if prev, dup := seen.add(l); dup {
				err = fmt.Errorf("record field name `%s` conflicts with previous field name `%s`", l, prev)
				break
			}
		}
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%q: %v", tc.labels, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%q: got %v, want %q", tc.labels, err, tc.want)
		}
	}
}
