package spectest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/witc-dev/witc/host"
)

// A component with two exports, hand-encoded: `f` returns u32 42, `t`
// traps (unreachable).
var testComponent = func() []byte {
	vec := func(n int, items ...[]byte) []byte {
		b := []byte{byte(n)}
		for _, it := range items {
			b = append(b, it...)
		}
		return b
	}
	section := func(id byte, body []byte) []byte { return append([]byte{id, byte(len(body))}, body...) }
	name := func(s string) []byte { return append([]byte{byte(len(s))}, s...) }
	core := []byte("\x00asm\x01\x00\x00\x00")
	core = append(core, section(1, vec(1, []byte{0x60, 0, 1, 0x7f}))...)
	core = append(core, section(3, vec(2, []byte{0}, []byte{0}))...)
	core = append(core, section(7, vec(2, append(name("f"), 0, 0), append(name("t"), 0, 1)))...)
	core = append(core, section(10, vec(2, []byte{4, 0, 0x41, 42, 0x0b}, []byte{3, 0, 0x00, 0x0b}))...)
	b := []byte("\x00asm\x0d\x00\x01\x00")
	b = append(b, section(1, core)...)
	b = append(b, section(2, vec(1, []byte{0, 0, 0}))...)
	b = append(b, section(6, vec(2, append([]byte{0, 0, 1, 0}, name("f")...), append([]byte{0, 0, 1, 0}, name("t")...)))...)
	b = append(b, section(7, vec(1, []byte{0x40, 0, 0, 0x79}))...)
	b = append(b, section(8, vec(2, []byte{0, 0, 0, 0, 0}, []byte{0, 0, 1, 0, 0}))...)
	b = append(b, section(11, vec(2, append(append([]byte{0}, name("f")...), 1, 0, 0), append(append([]byte{0}, name("t")...), 1, 1, 0)))...)
	return b
}()

// wastBinary writes b as the strings of a `binary` module.
func wastBinary(b []byte) string {
	var s strings.Builder
	s.WriteByte('"')
	for _, c := range b {
		fmt.Fprintf(&s, "\\%02x", c)
	}
	s.WriteByte('"')
	return s.String()
}

func TestRunner(t *testing.T) {
	bin := wastBinary(testComponent)
	src := `(component $A binary ` + bin + `)
(assert_return (invoke "f") (u32.const 42))
(assert_return (invoke "f") (u32.const 41))
(assert_return (invoke "f") (s32.const 42))
(assert_return (invoke "g"))
(assert_return (invoke "f" (u32.const 1)) (u32.const 42))
(assert_trap (invoke "f") "unreachable")
(component definition $D binary ` + bin + `)
(component instance $i $D)
(assert_trap (invoke "t") "unreachable")
(assert_trap (invoke "f") "poisoned")
(assert_return (invoke $A "f") (u32.const 42))
(component binary "\00asm\0d\00\01\00\ff")
(assert_return (invoke "f") (u32.const 42))
(assert_trap (invoke "f") "x")
(assert_return (invoke $nope "f") (u32.const 42))
(assert_unlinkable (component binary ` + bin + `) "x")
(assert_trap (component (type (func))) "x")
`
	s, err := ParseScript("runner.wast", src)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	rt := host.NewRuntime(ctx, host.Options{})
	defer rt.Close(ctx)
	var got []string
	var insts []string
	r := &Runner{Runtime: rt, Cache: &Cache{Dir: t.TempDir()}, Instantiated: func(line int, err error) {
		insts = append(insts, fmt.Sprintf("%d %v", line, err == nil))
	}}
	r.Run(ctx, s, func(o Outcome) {
		msg, _, _ := strings.Cut(o.Msg, "\n")
		if o.Agree && o.Kind == "assert_trap" {
			msg = ""
		}
		got = append(got, fmt.Sprintf("%d %s %v %s", o.Line, o.Kind, o.Agree, msg))
	})
	want := []string{
		"2 assert_return true ",
		"3 assert_return false got 42, want 41",
		"4 assert_return false (s32.const 42) is not a value of type u32",
		"5 assert_return false the component exports no function `g` (exports: f, t)",
		"6 assert_return false `f` takes 0 arguments, the script passes 1",
		"7 assert_trap false returned instead of trapping",
		"10 assert_trap true ",
		"11 assert_trap true ",
		"12 assert_return true ",
		"14 assert_return false the component did not instantiate: at byte offset 0x9: ",
		"15 assert_trap false failed without a trap: the component did not instantiate: at byte offset 0x9: ",
		"16 assert_return false the component did not instantiate: no instance $nope",
		"17 assert_unlinkable false instantiated",
		"18 assert_trap false module not converted (run make spectest): ",
	}
	if len(got) != len(want) {
		t.Fatalf("outcomes:\n%s", strings.Join(got, "\n"))
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("outcome %d:\n got %s\nwant %s...", i, got[i], want[i])
		}
	}
	if strings.Join(insts, ",") != "1 true,9 true,13 false" {
		t.Errorf("instantiations: %v", insts)
	}
}
