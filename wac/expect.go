package wac

import (
	"strings"

	"github.com/alecthomas/participle/v2/lexer"
)

// Participle names only the branch that failed last, not every token the
// grammar allows where parsing stopped; wac names them all ("expected `}`
// or identifier, found end of input"). The parser finds them by probing:
// it parses the tokens before the error followed by each candidate token
// and keeps the candidates that get further.

// candidates are the tokens tried at a syntax error, in the order the
// message lists them.
var candidates = func() []lexer.Token {
	var out []lexer.Token
	for _, kw := range strings.Fields(`package targets import let export use include interface world
		resource variant record flags enum type constructor static func new with as
		u8 s8 u16 s16 u32 s32 u64 s64 f32 f64 char bool string tuple list option result borrow`) {
		out = append(out, lexer.Token{Type: tokKeyword, Value: kw})
	}
	out = append(out, lexer.Token{Type: tokPunct, Value: "}"},
		lexer.Token{Type: tokIdent, Value: "x"},
		lexer.Token{Type: tokString, Value: "x"},
		lexer.Token{Type: tokVersion, Value: "1.0.0"})
	for _, p := range strings.Fields("; : = , . ... ( ) { [ ] < > @ / -> _") {
		out = append(out, lexer.Token{Type: tokPunct, Value: p})
	}
	return out
}()

// maxListed is how many expected tokens a message lists before "or more...".
const maxListed = 10

// expected returns, in words, the tokens the grammar accepts in place of
// toks[i], or "" when it cannot tell.
func expected(toks []lexer.Token, i int) string {
	off := toks[i].Pos.Offset
	probe := make([]lexer.Token, i+2)
	copy(probe, toks[:i])
	var names []string
	for _, c := range candidates {
		c.Pos.Offset = off
		probe[i] = c
		probe[i+1] = lexer.Token{Type: tokEOF, Pos: lexer.Position{Offset: off + 1}}
		_, err := grammar().ParseFromLexer(mustUpgrade(&sliceLexer{toks: probe}))
		if err != nil && errorOffset(err) <= off {
			continue
		}
		if d := describe(c); len(names) == 0 || names[len(names)-1] != d {
			names = append(names, d)
		}
	}
	switch n := len(names); {
	case n == 0:
		return ""
	case n == 1:
		return names[0]
	case n == 2:
		return names[0] + " or " + names[1]
	case n > maxListed:
		return "either " + strings.Join(names[:maxListed], ", ") + ", or more..."
	default:
		return "either " + strings.Join(names[:n-1], ", ") + ", or " + names[n-1]
	}
}
