package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestComposeOverInput: an output that is one of the inputs gets the
// composition, as another output would, not a copy of the emptied input.
func TestComposeOverInput(t *testing.T) {
	dir := t.TempDir()
	app := filepath.Join(dir, "app.wasm")
	b, err := os.ReadFile(filepath.Join("..", "..", "examples", "components", "app.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(app, b, 0o644); err != nil {
		t.Fatal(err)
	}
	calc := filepath.Join("..", "..", "examples", "components", "calc.wasm")
	want := filepath.Join(dir, "want.wasm")
	for _, out := range []string{want, app} {
		if code, _, stderr := runWitc("compose", app, calc, "-o", out); code != 0 {
			t.Fatalf("compose -o %s: exit status %d, %s", out, code, stderr)
		}
	}
	got, err := os.ReadFile(app)
	if err != nil {
		t.Fatal(err)
	}
	if w, _ := os.ReadFile(want); string(got) != string(w) {
		t.Errorf("composing over an input gave %d bytes, not the %d of the composition", len(got), len(w))
	}
	if code, _, stderr := runWitc("validate", app); code != 0 {
		t.Errorf("the output does not validate: %s", stderr)
	}
}
