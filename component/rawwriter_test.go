package component

import (
	"bytes"
	"os"
	"testing"
)

// rawTaker is a RawWriter that writes the raw slices it is offered itself
// (here: into the same buffer), counting them.
type rawTaker struct {
	bytes.Buffer
	taken int
}

func (r *rawTaker) WriteRaw(raw []byte) (bool, error) {
	r.taken++
	r.Buffer.Write(raw)
	return true, nil
}

// TestEncodeToRawWriter: a RawWriter is offered every core module and
// nested component held as raw bytes, after what precedes them, and the
// output is the same bytes as Encode's.
func TestEncodeToRawWriter(t *testing.T) {
	b, err := os.ReadFile("../examples/components/app.wasm")
	if err != nil {
		t.Fatal(err)
	}
	c, err := Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	// A composition-like component: app.wasm nested twice, verbatim.
	outer := &Component{Sections: []Section{
		&ComponentSection{Raw: b, Component: c},
		&ComponentSection{Raw: b, Component: c},
	}}
	var w rawTaker
	if err := EncodeTo(&w, outer); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(w.Bytes(), Encode(outer)) {
		t.Fatal("EncodeTo through a RawWriter differs from Encode")
	}
	if w.taken != 2 {
		t.Fatalf("the RawWriter was offered %d raw slices, want 2", w.taken)
	}
}
