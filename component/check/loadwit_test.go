package check_test

import (
	"testing"

	"github.com/witc-dev/witc/diag"
	"github.com/witc-dev/witc/loader"
	"github.com/witc-dev/witc/wit"
)

func loadTestWIT(t *testing.T, path string) (*wit.Resolve, *wit.Package) {
	var r diag.Report
	res, pkg := loader.Load(path, loader.Options{Features: []string{"active"}}, &r)
	if r.HasErrors() {
		t.Fatalf("%s: %s", path, diag.Renderer{}.Render(r.Diagnostics))
	}
	return res, pkg
}
