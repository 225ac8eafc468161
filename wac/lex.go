package wac

import (
	"github.com/witc-dev/witc/parser"
	"strings"
	"unicode/utf8"

	"github.com/alecthomas/participle/v2/lexer"
	"github.com/witc-dev/witc/diag"
)

// Token types of the WAC lexer, as participle symbols.
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

// keywords of WAC; an identifier spelled like one must be written %name.
var keywords = map[string]bool{
	"package": true, "targets": true, "import": true, "with": true, "as": true, "let": true,
	"new": true, "export": true, "use": true, "include": true, "interface": true, "world": true,
	"type": true, "func": true, "resource": true, "constructor": true, "static": true,
	"variant": true, "record": true, "flags": true, "enum": true, "tuple": true, "list": true,
	"option": true, "result": true, "borrow": true, "u8": true, "s8": true, "u16": true,
	"s16": true, "u32": true, "s32": true, "u64": true, "s64": true, "f32": true, "f64": true,
	"char": true, "bool": true, "string": true,
}

// token is one lexed token: participle's, plus where it ends.
type lexed struct {
	tokens []lexer.Token
	ends   []int // end offset of each token
	// docs holds the `///` comments that precede each token, keyed by the
	// token's offset.
	docs map[int]Docs
}

func isIdentStart(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isIdentCont(c byte) bool  { return isIdentStart(c) || c >= '0' && c <= '9' || c == '-' }

// lex tokenizes the source of f. It stops at the first lexical error,
// which it reports.
func lex(f *diag.File, r *diag.Report) (*lexed, bool) {
	src := f.Content
	out := &lexed{}
	var pending Docs
	tok := func(t lexer.TokenType, start, end int, val string) {
		out.tokens = append(out.tokens, lexer.Token{Type: t, Value: val, Pos: lexer.Position{Offset: start}})
		out.ends = append(out.ends, end)
		if pending != nil {
			if out.docs == nil {
				out.docs = map[int]Docs{}
			}
			out.docs[start] = pending
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
			text := string(src[start:end])
			if strings.HasPrefix(text, "///") && !strings.HasPrefix(text, "////") {
				pending = append(pending, Comment{Span: f.Span(start, end), Text: strings.TrimSpace(text[3:])})
			}
		case c == '/' && i+1 < len(src) && src[i+1] == '*':
			depth := 1
			i += 2
			for depth > 0 {
				if i >= len(src) {
					r.Errorf(diag.UnterminatedComment, f.Span(start, start+2), "unterminated block comment")
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
		case c == '-' && i+1 < len(src) && src[i+1] == '>':
			i += 2
			tok(tokPunct, start, i, "->")
		case c == '.' && i+2 < len(src) && src[i+1] == '.' && src[i+2] == '.':
			i += 3
			tok(tokPunct, start, i, "...")
		case strings.IndexByte("=,:.;(){}<>@/[]_", c) >= 0:
			i++
			tok(tokPunct, start, i, string(c))
		case c == '%':
			i++
			for i < len(src) && isIdentCont(src[i]) {
				i++
			}
			name := string(src[start+1 : i])
			if !parser.ValidIdentifier(f, start+1, name, r) {
				return nil, false
			}
			tok(tokIdent, start, i, name)
		case c == '"':
			i++
			for i < len(src) && src[i] != '"' {
				i++
			}
			if i >= len(src) {
				r.Errorf(diag.UnterminatedString, f.Span(start, start+1), "unterminated string")
				return nil, false
			}
			i++
			tok(tokString, start, i, string(src[start+1:i-1]))
		case c >= '0' && c <= '9':
			for i < len(src) && src[i] >= '0' && src[i] <= '9' {
				i++
			}
			if i+1 < len(src) && src[i] == '.' && src[i+1] >= '0' && src[i+1] <= '9' {
				i = parser.ScanVersion(src, i)
				tok(tokVersion, start, i, string(src[start:i]))
				break
			}
			tok(tokInt, start, i, string(src[start:i]))
		case isIdentStart(c):
			for i < len(src) && isIdentCont(src[i]) {
				i++
			}
			s := string(src[start:i])
			if keywords[s] {
				tok(tokKeyword, start, i, s)
				break
			}
			if !parser.ValidIdentifier(f, start, s, r) {
				return nil, false
			}
			tok(tokIdent, start, i, s)
		default:
			ch, size := utf8.DecodeRune(src[i:])
			switch {
			case ch == utf8.RuneError && size <= 1:
				r.Errorf(diag.InvalidCharacter, f.Span(start, start+1), "invalid UTF-8 in source")
			case ch < 0x20 || ch == 0x7f:
				r.Errorf(diag.InvalidCharacter, f.Span(start, start+1), "control character %U is not allowed", ch)
			default:
				r.Errorf(diag.InvalidCharacter, f.Span(start, start+size), "unexpected character %q", ch)
			}
			return nil, false
		}
	}
	out.tokens = append(out.tokens, lexer.Token{Type: tokEOF, Pos: lexer.Position{Offset: len(src)}})
	out.ends = append(out.ends, len(src))
	out.dropTrailingCommas()
	return out, true
}

// dropTrailingCommas removes a comma that ends a non-empty list (before `}`,
// `)` or `>`): lists are `x ("," x)*` in the grammar, which keeps it LL(1).
func (lx *lexed) dropTrailingCommas() {
	w := 0
	for i, t := range lx.tokens {
		if t.Type == tokPunct && t.Value == "," && i > 0 && i+1 < len(lx.tokens) {
			n, p := lx.tokens[i+1], lx.tokens[i-1]
			closer := n.Type == tokPunct && (n.Value == "}" || n.Value == ")" || n.Value == ">")
			opener := p.Type == tokPunct && (p.Value == "{" || p.Value == "(" || p.Value == "<" || p.Value == ",")
			if closer && !opener {
				if d, ok := lx.docs[t.Pos.Offset]; ok {
					lx.docs[n.Pos.Offset] = append(d, lx.docs[n.Pos.Offset]...)
				}
				continue
			}
		}
		lx.tokens[w], lx.ends[w] = t, lx.ends[i]
		w++
	}
	lx.tokens, lx.ends = lx.tokens[:w], lx.ends[:w]
}
