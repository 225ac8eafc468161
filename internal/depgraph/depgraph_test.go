// Package depgraph holds a test that enforces the package map of DESIGN.md:
// which witc packages may import which, and where third-party libraries live.
package depgraph

import (
	"encoding/json"
	"os/exec"
	"sort"
	"strings"
	"testing"
)

const module = "github.com/witc-dev/witc"

// allowed lists, for each package, the witc packages it may import directly.
// A package missing from this table fails the test: add it deliberately.
var allowed = map[string][]string{
	"diag":            {},
	"internal/leb128": {},
	"wit":             {"diag"},
	"parser/ast":      {"diag"},
	"parser":          {"parser/ast", "diag"},
	"resolver":        {"parser/ast", "wit", "diag"},
	"loader":          {"parser", "parser/ast", "resolver", "wit", "diag", "component", "component/check"},
	"component":       {"internal/leb128"},
	"component/check": {"component", "wit", "canonabi"},
	"compose":         {"component", "component/check", "wit", "diag"},
	"wac":             {"diag", "wit", "compose", "component", "component/check", "loader", "parser"},
	"canonabi":        {"wit"},
	"wave":            {"canonabi", "wit"},
	"host":            {"canonabi", "component", "component/check", "wit", "internal/leb128"},
	"wasi":            {"host", "canonabi", "component/check", "wit"},
	"wasihttp":        {"host", "wasi", "canonabi", "component/check", "wit"},
	"bindgen":         {"wit", "canonabi"},
	// Generated bindings (witc bindgen) run on the runtime.
	"examples/bindings/calc":       {"host", "canonabi", "wasi"},
	"examples/bindings/calcapp":    {"host", "canonabi", "wasi"},
	"examples/bindings/kitchenapp": {"host", "canonabi", "wasi"},
	"examples/bindings/kitchenlib": {"host", "canonabi", "wasi"},
	"internal/bench/benchbind":     {"host", "canonabi", "wasi"},
	"examples/quickstart/calc":     {"host", "canonabi", "wasi"},
	"examples/quickstart":          {"host", "examples/quickstart/calc"},
	"internal/bench":               {},
	"internal/e2e/evilbind":        {"host", "canonabi", "wasi"},
	"internal/e2e/mapsbind":        {"host", "canonabi", "wasi"},
	"internal/e2e/liftsbind":       {"host", "canonabi", "wasi"},
	"internal/e2e/worldresbind":    {"host", "canonabi", "wasi"},
	"cmd/witc":                     {"*"},
	"internal/depgraph":            {},
	"internal/textdiff":            {},
	"internal/linear":              {},
	"internal/golden":              {"internal/textdiff"},
	"internal/producers":           {},
	"internal/jcofixtures":         {},
	"internal/qjsasync":            {},
	"internal/qjsasync/bindings":   {"host", "canonabi", "wasi"},
	"internal/httpload":            {},
	"internal/synthwit":            {},
	"internal/procbench":           {"internal/synthwit"},
	"internal/procbench/hello":     {},
	// The floor of witc's start-up links the required libraries and does
	// nothing with them (see thirdParty).
	"internal/procbench/floor": {},
	"internal/roundtrip":       {"loader", "wit", "diag"},
	"internal/spectest":        {"host", "canonabi", "component", "component/check", "wit", "wave"},
}

// thirdParty lists where each third-party module may be imported.
var thirdParty = map[string][]string{
	"github.com/alecthomas/participle/v2": {"parser", "wac", "internal/procbench/floor"},
	"github.com/tetratelabs/wazero":       {"host", "wasi", "internal/procbench/floor"},
	"github.com/urfave/cli/v2":            {"cmd/witc", "internal/procbench/floor"},
	"github.com/dave/jennifer":            {"bindgen", "internal/procbench/floor"},
}

type pkg struct {
	ImportPath  string
	Imports     []string
	TestGoFiles []string
}

func TestPackageGraph(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("go command not found; cannot list packages")
	}
	out, err := exec.Command("go", "list", "-e", "-json", module+"/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	var seen []string
	for dec.More() {
		var p pkg
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		rel := strings.TrimPrefix(strings.TrimPrefix(p.ImportPath, module), "/")
		if strings.HasPrefix(rel, "internal/conformance") || strings.HasPrefix(rel, "internal/e2e") {
			continue // test-only packages
		}
		seen = append(seen, rel)
		allow, ok := allowed[rel]
		if !ok {
			t.Errorf("package %s is not in the package map (internal/depgraph): add it with its allowed imports", rel)
			continue
		}
		for _, imp := range p.Imports {
			if strings.HasPrefix(imp, module+"/") {
				dep := strings.TrimPrefix(imp, module+"/")
				if !contains(allow, "*") && !contains(allow, dep) {
					t.Errorf("%s imports %s, which the package map does not allow", rel, dep)
				}
				continue
			}
			for lib, owners := range thirdParty {
				if (imp == lib || strings.HasPrefix(imp, lib+"/")) && !contains(owners, rel) {
					t.Errorf("%s imports %s; only %v may", rel, imp, owners)
				}
			}
		}
	}
	sort.Strings(seen)
	t.Logf("checked %d packages: %s", len(seen), strings.Join(seen, ", "))
}

func contains(s []string, x string) bool {
	for _, v := range s {
		if v == x {
			return true
		}
	}
	return false
}
