package e2e

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/witc-dev/witc/canonabi"
	"github.com/witc-dev/witc/host"
	"github.com/witc-dev/witc/internal/e2e/liftsbind"
)

// lifter calls testdata/lifts.wasm, whose exports hand back their
// argument's bytes as their result, so the generated lifting code reads
// values from memory the caller chose. Each input also goes through the
// dynamic API on a second instance (same memory, same layout): the two
// lifts must agree — both trap, or both give the same value. The dynamic
// lifting of canonabi is the oracle of the generated code.
type lifter struct {
	t    testing.TB
	ctx  context.Context
	rt   *host.Runtime
	wasm []byte
	in   *liftsbind.Instance
	dyn  *host.Instance
}

func newLifter(t testing.TB) *lifter {
	wasm, err := os.ReadFile(filepath.Join("testdata", "lifts.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	rt := host.NewRuntime(ctx, host.Options{})
	t.Cleanup(func() { rt.Close(ctx) })
	return &lifter{t: t, ctx: ctx, rt: rt, wasm: wasm}
}

var liftExports = [4]string{"as-person", "as-shapes", "as-nested", "as-map"}

// lift calls export which (0-3) with b through the bindings and the
// dynamic API and compares; instances that trapped are replaced.
func (l *lifter) lift(which byte, b []byte) error {
	which %= 4
	if l.in == nil || l.dyn == nil {
		in, err := liftsbind.Instantiate(l.ctx, l.rt, host.NewLinker(), l.wasm, liftsbind.Imports{})
		if err != nil {
			l.t.Fatal(err)
		}
		dyn, err := l.rt.Instantiate(l.ctx, host.NewLinker(), l.wasm)
		if err != nil {
			l.t.Fatal(err)
		}
		l.in, l.dyn = in, dyn
	}
	api := l.in.API()
	var v any
	var err error
	switch which {
	case 0:
		v, err = api.AsPerson(l.ctx, b)
	case 1:
		v, err = api.AsShapes(l.ctx, b)
	case 2:
		v, err = api.AsNested(l.ctx, b)
	default:
		v, err = api.AsMap(l.ctx, b)
	}
	f, ferr := l.dyn.Func("witc:lifts/api#" + liftExports[which])
	if ferr != nil {
		l.t.Fatal(ferr)
	}
	list := make(canonabi.List, len(b))
	for i, c := range b {
		list[i] = c
	}
	dres, derr := f.Call(l.ctx, list)
	for _, e := range []error{err, derr} {
		var trap *host.TrapError
		if e != nil && !errors.As(e, &trap) {
			l.t.Fatalf("%s: %T is not a trap: %v", liftExports[which], e, e)
		}
	}
	switch {
	case (err == nil) != (derr == nil):
		l.t.Fatalf("%s: the bindings gave %v, the dynamic API %v", liftExports[which], err, derr)
	case err == nil && which != 3: // a Go map cannot keep duplicate or ordered keys
		got := fmt.Sprintf("%#v", toValue(f.Type().Result, reflect.ValueOf(v)))
		want := fmt.Sprintf("%#v", dres[0])
		if got != want {
			l.t.Fatalf("%s: the bindings lifted\n%s\nthe dynamic API\n%s", liftExports[which], got, want)
		}
	}
	if err != nil || derr != nil {
		l.in, l.dyn = nil, nil
	}
	return err
}

// liftSeeds are inputs the fuzzer starts from: valid values, and the
// aliasing attack (many lists over the same memory).
func liftSeeds() [][]byte {
	le := binary.LittleEndian
	// A person: name (ptr, len) = the argument itself (ptr 1024, 4 bytes),
	// age, tags empty, home none, green, read|exec, 'A'.
	person := make([]byte, 48)
	le.PutUint32(person[0:], 1024)
	le.PutUint32(person[4:], 4)
	copy(person[0:4], []byte{0, 4, 0, 0}) // "\x00\x04\x00\x00" is valid UTF-8
	person[8] = 36
	person[20] = 0
	person[32] = 1
	person[33] = 5
	le.PutUint32(person[36:], 'A')
	// as-shapes reads (ptr, len) of a list<shape> from the argument (which
	// the guest places at 1024): 2000 polygons of 16 bytes right after it,
	// each a list of 7000 points over the same 56 KB: 112 MB if lifted.
	const n = 2000
	shapes := make([]byte, 8+16*n)
	le.PutUint32(shapes[0:], 1024+8)
	le.PutUint32(shapes[4:], n)
	for i := 0; i < n; i++ {
		e := shapes[8+16*i:]
		e[0] = 2 // polygon
		le.PutUint32(e[8:], 1024)
		le.PutUint32(e[12:], 7000)
	}
	return [][]byte{{}, person, shapes, make([]byte, 64)}
}

// TestLiftHostileMemory runs the seeds: each call gives a value or a trap,
// never a panic; the aliased polygons trap on the lifting budget.
func TestLiftHostileMemory(t *testing.T) {
	l := newLifter(t)
	seeds := liftSeeds()
	for _, seed := range seeds {
		for which := byte(0); which < 4; which++ {
			l.lift(which, seed)
		}
	}
	if err := l.lift(1, seeds[2]); err == nil || !strings.Contains(err.Error(), "8 times the guest's memory") {
		t.Errorf("aliased polygons: got %v, want a trap on the lifting budget", err)
	}
}

// FuzzLiftThroughBindings lifts values of every kind of WIT type from
// fuzzer-chosen guest memory through generated bindings.
func FuzzLiftThroughBindings(f *testing.F) {
	for _, s := range liftSeeds() {
		for which := byte(0); which < 4; which++ {
			f.Add(which, s)
		}
	}
	l := newLifter(f)
	f.Fuzz(func(t *testing.T, which byte, b []byte) {
		l.t = t
		l.lift(which, b)
	})
}
