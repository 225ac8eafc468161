package spectest

import (
	"fmt"
	"math"
	"math/big"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/witc-dev/witc/canonabi"
	"github.com/witc-dev/witc/wave"
	"github.com/witc-dev/witc/wit"
)

// Const is a component value constant of a script, as written: `u32.const
// 7`, `str.const "x"`, `record.const (field "a" u32.const 1)`, ... It has
// no type of its own beyond its kind; ToValue and Match read it at the WIT
// type of the parameter or result it stands for.
type Const struct {
	// Kind is the constant's type keyword: bool u8 ... s64 f32 f64 char
	// str list tuple record variant enum flags option result map.
	Kind string
	// Atom is a scalar's literal (number, true/false, nan:canonical ...).
	Atom string
	// Str is a string or char constant's text.
	Str string
	// Label is a variant's or enum's case, or option's/result's case
	// (some/none, ok/err).
	Label string
	// Labels are the flags that are set.
	Labels []string
	// Items are a list's, tuple's or map's elements, or the one payload
	// of a variant, option or result case.
	Items []*Const
	// Fields are a record's fields, in the order written.
	Fields []ConstField
}

// ConstField is a field of a record constant.
type ConstField struct {
	Name  string
	Value *Const
}

func (c *Const) String() string {
	switch c.Kind {
	case "str", "char":
		return fmt.Sprintf("(%s.const %q)", c.Kind, c.Str)
	case "record":
		var b strings.Builder
		b.WriteString("(record.const")
		for _, f := range c.Fields {
			fmt.Fprintf(&b, " (field %q %s)", f.Name, f.Value)
		}
		return b.String() + ")"
	case "flags":
		var b strings.Builder
		b.WriteString("(flags.const")
		for _, l := range c.Labels {
			fmt.Fprintf(&b, " %q", l)
		}
		return b.String() + ")"
	case "option", "result":
		s := "(" + c.Kind + "." + c.Label
		for _, it := range c.Items {
			s += " " + it.String()
		}
		return s + ")"
	}
	var b strings.Builder
	b.WriteString("(" + c.Kind + ".const")
	if c.Label != "" {
		fmt.Fprintf(&b, " %q", c.Label)
	}
	if c.Atom != "" {
		b.WriteString(" " + c.Atom)
	}
	for _, it := range c.Items {
		b.WriteString(" " + it.String())
	}
	return b.String() + ")"
}

// parseConst reads a parenthesized constant.
func parseConst(n *node) (*Const, error) {
	if !n.list || len(n.kids) == 0 || n.kids[0].list || n.kids[0].str {
		return nil, fmt.Errorf("line %d: expected a value constant", n.line)
	}
	return constOf(n.kids[0], n.kids[1:], n.line)
}

// constOf reads a constant from its head keyword and its arguments (in a
// record field the value is written without parentheses of its own).
func constOf(head *node, args []*node, line int) (*Const, error) {
	kind, form, ok := strings.Cut(head.text, ".")
	if !ok {
		return nil, fmt.Errorf("line %d: `%s` is not a value constant", line, head.text)
	}
	c := &Const{Kind: kind}
	bad := func() (*Const, error) {
		return nil, fmt.Errorf("line %d: malformed `%s`", line, head.text)
	}
	consts := func(ns []*node) error {
		for _, n := range ns {
			v, err := parseConst(n)
			if err != nil {
				return err
			}
			c.Items = append(c.Items, v)
		}
		return nil
	}
	switch {
	case kind == "option" && (form == "none" || form == "some"),
		kind == "result" && (form == "ok" || form == "err"):
		c.Label = form
		if form == "none" && len(args) != 0 || len(args) > 1 || form == "some" && len(args) != 1 {
			return bad()
		}
		return c, consts(args)
	case form != "const":
		return bad()
	}
	switch kind {
	case "bool", "u8", "s8", "u16", "s16", "u32", "s32", "u64", "s64", "f32", "f64":
		if len(args) != 1 || args[0].list || args[0].str {
			return bad()
		}
		c.Atom = args[0].text
	case "char", "str":
		if len(args) != 1 || !args[0].str {
			return bad()
		}
		c.Str = args[0].text
		if kind == "char" && utf8.RuneCountInString(c.Str) != 1 {
			return bad()
		}
	case "list", "tuple", "map":
		return c, consts(args)
	case "record":
		for _, f := range args {
			if f.head() != "field" || len(f.kids) < 3 || !f.kids[1].str {
				return bad()
			}
			var v *Const
			var err error
			if f.kids[2].list && len(f.kids) == 3 {
				v, err = parseConst(f.kids[2])
			} else if !f.kids[2].list && !f.kids[2].str {
				v, err = constOf(f.kids[2], f.kids[3:], f.line)
			} else {
				return bad()
			}
			if err != nil {
				return nil, err
			}
			c.Fields = append(c.Fields, ConstField{Name: f.kids[1].text, Value: v})
		}
	case "variant":
		if len(args) < 1 || !args[0].str || len(args) > 2 {
			return bad()
		}
		c.Label = args[0].text
		return c, consts(args[1:])
	case "enum":
		if len(args) != 1 || !args[0].str {
			return bad()
		}
		c.Label = args[0].text
	case "flags":
		for _, a := range args {
			if !a.str {
				return bad()
			}
			c.Labels = append(c.Labels, a.text)
		}
	default:
		return bad()
	}
	return c, nil
}

// deref follows type aliases to the type's definition: a Primitive or a
// TypeDefKind other than *wit.Alias.
func deref(t wit.Type) any {
	r := wit.Resolved(t)
	if td, ok := r.(*wit.TypeDef); ok {
		return td.Kind
	}
	return r
}

// ToValue converts a constant to the value of type t it stands for.
func ToValue(t wit.Type, c *Const) (canonabi.Value, error) {
	mismatch := func() (canonabi.Value, error) {
		return nil, fmt.Errorf("%s is not a value of type %s", c, wit.TypeString(t))
	}
	switch k := deref(t).(type) {
	case wit.Primitive:
		return primitive(k, c)
	case *wit.List:
		if c.Kind != "list" {
			return mismatch()
		}
		return values(len(c.Items), func(int) wit.Type { return k.Elem }, c.item)
	case *wit.FixedList:
		if c.Kind != "list" || len(c.Items) != int(k.Len) {
			return mismatch()
		}
		return values(len(c.Items), func(int) wit.Type { return k.Elem }, c.item)
	case *wit.Map:
		if c.Kind != "map" && c.Kind != "list" {
			return mismatch()
		}
		kv := &wit.TypeDef{Kind: &wit.Tuple{Types: []wit.Type{k.Key, k.Value}}}
		return values(len(c.Items), func(int) wit.Type { return kv }, c.item)
	case *wit.Tuple:
		if c.Kind != "tuple" || len(c.Items) != len(k.Types) {
			return mismatch()
		}
		vs, err := values(len(k.Types), func(i int) wit.Type { return k.Types[i] }, c.item)
		return canonabi.Tuple(vs), err
	case *wit.Record:
		if c.Kind != "record" || len(c.Fields) != len(k.Fields) {
			return mismatch()
		}
		for i, f := range k.Fields {
			if c.Fields[i].Name != f.Name {
				return nil, fmt.Errorf("%s: field %d is `%s`, not `%s`", c, i, c.Fields[i].Name, f.Name)
			}
		}
		vs, err := values(len(k.Fields), func(i int) wit.Type { return k.Fields[i].Type }, func(i int) *Const { return c.Fields[i].Value })
		return canonabi.Record(vs), err
	case *wit.Flags:
		if c.Kind != "flags" {
			return mismatch()
		}
		out := make(canonabi.Flags, (len(k.Flags)+31)/32)
	labels:
		for _, l := range c.Labels {
			for i, f := range k.Flags {
				if f.Name == l {
					out[i/32] |= 1 << (i % 32)
					continue labels
				}
			}
			return nil, fmt.Errorf("%s: no flag `%s` in %s", c, l, wit.TypeString(t))
		}
		return out, nil
	case *wit.Enum:
		if c.Kind != "enum" {
			return mismatch()
		}
		for i, e := range k.Cases {
			if e.Name == c.Label {
				return canonabi.Variant{Case: uint32(i)}, nil
			}
		}
		return nil, fmt.Errorf("%s: no case `%s` in %s", c, c.Label, wit.TypeString(t))
	case *wit.Variant:
		if c.Kind != "variant" {
			return mismatch()
		}
		for i, cs := range k.Cases {
			if cs.Name == c.Label {
				return payload(uint32(i), cs.Type, c)
			}
		}
		return nil, fmt.Errorf("%s: no case `%s` in %s", c, c.Label, wit.TypeString(t))
	case *wit.Option:
		switch {
		case c.Kind == "option" && c.Label == "none", c.Kind == "variant" && c.Label == "none":
			return payload(0, nil, c)
		case c.Kind == "option" && c.Label == "some", c.Kind == "variant" && c.Label == "some":
			return payload(1, k.Type, c)
		}
		return mismatch()
	case *wit.Result:
		switch {
		case (c.Kind == "result" || c.Kind == "variant") && c.Label == "ok":
			return payload(0, k.OK, c)
		case (c.Kind == "result" || c.Kind == "variant") && c.Label == "err":
			return payload(1, k.Err, c)
		}
		return mismatch()
	}
	return nil, fmt.Errorf("%s: values of type %s cannot be written in a script", c, wit.TypeString(t))
}

func (c *Const) item(i int) *Const { return c.Items[i] }

// values converts n constants, the i-th one item(i) of type typ(i).
func values(n int, typ func(int) wit.Type, item func(int) *Const) (canonabi.List, error) {
	out := make(canonabi.List, n)
	for i := range out {
		v, err := ToValue(typ(i), item(i))
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

func payload(i uint32, t wit.Type, c *Const) (canonabi.Value, error) {
	switch {
	case t == nil && len(c.Items) == 0:
		return canonabi.Variant{Case: i}, nil
	case t != nil && len(c.Items) == 1:
		v, err := ToValue(t, c.Items[0])
		if err != nil {
			return nil, err
		}
		return canonabi.Variant{Case: i, Payload: v}, nil
	case t == nil:
		return nil, fmt.Errorf("%s: case `%s` has no payload", c, c.Label)
	}
	return nil, fmt.Errorf("%s: case `%s` needs a payload", c, c.Label)
}

var primKinds = map[wit.Primitive]string{
	wit.Bool: "bool", wit.U8: "u8", wit.S8: "s8", wit.U16: "u16", wit.S16: "s16",
	wit.U32: "u32", wit.S32: "s32", wit.U64: "u64", wit.S64: "s64",
	wit.F32: "f32", wit.F64: "f64", wit.Char: "char", wit.String: "str",
}

func primitive(p wit.Primitive, c *Const) (canonabi.Value, error) {
	if primKinds[p] != c.Kind {
		return nil, fmt.Errorf("%s is not a value of type %s", c, p)
	}
	var bits uint64
	var err error
	switch p {
	case wit.Bool:
		switch c.Atom {
		case "true":
			bits = 1
		case "false":
		default:
			return nil, fmt.Errorf("%s: not a bool", c)
		}
	case wit.Char:
		r, _ := utf8.DecodeRuneInString(c.Str)
		return canonabi.Char(r), nil
	case wit.String:
		return c.Str, nil
	case wit.F32:
		bits, err = parseFloat(c.Atom, 32)
	case wit.F64:
		bits, err = parseFloat(c.Atom, 64)
	default:
		bits, err = parseInt(c.Atom, p)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %v", c, err)
	}
	// The bits of a core value, as a lifted scalar (ints wrapped to their
	// width, a NaN made canonical: lowering would do so anyway).
	return canonabi.LiftScalar(p, bits)
}

var intBits = map[wit.Primitive]uint{
	wit.U8: 8, wit.S8: 8, wit.U16: 16, wit.S16: 16, wit.U32: 32, wit.S32: 32, wit.U64: 64, wit.S64: 64,
}

// parseInt reads an integer literal (decimal or 0x hex, `_` separators, a
// sign) as the bits of an integer of type p: it must fit p's range, or
// that of its signed or unsigned twin (as the text format allows
// `u32.const -1`).
func parseInt(s string, p wit.Primitive) (uint64, error) {
	t := strings.ReplaceAll(s, "_", "")
	neg := false
	switch {
	case strings.HasPrefix(t, "-"):
		neg, t = true, t[1:]
	case strings.HasPrefix(t, "+"):
		t = t[1:]
	}
	base := 10
	if strings.HasPrefix(t, "0x") || strings.HasPrefix(t, "0X") {
		base, t = 16, t[2:]
	}
	x, ok := new(big.Int).SetString(t, base)
	if !ok || t == "" {
		return 0, fmt.Errorf("malformed integer %q", s)
	}
	if neg {
		x.Neg(x)
	}
	bits := intBits[p]
	lo := new(big.Int).Neg(new(big.Int).Lsh(big.NewInt(1), bits-1))
	hi := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), bits), big.NewInt(1))
	if x.Cmp(lo) < 0 || x.Cmp(hi) > 0 {
		return 0, fmt.Errorf("integer %s out of range for %s", s, p)
	}
	if x.Sign() < 0 {
		x.Add(x, new(big.Int).Lsh(big.NewInt(1), bits))
	}
	return x.Uint64(), nil
}

// Patterns of NaN results: any NaN of the canonical payload, or any
// arithmetic NaN.
const (
	nanCanonical  = "nan:canonical"
	nanArithmetic = "nan:arithmetic"
)

// parseFloat reads a float literal of the text format (decimal, hex with
// or without exponent, inf, nan, nan:0x...) as its IEEE bits.
func parseFloat(s string, bits int) (uint64, error) {
	t := strings.ReplaceAll(s, "_", "")
	neg := strings.HasPrefix(t, "-")
	if neg || strings.HasPrefix(t, "+") {
		t = t[1:]
	}
	var sign uint64
	if neg {
		sign = 1 << (bits - 1)
	}
	mant := 23
	if bits == 64 {
		mant = 52
	}
	expAll := (uint64(1)<<(bits-1) - 1) &^ (uint64(1)<<mant - 1)
	switch {
	case t == "inf":
		return sign | expAll, nil
	case t == "nan" || t == nanCanonical || t == nanArithmetic:
		return sign | expAll | 1<<(mant-1), nil
	case strings.HasPrefix(t, "nan:0x"):
		p, err := strconv.ParseUint(t[6:], 16, 64)
		if err != nil || p == 0 || p >= 1<<mant {
			return 0, fmt.Errorf("malformed NaN %q", s)
		}
		return sign | expAll | p, nil
	}
	if (strings.HasPrefix(t, "0x") || strings.HasPrefix(t, "0X")) && !strings.ContainsAny(t, "pP") {
		t += "p0"
	}
	f, err := strconv.ParseFloat(t, bits)
	if err != nil {
		return 0, fmt.Errorf("malformed float %q", s)
	}
	if neg {
		f = -f
	}
	if bits == 32 {
		return uint64(math.Float32bits(float32(f))), nil
	}
	return math.Float64bits(f), nil
}

// Match reports whether got, a value of type t, is the value the constant
// want stands for (a NaN matches any NaN).
func Match(t wit.Type, want *Const, got canonabi.Value) error {
	w, err := ToValue(t, want)
	if err != nil {
		return err
	}
	if !equal(t, w, got) {
		if reflect.TypeOf(got) != reflect.TypeOf(w) && !isBytes(got) {
			return fmt.Errorf("got %T(%v), want %s", got, got, format(t, w))
		}
		return fmt.Errorf("got %s, want %s", format(t, got), format(t, w))
	}
	return nil
}

// format writes a value for messages: as WAVE, or with %#v where it does
// not fit its type.
func format(t wit.Type, v canonabi.Value) string {
	if s, err := wave.Format(t, v); err == nil {
		return s
	}
	return fmt.Sprintf("%#v", v)
}

// equal compares two values of type t; floats by their bits, except that
// a NaN equals any NaN.
func equal(t wit.Type, a, b canonabi.Value) bool {
	switch k := deref(t).(type) {
	case wit.Primitive:
		switch k {
		case wit.F32:
			x, ok1 := a.(float32)
			y, ok2 := b.(float32)
			return ok1 && ok2 && (x != x && y != y || math.Float32bits(x) == math.Float32bits(y))
		case wit.F64:
			x, ok1 := a.(float64)
			y, ok2 := b.(float64)
			return ok1 && ok2 && (x != x && y != y || math.Float64bits(x) == math.Float64bits(y))
		}
		return a == b
	case *wit.List:
		return equalSeq(func(int) wit.Type { return k.Elem }, a, b)
	case *wit.FixedList:
		return equalSeq(func(int) wit.Type { return k.Elem }, a, b)
	case *wit.Map:
		kv := &wit.TypeDef{Kind: &wit.Tuple{Types: []wit.Type{k.Key, k.Value}}}
		return equalSeq(func(int) wit.Type { return kv }, a, b)
	case *wit.Tuple:
		x, ok1 := a.(canonabi.Tuple)
		y, ok2 := b.(canonabi.Tuple)
		return ok1 && ok2 && len(x) == len(k.Types) && equalSeq(func(i int) wit.Type { return k.Types[i] }, canonabi.List(x), canonabi.List(y))
	case *wit.Record:
		x, ok1 := a.(canonabi.Record)
		y, ok2 := b.(canonabi.Record)
		return ok1 && ok2 && len(x) == len(k.Fields) && equalSeq(func(i int) wit.Type { return k.Fields[i].Type }, canonabi.List(x), canonabi.List(y))
	case *wit.Flags:
		x, ok1 := a.(canonabi.Flags)
		y, ok2 := b.(canonabi.Flags)
		if !ok1 || !ok2 {
			return false
		}
		for i := range k.Flags {
			if x.Has(i) != y.Has(i) {
				return false
			}
		}
		return true
	case *wit.Enum, *wit.Variant, *wit.Option, *wit.Result:
		x, ok1 := a.(canonabi.Variant)
		y, ok2 := b.(canonabi.Variant)
		if !ok1 || !ok2 || x.Case != y.Case {
			return false
		}
		var pt wit.Type
		switch k := k.(type) {
		case *wit.Variant:
			if int(x.Case) < len(k.Cases) {
				pt = k.Cases[x.Case].Type
			}
		case *wit.Option:
			if x.Case == 1 {
				pt = k.Type
			}
		case *wit.Result:
			pt = k.OK
			if x.Case == 1 {
				pt = k.Err
			}
		}
		if pt == nil {
			return x.Payload == nil && y.Payload == nil
		}
		return equal(pt, x.Payload, y.Payload)
	}
	return false
}

func equalSeq(elem func(int) wit.Type, a, b canonabi.Value) bool {
	x, ok1 := asList(a)
	y, ok2 := asList(b)
	if !ok1 || !ok2 || len(x) != len(y) {
		return false
	}
	for i := range x {
		if !equal(elem(i), x[i], y[i]) {
			return false
		}
	}
	return true
}

func isBytes(v canonabi.Value) bool {
	_, ok := v.([]byte)
	return ok
}

// asList reads a list value; a []byte stands for a list<u8>.
func asList(v canonabi.Value) (canonabi.List, bool) {
	switch v := v.(type) {
	case canonabi.List:
		return v, true
	case []byte:
		out := make(canonabi.List, len(v))
		for i, b := range v {
			out[i] = b
		}
		return out, true
	}
	return nil, false
}
