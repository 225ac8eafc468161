package resolver_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/witc-dev/witc/diag"
	"github.com/witc-dev/witc/internal/linear"
	"github.com/witc-dev/witc/loader"
	"github.com/witc-dev/witc/wit"
)

// resolveBudget is what parsing and resolving may cost per byte of input:
// generous (about 700 bytes and a few microseconds per byte; includes may
// copy maxIncluded items whatever the input), so that only growth faster
// than the input fails.
var resolveBudget = linear.Budget{BytesPerByte: 16 << 10, BaseBytes: 64 << 20, TimePerByte: 100 * time.Microsecond, BaseTime: time.Second}

// FuzzResolve feeds arbitrary text through parse and resolve: any input
// must give a Resolve or diagnostics, never a panic or a hang, within
// resolveBudget.
func FuzzResolve(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("..", "..", "shared", "conformance", "wit-parser-ui", "*.wit"))
	pf, _ := filepath.Glob(filepath.Join("..", "..", "shared", "conformance", "wit-parser-ui", "parse-fail", "*.wit"))
	for _, p := range append(seeds, pf...) {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("package a:b;\ninterface i { resource r { constructor(); m: func() -> own<r>; } f: func(x: borrow<r>) -> list<r>; }\nworld w { import i; export i; include w2 with { f as g }; }\nworld w2 { import f: func(); }\n"))
	f.Add([]byte("package a:b@1.0.0;\n@since(version = 2.0.0)\ninterface i { type t = u32; }\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		var r diag.Report
		var res *wit.Resolve
		linear.Within(t, len(src), resolveBudget, func() {
			res, _ = loader.LoadSource("fuzz.wit", src, loader.Options{Features: []string{"active"}}, &r)
		})
		if res == nil {
			t.Fatal("nil Resolve")
		}
		for _, d := range r.Diagnostics {
			if d.Message == "" || strings.Contains(d.Message, "%!") {
				t.Fatalf("malformed diagnostic %q", d.Message)
			}
		}
	})
}
