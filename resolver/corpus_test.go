package resolver_test

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/witc-dev/witc/diag"
	"github.com/witc-dev/witc/internal/golden"
	"github.com/witc-dev/witc/loader"
	"github.com/witc-dev/witc/wit"
)

// corpusOptions enables the feature "active", as wit-parser's UI tests do:
// items gated by @unstable(feature = active) are kept, other features are
// dropped.
var corpusOptions = loader.Options{Features: []string{"active"}}

// TestCorpus resolves every testdata/*.wit file and testdata/*/ package
// directory (with its deps/) and compares the result with the golden files
// beside it: NAME.wit.json (wit-parser's JSON) when it resolves,
// NAME.wit.stderr (diagnostics, rendered with their codes) when it does not.
// WITC_REFRESH=1 rewrites them (internal/golden).
func TestCorpus(t *testing.T) {
	var mu sync.Mutex
	reported := map[diag.Code]bool{}
	fsys := os.DirFS("testdata")
	t.Run("cases", func(t *testing.T) {
		golden.Corpus{Root: "testdata", Extensions: []string{".wit"}, Dirs: true, Outputs: []string{".json", ".stderr"}}.Run(t,
			func(t *testing.T, k golden.Case) map[string]string {
				t.Parallel()
				var r diag.Report
				res, _ := loader.LoadFS(fsys, k.Name, corpusOptions, &r)
				mu.Lock()
				for _, d := range r.Diagnostics {
					if d.Code == "" {
						t.Errorf("diagnostic without a code: %s", d.Error())
					}
					reported[d.Code] = true
				}
				mu.Unlock()
				if len(r.Diagnostics) > 0 {
					return map[string]string{".stderr": diag.Renderer{Codes: true}.Render(r.Diagnostics)}
				}
				var b bytes.Buffer
				if err := wit.WriteJSON(&b, res); err != nil {
					t.Fatal(err)
				}
				b.WriteByte('\n')
				return map[string]string{".json": b.String()}
			})
	})
	// Every kind of error the resolver reports has a case.
	for _, c := range resolverCodes(t) {
		if !reported[c] && c != diag.Unsupported {
			t.Errorf("no case in testdata reports %s", c)
		}
	}
}

// resolverCodes lists the codes that the resolver's sources report.
func resolverCodes(t *testing.T) []diag.Code {
	decls, err := os.ReadFile(filepath.Join("..", "diag", "codes.go"))
	if err != nil {
		t.Fatal(err)
	}
	codeByName := map[string]diag.Code{}
	for _, m := range regexp.MustCompile(`(?m)^\t(\w+)\s+Code = "([^"]+)"`).FindAllSubmatch(decls, -1) {
		codeByName[string(m[1])] = diag.Code(m[2])
	}
	files, _ := filepath.Glob("*.go")
	use := regexp.MustCompile(`\bdiag\.([A-Z]\w*), `)
	seen := map[diag.Code]bool{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range use.FindAllSubmatch(src, -1) {
			seen[codeByName[string(m[1])]] = true
		}
	}
	delete(seen, "")
	var out []diag.Code
	for c := range seen {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	if len(out) < 10 {
		t.Fatalf("found only %d codes in the resolver's sources", len(out))
	}
	return out
}
