package host_test

import (
	"context"
	"os"
	"testing"

	"github.com/witc-dev/witc/component"
	"github.com/witc-dev/witc/host"
	"github.com/witc-dev/witc/internal/leb128"
	"github.com/witc-dev/witc/wasi"
)

// The instantiation of a compiled component against its floor: the
// fixture is a 13 MB componentize-js (StarlingMonkey) HTTP proxy, whose
// instantiation mostly allocates and fills its linear memories (its
// wasi:http imports are left to trap: package wasihttp serves them).
const bigComponent = "../wasihttp/testdata/http-js.wasm"

// BenchmarkInstantiateCompiled creates an instance of a compiled
// component with WASI registered on a linker of its own, as a server
// with an instance per request does.
func BenchmarkInstantiateCompiled(b *testing.B) {
	w, err := os.ReadFile(bigComponent)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	rt := host.NewRuntime(ctx, host.Options{})
	defer rt.Close(ctx)
	cc, err := rt.Compile(ctx, w)
	if err != nil {
		b.Fatal(err)
	}
	defer cc.Close(ctx)
	b.ReportAllocs()
	for b.Loop() {
		l := host.NewLinker()
		l.TrapUnknownImports()
		if err := wasi.Register(l, wasi.Config{}); err != nil {
			b.Fatal(err)
		}
		in, err := cc.Instantiate(ctx, l)
		if err != nil {
			b.Fatal(err)
		}
		in.Close(ctx)
	}
}

// BenchmarkInstantiateFloor is what any instantiation of the same
// component must do: allocate the initial linear memories of its core
// modules and copy their data segments in.
func BenchmarkInstantiateFloor(b *testing.B) {
	w, err := os.ReadFile(bigComponent)
	if err != nil {
		b.Fatal(err)
	}
	c, err := component.Decode(w)
	if err != nil {
		b.Fatal(err)
	}
	var mems []uint64
	var segs [][]byte
	for _, s := range c.Sections {
		if m, ok := s.(*component.ModuleSection); ok {
			mem, data := memoryAndData(b, m.Bytes)
			mems = append(mems, mem)
			segs = append(segs, data...)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		var mem []byte
		for _, n := range mems {
			mem = make([]byte, n)
		}
		off := 0
		for _, d := range segs {
			if off+len(d) > len(mem) {
				off = 0
			}
			off += copy(mem[off:], d)
		}
	}
}

// memoryAndData reads a core module's initial memory size (of its first
// defined memory, in bytes) and its data segments' bytes.
func memoryAndData(b *testing.B, m []byte) (uint64, [][]byte) {
	var mem uint64
	var data [][]byte
	u32 := func(p []byte) (uint32, []byte) {
		v, n, err := leb128.Uint32(p)
		if err != nil {
			b.Fatal(err)
		}
		return v, p[n:]
	}
	p := m[8:]
	for len(p) > 0 {
		id := p[0]
		size, rest := u32(p[1:])
		body := rest[:size]
		p = rest[size:]
		switch id {
		case 5: // memory
			n, q := u32(body)
			if n > 0 {
				q = q[1:] // flags
				pages, _ := u32(q)
				mem = uint64(pages) << 16
			}
		case 11: // data
			n, q := u32(body)
			for range n {
				var flags uint32
				flags, q = u32(q)
				if flags == 2 {
					_, q = u32(q)
				}
				if flags != 1 { // skip the offset expression to its end
					for q[0] != 0x0b {
						q = skipInstr(b, q)
					}
					q = q[1:]
				}
				var l uint32
				l, q = u32(q)
				data = append(data, q[:l])
				q = q[l:]
			}
		}
	}
	return mem, data
}

// skipInstr skips one instruction of a constant expression.
func skipInstr(b *testing.B, q []byte) []byte {
	op := q[0]
	q = q[1:]
	switch op {
	case 0x41, 0x42, 0x23: // i32.const, i64.const, global.get: a LEB128
		for q[0]&0x80 != 0 {
			q = q[1:]
		}
		return q[1:]
	case 0x6a, 0x6b, 0x6c, 0x7c, 0x7d, 0x7e: // extended-const arithmetic
		return q
	}
	b.Fatalf("opcode %#x in a data segment's offset", op)
	return nil
}
