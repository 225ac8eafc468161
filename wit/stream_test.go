package wit_test

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/witc-dev/witc/diag"
	"github.com/witc-dev/witc/loader"
	"github.com/witc-dev/witc/wit"
)

// TestStreamedOutput: Fprint and WriteJSON, which write their text in
// pieces as they go, write what Print and MarshalJSON return, on a
// package whose text is many pieces long, and stop at the writer's first
// error.
func TestStreamedOutput(t *testing.T) {
	var src strings.Builder
	src.WriteString("package a:big;\n")
	for i := range 3000 {
		fmt.Fprintf(&src, "/// Interface %d.\ninterface i%d {\n  record r { x: u32, y: list<string> }\n  f: func(a: r, b: option<u8>) -> result<r, string>;\n}\n", i, i)
	}
	var r diag.Report
	res, main := loader.LoadSource("big.wit", []byte(src.String()), loader.Options{}, &r)
	if r.HasErrors() {
		t.Fatal(diag.Renderer{}.Render(r.Diagnostics))
	}
	var text bytes.Buffer
	if err := wit.Fprint(&text, res, main); err != nil {
		t.Fatal(err)
	}
	want := wit.Print(res, main)
	if len(want) < 3*64<<10 || text.String() != want {
		t.Errorf("Fprint wrote %d bytes, Print returns %d; equal: %v", text.Len(), len(want), text.String() == want)
	}
	var js bytes.Buffer
	if err := wit.WriteJSON(&js, res); err != nil {
		t.Fatal(err)
	}
	wantJS, _ := res.MarshalJSON()
	if !bytes.Equal(js.Bytes(), wantJS) {
		t.Errorf("WriteJSON wrote %d bytes, MarshalJSON returns %d", js.Len(), len(wantJS))
	}
	for name, write := range map[string]func(w *failingWriter) error{
		"Fprint":    func(w *failingWriter) error { return wit.Fprint(w, res, main) },
		"WriteJSON": func(w *failingWriter) error { return wit.WriteJSON(w, res) },
	} {
		w := &failingWriter{}
		if err := write(w); !errors.Is(err, errFull) || w.writes != 1 {
			t.Errorf("%s: %v after %d writes, want errFull after 1", name, err, w.writes)
		}
	}
}

var errFull = errors.New("full")

// failingWriter fails every write.
type failingWriter struct{ writes int }

func (w *failingWriter) Write([]byte) (int, error) {
	w.writes++
	return 0, errFull
}
