package e2e

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/witc-dev/witc/host"
	"github.com/witc-dev/witc/internal/e2e/evilbind"
)

// TestMaliciousGuestThroughBindings calls host/testdata/evil.wasm, whose
// exports return out-of-bounds pointers, huge lengths, invalid UTF-8 and
// chars, bad discriminants and misbehaving reallocs, through generated
// bindings (evilbind): each call must fail with a TrapError naming the
// problem, without a panic or a huge allocation, and poison the instance.
func TestMaliciousGuestThroughBindings(t *testing.T) {
	wasm, err := os.ReadFile(filepath.Join("..", "..", "host", "testdata", "evil.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	rt, ctx := newRuntime(t)
	instantiate := func() *evilbind.Instance {
		in, err := evilbind.Instantiate(ctx, rt, host.NewLinker(), wasm, evilbind.Imports{})
		if err != nil {
			t.Fatal(err)
		}
		return in
	}
	second := func(_ any, err error) error { return err }
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	for _, tc := range []struct {
		name string
		call func(context.Context, *evilbind.Instance) error
		want string
	}{
		{"oob-string", func(ctx context.Context, in *evilbind.Instance) error { return second(in.OobString(ctx)) }, "out-of-bounds"},
		{"huge-string", func(ctx context.Context, in *evilbind.Instance) error { return second(in.HugeString(ctx)) }, "string"},
		{"bad-utf8", func(ctx context.Context, in *evilbind.Instance) error { return second(in.BadUTF8(ctx)) }, "UTF-8"},
		{"huge-list", func(ctx context.Context, in *evilbind.Instance) error { return second(in.HugeList(ctx)) }, "list"},
		{"bad-char", func(ctx context.Context, in *evilbind.Instance) error { return second(in.BadChar(ctx)) }, "char"},
		{"bad-option", func(ctx context.Context, in *evilbind.Instance) error { return second(in.BadOption(ctx)) }, "discriminant"},
		{"unreachable", func(ctx context.Context, in *evilbind.Instance) error { return second(in.Unreachable(ctx)) }, "unreachable"},
		{"bad-realloc", func(ctx context.Context, in *evilbind.Instance) error { return second(in.BadRealloc(ctx, "hello")) }, "realloc"},
		{"odd-realloc", func(ctx context.Context, in *evilbind.Instance) error { return second(in.OddRealloc(ctx, []uint64{1})) }, "aligned"},
	} {
		in := instantiate()
		err := tc.call(ctx, in)
		var trap *host.TrapError
		switch {
		case err == nil:
			t.Errorf("%s: no error", tc.name)
			continue
		case !errors.As(err, &trap):
			t.Errorf("%s: %T is not a *host.TrapError: %v", tc.name, err, err)
		case !strings.Contains(err.Error(), tc.want):
			t.Errorf("%s: error %q does not mention %q", tc.name, err, tc.want)
		}
		if _, err := in.Good(ctx, "x"); err == nil || !strings.Contains(err.Error(), "trapped earlier") {
			t.Errorf("%s: a call after the trap gave %v, want an error saying the instance trapped", tc.name, err)
		}
	}
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	if grown := after.TotalAlloc - before.TotalAlloc; grown > 64<<20 {
		t.Errorf("the malicious calls allocated %d MB", grown>>20)
	}
	if n, err := instantiate().Good(ctx, "hello"); err != nil || n != 5 {
		t.Errorf("good(\"hello\") = %v, %v", n, err)
	}
	// Invalid host values are refused before they reach the guest.
	if _, err := instantiate().Good(ctx, "\xff"); err == nil || !strings.Contains(err.Error(), "UTF-8") {
		t.Errorf("lowering invalid UTF-8: %v", err)
	}
}
