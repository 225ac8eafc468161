package wave

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/witc-dev/witc/canonabi"
	"github.com/witc-dev/witc/wit"
)

// keywords must be written with a leading % when used as labels.
var keywords = map[string]bool{
	"true": true, "false": true, "inf": true, "nan": true,
	"some": true, "none": true, "ok": true, "err": true,
}

func label(s string) string {
	if keywords[s] {
		return "%" + s
	}
	return s
}

// Format returns the WAVE text of v, a value of type t.
func Format(t wit.Type, v canonabi.Value) (string, error) {
	var b strings.Builder
	if err := format(&b, t, v, 0); err != nil {
		return "", err
	}
	return b.String(), nil
}

// FormatValues formats several values separated by ", ".
func FormatValues(ts []wit.Type, vs []canonabi.Value) (string, error) {
	if len(ts) != len(vs) {
		return "", fmt.Errorf("wave: %d types for %d values", len(ts), len(vs))
	}
	parts := make([]string, len(vs))
	for i := range vs {
		s, err := Format(ts[i], vs[i])
		if err != nil {
			return "", err
		}
		parts[i] = s
	}
	return strings.Join(parts, ", "), nil
}

func mismatch(want string, v canonabi.Value) error {
	return fmt.Errorf("wave: cannot format %T as %s", v, want)
}

func format(b *strings.Builder, t wit.Type, v canonabi.Value, depth int) error {
	if depth > 1000 {
		return fmt.Errorf("wave: value nested too deeply")
	}
	switch t := wit.Resolved(t).(type) {
	case wit.Primitive:
		return formatPrimitive(b, t, v)
	case *wit.TypeDef:
		switch k := t.Kind.(type) {
		case *wit.Record:
			vs, ok := v.(canonabi.Record)
			if !ok || len(vs) != len(k.Fields) {
				return mismatch("record", v)
			}
			if len(vs) == 0 {
				b.WriteString("{}")
				return nil
			}
			b.WriteByte('{')
			for i, f := range k.Fields {
				if i > 0 {
					b.WriteString(", ")
				}
				b.WriteString(label(f.Name) + ": ")
				if err := format(b, f.Type, vs[i], depth+1); err != nil {
					return err
				}
			}
			b.WriteByte('}')
			return nil
		case *wit.Tuple:
			vs, ok := v.(canonabi.Tuple)
			if !ok || len(vs) != len(k.Types) {
				return mismatch("tuple", v)
			}
			b.WriteByte('(')
			for i, et := range k.Types {
				if i > 0 {
					b.WriteString(", ")
				}
				if err := format(b, et, vs[i], depth+1); err != nil {
					return err
				}
			}
			b.WriteByte(')')
			return nil
		case *wit.List, *wit.FixedList:
			vs, ok := v.(canonabi.List)
			if !ok {
				return mismatch("list", v)
			}
			elem := listElem(k)
			b.WriteByte('[')
			for i, e := range vs {
				if i > 0 {
					b.WriteString(", ")
				}
				if err := format(b, elem, e, depth+1); err != nil {
					return err
				}
			}
			b.WriteByte(']')
			return nil
		case *wit.Map:
			vs, ok := v.(canonabi.List)
			if !ok {
				return mismatch("map", v)
			}
			if len(vs) == 0 {
				b.WriteString("{:}")
				return nil
			}
			b.WriteByte('{')
			for i, e := range vs {
				kv, ok := e.(canonabi.Tuple)
				if !ok || len(kv) != 2 {
					return mismatch("map entry", e)
				}
				if i > 0 {
					b.WriteString(", ")
				}
				if err := format(b, k.Key, kv[0], depth+1); err != nil {
					return err
				}
				b.WriteString(": ")
				if err := format(b, k.Value, kv[1], depth+1); err != nil {
					return err
				}
			}
			b.WriteByte('}')
			return nil
		case *wit.Flags:
			f, ok := v.(canonabi.Flags)
			if !ok {
				return mismatch("flags", v)
			}
			b.WriteByte('{')
			n := 0
			for i, fl := range k.Flags {
				if f.Has(i) {
					if n > 0 {
						b.WriteString(", ")
					}
					b.WriteString(label(fl.Name))
					n++
				}
			}
			b.WriteByte('}')
			return nil
		case *wit.Variant, *wit.Enum, *wit.Option, *wit.Result:
			vv, ok := v.(canonabi.Variant)
			if !ok {
				return mismatch("variant", v)
			}
			cs := cases(k)
			if int(vv.Case) >= len(cs) {
				return mismatch("variant case", v)
			}
			c := cs[vv.Case]
			b.WriteString(c.name)
			if c.payload != nil {
				b.WriteByte('(')
				if err := format(b, c.payload, vv.Payload, depth+1); err != nil {
					return err
				}
				b.WriteByte(')')
			}
			return nil
		case *wit.Handle, *wit.Resource, *wit.Future, *wit.Stream:
			h, ok := v.(canonabi.Handle)
			if !ok {
				return mismatch("handle", v)
			}
			// WAVE has no syntax for handles; show them as opaque values.
			fmt.Fprintf(b, "<handle %d>", uint32(h))
			return nil
		}
	}
	return mismatch("an invalid type", v)
}

type caseInfo struct {
	name    string
	payload wit.Type
}

// cases lists the cases of a variant-like type with their WAVE names.
func cases(k wit.TypeDefKind) []caseInfo {
	switch k := k.(type) {
	case *wit.Variant:
		cs := make([]caseInfo, len(k.Cases))
		for i, c := range k.Cases {
			cs[i] = caseInfo{label(c.Name), c.Type}
		}
		return cs
	case *wit.Enum:
		cs := make([]caseInfo, len(k.Cases))
		for i, c := range k.Cases {
			cs[i] = caseInfo{label(c.Name), nil}
		}
		return cs
	case *wit.Option:
		return []caseInfo{{"none", nil}, {"some", k.Type}}
	case *wit.Result:
		return []caseInfo{{"ok", k.OK}, {"err", k.Err}}
	}
	return nil
}

func listElem(k wit.TypeDefKind) wit.Type {
	switch k := k.(type) {
	case *wit.List:
		return k.Elem
	case *wit.FixedList:
		return k.Elem
	}
	return nil
}

func formatPrimitive(b *strings.Builder, p wit.Primitive, v canonabi.Value) error {
	switch x := v.(type) {
	case bool:
		if p == wit.Bool {
			b.WriteString(strconv.FormatBool(x))
			return nil
		}
	case uint8, uint16, uint32, uint64, int8, int16, int32, int64:
		if isInt(p) && intFits(p, x) {
			fmt.Fprintf(b, "%d", x)
			return nil
		}
	case float32:
		if p == wit.F32 {
			b.WriteString(formatFloat(float64(x), 32))
			return nil
		}
	case float64:
		if p == wit.F64 {
			b.WriteString(formatFloat(x, 64))
			return nil
		}
	case canonabi.Char:
		if p == wit.Char {
			b.WriteByte('\'')
			writeEscaped(b, rune(x), '\'')
			b.WriteByte('\'')
			return nil
		}
	case string:
		if p == wit.String {
			b.WriteByte('"')
			for _, r := range x {
				writeEscaped(b, r, '"')
			}
			b.WriteByte('"')
			return nil
		}
	case canonabi.Handle:
		if p == wit.ErrorContext {
			fmt.Fprintf(b, "<error-context %d>", uint32(x))
			return nil
		}
	}
	return mismatch(p.String(), v)
}

func isInt(p wit.Primitive) bool { return p >= wit.U8 && p <= wit.S64 }

// intFits reports whether the Go integer type of x is the one canonabi uses for p.
func intFits(p wit.Primitive, x canonabi.Value) bool {
	switch x.(type) {
	case uint8:
		return p == wit.U8
	case uint16:
		return p == wit.U16
	case uint32:
		return p == wit.U32
	case uint64:
		return p == wit.U64
	case int8:
		return p == wit.S8
	case int16:
		return p == wit.S16
	case int32:
		return p == wit.S32
	case int64:
		return p == wit.S64
	}
	return false
}

func formatFloat(f float64, bits int) string {
	switch {
	case math.IsNaN(f):
		return "nan"
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	}
	return strconv.FormatFloat(f, 'g', -1, bits)
}

func writeEscaped(b *strings.Builder, r rune, quote rune) {
	switch {
	case r == quote:
		b.WriteByte('\\')
		b.WriteRune(r)
	case r == '\\':
		b.WriteString(`\\`)
	case r == '\n':
		b.WriteString(`\n`)
	case r == '\r':
		b.WriteString(`\r`)
	case r == '\t':
		b.WriteString(`\t`)
	case r < 0x20 || r == 0x7f:
		fmt.Fprintf(b, `\u{%x}`, r)
	default:
		b.WriteRune(r)
	}
}
