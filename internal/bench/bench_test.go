package bench

import (
	"bytes"
	"context"
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/witc-dev/witc/bindgen"
	"github.com/witc-dev/witc/canonabi"
	"github.com/witc-dev/witc/component"
	"github.com/witc-dev/witc/diag"
	"github.com/witc-dev/witc/host"
	"github.com/witc-dev/witc/internal/bench/benchbind"
	"github.com/witc-dev/witc/loader"
)

func benchComponent(tb testing.TB) []byte {
	b, err := os.ReadFile(filepath.Join("testdata", "bench.wasm"))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// Sizes of the string and list arguments.
const (
	strLen = 1 << 20
	points = 256
)

var (
	str = strings.Repeat("x", strLen)
	pts = func() []benchbind.Point {
		ps := make([]benchbind.Point, points)
		for i := range ps {
			ps[i] = benchbind.Point{X: int32(i), Y: -int32(i)}
		}
		return ps
	}()
)

// raw is the bench component's core module run directly on wazero: what a
// Go program does by hand without a component runtime.
type raw struct {
	ctx                           context.Context
	mem                           api.Memory
	add, echo, sum, realloc, post api.Function
	stack                         []uint64
}

func newRaw(tb testing.TB) *raw {
	ctx := context.Background()
	r := wazero.NewRuntime(ctx)
	tb.Cleanup(func() { r.Close(ctx) })
	c, err := component.Decode(benchComponent(tb))
	if err != nil {
		tb.Fatal(err)
	}
	var mod []byte
	for _, s := range c.Sections {
		if m, ok := s.(*component.ModuleSection); ok {
			mod = m.Bytes
			break
		}
	}
	m, err := r.Instantiate(ctx, mod)
	if err != nil {
		tb.Fatal(err)
	}
	return &raw{ctx: ctx, mem: m.Memory(), add: m.ExportedFunction("add"), echo: m.ExportedFunction("echo"),
		sum: m.ExportedFunction("sum"), realloc: m.ExportedFunction("cabi_realloc"), post: m.ExportedFunction("post-return"),
		stack: make([]uint64, 4)}
}

func (r *raw) alloc(tb testing.TB, align, size uint32) uint32 {
	s := r.stack
	s[0], s[1], s[2], s[3] = 0, 0, uint64(align), uint64(size)
	if err := r.realloc.CallWithStack(r.ctx, s); err != nil {
		tb.Fatal(err)
	}
	return uint32(s[0])
}

func (r *raw) callAdd(tb testing.TB, a, b uint32) uint32 {
	s := r.stack
	s[0], s[1] = uint64(a), uint64(b)
	if err := r.add.CallWithStack(r.ctx, s); err != nil {
		tb.Fatal(err)
	}
	return uint32(s[0])
}

func (r *raw) callEcho(tb testing.TB, in string) string {
	p := r.alloc(tb, 1, uint32(len(in)))
	r.mem.WriteString(p, in)
	s := r.stack
	s[0], s[1] = uint64(p), uint64(len(in))
	if err := r.echo.CallWithStack(r.ctx, s); err != nil {
		tb.Fatal(err)
	}
	ret, _ := r.mem.Read(uint32(s[0]), 8)
	b, _ := r.mem.Read(binary.LittleEndian.Uint32(ret), binary.LittleEndian.Uint32(ret[4:]))
	out := string(b)
	if err := r.post.CallWithStack(r.ctx, s); err != nil {
		tb.Fatal(err)
	}
	return out
}

func (r *raw) callSum(tb testing.TB, ps []benchbind.Point) benchbind.Point {
	p := r.alloc(tb, 4, uint32(8*len(ps)))
	buf := make([]byte, 8*len(ps))
	for i, pt := range ps {
		binary.LittleEndian.PutUint32(buf[8*i:], uint32(pt.X))
		binary.LittleEndian.PutUint32(buf[8*i+4:], uint32(pt.Y))
	}
	r.mem.Write(p, buf)
	s := r.stack
	s[0], s[1] = uint64(p), uint64(len(ps))
	if err := r.sum.CallWithStack(r.ctx, s); err != nil {
		tb.Fatal(err)
	}
	ret, _ := r.mem.Read(uint32(s[0]), 8)
	out := benchbind.Point{X: int32(binary.LittleEndian.Uint32(ret)), Y: int32(binary.LittleEndian.Uint32(ret[4:]))}
	if err := r.post.CallWithStack(r.ctx, s); err != nil {
		tb.Fatal(err)
	}
	return out
}

func newBindings(tb testing.TB) (*benchbind.Instance, context.Context) {
	ctx := context.Background()
	rt := host.NewRuntime(ctx, host.Options{})
	tb.Cleanup(func() { rt.Close(ctx) })
	in, err := benchbind.Instantiate(ctx, rt, host.NewLinker(), benchComponent(tb), benchbind.Imports{})
	if err != nil {
		tb.Fatal(err)
	}
	return in, ctx
}

func dynamicFunc(tb testing.TB, in *benchbind.Instance, name string) *host.Func {
	f, err := in.Component().Func("witc:bench/api#" + name)
	if err != nil {
		tb.Fatal(err)
	}
	return f
}

// TestThreeWaysAgree checks that the benchmarks measure the same work: the
// three ways of calling give the same results.
func TestThreeWaysAgree(t *testing.T) {
	r := newRaw(t)
	in, ctx := newBindings(t)
	api := in.API()
	want := benchbind.Point{}
	for _, p := range pts {
		want.X += p.X
		want.Y += p.Y
	}
	if got, err := api.Add(ctx, 40, 2); err != nil || got != 42 || r.callAdd(t, 40, 2) != 42 {
		t.Errorf("add: %v %v", got, err)
	}
	if got, err := api.Echo(ctx, str); err != nil || got != str || r.callEcho(t, str) != str {
		t.Errorf("echo: %v", err)
	}
	if got, err := api.Sum(ctx, pts); err != nil || got != want || r.callSum(t, pts) != want {
		t.Errorf("sum: %v %v, want %v", got, err, want)
	}
	res, err := dynamicFunc(t, in, "sum").Call(ctx, dynPoints())
	if err != nil || res[0].(canonabi.Record)[0] != want.X {
		t.Errorf("dynamic sum: %v %v", res, err)
	}
}

// TestScalarCallDoesNotAllocate: a call of scalars through the bindings
// allocates nothing.
func TestScalarCallDoesNotAllocate(t *testing.T) {
	in, ctx := newBindings(t)
	api := in.API()
	if n := testing.AllocsPerRun(100, func() { api.Add(ctx, 40, 2) }); n != 0 {
		t.Errorf("a scalar call through the bindings allocates %v times", n)
	}
}

func dynPoints() canonabi.List {
	l := make(canonabi.List, len(pts))
	for i, p := range pts {
		l[i] = canonabi.Record{p.X, p.Y}
	}
	return l
}

func BenchmarkAddRaw(b *testing.B) {
	r := newRaw(b)
	b.ReportAllocs()
	for b.Loop() {
		r.callAdd(b, 40, 2)
	}
}

// BenchmarkAddRawLocked is BenchmarkAddRaw with the least any call that
// serializes the calls into an instance adds: an uncontended
// sync.Mutex's TryLock and Unlock around each call.
func BenchmarkAddRawLocked(b *testing.B) {
	r := newRaw(b)
	var mu sync.Mutex
	b.ReportAllocs()
	for b.Loop() {
		if mu.TryLock() {
			r.callAdd(b, 40, 2)
			mu.Unlock()
		}
	}
}

func BenchmarkAddDynamic(b *testing.B) {
	in, ctx := newBindings(b)
	f := dynamicFunc(b, in, "add")
	args := []canonabi.Value{uint32(40), uint32(2)}
	res := make([]canonabi.Value, 0, 1)
	b.ReportAllocs()
	for b.Loop() {
		var err error
		if res, err = f.CallInto(ctx, res, args...); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAddBindings(b *testing.B) {
	in, ctx := newBindings(b)
	api := in.API()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := api.Add(ctx, 40, 2); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEchoCopy is the floor of a string round trip: the two copies
// any host makes (the Go string into the guest's memory, and the guest's
// bytes back into a new Go string), with nothing else.
func BenchmarkEchoCopy(b *testing.B) {
	r := newRaw(b)
	p := r.alloc(b, 1, strLen)
	b.SetBytes(strLen)
	b.ReportAllocs()
	for b.Loop() {
		dst, _ := r.mem.Read(p, strLen)
		copy(dst, str)
		sink = string(dst)
	}
}

var sink string

func BenchmarkEchoRaw(b *testing.B) {
	r := newRaw(b)
	b.SetBytes(strLen)
	b.ReportAllocs()
	for b.Loop() {
		r.callEcho(b, str)
	}
}

func BenchmarkEchoDynamic(b *testing.B) {
	in, ctx := newBindings(b)
	f := dynamicFunc(b, in, "echo")
	b.SetBytes(strLen)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := f.Call(ctx, str); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEchoBindings(b *testing.B) {
	in, ctx := newBindings(b)
	api := in.API()
	b.SetBytes(strLen)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := api.Echo(ctx, str); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSumRaw(b *testing.B) {
	r := newRaw(b)
	b.ReportAllocs()
	for b.Loop() {
		r.callSum(b, pts)
	}
}

func BenchmarkSumDynamic(b *testing.B) {
	in, ctx := newBindings(b)
	f := dynamicFunc(b, in, "sum")
	args := dynPoints()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := f.Call(ctx, args); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSumBindings(b *testing.B) {
	in, ctx := newBindings(b)
	api := in.API()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := api.Sum(ctx, pts); err != nil {
			b.Fatal(err)
		}
	}
}

// TestBenchBindingsFresh regenerates benchbind from bench.wit and fails on
// any difference.
func TestBenchBindingsFresh(t *testing.T) {
	var r diag.Report
	res, main := loader.Load("bench.wit", loader.Options{}, &r)
	if r.HasErrors() {
		t.Fatal(diag.Renderer{}.Render(r.Diagnostics))
	}
	got, err := bindgen.Generate(res, main.World("bench"), bindgen.Options{Package: "benchbind"})
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join("benchbind", "bindings.go"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Error("benchbind/bindings.go is stale: run `make bindings`")
	}
}
