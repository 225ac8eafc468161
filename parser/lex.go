package parser

import (
	"fmt"
	"slices"
	"unicode/utf8"

	"github.com/alecthomas/participle/v2/lexer"
	"github.com/witc-dev/witc/diag"
	"github.com/witc-dev/witc/parser/ast"
)

// Token types of the WIT lexer, as participle symbols.
const (
	tokEOF   lexer.TokenType = lexer.EOF
	tokIdent lexer.TokenType = -(iota + 2)
	tokKeyword
	tokInt
	tokVersion
	tokString
	tokPunct
)

var symbols = map[string]lexer.TokenType{
	"EOF": tokEOF, "Ident": tokIdent, "Keyword": tokKeyword, "Int": tokInt,
	"Version": tokVersion, "String": tokString, "Punct": tokPunct,
}

// keywords of WIT; an identifier spelled like one must be written %name.
var keywords = map[string]bool{
	"use": true, "type": true, "func": true, "u8": true, "u16": true, "u32": true, "u64": true,
	"s8": true, "s16": true, "s32": true, "s64": true, "f32": true, "f64": true, "char": true,
	"resource": true, "own": true, "borrow": true, "record": true, "flags": true, "variant": true,
	"enum": true, "bool": true, "string": true, "option": true, "result": true, "future": true,
	"stream": true, "error-context": true, "list": true, "map": true, "_": true, "as": true,
	"from": true, "static": true, "interface": true, "tuple": true, "world": true, "import": true,
	"export": true, "package": true, "constructor": true, "include": true, "with": true, "async": true,
}

// keywordNames maps each keyword to itself, so lexing a keyword does not
// allocate its string.
var keywordNames = func() map[string]string {
	m := make(map[string]string, len(keywords))
	for k := range keywords {
		m[k] = k
	}
	return m
}()

// punctNames holds the one-byte punctuation tokens, so that lexing one
// does not allocate its string.
var punctNames = func() (t [256]string) {
	for _, c := range []byte("=,:.;(){}<>*@/+-") {
		t[c] = string(c)
	}
	return t
}()

// lexed is the token stream of one file plus the comments that precede each
// token (keyed by the token's byte offset), which become docs.
type lexed struct {
	tokens   []lexer.Token
	comments map[int][]ast.Comment
	// trailingComma holds the offsets of closing tokens that followed a
	// trailing comma (which the lexer dropped).
	trailingComma map[int]bool
}

func isIdentStart(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' }
func isIdentCont(c byte) bool {
	return isIdentStart(c) || c >= '0' && c <= '9' || c == '-'
}
func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// lex tokenizes src. It stops at the first lexical error, which it reports.
func lex(f *diag.File, r *diag.Report) (*lexed, bool) {
	src := f.Content
	out := &lexed{tokens: make([]lexer.Token, 0, countTokens(src)+1)}
	var pending []ast.Comment
	tok := func(t lexer.TokenType, start, end int, val string) {
		if len(out.tokens) == cap(out.tokens) {
			out.tokens = slices.Grow(out.tokens, len(out.tokens)) // double: a token is 64 bytes
		}
		out.tokens = append(out.tokens, lexer.Token{Type: t, Value: val, Pos: lexer.Position{Offset: start}})
		if pending != nil {
			if out.comments == nil {
				out.comments = map[int][]ast.Comment{}
			}
			out.comments[start] = pending
			pending = nil
		}
	}
	i := 0
	if len(src) >= 3 && src[0] == 0xEF && src[1] == 0xBB && src[2] == 0xBF {
		i = 3 // UTF-8 byte order mark
	}
	for i < len(src) {
		c := src[i]
		start := i
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '/' && i+1 < len(src) && src[i+1] == '/':
			for i < len(src) && src[i] != '\n' {
				i++
			}
			end := i
			if end > start && src[end-1] == '\r' {
				end--
			}
			pending = append(pending, ast.Comment{Span: f.Span(start, end), Text: string(src[start:end])})
		case c == '/' && i+1 < len(src) && src[i+1] == '*':
			depth := 1
			i += 2
			for depth > 0 {
				if i >= len(src) {
					r.Errorf(diag.UnterminatedComment, f.Span(start, start), "unterminated block comment")
					return nil, false
				}
				switch {
				case src[i] == '/' && i+1 < len(src) && src[i+1] == '*':
					depth++
					i += 2
				case src[i] == '*' && i+1 < len(src) && src[i+1] == '/':
					depth--
					i += 2
				default:
					i++
				}
			}
			pending = append(pending, ast.Comment{Span: f.Span(start, i), Text: string(src[start:i])})
		case c == '-' && i+1 < len(src) && src[i+1] == '>':
			i += 2
			tok(tokPunct, start, i, "->")
		case c == '=' || c == ',' || c == ':' || c == '.' || c == ';' || c == '(' || c == ')' ||
			c == '{' || c == '}' || c == '<' || c == '>' || c == '*' || c == '@' || c == '/' ||
			c == '+' || c == '-':
			i++
			tok(tokPunct, start, i, punctNames[c])
		case c == '%':
			i++
			for i < len(src) && isIdentCont(src[i]) {
				i++
			}
			name := string(src[start+1 : i])
			if !validID(f, start+1, name, r) {
				return nil, false
			}
			tok(tokIdent, start, i, name)
		case c == '"':
			i++
			for i < len(src) && src[i] != '"' && src[i] != '\n' {
				i++
			}
			if i >= len(src) || src[i] != '"' {
				r.Errorf(diag.UnterminatedString, f.Span(start, start), "unterminated string literal")
				return nil, false
			}
			i++
			tok(tokString, start, i, string(src[start+1:i-1]))
		case c >= '0' && c <= '9':
			for i < len(src) && src[i] >= '0' && src[i] <= '9' {
				i++
			}
			if i+1 < len(src) && src[i] == '.' && src[i+1] >= '0' && src[i+1] <= '9' {
				i = lexVersion(src, i)
				tok(tokVersion, start, i, string(src[start:i]))
				break
			}
			tok(tokInt, start, i, string(src[start:i]))
		case isIdentStart(c):
			for i < len(src) && isIdentCont(src[i]) {
				i++
			}
			if kw, ok := keywordNames[string(src[start:i])]; ok {
				tok(tokKeyword, start, i, kw)
				break
			}
			s := string(src[start:i])
			if !validID(f, start, s, r) {
				return nil, false
			}
			tok(tokIdent, start, i, s)
		default:
			ch, _ := utf8.DecodeRune(src[i:])
			if ch == utf8.RuneError {
				r.Errorf(diag.InvalidCharacter, f.Span(start, start+1), "invalid UTF-8 in source")
			} else if ch < 0x20 || ch == 0x7f {
				r.Errorf(diag.InvalidCharacter, f.Span(start, start+1), "control character %U is not allowed", ch)
			} else {
				r.Errorf(diag.InvalidCharacter, f.Span(start, start+utf8.RuneLen(ch)), "unexpected character %q", ch)
			}
			return nil, false
		}
	}
	out.tokens = append(out.tokens, lexer.Token{Type: tokEOF, Pos: lexer.Position{Offset: len(src)}})
	// Trailing commas before `}`, `)` and `>` are allowed; dropping them here
	// keeps the grammar LL(1) (lists are `x ("," x)*`). The offsets of the
	// closing tokens are remembered: `list<u32,>` is an error.
	w := 0
	for i, t := range out.tokens {
		if t.Type == tokPunct && t.Value == "," && i+1 < len(out.tokens) {
			if n := out.tokens[i+1]; n.Type == tokPunct && (n.Value == "}" || n.Value == ")" || n.Value == ">") {
				if n.Value == ">" && openedByList(out.tokens[:i]) {
					r.Errorf(diag.Syntax, f.Span(n.Pos.Offset, n.Pos.Offset+1), "expected fixed-length, found '>'")
					return nil, false
				}
				if out.trailingComma == nil {
					out.trailingComma = map[int]bool{}
				}
				out.trailingComma[n.Pos.Offset] = true
				if cs, ok := out.comments[t.Pos.Offset]; ok { // keep comments that preceded the comma
					out.comments[n.Pos.Offset] = append(cs, out.comments[n.Pos.Offset]...)
				}
				continue
			}
		}
		out.tokens[w] = t
		w++
	}
	out.tokens = out.tokens[:w]
	if pending != nil {
		if out.comments == nil {
			out.comments = map[int][]ast.Comment{}
		}
		out.comments[len(src)] = pending
	}
	return out, true
}

// countTokens returns an upper bound of the number of tokens in src that
// is close to it, so that lex allocates its tokens once (a token is 64
// bytes: growing the slice by doubling allocated twice the final size and
// copied it). It skips line comments and strings and counts each run of
// identifier or version characters as one token (a trailing comma, which
// lex drops, is counted), anything else but
// whitespace as one token each.
func countTokens(src []byte) int {
	n := 0
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '/' && i+1 < len(src) && src[i+1] == '/':
			for i < len(src) && src[i] != '\n' {
				i++
			}
		case c == '"':
			n++
			i++
			for i < len(src) && src[i] != '"' && src[i] != '\n' {
				i++
			}
			i++
		case isIdentCont(c) || c == '%':
			n++
			i++
			digits := c >= '0' && c <= '9' // a version: 0.2.0-rc.1+build
			for i < len(src) && (isIdentCont(src[i]) || digits && (src[i] == '.' || src[i] == '+')) {
				i++
			}
		default:
			n++
			i++
		}
	}
	return n
}

// lexVersion continues a version whose major number ends at i: `.minor.patch`,
// then an optional `-pre.release` and `+build.meta`. Malformed versions are
// left for the parser to diagnose.
func lexVersion(src []byte, i int) int {
	for i+1 < len(src) && src[i] == '.' && isAlnum(src[i+1]) {
		i++
		for i < len(src) && isAlnum(src[i]) {
			i++
		}
	}
	for _, sep := range []byte{'-', '+'} {
		if i+1 < len(src) && src[i] == sep && (isAlnum(src[i+1]) || src[i+1] == '-') {
			i++
			for i < len(src) && (isAlnum(src[i]) || src[i] == '-' || (src[i] == '.' && i+1 < len(src) && isAlnum(src[i+1]))) {
				i++
			}
		}
	}
	return i
}

// validID checks the WIT identifier grammar: words separated by single '-',
// each starting with a letter and either all lowercase or all uppercase.
func validID(f *diag.File, off int, s string, r *diag.Report) bool {
	bad := func(at int, format string, args ...any) bool {
		r.Errorf(diag.InvalidIdentifier, f.Span(off+at, min(off+at+1, len(f.Content))), format, args...)
		return false
	}
	if s == "" {
		return bad(0, "empty identifier")
	}
	wordStart := 0
	for wordStart <= len(s) {
		end := wordStart
		for end < len(s) && s[end] != '-' {
			end++
		}
		w := s[wordStart:end]
		if w == "" {
			return bad(wordStart, "identifiers must have characters between '-'s")
		}
		first := w[0]
		if first >= '0' && first <= '9' {
			return bad(wordStart, "identifier parts may not start with a number")
		}
		if first == '_' {
			return bad(wordStart, "invalid character '_' in identifier")
		}
		upper, lower := false, false
		for j := 0; j < len(w); j++ {
			switch ch := w[j]; {
			case ch >= 'a' && ch <= 'z':
				lower = true
			case ch >= 'A' && ch <= 'Z':
				upper = true
			case ch >= '0' && ch <= '9':
			default:
				return bad(wordStart+j, "invalid character %q in identifier", ch)
			}
		}
		if upper && lower {
			return bad(wordStart, "%s", fmt.Sprintf("identifier parts must be all lowercase or all uppercase: %q", w))
		}
		wordStart = end + 1
	}
	return true
}

// openedByList reports whether the innermost unclosed `<` in toks follows the
// keyword `list`.
func openedByList(toks []lexer.Token) bool {
	depth := 0
	for i := len(toks) - 1; i > 0; i-- {
		t := toks[i]
		if t.Type != tokPunct {
			continue
		}
		switch t.Value {
		case ">":
			depth++
		case "<":
			if depth == 0 {
				p := toks[i-1]
				return p.Type == tokKeyword && p.Value == "list"
			}
			depth--
		}
	}
	return false
}
