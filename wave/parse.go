package wave

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/witc-dev/witc/canonabi"
	"github.com/witc-dev/witc/wit"
)

// SyntaxError is a WAVE text that does not parse as the expected type.
type SyntaxError struct {
	Offset int // byte offset in the input
	Msg    string
}

func (e *SyntaxError) Error() string { return fmt.Sprintf("at offset %d: %s", e.Offset, e.Msg) }

// maxDepth bounds nesting in parsed input.
const maxDepth = 500

type parser struct {
	s   string
	pos int
}

func (p *parser) errorf(format string, args ...any) error {
	return &SyntaxError{Offset: p.pos, Msg: fmt.Sprintf(format, args...)}
}

func (p *parser) skipSpace() {
	for p.pos < len(p.s) {
		c := p.s[p.pos]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			p.pos++
		case strings.HasPrefix(p.s[p.pos:], "//"):
			for p.pos < len(p.s) && p.s[p.pos] != '\n' {
				p.pos++
			}
		default:
			return
		}
	}
}

func (p *parser) peek() byte {
	p.skipSpace()
	if p.pos < len(p.s) {
		return p.s[p.pos]
	}
	return 0
}

func (p *parser) eat(c byte) bool {
	if p.peek() == c {
		p.pos++
		return true
	}
	return false
}

func (p *parser) expect(c byte) error {
	if !p.eat(c) {
		return p.errorf("expected %q, found %s", c, p.found())
	}
	return nil
}

// found describes what the input has at the current position, for
// errors: end of input, a string or char literal, a word or number (up to
// the next blank or punctuation, at most 32 bytes), or a character.
func (p *parser) found() string {
	p.skipSpace()
	if p.pos >= len(p.s) {
		return "end of input"
	}
	rest := p.s[p.pos:]
	switch c := rest[0]; {
	case c == '"':
		return "the string " + literalText(rest)
	case c == '\'':
		return "the char " + literalText(rest)
	}
	// A word or a number: up to the next blank or punctuation of WAVE.
	end := strings.IndexAny(rest, " \t\r\n,:()[]{}\"'")
	if end < 0 {
		end = len(rest)
	}
	if end == 0 {
		r, _ := utf8.DecodeRuneInString(rest)
		return strconv.QuoteRune(r)
	}
	if end > 32 {
		end = 32
		for !utf8.RuneStart(rest[end]) {
			end--
		}
		return "`" + rest[:end] + "…`"
	}
	return "`" + rest[:end] + "`"
}

// literalText is the string or char literal at the start of s (up to its
// closing quote, or 32 bytes and an ellipsis), as written.
func literalText(s string) string {
	quote := s[0]
	for i := 1; i < len(s); i++ {
		switch {
		case i >= 32:
			for !utf8.RuneStart(s[i]) {
				i--
			}
			return s[:i] + "…"
		case s[i] == '\\':
			i++
		case s[i] == quote:
			return s[:i+1]
		}
	}
	return s
}

// Parse parses s as a WAVE value of type t.
func Parse(t wit.Type, s string) (canonabi.Value, error) {
	p := &parser{s: s}
	v, err := p.value(t, 0)
	if err != nil {
		return nil, err
	}
	if p.peek() != 0 {
		return nil, p.errorf("unexpected %s after the value", p.found())
	}
	return v, nil
}

// ParseCall parses a call expression `name(arg, ...)` and returns the
// function name and the raw argument list; use [ParseArgs] once the function
// and so the parameter types are known.
func ParseCall(s string) (name string, args string, err error) {
	p := &parser{s: s}
	name = p.label()
	if name == "" {
		return "", "", p.errorf("expected a function name, found %s", p.found())
	}
	if !p.eat('(') {
		return "", "", p.errorf("expected '(' after the function name, found %s", p.found())
	}
	end := strings.LastIndexByte(s, ')')
	if end < p.pos || strings.TrimSpace(s[end+1:]) != "" {
		return "", "", &SyntaxError{Offset: len(s), Msg: "expected ')' at the end of the call"}
	}
	return name, s[p.pos:end], nil
}

// ParseArgs parses a comma-separated list of values of the types ts.
func ParseArgs(ts []wit.Type, s string) ([]canonabi.Value, error) {
	p := &parser{s: s}
	out := make([]canonabi.Value, 0, len(ts))
	for i, t := range ts {
		if p.peek() == 0 {
			return nil, p.errorf("expected %d arguments, found %d", len(ts), i)
		}
		if i > 0 {
			if err := p.expect(','); err != nil {
				return nil, err
			}
			if p.peek() == 0 {
				return nil, p.errorf("expected %d arguments, found %d", len(ts), i)
			}
		}
		v, err := p.value(t, 0)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	p.eat(',') // a trailing comma is allowed
	if p.peek() != 0 {
		return nil, p.errorf("expected %d arguments, found more", len(ts))
	}
	return out, nil
}

// label reads a kebab-case label, with an optional leading %.
func (p *parser) label() string {
	p.skipSpace()
	start := p.pos
	if p.pos < len(p.s) && p.s[p.pos] == '%' {
		p.pos++
	}
	for p.pos < len(p.s) {
		c := p.s[p.pos]
		if c == '-' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' {
			p.pos++
			continue
		}
		break
	}
	return p.s[start:p.pos]
}

func (p *parser) value(t wit.Type, depth int) (canonabi.Value, error) {
	if depth > maxDepth {
		return nil, p.errorf("value nested too deeply")
	}
	p.skipSpace()
	switch t := wit.Resolved(t).(type) {
	case wit.Primitive:
		return p.primitive(t)
	case *wit.TypeDef:
		switch k := t.Kind.(type) {
		case *wit.Record:
			return p.record(k, depth)
		case *wit.Tuple:
			if err := p.expect('('); err != nil {
				return nil, err
			}
			out := make(canonabi.Tuple, len(k.Types))
			for i, et := range k.Types {
				if i > 0 {
					if err := p.expect(','); err != nil {
						return nil, err
					}
				}
				v, err := p.value(et, depth+1)
				if err != nil {
					return nil, err
				}
				out[i] = v
			}
			p.eat(',')
			return out, p.expect(')')
		case *wit.List, *wit.FixedList:
			if err := p.expect('['); err != nil {
				return nil, err
			}
			out := canonabi.List{}
			for !p.eat(']') {
				if len(out) > 0 {
					if err := p.expect(','); err != nil {
						return nil, err
					}
					if p.eat(']') {
						break
					}
				}
				v, err := p.value(listElem(k), depth+1)
				if err != nil {
					return nil, err
				}
				out = append(out, v)
			}
			if fl, ok := k.(*wit.FixedList); ok && uint32(len(out)) != fl.Len {
				return nil, p.errorf("expected a list of %d elements, found %d", fl.Len, len(out))
			}
			return out, nil
		case *wit.Map:
			return p.mapValue(k, depth)
		case *wit.Flags:
			return p.flags(k)
		case *wit.Variant, *wit.Enum, *wit.Option, *wit.Result:
			return p.variant(k, depth)
		case *wit.Handle, *wit.Resource, *wit.Future, *wit.Stream:
			return nil, p.errorf("WAVE has no syntax for handles")
		}
	}
	return nil, p.errorf("invalid type")
}

func (p *parser) record(k *wit.Record, depth int) (canonabi.Value, error) {
	if err := p.expect('{'); err != nil {
		return nil, err
	}
	out := make(canonabi.Record, len(k.Fields))
	set := make([]bool, len(k.Fields))
	for n := 0; !p.eat('}'); n++ {
		if n > 0 {
			if err := p.expect(','); err != nil {
				return nil, err
			}
			if p.eat('}') {
				break
			}
		}
		at := p.pos
		name := strings.TrimPrefix(p.label(), "%")
		i := -1
		for j, f := range k.Fields {
			if f.Name == name {
				i = j
			}
		}
		if i < 0 {
			return nil, &SyntaxError{Offset: at, Msg: fmt.Sprintf("unknown record field %q", name)}
		}
		if set[i] {
			return nil, &SyntaxError{Offset: at, Msg: fmt.Sprintf("duplicate record field %q", name)}
		}
		if err := p.expect(':'); err != nil {
			return nil, err
		}
		v, err := p.value(k.Fields[i].Type, depth+1)
		if err != nil {
			return nil, err
		}
		out[i], set[i] = v, true
	}
	for i, f := range k.Fields {
		if set[i] {
			continue
		}
		// Fields of option type may be left out: they are none.
		if td, ok := wit.Resolved(f.Type).(*wit.TypeDef); ok {
			if _, isOpt := td.Kind.(*wit.Option); isOpt {
				out[i] = canonabi.Variant{Case: 0}
				continue
			}
		}
		return nil, p.errorf("missing record field %q", f.Name)
	}
	return out, nil
}

func (p *parser) mapValue(k *wit.Map, depth int) (canonabi.Value, error) {
	if err := p.expect('{'); err != nil {
		return nil, err
	}
	out := canonabi.List{}
	if p.eat(':') {
		return out, p.expect('}')
	}
	for !p.eat('}') {
		if len(out) > 0 {
			if err := p.expect(','); err != nil {
				return nil, err
			}
			if p.eat('}') {
				break
			}
		}
		key, err := p.value(k.Key, depth+1)
		if err != nil {
			return nil, err
		}
		if err := p.expect(':'); err != nil {
			return nil, err
		}
		val, err := p.value(k.Value, depth+1)
		if err != nil {
			return nil, err
		}
		out = append(out, canonabi.Tuple{key, val})
	}
	return out, nil
}

func (p *parser) flags(k *wit.Flags) (canonabi.Value, error) {
	if err := p.expect('{'); err != nil {
		return nil, err
	}
	out := make(canonabi.Flags, (len(k.Flags)+31)/32)
	for n := 0; !p.eat('}'); n++ {
		if n > 0 {
			if err := p.expect(','); err != nil {
				return nil, err
			}
			if p.eat('}') {
				break
			}
		}
		at := p.pos
		name := strings.TrimPrefix(p.label(), "%")
		i := -1
		for j, f := range k.Flags {
			if f.Name == name {
				i = j
			}
		}
		if i < 0 {
			return nil, &SyntaxError{Offset: at, Msg: fmt.Sprintf("unknown flag %q", name)}
		}
		if out.Has(i) {
			return nil, &SyntaxError{Offset: at, Msg: fmt.Sprintf("duplicate flag %q", name)}
		}
		out[i/32] |= 1 << (i % 32)
	}
	return out, nil
}

func (p *parser) variant(k wit.TypeDefKind, depth int) (canonabi.Value, error) {
	cs := cases(k)
	save := p.pos
	at := p.pos
	name := p.label()
	for i, c := range cs {
		if name != "" && c.name == name {
			if c.payload == nil {
				return canonabi.Variant{Case: uint32(i)}, nil
			}
			if err := p.expect('('); err != nil {
				return nil, err
			}
			v, err := p.value(c.payload, depth+1)
			if err != nil {
				return nil, err
			}
			return canonabi.Variant{Case: uint32(i), Payload: v}, p.expect(')')
		}
	}
	// The flat forms: an option's or result's payload written bare means
	// some(...) / ok(...).
	p.pos = save
	switch k := k.(type) {
	case *wit.Option:
		if !isOptionLike(k.Type) {
			v, err := p.value(k.Type, depth+1)
			if err == nil {
				return canonabi.Variant{Case: 1, Payload: v}, nil
			}
		}
	case *wit.Result:
		if k.OK != nil && !isOptionLike(k.OK) {
			v, err := p.value(k.OK, depth+1)
			if err == nil {
				return canonabi.Variant{Case: 0, Payload: v}, nil
			}
		}
	}
	p.pos = at
	names := make([]string, len(cs))
	for i, c := range cs {
		names[i] = c.name
	}
	return nil, p.errorf("expected one of %s, found %s", strings.Join(names, ", "), p.found())
}

func isOptionLike(t wit.Type) bool {
	td, ok := wit.Resolved(t).(*wit.TypeDef)
	if !ok {
		return false
	}
	switch td.Kind.(type) {
	case *wit.Option, *wit.Result:
		return true
	}
	return false
}

func (p *parser) primitive(t wit.Primitive) (canonabi.Value, error) {
	p.skipSpace()
	at := p.pos
	switch t {
	case wit.Bool:
		switch p.label() {
		case "true":
			return true, nil
		case "false":
			return false, nil
		}
		p.pos = at
		return nil, p.errorf("expected a bool (true or false), found %s", p.found())
	case wit.Char:
		if !p.eat('\'') {
			return nil, p.errorf("expected a char literal such as 'x', found %s", p.found())
		}
		r, err := p.char('\'')
		if err != nil {
			return nil, err
		}
		if !p.eat('\'') {
			return nil, p.errorf("expected ' to close the char literal")
		}
		return canonabi.Char(r), nil
	case wit.String:
		return p.stringLit()
	case wit.F32, wit.F64:
		tok := p.number()
		var f float64
		switch tok {
		case "nan":
			f = math.NaN()
		case "inf":
			f = math.Inf(1)
		case "-inf":
			f = math.Inf(-1)
		default:
			bits := 64
			if t == wit.F32 {
				bits = 32
			}
			var err error
			if f, err = strconv.ParseFloat(tok, bits); err != nil || tok == "" || !isDecimal(tok) {
				p.pos = at
				if errors.Is(err, strconv.ErrRange) {
					return nil, p.errorf("%s is out of range for %s", tok, t)
				}
				return nil, p.errorf("expected an %s (a number, nan, inf or -inf), found %s", t, p.found())
			}
		}
		if t == wit.F32 {
			return float32(f), nil
		}
		return f, nil
	case wit.ErrorContext:
		return nil, p.errorf("WAVE has no syntax for error-context values")
	}
	tok := p.number()
	signed := t >= wit.S8
	bits := map[wit.Primitive]int{wit.U8: 8, wit.U16: 16, wit.U32: 32, wit.U64: 64, wit.S8: 8, wit.S16: 16, wit.S32: 32, wit.S64: 64}[t]
	bad := func(err error) error {
		p.pos = at
		lo, hi := "0", strconv.FormatUint(1<<bits-1, 10)
		if signed {
			lo, hi = strconv.FormatInt(-1<<(bits-1), 10), strconv.FormatInt(1<<(bits-1)-1, 10)
		}
		if errors.Is(err, strconv.ErrRange) || !signed && strings.HasPrefix(tok, "-") && isDecimal(tok[1:]) {
			return p.errorf("%s is out of range for %s (%s to %s)", tok, t, lo, hi)
		}
		return p.errorf("expected %s %s (an integer from %s to %s), found %s", article(t), t, lo, hi, p.found())
	}
	if signed {
		n, err := strconv.ParseInt(tok, 10, bits)
		if err != nil {
			return nil, bad(err)
		}
		switch t {
		case wit.S8:
			return int8(n), nil
		case wit.S16:
			return int16(n), nil
		case wit.S32:
			return int32(n), nil
		}
		return n, nil
	}
	n, err := strconv.ParseUint(tok, 10, bits)
	if err != nil {
		return nil, bad(err)
	}
	switch t {
	case wit.U8:
		return uint8(n), nil
	case wit.U16:
		return uint16(n), nil
	case wit.U32:
		return uint32(n), nil
	}
	return n, nil
}

// article is the indefinite article of a primitive type's name, as read
// aloud: "a u32", "an s32", "an f64".
func article(t wit.Primitive) string {
	if s := t.String(); s != "" && strings.ContainsRune("aefhilmnorsx", rune(s[0])) {
		return "an"
	}
	return "a"
}

// isDecimal reports whether s is a number as WAVE writes them: digits with
// an optional sign, fraction and exponent (strconv also reads hex floats,
// underscores, "infinity").
func isDecimal(s string) bool {
	s = strings.TrimPrefix(strings.TrimPrefix(s, "-"), "+")
	digits := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			digits = true
		case c == '.' || c == 'e' || c == 'E' || (c == '-' || c == '+') && i > 0 && (s[i-1] == 'e' || s[i-1] == 'E'):
		default:
			return false
		}
	}
	return digits
}

// number reads a numeric token (digits, sign, '.', exponent) or nan/inf.
func (p *parser) number() string {
	p.skipSpace()
	start := p.pos
	for p.pos < len(p.s) {
		c := p.s[p.pos]
		if c >= '0' && c <= '9' || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E' || c >= 'a' && c <= 'z' {
			p.pos++
			continue
		}
		break
	}
	return p.s[start:p.pos]
}

func (p *parser) stringLit() (canonabi.Value, error) {
	if !p.eat('"') {
		return nil, p.errorf("expected a string literal, found %s", p.found())
	}
	var b strings.Builder
	for {
		if p.pos >= len(p.s) {
			return nil, p.errorf("unterminated string")
		}
		if p.s[p.pos] == '"' {
			p.pos++
			return b.String(), nil
		}
		r, err := p.char('"')
		if err != nil {
			return nil, err
		}
		b.WriteRune(r)
	}
}

// char reads one (possibly escaped) character of a char or string literal.
func (p *parser) char(quote byte) (rune, error) {
	if p.pos >= len(p.s) {
		return 0, p.errorf("unterminated literal")
	}
	r, n := utf8.DecodeRuneInString(p.s[p.pos:])
	if r == utf8.RuneError && n <= 1 {
		return 0, p.errorf("invalid UTF-8")
	}
	if r == '\n' || r == rune(quote) {
		return 0, p.errorf("unexpected %q in literal", r)
	}
	p.pos += n
	if r != '\\' {
		return r, nil
	}
	if p.pos >= len(p.s) {
		return 0, p.errorf("unterminated escape")
	}
	e := p.s[p.pos]
	p.pos++
	switch e {
	case '\'', '"', '\\':
		return rune(e), nil
	case 'n':
		return '\n', nil
	case 'r':
		return '\r', nil
	case 't':
		return '\t', nil
	case 'u':
		end := strings.IndexByte(p.s[p.pos:], '}')
		if !strings.HasPrefix(p.s[p.pos:], "{") || end < 2 {
			return 0, p.errorf("invalid unicode escape")
		}
		n, err := strconv.ParseUint(p.s[p.pos+1:p.pos+end], 16, 32)
		if err != nil || n >= 0x110000 || (n >= 0xD800 && n <= 0xDFFF) {
			return 0, p.errorf("invalid unicode escape")
		}
		p.pos += end + 1
		return rune(n), nil
	}
	return 0, p.errorf("invalid escape \\%c", e)
}
