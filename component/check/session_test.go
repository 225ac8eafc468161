package check

import (
	"os"
	"strings"
	"testing"

	"github.com/witc-dev/witc/component"
	"github.com/witc-dev/witc/wit"
)

// TestSession checks compositions of calc.wasm and app.wasm in a session
// that checked them first: the nested components' types are reused, and
// the result (types, WIT, errors) is Component's.
func TestSession(t *testing.T) {
	calc, app := decodeExample(t, "calc.wasm"), decodeExample(t, "app.wasm")
	inst := func(comp uint32, args ...component.InstantiateArg) *component.InstanceSection {
		return &component.InstanceSection{Instances: []component.Instance{{Instantiate: true, Component: comp, Args: args}}}
	}
	aliasInst := func(inst uint32, name string) *component.AliasSection {
		return &component.AliasSection{Aliases: []component.Alias{{Sort: component.SortInstance, Kind: component.AliasExport, Instance: inst, Name: name}}}
	}
	nest := func(cs ...*component.Component) []component.Section {
		var out []component.Section
		for _, c := range cs {
			out = append(out, &component.ComponentSection{Component: c})
		}
		return out
	}
	// app's import plugged with calc's export, app's export exported.
	ok := &component.Component{Sections: append(nest(calc, app),
		inst(0), aliasInst(0, "witc:examples/calc@0.1.0"),
		inst(1, component.InstantiateArg{Name: "witc:examples/calc@0.1.0", Item: component.SortIdx{Sort: component.SortInstance, Index: 1}}),
		aliasInst(2, "witc:examples/app@0.1.0"),
		&component.ExportSection{Exports: []component.Export{{Name: component.Name{Name: "witc:examples/app@0.1.0"},
			Item: component.SortIdx{Sort: component.SortInstance, Index: 3}}}})}
	// app instantiated without its import.
	missing := &component.Component{Sections: append(nest(calc, app), inst(1))}
	// calc nested twice.
	twice := &component.Component{Sections: append(nest(calc, calc), inst(0), inst(1))}

	witOf := func(ty *Types) string {
		res, pkg, err := ty.WIT()
		if err != nil {
			t.Fatal(err)
		}
		return wit.Print(res, pkg)
	}
	for _, tc := range []struct {
		name    string
		c       *component.Component
		invalid bool
	}{{"ok", ok, false}, {"missing", missing, true}, {"twice", twice, false}} {
		t.Run(tc.name, func(t *testing.T) {
			want, wantErr := Component(tc.c)
			if (wantErr != nil) != tc.invalid {
				t.Fatalf("Component: %v", wantErr)
			}
			s := NewSession()
			inner := map[*component.Component]*Types{}
			for _, c := range []*component.Component{calc, app} {
				ty, err := s.Component(c)
				if err != nil {
					t.Fatal(err)
				}
				inner[c] = ty
			}
			got, err := s.Component(tc.c)
			if wantErr != nil || err != nil {
				if wantErr == nil || err == nil || err.Error() != wantErr.Error() {
					t.Fatalf("session: %v, Component: %v", err, wantErr)
				}
				return
			}
			if g, w := witOf(got), witOf(want); g != w {
				t.Errorf("session WIT:\n%s\nComponent WIT:\n%s", g, w)
			}
			for _, sec := range tc.c.Sections {
				if cs, ok := sec.(*component.ComponentSection); ok && got.defs[cs.Component] != inner[cs.Component].defs[cs.Component] {
					t.Errorf("the scope of a nested component was not reused")
				}
			}
			if got.work != want.work || got.defined != want.defined {
				t.Errorf("budget: session %d steps, %d types; Component %d, %d", got.work, got.defined, want.work, want.defined)
			}
		})
	}
}

// TestSessionBudget checks that a reused component's share of the work
// budget counts where it is nested: past the budget, the check fails as a
// fresh one would.
func TestSessionBudget(t *testing.T) {
	calc := decodeExample(t, "calc.wasm")
	s := NewSession()
	ty, err := s.Component(calc)
	if err != nil {
		t.Fatal(err)
	}
	ty.work = s.ts.workBudget() + 1 // as if checking calc had taken that many steps
	outer := &component.Component{Sections: []component.Section{&component.ComponentSection{Component: calc}}}
	if _, err := s.Component(outer); err == nil || !strings.Contains(err.Error(), "implementation limit") {
		t.Fatalf("nesting a component past the budget: %v, want an implementation limit", err)
	}
}

// decodeExample decodes the component examples/components/name.
func decodeExample(t *testing.T, name string) *component.Component {
	t.Helper()
	b, err := os.ReadFile("../../examples/components/" + name)
	if err != nil {
		t.Fatal(err)
	}
	c, err := component.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
