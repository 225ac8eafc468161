package e2e

import (
	"context"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/witc-dev/witc/host"
	"github.com/witc-dev/witc/internal/e2e/liftsbind"
)

// lifter calls testdata/lifts.wasm, whose exports hand back their
// argument's bytes as their result, so the generated lifting code reads
// values from memory the caller chose.
type lifter struct {
	t    testing.TB
	ctx  context.Context
	rt   *host.Runtime
	wasm []byte
	in   *liftsbind.Instance
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

// lift calls export which (0-3) with b; an instance that trapped is
// replaced.
func (l *lifter) lift(which byte, b []byte) error {
	if l.in == nil {
		in, err := liftsbind.Instantiate(l.ctx, l.rt, host.NewLinker(), l.wasm, liftsbind.Imports{})
		if err != nil {
			l.t.Fatal(err)
		}
		l.in = in
	}
	api := l.in.API()
	var err error
	switch which % 4 {
	case 0:
		_, err = api.AsPerson(l.ctx, b)
	case 1:
		_, err = api.AsShapes(l.ctx, b)
	case 2:
		_, err = api.AsNested(l.ctx, b)
	default:
		_, err = api.AsMap(l.ctx, b)
	}
	if err != nil {
		var trap *host.TrapError
		if !errors.As(err, &trap) {
			l.t.Fatalf("export %d: %T is not a trap: %v", which%4, err, err)
		}
		l.in = nil
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
