package wasihttp

import (
	"context"
	_ "embed"
	"fmt"
	"sync"

	"github.com/witc-dev/witc/canonabi"
	"github.com/witc-dev/witc/component/check"
	"github.com/witc-dev/witc/host"
	"github.com/witc-dev/witc/wit"
)

// The functions are typed by wasi:http's own WIT (`make wasi-wit` builds
// wit/wasi-http-0.2.12.wasm from the WASI WIT files, without docs).
//
//go:embed wit/wasi-http-0.2.12.wasm
var witPackage []byte

// Version is the wasi:http version the interfaces are registered at;
// imports of any 0.2.x version link to them.
const Version = "0.2.12"

var witInterfaces = sync.OnceValues(func() (map[string]*wit.Interface, error) {
	res, _, err := check.DecodeWIT(witPackage)
	if err != nil {
		return nil, fmt.Errorf("decoding wasi:http's WIT: %w", err)
	}
	return res.InterfacesByName(), nil
})

// registrar defines the functions of one interface, typed by the WIT.
type registrar struct {
	l     *host.Linker
	name  string
	iface *wit.Interface
}

func newRegistrar(l *host.Linker, ifaces map[string]*wit.Interface, name string) *registrar {
	name += "@" + Version
	it := ifaces[name]
	if it == nil {
		panic("wasihttp: the WIT has no interface " + name)
	}
	return &registrar{l: l, name: name, iface: it}
}

// args are a call's arguments.
type args []canonabi.Value

func (a args) res(i int) host.Resource { r, _ := a[i].(host.Resource); return r }
func (a args) str(i int) string        { s, _ := a[i].(string); return s }
func (a args) u16(i int) uint16        { v, _ := a[i].(uint16); return v }

// bytes converts a list<u8> argument.
func (a args) bytes(i int) []byte { return bytesOf(a[i]) }

func bytesOf(v canonabi.Value) []byte {
	switch l := v.(type) {
	case []byte:
		return l
	case canonabi.List:
		b := make([]byte, len(l))
		for i, x := range l {
			b[i], _ = x.(uint8)
		}
		return b
	}
	return nil
}

// fn defines function name of the interface. f returns the function's
// result (ignored when it has none); its error traps.
func (r *registrar) fn(name string, f func(ctx context.Context, a args) (canonabi.Value, error)) {
	typ := r.iface.Function(name)
	if typ == nil {
		panic(fmt.Sprintf("wasihttp: %s has no function %s", r.name, name))
	}
	r.l.Func(r.name, name, typ, func(ctx context.Context, in []canonabi.Value) ([]canonabi.Value, error) {
		v, err := f(ctx, args(in))
		if err != nil || typ.Result == nil {
			return nil, err
		}
		return []canonabi.Value{v}, nil
	})
}

// Values of option and result.
func some(v canonabi.Value) canonabi.Value   { return canonabi.Variant{Case: 1, Payload: v} }
func ok(v canonabi.Value) canonabi.Value     { return canonabi.Variant{Case: 0, Payload: v} }
func failed(v canonabi.Value) canonabi.Value { return canonabi.Variant{Case: 1, Payload: v} }

var none canonabi.Value = canonabi.Variant{Case: 0}

// optString is an option<string> argument ("", false for none).
func optString(v canonabi.Value) (string, bool) {
	o, _ := v.(canonabi.Variant)
	if o.Case == 0 {
		return "", false
	}
	s, _ := o.Payload.(string)
	return s, true
}

func optStringValue(s string, set bool) canonabi.Value {
	if !set {
		return none
	}
	return some(s)
}
