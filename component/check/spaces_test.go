package check

import (
	"testing"

	"github.com/witc-dev/witc/canonabi"
	"github.com/witc-dev/witc/component"
	"github.com/witc-dev/witc/wit"
)

// TestSpaces reads the index spaces of calc.wasm, nested in another
// component: a lifted function's WIT type, an instantiated module's core
// function signature, an instance bundle's exports.
func TestSpaces(t *testing.T) {
	inner, err := component.Decode(readFixture(t, "calc.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	outer := &component.Component{Sections: []component.Section{&component.ComponentSection{Component: inner}}}
	types, err := Component(outer)
	if err != nil {
		t.Fatal(err)
	}
	if types.Spaces(outer) == nil || types.Spaces(&component.Component{}) != nil {
		t.Fatal("Spaces: want the spaces of checked definitions only")
	}
	sp := types.Spaces(inner)
	add := sp.Func(0)
	if add == nil || len(add.Params) != 2 || add.Params[1].Name != "b" || add.Params[1].Type != wit.U32 || add.Result != wit.U32 {
		t.Errorf("func 0: got %+v, want func(a: u32, b: u32) -> u32", add)
	}
	if sp.Func(99) != nil {
		t.Error("func 99: want nil")
	}
	i32 := canonabi.I32
	if p, r, ok := sp.CoreFunc(0); !ok || len(p) != 2 || p[0] != i32 || len(r) != 1 || r[0] != i32 {
		t.Errorf("core func 0: got %v -> %v (%v), want (i32, i32) -> i32", p, r, ok)
	}
	ex := sp.InstanceExports(0)
	if len(ex) != 2 || ex[1].Name != "mul" || ex[1].Kind != component.ExternFunc || ex[1].Func == nil || len(ex[1].Func.Params) != 2 {
		t.Errorf("instance 0: got %+v, want the functions add and mul", ex)
	}
}
