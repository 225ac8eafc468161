package compose_test

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/witc-dev/witc/compose"
	"github.com/witc-dev/witc/diag"
	"github.com/witc-dev/witc/loader"
)

// TestTargets: a component conforms to a world when it imports no more
// and exports no less than the world, with matching types; otherwise
// every problem is listed.
func TestTargets(t *testing.T) {
	var r diag.Report
	_, pkg := loader.Load("testdata/targets.wit", loader.Options{}, &r)
	if r.HasErrors() {
		t.Fatal(r.Diagnostics)
	}
	for _, c := range []struct {
		wasm, world string
		problems    []string
	}{
		{"calc.wasm", "calculator", nil},
		{"calc.wasm", "scientific", []string{"export `version` does not match", "does not export `witc:examples/stats@0.1.2`"}},
		{"app.wasm", "app-host", nil},
		{"app.wasm", "bare", []string{"imports instance `witc:examples/calc@0.1.0`, which the world does not import"}},
		{"calc.wasm", "bare", []string{"does not export `witc:examples/app@0.1.2`"}},
	} {
		b, err := os.ReadFile("../examples/components/" + c.wasm)
		if err != nil {
			t.Fatal(err)
		}
		err = compose.Targets(b, pkg.World(c.world))
		var te *compose.TargetsError
		switch {
		case c.problems == nil && err != nil:
			t.Errorf("%s targets %s: %v", c.wasm, c.world, err)
		case c.problems != nil && !errors.As(err, &te):
			t.Errorf("%s targets %s: %v, want a TargetsError", c.wasm, c.world, err)
		case c.problems != nil && len(te.Problems) != len(c.problems):
			t.Errorf("%s targets %s: problems %q, want %d", c.wasm, c.world, te.Problems, len(c.problems))
		case c.problems != nil:
			for i, p := range c.problems {
				if !strings.Contains(te.Problems[i], p) {
					t.Errorf("%s targets %s: problem %q, want it to say %q", c.wasm, c.world, te.Problems[i], p)
				}
			}
		}
	}
}
