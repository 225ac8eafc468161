package canonabi

import (
	"strconv"
	"strings"

	"github.com/witc-dev/witc/wit"
)

// Shape describes a function's type structurally: every type spelled out
// (`record{x: s32, y: s32}`, `variant{circle(f64), dot}`), without the
// names of type definitions, of parameters and of resources. Two
// descriptions of one function — the WIT that bindings were generated
// from, the type a component actually has — can then be compared:
// generated bindings check at link time that they fit the component.
func Shape(f *wit.Function) string {
	var b strings.Builder
	b.WriteByte('(')
	for i, p := range f.Params {
		if i > 0 {
			b.WriteString(", ")
		}
		shape(&b, p.Type, 0)
	}
	b.WriteByte(')')
	if f.Result != nil {
		b.WriteString(" -> ")
		shape(&b, f.Result, 0)
	}
	return b.String()
}

func shape(b *strings.Builder, t wit.Type, depth int) {
	if depth > 100 {
		b.WriteString("…")
		return
	}
	list := func(open string, ts []wit.Type) {
		b.WriteString(open)
		for i, e := range ts {
			if i > 0 {
				b.WriteString(", ")
			}
			shape(b, e, depth+1)
		}
		b.WriteByte('>')
	}
	opt := func(t wit.Type) {
		if t == nil {
			b.WriteByte('_')
			return
		}
		shape(b, t, depth+1)
	}
	switch t := wit.Resolved(t).(type) {
	case wit.Primitive:
		b.WriteString(t.String())
	case *wit.TypeDef:
		switch k := t.Kind.(type) {
		case *wit.Record:
			b.WriteString("record{")
			for i, f := range k.Fields {
				if i > 0 {
					b.WriteString(", ")
				}
				b.WriteString(f.Name + ": ")
				shape(b, f.Type, depth+1)
			}
			b.WriteByte('}')
		case *wit.Variant:
			b.WriteString("variant{")
			for i, c := range k.Cases {
				if i > 0 {
					b.WriteString(", ")
				}
				b.WriteString(c.Name)
				if c.Type != nil {
					b.WriteByte('(')
					shape(b, c.Type, depth+1)
					b.WriteByte(')')
				}
			}
			b.WriteByte('}')
		case *wit.Enum:
			var names []string
			for _, c := range k.Cases {
				names = append(names, c.Name)
			}
			b.WriteString("enum{" + strings.Join(names, ", ") + "}")
		case *wit.Flags:
			var names []string
			for _, f := range k.Flags {
				names = append(names, f.Name)
			}
			b.WriteString("flags{" + strings.Join(names, ", ") + "}")
		case *wit.Tuple:
			list("tuple<", k.Types)
		case *wit.List:
			list("list<", []wit.Type{k.Elem})
		case *wit.FixedList:
			b.WriteString("list<")
			shape(b, k.Elem, depth+1)
			b.WriteString(", " + strconv.Itoa(int(k.Len)) + ">")
		case *wit.Map:
			list("map<", []wit.Type{k.Key, k.Value})
		case *wit.Option:
			list("option<", []wit.Type{k.Type})
		case *wit.Result:
			b.WriteString("result<")
			opt(k.OK)
			b.WriteString(", ")
			opt(k.Err)
			b.WriteByte('>')
		case *wit.Handle:
			if k.Kind == wit.Own {
				b.WriteString("own")
			} else {
				b.WriteString("borrow")
			}
		case *wit.Resource:
			b.WriteString("resource")
		case *wit.Future:
			b.WriteString("future<")
			opt(k.Type)
			b.WriteByte('>')
		case *wit.Stream:
			b.WriteString("stream<")
			opt(k.Type)
			b.WriteByte('>')
		default:
			b.WriteString("?")
		}
	default:
		b.WriteString("?")
	}
}
