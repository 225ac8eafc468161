package e2e

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/witc-dev/witc/examples/bindings/kitchenapp"
	"github.com/witc-dev/witc/host"
	"github.com/witc-dev/witc/wasi"
)

// kitchenHost implements corpus:kitchen/api in Go, as kitchen-lib's lib.js
// does in JavaScript, through the import interface generated for the
// world `app`.
type kitchenHost struct{}

type counter struct {
	name  string
	value int64
}

func (c *counter) Increment(_ context.Context, by int64) (int64, error) {
	c.value += by
	return c.value, nil
}
func (c *counter) Get(context.Context) (int64, error)   { return c.value, nil }
func (c *counter) Name(context.Context) (string, error) { return c.name, nil }

type (
	kPoint = kitchenapp.Point
	kShape = kitchenapp.Shape
)

func (kitchenHost) Invert(_ context.Context, b bool) (bool, error) { return !b, nil }

func (kitchenHost) BumpAll(_ context.Context, a uint8, b int8, c uint16, d int16, e uint32, f int32, g uint64, h int64) (kitchenapp.Tuple8[uint8, int8, uint16, int16, uint32, int32, uint64, int64], error) {
	return kitchenapp.Tuple8[uint8, int8, uint16, int16, uint32, int32, uint64, int64]{F0: a + 1, F1: b + 1, F2: c + 1, F3: d + 1, F4: e + 1, F5: f + 1, F6: g + 1, F7: h + 1}, nil
}

func (kitchenHost) Scale(_ context.Context, x float32, y float64) (kitchenapp.Tuple2[float32, float64], error) {
	return kitchenapp.Tuple2[float32, float64]{F0: float32(float64(x) * 2.5), F1: y / 4}, nil
}

func (kitchenHost) NextChar(_ context.Context, c rune) (rune, error) {
	switch c++; {
	case c == 0xD800:
		return 0xE000, nil
	case c > 0x10FFFF:
		return 0, nil
	}
	return c, nil
}

func (kitchenHost) Greet(_ context.Context, name string) (string, error) {
	return "Hello, " + name + "!", nil
}

func (kitchenHost) ReverseBytes(_ context.Context, data []byte) ([]byte, error) {
	out := slices.Clone(data)
	slices.Reverse(out)
	return out, nil
}

func (kitchenHost) Join(_ context.Context, parts []string, sep string) (string, error) {
	return strings.Join(parts, sep), nil
}

func (kitchenHost) Split(_ context.Context, s string, sep rune) ([]string, error) {
	return strings.Split(s, string(sep)), nil
}

func (kitchenHost) SumWide(_ context.Context, w kitchenapp.Wide) (float64, error) {
	t := float64(w.A) + float64(w.B) + float64(w.C) + float64(w.D) + float64(w.E) + float64(w.F) +
		float64(w.I) + w.J + float64(w.M) + float64(w.N) + float64(w.O)
	t += float64(w.G) + float64(w.H) + float64(w.P) + float64(w.Q) + float64(w.K)
	if w.L {
		t++
	}
	return t, nil
}

func (kitchenHost) Describe(_ context.Context, p kitchenapp.Person) (string, error) {
	home := "nowhere"
	if p.Home != nil {
		home = fmt.Sprintf("(%d,%d)", p.Home.X, p.Home.Y)
	}
	access := p.Access.String()
	if access == "" {
		access = "none"
	}
	return fmt.Sprintf("%s (%d) [%s] home=%s likes %s access=%s", p.Name, p.Age, strings.Join(p.Tags, ","), home, p.Favourite, access), nil
}

func (kitchenHost) Birthday(_ context.Context, p kitchenapp.Person) (kitchenapp.Person, error) {
	p.Age++
	p.Tags = append(slices.Clone(p.Tags), "older")
	if p.Home == nil {
		p.Home = &kPoint{}
	} else {
		p.Home = &kPoint{X: p.Home.X + 1, Y: p.Home.Y - 1}
	}
	p.Access ^= kitchenapp.PermsWrite
	return p, nil
}

func (kitchenHost) NextColor(_ context.Context, c kitchenapp.Color) (kitchenapp.Color, error) {
	return (c + 1) % 3, nil
}

func (kitchenHost) Toggle(_ context.Context, p, which kitchenapp.Perms) (kitchenapp.Perms, error) {
	return p ^ which, nil
}

func (kitchenHost) Area(_ context.Context, s kShape) (float64, error) {
	switch s := s.(type) {
	case kitchenapp.ShapeCircle:
		return math.Pi * s.Value * s.Value, nil
	case kitchenapp.ShapeRect:
		return float64(s.Value.F0) * float64(s.Value.F1), nil
	case kitchenapp.ShapePolygon:
		var a float64
		for i, p := range s.Value {
			q := s.Value[(i+1)%len(s.Value)]
			a += float64(p.X)*float64(q.Y) - float64(q.X)*float64(p.Y)
		}
		return math.Abs(a) / 2, nil
	}
	return 0, nil
}

func (kitchenHost) Mirror(_ context.Context, shapes []kShape) ([]kShape, error) {
	var out []kShape
	for _, s := range shapes {
		switch s := s.(type) {
		case kitchenapp.ShapeCircle:
			out = append(out, kitchenapp.ShapeCircle{Value: -s.Value})
		case kitchenapp.ShapeRect:
			out = append(out, kitchenapp.ShapeRect{Value: kitchenapp.Tuple2[float32, float32]{F0: s.Value.F1, F1: s.Value.F0}})
		case kitchenapp.ShapePolygon:
			var ps []kPoint
			for _, p := range s.Value {
				ps = append(ps, kPoint{X: -p.X, Y: p.Y})
			}
			out = append(out, kitchenapp.ShapePolygon{Value: ps})
		default:
			out = append(out, kitchenapp.ShapeDot{})
		}
	}
	return out, nil
}

func (kitchenHost) Find(_ context.Context, items []string, needle string) (*uint32, error) {
	i := slices.Index(items, needle)
	if i < 0 {
		return nil, nil
	}
	u := uint32(i)
	return &u, nil
}

func (kitchenHost) MaybeMaybe(_ context.Context, depth uint8) (**uint32, error) {
	switch depth {
	case 0:
		return nil, nil
	case 1:
		var none *uint32
		return &none, nil
	}
	v := uint32(depth) * 100
	p := &v
	return &p, nil
}

func (kitchenHost) SafeDiv(_ context.Context, a, b int32) (kitchenapp.Result[int32, string], error) {
	if b == 0 {
		return kitchenapp.Err[int32]("division by zero"), nil
	}
	return kitchenapp.OK[int32, string](a / b), nil
}

func (kitchenHost) ParsePoint(_ context.Context, s string) (kitchenapp.Result[kPoint, kitchenapp.ParseError], error) {
	if s == "" {
		return kitchenapp.Err[kPoint](kitchenapp.ParseErrorEmpty), nil
	}
	parts := strings.Split(s, ",")
	if len(parts) != 2 {
		return kitchenapp.Err[kPoint](kitchenapp.ParseErrorMissingComma), nil
	}
	var xy [2]int32
	for i, part := range parts {
		part = strings.TrimSpace(part)
		if part == "" {
			continue // Number("") is 0 in JavaScript
		}
		f, err := strconv.ParseFloat(part, 64)
		if err != nil || f != math.Trunc(f) || math.IsInf(f, 0) {
			return kitchenapp.Err[kPoint](kitchenapp.ParseErrorBadNumber), nil
		}
		xy[i] = int32(f)
	}
	return kitchenapp.OK[kPoint, kitchenapp.ParseError](kPoint{X: xy[0], Y: xy[1]}), nil
}

func (kitchenHost) Check(_ context.Context, ok bool) (kitchenapp.Result[struct{}, struct{}], error) {
	if !ok {
		return kitchenapp.Err[struct{}](struct{}{}), nil
	}
	return kitchenapp.OK[struct{}, struct{}](struct{}{}), nil
}

func (kitchenHost) Swap(_ context.Context, t kitchenapp.Tuple2[uint64, string]) (kitchenapp.Tuple2[string, uint64], error) {
	return kitchenapp.Tuple2[string, uint64]{F0: t.F1, F1: t.F0}, nil
}

func (kitchenHost) MinMax(_ context.Context, xs []int64) (*kitchenapp.Tuple2[int64, int64], error) {
	if len(xs) == 0 {
		return nil, nil
	}
	return &kitchenapp.Tuple2[int64, int64]{F0: slices.Min(xs), F1: slices.Max(xs)}, nil
}

func (kitchenHost) NewCounter(_ context.Context, name string, start int64) (kitchenapp.Counter, error) {
	return &counter{name: name, value: start}, nil
}

func (kitchenHost) CounterMerge(ctx context.Context, a, b kitchenapp.Counter) (kitchenapp.Counter, error) {
	an, _ := a.Name(ctx)
	bn, _ := b.Name(ctx)
	av, _ := a.Get(ctx)
	bv, _ := b.Get(ctx)
	return &counter{name: an + "+" + bn, value: av + bv}, nil
}

func (kitchenHost) Total(ctx context.Context, cs []kitchenapp.Counter) (int64, error) {
	var t int64
	for _, c := range cs {
		v, _ := c.Get(ctx)
		t += v
	}
	return t, nil
}

func (kitchenHost) MakeCounters(_ context.Context, names []string) ([]kitchenapp.Counter, error) {
	var out []kitchenapp.Counter
	for i, n := range names {
		out = append(out, &counter{name: n, value: int64(i * 10)})
	}
	return out, nil
}

// TestKitchenAppWithGoHost runs kitchen-app with its corpus:kitchen/api
// import implemented in Go through the generated bindings: a Go host
// standing in for kitchen-lib must print the same transcript as the
// composition of the two components.
func TestKitchenAppWithGoHost(t *testing.T) {
	rt, ctx := newRuntime(t)
	var out, errb bytes.Buffer
	l := host.NewLinker()
	if err := wasi.Register(l, wasi.Config{Args: []string{"kitchen-app"}, Stdout: &out, Stderr: &errb}); err != nil {
		t.Fatal(err)
	}
	in, err := kitchenapp.Instantiate(ctx, rt, l, corpus(t, "kitchen-app.wasm"), kitchenapp.Imports{API: kitchenHost{}})
	if err != nil {
		t.Fatal(err)
	}
	res, err := in.Run().Run(ctx)
	if err != nil {
		t.Fatalf("run: %v\nstderr: %s", err, errb.String())
	}
	if res.IsErr {
		t.Fatalf("run returned an error; stderr: %s", errb.String())
	}
	if want := expected(t, "kitchen-app+kitchen-lib.stdout"); out.String() != want {
		t.Errorf("kitchen-app with a Go host: transcript differs:\n%s", firstDiff(want, out.String()))
	}
}
