package compose

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// jcoDir is where `npm install` of ../shared/corpus/tools was done
// (make jco-test does it); tests that need jco skip without it.
func jcoDir(t *testing.T) string {
	dir := os.Getenv("WITC_JCO_DIR")
	if dir == "" {
		dir = "/tmp/witc-corpus-tools"
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "@bytecodealliance", "jco", "dist", "jco.js")); err != nil {
		t.Skipf("jco not installed in %s (run `make jco-test`)", dir)
	}
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("node not found")
	}
	return dir
}

func jco(t *testing.T, dir string, args ...string) (string, error) {
	cmd := exec.Command("node", append([]string{"--no-warnings", "--import", filepath.Join(dir, "preopen.mjs"),
		filepath.Join(dir, "node_modules", "@bytecodealliance", "jco", "dist", "jco.js")}, args...)...)
	cmd.Dir = t.TempDir()
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if err != nil {
		return out.String(), &exec.ExitError{Stderr: errb.Bytes()}
	}
	return out.String(), nil
}

// TestJcoRunsCompositions composes the corpus pairs and runs them with jco,
// an independent implementation (its transpiler validates with wasmparser):
// the output must be exactly what the pair prints when composed by
// reference tools.
func TestJcoRunsCompositions(t *testing.T) {
	dir := jcoDir(t)
	expected := filepath.Join("..", "..", "shared", "corpus", "expected")
	for _, pair := range [][2]string{{"go-calc-app.wasm", "go-calc.wasm"}, {"kitchen-app.wasm", "kitchen-lib.wasm"}} {
		res, err := Compose([]Input{corpusInput(t, pair[0]), corpusInput(t, pair[1])}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(t.TempDir(), "composed.wasm")
		if err := os.WriteFile(out, res.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		got, err := jco(t, dir, "run", out)
		if err != nil {
			t.Fatalf("%v: jco run: %v\n%s", pair, err, err.(*exec.ExitError).Stderr)
		}
		want, err := os.ReadFile(filepath.Join(expected, strings.TrimSuffix(pair[0], ".wasm")+"+"+strings.TrimSuffix(pair[1], ".wasm")+".stdout"))
		if err != nil {
			t.Fatal(err)
		}
		if got != string(want) {
			t.Errorf("%v: jco run printed\n%s\nwant\n%s", pair, got, want)
		}
	}
}

// TestJcoValidatesFixtures has jco (wasmparser) validate compositions of
// witc's own fixtures.
func TestJcoValidatesFixtures(t *testing.T) {
	dir := jcoDir(t)
	for _, set := range [][]string{
		{"app.wasm", "calc.wasm"},
		{"chain-top.wasm", "chain-mid.wasm", "chain-base.wasm"},
		{"log-old.wasm", "log-new.wasm"},
	} {
		res, err := Compose(inputs(t, set...), Options{})
		if err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(t.TempDir(), "composed.wasm")
		os.WriteFile(out, res.Bytes(), 0o644)
		if _, err := jco(t, dir, "wit", out); err != nil {
			t.Errorf("%v: jco rejects the composition: %s", set, err.(*exec.ExitError).Stderr)
		}
	}
}
