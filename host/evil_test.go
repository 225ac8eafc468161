package host

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/witc-dev/witc/canonabi"
)

// TestMaliciousGuest calls functions that break the canonical ABI: each
// must fail with an error saying what went wrong, without a Go panic and
// without allocating what the guest claims.
func TestMaliciousGuest(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "evil.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	rt, ctx := newRuntime(t)
	in, err := rt.Instantiate(ctx, NewLinker(), b)
	if err != nil {
		t.Fatal(err)
	}
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	for _, tc := range []struct {
		fn   string
		args []canonabi.Value
		want string
	}{
		{"oob-string", nil, "out-of-bounds"},
		{"huge-string", nil, "string"},
		{"bad-utf8", nil, "UTF-8"},
		{"huge-list", nil, "list"},
		{"bad-char", nil, "char"},
		{"bad-option", nil, "discriminant"},
		{"unreachable", nil, "unreachable"},
		{"bad-realloc", []canonabi.Value{"hello"}, "realloc"},
		{"odd-realloc", []canonabi.Value{canonabi.List{uint64(1)}}, "aligned"},
	} {
		// A trap poisons the instance: each case gets a fresh one.
		in, err := rt.Instantiate(ctx, NewLinker(), b)
		if err != nil {
			t.Fatal(err)
		}
		f, err := in.Func(tc.fn)
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.Call(ctx, tc.args...)
		if err == nil {
			t.Errorf("%s: no error", tc.fn)
			continue
		}
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %q does not mention %q", tc.fn, err, tc.want)
		}
	}
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	if grown := after.TotalAlloc - before.TotalAlloc; grown > 64<<20 {
		t.Errorf("the malicious calls allocated %d MB", grown>>20)
	}
	// After a trap the instance cannot be used again.
	f, _ := in.Func("unreachable")
	f.Call(ctx)
	good, _ := in.Func("good")
	if _, err := good.Call(ctx, "x"); err == nil || !strings.Contains(err.Error(), "trapped earlier") {
		t.Errorf("call after a trap: %v", err)
	}
	in2, err := rt.Instantiate(ctx, NewLinker(), b)
	if err != nil {
		t.Fatal(err)
	}
	good, _ = in2.Func("good")
	res, err := good.Call(ctx, "hello")
	if err != nil || res[0] != canonabi.Value(uint32(5)) {
		t.Errorf("good(\"hello\") = %v, %v", res, err)
	}
}
