package wit

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestJSONRoundTrip decodes every wit-parser JSON file available (upstream UI
// tests, corpus components) and re-encodes it: the bytes must be identical.
func TestJSONRoundTrip(t *testing.T) {
	shared, _ := filepath.Abs(filepath.Join("..", "..", "shared"))
	var files []string
	for _, pat := range []string{"conformance/wit-parser-ui/*.wit.json", "corpus/components/*.wit.json"} {
		m, _ := filepath.Glob(filepath.Join(shared, pat))
		files = append(files, m...)
	}
	if len(files) == 0 {
		t.Skipf("no JSON inputs under %s", shared)
	}
	passed := 0
	for _, p := range files {
		want, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		r, err := decodeJSON(want)
		if err != nil {
			t.Errorf("%s: %v", p, err)
			continue
		}
		var got bytes.Buffer
		if err := WriteJSON(&got, r); err != nil {
			t.Fatal(err)
		}
		if strings.TrimSpace(got.String()) != strings.TrimSpace(string(want)) {
			t.Errorf("%s: re-encoded JSON differs", p)
			continue
		}
		passed++
	}
	t.Logf("%d passed, %d failed", passed, len(files)-passed)
}

func TestJSONEscaping(t *testing.T) {
	r := &Resolve{}
	p := r.AddPackage(&Package{Name: PackageName{Namespace: "a", Name: "b"}, Docs: Docs{Contents: "q\"\\\n\t\x01<>&\u2028é"}})
	_ = p
	var b bytes.Buffer
	WriteJSON(&b, r)
	want := `"contents": "q\"\\\n\t\u0001<>&` + "\u2028é" + `"`
	if !strings.Contains(b.String(), want) {
		t.Errorf("escaping: got %s", b.String())
	}
	if !strings.Contains(b.String(), `"interfaces": {}`) || !strings.Contains(b.String(), `"worlds": []`) {
		t.Errorf("empty containers: got %s", b.String())
	}
}

func FuzzDecodeJSON(f *testing.F) {
	f.Add([]byte(`{"worlds":[],"interfaces":[],"types":[{"name":null,"kind":{"list":0},"owner":null}],"packages":[]}`))
	f.Add([]byte(`{"worlds":[{"name":"w","imports":{"interface-0":{"interface":{"id":0}}},"exports":{},"package":0}],"interfaces":[{"name":"i","types":{},"functions":{},"package":0}],"types":[],"packages":[{"name":"a:b@1.0.0","interfaces":{"i":0},"worlds":{"w":0}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := decodeJSON(data)
		if err != nil {
			return
		}
		var b bytes.Buffer
		WriteJSON(&b, r)
	})
}
