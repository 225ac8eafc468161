package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/witc-dev/witc/component"
)

// TestRunArgv0: --argv0 is the command's program name; without it the
// name is the file's.
func TestRunArgv0(t *testing.T) {
	file := filepath.Join("..", "..", "internal", "producers", "testdata", "c-hello.wasm")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"run", "--no-cache", "--argv0", "my prog", file, "argv0"}, "argv[0]: my prog\n"},
		{[]string{"run", "--no-cache", file, "argv0"}, "argv[0]: c-hello.wasm\n"},
	} {
		code, stdout, stderr := runWitc(tc.args...)
		want := "c-hello: 1 args\narg 1: argv0\n" + tc.want + "GREETING is not set\nc-hello: done\n"
		if code != 0 || stdout != want {
			t.Errorf("witc %q: exit status %d, stdout %q, stderr %q; want %q", tc.args, code, stdout, stderr, want)
		}
	}
}

// nested is a component nesting levels components, each instantiating the
// one below twice: 2^(levels+1)-2 component instances.
func nested(levels int) []byte {
	c := &component.Component{}
	for range levels {
		c = &component.Component{Sections: []component.Section{
			&component.ComponentSection{Component: c},
			&component.InstanceSection{Instances: []component.Instance{{Instantiate: true}, {Instantiate: true}}},
		}}
	}
	return component.Encode(c)
}

// TestRunMaxInstances: a component creating more instances than
// --max-instances (10000 by default) is refused before it runs.
func TestRunMaxInstances(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	bomb := write("bomb.wasm", nested(30))
	small := write("small.wasm", nested(3)) // 14 instances
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"run", "--no-cache", bomb}, "witc: " + bomb + ": the component creates more than 10000 instances (core and component instances together), the limit of one instantiation; --max-instances raises the limit\n"},
		{[]string{"run", "--no-cache", "--max-instances", "13", small}, "witc: " + small + ": the component creates more than 13 instances (core and component instances together), the limit of one instantiation; --max-instances raises the limit\n"},
	} {
		code, _, stderr := runWitc(tc.args...)
		if code != 1 || stderr != tc.want {
			t.Errorf("witc %q: exit status %d, stderr %q; want 1, %q", tc.args, code, stderr, tc.want)
		}
	}
	// Within the limit it instantiates (and is no command).
	if _, _, stderr := runWitc("run", "--no-cache", "--max-instances", "14", small); !strings.HasPrefix(stderr, "witc: "+small+" is not a command") {
		t.Errorf("witc run --max-instances 14: %q", stderr)
	}
}
