package wit

import (
	"strings"
	"testing"
)

func metadataPackage() *Package {
	v1, _ := ParseVersion("1.0.0")
	rec := &TypeDef{Name: "point", Kind: &Record{Fields: []Field{{Name: "x", Type: U32}, {Name: "y", Type: U32}}}}
	f := &Function{Name: "get", Kind: Freestanding}
	i := &Interface{Name: "api", Types: []*TypeDef{rec}, Functions: []*Function{f}}
	rec.Owner.Interface = i
	wf := &Function{Name: "run", Kind: Freestanding}
	inline := &Interface{Functions: []*Function{{Name: "log", Kind: Freestanding}}}
	w := &World{Name: "w",
		Imports: []WorldEntry{{Key: WorldKey{Interface: i}, Item: &WorldInterface{Interface: i}},
			{Key: WorldKey{Name: "host"}, Item: &WorldInterface{Interface: inline}}},
		Exports: []WorldEntry{{Key: WorldKey{Name: "run"}, Item: wf}}}
	p := &Package{Name: PackageName{Namespace: "a", Name: "b"}, Interfaces: []*Interface{i}, Worlds: []*World{w}}
	i.Package, w.Package = p, p
	// Docs and gates everywhere the section keeps them.
	p.Docs.Contents = "The <package> & more."
	i.Docs.Contents, i.Stability = "The API.", Stability{Kind: Stable, Since: v1}
	rec.Docs.Contents = "A point."
	rec.Kind.(*Record).Fields[1].Docs.Contents = "Down."
	f.Docs.Contents, f.Stability = "Gets.", Stability{Kind: Unstable, Feature: "fancy", Deprecated: v1}
	w.Docs.Contents = "The world."
	w.Imports[0].Item.(*WorldInterface).Stability = Stability{Kind: Stable, Since: v1}
	inline.Functions[0].Docs.Contents = "Logs."
	wf.Docs.Contents = "Runs."
	return p
}

func TestPackageMetadataRoundTrip(t *testing.T) {
	data := EncodePackageMetadata(metadataPackage())
	if data[0] != 1 {
		t.Fatalf("version byte %d", data[0])
	}
	text := string(data[1:])
	for _, want := range []string{
		`"docs":"The <package> & more."`,
		`"interfaces":{"api":{"docs":"The API.","stability":{"stable":{"since":"1.0.0"}}`,
		`"funcs":{"get":{"docs":"Gets.","stability":{"unstable":{"feature":"fancy","deprecated":"1.0.0"}}}}`,
		`"types":{"point":{"docs":"A point.","items":{"y":"Down."}}}`,
		`"interfaces":{"host":{"funcs":{"log":{"docs":"Logs."}}}}`,
		`"func_exports":{"run":{"docs":"Runs."}}`,
		`"interface_import_stability":{"a:b/api":{"stable":{"since":"1.0.0"}}}`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the section lacks %s:\n%s", want, text)
		}
	}
	// Apply it to the same package without docs and gates: everything
	// comes back.
	bare := metadataPackage()
	want := PrintPackage(bare)
	stripAll(bare)
	if PrintPackage(bare) == want {
		t.Fatal("stripping changed nothing")
	}
	if err := ApplyPackageMetadata(bare, data); err != nil {
		t.Fatal(err)
	}
	if got := PrintPackage(bare); got != want {
		t.Errorf("after applying the section:\n%s\nwant:\n%s", got, want)
	}
}

func stripAll(p *Package) {
	p.Docs = Docs{}
	i := p.Interfaces[0]
	i.Docs, i.Stability = Docs{}, Stability{}
	i.Types[0].Docs = Docs{}
	i.Types[0].Kind.(*Record).Fields[1].Docs = Docs{}
	i.Functions[0].Docs, i.Functions[0].Stability = Docs{}, Stability{}
	w := p.Worlds[0]
	w.Docs = Docs{}
	w.Imports[0].Item.(*WorldInterface).Stability = Stability{}
	w.Imports[1].Item.(*WorldInterface).Interface.Functions[0].Docs = Docs{}
	w.Exports[0].Item.(*Function).Docs = Docs{}
}

// TestPackageMetadataV0: the original format kept a function's docs as a
// plain string, and is still read.
func TestPackageMetadataV0(t *testing.T) {
	p := metadataPackage()
	stripAll(p)
	data := append([]byte{0}, `{"interfaces":{"api":{"funcs":{"get":"Old docs."}}},"worlds":{"w":{"funcs":{"run":"Runs."}}}}`...)
	if err := ApplyPackageMetadata(p, data); err != nil {
		t.Fatal(err)
	}
	if got := p.Interfaces[0].Functions[0].Docs.Contents; got != "Old docs." {
		t.Errorf("v0 function docs: %q", got)
	}
	if got := p.Worlds[0].Exports[0].Item.(*Function).Docs.Contents; got != "Runs." {
		t.Errorf("v0 world function docs (kept with the imports in v0): %q", got)
	}
	for _, bad := range [][]byte{{}, {2, '{', '}'}, {1, '['}} {
		if err := ApplyPackageMetadata(metadataPackage(), bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}
