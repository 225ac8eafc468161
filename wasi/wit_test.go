package wasi

import (
	"io"
	"strings"
	"testing"

	"github.com/witc-dev/witc/host"
)

// TestGoTypesFit: a Go function whose parameters do not fit the WIT type
// of the function it is registered as is refused when it is registered.
func TestGoTypesFit(t *testing.T) {
	ifaces, err := witInterfaces()
	if err != nil {
		t.Fatal(err)
	}
	s := &state{}
	r := s.registrar(host.NewLinker(), ifaces, "wasi:io/streams")
	for _, c := range []struct {
		name     string
		register func()
		want     string
	}{
		{"another resource", func() {
			fn1(r, "[method]input-stream.subscribe", func(io.Writer) (host.Resource, error) { return host.Resource{}, nil })
		}, "a Go *io.Writer cannot take parameter 0"},
		{"another integer", func() {
			fn2(r, "[method]input-stream.read", func(io.Reader, uint8) ([]byte, error) { return nil, nil })
		}, "a Go *uint8 cannot take parameter 1"},
		{"a parameter missing", func() {
			fn1(r, "[method]input-stream.read", func(io.Reader) ([]byte, error) { return nil, nil })
		}, "takes 2 parameters, more than its Go function"},
		{"a parameter too many", func() {
			fn3(r, "[method]input-stream.read", func(io.Reader, uint64, uint64) ([]byte, error) { return nil, nil })
		}, "a Go *uint64 cannot take parameter 2"},
	} {
		func() {
			defer func() {
				if p := recover(); p == nil || !strings.Contains(p.(string), c.want) {
					t.Errorf("%s: got %v, want a panic saying %q", c.name, p, c.want)
				}
			}()
			c.register()
		}()
	}
}
