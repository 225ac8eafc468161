package e2e

import (
	"maps"
	"os"
	"path/filepath"
	"testing"

	"github.com/witc-dev/witc/canonabi"
	"github.com/witc-dev/witc/host"
	"github.com/witc-dev/witc/internal/e2e/mapsbind"
)

// TestMapsThroughBindings passes map<string, u32> in and out of
// testdata/maps.wasm through generated bindings (mapsbind) and checks the
// result against the dynamic API.
func TestMapsThroughBindings(t *testing.T) {
	wasm, err := os.ReadFile(filepath.Join("testdata", "maps.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	rt, ctx := newRuntime(t)
	in, err := mapsbind.Instantiate(ctx, rt, host.NewLinker(), wasm, mapsbind.Imports{})
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]uint32{"a": 1, "bb": 20, "ccc": 300, "": 4000}
	sum, err := in.API().SumValues(ctx, m)
	if err != nil || sum != 4321 {
		t.Errorf("sum-values = %v, %v; want 4321", sum, err)
	}
	back, err := in.API().Echo(ctx, m)
	if err != nil || !maps.Equal(back, m) {
		t.Errorf("echo = %v, %v; want %v", back, err, m)
	}
	if empty, err := in.API().Echo(ctx, nil); err != nil || len(empty) != 0 {
		t.Errorf("echo(empty) = %v, %v", empty, err)
	}
	// The dynamic API passes entries in the order it is given them.
	f, err := in.Component().Func("witc:maps/api#echo")
	if err != nil {
		t.Fatal(err)
	}
	res, err := f.Call(ctx, canonabi.List{canonabi.Tuple{"b", uint32(2)}, canonabi.Tuple{"a", uint32(1)}})
	if err != nil {
		t.Fatal(err)
	}
	if got := res[0].(canonabi.List); len(got) != 2 || got[0].(canonabi.Tuple)[0] != "b" {
		t.Errorf("dynamic echo = %v", got)
	}
}
