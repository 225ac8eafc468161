// Package synthwit makes the synthetic WIT package that witc's WIT
// benchmarks measure (loader's BenchmarkLoadSynthetic and the whole-process
// comparisons of internal/procbench).
package synthwit

import (
	"fmt"
	"strings"
)

// Package returns a deterministic WIT package of n interfaces, each
// with records, a variant, an enum, flags, a resource with a constructor,
// methods and a static function, free functions and a `use` of the
// previous interface's types, followed by a world importing and exporting
// some of them. 1000 interfaces make 614 KB.
func Package(n int) []byte {
	var b strings.Builder
	b.WriteString("package synth:bench@1.0.0;\n\n")
	for i := range n {
		fmt.Fprintf(&b, "/// Iface %d.\ninterface iface%d {\n", i, i)
		if i > 0 {
			fmt.Fprintf(&b, "\tuse iface%d.{point%d, shape%d as prev, handle%d};\n", i-1, i-1, i-1, i-1)
		}
		fmt.Fprintf(&b, "\trecord point%d {\n\t\tx: s32,\n\t\ty: s32,\n\t}\n", i)
		fmt.Fprintf(&b, "\tvariant shape%d {\n\t\tcircle(f32),\n\t\tsquare(tuple<u32, u32>),\n\t\tpoly(list<point%d>),\n\t}\n", i, i)
		fmt.Fprintf(&b, "\tenum color%d { red, green, blue }\n", i)
		fmt.Fprintf(&b, "\tflags access%d { read, write }\n", i)
		fmt.Fprintf(&b, "\tresource handle%d {\n\t\tconstructor(name: string);\n\t\tat: func() -> point%d;\n\t\topen: static func(id: u64, mode: access%d) -> result<handle%d, string>;\n\t}\n", i, i, i, i)
		fmt.Fprintf(&b, "\tarea: func(s: shape%d) -> f64;\n", i)
		fmt.Fprintf(&b, "\tlookup: func(h: borrow<handle%d>) -> result<u32, color%d>;\n", i, i)
		if i > 0 {
			fmt.Fprintf(&b, "\tconvert: func(p: point%d, s: prev, h: own<handle%d>) -> shape%d;\n", i-1, i-1, i)
		}
		b.WriteString("}\n\n")
	}
	b.WriteString("world synth {\n")
	for i := 0; i < n; i += 10 {
		fmt.Fprintf(&b, "\timport iface%d;\n", i)
	}
	fmt.Fprintf(&b, "\texport iface%d;\n  export run: func(args: list<string>) -> result;\n}\n", n-1)
	return []byte(b.String())
}
