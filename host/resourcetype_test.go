package host

import (
	"context"
	"errors"
	"testing"

	"github.com/witc-dev/witc/canonabi"
)

// trapReason is the reason of the canonabi.Trap in err ("" when none).
func trapReason(err error) string {
	var tr *canonabi.Trap
	if errors.As(err, &tr) {
		return tr.Reason
	}
	return ""
}

// TestResourceTypeConfusion: a handle used as a handle of another
// resource type traps, whether it is returned (own), passed (borrow),
// given to resource.rep or resource.drop, or passed in by the host.
func TestResourceTypeConfusion(t *testing.T) {
	rt, ctx := newFeatureRuntime(t)
	b := fixture(t, "resources.wasm")
	l := NewLinker()
	h1 := l.Resource("host", "h1", nil)
	l.Resource("host", "h2", nil)
	l.Func("host", "make-h1", importedFunc(t, b, "host", "make-h1"), func(context.Context, []canonabi.Value) ([]canonabi.Value, error) {
		return []canonabi.Value{Resource{Type: h1, Rep: 5, Own: true}}, nil
	})
	l.Func("host", "use-h2", importedFunc(t, b, "host", "use-h2"), func(context.Context, []canonabi.Value) ([]canonabi.Value, error) {
		return nil, errors.New("use-h2 called")
	})
	const api = "witc:test/res#"
	for _, tc := range []struct{ fn, want string }{
		{"return-r1-as-r2", "handle 1 is a `r1`, not a `r2`"},
		{"rep-r1-as-r2", "handle 1 is a `r1`, not a `r2`"},
		{"drop-r1-as-r2", "handle 1 is a `r1`, not a `r2`"},
		{"borrow-h1-as-h2", "handle 1 is a `h1`, not a `h2`"},
	} {
		in, err := rt.Instantiate(ctx, l, b)
		if err != nil {
			t.Fatal(err)
		}
		f, err := in.Func(api + tc.fn)
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.Call(ctx)
		if got := trapReason(err); got != tc.want {
			t.Errorf("%s: got %v\nwant a trap: %s", tc.fn, err, tc.want)
		}
	}
	in, err := rt.Instantiate(ctx, l, b)
	if err != nil {
		t.Fatal(err)
	}
	r1 := call(t, ctx, in, api+"make-r1").(Resource)
	r2 := call(t, ctx, in, api+"make-r2").(Resource)
	if got := call(t, ctx, in, api+"rep-r2", r2); got != canonabi.Value(uint32(8)) {
		t.Errorf("rep-r2(make-r2()) = %v, want 8", got)
	}
	f, _ := in.Func(api + "rep-r2")
	_, err = f.Call(ctx, r1)
	if err == nil || err.Error() != api+"rep-r2: a `r1` resource cannot be passed as a `r2`" {
		t.Errorf("rep-r2(make-r1()): %v", err)
	}
}
