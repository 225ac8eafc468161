package producers

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/witc-dev/witc/component"
	"github.com/witc-dev/witc/wac"
)

// TestWAC composes every app+lib case of cases.txt again from a WAC
// document (../e2e/testdata/wac/app.wac: the app instantiated with the
// library's api, the rest imported) instead of plug mode, and runs the
// result with the case's environment and arguments: it must print what
// jco run printed for the plug composition (testdata/expected), and the
// same document and packages must give the same bytes twice.
func TestWAC(t *testing.T) {
	if witcBin == "" {
		t.Skip("no witc binary (the go command was not found)")
	}
	known := readKnownFailures(t)
	outs := map[string]bool{}
	for _, wc := range wacCases(t) {
		outs[wc.out] = true
		t.Run(wc.c.name, func(t *testing.T) {
			c := wc.c
			c.file = wc.out
			got, err := runWitcAt(c, strings.TrimSuffix(wc.c.file, ".wasm"))
			judge(t, wc.c.name, got, err, known, wc.c.name+" composed from app.wac")
		})
	}
	if len(outs) < 3 {
		t.Errorf("only %d app+lib compositions in cases.txt", len(outs))
	}
}

// wacCase is an app+lib case of cases.txt with the WAC composition that
// stands for its plug composition.
type wacCase struct {
	c   testCase
	out string
}

// wacCases composes, for every app+lib case of cases.txt, the app and the
// library its plug composition nests from ../e2e/testdata/wac/app.wac,
// once per plug composition file.
func wacCases(t *testing.T) []wacCase {
	t.Helper()
	doc, err := os.ReadFile(filepath.Join("..", "e2e", "testdata", "wac", "app.wac"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	composed := map[string]string{} // plug composition file → WAC composition file
	var out []wacCase
	for _, c := range readCases(t) {
		app, lib, ok := strings.Cut(strings.TrimSuffix(c.file, ".wasm"), "+")
		if !ok {
			continue
		}
		p, ok := composed[c.file]
		if !ok {
			p = composeWAC(t, dir, c.file, app, lib, doc)
			composed[c.file] = p
		}
		out = append(out, wacCase{c, p})
	}
	return out
}

// composeWAC writes the app and library nested in the plug composition
// file (in that order) to dir, composes them with the WAC document and
// returns the path of the result.
func composeWAC(t *testing.T, dir, file, app, lib string, doc []byte) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	c, err := component.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	var nested [][]byte
	for _, s := range c.Sections {
		if cs, ok := s.(*component.ComponentSection); ok {
			nested = append(nested, b[cs.Offset:cs.Offset+cs.Size])
		}
	}
	if len(nested) != 2 {
		t.Fatalf("%s nests %d components, want the app and the library", file, len(nested))
	}
	deps := map[string]string{}
	for i, pkg := range []string{"producers:app", "producers:lib"} {
		p := filepath.Join(dir, []string{app, lib}[i]+".wasm")
		if err := os.WriteFile(p, nested[i], 0o644); err != nil {
			t.Fatal(err)
		}
		deps[pkg] = p
	}
	var outs [][]byte
	for range 2 {
		comp, err := wac.Compose("app.wac", doc, wac.Options{Deps: deps})
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		out, err := comp.Encode()
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		outs = append(outs, out)
	}
	if !bytes.Equal(outs[0], outs[1]) {
		t.Errorf("%s: the same document and packages gave different bytes", file)
	}
	p := filepath.Join(dir, "wac-"+file)
	if err := os.WriteFile(p, outs[0], 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestJcoRunsWAC runs the WAC compositions of TestWAC under jco run (make
// jco-test sets WITC_JCO_DIR): an independent runtime must print what it
// printed for the plug compositions.
func TestJcoRunsWAC(t *testing.T) {
	dir := os.Getenv("WITC_JCO_DIR")
	if dir == "" {
		t.Skip("WITC_JCO_DIR is not set (make jco-test sets it)")
	}
	jcoJS := filepath.Join(dir, "node_modules", "@bytecodealliance", "jco", "dist", "jco.js")
	if _, err := os.Stat(jcoJS); err != nil {
		t.Skipf("jco is not installed in %s", dir)
	}
	pre, err := os.ReadFile(filepath.Join("testdata", "jco-run.mjs"))
	if err != nil {
		t.Fatal(err)
	}
	preload := filepath.Join(dir, "witc-producers-run.mjs")
	if err := os.WriteFile(preload, pre, 0o644); err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	for _, wc := range wacCases(t) {
		c, out := wc.c, wc.out
		t.Run(c.name, func(t *testing.T) {
			env := map[string]string{}
			for _, kv := range c.env {
				k, v, _ := strings.Cut(kv, "=")
				env[k] = v
			}
			envJSON, _ := json.Marshal(env)
			ctx, cancel := context.WithTimeout(context.Background(), timeout)
			defer cancel()
			cmd := exec.CommandContext(ctx, "node", append([]string{"--no-warnings", jcoJS, "run", "--jco-import", preload, out}, c.args...)...)
			cmd.Env = append(os.Environ(), "PRODUCERS_ENV="+string(envJSON), "PRODUCERS_ARGV0="+strings.TrimSuffix(c.file, ".wasm"),
				"PRODUCERS_REPORT="+filepath.Join(tmp, c.name+".jco-report"),
				"JCO_RUN_ARGS=--no-warnings --experimental-wasm-extended-const")
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			got := result{stdout: stdout.String(), stderr: stderr.String()}
			var exit *exec.ExitError
			switch {
			case ctx.Err() != nil:
				t.Fatalf("jco run did not finish in %v", timeout)
			case errors.As(err, &exit):
				got.code = exit.ExitCode()
			case err != nil:
				t.Fatal(err)
			}
			if diff := difference(got, expected(t, c.name)); diff != "" {
				t.Errorf("jco run of the WAC composition disagrees with jco run of the plug composition:\n%s", diff)
			}
		})
	}
}
