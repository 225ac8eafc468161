package host

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/witc-dev/witc/canonabi"
	"github.com/witc-dev/witc/component"
	"github.com/witc-dev/witc/internal/leb128"
)

// Tests of core modules in components: the core features NewRuntime
// turns on and refuses, and empty import module names.

// fixture reads a component of testdata (built from testdata/src).
func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// newFeatureRuntime is a runtime made by NewRuntime, with CoreFeatures.
func newFeatureRuntime(t testing.TB) (*Runtime, context.Context) {
	ctx := context.Background()
	rt := NewRuntime(ctx, Options{})
	t.Cleanup(func() { rt.Close(ctx) })
	return rt, ctx
}

// TestCoreFeatures: extended constant expressions and tail calls run;
// several memories and 64-bit memories are refused at instantiation,
// naming the feature.
func TestCoreFeatures(t *testing.T) {
	rt, ctx := newFeatureRuntime(t)
	in, err := rt.Instantiate(ctx, NewLinker(), fixture(t, "features.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	if got := call(t, ctx, in, "answer"); got != canonabi.Value(uint32(42)) {
		t.Errorf("answer() = %v, want 42", got)
	}
	for _, tc := range []struct{ file, want string }{
		{"multimem.wasm", `core module 0: feature "multi-memory" is not supported by wazero, the runtime witc runs components on (the module has 2 memories; wazero runs modules with one at most)`},
		{"memory64.wasm", `core module 0: feature "memory64" is not supported by wazero, the runtime witc runs components on (memory 0 has 64-bit addresses)`},
	} {
		_, err := rt.Instantiate(ctx, NewLinker(), fixture(t, tc.file))
		if err == nil || err.Error() != tc.want {
			t.Errorf("%s: got %v\nwant %s", tc.file, err, tc.want)
		}
	}
}

// TestLegacyExceptions: wazero runs the exnref form of exception
// handling; a module with the legacy one (try, catch) fails, naming it.
func TestLegacyExceptions(t *testing.T) {
	rt, ctx := newFeatureRuntime(t)
	mod := []byte{0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
		0x01, 0x04, 0x01, 0x60, 0x00, 0x00, // type section: (func)
		0x03, 0x02, 0x01, 0x00, // function section: one of type 0
		0x0a, 0x07, 0x01, 0x05, 0x00, 0x06, 0x40, 0x0b, 0x0b, // code: try end end
	}
	_, err := rt.r.CompileModule(ctx, mod)
	want := "invalid function[0]: legacy exception handling instruction 0x6 not supported; recompile with wasm-opt --translate-to-exnref"
	if err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
}

// TestEmptyImportName: a core module importing from "" instantiates; the
// rewritten module differs from the original in its import section only,
// and the name "" stands for takes no other import's name.
func TestEmptyImportName(t *testing.T) {
	rt, ctx := newFeatureRuntime(t)
	b := fixture(t, "emptyname.wasm")
	in, err := rt.Instantiate(ctx, NewLinker(), b)
	if err != nil {
		t.Fatal(err)
	}
	if got := call(t, ctx, in, "add12", uint32(30)); got != canonabi.Value(uint32(42)) {
		t.Errorf("add12(30) = %v, want 42", got)
	}

	c, err := component.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	var mod []byte
	for _, s := range c.Sections {
		if m, ok := s.(*component.ModuleSection); ok {
			mod = m.Bytes // the last one imports from ""
		}
	}
	out, as, err := prepareModule(mod)
	if err != nil {
		t.Fatal(err)
	}
	if as != "witc:empty-1" {
		t.Errorf(`"" renamed to %q, want "witc:empty-1" (the module imports from "witc:empty" too)`, as)
	}
	before, after := sections(t, mod), sections(t, out)
	if len(before) != len(after) {
		t.Fatalf("%d sections, then %d", len(before), len(after))
	}
	for i := range before {
		if before[i][0] == 2 {
			continue
		}
		if !bytes.Equal(before[i], after[i]) {
			t.Errorf("section %d (id %d) changed", i, before[i][0])
		}
	}
	info, err := component.ParseModule(out)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, im := range info.Imports {
		got = append(got, im.Module+"/"+im.Name)
	}
	if want := "witc:empty-1/f witc:empty/f witc:empty-1/"; strings.Join(got, " ") != want {
		t.Errorf("imports %q, want %q", strings.Join(got, " "), want)
	}
	// A module that imports nothing from "" is left as it is.
	if out, as, err := prepareModule(firstModule(t, b)); err != nil || as != "" || !bytes.Equal(out, firstModule(t, b)) {
		t.Errorf("a module without empty names was changed (%q, %v)", as, err)
	}
}

// sections splits a core module into its sections, each with its id and
// size.
func sections(t *testing.T, b []byte) [][]byte {
	var out [][]byte
	for pos := 8; pos < len(b); {
		size, n, err := leb128.Uint32(b[pos+1:])
		if err != nil {
			t.Fatal(err)
		}
		end := pos + 1 + n + int(size)
		out = append(out, b[pos:end])
		pos = end
	}
	return out
}
