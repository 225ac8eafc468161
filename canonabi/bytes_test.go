package canonabi

import (
	"reflect"
	"testing"

	"github.com/witc-dev/witc/wit"
)

// TestBytesLowered: a []byte is lowered as a list<u8> (in memory and flat)
// and lifts back as the List of its bytes; a list of another element type
// refuses it.
func TestBytesLowered(t *testing.T) {
	bytes := def(&wit.List{Elem: wit.U8})
	alias := def(&wit.List{Elem: &wit.TypeDef{Name: "octet", Kind: &wit.Alias{Type: wit.U8}}})
	want := List{uint8(1), uint8(2), uint8(255)}
	for _, typ := range []wit.Type{bytes, alias} {
		m := newMem(1 << 10)
		cx := cxFor(m, UTF8)
		if err := cx.StoreValues([]wit.Type{typ}, []Value{[]byte{1, 2, 255}}, 512); err != nil {
			t.Fatal(err)
		}
		if got, err := cx.Load(typ, 512); err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("memory: %#v, %v; want %#v", got, err, want)
		}
		flat, err := cx.LowerFlat(nil, typ, []byte{1, 2, 255})
		if err != nil {
			t.Fatal(err)
		}
		if got, _, err := cx.LiftFlat(typ, flat); err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("flat: %#v, %v; want %#v", got, err, want)
		}
	}
	cx := cxFor(newMem(1<<10), UTF8)
	if _, err := cx.LowerFlat(nil, def(&wit.List{Elem: wit.S8}), []byte{1}); err == nil {
		t.Error("[]byte lowered as list<s8>")
	}
}
