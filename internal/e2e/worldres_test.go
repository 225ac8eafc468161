package e2e

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/witc-dev/witc/host"
	"github.com/witc-dev/witc/internal/e2e/worldresbind"
)

// rHost implements the world-level resource `r` of worldres.wit.
type rHost struct{ made, dropped int }

type rValue struct {
	h *rHost
	n uint32
}

func (v *rValue) Get(context.Context) (uint32, error) { return v.n, nil }
func (v *rValue) Drop()                               { v.h.dropped++ }

func (h *rHost) NewR(_ context.Context, n uint32) (worldresbind.R, error) {
	h.made++
	return &rValue{h: h, n: n + 1}, nil
}

// TestWorldLevelResource: a resource a world imports by itself is served
// by the host through the bindings: constructed, called and dropped.
func TestWorldLevelResource(t *testing.T) {
	wasm, err := os.ReadFile(filepath.Join("testdata", "worldres.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	rt, ctx := newRuntime(t)
	h := &rHost{}
	in, err := worldresbind.Instantiate(ctx, rt, host.NewLinker(), wasm, worldresbind.Imports{Funcs: h})
	if err != nil {
		t.Fatal(err)
	}
	for i := uint32(0); i < 3; i++ {
		if got, err := in.Roundtrip(ctx, 41+i); err != nil || got != 42+i {
			t.Errorf("roundtrip(%d) = %d, %v; want %d", 41+i, got, err, 42+i)
		}
	}
	if h.made != 3 || h.dropped != 3 {
		t.Errorf("made %d, dropped %d; want 3 and 3", h.made, h.dropped)
	}
}
