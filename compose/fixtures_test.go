package compose

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/witc-dev/witc/component/check"
	"github.com/witc-dev/witc/wit"
)

func fixture(t *testing.T, name string) Input {
	for _, dir := range []string{"testdata", filepath.Join("..", "examples", "components")} {
		if b, err := os.ReadFile(filepath.Join(dir, name)); err == nil {
			return Input{Name: name, Bytes: b}
		}
	}
	t.Fatalf("fixture %s not found", name)
	return Input{}
}

func inputs(t *testing.T, names ...string) []Input {
	var out []Input
	for _, n := range names {
		out = append(out, fixture(t, n))
	}
	return out
}

// worldOf returns the WIT world of a composed component.
func worldOf(t *testing.T, res *Result) *wit.World {
	_, pkg, err := check.DecodeWIT(res.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	return pkg.Worlds[0]
}

func entryNames(es []wit.WorldEntry) []string {
	var out []string
	for _, e := range es {
		if e.Key.Interface != nil {
			out = append(out, e.Key.Interface.QualifiedName())
		} else {
			out = append(out, e.Key.Name)
		}
	}
	return out
}

func TestComposeExamples(t *testing.T) {
	res, err := Compose(inputs(t, "app.wasm", "calc.wasm"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	w := worldOf(t, res)
	if got := strings.Join(entryNames(w.Imports), " "); got != "" {
		t.Errorf("imports: %q, want none", got)
	}
	if got := strings.Join(entryNames(w.Exports), " "); got != "witc:examples/app@0.1.0" {
		t.Errorf("exports: %q", got)
	}
}

func TestComposeChainOfThree(t *testing.T) {
	res, err := Compose(inputs(t, "chain-top.wasm", "chain-mid.wasm", "chain-base.wasm"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(res.Plan.Order, " "); got != "chain-base.wasm chain-mid.wasm chain-top.wasm" {
		t.Errorf("instantiation order: %s", got)
	}
	if len(res.Plan.Wires) != 2 {
		t.Errorf("wires: %+v", res.Plan.Wires)
	}
	if err := check.Validate(res.Bytes()); err != nil {
		t.Fatal(err)
	}
	if w := worldOf(t, res); len(w.Imports) != 0 {
		t.Errorf("unexpected imports %v", entryNames(w.Imports))
	}
	// The order of plugs on the command line does not matter, and the
	// output is deterministic.
	res2, err := Compose(inputs(t, "chain-top.wasm", "chain-base.wasm", "chain-mid.wasm"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(res2.Plan.Order, " ") != strings.Join(res.Plan.Order, " ") {
		t.Errorf("order depends on the argument order: %v vs %v", res2.Plan.Order, res.Plan.Order)
	}
	res3, _ := Compose(inputs(t, "chain-top.wasm", "chain-mid.wasm", "chain-base.wasm"), Options{})
	if string(res3.Bytes()) != string(res.Bytes()) {
		t.Error("composing the same inputs twice gave different bytes")
	}
}

// TestComposeMergesSemver: the root imports witc:log/sink@0.2.0 (log), the
// plug @0.2.5 (log, flush): the result imports @0.2.5 once, with both.
func TestComposeMergesSemver(t *testing.T) {
	res, err := Compose(inputs(t, "log-old.wasm", "log-new.wasm"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	w := worldOf(t, res)
	if got := strings.Join(entryNames(w.Imports), " "); got != "witc:log/sink@0.2.5" {
		t.Fatalf("imports: %q, want witc:log/sink@0.2.5 once", got)
	}
	it := w.Imports[0].Item.(*wit.WorldInterface).Interface
	if it.Function("log") == nil || it.Function("flush") == nil {
		t.Errorf("merged sink lacks log or flush: %v", it.Functions)
	}
	if len(res.Plan.Imports) != 1 || len(res.Plan.Imports[0].From) != 2 {
		t.Errorf("plan imports: %+v", res.Plan.Imports)
	}
}

func TestComposeErrors(t *testing.T) {
	for _, tc := range []struct {
		name   string
		inputs []string
		opts   Options
		want   []string
	}{
		{"type mismatch", []string{"app.wasm", "calc-s32.wasm"}, Options{},
			[]string{"`app.wasm` imports `witc:examples/calc@0.1.0`", "`calc-s32.wasm` exports `witc:examples/calc@0.1.0`", "function `add` param `b`: expected u32, found s32"}},
		{"incompatible version", []string{"app.wasm", "calc-v1.wasm"}, Options{},
			[]string{"`calc-v1.wasm` exports `witc:examples/calc@1.0.0`: the version is not compatible with `witc:examples/calc@0.1.0`"}},
		{"unused plug", []string{"app.wasm", "calc.wasm", "greeter.wasm"}, Options{},
			[]string{"`greeter.wasm` provides nothing", "--allow-unused"}},
		{"one component", []string{"app.wasm"}, Options{}, []string{"at least one component to plug"}},
		{"cycle", []string{"chain-mid.wasm", "chain-base.wasm", "chain-top.wasm"}, Options{Plugs: map[string]string{"witc:chain/base@0.1.0": "nope"}},
			[]string{"no input named `nope`"}},
	} {
		_, err := Compose(inputs(t, tc.inputs...), tc.opts)
		if err == nil {
			t.Errorf("%s: composed without error", tc.name)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q does not contain %q", tc.name, err, w)
			}
		}
	}
	if _, err := Compose(inputs(t, "app.wasm", "calc.wasm", "greeter.wasm"), Options{AllowUnused: true}); err != nil {
		t.Errorf("--allow-unused: %v", err)
	}
}

func TestComposeAmbiguous(t *testing.T) {
	calc := fixture(t, "calc.wasm")
	copyOf := Input{Name: "calc-copy.wasm", Bytes: calc.Bytes}
	_, err := Compose([]Input{fixture(t, "app.wasm"), calc, copyOf}, Options{})
	if err == nil || !strings.Contains(err.Error(), "several components provide") || !strings.Contains(err.Error(), "--plug") {
		t.Fatalf("got %v", err)
	}
	res, err := Compose([]Input{fixture(t, "app.wasm"), calc, copyOf},
		Options{Plugs: map[string]string{"witc:examples/calc@0.1.0": "calc-copy.wasm"}, AllowUnused: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Plan.Wires[0].Provider != "calc-copy.wasm" {
		t.Errorf("--plug was not honoured: %+v", res.Plan.Wires)
	}
}

// TestComposeSameFileName: inputs are told apart by their paths, and named
// by the shortest end of the path that no other shares (issue 17: two
// x.wasm in two directories were "given twice").
func TestComposeSameFileName(t *testing.T) {
	calc := fixture(t, "calc.wasm")
	in := func(name string, from Input) Input { return Input{Name: name, Bytes: from.Bytes} }
	app := in("build/out/app.wasm", fixture(t, "app.wasm"))
	_, err := Compose([]Input{app, in("d1/calc.wasm", calc), in("d2/calc.wasm", calc)}, Options{})
	if err == nil || !strings.Contains(err.Error(), "`d1/calc.wasm` (as") || !strings.Contains(err.Error(), "`d2/calc.wasm` (as") {
		t.Errorf("two calc.wasm: got %v, want both named by their directories", err)
	}
	for _, c := range []struct{ plug, provider, err string }{
		{"d2/calc.wasm", "d2/calc.wasm", ""},
		{"x/d1/calc.wasm", "d1/calc.wasm", ""},
		{"calc.wasm", "", "several inputs are named so (`d1/calc.wasm`, `d2/calc.wasm`)"},
		{"1/calc.wasm", "", "no input named `1/calc.wasm`"},
	} {
		res, err := Compose([]Input{app, in("x/d1/calc.wasm", calc), in("y/d2/calc.wasm", calc)},
			Options{Plugs: map[string]string{"witc:examples/calc@0.1.0": c.plug}, AllowUnused: true})
		switch {
		case c.err != "":
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("--plug %s: got %v, want %q", c.plug, err, c.err)
			}
		case err != nil:
			t.Errorf("--plug %s: %v", c.plug, err)
		case res.Plan.Wires[0].Provider != c.provider || !slices.Contains(res.Plan.Order, "app.wasm"):
			t.Errorf("--plug %s: %+v, order %v", c.plug, res.Plan.Wires, res.Plan.Order)
		}
	}
	if _, err := Compose([]Input{app, in("d1/calc.wasm", calc), in("d1/calc.wasm", calc)}, Options{}); err == nil || err.Error() != "component `d1/calc.wasm` is given twice" {
		t.Errorf("one path twice: got %v", err)
	}
	got := labels([]Input{{Name: "a/b/x.wasm"}, {Name: "b/x.wasm"}, {Name: "c/y.wasm"}, {Name: "../x.wasm"}})
	if want := []string{"a/b/x.wasm", "b/x.wasm", "y.wasm", "../x.wasm"}; !slices.Equal(got, want) {
		t.Errorf("labels = %q, want %q", got, want)
	}
}

// TestComposeRootExportsStayOut: the root's exports satisfy no plug's
// import — the root importing the plug, that would be a cycle —: a
// component that imports and exports one interface, composed with a copy
// of itself, gets its import from the copy, whose own import of it stays
// open (as in wac plug).
func TestComposeRootExportsStayOut(t *testing.T) {
	root := fixture(t, "relay.wasm")
	plug := Input{Name: "copy/relay.wasm", Bytes: root.Bytes}
	res, err := Compose([]Input{root, plug}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Plan.Wires) != 1 || res.Plan.Wires[0].Provider != "copy/relay.wasm" {
		t.Errorf("wires: %+v", res.Plan.Wires)
	}
	if len(res.Plan.Imports) != 1 || res.Plan.Imports[0].Name != "witc:relay/relay@0.1.0" {
		t.Errorf("imports: %+v", res.Plan.Imports)
	}
	w := worldOf(t, res)
	if got := strings.Join(entryNames(w.Imports), " ") + " | " + strings.Join(entryNames(w.Exports), " "); got != "witc:relay/relay@0.1.0 | witc:relay/relay@0.1.0" {
		t.Errorf("world: %s", got)
	}
}
