package compose

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestWrongLibrary: composing an app with a library that provides none
// of its imports says that the library is unused, that the app's import
// stays unsatisfied, and what comes close to it.
func TestWrongLibrary(t *testing.T) {
	_, err := Compose(inputs(t, "app.wasm", "greeter.wasm"), Options{})
	want := "component `greeter.wasm` provides nothing that the others import (it would be unused); it exports `witc:examples/greeter@0.1.0`\n" +
		"`app.wasm` imports `witc:examples/calc@0.1.0`, which no component provides; near misses:\n" +
		"    `greeter.wasm` exports `witc:examples/greeter@0.1.0`: another interface of package `witc:examples`\n" +
		"pass --allow-unused to compose anyway (imports no component provides become imports of the composition)"
	if err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
	// A plug used for one import, another unused: only the unused one is
	// named, and the imports all satisfied.
	_, err = Compose(inputs(t, "app.wasm", "calc.wasm", "greeter.wasm"), Options{})
	if err == nil || !strings.Contains(err.Error(), "`greeter.wasm` provides nothing") || strings.Contains(err.Error(), "which no component provides") {
		t.Errorf("got %v", err)
	}
}

func TestNearNames(t *testing.T) {
	for _, tc := range []struct{ name, pkg, iface string }{
		{"wasi:cli/run@0.2.0", "wasi:cli", "run"},
		{"a:b/c/d", "a:b/c", "d"},
		{"add", "", ""},
		{"x/y", "", ""},
	} {
		if pkg, iface := splitIfaceName(tc.name); pkg != tc.pkg || iface != tc.iface {
			t.Errorf("splitIfaceName(%q) = %q, %q", tc.name, pkg, iface)
		}
	}
}

// TestPlanJSON: a plan's lists are [] when empty, and the components'
// imports behind a merged import are objects.
func TestPlanJSON(t *testing.T) {
	res, err := Compose(inputs(t, "app.wasm", "calc.wasm"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(res.Plan)
	if err != nil {
		t.Fatal(err)
	}
	if s := string(b); !strings.Contains(s, `"imports":[]`) || strings.Contains(s, "null") {
		t.Errorf("plan JSON: %s", s)
	}
	res, err = Compose(inputs(t, "log-old.wasm", "log-new.wasm"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, _ = json.Marshal(res.Plan.Imports)
	if want := `[{"name":"witc:log/sink@0.2.5","from":[{"component":"log-old.wasm","import":"witc:log/sink@0.2.0"},{"component":"log-new.wasm","import":"witc:log/sink@0.2.5"}]}]`; string(b) != want {
		t.Errorf("merged imports:\n got %s\nwant %s", b, want)
	}
}
