package check

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/witc-dev/witc/component"
)

// A small builder of core modules, for the validator's tests (the spec
// scripts, converted by make spectest, test it at large).

func leb(v uint64) []byte { return appendULEB(nil, v) }

func section(id byte, body ...[]byte) []byte {
	var b []byte
	for _, x := range body {
		b = append(b, x...)
	}
	return append(append([]byte{id}, leb(uint64(len(b)))...), b...)
}

func vecOf(items ...[]byte) []byte {
	b := leb(uint64(len(items)))
	for _, x := range items {
		b = append(b, x...)
	}
	return b
}

func module(sections ...[]byte) []byte {
	b := []byte("\x00asm\x01\x00\x00\x00")
	for _, s := range sections {
		b = append(b, s...)
	}
	return b
}

// funcModule is a module with one function of type params → results,
// locals and code (without the final end).
func funcModule(params, results []byte, locals []byte, code ...byte) []byte {
	ft := append([]byte{0x60}, append(append(leb(uint64(len(params))), params...), append(leb(uint64(len(results))), results...)...)...)
	body := append(append([]byte{}, locals...), code...)
	body = append(body, 0x0b)
	return module(
		section(1, vecOf(ft)),
		section(3, vecOf(leb(0))),
		section(5, vecOf([]byte{0x00, 0x01})), // a memory of one page
		section(10, vecOf(append(leb(uint64(len(body))), body...))),
	)
}

var noLocals = []byte{0}

// dataModule is a module with memory section mem (none when nil) and the
// data segments segs.
func dataModule(mem []byte, segs ...[]byte) []byte {
	if mem == nil {
		return module(section(11, vecOf(segs...)))
	}
	return module(mem, section(11, vecOf(segs...)))
}

func TestCoreValidation(t *testing.T) {
	i32, i64, f32 := byte(0x7f), byte(0x7e), byte(0x7d)
	mem32, mem64 := section(5, vecOf([]byte{0x00, 0x01})), section(5, vecOf([]byte{0x04, 0x01}))
	for _, tc := range []struct {
		name string
		mod  []byte
		want string // "" when valid
	}{
		{"add", funcModule([]byte{i32, i32}, []byte{i32}, noLocals, 0x20, 0, 0x20, 1, 0x6a), ""},
		{"add of the wrong types", funcModule([]byte{i32, i64}, []byte{i32}, noLocals, 0x20, 0, 0x20, 1, 0x6a), "type mismatch"},
		{"missing result", funcModule(nil, []byte{i32}, noLocals), "type mismatch"},
		{"value left over", funcModule(nil, nil, noLocals, 0x41, 1), "values remaining on stack"},
		{"unreachable makes anything fit", funcModule(nil, []byte{i32}, noLocals, 0x00, 0x6a), ""},
		{"block with a result", funcModule(nil, []byte{i32}, noLocals, 0x02, i32, 0x41, 7, 0x0b), ""},
		{"br to a result label", funcModule(nil, []byte{i32}, noLocals, 0x02, i32, 0x41, 7, 0x0c, 0, 0x0b), ""},
		{"unknown label", funcModule(nil, nil, noLocals, 0x0c, 1), "unknown label"},
		{"if without else must not change types", funcModule([]byte{i32}, []byte{i32}, noLocals, 0x20, 0, 0x04, i32, 0x41, 1, 0x0b), "type mismatch"},
		{"if else", funcModule([]byte{i32}, []byte{i32}, noLocals, 0x20, 0, 0x04, i32, 0x41, 1, 0x05, 0x41, 2, 0x0b), ""},
		{"unknown local", funcModule(nil, nil, noLocals, 0x20, 3, 0x1a), "unknown local"},
		{"locals", funcModule(nil, []byte{f32}, []byte{1, 2, f32}, 0x20, 1), ""},
		{"load", funcModule(nil, []byte{i64}, noLocals, 0x41, 0, 0x29, 3, 0), ""},
		{"load over-aligned", funcModule(nil, []byte{i32}, noLocals, 0x41, 0, 0x28, 3, 0), "alignment must not be larger than natural"},
		{"store", funcModule(nil, nil, noLocals, 0x41, 0, 0x41, 1, 0x36, 2, 0), ""},
		{"memory.grow", funcModule(nil, []byte{i32}, noLocals, 0x41, 1, 0x40, 0), ""},
		{"illegal opcode", funcModule(nil, nil, noLocals, 0xff), "illegal opcode"},
		{"select of references", funcModule(nil, nil, noLocals, 0xd0, 0x70, 0xd0, 0x70, 0x41, 0, 0x1b, 0x1a), "select only takes integral types"},
		{"ref.func undeclared", funcModule(nil, nil, noLocals, 0xd2, 0, 0x1a), "undeclared function reference"},
		{"v128", funcModule(nil, nil, noLocals, 0xfd, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xfd, 77, 0x1a), ""},
		{"lane out of range", funcModule(nil, []byte{i32}, noLocals, 0xfd, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xfd, 21, 16), "SIMD index out of bounds"},
		{"atomic alignment", funcModule(nil, []byte{i32}, noLocals, 0x41, 0, 0xfe, 0x10, 1, 0), "atomic instructions must always specify maximum alignment"},
		{"end missing", module(
			section(1, vecOf([]byte{0x60, 0, 0})), section(3, vecOf(leb(0))), section(10, vecOf([]byte{2, 0, 0x01}))), "control frames remain at end of function"},
		{"sections out of order", module(section(3, vecOf()), section(1, vecOf())), "section out of order"},
		{"function without code", module(section(1, vecOf([]byte{0x60, 0, 0})), section(3, vecOf(leb(0)))), "inconsistent lengths"},
		{"a component", []byte("\x00asm\x0d\x00\x01\x00"), "unknown binary version"},
		// The data segments read in one step (active in memory 0 at
		// `i32.const n`) and those left to the general reader are
		// validated alike, errors at the same offsets.
		{"data", dataModule(mem32, []byte{0, 0x41, 8, 0x0b, 3, 'a', 'b', 'c'}), ""},
		{"data segments", dataModule(mem32, []byte{0, 0x41, 0, 0x0b, 1, 'a'}, []byte{0, 0x41, 0x80, 0x80, 0x80, 0x01, 0x0b, 0}, []byte{1, 2, 'x', 'y'}), ""},
		{"data offset of 5 bytes", dataModule(mem32, []byte{0, 0x41, 0x80, 0x80, 0x80, 0x80, 0x01, 0x0b, 0}), ""},
		{"data offset too large", dataModule(mem32, []byte{0, 0x41, 0x80, 0x80, 0x80, 0x80, 0x10, 0x0b, 0}), "invalid var_s32: integer too large (at offset 0x17)"},
		{"data size of 5 bytes", dataModule(mem32, []byte{0, 0x41, 0, 0x0b, 0x80, 0x80, 0x80, 0x80, 0x00}), ""},
		{"data size past the end", dataModule(mem32, []byte{0, 0x41, 0, 0x0b, 4, 'a', 'b', 'c'}), "unexpected end-of-file (at offset 0x15)"},
		{"data size of 4 bytes past the end", dataModule(mem32, []byte{0, 0x41, 0, 0x0b, 0x80, 0x80, 0x80, 0x01}), "unexpected end-of-file (at offset 0x18)"},
		{"data offset without end", dataModule(mem32, []byte{0, 0x41, 0, 0x41, 0, 0x0b, 0}), "type mismatch"},
		{"data without memory", dataModule(nil, []byte{0, 0x41, 0, 0x0b, 0}), "unknown memory 0: memory index out of bounds (at offset 0xc)"},
		{"data in a 64-bit memory at i32.const", dataModule(mem64, []byte{0, 0x41, 0, 0x0b, 0}), "type mismatch"},
		{"data in a 64-bit memory", dataModule(mem64, []byte{0, 0x42, 0, 0x0b, 0}), ""},
		{"data in memory 1", dataModule(mem32, []byte{2, 1, 0x41, 0, 0x0b, 0}), "unknown memory 1"},
		{"data truncated", dataModule(mem32, []byte{0, 0x41}), "unexpected end-of-file"},
	} {
		err := ValidateCoreModule(tc.mod, DefaultFeatures)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: got %v, want %q", tc.name, err, tc.want)
		}
	}
}

// TestCoreFeatureGates: tables of funcref are as old as the MVP, so they
// need no reference types; tables of externref do.
func TestCoreFeatureGates(t *testing.T) {
	table := func(elem byte) []byte { return module(section(4, vecOf([]byte{elem, 0x00, 0x01}))) }
	noRefs := DefaultFeatures &^ FeatureReferenceTypes
	if err := ValidateCoreModule(table(0x70), noRefs); err != nil {
		t.Errorf("funcref table without reference types: %v", err)
	}
	if err := ValidateCoreModule(table(0x6f), noRefs); err == nil || !strings.Contains(err.Error(), "reference types support is not enabled") {
		t.Errorf("externref table without reference types: %v", err)
	}
	if err := ValidateCoreModule(table(0x6f), DefaultFeatures); err != nil {
		t.Errorf("externref table: %v", err)
	}
	exact := module(section(4, vecOf([]byte{0x63, 0x62, 0x00, 0x00, 0x01})))
	if err := ValidateCoreModule(exact, AllFeatures); err == nil || !strings.Contains(err.Error(), "custom descriptors") {
		t.Errorf("exact reference type: %v", err)
	}
}

// TestCoreTypeCanonical: recursion groups of the same shape are the same
// types, in one module or across modules.
func TestCoreTypeCanonical(t *testing.T) {
	ct := newCoreTypes()
	f := ct.funcType([]vt{tI32}, []vt{tI64})
	if g := ct.funcType([]vt{tI32}, []vt{tI64}); g != f {
		t.Fatalf("the same function type twice: %d and %d", f, g)
	}
	if g := ct.funcType([]vt{tI64}, []vt{tI64}); g == f {
		t.Fatal("different function types are one")
	}
	// A struct referring to itself, in two groups: the same type.
	self := subT{final: true, super: -1, comp: compT{kind: cStruct, fields: []fieldT{{st: sVal, t: vt{k: vRef, null: true, ht: heapType{idx: -2}}}}}}
	a, _ := ct.addGroup([]subT{self}, 0)
	b, fresh := ct.addGroup([]subT{self}, 5)
	if a != b || fresh {
		t.Fatalf("a self-referential struct twice: %d and %d (fresh %v)", a, b, fresh)
	}
	if got := ct.at(a).comp.fields[0].t.ht.idx; got != a {
		t.Fatalf("the struct's field refers to %d, want itself (%d)", got, a)
	}
}

// FuzzCoreModule: any bytes given to the core validator give an error or
// a module type, within the budget of FuzzCheck, never a panic.
func FuzzCoreModule(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("..", "..", "examples", "components", "*.wasm"))
	for _, p := range seeds {
		b, _ := os.ReadFile(p)
		c, err := component.Decode(b)
		if err != nil {
			continue
		}
		for _, s := range c.Sections {
			if m, ok := s.(*component.ModuleSection); ok {
				f.Add(m.Bytes)
			}
		}
	}
	f.Add(funcModule([]byte{0x7f, 0x7f}, []byte{0x7f}, noLocals, 0x20, 0, 0x20, 1, 0x6a))
	f.Fuzz(func(t *testing.T, b []byte) {
		within(t, len(b), func() {
			validateModule(newCoreTypes(), AllFeatures, b, true)
		})
	})
}
