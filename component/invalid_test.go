package component

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func readFixture(t testing.TB, name string) []byte {
	b, err := os.ReadFile(filepath.Join("..", "examples", "components", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestTruncated cuts a component at every length: each prefix must be
// rejected with an error, never a panic.
func TestTruncated(t *testing.T) {
	b := readFixture(t, "calc.wasm")
	// A prefix that ends between two sections is a smaller component and
	// may be valid; any other prefix must be rejected.
	boundary := map[int]bool{8: true}
	r := &reader{b: b, pos: 8}
	for !r.eof() {
		r.byte()
		n, _ := r.u32()
		r.pos += int(n)
		boundary[r.pos] = true
	}
	for n := 0; n < len(b); n++ {
		if err := Validate(b[:n]); err == nil && !boundary[n] {
			t.Fatalf("prefix of %d bytes (inside a section) was accepted", n)
		}
	}
	if err := Validate(b); err != nil {
		t.Fatalf("whole component: %v", err)
	}
}

func TestInvalidHeaders(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   []byte
		want string
	}{
		{"empty", nil, "bad magic"},
		{"magic", []byte("\x00asn\x0d\x00\x01\x00"), "bad magic"},
		{"module", []byte("\x00asm\x01\x00\x00\x00"), "core WebAssembly module"},
		{"version", []byte("\x00asm\x0c\x00\x01\x00"), "unsupported component version"},
		{"layer", []byte("\x00asm\x0d\x00\x02\x00"), "unsupported component version"},
		{"bad leb", []byte("\x00asm\x0d\x00\x01\x00\x07\xff\xff\xff\xff\xff"), "LEB128"},
		{"section overrun", []byte("\x00asm\x0d\x00\x01\x00\x07\x10\x00"), "exceeds"},
		{"huge count", []byte("\x00asm\x0d\x00\x01\x00\x07\x05\xff\xff\xff\xff\x0f"), "cannot fit"},
		{"unknown section", []byte("\x00asm\x0d\x00\x01\x00\x0e\x00"), "unknown section id 14"},
		{"bad type opcode", []byte("\x00asm\x0d\x00\x01\x00\x07\x02\x01\x20"), "invalid type opcode 0x20"},
	} {
		err := Validate(tc.in)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want an error containing %q", tc.name, err, tc.want)
		}
	}
}

// TestInvalidCanonOption: an invalid option of `task.return` is reported
// as such, where it is (it once was lost and the section reported as
// having unused bytes).
func TestInvalidCanonOption(t *testing.T) {
	b := []byte("\x00asm\x0d\x00\x01\x00" +
		"\x08\x06" + // canon section, 6 bytes
		"\x01" + // one function
		"\x09\x01\x00" + // task.return, no result
		"\x01\x7e") // one option: 0x7e
	_, err := Decode(b)
	if want := "at byte offset 0xf: invalid canonical option 0x7e"; err == nil || err.Error() != want {
		t.Fatalf("got %v, want %q", err, want)
	}
}

// mutate decodes the fixture, applies f and validates the re-encoded result.
func mutate(t *testing.T, name string, f func(c *Component)) error {
	c, err := Decode(readFixture(t, name))
	if err != nil {
		t.Fatal(err)
	}
	f(c)
	return Validate(Encode(c))
}

func sections[T Section](c *Component) []T {
	var out []T
	for _, s := range c.Sections {
		if x, ok := s.(T); ok {
			out = append(out, x)
		}
	}
	return out
}

func TestInvalidComponents(t *testing.T) {
	for _, tc := range []struct {
		name string
		f    func(c *Component)
		want string
	}{
		{"alias of a missing instance", func(c *Component) {
			for _, a := range sections[*AliasSection](c) {
				for i := range a.Aliases {
					if a.Aliases[i].Kind == AliasCoreExport {
						a.Aliases[i].Instance = 99
						return
					}
				}
			}
		}, "core instance index 99 out of range"},
		{"alias of a missing export", func(c *Component) {
			for _, a := range sections[*AliasSection](c) {
				for i := range a.Aliases {
					if a.Aliases[i].Kind == AliasCoreExport {
						a.Aliases[i].Name = "nope"
						return
					}
				}
			}
		}, "has no export named `nope`"},
		{"lift with the wrong core signature", func(c *Component) {
			for _, ts := range sections[*TypeSection](c) {
				for _, ty := range ts.Types {
					if f, ok := ty.(*FuncType); ok {
						f.Params = append(f.Params, LabeledVal{Name: "extra", Type: ValType{Prim: PrimU64}})
						return
					}
				}
			}
		}, "canon lift: core func"},
		{"duplicate export", func(c *Component) {
			for _, es := range sections[*ExportSection](c) {
				es.Exports = append(es.Exports, es.Exports[0])
				return
			}
		}, "duplicate export name"},
		{"export name differing in case", func(c *Component) {
			for _, es := range sections[*ExportSection](c) {
				dup := es.Exports[0]
				name, version, _ := strings.Cut(dup.Name.Name, "@")
				dup.Name.Name = strings.ToUpper(name) + "@" + version
				es.Exports = append(es.Exports, dup)
				return
			}
		}, "names differing only in case"},
		{"invalid name", func(c *Component) {
			for _, es := range sections[*ExportSection](c) {
				es.Exports[0].Name.Name = "Not_Kebab"
				return
			}
		}, "is not valid"},
		{"type index out of range", func(c *Component) {
			for _, cs := range sections[*CanonSection](c) {
				for i := range cs.Funcs {
					if cs.Funcs[i].Op == CanonLift {
						cs.Funcs[i].Type = 500
						return
					}
				}
			}
		}, "type index 500 out of range"},
	} {
		err := mutate(t, "calc.wasm", tc.f)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want an error containing %q", tc.name, err, tc.want)
		}
	}
}

func FuzzDecode(f *testing.F) {
	for _, p := range corpus(f) {
		if st, err := os.Stat(p); err == nil && st.Size() < 1<<20 {
			b, _ := os.ReadFile(p)
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := Decode(b)
		if err != nil {
			return
		}
		// Whatever decodes must encode and decode to the same sections.
		out := Encode(c)
		c2, err := Decode(out)
		if err != nil {
			t.Fatalf("re-encoded component does not decode: %v", err)
		}
		if len(c2.Sections) != len(c.Sections) {
			t.Fatalf("section count changed: %d → %d", len(c.Sections), len(c2.Sections))
		}
		if ty, err := Check(c); err == nil {
			ty.WIT() // must not panic
		}
	})
}

// TestTypeSizeLimit: 40 tuples, each made of the previous one twice, would
// expand to 2^41 nodes; validation refuses the type as wasmparser does,
// instantly, instead of letting later passes walk it.
func TestTypeSizeLimit(t *testing.T) {
	var types []Type
	types = append(types, &DefinedType{Kind: DefTuple, Types: []ValType{{Prim: PrimU8}, {Prim: PrimU8}}})
	for i := 1; i <= 40; i++ {
		prev := ValType{Index: uint32(i - 1)}
		types = append(types, &DefinedType{Kind: DefTuple, Types: []ValType{prev, prev}})
	}
	b := Encode(&Component{Sections: []Section{&TypeSection{Types: types}}})
	err := Validate(b)
	if err == nil || !strings.Contains(err.Error(), "effective type size exceeds the limit of 1000000") {
		t.Fatalf("got %v, want the type size limit", err)
	}
	// 18 of them (2^19 - 1 nodes) are within the limit.
	b = Encode(&Component{Sections: []Section{&TypeSection{Types: types[:18]}}})
	if err := Validate(b); err != nil {
		t.Fatalf("a type of 2^19 nodes: %v", err)
	}
}
